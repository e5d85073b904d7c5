import Foundation
@testable import RecurKit
import RecurTestSupport
import Synchronization
import Testing

@Suite("Pipeline over a small archive on disk")
struct ArchiveAnalysisTests {
    /// A folder with `files` (relative path → text) under a fresh temporary directory.
    static func archive(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("recur-archive-\(UUID().uuidString)").path
        for (path, text) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    /// Each archive analyzed and its outputs written: the analyses, and each one's files by name.
    static func analyzed(_ archives: [ArchiveOptions]) async throws -> (analyses: [ArchiveAnalysis], outputs: [[String: Data]]) {
        var analyses: [ArchiveAnalysis] = []
        var outputs: [[String: Data]] = []
        for archive in archives {
            let analysis = try await ArchiveAnalysis.run(archive, options: AnalysisOptions(), diagnostic: { _ in })
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recur-outputs-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let written = try await AnalysisOutputs.write(analysis, settings: OutputSettings(), to: folder)
            var files: [String: Data] = [:]
            for name in written.names { files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)) }
            outputs.append(files)
            analyses.append(analysis)
        }
        return (analyses, outputs)
    }

    @Test("progress counts the bytes of a file read in slices as they are read, never going back")
    func progressWithinAFile() async throws {
        let lines = (0..<400).map { #"{"id": \#($0), "date": "2024-03-05", "text": "Нужна интеграция с CRM, заявка \#($0)."}"# }
        let root = try Self.archive([
            "a/notes.md": "Сквозная аналитика по заявкам.\n",
            "b/chat.jsonl": lines.joined(separator: "\n") + "\n",
            "c/more.md": "Регулярные встречи по статусу.\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        var options = ArchiveOptions(paths: [root], jobs: 2)
        options.readSlices = (threshold: 1024, size: 512)
        let shown = Mutex<[RunFigures]>([])
        let figures = try await ArchiveRun.run(
            options, into: EncodedDocuments.self, diagnostic: { _ in }, progress: { f in shown.withLock { $0.append(f) } }
        ) { _ in }
        let calls = shown.withLock { $0 }
        let total = figures.bytes
        #expect(figures.files == 3 && total == figures.plannedBytes)
        // One call per file handed over, and more while the JSONL file was read in 512-byte slices.
        #expect(calls.count > 3 + total / 1024)
        #expect(calls.last?.bytes == total)
        #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.bytes <= $1.bytes })
        #expect(calls.allSatisfy { $0.plannedBytes == total && $0.plannedFiles == 3 && $0.bytes <= total })
        // Some calls fall inside the JSONL file: bytes shown before any file after it was done.
        #expect(calls.contains { $0.files <= 1 && $0.bytes > 2048 })
    }

    @Test("the dedup pass reads ahead in batches of records and of paragraphs, handing every paragraph on once, in id order",
          arguments: [(128, 8192), (1, 1), (3, 2), (1000, 5)])
    func dedupReadAhead(records: Int, paragraphs: Int) async throws {
        var options = ArchiveOptions(paths: [TestPaths.packageRoot.appendingPathComponent("corpora/demo").path], jobs: 2)
        options.exclude = ["README.md", "truth.json"]
        options.documentParts = (paragraphs: 3, textBytes: 1 << 20)
        let analysis = try await ArchiveAnalysis.run(options, options: AnalysisOptions(), diagnostic: { _ in })
        var inputs: [DedupInput] = []
        await analysis.order.forEachDedupInputReadingAhead(batchSize: records, batchParagraphs: paragraphs) { inputs.append($0) }
        #expect(inputs.map(\.id) == Array(0..<analysis.paragraphCount))
        #expect(inputs.count > 1000)
        for id in stride(from: 0, to: inputs.count, by: 97) {
            #expect(inputs[id].key == analysis.key(of: id))
            #expect(inputs[id].paragraph == analysis.paragraph(id).paragraph.index)
        }
    }

    @Test("long documents in parts give the outputs of whole documents, byte for byte", arguments: [1, 2])
    func documentsInParts(jobs: Int) async throws {
        var options = ArchiveOptions(paths: [TestPaths.packageRoot.appendingPathComponent("corpora/demo").path], jobs: jobs)
        options.exclude = ["README.md", "truth.json"]
        var inParts = options
        inParts.documentParts = (paragraphs: 2, textBytes: 200)
        let (analyses, outputs) = try await Self.analyzed([options, inParts])
        // The parts were made: more records than documents, the same documents and paragraphs.
        #expect(analyses[0].store.recordCount == analyses[0].documentCount)
        #expect(analyses[1].store.recordCount > 2 * analyses[1].documentCount)
        #expect(analyses[1].documentCount == analyses[0].documentCount)
        #expect(analyses[1].run == analyses[0].run)
        #expect(outputs[0].keys.sorted() == outputs[1].keys.sorted() && outputs[0].count >= 6)
        for (name, data) in outputs[0] { #expect(outputs[1][name] == data, "\(name) differs with documents in parts") }
    }

    @Test("large files read by a thread and analyzed by several tasks give the outputs of one task, byte for byte", arguments: [2, 3])
    func largeFilesSpreadOverTasks(jobs: Int) async throws {
        // Every mbox, JSONL and CSV file of the demo counts as large, and its longest notes (.txt), cut into pieces of 100 bytes of text.
        var options = ArchiveOptions(paths: [TestPaths.packageRoot.appendingPathComponent("corpora/demo").path], jobs: 1)
        options.exclude = ["README.md", "truth.json"]
        var spread = options
        spread.jobs = jobs
        spread.readSlices = (threshold: 500, size: 512)
        spread.pieceTextBytes = 100
        let (analyses, outputs) = try await Self.analyzed([options, spread])
        // The long notes were analyzed in pieces: more records than documents.
        #expect(analyses[1].store.recordCount > analyses[0].store.recordCount)
        #expect(analyses[1].run == analyses[0].run)
        #expect(outputs[0].keys.sorted() == outputs[1].keys.sorted() && outputs[0].count >= 6)
        for (name, data) in outputs[0] { #expect(outputs[1][name] == data, "\(name) differs with large files spread over tasks") }
    }

    @Test("a paragraph over the limit is analyzed in pieces, warned of with its file and line, the same whichever way its file is read")
    func longParagraphsWarned() async throws {
        let long = String(repeating: "Нужна сквозная аналитика по заявкам и интеграция с CRM. ", count: 40)
        let root = try Self.archive([
            "a/notes.txt": "Короткая заметка.\n\n" + long + "\n\nЕщё одна.\n",
            "b/chat.jsonl": #"{"id": "m1", "date": "2024-03-05", "text": "\#(long)"}"# + "\n" + #"{"id": "m2", "text": "Коротко."}"# + "\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        var runs: [(figures: RunFigures, warnings: [Diagnostic])] = []
        for spread in [false, true] {
            var options = ArchiveOptions(paths: [root], jobs: spread ? 2 : 1)
            options.maxParagraphBytes = 1000
            if spread {
                // Both files read by a thread and analyzed by two tasks, in pieces of 100 bytes.
                options.readSlices = (threshold: 100, size: 256)
                options.pieceTextBytes = 100
            }
            let warnings = Mutex<[Diagnostic]>([])
            let figures = try await ArchiveRun.run(
                options, into: EncodedDocuments.self, diagnostic: { d in warnings.withLock { $0.append(d) } }) { _ in }
            runs.append((figures, warnings.withLock { $0 }))
        }
        #expect(runs[0].warnings == runs[1].warnings)
        #expect(runs[0].figures == runs[1].figures)
        let warnings = runs[0].warnings
        #expect(warnings.count == 2 && runs[0].figures.warnings == 2)
        #expect(warnings.first?.path.hasSuffix("a/notes.txt") == true && warnings.first?.line == 3)
        #expect(warnings.first?.message == "a paragraph of \(long.utf8.count) bytes is analyzed in pieces of at most 1000 bytes")
        #expect(warnings.last?.message == "a paragraph of document b/chat.jsonl#m1 (its line 1) of \(long.utf8.count) bytes is analyzed in pieces of at most 1000 bytes")
        #expect(warnings.last?.line == 1 && warnings.last?.path.hasSuffix("b/chat.jsonl") == true)
        // The short paragraphs, and the pieces of the long one in each file (4: at most 1000 bytes, at least 500).
        let pieces = ParagraphSplitter.split(long, maxParagraphBytes: 1000).count
        #expect(pieces == 4 && runs[0].figures.paragraphs == 3 + 2 * pieces)
        #expect(runs[0].figures.cutParagraphs.isEmpty)
    }

    @Test("per-paragraph columns read back from their files (store locations, dedup decisions) and band entries on disk give the outputs of columns and band tables in memory, byte for byte")
    func columnsInFiles() async throws {
        var options = ArchiveOptions(paths: [TestPaths.packageRoot.appendingPathComponent("corpora/demo").path], jobs: 2)
        options.exclude = ["README.md", "truth.json"]
        var inFile = options
        inFile.residentColumnValues = 10
        inFile.residentBandSlots = 4
        let (analyses, outputs) = try await Self.analyzed([options, inFile])
        #expect(analyses[0].store.paragraphsLocatedInFile == 0)
        // All but the first 10 and the last few (fewer than the 7 written at a time) are in the files.
        #expect(analyses[1].store.paragraphsLocatedInFile > analyses[1].paragraphCount - 17)
        #expect(analyses[1].paragraphCount == analyses[0].paragraphCount && analyses[0].paragraphCount > 1_000)
        #expect(outputs[0].keys.sorted() == outputs[1].keys.sorted() && outputs[0].count >= 6)
        for (name, data) in outputs[0] { #expect(outputs[1][name] == data, "\(name) differs with columns in files") }
    }

    @Test("a duplicates.csv row's document id and snippet text match the store's, for short and long paragraphs")
    func documentAndSnippetText() async throws {
        // A long paragraph (over the 1,280 bytes read for an 80-character snippet) whose first word is
        // followed by runs of white space, so that its first bytes collapse to fewer than 80 characters.
        let long = "Внимание:" + String(repeating: " \t ", count: 700) + String(repeating: "Нужна интеграция с CRM, отчёты по заявкам. ", count: 40)
        let short = "Спасибо за ответ, созвонимся завтра утром по поводу интеграции с CRM."
        let root = try Self.archive([
            "mail/2024-01-10-a.md": "---\ndate: 2024-01-10\nsource: alfa.ru\n---\n\n\(short)\n\n\(long)\n",
            "mail/2024-02-10-b.md": "---\ndate: 2024-02-10\nsource: beta.ru\n---\n\n\(long)\n\n\(short)\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let analysis = try await ArchiveAnalysis.run(ArchiveOptions(paths: [root], jobs: 2), options: AnalysisOptions(), diagnostic: { _ in })
        #expect(analysis.paragraphCount == 4)
        #expect((0..<4).contains { analysis.text(of: $0).utf8.count > 80 * 16 && analysis.text(of: $0).contains(" \t ") })
        for id in 0..<analysis.paragraphCount {
            let (doc, text) = analysis.documentAndSnippetText(of: id, limit: DuplicatesCSV.snippetLength)
            #expect(doc == analysis.dedup.location(id).doc)
            let whole = analysis.text(of: id)
            #expect(whole.hasPrefix(text))
            #expect(DuplicatesCSV.oneLine(text, limit: 80) == DuplicatesCSV.oneLine(whole, limit: 80))
        }
        #expect(analysis.dedup.counts.exact == 2)
    }

    @Test("documents in input order: only those holding a wanted paragraph, with terms for the wanted ones only")
    func documentsHavingWantedParagraphs() async throws {
        let root = try Self.archive([
            "a.md": "---\ndate: 2024-03-01\nsource: alfa.ru\n---\n\nНужна интеграция с CRM и отчёты.\n\nСпасибо, всего доброго.\n",
            "b.md": "---\ndate: 2024-01-01\nsource: beta.ru\n---\n\nХотим сквозную аналитику по заявкам.\n",
            "c.md": "---\ndate: 2024-02-01\nsource: gamma.ru\n---\n\nПришлите, пожалуйста, счёт за март.\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let analysis = try await ArchiveAnalysis.run(ArchiveOptions(paths: [root], jobs: 1), options: AnalysisOptions(), diagnostic: { _ in })
        // Ids follow the dates: b.md 0, c.md 1, a.md 2 and 3. Wanted: c.md's and a.md's second paragraph.
        let wanted: Set<Int> = [1, 3]
        var seen: [(String, Int, [Bool])] = []
        analysis.forEachDocumentInInputOrder(having: { wanted.contains($0) }) { document, firstID in
            seen.append((document.document.path, firstID, document.paragraphs.map { !$0.analysis.terms.isEmpty }))
        }
        #expect(seen.map(\.0).map { ($0 as NSString).lastPathComponent } == ["a.md", "c.md"])
        #expect(seen.map(\.1) == [2, 1])
        #expect(seen.map(\.2) == [[false, true], [true]])
    }
}
