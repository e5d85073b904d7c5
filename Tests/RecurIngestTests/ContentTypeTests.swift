@testable import RecurKit
import Testing

@Suite("Content-Type values")
struct ContentTypeTests {
    static let samples = [
        "text/plain", "  Text/HTML; Charset=\"KOI8-R\"  ", "multipart/alternative; boundary=\"b;c\"; charset=utf-8",
        "text/plain; charset=windows-1251; format=flowed", "text/plain;charset=\"\"", "text/plain; charset=\"",
        "multipart/mixed; boundary=; Boundary=second", "; =x; y=", "TEXT/PLAIN ; CHARSET = \"Shift_JIS\" ;",
        "text/plain; name=\"a \\\"quoted\\\" name\"; charset=us-ascii", "", ";", "\"", "text/plain;\tcharset=\tiso-2022-jp\r",
    ]

    static func same(_ a: (type: String, parameters: [String: String]), _ b: (type: String, parameters: [String: String])) -> Bool {
        a.type == b.type && a.parameters == b.parameters
    }

    @Test("an ASCII value parses on its bytes as it does by characters", arguments: samples)
    func asciiLikeCharacters(_ value: String) {
        #expect(Self.same(MIMEParser.parseContentType(value), MIMEParser.parseContentTypeByCharacters(value)))
    }

    @Test("the same on 20,000 random values of delimiters, quotes, spaces and letters")
    func randomValues() {
        let alphabet = Array("ab;;==\"\" \t\r\nXY/-".utf8)
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var differing: [String] = []
        for _ in 0..<20_000 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let length = Int(state % 24)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                bytes.append(alphabet[Int(state % UInt64(alphabet.count))])
            }
            let value = String(decoding: bytes, as: UTF8.self)
            if !Self.same(MIMEParser.parseContentType(value), MIMEParser.parseContentTypeByCharacters(value)) { differing.append(value) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(5))")
    }

    @Test("type lowercased, parameters by lowercased name, quotes taken off, the first of a name kept")
    func values() {
        let parsed = MIMEParser.parseContentType("  Multipart/Alternative; Boundary=\"b;c\"; CHARSET=UTF-8; charset=koi8-r")
        #expect(parsed.type == "multipart/alternative")
        #expect(parsed.parameters == ["boundary": "b;c", "charset": "UTF-8"])
        // not ASCII: by characters, where a ";" with a combining mark is no delimiter
        let combining = MIMEParser.parseContentType("text/plain; name=a;\u{0301}b; charset=utf-8")
        #expect(combining.parameters["name"] == "a;\u{0301}b")
        #expect(combining.parameters["charset"] == "utf-8")
    }
}
