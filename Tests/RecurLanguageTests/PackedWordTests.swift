@testable import RecurKit
import Testing

@Suite("PackedWord: function words looked up without a String")
struct PackedWordTests {
    private func packed(_ word: String) -> PackedWord? {
        word.unicodeScalars.map(\.value).withUnsafeBufferPointer { PackedWord($0) }
    }

    @Test("words of up to 16 Latin-1 letters pack, and equal packs mean equal words",
          arguments: ["ja", "että", "ystävällisin", "esimerkiksi", "või", "für", "abcdefghijklmnop", "i"])
    func packs(_ word: String) throws {
        let p = try #require(packed(word))
        #expect(p == packed(word))
        // One letter changed, appended or dropped gives another pack.
        #expect(p != packed(word + "a"))
        #expect(p != packed(String(word.dropLast())))
        #expect(p != packed("x" + word.dropFirst()))
    }

    @Test("longer words and letters above U+00FF do not pack", arguments: ["abcdefghijklmnopq", "šta", "слово", "日本"])
    func rejects(_ word: String) {
        #expect(packed(word) == nil)
    }

    @Test("the function-word sets hold every listed word and nothing else that was tried")
    func functionWords() throws {
        for word in ["ja", "kiitos", "ystävällisin", "esimerkiksi"] {
            #expect(LatinStats.finnishFunctionWords.contains(try #require(packed(word))), "\(word)")
        }
        for word in ["the", "või", "für", "och"] {
            #expect(LatinStats.foreignFunctionWords.contains(try #require(packed(word))), "\(word)")
        }
        for word in ["jaa", "kiito", "thee", "talo"] {
            let p = try #require(packed(word))
            #expect(!LatinStats.finnishFunctionWords.contains(p) && !LatinStats.foreignFunctionWords.contains(p), "\(word)")
        }
    }
}
