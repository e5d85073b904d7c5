import Foundation

/// Reads one file's bytes into documents.
public struct DocumentReader: Sendable {
    public var fields: FieldMapping
    public var decoder: CharsetDecoder
    /// Paragraphs longer than this, in bytes of UTF-8, are cut into pieces
    /// (`ParagraphSplitter.split(_:maxParagraphBytes:)`); for tests, smaller.
    public var maxParagraphBytes = ParagraphSplitter.maxParagraphBytes

    public init(fields: FieldMapping = FieldMapping(), decoder: CharsetDecoder = CharsetDecoder()) {
        self.fields = fields
        self.decoder = decoder
    }

    /// Reads `bytes` (the whole file) as `file.format`, or as the format sniffed from the content when that is nil.
    ///
    /// - Parameter modificationDate: the file's mtime (nil for standard input), the last fallback for a date.
    public func read(_ file: InputFile, bytes: [UInt8], modificationDate: DocumentDate?) -> (documents: [SourceDocument], diagnostics: [Diagnostic]) {
        var documents: [SourceDocument] = []
        let diagnostics = read(file, bytes: bytes, modificationDate: modificationDate) { documents.append($0) }
        return (documents, diagnostics)
    }

    /// `read(_:bytes:modificationDate:)` handing each document to `each` as soon as it is parsed, so
    /// that a file of many records (JSONL, CSV, mbox) is never held as documents all at once.
    ///
    /// - Returns: the file's diagnostics, in the same order.
    public func read(
        _ file: InputFile, bytes: [UInt8], modificationDate: DocumentDate?, each: (SourceDocument) -> Void
    ) -> [Diagnostic] {
        var bytes = bytes
        return read(file, bytes: &bytes, modificationDate: modificationDate, each: each)
    }

    /// `read(_:bytes:modificationDate:each:)` taking the caller's bytes over: a large JSONL or
    /// CSV file's bytes are let go (`bytes` emptied) as soon as they are decoded, so that the file
    /// is not held twice while its documents are read.
    func read(
        _ file: InputFile, bytes: inout [UInt8], modificationDate: DocumentDate?, each: (SourceDocument) -> Void
    ) -> [Diagnostic] {
        if Self.isBinary(bytes) {
            return [Diagnostic(.error, path: file.path, "binary file skipped")]
        }
        let isEmpty = bytes.isEmpty
        return withoutActuallyEscaping(each) { each in
            var context = ReadContext(reader: self, file: file, modificationDate: modificationDate, emit: each)
            // Stray NUL bytes in a text file (a few, or isBinary would have said binary) are dropped, not the file.
            if let first = bytes.firstIndex(of: 0), !Self.isUTF16(bytes) {
                let count = bytes.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
                bytes.removeAll { $0 == 0 }
                context.diagnostics.append(Diagnostic(.warning, path: file.path, byteOffset: first, "\(count) NUL byte\(count == 1 ? "" : "s") removed"))
            }
            let format = file.format ?? Self.sniff(bytes)
            switch format {
            case .text, .markdown, .html:
                context.readSingle(&bytes, format: format)
            case .email:
                context.readEmail(bytes[...], format: .email, id: file.relativePath, line: nil)
            case .mbox:
                context.readMbox(bytes)
            case .jsonl:
                context.readJSONL(&bytes)
            case .csv:
                context.readCSV(&bytes)
            }
            return context.finishDiagnostics(fileWasEmpty: isEmpty)
        }
    }

    /// The current year (UTC) when the program started, for telling dates that lie far in the future.
    static let currentYear: Int = { Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).year ?? 2026 }()

    /// A document dated after next year loses its date (a typo or a broken clock, e.g. 2204 or 2999):
    /// the warning saying so, or nil.
    static func undateFarFuture(_ document: inout SourceDocument, thisYear: Int) -> Diagnostic? {
        guard let date = document.date, date.year > thisYear + 1 else { return nil }
        let warning = Diagnostic(.warning, path: document.path, line: document.line,
                                 "date \(date) of \(document.id) lies in the future (after \(thisYear + 1)); the document is undated")
        document.date = nil
        document.dateOrigin = .none
        return warning
    }

    // MARK: - Sniffing

    /// A common binary magic number, or NULs and other control bytes (four or more) in more than 1 % of the first 8 KB
    /// (unless the data is UTF-16): a text file with a few stray NULs is still text.
    ///
    /// - Parameter count: the size of the whole file when `bytes` are its first bytes only (8 KB or more).
    static func isBinary(_ bytes: [UInt8], count: Int? = nil) -> Bool {
        let magics: [[UInt8]] = [
            Array("%PDF".utf8), [0x50, 0x4B, 0x03, 0x04], [0x89, 0x50, 0x4E, 0x47], Array("GIF8".utf8), [0xFF, 0xD8, 0xFF],
        ]
        if magics.contains(where: { bytes.starts(with: $0) }) { return true }
        let head = bytes.prefix(8192)
        // NULs and other C0 controls that text does not use (tab, newlines, form feed and escape are text).
        let controls = head.reduce(0) { count, b in
            (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B) || b == 0x7F ? count + 1 : count
        }
        guard controls >= 4, controls * 100 > head.count else { return false }
        return !isUTF16(bytes, count: count)
    }

    /// UTF-16 with a byte order mark, or recognizably without one.
    ///
    /// - Parameter count: the size of the whole file when `bytes` are its first bytes only (4 KB or more).
    static func isUTF16(_ bytes: [UInt8], count: Int? = nil) -> Bool {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return true }
        return bytes.withUnsafeBufferPointer { CharsetDecoder.utf16WithoutBOM($0, count: count) } != nil
    }

    /// The format content looks like: mbox, e-mail, HTML, JSONL, else text.
    static func sniff(_ bytes: [UInt8]) -> DocumentFormat {
        var start = bytes.startIndex
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        let head = bytes[start..<min(bytes.count, start + 64 * 1024)]
        if head.starts(with: Array("From ".utf8)) { return .mbox }
        let text = String(decoding: head, as: UTF8.self)
        let trimmed = text.drop { $0.isWhitespace }
        let lowerStart = trimmed.prefix(20).lowercased()
        if lowerStart.hasPrefix("<html") || lowerStart.hasPrefix("<!doctype") { return .html }
        // RFC 822 headers at the top: header-shaped lines up to a blank line, with From:, Date: or Subject:.
        var sawKeyHeader = false
        var headerLines = 0
        for l in ParagraphSplitter.splitLines(text).prefix(200) {
            if l.isEmpty { break }
            if l.first == " " || l.first == "\t" { if headerLines == 0 { headerLines = -1; break }; continue }
            guard let colon = l.firstIndex(of: ":"), colon != l.startIndex,
                  l[..<colon].allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { headerLines = -1; break }
            headerLines += 1
            let name = l[..<colon].asciiLowercased()
            if name == "from" || name == "date" || name == "subject" { sawKeyHeader = true }
        }
        if headerLines > 0 && sawKeyHeader { return .email }
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .filter { !$0.allSatisfy(\.isWhitespace) }
        if !lines.isEmpty && lines.allSatisfy({ $0.first { !$0.isWhitespace } == "{" }) { return .jsonl }
        return .text
    }
}

/// The state of reading one file.
struct ReadContext {
    let reader: DocumentReader
    let file: InputFile
    let modificationDate: DocumentDate?
    /// Receives each document as it is parsed.
    let emit: (SourceDocument) -> Void
    var diagnostics: [Diagnostic] = []
    /// `DocumentReader.undateFarFuture` warnings, reported after the parser's own diagnostics.
    var futureDateWarnings: [Diagnostic] = []
    /// Some document had text other than white space.
    var sawText = false

    init(reader: DocumentReader, file: InputFile, modificationDate: DocumentDate?, emit: @escaping (SourceDocument) -> Void) {
        self.reader = reader
        self.file = file
        self.modificationDate = modificationDate
        self.emit = emit
    }

    /// The file's diagnostics once it is read: the parser's, then the far-future date warnings,
    /// or a warning that the file held no text.
    mutating func finishDiagnostics(fileWasEmpty: Bool) -> [Diagnostic] {
        diagnostics += futureDateWarnings
        if diagnostics.isEmpty, !sawText {
            diagnostics.append(Diagnostic(.warning, path: file.path, fileWasEmpty ? "empty file" : "no text in this file (only white space)"))
        }
        return diagnostics
    }

    /// Hands a parsed document on (undated first when its date lies far in the future).
    mutating func add(_ document: SourceDocument) {
        var document = document
        if let warning = DocumentReader.undateFarFuture(&document, thisYear: DocumentReader.currentYear) {
            futureDateWarnings.append(warning)
        }
        if !sawText, !document.text.allSatisfy(\.isWhitespace) { sawText = true }
        emit(document)
    }

    var decoder: CharsetDecoder { reader.decoder }
    var fields: FieldMapping { reader.fields }

    /// The parent folder of the file: the last directory of relativePath, else of path, else "unknown".
    var defaultSource: String {
        func parent(_ p: String) -> String? {
            let components = p.split(separator: "/", omittingEmptySubsequences: true)
            guard components.count >= 2 else { return nil }
            let name = String(components[components.count - 2])
            return name == "." || name == ".." ? nil : name
        }
        if file.path == "-" { return "unknown" }
        return parent(file.relativePath) ?? parent(file.path) ?? "unknown"
    }

    mutating func warn(_ message: String, line: Int? = nil) {
        diagnostics.append(Diagnostic(.warning, path: file.path, line: line, message))
    }

    mutating func error(_ message: String, line: Int? = nil) {
        diagnostics.append(Diagnostic(.error, path: file.path, line: line, message))
    }

    mutating func noteInvalid(_ decoded: DecodedText, line: Int? = nil) {
        noteInvalid(decoded.invalidBytes, encoding: decoded.encoding, line: line)
    }

    /// Warns of `count` invalid byte sequences replaced in text decoded as `encoding`, if any.
    mutating func noteInvalid(_ count: Int, encoding: String, line: Int? = nil) {
        if count > 0 { warn("\(count) invalid bytes replaced (decoded as \(encoding))", line: line) }
    }

    /// Front matter / path / mtime / none.
    func fallbackDate() -> (DocumentDate?, DateOrigin) {
        if let d = DateParser.dateInPath(file.relativePath) { return (d, .path) }
        if let d = modificationDate { return (d, .modificationTime) }
        return (nil, .none)
    }

    // MARK: - Text, Markdown, HTML

    /// Reads a file that is one document. Its bytes are let go (`bytes` emptied) once decoded, so
    /// that a large file is not held twice while its document is analyzed.
    mutating func readSingle(_ bytes: inout [UInt8], format: DocumentFormat) {
        let declared = format == .html ? HTMLText.declaredCharset(bytes) : nil
        let decoded = decoder.decode(bytes, declared: declared)
        bytes = []
        noteInvalid(decoded)
        var text = decoded.text
        var frontMatter: FrontMatter?
        if format == .markdown, let front = Self.frontMatter(text) {
            text = front.rest
            frontMatter = front
        }
        var fields = singleDocumentFields(frontMatter: frontMatter)
        if format == .html {
            let html = HTMLText.convert(text)
            text = html.text
            fields.title = html.title
        }
        add(SourceDocument(
            id: file.relativePath, path: file.path, line: nil, format: format, date: fields.date, dateOrigin: fields.origin,
            source: fields.source, title: fields.title, text: text, encoding: decoded.encoding, invalidBytes: decoded.invalidBytes))
    }

    /// The title, source and date of a file that is one document: those its Markdown front matter
    /// gives (an unreadable date warned of), else no title, the file's folder and the fallback date.
    mutating func singleDocumentFields(frontMatter: FrontMatter?) -> (title: String?, source: String, date: DocumentDate?, origin: DateOrigin) {
        var title: String? = nil
        var source = defaultSource
        if let front = frontMatter {
            if let t = front.values["title"], !t.isEmpty { title = t }
            if let s = front.values["source"] ?? front.values["client"], !s.isEmpty { source = s }
            if let raw = front.values["date"], !raw.isEmpty {
                if let date = DateParser.parse(raw) { return (title, source, date, .frontMatter) }
                warn("unreadable date '\(raw)' in front matter", line: front.dateLine)
            }
        }
        let (date, origin) = fallbackDate()
        return (title, source, date, origin)
    }

    struct FrontMatter {
        var values: [String: String]
        var rest: String
        var dateLine: Int?
    }

    /// YAML front matter between a leading `---` line and the next `---` (or `...`) line: simple `key: value` lines.
    static func frontMatter(_ text: String) -> FrontMatter? {
        let lines = ParagraphSplitter.splitLines(text)
        guard let first = lines.first, first.ingestTrimmed() == "---" else { return nil }
        guard let close = lines.dropFirst().firstIndex(where: { let t = $0.ingestTrimmed(); return t == "---" || t == "..." })
        else { return nil }
        var values: [String: String] = [:]
        var dateLine: Int? = nil
        for (offset, line) in lines[1..<close].enumerated() {
            guard let colon = line.firstIndex(of: ":"), !line.hasPrefix(" "), !line.hasPrefix("#") else { continue }
            let key = line[..<colon].ingestTrimmed().asciiLowercased()
            var value = line[line.index(after: colon)...].ingestTrimmed()
            if value.count >= 2, (value.hasPrefix("\"") && value.hasSuffix("\"")) || (value.hasPrefix("'") && value.hasSuffix("'")) {
                value = String(value.dropFirst().dropLast())
            }
            if values[key] == nil {
                values[key] = value
                if key == "date" { dateLine = offset + 2 }
            }
        }
        // Keep the body's line structure; drop the blank lines that separated it from the front matter.
        var body = Array(lines[(close + 1)...])
        while let b = body.first, ParagraphSplitter.isBlank(b) { body.removeFirst() }
        return FrontMatter(values: values, rest: body.joined(separator: "\n"), dateLine: dateLine)
    }

    // MARK: - E-mail and mbox

    mutating func readEmail(_ bytes: ArraySlice<UInt8>, format: DocumentFormat, id: String, line: Int?, envelopeDate: DocumentDate? = nil) {
        var parser = MIMEParser(decoder: decoder, path: file.path, lineOffset: line ?? 0)
        let message = parser.parseMessage(bytes)
        diagnostics.append(contentsOf: parser.diagnostics)

        var date: DocumentDate? = nil
        var origin = DateOrigin.none
        if let raw = message.header("date"), !raw.isEmpty {
            if let d = DateParser.parse(raw) { (date, origin) = (d, .header) } else {
                warn("unreadable Date header '\(raw)'", line: line)
            }
        }
        if date == nil, let envelopeDate { (date, origin) = (envelopeDate, .header) }
        if date == nil {
            if format == .email { (date, origin) = fallbackDate() } else if let d = DateParser.dateInPath(file.relativePath) {
                (date, origin) = (d, .path)
            }
        }
        // The folder's name only when From gives no sender (it is a string split for each document).
        let source = message.header("from").flatMap(Self.sender) ?? defaultSource
        let subject = message.header("subject").flatMap { $0.isEmpty ? nil : $0 }

        let texts = message.parts.map { Self.trimBlankLines(Self.normalizeNewlines($0.text)) }.filter { !$0.isEmpty }
        let invalid = message.parts.reduce(0) { $0 + $1.invalidBytes }
        let encoding = message.parts.first?.encoding ?? "UTF-8"
        if invalid > 0 { warn("\(invalid) invalid bytes replaced (decoded as \(encoding))", line: line) }
        add(SourceDocument(
            id: id, path: file.path, line: line, format: format, date: date, dateOrigin: origin, source: source,
            title: subject, text: texts.joined(separator: "\n\n"), encoding: encoding, invalidBytes: invalid))
    }

    /// The sender's domain, lowercased; or the address when it has no domain.
    static func sender(_ from: String) -> String? {
        var address = from
        if let lt = from.lastIndex(of: "<"), let gt = from[lt...].firstIndex(of: ">") {
            address = String(from[from.index(after: lt)..<gt])
        } else if let token = from.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).first(where: { $0.contains("@") }) {
            address = String(token)
        }
        address = address.trimmingASCII(" \t\"'<>()")
        guard !address.isEmpty else { return nil }
        if let at = address.lastIndex(of: "@") {
            let domain = address[address.index(after: at)...].trimmingASCII(" .>")
            if !domain.isEmpty { return domain.asciiLowercased() }
        }
        return address
    }

    mutating func readMbox(_ bytes: [UInt8]) {
        var starts: [(offset: Int, line: Int)] = []
        var lines = MboxLines()
        _ = lines.scan(bytes[...], from: 0, final: true) { starts.append(($0, $1)) }
        if starts.isEmpty {
            error(MboxLines.noMessages)
            return
        }
        if let first = starts.first, first.offset > 0, MboxLines.hasText(bytes[0..<first.offset]) {
            warn(MboxLines.textBeforeFirstMessage, line: 1)
        }
        for (k, start) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1].offset : bytes.count
            readMboxMessage(bytes[start.offset..<end], number: k + 1, line: start.line)
        }
    }

    /// One mbox message, from its `From ` line (`line`) to the next one: the envelope date, then
    /// the message with mboxrd's `>From ` escapes undone.
    mutating func readMboxMessage(_ message: ArraySlice<UInt8>, number: Int, line: Int) {
        let fromLineEnd = message.firstIndex(of: 0x0A) ?? message.endIndex
        let envelope = String(decoding: message[message.startIndex..<fromLineEnd], as: UTF8.self)
        let envelopeDate = Self.envelopeDate(envelope)
        let body = fromLineEnd < message.endIndex ? Self.unescapeFrom(message[(fromLineEnd + 1)...]) : []
        readEmail(body[...], format: .mbox, id: file.relativePath + "#\(number)", line: line, envelopeDate: envelopeDate)
    }

    /// `From sender Tue Mar  5 10:20:00 2024` → the date after the sender.
    static func envelopeDate(_ line: String) -> DocumentDate? {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count == 3 else { return nil }
        return DateParser.parse(String(parts[2]))
    }

    /// mboxrd: a line `>From ` (or `>>From `...) loses one `>`.
    static func unescapeFrom(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var atLineStart = true
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if atLineStart && b == 0x3E {
                var j = i
                while j < bytes.endIndex, bytes[j] == 0x3E { j += 1 }
                if bytes[j..<bytes.endIndex].starts(with: [0x46, 0x72, 0x6F, 0x6D, 0x20]) {
                    i += 1  // drop one '>'
                    atLineStart = false
                    continue
                }
            }
            out.append(b)
            atLineStart = b == 0x0A
            i += 1
        }
        return out
    }

    static func normalizeNewlines(_ text: String) -> String {
        guard text.unicodeScalars.contains("\r") else { return text }
        return ParagraphSplitter.splitLines(text).joined(separator: "\n")
    }

    static func trimBlankLines(_ text: String) -> String { ParagraphSplitter.trimmingBlankLines(text) }

    // MARK: - Records (JSONL, CSV)

    /// Builds a record's document from its fields; reports a missing text or an unreadable date.
    mutating func addRecord(_ record: [String: String], format: DocumentFormat, line: Int, encoding: String, invalidBytes: Int) {
        guard let text = record[fields.text], !text.allSatisfy(\.isWhitespace) else {
            error("record has no text (field '\(fields.text)'); skipped", line: line)
            return
        }
        let idValue = record[fields.id].map { $0.ingestTrimmed() } ?? ""
        let id = file.relativePath + "#" + (idValue.isEmpty ? String(line) : idValue)
        var date: DocumentDate? = nil
        var origin = DateOrigin.none
        if let raw = record[fields.date]?.ingestTrimmed(), !raw.isEmpty {
            if let d = DateParser.parse(raw) { (date, origin) = (d, .field) } else {
                warn("unreadable date '\(raw)' in field '\(fields.date)'", line: line)
            }
        }
        let sourceValue = record[fields.source]?.ingestTrimmed() ?? ""
        let source = sourceValue.isEmpty ? defaultSource : sourceValue
        let title = (record["title"] ?? record["subject"]).flatMap { $0.isEmpty ? nil : $0 }
        add(SourceDocument(
            id: id, path: file.path, line: line, format: format, date: date, dateOrigin: origin, source: source,
            title: title, text: Self.normalizeNewlines(text), encoding: encoding, invalidBytes: invalidBytes))
    }

    /// Reads JSONL records; `bytes` is emptied once read (`readText`).
    mutating func readJSONL(_ bytes: inout [UInt8]) {
        readText(&bytes) { $0.readJSONL(utf8: $1, encoding: $2) }
    }

    /// Calls `read` with the text of a file of records as UTF-8 and its encoding; `bytes` is
    /// emptied once read. Valid UTF-8 is read from the bytes themselves; other encodings are
    /// decoded first (`bytes` emptied then, so that the file is not held twice).
    private mutating func readText(
        _ bytes: inout [UInt8], _ read: (inout ReadContext, UnsafeBufferPointer<UInt8>, String) -> Void
    ) {
        if let start = bytes.withUnsafeBufferPointer({ decoder.passThroughUTF8Start($0) }) {
            bytes.withUnsafeBufferPointer { read(&self, UnsafeBufferPointer(rebasing: $0[start...]), "UTF-8") }
            bytes = []
            return
        }
        let decoded = decoder.decode(bytes)
        bytes = []
        noteInvalid(decoded)
        var text = decoded.text
        text.withUTF8 { read(&self, $0, decoded.encoding) }
    }

    private mutating func readJSONL(utf8: UnsafeBufferPointer<UInt8>, encoding: String) {
        var lineNumber = 0
        _ = readJSONLSlice(utf8, final: true, encoding: encoding, lineNumber: &lineNumber)
    }

    /// Reads the JSONL lines of `utf8`, the first of them line `lineNumber + 1`, and returns how
    /// many of its bytes they took; `lineNumber` ends as the number of the last. Unless `final`
    /// (the text runs to the end of the file), only the lines up to the last LF are read: the
    /// rest waits for more text (`DocumentReader.readRecordsInSlices`).
    mutating func readJSONLSlice(_ utf8: UnsafeBufferPointer<UInt8>, final: Bool, encoding: String, lineNumber: inout Int) -> Int {
        if final {
            readJSONLLines(utf8, encoding: encoding, lineNumber: &lineNumber)
            return utf8.count
        }
        guard let lf = utf8.lastIndex(of: 0x0A) else { return 0 }
        // Cut before the LF (and the CR of a CRLF): the lines and their numbers are the whole text's.
        let end = lf > 0 && utf8[lf - 1] == 0x0D ? lf - 1 : lf
        readJSONLLines(UnsafeBufferPointer(rebasing: utf8[0..<end]), encoding: encoding, lineNumber: &lineNumber)
        return lf + 1
    }

    private mutating func readJSONLLines(_ utf8: UnsafeBufferPointer<UInt8>, encoding: String, lineNumber: inout Int) {
        // Line by line: a large export is not held as an array of lines besides its text.
        ParagraphSplitter.forEachLine(utf8: utf8) { line in
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { return }
            guard let data = line.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            else {
                error("malformed JSON; line skipped", line: lineNumber)
                return
            }
            guard let dictionary = object as? [String: Any] else {
                error("not a JSON object; line skipped", line: lineNumber)
                return
            }
            var record: [String: String] = [:]
            for (key, value) in dictionary {
                if let rendered = Self.render(value) { record[key] = rendered }
            }
            addRecord(record, format: .jsonl, line: lineNumber, encoding: encoding, invalidBytes: 0)
        }
    }

    /// A JSON scalar as text: strings as they are, integral numbers without ".0".
    static func render(_ value: Any) -> String? {
        if let s = value as? String { return s }
        if value is NSNull { return nil }
        if let n = value as? NSNumber {
            #if canImport(Darwin)
            if CFGetTypeID(n) == CFBooleanGetTypeID() { return n.boolValue ? "true" : "false" }
            #endif
            let d = n.doubleValue
            if d.isFinite, d == d.rounded(), abs(d) < 9.0e15 { return String(Int64(d)) }
            if let i = value as? Int { return String(i) }
            return n.stringValue
        }
        return nil  // arrays and objects are not document fields
    }

    /// Reads CSV records; `bytes` is emptied once read (`readText`). The records are cut out of
    /// the text's UTF-8.
    mutating func readCSV(_ bytes: inout [UInt8]) {
        readText(&bytes) { $0.readCSV(utf8: $1, encoding: $2) }
    }

    private mutating func readCSV(utf8: UnsafeBufferPointer<UInt8>, encoding: String) {
        var state = CSVSliceState()
        _ = readCSVSlice(utf8, final: true, encoding: encoding, state: &state)
        finishCSV(state)
    }

    /// Where a CSV file read piece by piece stands: its header once read, and the line the next piece starts on.
    struct CSVSliceState {
        var header: [String]?
        var line = 1
    }

    /// Reads the CSV records of `utf8`, the text from line `state.line` on, and returns how many of
    /// its bytes they took. Unless `final` (the text runs to the end of the file), a record is
    /// read only when its line break lies in `utf8` and is not a CR that may yet be followed by an
    /// LF: the rest waits for more text (`DocumentReader.readRecordsInSlices`).
    mutating func readCSVSlice(_ utf8: UnsafeBufferPointer<UInt8>, final: Bool, encoding: String, state: inout CSVSliceState) -> Int {
        var parser = CSVParser(utf8, line: state.line)
        while true {
            let start = parser.position, startLine = parser.line
            guard let row = parser.next() else { break }
            if !final {
                let end = parser.position
                let complete: Bool
                if case .record = row {
                    complete = utf8[end - 1] == 0x0A || (utf8[end - 1] == 0x0D && end < utf8.count)
                } else {
                    complete = false  // an open quote may close in the text still to come
                }
                if !complete {
                    state.line = startLine
                    return start
                }
            }
            switch row {
            case .unbalancedQuote(let line):
                error("unbalanced quote in CSV row; row skipped", line: line)
            case .record(let values, let line):
                if values.count == 1 && values[0].isEmpty { continue }  // empty line
                guard let names = state.header else {
                    state.header = values.map { $0.ingestTrimmed() }
                    continue
                }
                guard values.count == names.count else {
                    error("CSV row has \(values.count) columns, the header has \(names.count); row skipped", line: line)
                    continue
                }
                var record: [String: String] = [:]
                for (name, value) in zip(names, values) where record[name] == nil { record[name] = value }
                // Column names are matched exactly, else without case.
                for key in [fields.id, fields.date, fields.source, fields.text, "title", "subject"] where record[key] == nil {
                    if let k = names.firstIndex(where: { $0.lowercased() == key.lowercased() }) { record[key] = values[k] }
                }
                addRecord(record, format: .csv, line: line, encoding: encoding, invalidBytes: 0)
            }
        }
        state.line = parser.line
        return utf8.count
    }

    /// The end of a CSV file: a warning when it had no header.
    mutating func finishCSV(_ state: CSVSliceState) {
        if state.header == nil { warn("empty CSV file") }
    }
}

/// RFC 4180 records: quoted fields with "" escapes, newlines inside quotes, CRLF.
struct CSVParser {
    enum Row {
        case record([String], line: Int)
        /// A quoted field runs to the end of the file; parsing resumes on the line after the row's start.
        case unbalancedQuote(line: Int)
    }

    /// UTF-8: the delimiters are ASCII, and no byte of a multi-byte sequence is, so fields are
    /// cut out of the bytes as they are (1 byte per byte, not 4 per scalar, for large exports).
    let s: UnsafeBufferPointer<UInt8>
    var position = 0
    var line = 1

    /// - Parameters:
    ///   - utf8: must stay valid while the parser is used.
    ///   - line: the line number of its first byte.
    init(_ utf8: UnsafeBufferPointer<UInt8>, line: Int = 1) {
        s = utf8
        self.line = line
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D

    mutating func next() -> Row? {
        guard position < s.count else { return nil }
        let (quote, comma, lf, cr) = (Self.quote, Self.comma, Self.lf, Self.cr)
        let startPosition = position
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var i = position
        var currentLine = line
        while true {
            // Start of a field.
            if i < s.count, s[i] == quote {
                i += 1
                var closed = false
                while i < s.count {
                    let c = s[i]
                    if c == quote {
                        if i + 1 < s.count, s[i + 1] == quote { field.append(quote); i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    if c == lf || (c == cr && !(i + 1 < s.count && s[i + 1] == lf)) { currentLine += 1 }
                    field.append(c)
                    i += 1
                }
                if !closed {
                    // Resume after the row's first line.
                    var j = startPosition
                    while j < s.count, s[j] != lf, s[j] != cr { j += 1 }
                    if j < s.count, s[j] == cr { j += 1 }
                    if j < s.count, s[j] == lf, j > 0, s[j - 1] != lf { j += 1 }
                    position = j
                    line = startLine + 1
                    return .unbalancedQuote(line: startLine)
                }
            }
            // Rest of the field (unquoted text, or stray characters after a closing quote).
            let rest = i
            while i < s.count, s[i] != comma, s[i] != lf, s[i] != cr { i += 1 }
            field.append(contentsOf: s[rest..<i])
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            if i >= s.count {
                position = i
                line = currentLine
                return .record(fields, line: startLine)
            }
            if s[i] == comma { i += 1; continue }
            // End of record.
            if s[i] == cr, i + 1 < s.count, s[i + 1] == lf { i += 2 } else { i += 1 }
            position = i
            line = currentLine + 1
            return .record(fields, line: startLine)
        }
    }
}
