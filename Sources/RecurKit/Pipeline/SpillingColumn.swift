import Foundation

/// An append-only column of fixed-size values that keeps its first `residentCount` in memory and
/// writes the rest to a temporary file of its own, so that a column with a value per paragraph
/// stays bounded in memory however large the archive.
///
/// The file is made in `folder` when the first value past the resident ones is appended, and
/// unlinked at once; values go to it `valuesPerWrite` at a time. A value there is read back with
/// one `pread` (`subscript`), and `forEach` reads them in order, 64 KB at a time. When the file
/// cannot be made or written (a full temporary folder), the values stay in memory: nothing is lost,
/// the column only costs what it would have without a file.
///
/// Reading is safe from several threads once nothing more is appended.
struct SpillingColumn<Value: BitwiseCopyable & Sendable>: Sendable {
    /// Values kept in memory by default: 2 million.
    static var defaultResidentCount: Int { 1 << 21 }
    private var resident = ChunkedColumn<Value>()
    private let residentCount: Int
    private let valuesPerWrite: Int
    /// The values after the resident ones: the first `countInFile` in `file`, then these.
    private var unwritten: [Value] = []
    private var file: SpillFile?
    private(set) var countInFile = 0
    /// Set when the file could not be made or written: the column then grows in memory.
    private(set) var fileFailed = false
    /// nil: `TemporaryFile.defaultFolder`, looked up when the file is made (a column that never
    /// spills, such as a small file's in `EncodedDocuments`, does not read the environment).
    private let folder: String?
    private let prefix: String

    /// - Parameters:
    ///   - folder: where the file is made (by default `$TMPDIR`, else `/tmp`).
    ///   - prefix: the start of its name (`TemporaryFile.create(in:prefix:)`).
    ///   - residentCount: values kept in memory.
    ///   - valuesPerWrite: values written to the file at a time (tests make it small): 32 KB of them by default.
    init(folder: String? = nil, prefix: String, residentCount: Int = Self.defaultResidentCount,
         valuesPerWrite: Int? = nil) {
        self.folder = folder
        self.prefix = prefix
        self.residentCount = max(residentCount, 0)
        self.valuesPerWrite = max(valuesPerWrite ?? (32 << 10) / MemoryLayout<Value>.stride, 1)
    }

    /// Values appended.
    var count: Int { resident.count + countInFile + unwritten.count }

    mutating func append(_ value: Value) {
        if resident.count < residentCount {
            resident.append(value)
            return
        }
        // A column with nothing resident (a worker's, mostly of a few values) grows as arrays do.
        if unwritten.isEmpty && residentCount > 0 { unwritten.reserveCapacity(valuesPerWrite) }
        unwritten.append(value)
        if unwritten.count >= valuesPerWrite && !fileFailed { writeUnwritten() }
    }

    private mutating func writeUnwritten() {
        if file == nil { file = SpillFile(in: folder ?? TemporaryFile.defaultFolder, prefix: prefix) }
        guard let file, unwritten.withUnsafeBytes({ file.append($0) }) else {
            fileFailed = true
            return
        }
        countInFile += unwritten.count
        unwritten.removeAll(keepingCapacity: true)
    }

    subscript(_ i: Int) -> Value {
        if i < resident.count { return resident[i] }
        let inFile = i - resident.count
        if inFile >= countInFile { return unwritten[inFile - countInFile] }
        return withUnsafeTemporaryAllocation(of: Value.self, capacity: 1) { buffer in
            readFromFile(into: UnsafeMutableRawBufferPointer(buffer), at: inFile)
            return buffer[0]
        }
    }

    /// Calls `body` with every value's index and the value, in order.
    func forEach(_ body: (Int, Value) throws -> Void) rethrows {
        var values = Values(column: self, range: 0..<count).makeIterator()
        var i = 0
        while let value = values.next() {
            try body(i, value)
            i += 1
        }
    }

    /// The values at `range`, in order: those in the file are read 64 KB at a time as the
    /// sequence is walked (each iterator has its own buffer, so several threads may walk at once).
    func values(in range: Range<Int>) -> Values {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "values(in:) out of range")
        return Values(column: self, range: range)
    }

    /// A stretch of a column's values, read as they are walked (`values(in:)`).
    struct Values: Sequence, Sendable {
        fileprivate let column: SpillingColumn<Value>
        let range: Range<Int>

        func makeIterator() -> Iterator { Iterator(column: column, next: range.lowerBound, end: range.upperBound) }

        struct Iterator: IteratorProtocol {
            fileprivate let column: SpillingColumn<Value>
            fileprivate var position: Int
            fileprivate let end: Int
            /// Values read from the file, the first at index `bufferStart` (a file index).
            private var buffer: [Value] = []
            private var bufferStart = 0

            fileprivate init(column: SpillingColumn<Value>, next: Int, end: Int) {
                self.column = column
                self.position = next
                self.end = end
            }

            mutating func next() -> Value? {
                guard position < end else { return nil }
                defer { position += 1 }
                let resident = column.resident.count
                if position < resident { return column.resident[position] }
                let inFile = position - resident
                guard inFile < column.countInFile else { return column.unwritten[inFile - column.countInFile] }
                let offset = inFile - bufferStart
                if offset >= 0 && offset < buffer.count { return buffer[offset] }
                // The file's values from here to the range's end, or 64 KB of them.
                let perRead = Swift.max(1, (64 << 10) / MemoryLayout<Value>.stride)
                let n = Swift.min(perRead, column.countInFile - inFile, end - position)
                if buffer.count != n {
                    buffer = [Value](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
                }
                buffer.withUnsafeMutableBytes { column.readFromFile(into: $0, at: inFile) }
                bufferStart = inFile
                return buffer[0]
            }
        }
    }

    /// Reads the values from the file's `index`-th on into `buffer`.
    private func readFromFile(into buffer: UnsafeMutableRawBufferPointer, at index: Int) {
        file!.readBack(into: buffer, at: index * MemoryLayout<Value>.stride, name: prefix)
    }
}
