/// RFC 822 / MIME messages: headers, multipart bodies, transfer encodings, encoded words.
struct MIMEParser {
    let decoder: CharsetDecoder
    /// The path diagnostics name.
    let path: String
    /// Added to diagnostics' lines (the message's first line in its file, minus one).
    var lineOffset: Int = 0
    var diagnostics: [Diagnostic] = []
    /// Detect every part's charset from its bytes even when the part declares one (for measuring detection).
    var ignoresDeclaredCharsets = false

    struct Header {
        var name: String   // lowercased
        var value: String  // unfolded, encoded words decoded
    }

    struct TextPart {
        var text: String
        var encoding: String
        var invalidBytes: Int
        var isHTML: Bool
        /// The charset the part declared, if any.
        var declared: String? = nil
    }

    struct Message {
        var headers: [Header]
        var parts: [TextPart]

        func header(_ name: String) -> String? { MIMEParser.value(of: name, in: headers) }
    }

    init(decoder: CharsetDecoder, path: String, lineOffset: Int = 0) {
        self.decoder = decoder
        self.path = path
        self.lineOffset = lineOffset
    }

    mutating func parseMessage(_ bytes: ArraySlice<UInt8>) -> Message {
        let (headers, body) = splitHeaders(bytes)
        let parts = entityText(headers: headers, body: body, depth: 0)
        return Message(headers: headers, parts: parts)
    }

    // MARK: - Headers

    /// The headers recur reads (lowercased); the others are skipped without being decoded.
    static let readHeaders = ["date", "from", "subject", "content-type", "content-transfer-encoding", "content-disposition"]
    private static let readHeaderBytes = readHeaders.map { Array($0.utf8) }

    /// The name in `readHeaders` that `name` is, ignoring ASCII case; nil for any other header.
    static func readHeaderName(_ name: ArraySlice<UInt8>) -> String? {
        for (k, wanted) in readHeaderBytes.enumerated() where wanted.count == name.count {
            if zip(wanted, name).allSatisfy({ $0 == ASCIIBytes.lowercased($1) }) { return readHeaders[k] }
        }
        return nil
    }

    /// The value of header `name` (lowercased) in `headers`; nil for a header not in `readHeaders`,
    /// which `splitHeaders` does not keep.
    static func value(of name: String, in headers: [Header]) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// Splits an entity into its unfolded headers (those in `readHeaders`) and its body.
    mutating func splitHeaders(_ bytes: ArraySlice<UInt8>) -> ([Header], ArraySlice<UInt8>) {
        var rawHeaders: [(name: String, value: [UInt8])] = []
        // Whether the last header line began a header that is kept (its folded lines join it).
        var keepingLast = false
        var sawHeader = false
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let lineEnd = bytes[i..<end].firstIndex(of: 0x0A) ?? end
            var line = bytes[i..<lineEnd]
            if line.last == 0x0D { line = line.dropLast() }
            let next = lineEnd < end ? lineEnd + 1 : end
            if line.isEmpty { i = next; break }
            if let first = line.first, first == 0x20 || first == 0x09 {
                if sawHeader {
                    if keepingLast { rawHeaders[rawHeaders.count - 1].value.append(contentsOf: line) }
                    i = next
                    continue
                }
                break
            }
            guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
                  line[line.startIndex..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
            else { break }  // not a header: the body starts here
            sawHeader = true
            keepingLast = false
            if let name = Self.readHeaderName(line[line.startIndex..<colon]) {
                rawHeaders.append((name, Array(line[(colon + 1)...])))
                keepingLast = true
            }
            i = next
        }
        let headers = rawHeaders.map { Header(name: $0.name, value: decodeHeaderValue($0.value)) }
        return (headers, bytes[i..<end])
    }

    private func decodeHeaderValue(_ bytes: [UInt8]) -> String {
        let text: String
        if bytes.allSatisfy({ $0 < 0x80 }) {
            text = String(decoding: bytes, as: UTF8.self)
        } else {
            text = decoder.decode(bytes).text  // raw 8-bit header: detect its charset
        }
        return decodeEncodedWords(text).ingestTrimmed()
    }

    /// RFC 2047 `=?charset?B?...?=` and `=?charset?Q?...?=`; whitespace between adjacent encoded words is dropped.
    ///
    /// Works on the UTF-8 bytes: every delimiter is ASCII, so other text is copied through untouched.
    func decodeEncodedWords(_ text: String) -> String {
        guard text.utf8.containsAdjacent(UInt8(ascii: "="), UInt8(ascii: "?")) else { return text }
        var text = text
        return text.withUTF8 { s -> String in
            var out: [UInt8] = []
            out.reserveCapacity(s.count)
            var pendingSpace = 0..<0
            var lastWasEncoded = false
            var i = 0
            while i < s.count {
                if s[i] == UInt8(ascii: "="), i + 1 < s.count, s[i + 1] == UInt8(ascii: "?"), let (decoded, after) = encodedWord(s, at: i) {
                    if !lastWasEncoded { out += s[pendingSpace] }
                    pendingSpace = i..<i
                    out += decoded.utf8
                    lastWasEncoded = true
                    i = after
                    continue
                }
                if s[i] == UInt8(ascii: " ") || s[i] == UInt8(ascii: "\t") {
                    if pendingSpace.isEmpty { pendingSpace = i..<i }
                    pendingSpace = pendingSpace.lowerBound..<(i + 1)
                    i += 1
                    continue
                }
                out += s[pendingSpace]
                pendingSpace = i..<i
                out.append(s[i])
                lastWasEncoded = false
                i += 1
            }
            out += s[pendingSpace]
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// One encoded word starting at `start` (`=?charset?E?text?=`): its text and the index after it.
    private func encodedWord(_ s: UnsafeBufferPointer<UInt8>, at start: Int) -> (String, Int)? {
        var j = start + 2
        let charsetStart = j
        while j < s.count, s[j] != UInt8(ascii: "?") {
            guard s[j] < 0x80, s[j] != UInt8(ascii: " ") else { return nil }
            j += 1
        }
        var charset = String(decoding: UnsafeBufferPointer(rebasing: s[charsetStart..<min(j, s.count)]), as: UTF8.self)
        guard j + 2 < s.count, s[j + 2] == UInt8(ascii: "?") else { return nil }
        let encoding = s[j + 1]
        j += 3
        let payloadStart = j
        while j + 1 < s.count, !(s[j] == UInt8(ascii: "?") && s[j + 1] == UInt8(ascii: "=")) {
            guard s[j] < 0x80, s[j] != UInt8(ascii: " ") else { return nil }
            j += 1
        }
        guard j + 1 < s.count, !charset.isEmpty else { return nil }
        let payload = Array(s[payloadStart..<j])
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }  // RFC 2231 language
        let bytes: [UInt8]
        switch encoding {
        case UInt8(ascii: "B"), UInt8(ascii: "b"): bytes = Self.base64Decode(payload[...]).bytes
        case UInt8(ascii: "Q"), UInt8(ascii: "q"): bytes = Self.quotedPrintableDecode(payload[...], underscoreIsSpace: true)
        default: return nil
        }
        let name = CharsetDecoder.canonicalName(charset) ?? "UTF-8"
        let decoded = bytes.withUnsafeBufferPointer { decoder.convert($0, from: name == "US-ASCII" ? "UTF-8" : name) }
        return (decoded.text, j + 2)
    }

    // MARK: - Bodies

    private mutating func entityText(headers: [Header], body: ArraySlice<UInt8>, depth: Int) -> [TextPart] {
        let contentType = Self.value(of: "content-type", in: headers).map(Self.parseContentType)
            ?? (type: "text/plain", parameters: [String: String]())
        let disposition = Self.value(of: "content-disposition", in: headers)?.asciiLowercased() ?? ""
        if disposition.hasPrefix("attachment") { return [] }
        let type = contentType.type
        let transfer = Self.value(of: "content-transfer-encoding", in: headers)?.asciiLowercased()
            .ingestTrimmed() ?? "7bit"

        if type.hasPrefix("multipart/") {
            guard depth < 32 else {
                warn("MIME nesting too deep; inner parts skipped")
                return []
            }
            guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty else {
                warn("multipart without a boundary; body read as plain text")
                return [plainText(body, charset: nil, transfer: "7bit")]
            }
            let parts = splitMultipart(body, boundary: boundary)
            var children: [[TextPart]] = []
            for part in parts {
                let (h, b) = splitHeaders(part)
                children.append(entityText(headers: h, body: b, depth: depth + 1))
            }
            if type == "multipart/alternative" {
                if let plain = children.first(where: { !$0.isEmpty && $0.contains { !$0.isHTML } }) { return plain }
                return children.first { !$0.isEmpty } ?? []
            }
            return children.flatMap { $0 }
        }
        if type == "message/rfc822" || type == "message/global" {
            guard depth < 32 else { return [] }
            let decoded = decodeTransfer(body, transfer)
            let (h, b) = splitHeaders(decoded[...])
            return entityText(headers: h, body: b, depth: depth + 1)
        }
        if type == "text/plain" || type == "text/markdown" || type.isEmpty {
            return [plainText(body, charset: contentType.parameters["charset"], transfer: transfer)]
        }
        if type == "text/html" {
            let bytes = decodeTransfer(body, transfer)
            let declared = contentType.parameters["charset"] ?? HTMLText.declaredCharset(bytes)
            let decoded = decoder.decode(bytes, declared: declared)
            let html = HTMLText.convert(decoded.text)
            return [TextPart(text: html.text, encoding: decoded.encoding, invalidBytes: decoded.invalidBytes, isHTML: true)]
        }
        return []  // images, calendars, other attachments
    }

    private mutating func plainText(_ body: ArraySlice<UInt8>, charset: String?, transfer: String) -> TextPart {
        let bytes = decodeTransfer(body, transfer)
        let decoded = decoder.decode(bytes, declared: ignoresDeclaredCharsets ? nil : charset)
        return TextPart(text: decoded.text, encoding: decoded.encoding, invalidBytes: decoded.invalidBytes, isHTML: false, declared: charset)
    }

    private mutating func decodeTransfer(_ body: ArraySlice<UInt8>, _ transfer: String) -> [UInt8] {
        switch transfer {
        case "quoted-printable":
            return Self.quotedPrintableDecode(body, underscoreIsSpace: false)
        case "base64":
            let result = Self.base64Decode(body)
            if result.invalid > 0 {
                warn("invalid base64 data (\(result.invalid) bad characters); decoded what was valid")
            }
            return result.bytes
        default:
            return Array(body)
        }
    }

    /// The parts between `--boundary` lines; warns when the closing `--boundary--` is missing.
    private mutating func splitMultipart(_ body: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let marker = Array(("--" + boundary).utf8)
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int? = nil
        var closed = false
        var i = body.startIndex
        let end = body.endIndex
        while i < end {
            let lineEnd = body[i..<end].firstIndex(of: 0x0A) ?? end
            let line = body[i..<lineEnd]
            if line.starts(with: marker) {
                let rest = line.dropFirst(marker.count)
                let isClose = rest.starts(with: [0x2D, 0x2D])
                let tail = isClose ? rest.dropFirst(2) : rest
                if tail.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    if let start = partStart {
                        // The newline before the boundary belongs to the boundary.
                        var partEnd = i
                        if partEnd > start, body[partEnd - 1] == 0x0A { partEnd -= 1 }
                        if partEnd > start, body[partEnd - 1] == 0x0D { partEnd -= 1 }
                        parts.append(body[start..<max(start, partEnd)])
                    }
                    if isClose { closed = true; break }
                    partStart = lineEnd < end ? lineEnd + 1 : end
                }
            }
            i = lineEnd < end ? lineEnd + 1 : end
        }
        if !closed {
            if let start = partStart {
                parts.append(body[start..<end])
                warn("multipart body ends without its closing boundary")
            } else {
                warn("multipart boundary not found; body skipped")
            }
        }
        return parts
    }

    private mutating func warn(_ message: String) {
        diagnostics.append(Diagnostic(.warning, path: path, line: lineOffset > 0 ? lineOffset : nil, message))
    }

    // MARK: - Helpers

    /// `type/subtype; key=value; key="value"` → lowercased type and parameters (lowercased keys).
    ///
    /// An ASCII value (nearly every one) is parsed on its bytes; another by characters, as a `;` or
    /// `"` followed by a combining mark is no delimiter there.
    static func parseContentType(_ value: String) -> (type: String, parameters: [String: String]) {
        var value = value
        if let parsed = value.withUTF8({ $0.allSatisfy { $0 < 0x80 } ? parseASCIIContentType($0) : nil }) { return parsed }
        return parseContentTypeByCharacters(value)
    }

    /// `parseContentType` of an ASCII value, on its bytes (where characters and bytes are one:
    /// a header value holds no line break, so no CR LF pair).
    static func parseASCIIContentType(_ bytes: UnsafeBufferPointer<UInt8>) -> (type: String, parameters: [String: String]) {
        func trimmed(_ range: Range<Int>) -> Range<Int> { ASCIIBytes.trimmed(range, in: bytes) }
        func string(_ range: Range<Int>, lowercased: Bool = false) -> String { ASCIIBytes.string(bytes, range, lowercased: lowercased) }
        // The pieces between semicolons outside double quotes.
        var pieces: [Range<Int>] = []
        var start = 0, inQuotes = false
        for (i, b) in bytes.enumerated() {
            if b == UInt8(ascii: "\"") { inQuotes.toggle() } else if b == UInt8(ascii: ";") && !inQuotes {
                pieces.append(start..<i)
                start = i + 1
            }
        }
        pieces.append(start..<bytes.count)
        let type = string(trimmed(pieces[0]), lowercased: true)
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let eq = bytes[piece].firstIndex(of: UInt8(ascii: "=")) else { continue }
            let key = string(trimmed(piece.lowerBound..<eq), lowercased: true)
            var v = trimmed((eq + 1)..<piece.upperBound)
            if v.count >= 2, bytes[v.lowerBound] == UInt8(ascii: "\""), bytes[v.upperBound - 1] == UInt8(ascii: "\"") {
                v = (v.lowerBound + 1)..<(v.upperBound - 1)
            }
            if parameters[key] == nil { parameters[key] = string(v) }
        }
        return (type, parameters)
    }

    /// `parseContentType` by characters, for a value that is not all ASCII.
    static func parseContentTypeByCharacters(_ value: String) -> (type: String, parameters: [String: String]) {
        var pieces: [String] = []
        var current = ""
        var inQuotes = false
        for c in value {
            if c == "\"" { inQuotes.toggle(); current.append(c); continue }
            if c == ";" && !inQuotes { pieces.append(current); current = ""; continue }
            current.append(c)
        }
        pieces.append(current)
        let type = (pieces.first ?? "").ingestTrimmed().asciiLowercased()
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<eq].ingestTrimmed().asciiLowercased()
            var v = piece[piece.index(after: eq)...].ingestTrimmed()
            if v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") { v = String(v.dropFirst().dropLast()) }
            if parameters[key] == nil { parameters[key] = v }
        }
        return (type, parameters)
    }

    static func quotedPrintableDecode(_ bytes: ArraySlice<UInt8>, underscoreIsSpace: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        let end = bytes.endIndex
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: return b - 0x30
            case 0x41...0x46: return b - 0x41 + 10
            case 0x61...0x66: return b - 0x61 + 10
            default: return nil
            }
        }
        while i < end {
            let b = bytes[i]
            if b == 0x3D {  // '='
                var j = i + 1
                // Soft line break: '=' then optional trailing whitespace then a newline.
                while j < end, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                if j < end, bytes[j] == 0x0D || bytes[j] == 0x0A {
                    if bytes[j] == 0x0D, j + 1 < end, bytes[j + 1] == 0x0A { j += 1 }
                    i = j + 1
                    continue
                }
                if j == end { i = end; continue }
                if i + 2 < end, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
                    out.append(hi << 4 | lo)
                    i += 3
                    continue
                }
                out.append(b)
                i += 1
                continue
            }
            if b == 0x5F && underscoreIsSpace { out.append(0x20); i += 1; continue }
            out.append(b)
            i += 1
        }
        return out
    }

    /// Decodes base64, ignoring whitespace; other stray characters are counted and skipped.
    static func base64Decode(_ bytes: ArraySlice<UInt8>) -> (bytes: [UInt8], invalid: Int) {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        var invalid = 0
        var padding = false
        for b in bytes {
            let v: UInt32
            switch b {
            case 0x41...0x5A: v = UInt32(b - 0x41)
            case 0x61...0x7A: v = UInt32(b - 0x61 + 26)
            case 0x30...0x39: v = UInt32(b - 0x30 + 52)
            case 0x2B, 0x2D: v = 62  // '+' (and URL-safe '-')
            case 0x2F, 0x5F: v = 63  // '/' (and URL-safe '_')
            case 0x3D: padding = true; continue
            case 0x20, 0x09, 0x0D, 0x0A, 0x0C: continue
            default: invalid += 1; continue
            }
            if padding {
                // Data after padding: a new group starts (concatenated base64).
                padding = false
                buffer = 0
                bits = 0
            }
            buffer = (buffer << 6 | v) & 0xFFFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        if bits >= 6 { invalid += 1 }  // a lone sextet: truncated data
        return (out, invalid)
    }
}
