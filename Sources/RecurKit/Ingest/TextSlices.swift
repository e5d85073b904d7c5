import Foundation

extension DocumentReader {
    /// Reads a plain-text or Markdown file (`.txt`, `.md`), one document, from `fd` a slice of
    /// `sliceSize` bytes at a time instead of whole, so that a text larger than memory can be read:
    /// the document (its text left empty) goes to `document`, then its paragraphs, a chunk at a
    /// time, to `paragraphs`: the same document, paragraphs and diagnostics as
    /// `read(_:bytes:modificationDate:each:)` and `ParagraphSplitter.split` give for the whole file.
    /// At most a slice and the longest paragraph are in memory (and a Markdown file's front matter).
    ///
    /// The passes over the file (`SliceableText`): finding its charset, or that it is plain UTF-8
    /// read from its own bytes; a Markdown file's front matter and where its body starts; whether
    /// the body has a blank line between its lines (`ParagraphSplitter` splits one without on every
    /// line; when the text is decoded, this pass also counts its invalid sequences); the body
    /// handed on. A file the whole-file path would change before decoding (NUL bytes removed) or
    /// skip (binary) is left to it, and so is front matter of more than 16 MB.
    ///
    /// - Parameter read: called as the passes read, with bytes of progress that add up to the
    ///   file's size once (`PassProgress`: the passes before the last count a 32nd of what they read).
    /// - Returns: the diagnostics, or nil when the file is not such a file (nothing has been
    ///   emitted then: the caller reads it whole).
    func readTextInSlices(
        _ file: InputFile, fd: Int32, modificationDate: DocumentDate?, sliceSize: Int,
        read: (Int) -> Void = { _ in }, document: (SourceDocument) -> Void, paragraphs: ([RawParagraph]) -> Void
    ) -> [Diagnostic]? {
        var progress = PassProgress(size: Self.fileSize(fd))
        func early(_ bytes: Int) { read(progress.early(bytes)) }
        guard let format = file.format, Self.slicedTextFormats.contains(format),
              let text = sliceableText(file, fd: fd, sliceSize: sliceSize, isHTML: format == .html, read: early)
        else { return nil }
        var frontMatter: ReadContext.FrontMatter?
        var bodyStart = 0
        if format == .markdown {
            guard let pass = text.pass(from: 0), let found = Self.frontMatter(of: pass) else { return nil }
            (frontMatter, bodyStart) = found
        }
        // An HTML page's text is converted as it is read (`HTMLText.Stream`).
        func pass() -> TextSliceReading? {
            guard let pass = text.pass(from: bodyStart) else { return nil }
            return format == .html ? HTMLTextPass(pass) : pass
        }
        // A decoded text is read to its end, for its invalid sequences (warned of before any
        // paragraph), and so is a page until its title is found (the document carries it).
        guard let counting = pass(),
              let perLine = Self.splitsPerLine(next: { counting.next(&$0, read: early) }),
              !(text.isDecoded || (format == .html && counting.title == nil)) || counting.readToEnd(read: early),
              let body = pass()
        else { return nil }
        let bodyBytes = progress.size - text.fileOffset(ofPassFrom: bodyStart)
        return emitTextInSlices(
            file, format: format, frontMatter: frontMatter, title: counting.title, modificationDate: modificationDate,
            perLine: perLine, encoding: text.charset, invalidBytes: counting.invalidSequences,
            next: { body.next(&$0, read: { read(progress.last($0, of: bodyBytes)) }) }, document: document, paragraphs: paragraphs)
    }

    /// The formats `readTextInSlices` reads.
    static let slicedTextFormats: Set<DocumentFormat> = [.text, .markdown, .html]

    /// The text of `fd` as `readTextInSlices` reads it: from the file's own bytes when the
    /// whole-file path would pass them through as UTF-8 unchanged (as `readRecordsInSlices` asks; a
    /// first pass checks that); else decoded from the charset the whole-file path would decode it
    /// from, found by a first pass (`CharsetEvidence`: the same evidence as from the whole file).
    /// An HTML page's declared charset is read from the head either pass reads (at least its
    /// first 4 KB, all `HTMLText.declaredCharset` looks at). Nil when the whole-file path is to read it.
    private func sliceableText(_ file: InputFile, fd: Int32, sliceSize: Int, isHTML: Bool, read: (Int) -> Void) -> SliceableText? {
        if let head = Self.plainUTF8Head(fd: fd, sliceSize: sliceSize, read: read), !Self.isBinary(head),
           let start = head.withUnsafeBufferPointer({
               decoder.passThroughUTF8Start($0, declared: isHTML ? HTMLText.declaredCharset(head) : nil)
           }) {
            return SliceableText(fd: fd, path: file.path, sliceSize: sliceSize, start: start, charset: "UTF-8", isDecoded: false)
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else { return nil }
        var evidence = CharsetEvidence()
        var unreported: [Diagnostic] = []
        var slices = FileSlices(fd: fd, path: file.path, sliceSize: sliceSize)
        while true {
            guard let slice = slices.next(&unreported, read: read) else { return nil }
            slice.withUnsafeBufferPointer { evidence.add($0, final: slice.isEmpty) }
            if slice.isEmpty { break }
        }
        guard evidence.byteCount > 0, !Self.isBinary(evidence.head, count: evidence.byteCount),
              !evidence.hasNUL || Self.isUTF16(evidence.head, count: evidence.byteCount)
        else { return nil }
        let (charset, start) = decoder.source(of: evidence, declared: isHTML ? HTMLText.declaredCharset(evidence.head) : nil)
        guard CharsetDecoder.isKnown(CharsetDecoder.icuConverterName(charset)) else { return nil }
        return SliceableText(fd: fd, path: file.path, sliceSize: sliceSize, start: start, charset: charset, isDecoded: true)
    }

    /// The front matter of the Markdown text `pass` reads (as `ReadContext.frontMatter` finds it
    /// in the whole text: between a first line `---` and the next `---` or `...` line), and the
    /// byte of the text where its body starts (the first non-blank line after it; 0 without front
    /// matter). Nil when the text cannot be read, or when more than `limit` bytes would have to be held.
    static func frontMatter(of pass: TextPass, limit: Int = 16 << 20) -> (matter: ReadContext.FrontMatter?, bodyStart: Int)? {
        var text: [UInt8] = []
        var unreported: [Diagnostic] = []
        var ended = false
        var lineStart = 0, lineIndex = 0
        var closeEnd: Int?
        while true {
            // The complete lines read: those whose line break is known whole (a CR may be half of a CRLF).
            while true {
                var end = lineStart
                while end < text.count, text[end] != 0x0A, text[end] != 0x0D { end += 1 }
                var next: Int
                if end < text.count {
                    next = end + 1
                    if text[end] == 0x0D {
                        if next == text.count, !ended { break }
                        if next < text.count, text[next] == 0x0A { next += 1 }
                    }
                } else if ended {
                    next = end
                } else {
                    break
                }
                let line = String(decoding: text[lineStart..<end], as: UTF8.self)
                if lineIndex == 0 {
                    if line.ingestTrimmed() != "---" { return (nil, 0) }
                } else if closeEnd == nil {
                    let trimmed = line.ingestTrimmed()
                    if trimmed == "---" || trimmed == "..." { closeEnd = next }
                } else if !ParagraphSplitter.isBlank(line) {
                    return (ReadContext.frontMatter(String(decoding: text[0..<closeEnd!], as: UTF8.self)), lineStart)
                }
                lineIndex += 1
                lineStart = next
                if end == text.count {
                    // The last line, read to the end of the text.
                    guard let closeEnd else { return (nil, 0) }
                    return (ReadContext.frontMatter(String(decoding: text[0..<closeEnd], as: UTF8.self)), text.count)
                }
            }
            guard text.count <= limit, let slice = pass.next(&unreported, read: { _ in }) else { return nil }
            if slice.isEmpty { ended = true } else { text += slice }
        }
    }

    /// Hands on the document of a text file read in slices, then its paragraphs, from the UTF-8
    /// text `next` gives a slice at a time (empty at its end, nil when reading fails).
    ///
    /// - Parameters:
    ///   - format: the document's (`.text` or `.markdown`).
    ///   - frontMatter: a Markdown file's front matter, whose title, client and date the document
    ///     takes; `next` then gives the body after it.
    ///   - title: an HTML page's title (its first `<title>`'s text); not read for other formats.
    ///   - encoding: the charset the text was decoded from.
    ///   - invalidBytes: the invalid sequences decoding it replaced (warned of first, as whole).
    private func emitTextInSlices(
        _ file: InputFile, format: DocumentFormat, frontMatter: ReadContext.FrontMatter?, title: String? = nil, modificationDate: DocumentDate?,
        perLine: Bool, encoding: String, invalidBytes: Int, next: (inout [Diagnostic]) -> ArraySlice<UInt8>?,
        document: (SourceDocument) -> Void, paragraphs: ([RawParagraph]) -> Void
    ) -> [Diagnostic] {
        withoutActuallyEscaping(document) { document in
            var context = ReadContext(reader: self, file: file, modificationDate: modificationDate, emit: document)
            context.noteInvalid(invalidBytes, encoding: encoding)
            var fields = context.singleDocumentFields(frontMatter: frontMatter)
            if format == .html { fields.title = title }
            context.add(SourceDocument(
                id: file.relativePath, path: file.path, line: nil, format: format, date: fields.date, dateOrigin: fields.origin,
                source: fields.source, title: fields.title, text: "", encoding: encoding, invalidBytes: invalidBytes))
            var chunks = ParagraphSplitter.Chunks(perLine: perLine, maxParagraphBytes: maxParagraphBytes)
            var pending: [UInt8] = []
            // A chunk is cut where a paragraph may end; when the text read has no such place yet (a
            // paragraph longer than a slice), it is looked for again once what is pending has doubled.
            var cutAt = 0
            func emit(_ bytes: ArraySlice<UInt8>) {
                // As `ReadContext.add` tells a text from white space (for the "no text" warning).
                if !context.sawText, String(decoding: bytes, as: UTF8.self).contains(where: { !$0.isWhitespace }) {
                    context.sawText = true
                }
                let found = bytes.withUnsafeBufferPointer { chunks.split($0) }
                if !found.isEmpty { paragraphs(found) }
            }
            while let slice = next(&context.diagnostics) {
                if slice.isEmpty {
                    emit(pending[...])
                    break
                }
                pending.append(contentsOf: slice)
                guard pending.count >= cutAt else { continue }
                if let end = pending.withUnsafeBufferPointer({ ParagraphSplitter.chunkEnd($0, perLine: perLine) }) {
                    emit(pending[0..<end])
                    pending.removeSubrange(0..<end)
                    cutAt = 0
                } else {
                    cutAt = 2 * pending.count
                }
            }
            return context.finishDiagnostics(fileWasEmpty: false)
        }
    }

    /// Whether `ParagraphSplitter.split` would split the text of `fd` from `start` on every line:
    /// it has two non-blank lines or more and no blank line between any two. Reads the file in
    /// slices up to the first blank line between non-blank ones; nil when it cannot be read (the
    /// whole-file path then reads it, and reports the error).
    static func splitsPerLine(fd: Int32, from start: Int, sliceSize: Int) -> Bool? {
        guard lseek(fd, off_t(start), SEEK_SET) == off_t(start) else { return nil }
        var slices = FileSlices(fd: fd, path: "", sliceSize: sliceSize, offset: start)
        return splitsPerLine(next: { slices.next(&$0, read: { _ in }) })
    }

    /// `splitsPerLine(fd:from:sliceSize:)` of the text `next` gives a slice at a time (empty at its
    /// end, nil when reading fails).
    static func splitsPerLine(next: (inout [Diagnostic]) -> ArraySlice<UInt8>?) -> Bool? {
        var nonBlank = 0
        var blankAfterNonBlank = false
        var pending: [UInt8] = []
        var unreported: [Diagnostic] = []
        /// Counts complete lines; true once a non-blank line follows a blank one after a non-blank one.
        func scan(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool) -> (used: Int, found: Bool) {
            let lines = ParagraphSplitter.lineRanges(bytes)
            // Without the line being read (and, short of the end, a CR that may be half of a CRLF).
            let complete = final ? lines.count : lines.count - 1
            var used = 0
            for i in 0..<complete {
                let end = i + 1 < lines.count ? lines[i + 1].lowerBound : bytes.count
                if !final, end >= bytes.count, bytes[end - 1] == 0x0D { break }
                if ParagraphSplitter.isBlank(UnsafeBufferPointer(rebasing: bytes[lines[i]])) {
                    if nonBlank > 0 { blankAfterNonBlank = true }
                } else {
                    if blankAfterNonBlank { return (end, true) }
                    nonBlank += 1
                }
                used = end
            }
            return (used, false)
        }
        while let slice = next(&unreported) {
            pending.append(contentsOf: slice)
            let scanned = pending.withUnsafeBufferPointer { scan($0, final: slice.isEmpty) }
            if scanned.found { return false }
            if slice.isEmpty { return nonBlank >= 2 }
            pending.removeSubrange(0..<scanned.used)
        }
        return nil
    }
}

/// A text file's UTF-8 text as `DocumentReader.readTextInSlices` reads it, in passes: the file's
/// own bytes from `start`, or decoded from `charset`.
struct SliceableText {
    let fd: Int32
    let path: String
    let sliceSize: Int
    /// Where the text starts in the file (after a byte-order mark).
    let start: Int
    /// The charset's reported name (`UTF-8` for a file read from its own bytes).
    let charset: String
    /// Decoded, not the file's own bytes: a pass reads the file from `start` whatever byte of the
    /// text it starts at.
    let isDecoded: Bool

    /// Where in the file a pass from the text's byte `offset` starts reading.
    func fileOffset(ofPassFrom offset: Int) -> Int { isDecoded ? start : start + offset }

    /// A pass over the text from its byte `offset`; nil when the file cannot be positioned.
    func pass(from offset: Int) -> TextPass? {
        let fileOffset = fileOffset(ofPassFrom: offset)
        guard lseek(fd, off_t(fileOffset), SEEK_SET) == off_t(fileOffset) else { return nil }
        let file = FileSlices(fd: fd, path: path, sliceSize: sliceSize, offset: fileOffset)
        guard isDecoded else { return TextPass(file) }
        guard let decoder = IncrementalDecoder(charset: CharsetDecoder.icuConverterName(charset)) else { return nil }
        return TextPass(file, decoder: decoder, charset: charset, skipping: offset)
    }
}

/// A pass of UTF-8 text that `DocumentReader.readTextInSlices` reads a slice at a time: a file's
/// text (`TextPass`), or an HTML page's converted text (`HTMLTextPass`).
protocol TextSliceReading: AnyObject {
    /// The next slice of text, empty at the end; nil when reading or decoding fails, with an error
    /// naming the file and the byte offset appended to `diagnostics`.
    ///
    /// - Parameter read: called with the size of every file slice read.
    func next(_ diagnostics: inout [Diagnostic], read: (Int) -> Void) -> ArraySlice<UInt8>?
    /// Invalid sequences decoding has replaced so far.
    var invalidSequences: Int { get }
    /// An HTML page's title once found (its first `<title>`'s text); nil for other text.
    var title: String? { get }
}

extension TextSliceReading {
    var title: String? { nil }

    /// Reads the rest of the text, handing it to no one: false when reading or decoding fails.
    ///
    /// - Parameter read: called with the size of every file slice read.
    func readToEnd(read: (Int) -> Void = { _ in }) -> Bool {
        var unreported: [Diagnostic] = []
        while let slice = next(&unreported, read: read) {
            if slice.isEmpty { return true }
        }
        return false
    }
}

/// One pass over a text file's UTF-8 text (`SliceableText.pass(from:)`), a slice at a time: the
/// file's own slices, or slices decoded by an `IncrementalDecoder` (the first `skipping` bytes of
/// their text left out).
final class TextPass: TextSliceReading {
    private var file: FileSlices
    private let decoder: IncrementalDecoder?
    /// The charset's reported name, for the message when decoding fails.
    private let charset: String
    private var skip: Int
    private var text: [UInt8] = []
    private var ended = false

    init(_ file: FileSlices, decoder: IncrementalDecoder? = nil, charset: String = "UTF-8", skipping: Int = 0) {
        (self.file, self.decoder, self.charset, skip) = (file, decoder, charset, skipping)
    }

    var invalidSequences: Int { decoder?.invalidSequences ?? 0 }

    /// The next slice of text (decoded: one file slice or more, as a slice may only begin a
    /// sequence), empty at the end; nil when reading or decoding fails, with an error naming the
    /// file and the byte offset appended to `diagnostics`.
    func next(_ diagnostics: inout [Diagnostic], read: (Int) -> Void) -> ArraySlice<UInt8>? {
        guard let decoder else { return file.next(&diagnostics, read: read) }
        while true {
            text.removeAll(keepingCapacity: true)
            while text.isEmpty, !ended {
                let offset = file.offset
                guard let slice = file.next(&diagnostics, read: read) else { return nil }
                ended = slice.isEmpty
                let decoded = slice.withUnsafeBufferPointer { decoder.decode($0, final: ended) { text.append(contentsOf: $0) } }
                guard decoded else {
                    diagnostics.append(Diagnostic(.error, path: file.path, byteOffset: offset, "cannot decode the text as \(charset) from here on"))
                    return nil
                }
            }
            if skip == 0 || text.isEmpty { return text[...] }
            if text.count <= skip {
                skip -= text.count
                continue
            }
            let skipped = skip
            skip = 0
            return text[skipped...]
        }
    }
}

/// The progress of a file read in several passes (`DocumentReader.readTextInSlices`), in bytes that
/// add up to the file's size once: each pass before the last counts a 32nd of the bytes it reads
/// (checking UTF-8, gathering the charset's evidence, decoding to count invalid sequences: fast next
/// to the analysis the last pass feeds), up to half the file; the last pass counts the rest in
/// proportion to what it has read. So the display moves during every pass, and its rate and time
/// left stay about right.
struct PassProgress {
    static let earlyShare = 32
    /// The file's size in bytes.
    let size: Int
    /// Bytes reported so far.
    private(set) var reported = 0
    private var earlyRead = 0
    private var lastRead = 0
    /// `reported` when the last pass began.
    private var lastBase: Int?

    init(size: Int) { self.size = max(0, size) }

    /// The bytes to report for `bytes` read by a pass before the last.
    mutating func early(_ bytes: Int) -> Int {
        earlyRead += bytes
        return advance(to: min(earlyRead / Self.earlyShare, size / 2))
    }

    /// The bytes to report for `bytes` read by the last pass, which reads `passBytes` in all.
    mutating func last(_ bytes: Int, of passBytes: Int) -> Int {
        let base = lastBase ?? reported
        lastBase = base
        lastRead += bytes
        guard passBytes > 0 else { return advance(to: size) }
        return advance(to: base + (size - base) * min(lastRead, passBytes) / passBytes)
    }

    private mutating func advance(to target: Int) -> Int {
        let step = max(0, min(target, size) - reported)
        reported += step
        return step
    }
}

extension DocumentReader {
    /// The size of the file open as `fd` (0 when it cannot be found).
    static func fileSize(_ fd: Int32) -> Int {
        var info = stat()
        return fstat(fd, &info) == 0 ? Int(info.st_size) : 0
    }
}

/// One pass over an HTML file's converted text: the page's UTF-8 from a `TextPass`, converted as
/// it is read (`HTMLText.Stream`), a slice of text at a time.
final class HTMLTextPass: TextSliceReading {
    private let pass: TextPass
    private var stream = HTMLText.Stream()
    private var ended = false

    init(_ pass: TextPass) { self.pass = pass }

    var title: String? { stream.title }

    var invalidSequences: Int { pass.invalidSequences }

    /// The next slice of text (converted from one slice of the page or more), empty at the end;
    /// nil when reading or decoding fails (with the error in `diagnostics`).
    func next(_ diagnostics: inout [Diagnostic], read: (Int) -> Void) -> ArraySlice<UInt8>? {
        while !ended {
            guard let slice = pass.next(&diagnostics, read: read) else { return nil }
            ended = slice.isEmpty
            let text = slice.withUnsafeBufferPointer { stream.feed($0, final: ended) }
            if !text.isEmpty { return text[...] }
        }
        return []
    }
}
