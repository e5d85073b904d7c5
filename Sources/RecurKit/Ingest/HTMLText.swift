/// HTML to plain text with block structure kept as blank lines.
enum HTMLText {
    struct Result {
        var text: String
        var title: String?
    }

    /// The charset an HTML document declares in its first bytes (`<meta charset=...>` or http-equiv content).
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        // The first 4 KB, ASCII letters lower-cased, every other byte of 0x80 or above a space.
        let n = min(bytes.count, 4096)
        var lower = [UInt8](repeating: 0x20, count: n)
        for i in 0..<n {
            let b = bytes[i]
            lower[i] = b >= 0x80 ? 0x20 : (b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        }
        func find(_ pattern: StaticString, from start: Int, to end: Int) -> Int? {
            let p = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
            guard end - start >= p.count else { return nil }
            var i = start
            while i + p.count <= end {
                if lower[i] == p[0] {
                    var k = 1
                    while k < p.count && lower[i + k] == p[k] { k += 1 }
                    if k == p.count { return i }
                }
                i += 1
            }
            return nil
        }
        var searchStart = 0
        while let meta = find("<meta", from: searchStart, to: n) {
            let afterMeta = meta + 5
            let tagEnd = lower[afterMeta..<n].firstIndex(of: UInt8(ascii: ">")) ?? n
            if let cs = find("charset", from: afterMeta, to: tagEnd) {
                var j = cs + 7
                while j < tagEnd && lower[j] == 0x20 { j += 1 }
                if j < tagEnd && lower[j] == UInt8(ascii: "=") {
                    j += 1
                    while j < tagEnd && (lower[j] == 0x20 || lower[j] == 0x22 || lower[j] == 0x27) { j += 1 }
                    var k = j
                    while k < tagEnd && !" \"';/>".utf8.contains(lower[k]) { k += 1 }
                    if k > j { return String(decoding: lower[j..<k], as: UTF8.self) }
                }
            }
            searchStart = tagEnd
        }
        return nil
    }

    private static let blockTags: Set<String> = [
        "p", "div", "li", "ul", "ol", "tr", "table", "thead", "tbody", "tfoot", "td", "th", "caption",
        "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "header", "footer", "nav",
        "aside", "main", "pre", "hr", "dl", "dt", "dd", "form", "fieldset", "legend", "figure", "figcaption",
        "address", "body", "html", "label", "select", "option", "details", "summary", "center",
    ]
    private static let skippedInputTypes: Set<String> = [
        "hidden", "submit", "button", "reset", "image", "password", "file", "checkbox", "radio",
    ]

    /// Converts HTML source to text.
    static func convert(_ html: String) -> Result {
        let s = Array(html.unicodeScalars)
        let n = s.count
        var out = Builder()
        var title: String? = nil
        var inHead = false
        var preDepth = 0
        var i = 0

        func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
            (c.value >= 0x41 && c.value <= 0x5A) ? Unicode.Scalar(c.value + 32) ?? c : c
        }
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || (c.value >= 0x30 && c.value <= 0x39) || c == "-" || c == ":" || c == "_"
        }
        /// Index of the end of `</name` (case-insensitive) at or after `from`, and the index after its '>'.
        func findClose(_ name: String, from: Int) -> (start: Int, after: Int) {
            let target = Array(("</" + name).unicodeScalars)
            var j = from
            while j + target.count <= n {
                var match = true
                for k in 0..<target.count where lower(s[j + k]) != target[k] { match = false; break }
                if match {
                    var e = j + target.count
                    while e < n && s[e] != ">" { e += 1 }
                    return (j, min(e + 1, n))
                }
                j += 1
            }
            return (n, n)
        }

        var raw = String.UnicodeScalarView()
        func flushRaw() {
            guard !raw.isEmpty else { return }
            if !inHead {
                for scalar in decodeEntities(String(raw)).unicodeScalars { out.text(scalar, pre: preDepth > 0) }
            }
            raw = String.UnicodeScalarView()
        }

        while i < n {
            let c = s[i]
            guard c == "<", i + 1 < n else {
                raw.append(c)
                i += 1
                continue
            }
            let next = s[i + 1]
            if next == "!" || next == "?" { flushRaw() }
            // Comments, doctype, processing instructions.
            if next == "!" {
                if i + 3 < n, s[i + 2] == "-", s[i + 3] == "-" {
                    var j = i + 4
                    while j + 2 < n && !(s[j] == "-" && s[j + 1] == "-" && s[j + 2] == ">") { j += 1 }
                    i = min(j + 3, n)
                } else {
                    var j = i + 2
                    while j < n && s[j] != ">" { j += 1 }
                    i = min(j + 1, n)
                }
                continue
            }
            if next == "?" {
                var j = i + 2
                while j < n && s[j] != ">" { j += 1 }
                i = min(j + 1, n)
                continue
            }
            let closing = next == "/"
            var j = closing ? i + 2 : i + 1
            guard j < n, s[j].properties.isAlphabetic else {
                raw.append(c)
                i += 1
                continue
            }
            flushRaw()
            var name = ""
            while j < n, isNameChar(s[j]) { name.unicodeScalars.append(lower(s[j])); j += 1 }
            // Attributes up to '>' (quoted values may contain '>').
            var attributes: [String: String] = [:]
            while j < n && s[j] != ">" {
                if s[j].properties.isWhitespace || s[j] == "/" { j += 1; continue }
                var key = ""
                while j < n, !s[j].properties.isWhitespace, s[j] != "=", s[j] != ">", s[j] != "/" || key.isEmpty {
                    key.unicodeScalars.append(lower(s[j])); j += 1
                }
                while j < n, s[j].properties.isWhitespace { j += 1 }
                var value = ""
                if j < n, s[j] == "=" {
                    j += 1
                    while j < n, s[j].properties.isWhitespace { j += 1 }
                    if j < n, s[j] == "\"" || s[j] == "'" {
                        let quote = s[j]
                        j += 1
                        while j < n, s[j] != quote { value.unicodeScalars.append(s[j]); j += 1 }
                        j += 1
                    } else {
                        while j < n, !s[j].properties.isWhitespace, s[j] != ">" { value.unicodeScalars.append(s[j]); j += 1 }
                    }
                }
                if !key.isEmpty && attributes[key] == nil { attributes[key] = decodeEntities(value) }
                if key.isEmpty { j += 1 }
            }
            i = min(j + 1, n)

            if closing {
                switch name {
                case "head": inHead = false
                case "pre": preDepth = max(0, preDepth - 1); out.paragraphBreak()
                case "blockquote": out.paragraphBreak(); out.quoteDepth = max(0, out.quoteDepth - 1)
                default: if blockTags.contains(name) { out.paragraphBreak() }
                }
                continue
            }
            switch name {
            case "script", "style", "noscript", "template", "svg", "iframe", "object":
                i = findClose(name, from: i).after
            case "title":
                let close = findClose("title", from: i)
                let raw = String(String.UnicodeScalarView(s[i..<close.start]))
                let t = collapse(decodeEntities(raw))
                if title == nil && !t.isEmpty { title = t }
                i = close.after
            case "textarea":
                let close = findClose("textarea", from: i)
                let raw = decodeEntities(String(String.UnicodeScalarView(s[i..<close.start])))
                out.paragraphBreak()
                for scalar in raw.unicodeScalars { out.text(scalar, pre: true) }
                out.paragraphBreak()
                i = close.after
            case "head": inHead = true
            case "body": inHead = false; out.paragraphBreak()
            case "br": if !inHead { out.lineBreak() }
            case "pre": preDepth += 1; out.paragraphBreak()
            case "blockquote": out.paragraphBreak(); out.quoteDepth += 1
            case "input":
                let type = attributes["type"]?.asciiLowercased() ?? "text"
                if !inHead, !skippedInputTypes.contains(type), let value = attributes["value"],
                   !value.allSatisfy(\.isWhitespace) {
                    out.paragraphBreak()
                    for scalar in value.unicodeScalars { out.text(scalar, pre: false) }
                    out.paragraphBreak()
                }
            case "img":
                break
            default:
                if blockTags.contains(name) && !inHead { out.paragraphBreak() }
            }
        }
        flushRaw()
        return Result(text: out.finish(), title: title)
    }

    /// Runs of spaces (incl. NBSP, tabs) become one space; the ends are trimmed.
    static func collapse(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for c in text.unicodeScalars {
            if c == " " || c == "\t" || c == "\u{00A0}" || c == "\n" || c == "\r" || c == "\u{000C}" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(c)
            }
        }
        return String(out)
    }

    /// Accumulates lines and paragraph breaks.
    private struct Builder {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var quoteDepth = 0

        mutating func text(_ c: Unicode.Scalar, pre: Bool) {
            if c == "\r" { return }
            if c == "\n" {
                if pre { lineBreak() } else { current.append(" ") }
                return
            }
            current.append(c == "\t" && !pre ? " " : c)
        }

        /// Ends the current line; with nothing on it, a second break makes a blank line.
        mutating func lineBreak() {
            let line = HTMLText.collapse(String(current))
            current = String.UnicodeScalarView()
            if line.isEmpty {
                if let last = lines.last, !last.isEmpty { lines.append("") }
            } else {
                lines.append(String(repeating: "> ", count: quoteDepth) + line)
            }
        }

        mutating func paragraphBreak() {
            flush()
            if let last = lines.last, !last.isEmpty { lines.append("") }
        }

        mutating func flush() {
            let line = HTMLText.collapse(String(current))
            current = String.UnicodeScalarView()
            if !line.isEmpty { lines.append(String(repeating: "> ", count: quoteDepth) + line) }
        }

        mutating func finish() -> String {
            flush()
            while let last = lines.last, last.isEmpty { lines.removeLast() }
            return lines.joined(separator: "\n")
        }
    }

    // MARK: - Entities

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "laquo": "«", "raquo": "»", "mdash": "—", "ndash": "–", "hellip": "…", "copy": "©", "reg": "®",
        "trade": "™", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "bdquo": "„", "sbquo": "‚",
        "bull": "•", "middot": "·", "euro": "€", "deg": "°", "times": "×", "shy": "\u{00AD}", "thinsp": "\u{2009}",
        "ensp": "\u{2002}", "emsp": "\u{2003}", "zwnj": "\u{200C}", "zwj": "\u{200D}", "sect": "§", "para": "¶",
        "auml": "ä", "ouml": "ö", "aring": "å", "Auml": "Ä", "Ouml": "Ö", "Aring": "Å", "uuml": "ü", "Uuml": "Ü",
        "eacute": "é", "egrave": "è", "agrave": "à", "ccedil": "ç", "szlig": "ß", "numero": "№", "minus": "−",
        "larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓", "pound": "£", "yen": "¥", "cent": "¢", "iexcl": "¡",
        "iquest": "¿", "frac12": "½", "plusmn": "±",
    ]

    /// Decodes named and numeric character references; unknown ones stay as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.unicodeScalars.contains("&") else { return text }
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            guard s[i] == "&" else { out.append(s[i]); i += 1; continue }
            var j = i + 1
            if j < s.count, s[j] == "#" {
                j += 1
                var hex = false
                if j < s.count, s[j] == "x" || s[j] == "X" { hex = true; j += 1 }
                var value: UInt32 = 0
                var digits = 0
                while j < s.count, let d = hexValue(s[j]), hex || d < 10 {
                    if value < 0x110000 { value = value * (hex ? 16 : 10) + d }
                    digits += 1
                    j += 1
                }
                guard digits > 0 else { out.append(s[i]); i += 1; continue }
                if j < s.count, s[j] == ";" { j += 1 }
                let scalar: Unicode.Scalar
                if value == 0 || value >= 0x110000 {
                    scalar = "\u{FFFD}"
                } else if (0x80...0x9F).contains(value), let mapped = windows1252C1(value) {
                    scalar = mapped  // browsers read &#150; as windows-1252
                } else {
                    scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                }
                out.append(scalar)
                i = j
                continue
            }
            var name = ""
            while j < s.count, j - i <= 10, s[j].isASCII, s[j].properties.isAlphabetic || (0x30...0x39).contains(s[j].value) {
                name.unicodeScalars.append(s[j])
                j += 1
            }
            if j < s.count, s[j] == ";", let replacement = namedEntities[name] ?? namedEntities[name.lowercased()] {
                out.append(contentsOf: replacement.unicodeScalars)
                i = j + 1
            } else if let replacement = namedEntities[name], ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"].contains(name) {
                out.append(contentsOf: replacement.unicodeScalars)  // legacy forms without ';'
                i = j
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: return c.value - 0x30
        case 0x41...0x46: return c.value - 0x41 + 10
        case 0x61...0x66: return c.value - 0x61 + 10
        default: return nil
        }
    }

    private static func windows1252C1(_ value: UInt32) -> Unicode.Scalar? {
        let table: [UInt32: Unicode.Scalar] = [
            0x80: "€", 0x82: "‚", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x89: "‰", 0x8B: "‹",
            0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—", 0x99: "™", 0x9B: "›",
        ]
        return table[value]
    }
}
