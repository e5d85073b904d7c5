import Foundation
import RecurKit
import Testing

@Suite("JSON string literals")
struct JSONTextTests {
    @Test("escapes what JSON and <script> need, copies the rest, and reads back as the original", arguments: [
        "", "plain ASCII", "кавычки \"и\" \\обратная\\", "tab\there\nnew line\r\u{0}\u{1F}\u{7F}",
        "line\u{2028}para\u{2029}end", "絵文字😀と日本語", "é\u{301} ё ä", "\u{E2}\u{80}", "ends with \\",
    ])
    func roundTrip(_ text: String) throws {
        let literal = JSONText.string(text)
        #expect(literal.hasPrefix("\"") && literal.hasSuffix("\""))
        #expect(!literal.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{2029}" })
        let decoded = try JSONSerialization.jsonObject(with: Data(literal.utf8), options: .fragmentsAllowed) as? String
        #expect(decoded == text)
    }

    @Test("the escapes themselves")
    func escapes() {
        #expect(JSONText.string("a\"b\\c\nd\u{1}e\u{2028}") == #""a\"b\\c\nd\u0001e\u2028""#)
    }
}
