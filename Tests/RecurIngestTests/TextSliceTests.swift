import Foundation
@testable import RecurKit
import Testing

/// A large plain-text file is read a slice at a time (`DocumentReader.readTextInSlices`): the same
/// document, paragraphs and diagnostics as the whole file read and split at once, wherever the
/// slices cut it.
@Suite("Plain text read in slices")
struct TextSliceTests {
    /// Paragraphs of every kind: Cyrillic, Finnish and Japanese text (multi-byte sequences for the
    /// slices to cut), a paragraph longer than most slices, a quote run inside a paragraph, lines of
    /// white space (U+3000 among them), a signature separator and a paragraph after it.
    static func text(_ newline: String, leading: String = "", trailing: String = "") -> [UInt8] {
        let paragraphs = [
            "Нужна интеграция с CRM.\nИ сквозная аналитика.",
            "Hyvää päivää,\n> lainattu rivi\n> toinen rivi\ntakaisin tekstiin.",
            "CRM連携の見積もりをお願いします。",
            String(repeating: "сквозная аналитика, ", count: 60),
            "\u{3000}\t",
            "-- \nИван, менеджер",
            "После подписи.",
        ]
        return Array((leading + paragraphs.joined(separator: "\n\n") + trailing).replacingOccurrences(of: "\n", with: newline).utf8)
    }

    /// One paragraph per line: no blank line between the lines.
    static let perLine = Array("\n\nПервый пост канала\nВторой пост канала\n> цитата\nТретий пост\n\n".utf8)

    typealias Read = (document: SourceDocument?, paragraphs: [RawParagraph], diagnostics: [Diagnostic])

    /// Calls `body` with `bytes` written to a temporary file (removed after), open for reading, and its path.
    static func withFile<R>(_ bytes: [UInt8], _ body: (_ fd: Int32, _ path: String) throws -> R) throws -> R {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recur-text-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let fd = open(url.path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        return try body(fd, url.path)
    }

    /// Reads `bytes` from a temporary file in slices (nil: not read so) and whole.
    static func readBoth(
        _ bytes: [UInt8], sliceSize: Int, format: DocumentFormat = .text, reader: DocumentReader = DocumentReader()
    ) throws -> (slices: Read?, whole: Read) {
        try withFile(bytes) { fd, path in try readBoth(bytes, fd: fd, path: path, sliceSize: sliceSize, format: format, reader: reader) }
    }

    private static func readBoth(
        _ bytes: [UInt8], fd: Int32, path: String, sliceSize: Int, format: DocumentFormat, reader: DocumentReader
    ) throws -> (slices: Read?, whole: Read) {
        let file = InputFile(path: path, relativePath: "notes/2024-03-05-notes.txt", format: format)
        var document: SourceDocument?
        var paragraphs: [RawParagraph] = []
        let sliced = reader.readTextInSlices(
            file, fd: fd, modificationDate: nil, sliceSize: sliceSize,
            document: { document = $0 }, paragraphs: { paragraphs += $0 })
        var documents: [SourceDocument] = []
        let diagnostics = reader.read(file, bytes: bytes, modificationDate: nil) { documents.append($0) }
        var whole = documents.first
        let split = whole.map { ParagraphSplitter.split($0.text, maxParagraphBytes: reader.maxParagraphBytes) } ?? []
        whole?.text = ""
        return (sliced.map { (document, paragraphs, $0) }, (whole, split, diagnostics))
    }

    @Test("the same document, paragraphs and diagnostics as the whole file, wherever the slices cut", arguments: [1, 2, 3, 5, 64, 4096])
    func sameAsWhole(sliceSize: Int) throws {
        let variants: [[UInt8]] = [
            Self.text("\n"), Self.text("\r\n"), Self.text("\r"), Self.text("\n", leading: "\n \n", trailing: "\n\n\n"),
            Self.text("\r\n", trailing: "\r\n"), [0xEF, 0xBB, 0xBF] + Self.text("\n"),
            Self.perLine, Array(Self.perLine.map { $0 == 0x0A ? 0x0D : $0 }),
            Array("one line only".utf8), Array(" \n\t\n\u{3000}\n".utf8),
        ]
        for bytes in variants {
            let (slices, whole) = try Self.readBoth(bytes, sliceSize: sliceSize)
            let read = try #require(slices)
            #expect(read.document == whole.document)
            #expect(read.paragraphs == whole.paragraphs)
            #expect(read.diagnostics == whole.diagnostics)
        }
        // The main variants are what they should be, so that "the same" means something.
        for newline in ["\n", "\r\n", "\r"] {
            let whole = try Self.readBoth(Self.text(newline), sliceSize: sliceSize).whole
            #expect(whole.paragraphs.map(\.line) == [1, 4, 5, 7, 9, 11, 15, 18])
            #expect(whole.paragraphs.map(\.isQuote) == [false, false, true, false, false, false, false, false])
            #expect(whole.paragraphs.map(\.isSignature) == [false, false, false, false, false, false, true, true])
            #expect(whole.document?.date == DocumentDate(year: 2024, month: 3, day: 5))
        }
        let lines = try Self.readBoth(Self.perLine, sliceSize: sliceSize).whole.paragraphs
        #expect(lines.map(\.text) == ["Первый пост канала", "Второй пост канала", "> цитата", "Третий пост"])
        #expect(try Self.readBoth(variants.last!, sliceSize: sliceSize).whole.diagnostics.map(\.message) == ["no text in this file (only white space)"])
    }

    @Test("an HTML page read in slices, converted as it is read: the same document (title, charset), paragraphs and diagnostics as whole",
          arguments: [1, 2, 3, 5, 64, 4096])
    func htmlSameAsWhole(sliceSize: Int) throws {
        func encoded(_ text: String, _ charset: String) throws -> [UInt8] {
            try #require(CharsetDecoder.encode(text, as: charset))
        }
        let body = """
            <body><h1>Нужна интеграция</h1><p>С CRM &amp; сквозная аналитика,&nbsp;отчёты.</p>
            <!-- <p>не текст</p> --><script>document.write("<p>нет</p>")</script>
            <blockquote><p>Цитата письма</p></blockquote><pre>строка 1
            строка 2</pre><p>-- <br>Иван</p><p>После подписи.</p></body></html>
            """
        let titled = "<html><head><title>Заявка &laquo;CRM&raquo;</title></head>" + body
        let japanese = "<html><head><title>見積もり</title></head><body><p>CRM連携の見積もりをお願いします。</p><p>日本語の段落です。</p></body></html>"
        let variants: [(name: String, bytes: [UInt8], title: String?, encoding: String?)] = [
            ("UTF-8 with a title", Array(titled.utf8), "Заявка «CRM»", "UTF-8"),
            ("no title", Array(("<html>" + body).utf8), nil, "UTF-8"),
            ("the title at the end", Array(("<html>" + body + "<title>Поздно</title>").utf8), "Поздно", "UTF-8"),
            ("an empty title, then one", Array(("<title> </title>" + body + "<title>Второй</title>").utf8), "Второй", "UTF-8"),
            ("declared windows-1251", try encoded("<html><head><meta charset=\"windows-1251\"><title>Заявка</title></head>" + body, "windows-1251"), "Заявка", "windows-1251"),
            ("declared windows-1251, only ASCII", Array("<meta http-equiv=Content-Type content='text/html; charset=windows-1251'><p>only ascii</p><p>two</p>".utf8), nil, "windows-1251"),
            ("Shift_JIS, detected", try encoded(japanese, "Shift_JIS"), "見積もり", nil),
            ("UTF-16LE with a BOM", [0xFF, 0xFE] + (try encoded(titled, "UTF-16LE")), "Заявка «CRM»", "UTF-16LE"),
            ("lines by <br> only", Array("<p>Первый пост<br>Второй пост<br>Третий пост</p>".utf8), nil, "UTF-8"),
            ("an invalid byte", Array(titled.utf8) + [0xFF] + Array("<p>после</p>".utf8), "Заявка «CRM»", nil),
            ("ends inside a comment", Array((titled + "<!-- never closed <p>x</p>").utf8), "Заявка «CRM»", "UTF-8"),
        ]
        for (name, bytes, title, encoding) in variants {
            let (slices, whole) = try Self.readBoth(bytes, sliceSize: sliceSize, format: .html)
            let read = try #require(slices, "\(name)")
            #expect(read.document == whole.document, "\(name)")
            #expect(read.paragraphs == whole.paragraphs, "\(name)")
            #expect(read.diagnostics == whole.diagnostics, "\(name)")
            #expect(whole.document?.title == title, "\(name)")
            if let encoding { #expect(whole.document?.encoding == encoding, "\(name)") }
            #expect(whole.paragraphs.count >= 2, "\(name)")
        }
        // What the text is, so that "the same" means something.
        let whole = try Self.readBoth(Array(titled.utf8), sliceSize: sliceSize, format: .html).whole
        #expect(whole.paragraphs.map(\.text).first == "Нужна интеграция")
        #expect(whole.paragraphs.contains { $0.isQuote } && whole.paragraphs.contains { $0.isSignature })
        #expect(!whole.paragraphs.contains { $0.text.contains("нет") || $0.text.contains("не текст") })
    }

    @Test("progress moves during the passes before the paragraphs, and adds up to the file's size once",
          arguments: ["UTF-8", "windows-1251", "UTF-8 Markdown", "UTF-8 HTML"])
    func progressThroughPasses(kind: String) throws {
        // About 200 KB: 50 slices of 4 KB.
        let body = String(repeating: String(decoding: Self.text("\n"), as: UTF8.self) + "\n\n", count: 200)
        let text = kind.hasSuffix("Markdown") ? "---\ntitle: x\n---\n" + body
            : kind.hasSuffix("HTML") ? "<title>x</title><p>" + body.replacingOccurrences(of: "\n\n", with: "</p><p>") + "</p>" : body
        let bytes = kind == "windows-1251"
            ? try #require(CharsetDecoder.encode(String(text.unicodeScalars.filter { $0.isASCII || (0x400...0x4FF).contains($0.value) }), as: "windows-1251"))
            : Array(text.utf8)
        var steps: [Int] = []
        var atFirstParagraph: Int?
        let diagnostics = try Self.withFile(bytes) { fd, path in
            DocumentReader().readTextInSlices(
                InputFile(path: path, relativePath: "notes.txt", format: kind.hasSuffix("Markdown") ? .markdown : kind.hasSuffix("HTML") ? .html : .text),
                fd: fd, modificationDate: nil, sliceSize: 4096, read: { steps.append($0) },
                document: { _ in }, paragraphs: { _ in if atFirstParagraph == nil { atFirstParagraph = steps.reduce(0, +) } })
        }
        #expect(diagnostics != nil)
        // The earlier passes (checking UTF-8, the charset's evidence, decoding for invalid
        // sequences) reported something, a small share: a 32nd of each pass.
        let early = try #require(atFirstParagraph)
        // windows-1251: the evidence and the invalid count; HTML: the UTF-8 check and the pass to its title.
        let passes = kind == "windows-1251" || kind.hasSuffix("HTML") ? 2 : 1
        #expect(early > 0 && early <= passes * bytes.count / 32 + 4096)
        #expect(steps.allSatisfy { $0 >= 0 })
        #expect(steps.reduce(0, +) == bytes.count)
    }

    @Test("pass progress: a 32nd of the earlier passes, at most half the file, then the rest in proportion")
    func passProgress() {
        var progress = PassProgress(size: 1000)
        #expect(progress.early(320) == 10 && progress.early(31) == 0 && progress.early(1) == 1)
        #expect(progress.early(100_000) == 489)  // capped at half the file
        #expect(progress.last(250, of: 1000) == 125 && progress.last(750, of: 1000) == 375)
        #expect(progress.reported == 1000 && progress.last(10, of: 1000) == 0)
        var empty = PassProgress(size: 10)
        #expect(empty.last(0, of: 0) == 10)
    }

    @Test("a file in another charset is decoded a slice at a time: the same as the whole file", arguments: [1, 2, 3, 5, 64, 4096])
    func decodedSameAsWhole(sliceSize: Int) throws {
        func encoded(_ bytes: [UInt8], _ charset: String) throws -> [UInt8] {
            try #require(CharsetDecoder.encode(String(decoding: bytes, as: UTF8.self), as: charset))
        }
        /// `text` with only its ASCII and the letters of `range` (Cyrillic, CJK and kana).
        func only(_ range: ClosedRange<UInt32>, of text: [UInt8]) -> [UInt8] {
            Array(String(String(decoding: text, as: UTF8.self).unicodeScalars.filter { $0.isASCII || range.contains($0.value) }).utf8)
        }
        func cyrillic(_ text: [UInt8]) -> [UInt8] { only(0x400...0x4FF, of: text) }
        func japanese(_ text: [UInt8]) -> [UInt8] { only(0x3000...0x9FFF, of: text) }
        var variants = IncrementalCharsetTests.samples.map { (name: $0.name, bytes: $0.bytes, encoding: String?.none) }
        variants += [
            ("windows-1251, CRLF", try encoded(cyrillic(Self.text("\r\n")), "windows-1251"), "windows-1251"),
            ("windows-1251, a paragraph per line", try encoded(Self.perLine, "windows-1251"), "windows-1251"),
            ("Shift_JIS", try encoded(japanese(Self.text("\n")), "Shift_JIS"), "Shift_JIS"),
            ("UTF-16LE with a BOM, CR", [0xFF, 0xFE] + (try encoded(Self.text("\r"), "UTF-16LE")), "UTF-16LE"),
            ("UTF-8 with a form feed", Array("Первый абзац.\u{0C}\n\nВторой абзац.\n".utf8), "UTF-8"),
            ("windows-1251, only white space", try encoded(Array("\u{A0}\n \n".utf8), "windows-1251"), nil),
        ]
        for (name, bytes, encoding) in variants {
            let (slices, whole) = try Self.readBoth(bytes, sliceSize: sliceSize)
            let read = try #require(slices, "\(name)")
            #expect(read.document == whole.document, "\(name)")
            #expect(read.paragraphs == whole.paragraphs, "\(name)")
            #expect(read.diagnostics == whole.diagnostics, "\(name)")
            if let encoding { #expect(read.document?.encoding == encoding, "\(name)") }
            #expect(!whole.paragraphs.isEmpty || name.contains("white space"), "\(name)")
        }
        // A forced encoding decodes every file with it, in slices as whole.
        let forced = DocumentReader(decoder: CharsetDecoder(forcedEncoding: "KOI8-R"))
        let (slices, whole) = try Self.readBoth(try encoded(cyrillic(Self.text("\n")), "windows-1251"), sliceSize: sliceSize, reader: forced)
        #expect(slices?.paragraphs == whole.paragraphs && slices?.document?.encoding == "KOI8-R")
        // An invalid byte is counted once, and warned of in both.
        var broken = try encoded(japanese(Self.text("\n")), "Shift_JIS")
        broken.append(0x81)
        let brokenRead = try Self.readBoth(broken, sliceSize: sliceSize)
        #expect(brokenRead.slices?.diagnostics == brokenRead.whole.diagnostics)
        #expect(brokenRead.whole.diagnostics.map(\.message) == ["1 invalid bytes replaced (decoded as Shift_JIS)"])
    }

    /// Markdown files: with front matter (title, client, date; closed by `---` or `...`), without,
    /// with an unreadable date, with a first `---` line never closed, with blank lines before the
    /// body, with only front matter, and one whose first `---` is closed by a rule far below.
    static func markdown(_ newline: String) -> [(name: String, bytes: [UInt8])] {
        let body = String(decoding: text("\n"), as: UTF8.self)
        let variants = [
            ("front matter", "---\ntitle: Встреча\nclient: Агроцентр\ndate: 2023-05-06\n---\n" + body),
            ("front matter closed by ...", "---\ntitle: \"Palaveri\"\n...\n\n\n" + body),
            ("no front matter", "# Заметки\n\n" + body),
            ("an unreadable date", "---\ndate: someday\nsource: acme\n---\n" + body),
            ("never closed", "---\ntitle: x\n" + body),
            ("only front matter", "---\ntitle: x\n---\n\n"),
            ("closed by a rule far below", "---\n" + body + "\n---\n" + body),
        ]
        return variants.map { ($0.0 + ", " + (newline == "\n" ? "LF" : newline == "\r\n" ? "CRLF" : "CR"),
                               Array($0.1.replacingOccurrences(of: "\n", with: newline).utf8)) }
    }

    @Test("a Markdown file read in slices: the same document (front matter and all), paragraphs and diagnostics", arguments: [1, 2, 3, 5, 64, 4096])
    func markdownSameAsWhole(sliceSize: Int) throws {
        var variants = ["\n", "\r\n", "\r"].flatMap { Self.markdown($0) }
        // Decoded a slice at a time: the body starts at a byte of the decoded text.
        let russian = String(decoding: Self.markdown("\r\n")[0].bytes, as: UTF8.self).unicodeScalars
            .filter { $0.isASCII || (0x400...0x4FF).contains($0.value) }
        variants.append(("front matter, windows-1251", try #require(CharsetDecoder.encode(String(String.UnicodeScalarView(russian)), as: "windows-1251"))))
        for (name, bytes) in variants {
            let (slices, whole) = try Self.readBoth(bytes, sliceSize: sliceSize, format: .markdown)
            let read = try #require(slices, "\(name)")
            #expect(read.document == whole.document, "\(name)")
            #expect(read.paragraphs == whole.paragraphs, "\(name)")
            #expect(read.diagnostics == whole.diagnostics, "\(name)")
            #expect(read.document?.format == .markdown, "\(name)")
        }
        // What the front matter gives, so that "the same" means something.
        let front = try Self.readBoth(Self.markdown("\r\n")[0].bytes, sliceSize: sliceSize, format: .markdown).whole
        #expect(front.document?.title == "Встреча" && front.document?.source == "Агроцентр")
        #expect(front.document?.date == DocumentDate(year: 2023, month: 5, day: 6) && front.document?.dateOrigin == .frontMatter)
        #expect(front.paragraphs.first?.line == 1 && front.paragraphs.count == 8)
        let unreadable = try Self.readBoth(Self.markdown("\n")[3].bytes, sliceSize: sliceSize, format: .markdown).whole
        #expect(unreadable.diagnostics.map(\.message) == ["unreadable date 'someday' in front matter"] && unreadable.diagnostics.first?.line == 2)
        #expect(try Self.readBoth(Self.markdown("\n")[4].bytes, sliceSize: sliceSize, format: .markdown).whole.paragraphs.first?.text == "---\ntitle: x\nНужна интеграция с CRM.\nИ сквозная аналитика.")
    }

    @Test("front matter larger than the limit is left to the whole-file path")
    func largeFrontMatter() throws {
        let bytes = Array(("---\n" + String(repeating: "key: value\n", count: 100) + "---\nbody\n").utf8)
        try Self.withFile(bytes) { fd, path in
            let text = SliceableText(fd: fd, path: path, sliceSize: 64, start: 0, charset: "UTF-8", isDecoded: false)
            let small = try #require(text.pass(from: 0))
            #expect(DocumentReader.frontMatter(of: small, limit: 512) == nil)
            let large = try #require(text.pass(from: 0))
            let found = try #require(DocumentReader.frontMatter(of: large, limit: 4096))
            #expect(found.matter?.values["key"] == "value" && found.bodyStart == bytes.count - 5)
        }
    }

    @Test("paragraphs over the limit are cut the same in slices as whole", arguments: [1, 7, 64, 4096])
    func longParagraphs(sliceSize: Int) throws {
        var reader = DocumentReader()
        reader.maxParagraphBytes = 120
        let long = String(repeating: "сквозная аналитика по заявкам ", count: 30)
        let variants: [[UInt8]] = [
            Self.text("\n"), Self.text("\r\n", trailing: "\r\n"), Self.perLine,
            Array(("Короткий.\n\n" + long + "\n\n" + long.replacingOccurrences(of: " ", with: "\n")).utf8),
            try #require(CharsetDecoder.encode("Короткий.\n\n" + long, as: "windows-1251")),
        ]
        for bytes in variants {
            let (slices, whole) = try Self.readBoth(bytes, sliceSize: sliceSize, reader: reader)
            let read = try #require(slices)
            #expect(read.paragraphs == whole.paragraphs)
            #expect(read.paragraphs.contains { $0.cutFrom > 0 } || bytes == Self.perLine)
            #expect(read.paragraphs.allSatisfy { $0.text.utf8.count <= 120 })
        }
    }

    @Test("a file the whole-file path would change before decoding or skip is left to it (nothing read)")
    func fallsBack() throws {
        var withNUL = Self.text("\n")
        withNUL.insert(0, at: 10)
        let legacyWithNUL = try #require(CharsetDecoder.encode("Нужна интеграция с CRM.\u{0}\n\nСмета.", as: "windows-1251"))
        for bytes in [withNUL, legacyWithNUL, Array("%PDF-1.4\n".utf8) + Self.text("\n"), []] {
            #expect(try Self.readBoth(bytes, sliceSize: 7).slices == nil)
        }
        #expect(try Self.readBoth(Self.text("\n"), sliceSize: 7, format: .email).slices == nil)
        // The same bytes without the NUL are read in slices, so that "left to it" means something.
        #expect(try Self.readBoth(legacyWithNUL.filter { $0 != 0 }, sliceSize: 7).slices != nil)
    }

    @Test("the analysis stage reads a text file over its threshold in slices, in parts, with the same result")
    func stageReadsInSlices() throws {
        let bytes = Self.text("\r\n") + Self.text("\n", leading: "\n\n")
        let stage = try SlicedStage(bytes, name: "notes.txt", format: .text)
        let whole = stage.whole.documents
        #expect(whole.count == 1 && whole[0].paragraphs.count == 16 && stage.whole.byteCount == bytes.count)
        stage.expectSame()
        // In parts of 5 paragraphs: the same paragraphs, in 4 parts.
        let parted = try SlicedStage(bytes, name: "notes.txt", format: .text) { $0.partParagraphs = 5 }
        #expect(parted.sliced.documents.map(\.paragraphs.count) == [5, 5, 5, 1])
        #expect(parted.sliced.documents.map(\.continuesPrevious) == [false, true, true, true])
        #expect(parted.sliced.documents.flatMap(\.paragraphs) == whole[0].paragraphs)
        // A file in KOI8-R, decoded in slices: the same analyzed paragraphs, in Russian.
        let russian = String(String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { $0.isASCII || (0x400...0x4FF).contains($0.value) })
        let koi8 = try SlicedStage(try #require(CharsetDecoder.encode(russian, as: "KOI8-R")), name: "notes.txt", format: .text)
        koi8.expectSame()
        #expect(koi8.sliced.documents.first?.document.encoding == "KOI8-R")
        #expect(koi8.sliced.documents.flatMap(\.paragraphs).filter { $0.analysis.language == .ru }.count >= 8)
        // A Markdown file with front matter: its title, client and date, and the same paragraphs.
        let markdown = try SlicedStage(Self.markdown("\r\n")[0].bytes, name: "meeting.md", format: .markdown)
        markdown.expectSame()
        #expect(markdown.sliced.documents.first?.document.source == "Агроцентр")
    }
}
