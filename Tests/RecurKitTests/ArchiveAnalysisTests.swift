import Foundation
@testable import RecurKit
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
}
