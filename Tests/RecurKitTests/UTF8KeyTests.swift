@testable import RecurKit
import Testing

@Suite("UTF8Key: strings keyed by their bytes")
struct UTF8KeyTests {
    @Test func equalBytesAreEqualKeys() {
        var table: [UTF8Key: Int] = [:]
        for (i, word) in ["интеграция", "連携", "kannattavuus", "CRM", ""].enumerated() { table[UTF8Key(word)] = i }
        #expect(table[UTF8Key("интеграц" + "ия")] == 0)
        #expect(table[UTF8Key("連携")] == 1)
        #expect(table[UTF8Key("")] == 4)
        #expect(table[UTF8Key("crm")] == nil)
    }

    @Test("canonically equivalent strings with other bytes are other keys (String would merge them)")
    func bytesNotCanonicalEquivalence() {
        let composed = "й", decomposed = "и\u{0306}"
        #expect(composed == decomposed)
        #expect(UTF8Key(composed) != UTF8Key(decomposed))
    }
}
