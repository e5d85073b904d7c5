/// An append-only array stored in fixed-size chunks: growing never copies what is there, and at
/// most one chunk is unused (a plain array doubles, so up to half of it can be slack, and while it
/// grows its old and new buffers exist at once).
struct ChunkedColumn<Element>: RandomAccessCollection {
    static var chunkShift: Int { 12 }
    static var chunkSize: Int { 1 << chunkShift }

    private var chunks: [[Element]] = []
    private(set) var count = 0

    init() {}

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    mutating func append(_ value: Element) {
        let c = count >> Self.chunkShift
        if c == chunks.count {
            var chunk: [Element] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[c].append(value)
        count += 1
    }

    subscript(_ i: Int) -> Element {
        get { chunks[i >> Self.chunkShift][i & (Self.chunkSize - 1)] }
        set { chunks[i >> Self.chunkShift][i & (Self.chunkSize - 1)] = newValue }
    }

    /// Heap bytes of the chunks (at their capacity) and of the chunk table.
    var bytes: Int { chunks.count * (8 + Self.chunkSize * MemoryLayout<Element>.stride) }

    /// The elements as one array.
    var array: [Element] {
        var out: [Element] = []
        out.reserveCapacity(count)
        for chunk in chunks { out.append(contentsOf: chunk) }
        return out
    }
}

extension ChunkedColumn: Sendable where Element: Sendable {}

extension Array {
    /// Copies the elements into a buffer of their exact size and lets the old one go (an appended
    /// array can be up to half growth slack), when more than an eighth of it is slack. Only this
    /// array is held twice, and only while it is copied.
    mutating func shrinkToFit() {
        guard capacity - count > count / 8 else { return }
        let copy = withUnsafeBufferPointer { Array($0) }
        self = copy
    }
}
