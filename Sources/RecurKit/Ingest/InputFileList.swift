import Foundation

/// The input files of a run, held compactly: the walk of a large archive lists millions of files
/// before reading (for progress and time left), and two path Strings and a struct per file cost
/// about 230 bytes each (0.6 GB for the 2.79 M files of a 4 GB archive).
///
/// Each folder argument's path is kept once; per file the list keeps its relative path's UTF-8 in
/// one shared buffer and a 32-byte entry (where the path is, which argument it came from, its
/// format and size): about 80 bytes a file with 50-byte relative paths. The `InputFile` values are
/// made when an element is read, with the same `path` and `relativePath` the walk would have given.
public struct InputFileList: RandomAccessCollection, Sendable {
    private struct Entry: Sendable {
        /// Where the path's UTF-8 is in `bytes`.
        var start: Int
        var length: UInt32
        /// Index into `roots`; `Entry.givenPath`: `bytes` hold the path as given (a file argument);
        /// `Entry.standardInput`: "-".
        var root: Int32
        var byteCount: Int
        var format: DocumentFormat?

        static let givenPath: Int32 = -1
        static let standardInput: Int32 = -2
    }

    private var roots: [String] = []
    private var bytes: [UInt8] = []
    private var entries: [Entry] = []

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }

    public subscript(position: Int) -> InputFile {
        let entry = entries[position]
        if entry.root == Entry.standardInput { return InputFile(path: "-", relativePath: "-", format: nil) }
        let stored = bytes.withUnsafeBufferPointer { buffer in
            String(decoding: buffer[entry.start..<entry.start + Int(entry.length)], as: UTF8.self)
        }
        if entry.root == Entry.givenPath {
            return InputFile(
                path: stored, relativePath: (stored as NSString).lastPathComponent, format: entry.format,
                byteCount: entry.byteCount)
        }
        return InputFile(
            path: Self.join(roots[Int(entry.root)], stored), relativePath: stored, format: entry.format,
            byteCount: entry.byteCount)
    }

    /// Appends standard input ("-").
    mutating func appendStandardInput() {
        entries.append(Entry(start: 0, length: 0, root: Entry.standardInput, byteCount: 0, format: nil))
    }

    /// Appends a file named as an argument: `path` as given, its name as the relative path.
    mutating func appendGivenFile(path: String, format: DocumentFormat?, byteCount: Int) {
        entries.append(Entry(start: bytes.count, length: UInt32(path.utf8.count), root: Entry.givenPath, byteCount: byteCount, format: format))
        bytes.append(contentsOf: path.utf8)
    }

    /// Registers a folder argument; returns the id to give its files.
    mutating func addRoot(_ root: String) -> Int32 {
        roots.append(root)
        return Int32(roots.count - 1)
    }

    /// Appends a file found under folder `root` (from `addRoot`) at `relativePath`.
    mutating func appendFile(root: Int32, relativePath: String, format: DocumentFormat?, byteCount: Int) {
        entries.append(Entry(start: bytes.count, length: UInt32(relativePath.utf8.count), root: root, byteCount: byteCount, format: format))
        bytes.append(contentsOf: relativePath.utf8)
    }

    /// Sorts the files appended since `start` by the bytes of their relative paths (all under one root).
    mutating func sortRelativePaths(from start: Int) {
        bytes.withUnsafeBufferPointer { buffer in
            entries[start...].sort { a, b in
                let x = UnsafeBufferPointer(rebasing: buffer[a.start..<a.start + Int(a.length)])
                let y = UnsafeBufferPointer(rebasing: buffer[b.start..<b.start + Int(b.length)])
                return x.lexicographicallyPrecedes(y)
            }
        }
    }

    /// Removes the files for which `shouldBeRemoved` is true, keeping the others' order.
    public mutating func removeAll(where shouldBeRemoved: (InputFile) throws -> Bool) rethrows {
        var kept: [Entry] = []
        kept.reserveCapacity(entries.count)
        for i in entries.indices where try !shouldBeRemoved(self[i]) { kept.append(entries[i]) }
        entries = kept
    }

    static func join(_ root: String, _ relative: String) -> String {
        if relative.isEmpty { return root }
        return root.hasSuffix("/") ? root + relative : root + "/" + relative
    }
}
