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
    /// On the first piece of a paragraph longer than the splitter's limit, cut into pieces: the
    /// paragraph's length in bytes of UTF-8; else 0.
    public var cutFrom: Int

    public init(index: Int, text: String, line: Int, isQuote: Bool, isSignature: Bool, cutFrom: Int = 0) {
        self.index = index
        self.text = text
        self.line = line
        self.isQuote = isQuote
        self.isSignature = isSignature
        self.cutFrom = cutFrom
    }
}

public enum ParagraphSplitter {
    /// Splits on blank lines (a line of only whitespace, including U+3000 and NBSP, is blank).
    ///
    /// A text with no blank line between its lines splits on single newlines (one paragraph per line,
    /// like a scraped channel dump). CRLF and CR newlines are handled. Every non-blank line is in exactly
    /// one paragraph. A run of quote lines (">") inside a paragraph that also has other lines becomes
    /// its own paragraph; a signature separator line starts a new paragraph.
    ///
    /// A paragraph of more than `maxParagraphBytes` bytes of UTF-8 (a file of one huge line, or of
    /// lines with no blank line for megabytes) is cut into pieces of at most that many: at the last
    /// line break in the second half of the limit, else at the last space or tab there, else after
    /// the last whole character; the pieces are paragraphs of their own, the first one noting the
    /// length of the whole (`RawParagraph.cutFrom`).
    public static func split(_ text: String, maxParagraphBytes: Int = ParagraphSplitter.maxParagraphBytes) -> [RawParagraph] {
        // On the UTF-8 bytes: lines are byte ranges, and a paragraph's text is copied out once.
        var text = text
        return text.withUTF8 { split($0, maxParagraphBytes: maxParagraphBytes) }
    }

    static func split(_ utf8: UnsafeBufferPointer<UInt8>, maxParagraphBytes: Int = ParagraphSplitter.maxParagraphBytes) -> [RawParagraph] {
        var chunks = Chunks(perLine: nil, maxParagraphBytes: maxParagraphBytes)
        return chunks.split(utf8)
    }

    /// The longest paragraph, in bytes of UTF-8, analyzed in one piece: 1 MB. An inquiry paragraph
    /// is a few hundred bytes; one of megabytes is a file without paragraph breaks, whose one
    /// paragraph would be analyzed, keyed and stored whole (a 200 MB line took 5.5 GB).
    public static let maxParagraphBytes = 1 << 20

    /// Splits a text a chunk at a time, with the paragraphs `split` gives for the whole text: each
    /// chunk ends where `chunkEnd` says, and indexes, line numbers and the signature run on from
    /// one chunk to the next.
    struct Chunks {
        /// One paragraph per line (`split`'s choice for a text without blank lines between its
        /// lines), as found beforehand for the whole text; nil: decided by each chunk (the whole text).
        let perLine: Bool?
        /// The longest paragraph kept whole (`split(_:maxParagraphBytes:)`).
        let maxParagraphBytes: Int
        fileprivate(set) var paragraphs = 0
        fileprivate(set) var lines = 0
        fileprivate var inSignature = false

        init(perLine: Bool?, maxParagraphBytes: Int = ParagraphSplitter.maxParagraphBytes) {
            self.perLine = perLine
            self.maxParagraphBytes = maxParagraphBytes
        }

        /// The paragraphs of the next chunk, `utf8`.
        mutating func split(_ utf8: UnsafeBufferPointer<UInt8>) -> [RawParagraph] {
            let lines = lineRanges(utf8)
            defer { self.lines += lines.count - (utf8.last == 0x0A || utf8.last == 0x0D ? 1 : 0) }
            return ParagraphSplitter.split(utf8, lines: lines, perLine: perLine, chunks: &self)
        }
    }

    /// Where a text may be cut for `Chunks` in `utf8`, a prefix of it that may end inside a line:
    /// after the last line break that ends a blank line (or, one paragraph per line, any line),
    /// short of the end of `utf8` (a CR there may be half of a CRLF); nil when there is none.
    static func chunkEnd(_ utf8: UnsafeBufferPointer<UInt8>, perLine: Bool) -> Int? {
        let lines = lineRanges(utf8)
        // The last range is the line being read; each other one ends with a line break.
        for i in stride(from: lines.count - 2, through: 0, by: -1) {
            let end = lines[i + 1].lowerBound
            guard end < utf8.count else { continue }
            if perLine || isBlank(UnsafeBufferPointer(rebasing: utf8[lines[i]])) { return end }
        }
        return nil
    }

    private static func split(
        _ utf8: UnsafeBufferPointer<UInt8>, lines: [Range<Int>], perLine given: Bool?, chunks: inout Chunks
    ) -> [RawParagraph] {
        func line(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: utf8[lines[i]]) }
        let blank = lines.indices.map { isBlank(line($0)) }
        guard let first = blank.firstIndex(of: false), let last = blank.lastIndex(of: false) else { return [] }
        let perLine = given ?? (first < last && !blank[first...last].contains(true))

        // Groups of consecutive non-blank lines, as ranges of line indices.
        var groups: [Range<Int>] = []
        var current: Range<Int>?
        for i in first...last {
            if blank[i] {
                if let group = current { groups.append(group); current = nil }
                continue
            }
            if perLine {
                groups.append(i..<i + 1)
                continue
            }
            if let group = current {
                if isSignatureSeparator(line(i)) || isQuoteLine(line(group.upperBound - 1)) != isQuoteLine(line(i)) {
                    groups.append(group)
                    current = i..<i + 1
                } else {
                    current = group.lowerBound..<i + 1
                }
            } else {
                current = i..<i + 1
            }
        }
        if let group = current { groups.append(group) }

        var result: [RawParagraph] = []
        result.reserveCapacity(groups.count)
        for group in groups {
            if isSignatureSeparator(line(group.lowerBound)) { chunks.inSignature = true }
            let text = joined(utf8, lines[group])
            let (first, isQuote) = (chunks.lines + group.lowerBound + 1, group.allSatisfy { isQuoteLine(line($0)) })
            guard text.utf8.count > chunks.maxParagraphBytes else {
                result.append(RawParagraph(
                    index: chunks.paragraphs + result.count, text: text, line: first, isQuote: isQuote, isSignature: chunks.inSignature))
                continue
            }
            for (offset, piece) in pieces(of: text, maxBytes: chunks.maxParagraphBytes).enumerated() {
                result.append(RawParagraph(
                    index: chunks.paragraphs + result.count, text: piece.text, line: first + piece.lineOffset, isQuote: isQuote,
                    isSignature: chunks.inSignature, cutFrom: offset == 0 ? text.utf8.count : 0))
            }
        }
        chunks.paragraphs += result.count
        return result
    }

    /// `text` cut into pieces of at most `maxBytes` bytes (see `split(_:maxParagraphBytes:)`), each
    /// with the number of line breaks before it. The line break, space or tab a cut is made at
    /// belongs to neither piece.
    static func pieces(of text: String, maxBytes: Int) -> [(text: String, lineOffset: Int)] {
        var text = text
        return text.withUTF8 { utf8 in
            var pieces: [(text: String, lineOffset: Int)] = []
            var start = 0, lineOffset = 0
            while start < utf8.count {
                var end = utf8.count, next = utf8.count
                if utf8.count - start > maxBytes {
                    let window = (start + maxBytes / 2)...(start + maxBytes)
                    if let cut = window.reversed().first(where: { utf8[$0] == 0x0A }) ?? window.reversed().first(where: { utf8[$0] == 0x20 || utf8[$0] == 0x09 }) {
                        (end, next) = (cut, cut + 1)
                    } else {
                        // After the last whole character: before the lead byte that would not fit.
                        end = start + maxBytes
                        while end > start, utf8[end] & 0xC0 == 0x80 { end -= 1 }
                        if end == start { end = start + maxBytes }
                        next = end
                    }
                }
                pieces.append((String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<end]), as: UTF8.self), lineOffset))
                lineOffset += utf8[start..<next].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
                start = next
            }
            return pieces
        }
    }

    /// The byte ranges of the lines of `utf8` (as `splitLines` splits them).
    static func lineRanges(_ utf8: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            if b == 0x0A || b == 0x0D {
                lines.append(start..<i)
                i += (b == 0x0D && i + 1 < utf8.count && utf8[i + 1] == 0x0A) ? 2 : 1
                start = i
            } else {
                i += 1
            }
        }
        lines.append(start..<utf8.count)
        return lines
    }

    /// `lines` of `utf8` joined with "\n": a slice of the text itself when they are already so joined.
    static func joined(_ utf8: UnsafeBufferPointer<UInt8>, _ lines: ArraySlice<Range<Int>>) -> String {
        guard let first = lines.first, let last = lines.last else { return "" }
        var contiguous = true
        var previous = first
        for range in lines.dropFirst() {
            if range.lowerBound != previous.upperBound + 1 || utf8[previous.upperBound] != 0x0A {
                contiguous = false
                break
            }
            previous = range
        }
        if contiguous { return String(decoding: UnsafeBufferPointer(rebasing: utf8[first.lowerBound..<last.upperBound]), as: UTF8.self) }
        var bytes: [UInt8] = []
        for range in lines {
            if !bytes.isEmpty || range != first { bytes.append(0x0A) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[range]))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` without its leading and trailing blank lines, its lines joined with "\n".
    static func trimmingBlankLines(_ text: String) -> String {
        var text = text
        return text.withUTF8 { utf8 in
            let lines = lineRanges(utf8)
            func blank(_ range: Range<Int>) -> Bool { isBlank(UnsafeBufferPointer(rebasing: utf8[range])) }
            guard let first = lines.firstIndex(where: { !blank($0) }), let last = lines.lastIndex(where: { !blank($0) }) else { return "" }
            return joined(utf8, lines[first...last])
        }
    }

    /// Lines of `text`, split at "\r\n", "\r" and "\n".
    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        forEachLine(text) { lines.append($0) }
        return lines
    }

    /// Calls `body` with every line of `splitLines(text)` in turn, without holding them all.
    static func forEachLine(_ text: String, _ body: (String) -> Void) {
        var text = text
        text.withUTF8 { forEachLine(utf8: $0, body) }
    }

    /// `forEachLine(_:_:)` over text given as its UTF-8 bytes.
    static func forEachLine(utf8: UnsafeBufferPointer<UInt8>, _ body: (String) -> Void) {
        // CR and LF are ASCII, so lines are copied out whole.
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

    /// A line of only whitespace (incl. U+3000, NBSP) and invisible format characters.
    static func isBlank(_ line: String) -> Bool {
        var line = line
        return line.withUTF8 { isBlank($0) }
    }

    /// `isBlank` on a line's UTF-8 (ASCII bytes without decoding).
    static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < line.count {
            let b = line[i]
            if b < 0x80 {
                // ASCII White_Space: tab, LF, VT, FF, CR and space.
                guard b == 0x20 || (b >= 0x09 && b <= 0x0D) else { return false }
                i += 1
                continue
            }
            // A multi-byte scalar: decoded and judged by its Unicode properties.
            var iterator = UnsafeBufferPointer(rebasing: line[i...]).makeIterator()
            var decoder = UTF8()
            guard case .scalarValue(let s) = decoder.decode(&iterator) else { return false }
            guard s.properties.isWhitespace || s == "\u{200B}" || s == "\u{FEFF}" || s == "\u{2060}" || s == "\u{200C}" || s == "\u{200D}" else {
                return false
            }
            i += s.utf8.count
        }
        return true
    }

    static func isQuoteLine(_ line: String) -> Bool {
        var line = line
        return line.withUTF8 { isQuoteLine($0) }
    }

    /// Whether the first byte that is not a space or tab is ">".
    static func isQuoteLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in line where b != 0x20 && b != 0x09 { return b == UInt8(ascii: ">") }
        return false
    }

    static func isSignatureSeparator(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.count >= 2 && line.count <= 3 && line[0] == UInt8(ascii: "-") && line[1] == UInt8(ascii: "-")
            && (line.count == 2 || line[2] == 0x20)
    }
}
