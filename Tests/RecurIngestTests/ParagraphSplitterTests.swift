import Foundation
import Testing
import RecurKit
import RecurTestSupport

@Suite("Paragraph splitting")
struct ParagraphSplitterTests {
    @Test func blankLines() {
        let p = ParagraphSplitter.split("\n\nFirst line\nsecond line\n\n\n   \nSecond para\n\n")
        #expect(p.map(\.text) == ["First line\nsecond line", "Second para"])
        #expect(p.map(\.line) == [3, 8])
        #expect(p.map(\.index) == [0, 1])
    }

    @Test func crlfAndCR() {
        let crlf = ParagraphSplitter.split("One\r\ntwo\r\n\r\nThree\r\n")
        #expect(crlf.map(\.text) == ["One\ntwo", "Three"])
        #expect(crlf.map(\.line) == [1, 4])
        let cr = ParagraphSplitter.split("One\rtwo\r\rThree")
        #expect(cr.map(\.text) == ["One\ntwo", "Three"])
    }

    @Test("a text without blank lines splits per line") func singleNewlines() {
        let p = ParagraphSplitter.split("Post one\nPost two\nPost one\n")
        #expect(p.map(\.text) == ["Post one", "Post two", "Post one"])
        #expect(p.map(\.line) == [1, 2, 3])
        #expect(ParagraphSplitter.split("Only one line").map(\.text) == ["Only one line"])
        #expect(ParagraphSplitter.split("").isEmpty)
        #expect(ParagraphSplitter.split(" \n\u{3000}\n").isEmpty)
    }

    @Test("ideographic-space and NBSP lines are blank") func ideographicSpaces() {
        let p = ParagraphSplitter.split("顧客が性別の場合\n\u{3000}\u{3000}\n金曜日の夜\n\u{00A0}\n続き\n次の行")
        #expect(p.map(\.text) == ["顧客が性別の場合", "金曜日の夜", "続き\n次の行"])
        #expect(p.map(\.line) == [1, 3, 5])
    }

    @Test func quotesAndSignature() {
        let text = "Hello,\n> you wrote:\n> the price\nWe agree.\n\n> fully quoted\n>\n\n-- \nIvan\nAcme\n\nP.S. after"
        let p = ParagraphSplitter.split(text)
        #expect(p.map(\.text) == ["Hello,", "> you wrote:\n> the price", "We agree.", "> fully quoted\n>", "-- \nIvan\nAcme", "P.S. after"])
        #expect(p.map(\.isQuote) == [false, true, false, true, false, false])
        #expect(p.map(\.isSignature) == [false, false, false, false, true, true])
        #expect(p.map(\.line) == [1, 2, 4, 6, 9, 13])
        let inline = ParagraphSplitter.split("Thanks\n--\nBob")
        #expect(inline.map(\.isSignature) == [false, true, true])
    }

    @Test("nothing is dropped: every non-blank line is in exactly one paragraph") func nothingDropped() {
        let text = "a\n\n>b\nc\n-- \nd\n\u{3000}\ne\r\nf\rg\n\n\n"
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n").map(String.init).filter { !$0.allSatisfy { $0.isWhitespace } }
        let joined = ParagraphSplitter.split(text).flatMap { $0.text.split(separator: "\n").map(String.init) }
        #expect(joined == lines)
    }

    @Test("the seed documents", .enabled(if: FileManager.default.fileExists(atPath: TestPaths.seeds.path)))
    func seeds() throws {
        let names = ["ru-smm-channel-dump.txt", "ru-new-ideas-at-work.txt", "fi-agency-clients-blacklist.txt", "ja-b2b-director-clients.txt"]
        for name in names {
            let url = TestPaths.seeds.appendingPathComponent(name)
            let bytes = Array(try Data(contentsOf: url))
            let file = InputFile(path: "corpora/seeds/" + name, relativePath: name, format: .text)
            let (documents, diagnostics) = DocumentReader().read(file, bytes: bytes, modificationDate: nil)
            #expect(diagnostics.isEmpty, "\(name): \(diagnostics)")
            let document = try #require(documents.first)
            #expect(document.source == "seeds")
            #expect(document.encoding == "UTF-8")
            let paragraphs = ParagraphSplitter.split(document.text)
            #expect(!paragraphs.isEmpty, "\(name)")
            let nonBlank = document.text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
            if name == "ru-smm-channel-dump.txt" {
                #expect(paragraphs.count == nonBlank.count)
                #expect(paragraphs.count > 100)
            } else {
                // Split on blank lines: fewer paragraphs than lines would mean joined lines; count blank-separated blocks.
                let blocks = document.text.replacingOccurrences(of: "\r\n", with: "\n")
                    .components(separatedBy: "\n")
                    .reduce(into: (count: 0, inBlock: false)) { state, line in
                        let blank = line.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
                        if !blank && !state.inBlock { state.count += 1 }
                        state.inBlock = !blank
                    }.count
                #expect(paragraphs.count >= blocks, "\(name)")
                #expect(paragraphs.count <= nonBlank.count, "\(name)")
                #expect(paragraphs.contains { $0.text.contains("\n") } || paragraphs.count == blocks, "\(name)")
            }
        }
    }
}

@Suite("Paragraphs longer than the limit")
struct LongParagraphTests {
    @Test("a long line is cut at spaces into pieces within the limit, which give the line back")
    func longLine() {
        let words = (0..<400).map { "слово\($0)" }
        let text = "До.\n\n" + words.joined(separator: " ") + "\n\nПосле."
        let p = ParagraphSplitter.split(text, maxParagraphBytes: 200)
        let pieces = p.dropFirst().dropLast()
        #expect(p.first?.text == "До." && p.last?.text == "После.")
        #expect(pieces.count > 10)
        #expect(pieces.allSatisfy { $0.text.utf8.count <= 200 && $0.text.utf8.count > 100 && $0.line == 3 })
        #expect(pieces.map(\.text).joined(separator: " ") == words.joined(separator: " "))
        #expect(pieces.first?.cutFrom == words.joined(separator: " ").utf8.count && pieces.dropFirst().allSatisfy { $0.cutFrom == 0 })
        #expect(p.map(\.index) == Array(0..<p.count))
        #expect(p.first?.cutFrom == 0 && p.last?.cutFrom == 0 && p.last?.line == 5)
    }

    @Test("a paragraph of many lines is cut at line breaks, each piece on its first line")
    func longLines() {
        let lines = (0..<60).map { "> строка номер \($0) без пустых строк" }
        let p = ParagraphSplitter.split(lines.joined(separator: "\r\n"), maxParagraphBytes: 300)
        #expect(p.count > 5)
        #expect(p.allSatisfy { $0.text.utf8.count <= 300 && $0.isQuote })
        #expect(p.map(\.text).joined(separator: "\n") == lines.joined(separator: "\n"))
        // Each piece's line is where its first line is in the text.
        for piece in p { #expect(lines[piece.line - 1] == piece.text.split(separator: "\n").first.map(String.init)) }
    }

    @Test("a line without white space is cut after whole characters")
    func noSpaces() {
        let text = String(repeating: "接続", count: 500)  // 3 bytes a character
        let p = ParagraphSplitter.split(text, maxParagraphBytes: 100)
        #expect(p.allSatisfy { $0.text.utf8.count <= 100 && !$0.text.contains("\u{FFFD}") })
        #expect(p.map(\.text).joined() == text)
    }

    @Test("the limit leaves shorter paragraphs alone")
    func underTheLimit() {
        let text = "Первый абзац.\n\nВторой абзац, чуть длиннее первого."
        #expect(ParagraphSplitter.split(text, maxParagraphBytes: 64) == ParagraphSplitter.split(text))
        #expect(ParagraphSplitter.split(text, maxParagraphBytes: 63).count == 3)
        #expect(ParagraphSplitter.split(text).allSatisfy { $0.cutFrom == 0 })
    }
}
