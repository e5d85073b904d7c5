/// One paragraph of a document's text, as the splitter found it.
public struct RawParagraph: Sendable, Hashable {
    /// 0-based within the document.
    public var index: Int
    /// The original text: its lines joined with "\n", without surrounding blank lines.
    public var text: String
    /// 1-based line in the document text where the paragraph starts.
    public var line: Int
    /// Every non-empty line starts with ">" (an e-mail quote).
    public var isQuote: Bool
    /// After a "-- " (or "--") signature separator line, until the end of the document.
    public var isSignature: Bool

    public init(index: Int, text: String, line: Int, isQuote: Bool, isSignature: Bool) {
        self.index = index
        self.text = text
        self.line = line
        self.isQuote = isQuote
        self.isSignature = isSignature
    }
}

public enum ParagraphSplitter {
    /// Splits on blank lines (a line of only whitespace, including U+3000 and NBSP, is blank).
    ///
    /// A text with no blank line between its lines splits on single newlines (one paragraph per line,
    /// like a scraped channel dump). CRLF and CR newlines are handled. Every non-blank line is in exactly
    /// one paragraph. A run of quote lines (">") inside a paragraph that also has other lines becomes
    /// its own paragraph; a signature separator line starts a new paragraph.
    public static func split(_ text: String) -> [RawParagraph] {
        let lines = splitLines(text)
        let blank = lines.map(isBlank)
        guard let first = blank.firstIndex(of: false), let last = blank.lastIndex(of: false) else { return [] }
        let perLine = first < last && !blank[first...last].contains(true)

        // Groups of consecutive non-blank line indices.
        var groups: [[Int]] = []
        var current: [Int] = []
        for i in first...last {
            if blank[i] {
                if !current.isEmpty { groups.append(current); current = [] }
                continue
            }
            if perLine {
                groups.append([i])
                continue
            }
            if isSignatureSeparator(lines[i]) && !current.isEmpty {
                groups.append(current)
                current = []
            } else if let previous = current.last, isQuoteLine(lines[previous]) != isQuoteLine(lines[i]) {
                groups.append(current)
                current = []
            }
            current.append(i)
        }
        if !current.isEmpty { groups.append(current) }

        var result: [RawParagraph] = []
        var inSignature = false
        for group in groups {
            if let firstLine = group.first, isSignatureSeparator(lines[firstLine]) { inSignature = true }
            let joined = group.map { lines[$0] }.joined(separator: "\n")
            let quote = group.allSatisfy { isQuoteLine(lines[$0]) }
            result.append(RawParagraph(
                index: result.count, text: joined, line: (group.first ?? 0) + 1,
                isQuote: quote, isSignature: inSignature))
        }
        return result
    }

    /// Lines of `text`, split at "\r\n", "\r" and "\n".
    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        forEachLine(text) { lines.append($0) }
        return lines
    }

    /// Calls `body` with every line of `splitLines(text)` in turn, without holding them all.
    static func forEachLine(_ text: String, _ body: (String) -> Void) {
        // On the UTF-8 bytes: CR and LF are ASCII, so lines are copied out whole.
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            var i = 0
            while i < utf8.count {
                let b = utf8[i]
                if b == 0x0A || b == 0x0D {
                    body(String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<i]), as: UTF8.self))
                    i += (b == 0x0D && i + 1 < utf8.count && utf8[i + 1] == 0x0A) ? 2 : 1
                    start = i
                } else {
                    i += 1
                }
            }
            body(String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]), as: UTF8.self))
        }
    }

    /// A line of only whitespace (incl. U+3000, NBSP) and invisible format characters.
    static func isBlank(_ line: String) -> Bool {
        line.unicodeScalars.allSatisfy { s in
            s.properties.isWhitespace || s == "\u{200B}" || s == "\u{FEFF}" || s == "\u{2060}" || s == "\u{200C}" || s == "\u{200D}"
        }
    }

    static func isQuoteLine(_ line: String) -> Bool {
        for s in line.unicodeScalars {
            if s == " " || s == "\t" { continue }
            return s == ">"
        }
        return false
    }

    static func isSignatureSeparator(_ line: String) -> Bool {
        line == "-- " || line == "--"
    }
}
