import Testing
@testable import RecurKit

@Suite("MeCab features read in place")
struct MeCabFeatureTests {
    static func morpheme(_ surface: String, _ feature: String) -> MeCabTagger.Morpheme {
        var feature = feature
        return feature.withUTF8 { MeCabTagger.Morpheme(surface: surface, range: 0..<surface.utf8.count, feature: $0) }
    }

    static func lacksBaseForm(_ feature: String) -> Bool {
        var feature = feature
        return feature.withUTF8 { MeCabTagger.Morpheme.featureLacksBaseForm($0) }
    }

    @Test("part of speech, subclasses and 原形 come from their fields; 原形 * or missing is the surface")
    func fields() {
        let name = Self.morpheme("田中", "名詞,固有名詞,人名,姓,*,*,田中")
        #expect(name.partOfSpeech == "名詞" && name.subclass == "固有名詞" && name.subclass2 == "人名")
        #expect(name.baseForm == "田中" && name.wordClass == .personName)
        let verb = Self.morpheme("し", "動詞,自立,*,*,サ変・スル,連用形,する")
        #expect(verb.baseForm == "する" && verb.wordClass == .verb)
        let unknown = Self.morpheme("ＣＲＭ", "名詞,一般,*,*,*,*,*")
        #expect(unknown.baseForm == "ＣＲＭ" && unknown.wordClass == .noun)
        let short = Self.morpheme("x", "記号,一般")
        #expect(short.subclass2 == "" && short.baseForm == "x" && short.wordClass == .symbol)
    }

    @Test("a feature lacks 原形 when it has fewer than seven fields or * there", arguments: [
        ("名詞,一般,*,*,*,*,*", true), ("名詞,一般,*,*,*,*,", true), ("記号,一般", true), ("", true),
        ("名詞,一般,*,*,*,*,会議", false), ("助詞,格助詞,一般,*,*,*,を", false),
    ])
    func baseForm(feature: String, lacks: Bool) {
        #expect(Self.lacksBaseForm(feature) == lacks)
    }

    @Test("the tagger's morphemes are those of its nodes, in order, covering the text")
    func nodes() throws {
        let tagger = try MeCabTagger()
        let morphemes = tagger.morphemes("会議の資料を送ってください。")
        #expect(morphemes.map(\.surface).joined() == "会議の資料を送ってください。")
        #expect(morphemes.first?.baseForm == "会議")
        #expect(morphemes.contains { $0.surface == "送っ" && $0.baseForm == "送る" && $0.wordClass == .verb })
    }

    /// The model is opened for the first tagger and closed with the last, so taggers made and
    /// dropped on several threads at once (as a run's workers and helpers are) open and close it
    /// over and over: each must still find the dictionary and segment as one long-lived tagger does.
    @Test("taggers made and dropped on several threads at once segment like one long-lived tagger")
    func modelOpenedAndClosedConcurrently() async throws {
        let text = "会議の資料を送ってください。毎週の定例会議をお願いします。"
        let expected = try MeCabTagger().morphemes(text).map { "\($0.surface)/\($0.baseForm)" }
        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var last: [String] = []
                    for _ in 0..<20 { last = try MeCabTagger().morphemes(text).map { "\($0.surface)/\($0.baseForm)" } }
                    return last
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for result in results { #expect(result == expected) }
    }
}
