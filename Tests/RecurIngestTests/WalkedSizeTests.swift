import Foundation
@testable import RecurKit
import Testing

@Suite("The walk's file size decides whether a file is probed for slices")
struct WalkedSizeTests {
    /// A file the walk found smaller than the threshold is read whole (no slice is reported read),
    /// one whose size is unknown (0) or at the threshold is opened and read in slices; the
    /// documents are the same every way.
    @Test(arguments: [(100, false), (0, true), (4_096, true)])
    func sizeFromTheWalk(walkedSize: Int, expectSlices: Bool) throws {
        let text = (0..<60).map { "Абзац номер \($0): прошу добавить интеграцию с CRM к отчётам." }.joined(separator: "\n\n")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recur-walked-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(text.utf8.count > 4_096)
        let analyzer = try TextAnalyzer()
        var stage = ParagraphAnalysisStage()
        stage.recordSliceThreshold = 4_096
        stage.recordSliceSize = 512
        let file = InputFile(path: url.path, relativePath: "notes.txt", format: .text, byteCount: walkedSize)
        var slicesRead = 0
        var documents: [AnalyzedDocument] = []
        let (byteCount, diagnostics) = stage.process(file, with: analyzer, read: { slicesRead += $0 }) { documents.append($0) }
        #expect((slicesRead > 0) == expectSlices)
        #expect(byteCount == text.utf8.count && diagnostics.isEmpty)

        var whole = ParagraphAnalysisStage()
        whole.recordSliceThreshold = .max
        var wholeDocuments: [AnalyzedDocument] = []
        _ = whole.process(InputFile(path: url.path, relativePath: "notes.txt", format: .text), with: analyzer) { wholeDocuments.append($0) }
        #expect(documents == wholeDocuments)
        #expect(documents.flatMap(\.paragraphs).count == 60)
    }
}
