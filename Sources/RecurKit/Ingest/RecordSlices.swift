import Foundation

extension DocumentReader {
    /// Reads a JSONL or CSV file from `fd` a slice of `sliceSize` bytes at a time instead of whole,
    /// so that an export larger than memory can be read: the same documents and diagnostics as
    /// `read(_:bytes:modificationDate:each:)` gives for the whole file, with at most a slice and
    /// the longest record in memory (JSONL: lines up to the last line break read; CSV: records up
    /// to the last one whose line break was read; a CSV quote left open waits for the rest of the
    /// file, as the whole-file parser reads it).
    ///
    /// Only a file that the whole-file path would pass through as UTF-8 unchanged is read so: valid
    /// UTF-8 throughout (after an optional byte-order mark), no control bytes but tab, LF and CR
    /// (so no NULs to remove, no ISO-2022-JP escapes, no UTF-16), not starting like a binary file,
    /// and no other encoding forced. A first pass checks that (reading the file once more, from
    /// the page cache for a file just written).
    ///
    /// - Parameter read: called with the size of every slice read (for progress within the file).
    /// - Returns: the diagnostics, or nil when the file is not such a file, nor JSONL or CSV
    ///   (nothing has been emitted then: the caller reads it whole).
    func readRecordsInSlices(
        _ file: InputFile, fd: Int32, modificationDate: DocumentDate?, sliceSize: Int,
        read: (Int) -> Void = { _ in }, each: (SourceDocument) -> Void
    ) -> [Diagnostic]? {
        guard file.format == .jsonl || file.format == .csv else { return nil }
        // Where the whole-file path would start the text (`passThroughUTF8Start`: a forced encoding,
        // a byte-order mark), asked of the file's head once the whole file is known to be plain UTF-8.
        guard let head = Self.plainUTF8Head(fd: fd, sliceSize: sliceSize), !Self.isBinary(head),
              let start = head.withUnsafeBufferPointer({ decoder.passThroughUTF8Start($0) }),
              lseek(fd, off_t(start), SEEK_SET) == off_t(start)
        else { return nil }
        let isJSONL = file.format == .jsonl
        return withoutActuallyEscaping(each) { each in
            var context = ReadContext(reader: self, file: file, modificationDate: modificationDate, emit: each)
            var jsonlLine = 0
            var csv = ReadContext.CSVSliceState()
            func readSlice(_ text: UnsafeBufferPointer<UInt8>, final: Bool) -> Int {
                isJSONL
                    ? context.readJSONLSlice(text, final: final, encoding: "UTF-8", lineNumber: &jsonlLine)
                    : context.readCSVSlice(text, final: final, encoding: "UTF-8", state: &csv)
            }
            var pending: [UInt8] = []
            var slices = FileSlices(fd: fd, path: file.path, sliceSize: sliceSize, offset: start)
            // What is left unread after a slice is at most a record, mostly part of a line; a record
            // longer than a slice (a CSV quote left open runs to the end of the file) is parsed
            // again only once what is pending has doubled, so that it is not parsed once per slice.
            var parseAt = 0
            while let slice = slices.next(&context.diagnostics, read: read) {
                if slice.isEmpty {
                    // What is left, to the end of the file, as the whole-file path ends.
                    _ = pending.withUnsafeBufferPointer { readSlice($0, final: true) }
                    break
                }
                pending.append(contentsOf: slice)
                guard pending.count >= parseAt else { continue }
                let used = pending.withUnsafeBufferPointer { readSlice($0, final: false) }
                pending.removeSubrange(0..<used)
                parseAt = pending.count > sliceSize ? 2 * pending.count : 0
            }
            if !isJSONL { context.finishCSV(csv) }
            return context.finishDiagnostics(fileWasEmpty: false)
        }
    }

    /// The first 8 KB or so of the file at `fd` (ending on a whole UTF-8 sequence) when the file is
    /// non-empty, valid UTF-8 and without control bytes but tab, LF and CR; else nil. Reads the
    /// file from its start in slices, calling `read` with the size of each.
    static func plainUTF8Head(fd: Int32, sliceSize: Int, read: (Int) -> Void = { _ in }) -> [UInt8]? {
        guard lseek(fd, 0, SEEK_SET) == 0 else { return nil }
        var head: [UInt8] = []
        var pending: [UInt8] = []
        var slice = [UInt8](repeating: 0, count: sliceSize)
        while true {
            let n = readChunk(fd, into: &slice)
            if n < 0 { return nil }
            if n == 0 { break }
            read(n)
            if head.count < 8192 { head += slice[0..<min(n, 8192 - head.count)] }
            pending.append(contentsOf: slice[0..<n])
            // Checked up to the last sequence, which may still be cut: it waits for the next slice.
            let cut = wholeSequencesEnd(pending)
            guard pending.withUnsafeBufferPointer({ Self.isPlainUTF8(UnsafeBufferPointer(rebasing: $0[0..<cut])) }) else { return nil }
            pending.removeSubrange(0..<cut)
        }
        guard !head.isEmpty, pending.withUnsafeBufferPointer({ Self.isPlainUTF8($0) }) else { return nil }
        // A head shorter than 8 KB is the whole file; a longer file's may end inside a sequence.
        return head.count < 8192 ? head : Array(head[0..<wholeSequencesEnd(head)])
    }

    /// Where the last UTF-8 sequence of `bytes` starts (its lead byte, and up to three continuation
    /// bytes after it), which may be cut short; `bytes.count` when the last byte is ASCII.
    static func wholeSequencesEnd(_ bytes: [UInt8]) -> Int {
        var end = bytes.count
        var back = 0
        while back < 3, end > 0, bytes[end - 1] & 0xC0 == 0x80 { end -= 1; back += 1 }
        if end > 0, bytes[end - 1] >= 0xC0 { end -= 1 } else if back > 0 { end += back }
        return end
    }

    /// Valid UTF-8 with no byte below 0x20 but tab, LF and CR.
    static func isPlainUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in bytes where b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { return false }
        return CharsetDecoder.isValidUTF8(bytes)
    }
}

/// A file read from its descriptor a slice at a time, for the readers that never hold a file whole.
struct FileSlices {
    private let fd: Int32
    let path: String
    private var buffer: [UInt8]
    /// Where the next slice starts in the file.
    private(set) var offset: Int

    /// - Parameter offset: where `fd` is positioned.
    init(fd: Int32, path: String, sliceSize: Int, offset: Int = 0) {
        self.fd = fd
        self.path = path
        buffer = [UInt8](repeating: 0, count: sliceSize)
        self.offset = offset
    }

    /// The next slice, empty at the end of the file; nil when reading fails, with an error naming
    /// the file and the byte offset reached appended to `diagnostics`. `read` is called with the
    /// size of each slice (for progress).
    mutating func next(_ diagnostics: inout [Diagnostic], read: (Int) -> Void) -> ArraySlice<UInt8>? {
        let n = readChunk(fd, into: &buffer)
        guard n >= 0 else {
            diagnostics.append(Diagnostic(.error, path: path, byteOffset: offset, "cannot read file: \(String(cString: strerror(errno)))"))
            return nil
        }
        offset += n
        if n > 0 { read(n) }
        return buffer[0..<n]
    }
}

/// Reads up to `buffer.count` bytes from `fd` into `buffer` (`read(2)`, tried again when a signal
/// interrupts it): the bytes read, 0 at the end of the file, -1 on an error (`errno` says which).
func readChunk(_ fd: Int32, into buffer: inout [UInt8]) -> Int {
    buffer.withUnsafeMutableBytes { readRetryingInterrupts(fd, $0.baseAddress, $0.count) }
}

/// `read(2)` of up to `count` bytes into `destination`, tried again when a signal interrupts it.
func readRetryingInterrupts(_ fd: Int32, _ destination: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    while true {
        let n = read(fd, destination, count)
        if n >= 0 || errno != EINTR { return n }
    }
}
