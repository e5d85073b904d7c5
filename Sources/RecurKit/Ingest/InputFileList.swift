import Foundation

/// The input files of a run, held compactly: the walk of a large archive lists millions of files
/// before reading (for progress and time left), and two path Strings and a struct per file cost
/// about 230 bytes each (0.6 GB for the 2.79 M files of a 4 GB archive).
///
/// Each folder argument's path is kept once. The files are one byte stream, front-coded in blocks
/// of `blockSize`: per file its folder argument, format and size, then its relative path as the
/// length it shares with the previous file's (0 for the first of a block) and the rest (varints as
/// `StoreRecordWriter` writes them). The walk appends a folder's files in byte-wise order of their
/// relative paths, so neighbours share most of theirs: 20.4 bytes a file on the 4 GB benchmark
/// archive, whose relative paths have 43 bytes on average (75 with a 32-byte entry and the whole
/// path, before; `Benchmarks/.build/release/file-list-bytes ARCHIVE` prints both). The `InputFile`
/// values are made when an element is read, with the same `path` and `relativePath` the walk would
/// have given; reading one decodes at most `blockSize` files, iterating decodes each once.
public struct InputFileList: RandomAccessCollection, Sendable {
    /// Files per block: a block's first file has its whole path.
    static let blockSize = 16
    /// The folder argument code of a file named as an argument (its path as given is stored).
    private static let givenPath = 1
    /// The folder argument code of standard input ("-").
    private static let standardInput = 0

    private var roots: [String] = []
    /// The encoded files.
    private var stream = StoreRecordWriter()
    /// Where each block's first file starts in `stream`.
    private var blockStarts: [Int] = []
    private var fileCount = 0
    /// The last path appended (the front-coding reference of the next one).
    private var lastPath: [UInt8] = []

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { fileCount }

    /// Bytes held for the files (the encoded stream and the block index), for tests and benchmarks.
    @_spi(Benchmarks) public var encodedBytes: Int { stream.bytes.count + blockStarts.count * MemoryLayout<Int>.stride }

    public subscript(position: Int) -> InputFile {
        precondition(position >= 0 && position < fileCount, "file \(position) out of range")
        var decoder = Decoder(list: self, block: position / Self.blockSize)
        for _ in 0..<position % Self.blockSize { decoder.skip() }
        return decoder.next()
    }

    public func makeIterator() -> Iterator { Iterator(list: self) }

    /// Decodes the files in order, each once.
    public struct Iterator: IteratorProtocol {
        /// Its folder code and stored path are those of the file `next()` gave last.
        fileprivate private(set) var decoder: Decoder
        private var index = 0

        fileprivate init(list: InputFileList) { decoder = Decoder(list: list, block: 0) }

        public mutating func next() -> InputFile? {
            guard index < decoder.list.fileCount else { return nil }
            if index % InputFileList.blockSize == 0 { decoder.start(block: index / InputFileList.blockSize) }
            index += 1
            return decoder.next()
        }
    }

    /// Reads the files of the stream from the start of a block on.
    fileprivate struct Decoder {
        let list: InputFileList
        private var at: Int
        /// The stored path of the file decoded last, and its folder argument code.
        private(set) var path: [UInt8] = []
        private(set) var root = 0

        init(list: InputFileList, block: Int) {
            self.list = list
            at = block < list.blockStarts.count ? list.blockStarts[block] : list.stream.bytes.count
        }

        mutating func start(block: Int) {
            at = list.blockStarts[block]
            path.removeAll(keepingCapacity: true)
        }

        /// The fields of the next file; `path` then holds its stored path.
        private mutating func fields() -> (root: Int, format: DocumentFormat?, byteCount: Int) {
            let bytes = list.stream.bytes
            return bytes.withUnsafeBufferPointer { buffer in
                var reader = StoreRecordReader(UnsafeBufferPointer(rebasing: buffer[at...]))
                root = reader.varint()
                let formatCode = Int(reader.byte())
                let byteCount = reader.varint()
                let shared = reader.varint()
                let added = reader.varint()
                let start = at + reader.position
                path.removeSubrange(shared...)
                path.append(contentsOf: buffer[start..<start + added])
                at = start + added
                return (root, formatCode == 0 ? nil : DocumentFormat.allCases[formatCode - 1], byteCount)
            }
        }

        mutating func skip() { _ = fields() }

        mutating func next() -> InputFile {
            let (root, format, byteCount) = fields()
            if root == InputFileList.standardInput { return InputFile(path: "-", relativePath: "-", format: nil) }
            let stored = String(decoding: path, as: UTF8.self)
            if root == InputFileList.givenPath {
                return InputFile(
                    path: stored, relativePath: (stored as NSString).lastPathComponent, format: format, byteCount: byteCount)
            }
            return InputFile(
                path: InputFileList.join(list.roots[root - 2], stored), relativePath: stored, format: format,
                byteCount: byteCount)
        }
    }

    /// Appends a file: its folder argument code, format, size and stored path.
    private mutating func append(root: Int, format: DocumentFormat?, byteCount: Int, path: some Collection<UInt8>) {
        var shared = 0
        if fileCount % Self.blockSize == 0 {
            blockStarts.append(stream.bytes.count)
        } else {
            for (a, b) in zip(lastPath, path) {
                guard a == b else { break }
                shared += 1
            }
        }
        lastPath.removeSubrange(shared...)
        lastPath.append(contentsOf: path.dropFirst(shared))
        stream.varint(root)
        stream.byte(format.map { UInt8(DocumentFormat.allCases.firstIndex(of: $0)! + 1) } ?? 0)
        stream.varint(byteCount)
        stream.varint(shared)
        stream.varint(lastPath.count - shared)
        stream.raw(lastPath[shared...])
        fileCount += 1
    }

    /// Appends standard input ("-").
    mutating func appendStandardInput() {
        append(root: Self.standardInput, format: nil, byteCount: 0, path: EmptyCollection())
    }

    /// Appends a file named as an argument: `path` as given, its name as the relative path.
    mutating func appendGivenFile(path: String, format: DocumentFormat?, byteCount: Int) {
        append(root: Self.givenPath, format: format, byteCount: byteCount, path: path.utf8)
    }

    /// Registers a folder argument; returns the id to give its files.
    mutating func addRoot(_ root: String) -> Int32 {
        roots.append(root)
        return Int32(roots.count - 1)
    }

    /// Appends a file found under folder `root` (from `addRoot`) at `relativePath`.
    mutating func appendFile(root: Int32, relativePath: String, format: DocumentFormat?, byteCount: Int) {
        append(root: Int(root) + 2, format: format, byteCount: byteCount, path: relativePath.utf8)
    }

    /// Removes the files for which `shouldBeRemoved` is true, keeping the others' order.
    public mutating func removeAll(where shouldBeRemoved: (InputFile) throws -> Bool) rethrows {
        var kept = InputFileList()
        kept.roots = roots
        var files = makeIterator()
        while let file = files.next() {
            guard try !shouldBeRemoved(file) else { continue }
            kept.append(root: files.decoder.root, format: file.format, byteCount: file.byteCount, path: files.decoder.path)
        }
        self = kept
    }

    static func join(_ root: String, _ relative: String) -> String {
        if relative.isEmpty { return root }
        return root.hasSuffix("/") ? root + relative : root + "/" + relative
    }
}
