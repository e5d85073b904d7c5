import Testing
import RecurKit

@Suite("JSONL and CSV records")
struct RecordTests {
    @Test("JSONL: a malformed line in the middle is an error with its line; the rest is read") func jsonl() throws {
        let text = """
            {"id": 17, "date": "2024-03-05", "source": "acme.fi", "text": "First request", "subject": "CRM"}
            {"id": "a-2", "text": "Second request", "date": "05.03.2024 10:20"}
            {"text": broken
            
            {"date": "2024-03-06", "text": "Third, no id"}
            {"id": 4, "text": ""}
            [1, 2]
            {"id": 5.5, "text": "Fifth", "date": "soon"}
            {"id": 1e3, "text": "Sixth\\n\\nwith paragraphs"}
            """
        let (docs, diags) = read(text, as: "exports/inquiries.jsonl")
        #expect(docs.map(\.id) == ["exports/inquiries.jsonl#17", "exports/inquiries.jsonl#a-2", "exports/inquiries.jsonl#5",
                                   "exports/inquiries.jsonl#5.5", "exports/inquiries.jsonl#1000"])
        #expect(docs.map(\.line) == [1, 2, 5, 8, 9])
        #expect(docs.map(\.text) == ["First request", "Second request", "Third, no id", "Fifth", "Sixth\n\nwith paragraphs"])
        #expect(docs[0].source == "acme.fi")
        #expect(docs[1].source == "exports")
        #expect(docs[0].title == "CRM")
        #expect(docs[0].date?.day10 == "2024-03-05")
        #expect(docs[0].dateOrigin == .field)
        #expect(docs[1].date?.iso8601 == "2024-03-05T10:20:00")
        #expect(docs[3].date == nil)
        #expect(docs[3].dateOrigin == DateOrigin.none)
        #expect(docs.allSatisfy { $0.format == .jsonl && $0.path == "exports/inquiries.jsonl" })
        #expect(diags.map(\.line) == [3, 6, 7, 8])
        #expect(diags.map(\.severity) == [.error, .error, .error, .warning])
        #expect(diags.allSatisfy { $0.path == "exports/inquiries.jsonl" })
    }

    @Test("field mapping") func mapping() throws {
        let fields = FieldMapping(id: "ticket", date: "created", source: "client", text: "body")
        let jsonl = #"{"ticket": "T-1", "created": "2024-01-02", "client": "Acme", "body": "Hello", "text": "ignored"}"#
        let j = try #require(read(jsonl, as: "t.jsonl", fields: fields).documents.first)
        #expect(j.id == "t.jsonl#T-1")
        #expect(j.text == "Hello")
        #expect(j.source == "Acme")
        #expect(j.date?.day10 == "2024-01-02")
        let csv = "Ticket,Created,Client,Body\r\nT-2,2024-01-03,Beta,Hi there\r\n"
        let c = try #require(read(csv, as: "t.csv", fields: fields).documents.first)
        #expect(c.id == "t.csv#T-2")
        #expect(c.text == "Hi there")
        #expect(c.source == "Beta")
        let (none, diags) = read(#"{"text": "x"}"#, as: "t.jsonl", fields: fields)
        #expect(none.isEmpty)
        #expect(diags.first?.message.contains("body") == true)
    }

    @Test("CSV: quoted newlines, escaped quotes, CRLF, a bad row") func csv() throws {
        let text = "id,date,source,text\r\n"
            + "1,2024-03-05,acme,\"Line one\r\n\r\nline \"\"two\"\"\"\r\n"
            + "2,2024-03-06,beta\r\n"
            + "3,,,\"Plain, with comma\"\r\n"
            + "\r\n"
            + "4,31.02.2024,gamma,Bad date\r\n"
        let (docs, diags) = read(text, as: "in/data.csv")
        #expect(docs.map(\.id) == ["in/data.csv#1", "in/data.csv#3", "in/data.csv#4"])
        #expect(docs.map(\.line) == [2, 6, 8])
        #expect(docs[0].text == "Line one\n\nline \"two\"")
        #expect(docs[0].source == "acme")
        #expect(docs[0].date?.day10 == "2024-03-05")
        #expect(docs[1].text == "Plain, with comma")
        #expect(docs[1].source == "in")
        #expect(docs[2].date == nil)
        #expect(diags.map(\.line) == [5, 8])
        #expect(diags.map(\.severity) == [.error, .warning])
        #expect(diags[0].path == "in/data.csv")
    }

    @Test("CSV: an unbalanced quote is an error naming its row; later rows are still read") func unbalanced() throws {
        let text = "id,text\n1,ok\n2,\"never closed\n3,still read\n"
        let (docs, diags) = read(text, as: "u.csv")
        #expect(docs.map(\.text) == ["ok", "still read"])
        #expect(diags.map(\.line) == [3])
        #expect(diags.first?.severity == .error)
        let (tail, tailDiags) = read("id,text\n1,ok\n2,\"open at the end", as: "v.csv")
        #expect(tail.count == 1)
        #expect(tailDiags.map(\.line) == [3])
    }

    @Test("CSV in windows-1251 is decoded before parsing") func legacyCSV() throws {
        let bytes = try #require(CharsetDecoder.encode("id,text\n1,\"Здравствуйте, нужна интеграция с CRM и сквозная аналитика\"\n", as: "windows-1251"))
        let d = try #require(read(bytes, as: "r.csv").documents.first)
        #expect(d.text == "Здравствуйте, нужна интеграция с CRM и сквозная аналитика")
        #expect(d.encoding == "windows-1251")
    }

    /// The same records as valid UTF-8 (read from the file's own bytes), behind a UTF-8 BOM, and
    /// as UTF-16 and windows-1251 (decoded first): the same documents and diagnostics, only the
    /// encoding told apart.
    @Test("JSONL and CSV read alike from UTF-8 bytes and from decoded text", arguments: ["t.jsonl", "t.csv"])
    func passThroughAndDecoded(name: String) throws {
        let text = name.hasSuffix(".jsonl")
            ? "{\"id\": 1, \"date\": \"2024-03-05\", \"text\": \"Нужна интеграция с CRM\"}\r\n{\"text\": broken\n\n{\"id\": 3, \"text\": \"Hyvää päivää\\n\\nraportointi\"}"
            : "id,date,text\r\n1,2024-03-05,Нужна интеграция с CRM\n2,2024-03-06,\"unbalanced\n3,2024-03-07,\"Hyvää päivää\n\nraportointi\"\n"
        let utf8 = read(text, as: name)
        #expect(utf8.documents.count == 2)
        #expect(!utf8.diagnostics.isEmpty)
        #expect(utf8.documents.allSatisfy { $0.encoding == "UTF-8" })
        func same(_ other: (documents: [SourceDocument], diagnostics: [Diagnostic]), encoding: String) {
            #expect(other.documents.map(\.id) == utf8.documents.map(\.id))
            #expect(other.documents.map(\.text) == utf8.documents.map(\.text))
            #expect(other.documents.map(\.line) == utf8.documents.map(\.line))
            #expect(other.documents.map(\.date) == utf8.documents.map(\.date))
            #expect(other.documents.allSatisfy { $0.encoding == encoding })
            #expect(other.diagnostics.map(\.message) == utf8.diagnostics.map(\.message))
            #expect(other.diagnostics.map(\.line) == utf8.diagnostics.map(\.line))
        }
        same(read([0xEF, 0xBB, 0xBF] + Array(text.utf8), as: name), encoding: "UTF-8")
        let utf16 = try #require(CharsetDecoder.encode(text, as: "UTF-16LE"))
        same(read([0xFF, 0xFE] + utf16, as: name), encoding: "UTF-16LE")
        let cyrillic = text.replacingOccurrences(of: "Hyvää päivää", with: "Добрый день")
        let expected = read(cyrillic, as: name)
        let legacy = read(try #require(CharsetDecoder.encode(cyrillic, as: "windows-1251")), as: name)
        #expect(legacy.documents.map(\.text) == expected.documents.map(\.text))
        #expect(legacy.documents.allSatisfy { $0.encoding == "windows-1251" })
    }
}
