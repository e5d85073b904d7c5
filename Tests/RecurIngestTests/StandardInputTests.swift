import Foundation
@testable import RecurKit
import Synchronization
import Testing

/// Standard input (`-`) larger than the slice threshold is copied into a temporary file and read
/// from there in slices (`StandardInput`, `ParagraphAnalysisStage.processStandardInput`): the same
/// documents and diagnostics as when it is read whole, from a pipe.
@Suite("Standard input")
struct StandardInputTests {
    /// The read end of a pipe that a thread of its own fills with `bytes`, then closes.
    static func pipe(_ bytes: [UInt8]) throws -> Int32 {
        var ends: [Int32] = [0, 0]
        try #require(Glibc.pipe(&ends) == 0)
        let writeEnd = ends[1]
        Thread.detachNewThread {
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress! + done, $0.count - done) }
                if n <= 0 { break }
                done += n
            }
            close(writeEnd)
        }
        return ends[0]
    }

    static let standardInput = InputFile(path: "-", relativePath: "-", format: nil)

    /// The bytes of a JSONL export whose every line is an object (so that it is sniffed as JSONL).
    static let jsonl = Array(RecordSliceTests.text.filter { $0.hasPrefix("{") }.joined(separator: "\n").utf8)

    /// Inputs by name, and whether a large one is read in slices.
    static let samples: [String: (bytes: [UInt8], inSlices: Bool)] = [
        "mbox": (MboxSliceTests.mbox("\n", prefix: ""), true),
        "mbox with text before its first message (sniffed as text)": (MboxSliceTests.mbox("\n"), true),
        "mbox, CRLF": (MboxSliceTests.mbox("\r\n", prefix: ""), true),
        "JSONL": (jsonl, true),
        "text": (TextSliceTests.text("\n"), true),
        "text, a paragraph per line": (TextSliceTests.perLine, true),
        "CSV (sniffed as text)": (RecordSliceTests.csv("\n"), true),
        "HTML": (Array("<!DOCTYPE html><html><body><p>Нужна интеграция с CRM.</p><p>定例会議</p></body></html>".utf8), true),
        "e-mail": (Array("From: a@acme.fi\nDate: Tue, 5 Mar 2024 10:20:00 +0200\nSubject: CRM\n\nTarvitsemme CRM-integraation.\n".utf8), false),
        "windows-1251": ([0xCD, 0xF3, 0xE6, 0xED, 0xE0, 0x20, 0xE8, 0xED, 0xF2, 0xE5, 0xE3, 0xF0, 0xE0, 0xF6, 0xE8, 0xFF, 0x0A], true),
        "NULs at the start": (Array("a\0b\n\nтекст\n".utf8), false),
    ]

    @Test("large standard input is read in slices with the same documents and diagnostics as whole; other formats whole",
          arguments: samples.keys.sorted())
    func sameAsWhole(kind: String) throws {
        let (bytes, inSlices) = try #require(Self.samples[kind])
        let analyzer = try TextAnalyzer()
        func process(threshold: Int) throws -> (documents: [AnalyzedDocument], byteCount: Int, diagnostics: [Diagnostic], inSlices: Bool) {
            var stage = ParagraphAnalysisStage()
            stage.recordSliceThreshold = threshold
            stage.recordSliceSize = 16
            stage.standardInput = try Self.pipe(bytes)
            defer { close(stage.standardInput) }
            var documents: [AnalyzedDocument] = []
            let done = stage.processStandardInput(Self.standardInput, with: analyzer) { documents.append($0) }
            return (documents, done.byteCount, done.diagnostics, done.inSlices)
        }
        let whole = try process(threshold: .max)
        let spooled = try process(threshold: 0)
        #expect(!whole.inSlices)
        #expect(spooled.inSlices == inSlices, "\(kind)")
        #expect(!whole.documents.isEmpty, "\(kind)")
        #expect(spooled.documents == whole.documents, "\(kind)")
        #expect(spooled.byteCount == bytes.count && whole.byteCount == bytes.count, "\(kind)")
        #expect(spooled.diagnostics == whole.diagnostics, "\(kind)")
        // No modification time to date a document by: standard input has none.
        #expect(!spooled.documents.contains { $0.document.dateOrigin == .modificationTime })
    }

    @Test("with several jobs, large or small: the same documents and diagnostics as one task reading it whole",
          arguments: samples.keys.sorted(), [0, Int.max])
    func inParallel(kind: String, threshold: Int) async throws {
        let (bytes, _) = try #require(Self.samples[kind])
        let analyzers = try WorkerAnalyzers()
        var stage = ParagraphAnalysisStage()
        stage.recordSliceThreshold = .max
        stage.standardInput = try Self.pipe(bytes)
        var whole: [AnalyzedDocument] = []
        let one = stage.processStandardInput(Self.standardInput, with: analyzers.main) { whole.append($0) }
        close(stage.standardInput)

        stage.recordSliceThreshold = threshold
        stage.recordSliceSize = 16
        stage.pieceTextBytes = 100
        stage.standardInput = try Self.pipe(bytes)
        defer { close(stage.standardInput) }
        var collected = CollectedDocuments()
        var figures = RunFigures()
        let reported = Mutex(0)
        let done = try #require(try await stage.processInParallel(
            Self.standardInput, analyzers: analyzers, jobs: 2, read: { n in reported.withLock { $0 += n } },
            into: &collected, figures: &figures))
        let spread = collected.documents
        #expect(LargeFileAnalysisTests.joined(spread) == LargeFileAnalysisTests.joined(whole), "\(kind)")
        #expect(done.byteCount == bytes.count && one.byteCount == bytes.count)
        #expect(done.diagnostics == one.diagnostics, "\(kind)")
        #expect(done.reported == bytes.count && reported.withLock { $0 } == bytes.count)
    }

    @Test("small input stays in memory; from the threshold on it goes to a temporary file; progress counts every byte once", arguments: [0, 1, 100, 5000])
    func spooling(threshold: Int) throws {
        let bytes = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let fd = try Self.pipe(bytes)
        defer { close(fd) }
        var reported = 0
        let (contents, diagnostics) = StandardInput.read(fd, path: "-", spoolFrom: threshold) { reported += $0 }
        #expect(diagnostics.isEmpty)
        #expect(reported == bytes.count)
        switch try #require(contents) {
        case .bytes(let read):
            #expect(threshold > bytes.count)
            #expect(read == bytes)
        case .file(let spool):
            #expect(threshold <= bytes.count)
            #expect(spool.size == bytes.count)
            #expect(spool.readAll() == bytes)
            #expect(spool.head(10) == Array(bytes.prefix(10)))
        }
    }

    @Test("no temporary file can be made: a warning naming standard input, and all of it read into memory") func noTemporaryFolder() throws {
        let bytes = Array(String(repeating: "Нужна интеграция с CRM.\n\n", count: 200).utf8)
        let fd = try Self.pipe(bytes)
        defer { close(fd) }
        let (contents, diagnostics) = StandardInput.read(fd, path: "-", spoolFrom: 10, folder: "/nonexistent-recur-folder")
        guard case .bytes(let read)? = contents else {
            Issue.record("expected the bytes in memory")
            return
        }
        #expect(read == bytes)
        #expect(diagnostics.count == 1)
        let warning = try #require(diagnostics.first)
        #expect(warning.severity == .warning && warning.path == "-")
        #expect(warning.message.contains("/nonexistent-recur-folder") && warning.message.contains("reading it into memory"))
    }

    @Test("a read error names standard input and the byte offset") func readError() throws {
        let folder = open(FileManager.default.temporaryDirectory.path, O_RDONLY | O_DIRECTORY)
        try #require(folder >= 0)
        defer { close(folder) }
        let (contents, diagnostics) = StandardInput.read(folder, path: "-", spoolFrom: 10)
        #expect(contents == nil)
        let error = try #require(diagnostics.first)
        #expect(error.severity == .error && error.path == "-" && error.byteOffset == 0)
        #expect(error.message.hasPrefix("cannot read standard input"))
    }
}
