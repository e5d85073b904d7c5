import Testing
import RecurKit

@Suite("E-mail and mbox")
struct EmailTests {
    @Test("multipart/alternative: quoted-printable windows-1251 text/plain is preferred over HTML") func alternative() throws {
        let (docs, diags) = read(try fixture("alternative-cp1251.eml"), as: "mail/alternative-cp1251.eml")
        #expect(diags.isEmpty, "\(diags)")
        let d = try #require(docs.first)
        #expect(docs.count == 1)
        #expect(d.format == .email)
        #expect(d.id == "mail/alternative-cp1251.eml")
        #expect(d.title == "Запрос: интеграция CRM")
        #expect(d.source == "romashka.ru")
        #expect(d.date?.iso8601 == "2024-03-05T10:20:00+03:00")
        #expect(d.dateOrigin == .header)
        #expect(d.encoding == "windows-1251")
        #expect(!d.text.contains("(HTML)"))
        #expect(!d.text.contains("\r"))
        #expect(d.text.hasPrefix("Здравствуйте!\n\nХотим подключить сквозную аналитику и интеграцию с CRM. Подскажите, пожалуйста, сроки — и стоимость работ."))
        let paragraphs = ParagraphSplitter.split(d.text)
        #expect(paragraphs.map(\.isQuote) == [false, false, true, false])
        #expect(paragraphs.map(\.isSignature) == [false, false, false, true])
        #expect(paragraphs.last?.text == "-- \nИван Петров\nООО Ромашка")
    }

    @Test("HTML is used when there is no text/plain part") func htmlOnly() throws {
        let eml = """
            From: Someone <x@Example.com>
            Subject: test
            Content-Type: multipart/alternative; boundary="b"

            --b
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            <p>First =E2=80=94 para</p><p>Second</p>
            --b--
            """
        let d = try #require(read(eml, as: "a.eml").documents.first)
        #expect(d.text == "First — para\n\nSecond")
        #expect(d.source == "example.com")
    }

    @Test("base64 parts, attachments skipped, forwarded message included, missing final boundary warned") func base64Mixed() throws {
        let (docs, diags) = read(try fixture("base64-mixed.eml"), as: "base64-mixed.eml", path: "in/fi/base64-mixed.eml")
        let d = try #require(docs.first)
        #expect(d.title == "Tarjouspyyntö verkkokauppa")
        #expect(d.source == "acme.fi")
        #expect(d.date?.iso8601 == "2024-03-05T10:20:00Z")
        #expect(d.text.contains("Voisitteko lähettää tarjouksen?"))
        #expect(d.text.contains("いつもお世話になっております。\n\nCRMとの連携を検討していただけますでしょうか。"))
        #expect(!d.text.contains("iVBOR"))
        #expect(diags.count == 1)
        #expect(diags.first?.severity == .warning)
        #expect(diags.first?.message.contains("closing boundary") == true)
        #expect(diags.first?.path == "in/fi/base64-mixed.eml")
    }

    @Test("bad base64 is a warning; the valid data is decoded") func badBase64() throws {
        let eml = "From: a@b.c\nContent-Transfer-Encoding: base64\n\nSGVs bG8g*d29y!bGQ=\n"
        let (docs, diags) = read(eml, as: "bad.eml")
        #expect(docs.first?.text == "Hello world")
        #expect(diags.count == 1)
        #expect(diags.first?.severity == .warning)
        #expect(diags.first?.message.contains("base64") == true)
    }

    @Test("RFC 2047 subjects and senders", arguments: [
        ("=?UTF-8?B?0J/RgNC40LLQtdGC?=", "Привет"),
        ("=?koi8-r?Q?=F0=D2=C9=D7=C5=D4_=CD=C9=D2?=", "Привет мир"),
        ("Re: =?ISO-8859-1?Q?P=E4ivi?= =?ISO-8859-1?Q?_H=E4m=E4l=E4inen?= here", "Re: Päivi Hämäläinen here"),
        ("=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=", "こんにちは"),
        ("=?bogus", "=?bogus"),
        ("plain subject", "plain subject"),
    ])
    func encodedWords(subject: String, expected: String) throws {
        let d = try #require(read("Subject: \(subject)\nFrom: =?UTF-8?Q?J=C3=B6rg?= <jorg>\n\nbody", as: "a.eml").documents.first)
        #expect(d.title == expected)
        #expect(d.source == "jorg")
    }

    @Test("the sender's domain is the source; without one, the file's folder", arguments: [
        ("From: Anna <anna@Romashka.RU>\n", "romashka.ru"), ("From: \"\" <>\n", "acme"), ("", "acme"), ("From:\n", "acme"),
    ])
    func sourceFallsBackToFolder(from: String, expected: String) throws {
        let d = try #require(read("\(from)Subject: x\n\nbody", as: "clients/acme/a.eml").documents.first)
        #expect(d.source == expected)
    }

    @Test("folded headers and an unreadable Date") func foldedHeaders() throws {
        let eml = "Subject: a long\n\tsubject line\nFrom: \"Acme\"\n  <sales@ACME.fi>\nDate: sometime soon\n\nBody\n"
        let (docs, diags) = read(eml, as: "x/2024-01-02.eml")
        let d = try #require(docs.first)
        #expect(d.title == "a long\tsubject line" || d.title == "a long subject line")
        #expect(d.source == "acme.fi")
        #expect(d.date?.day10 == "2024-01-02")
        #expect(d.dateOrigin == .path)
        #expect(diags.map(\.severity) == [.warning])
        #expect(diags.first?.message.contains("sometime soon") == true)
    }

    @Test("mbox: three messages, >From unescaped, ids and lines") func mbox() throws {
        let (docs, diags) = read(try fixture("three.mbox"), as: "box/three.mbox")
        #expect(diags.isEmpty, "\(diags)")
        #expect(docs.count == 3)
        #expect(docs.map(\.id) == ["box/three.mbox#1", "box/three.mbox#2", "box/three.mbox#3"])
        #expect(docs.map(\.line) == [1, 10, 18])
        #expect(docs.map(\.title) == ["First", "Second", "Third"])
        #expect(docs.map(\.source) == ["example.com", "example.org", "carol"])
        #expect(docs.allSatisfy { $0.format == .mbox })
        #expect(docs[0].text == "First message body.\n\nFrom the start, we wanted this.")
        #expect(docs[1].text == "Second message.\nFrom here on this line is not a separator.")
        #expect(docs[1].date?.iso8601 == "2024-03-06T11:00:00+01:00")
        #expect(docs[2].date?.day10 == "2024-03-07")  // from the envelope line
    }

    @Test("never traps on odd input", arguments: [
        "", "\n\n\n", "Content-Type: multipart/mixed; boundary=\n\nx", "Content-Type: multipart/mixed; boundary=\"q\"\n\n--q\n",
        "Content-Transfer-Encoding: quoted-printable\n\n=", "Content-Transfer-Encoding: quoted-printable\n\n=4", "Subject: =?x?Q?=?=\n\n",
        "Content-Type: message/rfc822\n\n", "From: <>\n\nx", "From: @\n\n",
    ])
    func oddInput(text: String) {
        _ = read(text, as: "odd.eml")
        _ = read(text, as: "odd.mbox")
        _ = read(text, as: "odd.html")
        _ = read(text, as: "odd.csv")
        _ = read(text, as: "odd.jsonl")
    }
}

@Suite("Robustness")
struct RobustnessTests {
    @Test("random and mutated inputs never trap, in every format") func fuzz() throws {
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let alphabet = Array("<>&#;=?\"'\r\n -From:{},[]\\/--boundary=xX0123456789abc>\u{3000}".utf8) + [0xC3, 0xA9, 0xFF, 0xD0, 0x1B]
        var inputs: [[UInt8]] = []
        for name in ["alternative-cp1251.eml", "base64-mixed.eml", "three.mbox", "form.html"] {
            let base = try fixture(name)
            for _ in 0..<25 {
                var bytes = base
                for _ in 0..<8 where !bytes.isEmpty {
                    let i = Int(next() % UInt64(bytes.count))
                    switch next() % 3 {
                    case 0: bytes[i] = alphabet[Int(next() % UInt64(alphabet.count))]
                    case 1: bytes.remove(at: i)
                    default: bytes.removeSubrange(i..<min(bytes.count, i + Int(next() % 40)))
                    }
                }
                inputs.append(bytes)
            }
        }
        for _ in 0..<100 {
            let count = Int(next() % 300)
            inputs.append((0..<count).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
        }
        let reader = DocumentReader()
        for bytes in inputs {
            for format in DocumentFormat.allCases + [nil] {
                let file = InputFile(path: "f", relativePath: "f", format: format)
                let (documents, _) = reader.read(file, bytes: bytes, modificationDate: nil)
                for d in documents { _ = ParagraphSplitter.split(d.text) }
            }
            _ = DateParser.parse(String(decoding: bytes.prefix(60), as: UTF8.self))
            _ = DateParser.dateInPath(String(decoding: bytes.prefix(60), as: UTF8.self))
        }
    }
}
