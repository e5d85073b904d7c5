import Foundation

/// Writes an output file atomically: into a temporary file in the same folder, renamed into
/// place when complete, so that a failed or interrupted run leaves the previous output untouched.
///
/// Used by one task at a time; it may be handed from task to task (the outputs are rendered on
/// child tasks and committed by their parent), hence `@unchecked Sendable`.
public final class AtomicOutputFile: @unchecked Sendable {
    public let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var committed = false
    private var synchronized = false

    /// Creates the temporary file beside `path`.
    ///
    /// - Throws: `RecurError(.outputFailed)` when the folder cannot be written.
    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw RecurError(.outputFailed, "cannot create the output folder", path: folder, underlying: error)
        }
        temporaryPath = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw RecurError(.outputFailed, "cannot create a temporary output file", path: temporaryPath)
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if !committed {
            try? handle.close()
            unlink(temporaryPath)
        }
    }

    public func write(_ bytes: [UInt8]) throws { try write(bytes[...]) }

    public func write(_ bytes: ArraySlice<UInt8>) throws {
        precondition(!synchronized, "write after finishWriting()")
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func write(_ string: String) throws { try write(Array(string.utf8)) }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw RecurError(.outputFailed, "cannot write output", path: path, underlying: error)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and syncs the file to disk, so that `commit()` has only to rename it. Called by the
    /// task that rendered it: the disk wait then overlaps other files' rendering.
    ///
    /// - Throws: `RecurError(.outputFailed)` when the data cannot be written.
    public func finishWriting() throws {
        guard !synchronized else { return }
        try flush()
        do { try handle.synchronize() } catch {
            throw RecurError(.outputFailed, "cannot finish output", path: path, underlying: error)
        }
        synchronized = true
    }

    /// Flushes, syncs (unless `finishWriting()` did) and renames the file into place.
    public func commit() throws {
        try finishWriting()
        do { try handle.close() } catch {
            throw RecurError(.outputFailed, "cannot finish output", path: path, underlying: error)
        }
        guard rename(temporaryPath, path) == 0 else {
            throw RecurError(.outputFailed, "cannot move the output into place: \(String(cString: strerror(errno)))", path: path)
        }
        committed = true
    }

    /// Writes a whole file atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let file = try AtomicOutputFile(path: path)
        try file.write(bytes)
        try file.commit()
    }
}

/// Where line-oriented output goes: standard output or an atomically written file.
public final class LineOutput {
    private let file: AtomicOutputFile?
    private var buffer: [UInt8] = []

    /// `-` means standard output.
    public init(path: String) throws {
        file = path == "-" ? nil : try AtomicOutputFile(path: path)
    }

    /// Writes `bytes` as they are (lines that end with their line breaks).
    public func write(_ bytes: ArraySlice<UInt8>) throws {
        if let file {
            try file.write(bytes)
        } else {
            buffer.append(contentsOf: bytes)
            if buffer.count >= 1 << 16 { flushStandardOutput() }
        }
    }

    private func flushStandardOutput() {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    public func finish() throws {
        if let file { try file.commit() } else { flushStandardOutput() }
    }
}
