import Testing
import RecurKit

@Suite("Text, Markdown and HTML files")
struct HTMLAndMarkdownTests {
    @Test("front matter is read and removed") func frontMatter() throws {
        let md = "---\ntitle: \"CRM request\"\ndate: 2024-03-05\nclient: 'acme.fi'\ntags: [a, b]\n---\n\n# Heading\n\nBody text.\n"
        let (docs, diags) = read(md, as: "notes/2023-01-01-x.md")
        #expect(diags.isEmpty)
        let d = try #require(docs.first)
        #expect(d.format == .markdown)
        #expect(d.title == "CRM request")
        #expect(d.source == "acme.fi")
        #expect(d.date?.day10 == "2024-03-05")
        #expect(d.dateOrigin == .frontMatter)
        #expect(d.text == "# Heading\n\nBody text.\n")
        #expect(d.id == "notes/2023-01-01-x.md")
    }

    @Test("an unreadable front-matter date is a warning, then the path date is used") func badFrontMatterDate() throws {
        let (docs, diags) = read("---\ndate: next Tuesday\nsource: acme\n---\nText", as: "in/2024-02-03/a.md")
        let d = try #require(docs.first)
        #expect(d.date?.day10 == "2024-02-03")
        #expect(d.dateOrigin == .path)
        #expect(d.source == "acme")
        #expect(diags.count == 1)
        #expect(diags.first?.severity == .warning)
        #expect(diags.first?.line == 2)
        #expect(diags.first?.message.contains("next Tuesday") == true)
    }

    @Test("dates fall back to the path, then mtime, then none; source to the parent folder") func fallbacks() throws {
        let mtime = DocumentDate(year: 2022, month: 7, day: 1, hour: 9, hasTime: true)
        let a = try #require(read("x", as: "clients/acme/2024-05-06.txt", modificationDate: mtime).documents.first)
        #expect(a.date?.day10 == "2024-05-06")
        #expect(a.dateOrigin == .path)
        #expect(a.source == "acme")
        let b = try #require(read("x", as: "note.txt", path: "archive/inbox/note.txt", modificationDate: mtime).documents.first)
        #expect(b.date == mtime)
        #expect(b.dateOrigin == .modificationTime)
        #expect(b.source == "inbox")
        let c = try #require(read("x", as: "note.txt").documents.first)
        #expect(c.date == nil)
        #expect(c.dateOrigin == DateOrigin.none)
        #expect(c.source == "unknown")
        let md = try #require(read("---\nno: close\nText", as: "a.md").documents.first)
        #expect(md.text == "---\nno: close\nText")  // not front matter without its closing line
    }

    @Test("HTML form submission: tags, scripts, entities, form fields, quotes") func formSubmission() throws {
        let (docs, diags) = read(try fixture("form.html"), as: "site/form.html")
        #expect(diags.isEmpty, "\(diags)")
        let d = try #require(docs.first)
        #expect(d.encoding == "windows-1251")
        #expect(d.title == "Заявка с сайта «Ромашка»")
        #expect(d.text == """
            Новая заявка

            Имя

            Мария & Ко

            Добрый день!

            Нужна интеграция с CRM — срочно.

            > Старое сообщение

            > вторая строка

            Цена: 5 000₽ — © 2024
            Телефон: +7…
            """)
        #expect(!d.text.contains("abc123"))
        #expect(!d.text.contains("not text"))
        #expect(!d.text.contains("hidden"))
        #expect(!d.text.contains("Отправить"))
        let paragraphs = ParagraphSplitter.split(d.text)
        #expect(paragraphs.filter(\.isQuote).map(\.text) == ["> Старое сообщение", "> вторая строка"])
    }

    @Test("HTML entities", arguments: [
        ("<p>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</p>", "a & b <c> \"d\" 'e'"),
        ("<p>&laquo;x&raquo; &mdash; &ndash; &hellip; &copy; &reg;</p>", "«x» — – … © ®"),
        ("<p>&#1055;&#x440;&#X438;&#1074;&#1077;&#1090;</p>", "Привет"),
        ("<p>&unknown; &amp &#0; &#xFFFFFFFFFFFF; &#;</p>", "&unknown; & \u{FFFD} \u{FFFD} &#;"),
        ("<p>a&nbsp;&nbsp; b</p>", "a b"),
        ("<div>one<br>two<br/><br />three</div><li>four</li>", "one\ntwo\n\nthree\n\nfour"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a\n\nb"),
        ("x < y and <3", "x < y and <3"),
        ("<p title='a>b'>text</p>", "text"),
        ("<pre>line 1\n  line 2</pre>", "line 1\nline 2"),
    ])
    func entities(html: String, expected: String) throws {
        let d = try #require(read(html, as: "a.html").documents.first)
        #expect(d.text == expected)
    }

    @Test("sniffing formats of standard input") func sniffing() throws {
        func format(_ text: String) -> DocumentFormat? {
            let file = InputFile(path: "-", relativePath: "-", format: nil)
            return DocumentReader().read(file, bytes: Array(text.utf8), modificationDate: nil).documents.first?.format
        }
        #expect(format("<!DOCTYPE html><p>x</p>") == .html)
        #expect(format("  <html><body>x</body></html>") == .html)
        #expect(format("From: a@b.fi\nSubject: hi\n\nbody") == .email)
        #expect(format("From a@b Tue Mar  5 10:20:00 2024\nSubject: x\n\nbody") == .mbox)
        #expect(format("{\"text\": \"a\"}\n\n  {\"text\": \"b\"}\n") == .jsonl)
        #expect(format("Dear team: hello\n\nplain") == .text)
        #expect(format("just text") == .text)
    }

    @Test("binary files are skipped", arguments: [
        Array("%PDF-1.4\n".utf8), [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A],
        Array("GIF89a".utf8), [0xFF, 0xD8, 0xFF, 0xE0], (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) },
        Array("ELF".utf8) + [UInt8](repeating: 0, count: 64) + Array("text".utf8),
    ])
    func binary(bytes: [UInt8]) {
        let (docs, diags) = read(bytes, as: "a.txt")
        #expect(docs.isEmpty)
        #expect(diags.map(\.message) == ["binary file skipped"])
        #expect(diags.first?.severity == .error)
    }

    @Test("a few stray NUL bytes are removed with a warning giving the offset; the text is kept") func strayNULs() throws {
        let bytes = Array("Хотим интеграцию с CRM.".utf8) + [0] + Array(" Нужна аналитика.".utf8) + [0]
        let (docs, diags) = read(bytes, as: "a.txt")
        #expect(docs.first?.text == "Хотим интеграцию с CRM. Нужна аналитика.")
        #expect(diags.map(\.message) == ["2 NUL bytes removed"])
        #expect(diags.first?.byteOffset == Array("Хотим интеграцию с CRM.".utf8).count)
        #expect(diags.first?.severity == .warning)
    }

    @Test("a date after next year is dropped with a warning naming the document") func farFutureDate() throws {
        let text = "---\ndate: 2999-01-01\n---\nХотим интеграцию с CRM.\n"
        let (docs, diags) = read(Array(text.utf8), as: "notes/a.md")
        let doc = try #require(docs.first)
        #expect(doc.date == nil && doc.dateOrigin == .none)
        #expect(diags.contains { $0.message.contains("2999-01-01") && $0.message.contains("future") && $0.severity == .warning }, "\(diags)")
        let (recent, quiet) = read(Array("---\ndate: 2024-05-01\n---\nТекст.\n".utf8), as: "notes/b.md")
        #expect(recent.first?.date?.year == 2024 && quiet.isEmpty)
    }

    @Test("UTF-16 is not binary; invalid bytes are reported") func utf16AndInvalid() throws {
        let utf16 = try #require(CharsetDecoder.encode("Привет, мир! Hello world.", as: "UTF-16LE"))
        let d = try #require(read(utf16, as: "a.txt").documents.first)
        #expect(d.text == "Привет, мир! Hello world.")
        let file = InputFile(path: "in/c.txt", relativePath: "c.txt", format: .text)
        let reader = DocumentReader(decoder: CharsetDecoder(forcedEncoding: "UTF-8"))
        let bytes: [UInt8] = Array("Hello ".utf8) + [0xC3] + Array(" world".utf8)
        let (docs, diags) = reader.read(file, bytes: bytes, modificationDate: nil)
        let bad = try #require(docs.first)
        #expect(bad.invalidBytes == 1)
        #expect(bad.text == "Hello \u{FFFD} world")
        #expect(diags.map(\.message) == ["1 invalid bytes replaced (decoded as UTF-8)"])
        #expect(diags.first?.severity == .warning)
    }
}
