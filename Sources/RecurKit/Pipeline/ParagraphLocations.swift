/// Where every stored paragraph's text and key are in the paragraph store's file, in 8 bytes a
/// paragraph instead of 16.
///
/// Paragraphs are appended in file order, so the 4,096 of one chunk lie close together: each
/// keeps a 32-bit distance from its chunk's first text (one 64-bit base per chunk) and its text
/// and key lengths in 16 bits. A paragraph that does not fit (64 KB of text or key or more, or a
/// chunk spanning 4 GB of the file) is marked and kept whole in a small side table.
struct ParagraphLocations: Sendable {
    private typealias Column = ChunkedColumn<UInt32>
    private var chunkBase: [UInt64] = []
    private var distance = ChunkedColumn<UInt32>()
    private var textLength = ChunkedColumn<UInt16>()
    private var keyLength = ChunkedColumn<UInt16>()
    private var wide: [Int: Location] = [:]

    /// Where a paragraph's text starts, and the UTF-8 lengths of its text and key.
    struct Location: Sendable, Equatable {
        var textOffset: UInt64
        var textLength: Int
        var keyLength: Int
    }

    init() {}

    /// Paragraphs appended.
    var count: Int { distance.count }

    /// Paragraphs kept whole in the side table (for tests and memory figures).
    var wideCount: Int { wide.count }

    /// Appends the next paragraph's location.
    mutating func append(_ location: Location) {
        let i = distance.count
        if i & (Column.chunkSize - 1) == 0 { chunkBase.append(location.textOffset) }
        let base = chunkBase[i >> Column.chunkShift]
        if location.textOffset >= base, location.textOffset - base < UInt64(UInt32.max),
           location.textLength < Int(UInt16.max), location.keyLength < Int(UInt16.max) {
            distance.append(UInt32(location.textOffset - base))
            textLength.append(UInt16(location.textLength))
            keyLength.append(UInt16(location.keyLength))
        } else {
            distance.append(.max)
            textLength.append(.max)
            keyLength.append(.max)
            wide[i] = location
        }
    }

    subscript(_ i: Int) -> Location {
        let d = distance[i]
        if d == .max, let location = wide[i] { return location }
        return Location(textOffset: chunkBase[i >> Column.chunkShift] + UInt64(d),
                        textLength: Int(textLength[i]), keyLength: Int(keyLength[i]))
    }
}
