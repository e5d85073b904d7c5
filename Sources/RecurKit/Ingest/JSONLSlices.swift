import Foundation

extension DocumentReader {
    /// Reads a JSONL file from `fd` a slice of `sliceSize` bytes at a time instead of whole, so that
    /// a chat export larger than memory can be read: the same documents and diagnostics as
    /// `read(_:bytes:modificationDate:each:)` gives for the whole file, with at most a slice and the
    /// longest line in memory.
    ///
    /// Only a file that the whole-file path would pass through as UTF-8 unchanged is read so: valid
    /// UTF-8 throughout (after an optional byte-order mark), no control bytes that JSON text never
    /// holds raw (anything below U+0020 but tab, LF and CR: so no NULs to remove, no ISO-2022-JP
    /// escapes, no UTF-16), not starting like a binary file, and no other encoding forced. A first
    /// pass checks that (reading the file once more, from the page cache for a file just written).
    ///
    /// - Returns: the diagnostics, or nil when the file is not such a file (nothing has been
    ///   emitted then: the caller reads it whole).
    func readJSONLInSlices(
        _ file: InputFile, fd: Int32, modificationDate: DocumentDate?, sliceSize: Int, each: (SourceDocument) -> Void
    ) -> [Diagnostic]? {
        // Where the whole-file path would start the text (`passThroughUTF8Start`: a forced encoding,
        // a byte-order mark), asked of the file's head once the whole file is known to be plain UTF-8.
        guard let head = Self.plainUTF8Head(fd: fd, sliceSize: sliceSize), !Self.isBinary(head),
              let start = head.withUnsafeBufferPointer({ decoder.passThroughUTF8Start($0) }),
              lseek(fd, off_t(start), SEEK_SET) == off_t(start)
        else { return nil }
        return withoutActuallyEscaping(each) { each in
            var context = ReadContext(reader: self, file: file, modificationDate: modificationDate, emit: each)
            var lineNumber = 0
            var pending: [UInt8] = []
            var offset = start
            var slice = [UInt8](repeating: 0, count: sliceSize)
            while true {
                let n = slice.withUnsafeMutableBytes { readSome(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    context.diagnostics.append(Diagnostic(
                        .error, path: file.path, byteOffset: offset, "cannot read file: \(String(cString: strerror(errno)))"))
                    break
                }
                if n == 0 {
                    // The rest after the last line break, as the whole-file path ends (possibly empty).
                    pending.withUnsafeBufferPointer { context.readJSONLLines(utf8: $0, encoding: "UTF-8", lineNumber: &lineNumber) }
                    break
                }
                offset += n
                pending.append(contentsOf: slice[0..<n])
                // Whole lines up to the last LF (and the CR before it): cut there, the lines and
                // their numbers are those of the whole text.
                guard let lf = pending.lastIndex(of: 0x0A) else { continue }
                let end = lf > 0 && pending[lf - 1] == 0x0D ? lf - 1 : lf
                pending.withUnsafeBufferPointer {
                    context.readJSONLLines(utf8: UnsafeBufferPointer(rebasing: $0[0..<end]), encoding: "UTF-8", lineNumber: &lineNumber)
                }
                pending.removeSubrange(0...lf)
            }
            return context.finishDiagnostics(fileWasEmpty: false)
        }
    }

    /// The first 8 KB or so of the file at `fd` (ending on a whole UTF-8 sequence) when the file is
    /// non-empty, valid UTF-8 and without control bytes but tab, LF and CR; else nil. Reads the
    /// file from its start in slices.
    static func plainUTF8Head(fd: Int32, sliceSize: Int) -> [UInt8]? {
        guard lseek(fd, 0, SEEK_SET) == 0 else { return nil }
        var head: [UInt8] = []
        var pending: [UInt8] = []
        var slice = [UInt8](repeating: 0, count: sliceSize)
        while true {
            let n = slice.withUnsafeMutableBytes { readSome(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
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

/// `read(2)` (inside `DocumentReader` the name is its own `read` methods').
private func readSome(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
