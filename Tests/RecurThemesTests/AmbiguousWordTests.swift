@testable import RecurKit
import Testing

/// A broad word whose phrases are separate requests is not a theme of its own.
@Suite("Ambiguous one-word candidates")
struct AmbiguousWordTests {
    struct Candidate: DocumentCarrying, Equatable {
        var keys: [Int32]
        var docs: [Int32]
    }

    static let word: Int32 = 1
    static let table: Int32 = 2
    static let payback: Int32 = 3

    static func candidates(tableDocs: [Int32], paybackDocs: [Int32], wordOnlyDocs: [Int32] = []) -> [Candidate] {
        let all = Array(Set(tableDocs + paybackDocs + wordOnlyDocs)).sorted()
        return [
            Candidate(keys: [word], docs: all),
            Candidate(keys: [table, word], docs: tableDocs),
            Candidate(keys: [word, payback], docs: paybackDocs),
        ]
    }

    @Test func dropsABroadWordSplitBetweenTwoRequests() {
        let scored = Self.candidates(tableDocs: Array(0..<12), paybackDocs: Array(12..<20))
        let kept = ThemeExtractor.withoutAmbiguousWords(scored, keysOf: \.keys, isBroad: { _ in true })
        #expect(kept.map(\.keys) == [[Self.table, Self.word], [Self.word, Self.payback]])
    }

    @Test func keepsAWordWhoseMainPhraseCoversMostOfItsDocuments() {
        // 15 of 18 documents (83 %) are in the largest phrase: one request.
        let scored = Self.candidates(tableDocs: Array(0..<15), paybackDocs: Array(15..<18))
        let kept = ThemeExtractor.withoutAmbiguousWords(scored, keysOf: \.keys, isBroad: { _ in true })
        #expect(kept == scored)
    }

    @Test func keepsAWordWhosePhrasesOverlap() {
        // Neither phrase covers 70 % of the word's 20 documents, but half of the second is in the first.
        let scored = Self.candidates(tableDocs: Array(0..<10), paybackDocs: Array(5..<15), wordOnlyDocs: Array(15..<20))
        let kept = ThemeExtractor.withoutAmbiguousWords(scored, keysOf: \.keys, isBroad: { _ in true })
        #expect(kept == scored)
    }

    @Test func keepsANarrowWord() {
        let scored = Self.candidates(tableDocs: Array(0..<12), paybackDocs: Array(12..<20))
        let kept = ThemeExtractor.withoutAmbiguousWords(scored, keysOf: \.keys, isBroad: { $0 != Self.word })
        #expect(kept == scored)
    }
}
