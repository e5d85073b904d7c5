import Foundation

extension DocumentReader {
    /// Reads a plain-text file (`.txt`), one document, from `fd` a slice of `sliceSize` bytes at a
    /// time instead of whole, so that a text larger than memory can be read: the document (its
    /// text left empty) goes to `document`, then its paragraphs, a chunk at a time, to `paragraphs`:
    /// the same document, paragraphs and diagnostics as `read(_:bytes:modificationDate:each:)` and
    /// `ParagraphSplitter.split` give for the whole file. At most a slice and the longest paragraph
    /// are in memory.
    ///
    /// A file in plain UTF-8 is read from its own bytes (`readUTF8TextInSlices`); any other is
    /// decoded a slice at a time (`readDecodedTextInSlices`). One the whole-file path would change
    /// before decoding (NUL bytes removed) or skip (binary) is left to it.
    ///
    /// - Parameter read: called with the size of every slice of the last pass (for progress).
    /// - Returns: the diagnostics, or nil when the file is not such a file (nothing has been
    ///   emitted then: the caller reads it whole).
    func readTextInSlices(
        _ file: InputFile, fd: Int32, modificationDate: DocumentDate?, sliceSize: Int,
        read: (Int) -> Void = { _ in }, document: (SourceDocument) -> Void, paragraphs: ([RawParagraph]) -> Void
    ) -> [Diagnostic]? {
        guard file.format == .text else { return nil }
        return readUTF8TextInSlices(file, fd: fd, modificationDate: modificationDate, sliceSize: sliceSize,
                                    read: read, document: document, paragraphs: paragraphs)
            ?? readDecodedTextInSlices(file, fd: fd, modificationDate: modificationDate, sliceSize: sliceSize,
                                       read: read, document: document, paragraphs: paragraphs)
    }

    /// `readTextInSlices` for a file that the whole-file path would pass through as UTF-8 unchanged
    /// (as `readRecordsInSlices` asks). A first pass checks that; a second one finds whether the
    /// text has a blank line between its lines (`ParagraphSplitter` splits one without on every
    /// line), stopping at the first.
    private func readUTF8TextInSlices(
        _ file: InputFile, fd: Int32, modificationDate: DocumentDate?, sliceSize: Int,
        read: (Int) -> Void, document: (SourceDocument) -> Void, paragraphs: ([RawParagraph]) -> Void
    ) -> [Diagnostic]? {
        guard let head = Self.plainUTF8Head(fd: fd, sliceSize: sliceSize), !Self.isBinary(head),
              let start = head.withUnsafeBufferPointer({ decoder.passThroughUTF8Start($0) }),
              let perLine = Self.splitsPerLine(fd: fd, from: start, sliceSize: sliceSize),
              lseek(fd, off_t(start), SEEK_SET) == off_t(start)
        else { return nil }
        var slices = FileSlices(fd: fd, path: file.path, sliceSize: sliceSize, offset: start)
        return emitTextInSlices(
            file, modificationDate: modificationDate, perLine: perLine, encoding: "UTF-8", invalidBytes: 0,
            next: { slices.next(&$0, read: read) }, document: document, paragraphs: paragraphs)
    }

    /// `readTextInSlices` for a file in another charset (or UTF-8 with invalid bytes or control
    /// characters), in three passes over the file: the first gathers what the charset is detected
    /// from (`CharsetEvidence`: the same evidence as from the whole file); the second decodes it to
    /// count the invalid sequences and find whether it splits on every line; the third decodes it
    /// again, handing its paragraphs on. Each decodes a slice at a time (`IncrementalDecoder`).
    private func readDecodedTextInSlices(
        _ file: InputFile, fd: Int32, modificationDate: DocumentDate?, sliceSize: Int,
        read: (Int) -> Void, document: (SourceDocument) -> Void, paragraphs: ([RawParagraph]) -> Void
    ) -> [Diagnostic]? {
        guard lseek(fd, 0, SEEK_SET) == 0 else { return nil }
        var evidence = CharsetEvidence()
        var unreported: [Diagnostic] = []
        var slices = FileSlices(fd: fd, path: file.path, sliceSize: sliceSize)
        while true {
            guard let slice = slices.next(&unreported, read: { _ in }) else { return nil }
            slice.withUnsafeBufferPointer { evidence.add($0, final: slice.isEmpty) }
            if slice.isEmpty { break }
        }
        guard evidence.byteCount > 0, !Self.isBinary(evidence.head, count: evidence.byteCount),
              !evidence.hasNUL || Self.isUTF16(evidence.head, count: evidence.byteCount)
        else { return nil }
        let (charset, start) = decoder.source(of: evidence)
        let converter = CharsetDecoder.icuConverterName(charset)
        func decodedSlices() -> DecodedSlices? {
            guard lseek(fd, off_t(start), SEEK_SET) == off_t(start), let decoder = IncrementalDecoder(charset: converter) else { return nil }
            return DecodedSlices(FileSlices(fd: fd, path: file.path, sliceSize: sliceSize, offset: start), decoder: decoder, charset: charset)
        }
        guard var counting = decodedSlices(),
              let perLine = Self.splitsPerLine(sliceSize: sliceSize, readToEnd: true, next: { counting.next(&$0, read: { _ in }) }),
              var decoded = decodedSlices()
        else { return nil }
        return emitTextInSlices(
            file, modificationDate: modificationDate, perLine: perLine, encoding: charset, invalidBytes: counting.decoder.invalidSequences,
            next: { decoded.next(&$0, read: read) }, document: document, paragraphs: paragraphs)
    }

    /// Hands on the document of a text file read in slices, then its paragraphs, from the UTF-8
    /// text `next` gives a slice at a time (empty at its end, nil when reading fails).
    ///
    /// - Parameters:
    ///   - encoding: the charset the text was decoded from.
    ///   - invalidBytes: the invalid sequences decoding it replaced (warned of first, as whole).
    private func emitTextInSlices(
        _ file: InputFile, modificationDate: DocumentDate?, perLine: Bool, encoding: String, invalidBytes: Int,
        next: (inout [Diagnostic]) -> ArraySlice<UInt8>?,
        document: (SourceDocument) -> Void, paragraphs: ([RawParagraph]) -> Void
    ) -> [Diagnostic] {
        withoutActuallyEscaping(document) { document in
            var context = ReadContext(reader: self, file: file, modificationDate: modificationDate, emit: document)
            context.noteInvalid(invalidBytes, encoding: encoding)
            let (date, origin) = context.fallbackDate()
            context.add(SourceDocument(
                id: file.relativePath, path: file.path, line: nil, format: .text, date: date, dateOrigin: origin,
                source: context.defaultSource, title: nil, text: "", encoding: encoding, invalidBytes: invalidBytes))
            var chunks = ParagraphSplitter.Chunks(perLine: perLine)
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
        return splitsPerLine(sliceSize: sliceSize, readToEnd: false, next: { slices.next(&$0, read: { _ in }) })
    }

    /// `splitsPerLine(fd:from:sliceSize:)` of the text `next` gives a slice at a time (empty at its
    /// end, nil when reading fails); with `readToEnd`, it is read to its end even once the answer
    /// is known (for what reading it counts on the way).
    static func splitsPerLine(
        sliceSize: Int, readToEnd: Bool, next: (inout [Diagnostic]) -> ArraySlice<UInt8>?
    ) -> Bool? {
        var nonBlank = 0
        var blankAfterNonBlank = false
        var pending: [UInt8] = []
        var unreported: [Diagnostic] = []
        var found = false
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
            if found {
                if slice.isEmpty { return false }
                continue
            }
            pending.append(contentsOf: slice)
            let scanned = pending.withUnsafeBufferPointer { scan($0, final: slice.isEmpty) }
            if scanned.found {
                if !readToEnd || slice.isEmpty { return false }
                found = true
                pending = []
                continue
            }
            if slice.isEmpty { return nonBlank >= 2 }
            pending.removeSubrange(0..<scanned.used)
        }
        return nil
    }
}

/// The UTF-8 text of a file in another charset, a slice at a time: `FileSlices` decoded by an
/// `IncrementalDecoder`.
struct DecodedSlices {
    private var file: FileSlices
    let decoder: IncrementalDecoder
    /// The charset's reported name, for the message when decoding fails.
    private let charset: String
    private var text: [UInt8] = []
    private var ended = false

    init(_ file: FileSlices, decoder: IncrementalDecoder, charset: String) {
        (self.file, self.decoder, self.charset) = (file, decoder, charset)
    }

    /// The next slice's text (one slice or more read: a slice may only begin a sequence), empty
    /// at the end; nil when reading or decoding fails, with an error naming the file and the byte
    /// offset appended to `diagnostics`.
    mutating func next(_ diagnostics: inout [Diagnostic], read: (Int) -> Void) -> ArraySlice<UInt8>? {
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
        return text[...]
    }
}
