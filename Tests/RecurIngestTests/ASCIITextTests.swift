import Foundation
@testable import RecurKit
import Testing

@Suite("ASCII fast paths of ingestion give what the general functions give")
struct ASCIITextTests {
    static let samples = [
        "", "Content-Type", "content-type", "  Text/HTML; Charset=\"KOI8-R\"  ", "\t\r\n", "X-Mailer\t",
        "Ärger", "ÉCOLE", "İstanbul", "ǅ", "ß", "Größe ", " 'utf-8' ", "\"cp1251\"", "\u{00A0}utf-8\u{00A0}", "'\u{0301}abc'", "ＡＢＣ",
    ]

    @Test("asciiLowercased() == lowercased()", arguments: samples)
    func lowercase(_ s: String) {
        #expect(s.asciiLowercased() == s.lowercased())
        #expect(s.dropFirst().asciiLowercased() == s.dropFirst().lowercased())
    }

    @Test("ingestTrimmed() trims spaces, tabs and line breaks only", arguments: samples)
    func trimmed(_ s: String) {
        #expect(s.ingestTrimmed() == s.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\n")))
    }

    @Test("trimmingASCII(_:) == trimmingCharacters(in:)", arguments: samples)
    func trimmingASCII(_ s: String) {
        #expect(s.trimmingASCII(" \t\"'") == s.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")))
    }

    @Test("the declared charset of HTML is found in meta charset and http-equiv forms, case-insensitively")
    func declaredCharset() {
        let cases: [(String, String?)] = [
            ("<html><head><META CharSet=\"Windows-1251\"></head>", "windows-1251"),
            ("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">", "koi8-r"),
            ("<meta name=x><meta charset = 'shift_jis' />", "shift_jis"),
            ("<p>charset=utf-8</p>", nil),
            ("<meta charset>", nil),
        ]
        for (html, expected) in cases {
            #expect(HTMLText.declaredCharset(Array(html.utf8)) == expected, "\(html)")
        }
    }
}
