import Foundation

/// Standard input (`-`) as the analysis stage reads it: held in memory when it is small, else
/// copied into a temporary file (unlinked at once), so that `zcat export.mbox.gz | recur analyze -`
/// is read a slice at a time like a large file on disk. A pipe can be read only once, and the
/// slice readers read their file more than once (a first pass checks the UTF-8).
enum StandardInput {
    /// What reading standard input gave.
    enum Contents {
        /// All of it, when it ended before the size from which it is copied into a file, or when
        /// no temporary file could hold it.
        case bytes([UInt8])
        /// All of it, in a temporary file (closed when the last reference to it goes).
        case file(SpillFile)
    }

    /// Reads all of `fd` (standard input).
    ///
    /// - Parameters:
    ///   - path: the input's name in diagnostics (`-`).
    ///   - spoolFrom: from this many bytes on, what is read goes into a temporary file in `folder`.
    ///   - read: called with the size of every piece read (for progress).
    /// - Returns: the contents, nil when reading failed; and the diagnostics: an error naming the
    ///   byte offset where reading failed; a warning when no temporary file could hold the input
    ///   (then it is read into memory, as a small one is).
    static func read(
        _ fd: Int32, path: String, spoolFrom threshold: Int, folder: String = TemporaryFile.defaultFolder,
        read: (Int) -> Void = { _ in }
    ) -> (contents: Contents?, diagnostics: [Diagnostic]) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var spool: SpillFile?
        var diagnostics: [Diagnostic] = []
        /// Moves `bytes` to the spool file (made on first use); when that fails, what it holds
        /// comes back into memory before `bytes` and the spool is given up.
        func spoolBytes() -> Bool {
            guard let file = spool ?? SpillFile(in: folder, prefix: "recur-stdin") else {
                diagnostics.append(readingIntoMemory(path, folder, "cannot create a temporary file"))
                return true
            }
            spool = file
            if file.append(bytes) {
                bytes.removeAll(keepingCapacity: true)
                return true
            }
            diagnostics.append(readingIntoMemory(path, folder, "cannot write a temporary file"))
            spool = nil
            guard let written = file.readAll() else { return false }
            bytes = written + bytes
            return true
        }
        func readBackFailed() -> (Contents?, [Diagnostic]) {
            let reason = String(cString: strerror(errno))
            return (nil, diagnostics + [Diagnostic(.error, path: path, "cannot read back the temporary copy of standard input: \(reason)")])
        }
        var intoMemory = false
        while true {
            let n = readChunk(fd, into: &chunk)
            if n < 0 {
                let offset = (spool?.size ?? 0) + bytes.count
                let reason = String(cString: strerror(errno))
                return (nil, diagnostics + [Diagnostic(.error, path: path, byteOffset: offset, "cannot read standard input: \(reason)")])
            }
            if n == 0 { break }
            read(n)
            bytes.append(contentsOf: chunk[0..<n])
            guard !intoMemory, bytes.count >= threshold else { continue }
            guard spoolBytes() else { return readBackFailed() }
            intoMemory = spool == nil
        }
        guard let file = spool else { return (.bytes(bytes), diagnostics) }
        if !bytes.isEmpty {
            guard spoolBytes() else { return readBackFailed() }
            if spool == nil { return (.bytes(bytes), diagnostics) }
        }
        return (.file(file), diagnostics)
    }

    /// The warning that standard input is read into memory after all.
    private static func readingIntoMemory(_ path: String, _ folder: String, _ what: String) -> Diagnostic {
        Diagnostic(.warning, path: path,
                   "\(what) for standard input in \(folder) (\(String(cString: strerror(errno)))): reading it into memory (set TMPDIR to a folder with room)")
    }
}
