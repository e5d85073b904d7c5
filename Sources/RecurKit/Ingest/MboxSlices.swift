import Foundation

/// The lines of an mbox file, scanned for message starts: a line beginning `From ` at the start of
/// the file or after a blank line. Keeps its place between calls, so that a file can be scanned a
/// slice at a time with the same starts and line numbers as whole.
struct MboxLines {
    /// The number of the next line to scan (1-based).
    private var lineNumber = 1
    /// The line before the next one was blank (or there was none).
    private var previousBlank = true

    static let noMessages = "no messages found in mbox (no \"From \" line)"
    static let textBeforeFirstMessage = "text before the first \"From \" line skipped"
    private static let from: [UInt8] = Array("From ".utf8)

    /// Scans the lines of `bytes` from `start` (a line start), calling `found` with the offset and
    /// line number of each message start.
    ///
    /// - Parameter final: the end of `bytes` is the end of the file; else a last line without its
    ///   line break is left for the next call.
    /// - Returns: where scanning stopped: the start of the first line not scanned.
    mutating func scan(
        _ bytes: ArraySlice<UInt8>, from start: Int, final: Bool, found: (_ offset: Int, _ line: Int) -> Void
    ) -> Int {
        var lineStart = start
        let end = bytes.endIndex
        while lineStart < end {
            let lineEnd: Int
            if let lf = bytes[lineStart..<end].firstIndex(of: 0x0A) {
                lineEnd = lf
            } else if final {
                lineEnd = end
            } else {
                return lineStart
            }
            let line = bytes[lineStart..<lineEnd]
            if previousBlank && line.starts(with: Self.from) { found(lineStart, lineNumber) }
            previousBlank = line.isEmpty || (line.count == 1 && line.first == 0x0D)
            lineStart = lineEnd + 1
            lineNumber += 1
        }
        return min(lineStart, end)
    }

    /// Something other than blank lines, spaces and tabs.
    static func hasText(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.allSatisfy { $0 == 0x0A || $0 == 0x0D || $0 == 0x20 || $0 == 0x09 }
    }
}

extension DocumentReader {
    /// Reads an mbox file from `fd` a slice of `sliceSize` bytes at a time instead of whole, so
    /// that a mailbox larger than memory (a mail export is often one file of gigabytes) can be
    /// read: the same documents and diagnostics as `read(_:bytes:modificationDate:each:)` gives for
    /// the whole file, with at most a slice and the longest message in memory. Each message is
    /// handed on once the next `From ` line (or the end of the file) has been read.
    ///
    /// Only a file that the whole-file path would read as mbox is read so: named `.mbox`, or of no
    /// known format and looking like mbox; not binary, and no byte-order mark of UTF-16 nor a NUL in
    /// its first 64 KB (for the whole-file path's tests that look at the file's start). Stray NUL
    /// bytes further on are removed with one warning, as the whole-file path removes them.
    ///
    /// - Parameter read: called with the size of every slice read (for progress within the file).
    /// - Returns: the diagnostics, or nil when the file is not such a file (nothing has been
    ///   emitted then: the caller reads it whole).
    func readMboxInSlices(
        _ file: InputFile, fd: Int32, modificationDate: DocumentDate?, sliceSize: Int,
        read: (Int) -> Void = { _ in }, each: (SourceDocument) -> Void
    ) -> [Diagnostic]? {
        guard file.format == .mbox || file.format == nil else { return nil }
        var head = [UInt8](repeating: 0, count: 64 * 1024 + 3)
        let headCount = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard headCount > 0 else { return nil }
        head.removeSubrange(headCount...)
        guard !head.contains(0), !head.starts(with: [0xFF, 0xFE]), !head.starts(with: [0xFE, 0xFF]), !Self.isBinary(head),
              file.format == .mbox || Self.sniff(head) == .mbox,
              lseek(fd, 0, SEEK_SET) == 0
        else { return nil }
        return withoutActuallyEscaping(each) { each in
            var context = ReadContext(reader: self, file: file, modificationDate: modificationDate, emit: each)
            var lines = MboxLines()
            // The bytes from the current message's start (or, before the first, from the next line to
            // scan), and in them where scanning goes on and where the current message starts.
            var pending: [UInt8] = []
            var scanAt = 0
            var current: (offset: Int, line: Int)?
            var messages = 0
            var textBeforeFirst = false
            var nul = (first: -1, count: 0)
            var slices = FileSlices(fd: fd, path: file.path, sliceSize: sliceSize)
            var readFailed = false
            while true {
                let start = slices.offset
                guard let slice = slices.next(&context.diagnostics, read: read) else {
                    readFailed = true
                    break
                }
                let final = slice.isEmpty
                let nulCount = slice.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
                if nulCount > 0 {
                    if nul.count == 0 { nul.first = start + slice.firstIndex(of: 0)! - slice.startIndex }
                    nul.count += nulCount
                    pending.append(contentsOf: slice.lazy.filter { $0 != 0 })
                } else {
                    pending.append(contentsOf: slice)
                }
                // Scanned only when a line was completed, so that a long line is not searched again
                // for its end with every slice.
                guard final || slice.contains(0x0A) else { continue }
                scanAt = lines.scan(pending[...], from: scanAt, final: final) { start, line in
                    if let message = current {
                        context.readMboxMessage(pending[message.offset..<start], number: messages + 1, line: message.line)
                        messages += 1
                    } else if textBeforeFirst || (start > 0 && MboxLines.hasText(pending[0..<start])) {
                        context.warn(MboxLines.textBeforeFirstMessage, line: 1)
                    }
                    current = (start, line)
                }
                if final { break }
                // Let go of what is done: messages handed on, or lines before the first message.
                let done = current?.offset ?? scanAt
                if current == nil, MboxLines.hasText(pending[0..<done]) { textBeforeFirst = true }
                pending.removeSubrange(0..<done)
                scanAt -= done
                current?.offset -= done
            }
            // After a failed read (reported by `slices`) the message being read is left out.
            if !readFailed {
                if let message = current {
                    context.readMboxMessage(pending[message.offset...], number: messages + 1, line: message.line)
                } else {
                    context.error(MboxLines.noMessages)
                }
            }
            if nul.count > 0 {
                let warning = Diagnostic(.warning, path: file.path, byteOffset: nul.first, "\(nul.count) NUL byte\(nul.count == 1 ? "" : "s") removed")
                context.diagnostics.insert(warning, at: 0)
            }
            return context.finishDiagnostics(fileWasEmpty: slices.offset == 0)
        }
    }
}
