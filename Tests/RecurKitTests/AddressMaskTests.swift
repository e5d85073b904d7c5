import Testing
@testable import RecurKit

@Suite("Address masking")
struct AddressMaskTests {
    /// `n` spaces.
    static func blank(_ n: Int) -> String { String(repeating: " ", count: n) }

    @Test("addresses become spaces of the same length; the rest stays", arguments: [
        ("mail info@example.com now", "mail " + blank(16) + " now"),
        ("see WWW.Example.COM, then", "see " + blank(15) + ", then"),
        // Closing punctuation after a web address ends the sentence.
        ("go https://a.fi/x?y=1).", "go " + blank(18) + ")."),
        // The second @ would reach back into the first address: it starts where the first one ended.
        ("a@b.com@c.org", blank(7) + "@c.org"),
        // The host of an e-mail address runs on over letters; the scheme after it is not a URL start.
        ("x@y.fihttp://z.fi", blank(10) + "://z.fi"),
        // A web address starts after a space, not inside a run of URL characters.
        ("x@y.fi, www.z.fi", blank(6) + ", " + blank(8)),
        ("x@y.fi,www.z.fi", blank(6) + ",www.z.fi"),
        ("no address here.", "no address here."),
        ("what@ever and w/o http", "what@ever and w/o http"),
        // Web addresses are ASCII: an internationalized host is cut after its prefix.
        ("сайт: www.пример.рф", "сайт: " + blank(3) + ".пример.рф"),
    ])
    func masks(text: String, expected: String) {
        let masked = AddressMask.masking(text)
        #expect(masked == expected)
        #expect(masked.utf8.count == text.utf8.count)
    }
}
