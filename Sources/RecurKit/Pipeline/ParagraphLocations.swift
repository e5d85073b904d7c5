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
/// of their own (unlinked at once), 32 KB at a time, and a lookup there reads its word back with
/// one `pread`: the 20 million paragraphs of a 4 GB archive cost 16 MB here instead of 160.
struct ParagraphLocations: Sendable {
    private typealias Column = ChunkedColumn<UInt64>
    /// Paragraphs whose words stay in memory: 2 million by default (16 MB).
    static let defaultResidentWords = 1 << 21
    private var chunkBase: [UInt64] = []
    /// Per paragraph: distance (high 32 bits; all ones: in `wide`), text length (16), key length (16).
    /// The first `residentWords`.
    private var resident = Column()
    private let residentWords: Int
    private let wordsPerWrite: Int
    /// The words after them: in `file` (`wordsPerWrite` at a time), then those not written yet.
    private var filling: [UInt64] = []
    private var file: SpillFile?
    private var wordsInFile = 0
    private let folder: String
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
    init(folder: String = TemporaryFile.defaultFolder, residentWords: Int = Self.defaultResidentWords,
         wordsPerWrite: Int = Column.chunkSize) {
        self.folder = folder
        self.residentWords = max(residentWords, 0)
        self.wordsPerWrite = max(wordsPerWrite, 1)
    }

    /// Paragraphs appended.
    var count: Int { resident.count + wordsInFile + filling.count }

    /// Paragraphs kept whole in the side table (for tests and memory figures).
    var wideCount: Int { wide.count }

    /// Paragraphs whose location is read back from the file (for tests and memory figures).
    var countInFile: Int { wordsInFile }

    /// Appends the next paragraph's location.
    ///
    /// - Throws: `RecurError(.outputFailed)` when a full chunk of words cannot be written to the
    ///   temporary folder.
    mutating func append(_ location: Location) throws {
        let i = count
        if i & (Column.chunkSize - 1) == 0 { chunkBase.append(location.textOffset) }
        let base = chunkBase[i >> Column.chunkShift]
        let word: UInt64
        if location.textOffset >= base, location.textOffset - base < UInt64(UInt32.max),
           location.textLength < Int(UInt16.max), location.keyLength < Int(UInt16.max) {
            word = (location.textOffset - base) << 32 | UInt64(location.textLength) << 16 | UInt64(location.keyLength)
        } else {
            word = Self.wideMark
            wide[i] = location
        }
        if resident.count < residentWords {
            resident.append(word)
            return
        }
        if filling.isEmpty { filling.reserveCapacity(wordsPerWrite) }
        filling.append(word)
        if filling.count >= wordsPerWrite { try writeFilling() }
    }

    private mutating func writeFilling() throws {
        if file == nil { file = SpillFile(in: folder, prefix: "recur-locations") }
        let written = filling.withUnsafeBytes { bytes in file?.append(bytes) ?? false }
        guard written else {
            throw RecurError(.outputFailed, "cannot write the temporary paragraph store's locations: \(String(cString: strerror(errno))) (set TMPDIR to a folder with more room)", path: folder)
        }
        wordsInFile += filling.count
        filling.removeAll(keepingCapacity: true)
    }

    subscript(_ i: Int) -> Location {
        let word = self.word(i)
        if word >> 32 == 0xFFFF_FFFF, let location = wide[i] { return location }
        return Location(textOffset: chunkBase[i >> Column.chunkShift] + (word >> 32),
                        textLength: Int(truncatingIfNeeded: word >> 16 & 0xFFFF), keyLength: Int(truncatingIfNeeded: word & 0xFFFF))
    }

    private func word(_ i: Int) -> UInt64 {
        if i < resident.count { return resident[i] }
        let inFile = i - resident.count
        if inFile >= wordsInFile { return filling[inFile - wordsInFile] }
        var word: UInt64 = 0
        let read = withUnsafeMutableBytes(of: &word) { file!.read(into: $0, at: inFile * 8) }
        // The file was written by this process: a failure is a broken temporary folder (a full or
        // vanished disk), which the pipeline cannot continue from (as for the store's own file).
        precondition(read, "recur: cannot read its temporary paragraph locations: \(String(cString: strerror(errno)))")
        return word
    }
}
