import Foundation

extension DocumentReader {
    /// Reads a plain-text file (`.txt`), one document, from `fd` a slice of `sliceSize` bytes at a
    /// time instead of whole, so that a text larger than memory can be read: the document (its
    /// text left empty) goes to `document`, then its paragraphs, a chunk at a time, to `paragraphs`:
    /// the same document, paragraphs and diagnostics as `read(_:bytes:modificationDate:each:)` and
    /// `ParagraphSplitter.split` give for the whole file. At most a slice and the longest paragraph
    /// are in memory.
    ///
    /// Only a file that the whole-file path would pass through as UTF-8 unchanged is read so (as
    /// `readRecordsInSlices` asks). A first pass checks that; a second one finds whether the text
    /// has a blank line between its lines (`ParagraphSplitter` splits one without on every line),
    /// stopping at the first.
    ///
    /// - Parameter read: called with the size of every slice of the last pass (for progress).
    /// - Returns: the diagnostics, or nil when the file is not such a file (nothing has been
    ///   emitted then: the caller reads it whole).
    func readTextInSlices(
        _ file: InputFile, fd: Int32, modificationDate: DocumentDate?, sliceSize: Int,
        read: (Int) -> Void = { _ in }, document: (SourceDocument) -> Void, paragraphs: ([RawParagraph]) -> Void
    ) -> [Diagnostic]? {
        guard file.format == .text,
              let head = Self.plainUTF8Head(fd: fd, sliceSize: sliceSize), !Self.isBinary(head),
              let start = head.withUnsafeBufferPointer({ decoder.passThroughUTF8Start($0) }),
              let perLine = Self.splitsPerLine(fd: fd, from: start, sliceSize: sliceSize),
              lseek(fd, off_t(start), SEEK_SET) == off_t(start)
        else { return nil }
        return withoutActuallyEscaping(document) { document in
            var context = ReadContext(reader: self, file: file, modificationDate: modificationDate, emit: document)
            let (date, origin) = context.fallbackDate()
            context.add(SourceDocument(
                id: file.relativePath, path: file.path, line: nil, format: .text, date: date, dateOrigin: origin,
                source: context.defaultSource, title: nil, text: "", encoding: "UTF-8", invalidBytes: 0))
            var chunks = ParagraphSplitter.Chunks(perLine: perLine)
            var pending: [UInt8] = []
            var slices = FileSlices(fd: fd, path: file.path, sliceSize: sliceSize, offset: start)
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
            while let slice = slices.next(&context.diagnostics, read: read) {
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
        var nonBlank = 0
        var blankAfterNonBlank = false
        var pending: [UInt8] = []
        var slices = FileSlices(fd: fd, path: "", sliceSize: sliceSize, offset: start)
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
        while let slice = slices.next(&unreported, read: { _ in }) {
            pending.append(contentsOf: slice)
            let (used, found) = pending.withUnsafeBufferPointer { scan($0, final: slice.isEmpty) }
            if found { return false }
            if slice.isEmpty { return nonBlank >= 2 }
            pending.removeSubrange(0..<used)
        }
        return nil
    }
}
