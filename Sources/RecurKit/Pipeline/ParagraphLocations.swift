import Foundation

/// Where every stored paragraph's text and key are in the paragraph store's file, in 8 bytes a
/// paragraph instead of 16, and in memory only for the first 2 million paragraphs.
///
/// Paragraphs are appended in file order, so the 4,096 of one chunk lie close together: each
/// keeps a 32-bit distance from its chunk's first text (one 64-bit base per chunk) and its text
/// and key lengths in 16 bits, packed in one 64-bit word (one memory access per lookup: the
/// deduplicator looks up kept paragraphs at random). A paragraph that does not fit (64 KB of text
/// or key or more, or a chunk spanning 4 GB of the file) is marked and kept whole in a small side table.
///
/// Past `residentWords` paragraphs (16 MB of words), the words are written to a temporary file
/// of their own (`SpillingColumn`), and a lookup there reads its word back with one `pread`: the
/// 20 million paragraphs of a 4 GB archive cost 16 MB here instead of 160.
struct ParagraphLocations: Sendable {
    private typealias Column = ChunkedColumn<UInt64>
    private var chunkBase: [UInt64] = []
    /// Per paragraph: distance (high 32 bits; all ones: in `wide`), text length (16), key length (16).
    private var packed: SpillingColumn<UInt64>
    private var wide: [Int: Location] = [:]
    private static let wideMark: UInt64 = 0xFFFF_FFFF << 32

    /// Where a paragraph's text starts, and the UTF-8 lengths of its text and key.
    struct Location: Sendable, Equatable {
        var textOffset: UInt64
        var textLength: Int
        var keyLength: Int
    }

    /// - Parameters:
    ///   - folder: where the file of the words past `residentWords` is made.
    ///   - residentWords: paragraphs whose words stay in memory.
    ///   - wordsPerWrite: words written to the file at a time (tests make it small).
    init(folder: String = TemporaryFile.defaultFolder, residentWords: Int = SpillingColumn<UInt64>.defaultResidentCount,
         wordsPerWrite: Int? = nil) {
        packed = SpillingColumn(folder: folder, prefix: "recur-locations", residentCount: residentWords, valuesPerWrite: wordsPerWrite)
    }

    /// Paragraphs appended.
    var count: Int { packed.count }

    /// Paragraphs kept whole in the side table (for tests and memory figures).
    var wideCount: Int { wide.count }

    /// Paragraphs whose location is read back from the file (for tests and memory figures).
    var countInFile: Int { packed.countInFile }

    /// Appends the next paragraph's location.
    mutating func append(_ location: Location) {
        let i = packed.count
        if i & (Column.chunkSize - 1) == 0 { chunkBase.append(location.textOffset) }
        let base = chunkBase[i >> Column.chunkShift]
        if location.textOffset >= base, location.textOffset - base < UInt64(UInt32.max),
           location.textLength < Int(UInt16.max), location.keyLength < Int(UInt16.max) {
            packed.append((location.textOffset - base) << 32 | UInt64(location.textLength) << 16 | UInt64(location.keyLength))
        } else {
            packed.append(Self.wideMark)
            wide[i] = location
        }
    }

    subscript(_ i: Int) -> Location {
        let word = packed[i]
        if word >> 32 == 0xFFFF_FFFF, let location = wide[i] { return location }
        return Location(textOffset: chunkBase[i >> Column.chunkShift] + (word >> 32),
                        textLength: Int(truncatingIfNeeded: word >> 16 & 0xFFFF), keyLength: Int(truncatingIfNeeded: word & 0xFFFF))
    }
}
