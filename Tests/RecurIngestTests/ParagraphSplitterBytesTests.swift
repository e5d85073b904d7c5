import Testing
@testable import RecurKit

@Suite("Paragraph splitting on bytes")
struct ParagraphSplitterBytesTests {
    /// The definition `isBlank` implements: every scalar is White_Space or an invisible format character.
    static func blankByDefinition(_ line: String) -> Bool {
        line.unicodeScalars.allSatisfy { s in
            s.properties.isWhitespace || ["\u{200B}", "\u{FEFF}", "\u{2060}", "\u{200C}", "\u{200D}"].contains(s)
        }
    }

    @Test("a line is blank on its bytes exactly when every scalar is white space or invisible")
    func blankMatchesDefinition() {
        // Every scalar up to U+3100 (ASCII, Latin, Cyrillic, the Unicode spaces, U+3000), alone and after a space.
        for value in 0..<0x3100 {
            guard let scalar = Unicode.Scalar(value), value != 0x0A, value != 0x0D else { continue }
            for line in [String(scalar), " " + String(scalar) + "\u{3000}"] {
                #expect(ParagraphSplitter.isBlank(line) == Self.blankByDefinition(line), "U+\(String(value, radix: 16))")
            }
        }
        #expect(ParagraphSplitter.isBlank("\u{FEFF}\u{200D} \u{2060}"))
        #expect(!ParagraphSplitter.isBlank("\u{FEFF}😀"))
    }

    @Test("paragraph text is the lines joined with LF, whatever the newlines were", arguments: [
        ("a\nb\n\nc", ["a\nb", "c"]),
        ("a\r\nb\r\n\r\nc\r\n", ["a\nb", "c"]),
        ("a\rb\r\rc", ["a\nb", "c"]),
        ("a\r\nb\nc\n\nd", ["a\nb\nc", "d"]),
    ])
    func joinedText(text: String, expected: [String]) {
        #expect(ParagraphSplitter.split(text).map(\.text) == expected)
    }

    @Test("blank lines are trimmed at both ends; inner ones stay")
    func trimming() {
        #expect(ParagraphSplitter.trimmingBlankLines(" \n\u{3000}\nA\n\nB\r\n \n") == "A\n\nB")
        #expect(ParagraphSplitter.trimmingBlankLines("\n \n") == "")
        #expect(ParagraphSplitter.trimmingBlankLines("A") == "A")
    }
}
