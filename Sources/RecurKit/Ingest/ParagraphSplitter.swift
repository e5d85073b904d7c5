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
        var current = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if previousCR { previousCR = false; continue }
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else if scalar == "\r" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
                previousCR = true
            } else {
                previousCR = false
                current.append(scalar)
            }
        }
        lines.append(String(current))
        return lines
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
