import Foundation
@testable import RecurKit
import Testing

/// The analysis stage run over one file twice: whole (`recordSliceThreshold` never reached) and in
/// slices of 16 bytes (every file over the threshold), for the tests of the readers that never hold
/// a large file whole.
struct SlicedStage {
    typealias Processed = (documents: [AnalyzedDocument], byteCount: Int, diagnostics: [Diagnostic])
    let whole: Processed
    let sliced: Processed

    /// Writes `bytes` to a temporary file named `name` and processes it both ways.
    ///
    /// - Parameter sliceSettings: more settings of the stage that reads in slices.
    init(_ bytes: [UInt8], name: String, format: DocumentFormat, sliceSettings: (inout ParagraphAnalysisStage) -> Void = { _ in }) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recur-stage-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = InputFile(path: url.path, relativePath: name, format: format)
        let analyzer = try TextAnalyzer()
        var whole = ParagraphAnalysisStage()
        whole.recordSliceThreshold = .max
        var sliced = ParagraphAnalysisStage()
        sliced.recordSliceThreshold = 0
        sliced.recordSliceSize = 16
        sliceSettings(&sliced)
        func process(_ stage: ParagraphAnalysisStage) -> Processed {
            var documents: [AnalyzedDocument] = []
            let (byteCount, diagnostics) = stage.process(file, with: analyzer) { documents.append($0) }
            return (documents, byteCount, diagnostics)
        }
        self.whole = process(whole)
        self.sliced = process(sliced)
        // Read in slices (or not) as the thresholds say.
        #expect(sliced.readInSlices(file, each: { _ in }) != nil || sliced.readTextInSlices(file, analyzer: analyzer, read: { _ in }, each: { _ in }) != nil)
        #expect(whole.readInSlices(file, each: { _ in }) == nil && whole.readTextInSlices(file, analyzer: analyzer, read: { _ in }, each: { _ in }) == nil)
    }

    /// The same documents, bytes and diagnostics both ways.
    func expectSame(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(whole.documents == sliced.documents, sourceLocation: sourceLocation)
        #expect(whole.byteCount == sliced.byteCount, sourceLocation: sourceLocation)
        #expect(whole.diagnostics == sliced.diagnostics, sourceLocation: sourceLocation)
    }
}

/// The documents handed to a sink, kept as they are (for the tests of the large-file analysis).
struct CollectedDocuments: DocumentSink {
    var documents: [AnalyzedDocument] = []

    mutating func add(_ document: AnalyzedDocument) { documents.append(document) }

    mutating func append(contentsOf other: CollectedDocuments) { documents += other.documents }
}
