/// HTML to plain text with block structure kept as blank lines.
///
/// The conversion walks the document's UTF-8 bytes: markup, tag names and character references
/// are ASCII, so they are found and compared as bytes, and the text between tags is copied to the
/// output bytes in runs. Non-ASCII scalars are decoded only where the Unicode properties of one
/// matter (a letter starting a tag name, whitespace between attributes).
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

    /// `type`s of `<input>` whose `value` is no text of the page.
    private static let skippedInputTypes: Set<String> = [
        "hidden", "submit", "button", "reset", "image", "password", "file", "checkbox", "radio",
    ]

    /// Converts HTML source to text.
    static func convert(_ html: String) -> Result {
        guard !html.isEmpty else { return Result(text: "", title: nil) }
        var html = html
        return html.withUTF8 { bytes in
            var converter = Converter(bytes.baseAddress!, count: bytes.count)
            return converter.run()
        }
    }

    /// What a tag name means to the conversion.
    private enum Tag {
        case other, block, head, body, br, pre, blockquote, title, textarea, input
        /// Skipped with everything up to its end tag.
        case skipped

        /// The tag of the name at `p[start..<end]`, ASCII (letters, digits, '-', ':', '_').
        @inline(__always)
        static func of(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Tag {
            let count = end - start
            if count > 8 {
                return equalsLowercased(p, start, end, "blockquote") ? .blockquote
                    : equalsLowercased(p, start, end, "figcaption") ? .block : .other
            }
            // The lower-cased name, its first byte lowest.
            var key: UInt64 = 0
            for k in 0..<count { key |= UInt64(asciiLower(p[start + k])) << (8 * UInt64(k)) }
            switch key {
            case 0x70: return .block  // p
            case 0x766964: return .block  // div
            case 0x696C: return .block  // li
            case 0x6C75: return .block  // ul
            case 0x6C6F: return .block  // ol
            case 0x7274: return .block  // tr
            case 0x656C626174: return .block  // table
            case 0x6461656874: return .block  // thead
            case 0x79646F6274: return .block  // tbody
            case 0x746F6F6674: return .block  // tfoot
            case 0x6474: return .block  // td
            case 0x6874: return .block  // th
            case 0x6E6F6974706163: return .block  // caption
            case 0x3168: return .block  // h1
            case 0x3268: return .block  // h2
            case 0x3368: return .block  // h3
            case 0x3468: return .block  // h4
            case 0x3568: return .block  // h5
            case 0x3668: return .block  // h6
            case 0x6E6F6974636573: return .block  // section
            case 0x656C6369747261: return .block  // article
            case 0x726564616568: return .block  // header
            case 0x7265746F6F66: return .block  // footer
            case 0x76616E: return .block  // nav
            case 0x6564697361: return .block  // aside
            case 0x6E69616D: return .block  // main
            case 0x657270: return .pre  // pre
            case 0x7268: return .block  // hr
            case 0x6C64: return .block  // dl
            case 0x7464: return .block  // dt
            case 0x6464: return .block  // dd
            case 0x6D726F66: return .block  // form
            case 0x746573646C656966: return .block  // fieldset
            case 0x646E6567656C: return .block  // legend
            case 0x657275676966: return .block  // figure
            case 0x73736572646461: return .block  // address
            case 0x79646F62: return .body  // body
            case 0x6C6D7468: return .block  // html
            case 0x6C6562616C: return .block  // label
            case 0x7463656C6573: return .block  // select
            case 0x6E6F6974706F: return .block  // option
            case 0x736C6961746564: return .block  // details
            case 0x7972616D6D7573: return .block  // summary
            case 0x7265746E6563: return .block  // center
            case 0x64616568: return .head  // head
            case 0x7262: return .br  // br
            case 0x656C746974: return .title  // title
            case 0x6165726174786574: return .textarea  // textarea
            case 0x7475706E69: return .input  // input
            case 0x747069726373: return .skipped  // script
            case 0x656C797473: return .skipped  // style
            case 0x7470697263736F6E: return .skipped  // noscript
            case 0x6574616C706D6574: return .skipped  // template
            case 0x677673: return .skipped  // svg
            case 0x656D61726669: return .skipped  // iframe
            case 0x7463656A626F: return .skipped  // object
            default: return .other
            }
        }
    }

    /// The converter's state over one document's bytes: all of them (`run()`), or a stretch at a
    /// time (`run(final: false)`, `HTMLTextStream`), the state carried from one to the next.
    private struct Converter {
        var p: UnsafePointer<UInt8>
        var n: Int
        var out: Builder
        var title: String? = nil
        var inHead = false
        var preDepth = 0

        init(_ p: UnsafePointer<UInt8>, count: Int) {
            self.p = p
            self.n = count
            out = Builder(capacity: count)
        }

        /// The length of the scalar at `j` if it is whitespace, else 0.
        @inline(__always)
        func whitespaceLength(_ j: Int) -> Int {
            let b = p[j]
            if b < 0x80 { return b == 0x20 || (b >= 0x09 && b <= 0x0D) ? 1 : 0 }
            let (value, length) = HTMLText.scalarAt(p, j)
            return Unicode.Scalar(value)!.properties.isWhitespace ? length : 0
        }

        /// Whether the scalar at `j` is a letter.
        @inline(__always)
        func isAlphabetic(_ j: Int) -> Bool {
            let b = p[j]
            if b < 0x80 { return (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
            return Unicode.Scalar(HTMLText.scalarAt(p, j).value)!.properties.isAlphabetic
        }

        /// The start of the first `</name` (ASCII case-insensitive) at or after `from`, with `name`
        /// at `p[name]`, and the index after the '>' that ends it; `(n, n)` without one. `ended`:
        /// whether that '>' was found (more bytes could still close the element when it was not).
        func findClose(_ name: Range<Int>, from: Int) -> (start: Int, after: Int, ended: Bool) {
            let length = 2 + name.count
            var j = from
            while j + length <= n {
                if p[j] == 0x3C && p[j + 1] == 0x2F {
                    var k = 0
                    while k < name.count && asciiLower(p[j + 2 + k]) == p[name.lowerBound + k] | 0x20 { k += 1 }
                    if k == name.count {
                        var e = j + length
                        while e < n && p[e] != 0x3E { e += 1 }
                        return (j, min(e + 1, n), e < n)
                    }
                }
                j += 1
            }
            return (n, n, false)
        }

        /// Text between tags (entities decoded), unless in the head.
        @inline(__always)
        mutating func flushRaw(_ start: Int, _ end: Int) {
            if start < end && !inHead { out.text(p, start, end, pre: preDepth > 0) }
        }

        mutating func run() -> Result {
            _ = run(final: true)
            return Result(text: out.finish(), title: title)
        }

        /// Converts `p[0..<n]`, which ends on a whole UTF-8 sequence. With `final` false, more bytes
        /// follow: it stops before a comment, tag or element that could go on past `n`, and before
        /// the text after the last white space of the bytes (a character reference may be cut
        /// there), and returns where; the caller hands those bytes again with the next ones.
        /// What it has converted is the same as the conversion of the whole would have given so far.
        mutating func run(final: Bool) -> Int {
            var i = 0
            var rawStart = 0
            while i < n {
                guard p[i] == 0x3C, i + 1 < n else {  // '<'
                    if p[i] == 0x3C && !final { return rawStart }
                    i += 1
                    continue
                }
                let tagStart = i
                let next = p[i + 1]
                // Comments, doctype, processing instructions.
                if next == 0x21 {  // '!'
                    flushRaw(rawStart, i)
                    if i + 3 < n, p[i + 2] == 0x2D, p[i + 3] == 0x2D {
                        var j = i + 4
                        while j + 2 < n && !(p[j] == 0x2D && p[j + 1] == 0x2D && p[j + 2] == 0x3E) { j += 1 }
                        if j + 2 >= n && !final { return tagStart }
                        i = min(j + 3, n)
                    } else {
                        var j = i + 2
                        while j < n && p[j] != 0x3E { j += 1 }
                        if j >= n && !final { return tagStart }
                        i = min(j + 1, n)
                    }
                    rawStart = i
                    continue
                }
                if next == 0x3F {  // '?'
                    flushRaw(rawStart, i)
                    var j = i + 2
                    while j < n && p[j] != 0x3E { j += 1 }
                    if j >= n && !final { return tagStart }
                    i = min(j + 1, n)
                    rawStart = i
                    continue
                }
                let closing = next == 0x2F
                var j = closing ? i + 2 : i + 1
                guard j < n, isAlphabetic(j) else {
                    if j >= n && !final { return rawStart }
                    i += 1
                    continue
                }
                flushRaw(rawStart, i)

                // The name: letters, digits, '-', ':', '_'; only ASCII names are known tags.
                let nameStart = j
                var asciiName = true
                while j < n {
                    let b = p[j]
                    if b < 0x80 {
                        let l = b | 0x20
                        guard (l >= 0x61 && l <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x3A || b == 0x5F else { break }
                        j += 1
                    } else {
                        let (value, length) = HTMLText.scalarAt(p, j)
                        guard Unicode.Scalar(value)!.properties.isAlphabetic else { break }
                        asciiName = false
                        j += length
                    }
                }
                let name = nameStart..<j
                let tag = asciiName ? Tag.of(p, nameStart, j) : .other

                // Attributes up to '>' (quoted values may contain '>'); only <input>'s are kept.
                var typeValue: Range<Int>? = nil
                var valueValue: Range<Int>? = nil
                while j < n && p[j] != 0x3E {
                    let space = whitespaceLength(j)
                    if space > 0 { j += space; continue }
                    if p[j] == 0x2F { j += 1; continue }
                    let keyStart = j
                    while j < n {
                        let b = p[j]
                        if b == 0x3D || b == 0x3E || (b == 0x2F && j > keyStart) || whitespaceLength(j) > 0 { break }
                        j += utf8Length(b)
                    }
                    let keyEnd = j
                    while j < n { let space = whitespaceLength(j); if space == 0 { break }; j += space }
                    var value = j..<j
                    if j < n, p[j] == 0x3D {  // '='
                        j += 1
                        while j < n { let space = whitespaceLength(j); if space == 0 { break }; j += space }
                        if j < n, p[j] == 0x22 || p[j] == 0x27 {
                            let quote = p[j]
                            j += 1
                            let start = j
                            while j < n, p[j] != quote { j += 1 }
                            value = start..<j
                            j += 1
                        } else {
                            let start = j
                            while j < n && p[j] != 0x3E && whitespaceLength(j) == 0 { j += utf8Length(p[j]) }
                            value = start..<j
                        }
                    }
                    if keyEnd > keyStart {
                        if tag == .input {
                            if typeValue == nil && equalsLowercased(p, keyStart, keyEnd, "type") { typeValue = value }
                            if valueValue == nil && equalsLowercased(p, keyStart, keyEnd, "value") { valueValue = value }
                        }
                    } else {
                        j += j < n ? utf8Length(p[j]) : 1
                    }
                }
                if j >= n && !final { return tagStart }
                i = min(j + 1, n)
                rawStart = i

                if closing {
                    switch tag {
                    case .head: inHead = false
                    case .pre: preDepth = max(0, preDepth - 1); out.paragraphBreak()
                    case .blockquote: out.paragraphBreak(); out.quoteDepth = max(0, out.quoteDepth - 1)
                    case .block, .body: out.paragraphBreak()
                    default: break
                    }
                    continue
                }
                switch tag {
                case .skipped:
                    let close = findClose(name, from: i)
                    if !close.ended && !final { return tagStart }
                    i = close.after
                case .title:
                    let close = findClose(name, from: i)
                    if !close.ended && !final { return tagStart }
                    if title == nil {
                        let t = HTMLText.titleText(p, i, close.start)
                        if !t.isEmpty { title = t }
                    }
                    i = close.after
                case .textarea:
                    let close = findClose(name, from: i)
                    if !close.ended && !final { return tagStart }
                    out.paragraphBreak()
                    out.text(p, i, close.start, pre: true)
                    out.paragraphBreak()
                    i = close.after
                case .head: inHead = true
                case .body: inHead = false; out.paragraphBreak()
                case .br: if !inHead { out.lineBreak() }
                case .pre: preDepth += 1; out.paragraphBreak()
                case .blockquote: out.paragraphBreak(); out.quoteDepth += 1
                case .input:
                    let type = typeValue.map { decodeEntities(string(p, $0)).asciiLowercased() } ?? "text"
                    if !inHead, !skippedInputTypes.contains(type), let valueValue {
                        let value = decodeEntities(string(p, valueValue))
                        if !value.allSatisfy(\.isWhitespace) {
                            out.paragraphBreak()
                            for scalar in value.unicodeScalars { out.scalar(scalar.value, pre: false) }
                            out.paragraphBreak()
                        }
                    }
                case .block: if !inHead { out.paragraphBreak() }
                case .other: break
                }
                rawStart = i
            }
            guard !final else {
                flushRaw(rawStart, n)
                return n
            }
            // The text up to its last white space (no character reference holds one); the rest waits.
            var end = n
            while end > rawStart && !(p[end - 1] == 0x20 || p[end - 1] == 0x0A || p[end - 1] == 0x09) { end -= 1 }
            flushRaw(rawStart, end)
            return end
        }

        /// The converted text's bytes so far, taken out: all but the line break a paragraph break
        /// may still add at the end (`Builder.finish` drops one there).
        mutating func takeText() -> [UInt8] {
            var taken: [UInt8] = []
            swap(&taken, &out.bytes)
            if out.lastBlank && !out.lineOpen, let last = taken.popLast() { out.bytes.append(last) }
            return taken
        }
    }

    /// Converts an HTML document's UTF-8 a stretch at a time (`feed`), the same text as `convert`
    /// of the whole, so that a large page need not be held whole: what it holds is the stretch
    /// from the last place where nothing of a tag, comment or skipped element was pending, and
    /// the converted text not yet taken.
    struct Stream {
        private var converter = Converter(UnsafePointer(bitPattern: 1)!, count: 0)
        private var pending: [UInt8] = []

        init() {}

        /// The first `<title>`'s text, once converted.
        var title: String? { converter.title }

        /// Bytes held for the next `feed` (for tests).
        var pendingCount: Int { pending.count }

        /// Converts `bytes` (more of the document's UTF-8, which may end inside a sequence) as far
        /// as it can, and returns the text converted; `final`: the document ends there.
        mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool) -> [UInt8] {
            pending.append(contentsOf: bytes)
            let whole = final ? pending.count : DocumentReader.wholeSequencesEnd(pending)
            guard whole > 0 else { return final ? finish() : [] }
            let consumed = pending.withUnsafeBufferPointer { buffer in
                converter.p = buffer.baseAddress!
                converter.n = whole
                return converter.run(final: final)
            }
            pending.removeSubrange(0..<consumed)
            return final ? finish() : converter.takeText()
        }

        private mutating func finish() -> [UInt8] {
            var text = converter.takeText()
            text += Array(converter.out.finish().utf8)
            return text
        }
    }

    /// The title text of `p[start..<end]`: entities decoded, spaces collapsed.
    private static func titleText(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(end - start)
        appendDecodingEntities(p, start, end, to: &decoded)
        return decoded.withUnsafeBufferPointer { buffer in
            var collapsed: [UInt8] = []
            collapsed.reserveCapacity(buffer.count)
            if let base = buffer.baseAddress { appendCollapsed(base, 0, buffer.count, to: &collapsed) }
            return String(decoding: collapsed, as: UTF8.self)
        }
    }

    /// `p[range]` as a String (the range starts and ends on scalar boundaries).
    private static func string(_ p: UnsafePointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: p + range.lowerBound, count: range.count), as: UTF8.self)
    }

    // MARK: - Spaces

    /// Runs of spaces (incl. NBSP, tabs) become one space; the ends are trimmed.
    static func collapse(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        return rewritingUTF8(text, appendCollapsed)
    }

    /// `text` rewritten by `append`, which appends to `out` what `p[start..<end]` becomes.
    private static func rewritingUTF8(
        _ text: String, _ append: (_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ out: inout [UInt8]) -> Void
    ) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            append(bytes.baseAddress!, 0, bytes.count, &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `collapse` of `p[start..<end]`, appended to `out` (which the trimming does not look before).
    private static func appendCollapsed(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, to out: inout [UInt8]) {
        let outStart = out.count
        var pendingSpace = false
        var i = start
        while i < end {
            let b = p[i]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C {
                pendingSpace = out.count > outStart
                i += 1
            } else if b == 0xC2 && i + 1 < end && p[i + 1] == 0xA0 {
                pendingSpace = out.count > outStart
                i += 2
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(b)
                i += 1
            }
        }
    }

    /// Accumulates the text's UTF-8 as lines and paragraph breaks: the lines are written as they
    /// come, each collapsed (`collapse`) and prefixed with "> " per quote level; a blank line
    /// stands for a paragraph break, never two in a row nor at either end.
    private struct Builder {
        var bytes: [UInt8] = []
        var quoteDepth = 0
        /// Whether a line has been ended (the text so far is not empty).
        var hasLines = false
        /// Whether the last line ended is a blank one (the bytes end with its '\n').
        var lastBlank = false
        /// Whether the current line has text (the bytes end with it).
        var lineOpen = false
        /// Whether a space comes before the current line's next text.
        var pendingSpace = false

        init(capacity: Int) {
            bytes.reserveCapacity(capacity)
        }

        @inline(__always)
        mutating func space() {
            if lineOpen { pendingSpace = true }
        }

        /// Before text: the line's start, or the space it waits for.
        @inline(__always)
        mutating func beginText() {
            if !lineOpen {
                if hasLines { bytes.append(0x0A) }
                for _ in 0..<quoteDepth { bytes.append(0x3E); bytes.append(0x20) }
                lineOpen = true
                pendingSpace = false
            } else if pendingSpace {
                bytes.append(0x20)
                pendingSpace = false
            }
        }

        /// One scalar of text.
        mutating func scalar(_ value: UInt32, pre: Bool) {
            switch value {
            case 0x0D: return
            case 0x0A: if pre { lineBreak() } else { space() }
            case 0x20, 0x09, 0x0C, 0xA0: space()
            default:
                beginText()
                appendUTF8(value, to: &bytes)
            }
        }

        /// The text of `p[start..<end]` with its character references decoded.
        mutating func text(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, pre: Bool) {
            var i = start
            while i < end {
                let b = p[i]
                switch b {
                case 0x26:  // '&'
                    if let (value, next) = HTMLText.characterReference(p, i, end) {
                        scalar(value, pre: pre)
                        i = next
                    } else {
                        beginText()
                        bytes.append(b)
                        i += 1
                    }
                case 0x0D:
                    i += 1
                case 0x0A:
                    if pre { lineBreak() } else { space() }
                    i += 1
                case 0x20, 0x09, 0x0C:
                    space()
                    i += 1
                case 0xC2 where i + 1 < end && p[i + 1] == 0xA0:  // NBSP
                    space()
                    i += 2
                default:
                    // A run of bytes that are text as they are.
                    beginText()
                    var j = i + 1
                    while j < end {
                        let c = p[j]
                        if c > 0x26 ? c == 0xC2 : (c == 0x26 || c == 0x20 || (c >= 0x09 && c <= 0x0D && c != 0x0B)) { break }
                        j += 1
                    }
                    bytes.append(contentsOf: UnsafeBufferPointer(start: p + i, count: j - i))
                    i = j
                }
            }
        }

        /// Ends the current line; with nothing on it, a second break makes a blank line.
        mutating func lineBreak() {
            if lineOpen {
                endLine()
            } else if hasLines && !lastBlank {
                bytes.append(0x0A)
                lastBlank = true
            }
        }

        @inline(__always)
        mutating func endLine() {
            lineOpen = false
            pendingSpace = false
            hasLines = true
            lastBlank = false
        }

        mutating func paragraphBreak() {
            if lineOpen { endLine() }
            if hasLines && !lastBlank {
                bytes.append(0x0A)
                lastBlank = true
            }
        }

        mutating func finish() -> String {
            if lineOpen { endLine() }
            if lastBlank { bytes.removeLast() }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    // MARK: - Entities

    /// Decodes named and numeric character references; unknown ones stay as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.utf8.contains(0x26) else { return text }
        return rewritingUTF8(text, appendDecodingEntities)
    }

    /// `decodeEntities` of `p[start..<end]`, appended to `out`.
    private static func appendDecodingEntities(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, to out: inout [UInt8]) {
        var i = start
        while i < end {
            if p[i] == 0x26, let (value, next) = characterReference(p, i, end) {
                appendUTF8(value, to: &out)
                i = next
            } else {
                out.append(p[i])
                i += 1
            }
        }
    }

    /// The character reference at `p[i]` (an '&') in `p[..<end]`: the scalar it stands for and the
    /// index after it; nil when it is none (the '&' is text).
    @inline(__always)
    private static func characterReference(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (UInt32, Int)? {
        var j = i + 1
        if j < end, p[j] == 0x23 {  // '#'
            j += 1
            var hex = false
            if j < end, p[j] == 0x78 || p[j] == 0x58 { hex = true; j += 1 }
            var value: UInt32 = 0
            var digits = 0
            while j < end, let d = hexValue(p[j]), hex || d < 10 {
                if value < 0x110000 { value = value * (hex ? 16 : 10) + d }
                digits += 1
                j += 1
            }
            guard digits > 0 else { return nil }
            if j < end, p[j] == 0x3B { j += 1 }  // ';'
            if value == 0 || value >= 0x110000 { return (0xFFFD, j) }
            if value >= 0x80 && value <= 0x9F, let mapped = windows1252C1(value) {
                return (mapped, j)  // browsers read &#150; as windows-1252
            }
            if value >= 0xD800 && value <= 0xDFFF { return (0xFFFD, j) }
            return (value, j)
        }
        // A name of at most 10 ASCII letters and digits; the known ones have at most 6.
        var key: UInt64 = 0
        var lowerKey: UInt64 = 0
        while j < end, j - i <= 10 {
            let b = p[j]
            let l = b | 0x20
            guard (l >= 0x61 && l <= 0x7A) || (b >= 0x30 && b <= 0x39) else { break }
            if j - i <= 8 {
                key |= UInt64(b) << (8 * UInt64(j - i - 1))
                lowerKey |= UInt64(asciiLower(b)) << (8 * UInt64(j - i - 1))
            }
            j += 1
        }
        if j - i > 9 { return nil }  // longer than 8: no entity
        if j < end, p[j] == 0x3B, let value = namedEntity(key) ?? namedEntity(lowerKey) {
            return (value, j + 1)
        }
        // Legacy forms without ';'.
        switch key {
        case 0x706D61, 0x746C, 0x7467, 0x746F7571, 0x7073626E, 0x79706F63, 0x676572:  // amp lt gt quot nbsp copy reg
            return (namedEntity(key)!, j)
        default:
            return nil
        }
    }

    /// The scalar of a named character reference, its name's bytes packed first byte lowest.
    private static func namedEntity(_ key: UInt64) -> UInt32? {
        switch key {
        case 0x706D61: return 0x26  // amp
        case 0x746C: return 0x3C  // lt
        case 0x7467: return 0x3E  // gt
        case 0x746F7571: return 0x22  // quot
        case 0x736F7061: return 0x27  // apos
        case 0x7073626E: return 0xA0  // nbsp
        case 0x6F7571616C: return 0xAB  // laquo
        case 0x6F75716172: return 0xBB  // raquo
        case 0x687361646D: return 0x2014  // mdash
        case 0x687361646E: return 0x2013  // ndash
        case 0x70696C6C6568: return 0x2026  // hellip
        case 0x79706F63: return 0xA9  // copy
        case 0x676572: return 0xAE  // reg
        case 0x6564617274: return 0x2122  // trade
        case 0x6F7571736C: return 0x2018  // lsquo
        case 0x6F75717372: return 0x2019  // rsquo
        case 0x6F7571646C: return 0x201C  // ldquo
        case 0x6F75716472: return 0x201D  // rdquo
        case 0x6F75716462: return 0x201E  // bdquo
        case 0x6F75716273: return 0x201A  // sbquo
        case 0x6C6C7562: return 0x2022  // bull
        case 0x746F6464696D: return 0xB7  // middot
        case 0x6F727565: return 0x20AC  // euro
        case 0x676564: return 0xB0  // deg
        case 0x73656D6974: return 0xD7  // times
        case 0x796873: return 0xAD  // shy
        case 0x70736E696874: return 0x2009  // thinsp
        case 0x70736E65: return 0x2002  // ensp
        case 0x70736D65: return 0x2003  // emsp
        case 0x6A6E777A: return 0x200C  // zwnj
        case 0x6A777A: return 0x200D  // zwj
        case 0x74636573: return 0xA7  // sect
        case 0x61726170: return 0xB6  // para
        case 0x6C6D7561: return 0xE4  // auml
        case 0x6C6D756F: return 0xF6  // ouml
        case 0x676E697261: return 0xE5  // aring
        case 0x6C6D7541: return 0xC4  // Auml
        case 0x6C6D754F: return 0xD6  // Ouml
        case 0x676E697241: return 0xC5  // Aring
        case 0x6C6D7575: return 0xFC  // uuml
        case 0x6C6D7555: return 0xDC  // Uuml
        case 0x657475636165: return 0xE9  // eacute
        case 0x657661726765: return 0xE8  // egrave
        case 0x657661726761: return 0xE0  // agrave
        case 0x6C6964656363: return 0xE7  // ccedil
        case 0x67696C7A73: return 0xDF  // szlig
        case 0x6F72656D756E: return 0x2116  // numero
        case 0x73756E696D: return 0x2212  // minus
        case 0x7272616C: return 0x2190  // larr
        case 0x72726172: return 0x2192  // rarr
        case 0x72726175: return 0x2191  // uarr
        case 0x72726164: return 0x2193  // darr
        case 0x646E756F70: return 0xA3  // pound
        case 0x6E6579: return 0xA5  // yen
        case 0x746E6563: return 0xA2  // cent
        case 0x6C63786569: return 0xA1  // iexcl
        case 0x747365757169: return 0xBF  // iquest
        case 0x323163617266: return 0xBD  // frac12
        case 0x6E6D73756C70: return 0xB1  // plusmn
        default: return nil
        }
    }

    @inline(__always)
    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }

    private static func windows1252C1(_ value: UInt32) -> UInt32? {
        switch value {
        case 0x80: return 0x20AC  // €
        case 0x82: return 0x201A  // ‚
        case 0x84: return 0x201E  // „
        case 0x85: return 0x2026  // …
        case 0x86: return 0x2020  // †
        case 0x87: return 0x2021  // ‡
        case 0x89: return 0x2030  // ‰
        case 0x8B: return 0x2039  // ‹
        case 0x91: return 0x2018  // ‘
        case 0x92: return 0x2019  // ’
        case 0x93: return 0x201C  // “
        case 0x94: return 0x201D  // ”
        case 0x95: return 0x2022  // •
        case 0x96: return 0x2013  // –
        case 0x97: return 0x2014  // —
        case 0x99: return 0x2122  // ™
        case 0x9B: return 0x203A  // ›
        default: return nil
        }
    }

    // MARK: - Bytes

    @inline(__always)
    private static func asciiLower(_ b: UInt8) -> UInt8 {
        b >= 0x41 && b <= 0x5A ? b | 0x20 : b
    }

    /// Whether `p[start..<end]`, ASCII letters lower-cased, is `lowercased` (lower-case ASCII).
    @inline(__always)
    private static func equalsLowercased(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ lowercased: StaticString) -> Bool {
        guard end - start == lowercased.utf8CodeUnitCount else { return false }
        let q = lowercased.utf8Start
        for k in 0..<(end - start) where asciiLower(p[start + k]) != q[k] { return false }
        return true
    }

    /// The length of the UTF-8 sequence `lead` starts.
    @inline(__always)
    private static func utf8Length(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// The scalar at `p[i]` (valid UTF-8) and its length.
    @inline(__always)
    private static func scalarAt(_ p: UnsafePointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F), 3) }
        return ((b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6 | UInt32(p[i + 3] & 0x3F), 4)
    }

    @inline(__always)
    private static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        if value < 0x80 {
            out.append(UInt8(value))
        } else if value < 0x800 {
            out.append(UInt8(0xC0 | value >> 6))
            out.append(UInt8(0x80 | value & 0x3F))
        } else if value < 0x10000 {
            out.append(UInt8(0xE0 | value >> 12))
            out.append(UInt8(0x80 | value >> 6 & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        } else {
            out.append(UInt8(0xF0 | value >> 18))
            out.append(UInt8(0x80 | value >> 12 & 0x3F))
            out.append(UInt8(0x80 | value >> 6 & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        }
    }
}
