import Foundation

/// Writes archive files one by one; multi-document files (mbox, JSONL, CSV) are appended to as documents arrive.
final class ArchiveWriter {
    let root: URL
    private(set) var bytesWritten = 0
    private(set) var filesByFormat: [String: Int] = [:]
    private var handles: [String: FileHandle] = [:]
    private var createdDirectories = Set<String>()
    private(set) var recordCounts: [String: Int] = [:]

    init(root: URL) { self.root = root }

    private func ensureDirectory(of relative: String) throws {
        guard let slash = relative.lastIndex(of: "/") else { return }
        let dir = String(relative[..<slash])
        if createdDirectories.contains(dir) { return }
        try FileManager.default.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true)
        createdDirectories.insert(dir)
    }

    private static func format(of path: String) -> String {
        String(path.split(separator: ".").last ?? "")
    }

    /// Writes a whole file.
    func write(_ relative: String, _ bytes: [UInt8], counted: Bool = true) throws {
        try ensureDirectory(of: relative)
        let url = root.appendingPathComponent(relative)
        guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes)) else {
            throw CorpusError.io("cannot write \(url.path)")
        }
        if counted {
            bytesWritten += bytes.count
            filesByFormat[Self.format(of: relative), default: 0] += 1
        }
    }

    /// Appends to a multi-document file, creating it with `header` first; returns the 1-based record number.
    @discardableResult
    func append(_ relative: String, _ bytes: [UInt8], header: [UInt8] = []) throws -> Int {
        let handle: FileHandle
        if let h = handles[relative] {
            handle = h
        } else {
            try ensureDirectory(of: relative)
            let url = root.appendingPathComponent(relative)
            guard FileManager.default.createFile(atPath: url.path, contents: Data(header)),
                  let h = FileHandle(forWritingAtPath: url.path) else { throw CorpusError.io("cannot write \(url.path)") }
            h.seekToEndOfFile()
            handles[relative] = h
            handle = h
            bytesWritten += header.count
            filesByFormat[Self.format(of: relative), default: 0] += 1
        }
        try handle.write(contentsOf: Data(bytes))
        bytesWritten += bytes.count
        recordCounts[relative, default: 0] += 1
        return recordCounts[relative]!
    }

    func closeAll() throws {
        for key in handles.keys.sorted() { try handles[key]!.close() }
        handles.removeAll()
    }
}

public enum CorpusError: Error, CustomStringConvertible {
    case io(String)
    case usage(String)

    public var description: String {
        switch self {
        case .io(let s): return s
        case .usage(let s): return s
        }
    }
}

/// Renders documents into the archive's formats.
enum Render {
    static func text(_ doc: DocContent) -> String {
        doc.paragraphs.map(\.text).joined(separator: "\n\n")
    }

    // MARK: E-mail

    static func email(_ doc: DocContent, client: Client, newline nl: String, rng: inout SplitMix64) -> [UInt8] {
        let pack = LanguagePack.pack(client.lang)
        let charset = doc.charset
        let offset = WorkCalendar.utcOffset(client.lang, doc.moment.day)
        let second = rng.int(60)
        var h: [String] = []
        let display = client.person.full
        h.append("From: \(MIME.headerWord(display, charset: charset, newline: nl)) <\(client.person.email)@\(client.id)>")
        h.append("To: \(MIME.headerWord(pack.agencyName, charset: charset, newline: nl)) <\(pack.agencyAddress)>")
        h.append("Subject: \(MIME.headerWord(doc.subject, charset: charset, newline: nl))")
        h.append("Date: \(doc.moment.rfc5322(offset: offset, second: second))")
        h.append("Message-ID: <\(doc.messageID)>")
        if let parent = doc.inReplyTo {
            h.append("In-Reply-To: <\(parent)>")
            h.append("References: <\(parent)>")
        }
        h.append("MIME-Version: 1.0")
        let body = text(doc)
        let plain = Legacy.encode(body.replacingOccurrences(of: "\n", with: nl), charset) ?? Array(body.utf8)
        func part(_ text: String, _ type: String, _ cs: String, _ transfer: TransferEncoding) -> [String] {
            var lines = ["Content-Type: \(type); charset=\"\(cs)\"", "Content-Transfer-Encoding: \(transfer.rawValue)", ""]
            switch transfer {
            case .base64:
                let bytes = Legacy.encode(text.replacingOccurrences(of: "\n", with: nl), cs) ?? Array(text.utf8)
                lines.append(MIME.base64Lines(bytes, newline: nl))
            case .quotedPrintable, .eightBit, .sevenBit:
                lines.append(MIME.quotedPrintable(Legacy.encode(text, cs) ?? Array(text.utf8), newline: nl))
            }
            return lines
        }
        var out: [UInt8] = []
        func add(_ s: String) { out += Array(s.utf8) }
        if client.htmlAlternative {
            let boundary = "----=_Part_\(rng.int(in: 100_000...999_999))_\(rng.int(in: 1_000_000...9_999_999))"
            h.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            add(h.joined(separator: nl) + nl + nl)
            add("--\(boundary)" + nl)
            add(part(body, "text/plain", charset, client.transfer == .base64 ? .base64 : .quotedPrintable).joined(separator: nl) + nl)
            add("--\(boundary)" + nl)
            let html = htmlPart(doc, lang: client.lang)
            add(part(html, "text/html", charset, .base64).joined(separator: nl) + nl)
            add("--\(boundary)--" + nl)
            return out
        }
        h.append("Content-Type: text/plain; charset=\"\(charset)\"")
        h.append("Content-Transfer-Encoding: \(client.transfer.rawValue)")
        add(h.joined(separator: nl) + nl + nl)
        switch client.transfer {
        case .base64: add(MIME.base64Lines(plain, newline: nl) + nl)
        case .quotedPrintable: add(MIME.quotedPrintable(Legacy.encode(body, charset) ?? Array(body.utf8), newline: nl) + nl)
        case .eightBit, .sevenBit:
            out += plain
            add(nl)
        }
        return out
    }

    static func htmlPart(_ doc: DocContent, lang: CorpusLanguage) -> String {
        var s = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body>"
        for p in doc.paragraphs {
            s += "<div>" + escape(p.text).replacingOccurrences(of: "\n", with: "<br>") + "</div><div><br></div>"
        }
        return s + "</body></html>"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// One mbox message: the `From ` line, the message with LF line ends, `>From ` escaping, a blank line.
    static func mboxMessage(_ doc: DocContent, client: Client, rng: inout SplitMix64) -> [UInt8] {
        var msg = email(doc, client: client, newline: "\n", rng: &rng)
        // mboxrd escaping of body lines that start with (>*)From .
        var escaped: [UInt8] = []
        escaped.reserveCapacity(msg.count)
        var lineStart = true
        var i = 0
        while i < msg.count {
            if lineStart {
                var j = i
                while j < msg.count && msg[j] == UInt8(ascii: ">") { j += 1 }
                if msg.count - j >= 5 && Array(msg[j..<(j + 5)]) == Array("From ".utf8) { escaped.append(UInt8(ascii: ">")) }
            }
            escaped.append(msg[i])
            lineStart = msg[i] == UInt8(ascii: "\n")
            i += 1
        }
        msg = escaped
        let fromLine = "From \(client.person.email)@\(client.id) \(doc.moment.asctime(second: 0))\n"
        return Array(fromLine.utf8) + msg + Array("\n".utf8)
    }

    // MARK: Web form

    static func form(_ doc: DocContent, client: Client, number: Int) -> [UInt8] {
        let pack = LanguagePack.pack(client.lang)
        var s = "<!DOCTYPE html>\n<html lang=\"\(client.lang.rawValue)\">\n<head>\n<meta charset=\"utf-8\">\n"
        s += "<title>\(escape(pack.web.titlePrefix)) #\(number) - Kaiku Digital</title>\n"
        s += "<style>body{font-family:sans-serif;max-width:48em;margin:auto}.loader{display:none}</style>\n"
        s += "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}</script>\n"
        s += "</head>\n<body>\n"
        var inMain = false
        for p in doc.paragraphs {
            let t = escape(p.text)
            switch p.role {
            case .web where p.text == pack.web.nav:
                s += "<header><nav><p>\(t)</p></nav></header>\n"
            case .web where p.text == pack.web.loading:
                s += "<div class=\"loader\">\(t)</div>\n"
            case .web where p.text == pack.web.heading:
                s += "<main>\n<h1>\(t)</h1>\n"
                inMain = true
            case .web where p.text == pack.web.afterForm.first:
                if inMain { s += "</main>\n"; inMain = false }
                s += "<aside>\n<h3>\(t)</h3>\n"
            case .web where pack.web.afterForm.dropFirst().contains(p.text):
                s += "<p class=\"note\">\(t)</p>\n</aside>\n<footer>\n"
            case .web:
                s += "<p>\(t)</p>\n"
            case .formField:
                s += "<p class=\"field\">\(t)</p>\n"
            default:
                s += "<p>\(t.replacingOccurrences(of: "\n", with: "<br>\n"))</p>\n"
            }
        }
        s += "</footer>\n</body>\n</html>\n"
        return Array(s.utf8)
    }

    // MARK: Notes

    static func textNote(_ doc: DocContent) -> [UInt8] {
        let body = text(doc) + "\n"
        return Legacy.encode(body, doc.charset) ?? Array(body.utf8)
    }

    static func markdownNote(_ doc: DocContent, client: Client) -> [UInt8] {
        let head = "---\ndate: \(doc.moment.day.iso)\nsource: \(client.id)\ntitle: \(doc.subject)\n---\n\n"
        return Array((head + text(doc) + "\n").utf8)
    }

    // MARK: Tickets

    static func jsonString(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 {
                    out += "\\u00" + String(decoding: [hexDigit(c.value >> 4), hexDigit(c.value & 15)], as: UTF8.self)
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }

    private static func hexDigit(_ v: UInt32) -> UInt8 { Array("0123456789abcdef".utf8)[Int(v)] }

    static func jsonlRecord(id: String, date: String, source: String, subject: String, text: String) -> [UInt8] {
        Array("{\"id\":\(jsonString(id)),\"date\":\(jsonString(date)),\"source\":\(jsonString(source)),\"subject\":\(jsonString(subject)),\"text\":\(jsonString(text))}\n".utf8)
    }

    static func csvField(_ s: String) -> String {
        if s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    static func csvRecord(_ fields: [String]) -> [UInt8] {
        Array((fields.map(csvField).joined(separator: ",") + "\r\n").utf8)
    }
}
