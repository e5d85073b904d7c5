import Foundation
@testable import RecurKit
import Synchronization
import Testing

/// A large file is read by a thread of its own and analyzed by several tasks
/// (`ParagraphAnalysisStage.processInParallel`): the same documents, paragraphs, size and
/// diagnostics, in the same order, as one task reading and analyzing it.
@Suite("Large files analyzed by several tasks")
struct LargeFileAnalysisTests {
    /// The documents with the parts of each joined into one (the parts are cut differently when
    /// pieces of a text are analyzed apart).
    static func joined(_ documents: [AnalyzedDocument]) -> [AnalyzedDocument] {
        var out: [AnalyzedDocument] = []
        for document in documents {
            if document.continuesPrevious, !out.isEmpty {
                out[out.count - 1].paragraphs += document.paragraphs
            } else {
                out.append(document)
            }
        }
        return out
    }

    static let samples: [String: (bytes: [UInt8], format: DocumentFormat?)] = [
        "mbox": (MboxSliceTests.mbox("\n"), .mbox),
        "mbox, repeated, no extension": (Array(repeating: MboxSliceTests.mbox("\r\n", prefix: ""), count: 6).joined(separator: Array("\r\n".utf8)).map { $0 }, nil),
        "JSONL": (RecordSliceTests.lines("\n"), .jsonl),
        "CSV": (RecordSliceTests.csv("\r\n", trailing: "\r\n"), .csv),
        "text": (Array(repeating: TextSliceTests.text("\n"), count: 4).joined(separator: Array("\n\n".utf8)).map { $0 }, .text),
        "text, a paragraph per line": (TextSliceTests.perLine, .text),
        "text, empty but for white space": (Array(" \n\t\n".utf8), .text),
    ]

    /// `bytes` written to a temporary file (the caller removes `url`), as an input file of `format`.
    static func inputFile(_ bytes: [UInt8], format: DocumentFormat?) throws -> (file: InputFile, url: URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recur-large-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return (InputFile(path: url.path, relativePath: "inbox/export", format: format, byteCount: bytes.count), url)
    }

    /// A stage that reads any file in slices of 64 bytes and hands on pieces of 100 bytes of text.
    static var slicingStage: ParagraphAnalysisStage {
        var stage = ParagraphAnalysisStage()
        stage.recordSliceThreshold = 0
        stage.recordSliceSize = 64
        stage.pieceTextBytes = 100
        return stage
    }

    @Test("the same documents and diagnostics as one task, wherever the pieces are cut",
          arguments: samples.keys.sorted(), [2, 3])
    func sameAsOneTask(kind: String, jobs: Int) async throws {
        let (bytes, format) = try #require(Self.samples[kind])
        let (file, url) = try Self.inputFile(bytes, format: format)
        defer { try? FileManager.default.removeItem(at: url) }
        let stage = Self.slicingStage
        let analyzers = try WorkerAnalyzers()

        var alone: [AnalyzedDocument] = []
        let one = stage.process(file, with: analyzers.main) { alone.append($0) }
        var collected = CollectedDocuments()
        var figures = RunFigures()
        let reported = Mutex(0)
        let done = try #require(try await stage.processInParallel(
            file, analyzers: analyzers, jobs: jobs, read: { n in reported.withLock { $0 += n } }, into: &collected, figures: &figures))
        let spread = collected.documents
        var counted = RunFigures()
        for document in alone { counted.add(document) }
        #expect(figures == counted)

        #expect(Self.joined(spread) == Self.joined(alone))
        #expect(spread.flatMap(\.paragraphs) == alone.flatMap(\.paragraphs))
        #expect(done.byteCount == one.byteCount && done.byteCount == bytes.count)
        #expect(done.diagnostics == one.diagnostics)
        #expect(done.reported == reported.withLock { $0 } && done.reported > 0)
        #expect(analyzers.helperCount == jobs - 1)
        // Every document but later parts of a text starts a document.
        #expect(spread.filter { !$0.continuesPrevious }.count == alone.filter { !$0.continuesPrevious }.count)
    }

    @Test("workers sharing a pool of one helper: two large files at once, never more than one helper, the same documents")
    func sharedHelpers() async throws {
        let stage = Self.slicingStage
        var inputs: [(file: InputFile, url: URL)] = []
        for kind in ["mbox", "JSONL"] {
            let (bytes, format) = try #require(Self.samples[kind])
            inputs.append(try Self.inputFile(Array(repeating: bytes, count: 20).joined(separator: Array("\n\n".utf8)).map { $0 }, format: format))
        }
        defer { for input in inputs { try? FileManager.default.removeItem(at: input.url) } }
        let pool = HelperAnalyzers(capacity: 1)
        let results = try await withThrowingTaskGroup(of: (Int, [AnalyzedDocument], [AnalyzedDocument]).self) { group in
            for (i, input) in inputs.enumerated() {
                group.addTask {
                    let analyzers = try WorkerAnalyzers(sharing: pool)
                    var alone: [AnalyzedDocument] = []
                    _ = stage.process(input.file, with: analyzers.main) { alone.append($0) }
                    var collected = CollectedDocuments()
                    var figures = RunFigures()
                    _ = try await stage.processInParallel(input.file, analyzers: analyzers, jobs: 3, read: { _ in }, into: &collected, figures: &figures)
                    return (i, alone, collected.documents)
                }
            }
            var out: [(Int, [AnalyzedDocument], [AnalyzedDocument])] = []
            for try await result in group { out.append(result) }
            return out
        }
        #expect(results.count == 2)
        for (i, alone, spread) in results {
            #expect(!alone.isEmpty)
            #expect(Self.joined(spread) == Self.joined(alone), "file \(i)")
        }
        #expect(pool.madeCount == 1)
    }

    @Test("a pool lends what is free and makes no more than its capacity")
    func helperPool() throws {
        let pool = HelperAnalyzers(capacity: 2)
        let a = try pool.borrow(5)
        #expect(a.count == 2 && pool.madeCount == 2)
        #expect(try pool.borrow(1).isEmpty)
        pool.giveBack([a[0]])
        let b = try pool.borrow(3)
        #expect(b.count == 1 && b[0] === a[0] && pool.madeCount == 2)
        pool.giveBack(b + [a[1]])
        #expect(try pool.borrow(2).count == 2)
    }

    /// A sink that fails on the first piece appended (a full temporary folder, say).
    struct FailingSink: DocumentSink {
        struct Full: Error {}
        /// Not an empty type: ThreadSanitizer's instrumentation of an `inout` access to a
        /// zero-sized value in generic code reads a garbage address (swiftlang/swift#35579).
        var added = 0
        mutating func add(_ document: AnalyzedDocument) { added += 1 }
        mutating func append(contentsOf other: FailingSink) throws { throw Full() }
    }

    @Test("when the analysis fails, the reading thread skips the rest of the file", arguments: ["mbox", "JSONL", "text"])
    func failureStopsReading(kind: String) async throws {
        let (sample, format) = try #require(Self.samples[kind])
        // About 2 MB read 64 bytes at a time: reading it all takes the thread a while.
        let bytes = Array(repeating: sample, count: max(1, (2 << 20) / sample.count)).joined(separator: Array("\n\n".utf8)).map { $0 }
        let (file, url) = try Self.inputFile(bytes, format: format)
        defer { try? FileManager.default.removeItem(at: url) }
        let stage = Self.slicingStage
        let analyzers = try WorkerAnalyzers()
        var sink = FailingSink()
        var figures = RunFigures()
        let reported = Mutex(0)
        await #expect(throws: FailingSink.Full.self) {
            try await stage.processInParallel(
                file, analyzers: analyzers, jobs: 2, read: { n in reported.withLock { $0 += n } }, into: &sink, figures: &figures)
        }
        // The thread ends on its own: wait until it has reported nothing more for a while.
        var last = -1
        for _ in 0..<50 where reported.withLock({ $0 }) != last {
            last = reported.withLock { $0 }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(last > 0 && last < bytes.count / 4, "\(last) of \(bytes.count) bytes read")
    }

    @Test("one job, a small file or another format: not read this way (standard input: StandardInputTests)")
    func notReadThisWay() async throws {
        let analyzers = try WorkerAnalyzers()
        var stage = ParagraphAnalysisStage()
        stage.recordSliceThreshold = 1000
        let bytes = MboxSliceTests.mbox("\n")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recur-large-\(UUID().uuidString).mbox")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let cases: [(InputFile, Int)] = [
            (InputFile(path: url.path, relativePath: "a.mbox", format: .mbox, byteCount: bytes.count), 1),
            (InputFile(path: url.path, relativePath: "a.mbox", format: .mbox, byteCount: 999), 2),
            (InputFile(path: url.path, relativePath: "a.eml", format: .email, byteCount: bytes.count), 2),
        ]
        for (file, jobs) in cases {
            var collected = CollectedDocuments()
            var figures = RunFigures()
            let done = try await stage.processInParallel(file, analyzers: analyzers, jobs: jobs, read: { _ in }, into: &collected, figures: &figures)
            #expect(done == nil && collected.documents.isEmpty && figures == RunFigures(), "\(file.relativePath), \(jobs) jobs")
        }
        // Large enough, but not in plain UTF-8: read whole by `process`, nothing handed on here.
        let latin1 = Array("{\"text\": \"caf\u{E9}\"}\n".utf8.map { $0 }) + [0xE9, 0x0A]
        let jsonl = FileManager.default.temporaryDirectory.appendingPathComponent("recur-large-\(UUID().uuidString).jsonl")
        try Data(latin1).write(to: jsonl)
        defer { try? FileManager.default.removeItem(at: jsonl) }
        stage.recordSliceThreshold = 0
        var collected = CollectedDocuments()
        var figures = RunFigures()
        let done = try await stage.processInParallel(
            InputFile(path: jsonl.path, relativePath: "a.jsonl", format: .jsonl, byteCount: latin1.count),
            analyzers: analyzers, jobs: 2, read: { _ in }, into: &collected, figures: &figures)
        #expect(done == nil && collected.documents.isEmpty)
    }
}
