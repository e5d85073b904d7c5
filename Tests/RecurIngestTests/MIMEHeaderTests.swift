@testable import RecurKit
import Testing

@Suite("MIME headers")
struct MIMEHeaderTests {
    @Test("only the headers recur reads are kept, in any case, with their folded lines")
    func readHeadersOnly() {
        let message = Array("""
            Received: from mx.example.com
            \tby relay; Wed, 1 Jan 2020 10:00:00 +0000
            X-Mailer: Something
              with: a colon in its folded line
            SUBJECT: =?UTF-8?B?0JfQsNC/0YDQvtGB?=
             continued
            To: =?UTF-8?B?5qCq5byP5Lya56S+?= <info@example.jp>
            from: Anna <anna@Example.RU>
            Content-Type: text/plain;
            \tcharset="UTF-8"
            Date: Wed, 01 Jan 2020 14:11:06 +0900

            Body line
            """.utf8)
        var parser = MIMEParser(decoder: CharsetDecoder(), path: "m.eml")
        let parsed = parser.parseMessage(message[...])
        #expect(parsed.headers.map(\.name) == ["subject", "from", "content-type", "date"])
        #expect(parsed.header("subject") == "Запрос continued")
        #expect(parsed.header("from") == "Anna <anna@Example.RU>")
        #expect(parsed.header("content-type") == "text/plain;\tcharset=\"UTF-8\"")
        #expect(parsed.header("date") == "Wed, 01 Jan 2020 14:11:06 +0900")
        #expect(parsed.header("to") == nil && parsed.header("received") == nil)
        #expect(parsed.parts.map(\.text) == ["Body line"])
    }

    @Test("a folded line before any header starts the body", arguments: [" folded\nSubject: x\n\nbody", "\tfolded\n\nbody"])
    func foldedFirstLine(_ text: String) {
        var parser = MIMEParser(decoder: CharsetDecoder(), path: "m.eml")
        let parsed = parser.parseMessage(Array(text.utf8)[...])
        #expect(parsed.headers.isEmpty)
        #expect(parsed.parts.first?.text.contains("folded") == true)
    }

    @Test("header names match case-insensitively and exactly", arguments: [
        ("Content-Type", "content-type"), ("CONTENT-TRANSFER-ENCODING", "content-transfer-encoding"), ("dAtE", "date"),
        ("Content-Typ", nil), ("Content-Types", nil), ("X-Date", nil), ("Message-ID", nil),
    ] as [(String, String?)])
    func names(_ name: String, _ expected: String?) {
        #expect(MIMEParser.readHeaderName(Array(name.utf8)[...]) == expected)
    }
}
