import Foundation

/// The analyzed documents of a run, kept on disk between the pipeline's passes so that memory
/// does not grow with the archive.
///
/// Ingestion appends one record per document (its metadata and its paragraphs with a non-empty
/// key, analysis included) in input order through a `ParagraphStoreWriter`; the later passes read
/// records back by position with `pread`, in any order and from any thread. The file is unlinked
/// as soon as it is created, so nothing is left behind however the process ends.
///
/// In memory, per document: 12 bytes (record offset, first paragraph; a record's length is the
/// distance to the next one; in chunks, without an array's growth slack); per paragraph: 8 bytes
/// for the first 2 million, then none (where its text and key are, for `text(ofParagraph:)` and
/// `key(ofParagraph:)`: `ParagraphLocations`, whose words past those go to a file of their own).
/// On disk: about three times the text (text, key, and each term's key and surface).
public final class ParagraphStore: Sendable {
    /// Where the records lie: the store's own file, and workers' spill files taken over whole.
    private let segments: StoreSegments
    /// Per record (input order): where it starts. Records lie back to back; the last one ends at `fileSize`.
    private let recordOffset: RecordOffsets
    private let fileSize: UInt64
    /// The store-wide ordinal of the record's first paragraph.
    private let recordFirstParagraph: ChunkedColumn<Int32>
    /// Per paragraph (input order): where its text starts in the file, its length, and its key's length
    /// (the key follows the text and the key's varint length).
    private let locations: ParagraphLocations
    /// Per record that is a later part of a long document: the document's first record.
    private let documentFirstRecord: [Int32: Int32]

    fileprivate init(writer w: ParagraphStoreWriter) {
        segments = w.segments
        recordOffset = w.recordOffset
        fileSize = w.fileSize
        recordFirstParagraph = w.recordFirstParagraph
        locations = w.locations
        documentFirstRecord = w.documentFirstRecord
    }

    deinit { close(segments.ownFile) }

    /// Records stored: one per document, and one per part of a long document
    /// (`AnalyzedDocument.continuesPrevious`).
    public var recordCount: Int { recordOffset.count }
    /// Documents stored.
    public var documentCount: Int { recordOffset.count - documentFirstRecord.count }

    /// The document that record `record` belongs to, as the number of its first record (`record`
    /// itself but for the later parts of a long document): deduplication and themes count
    /// documents by it.
    public func documentNumber(ofRecord record: Int) -> Int { Int(documentFirstRecord[Int32(record)] ?? Int32(record)) }
    /// Paragraphs stored (those with a non-empty key).
    public var paragraphCount: Int { locations.count }
    /// Paragraphs whose location is read back from the locations' file (for tests).
    var paragraphsLocatedInFile: Int { locations.countInFile }

    /// The store-wide ordinal of document `record`'s first paragraph.
    public func firstParagraph(ofDocument record: Int) -> Int { Int(recordFirstParagraph[record]) }

    /// The length in bytes of document `record`'s record.
    private func recordLength(_ record: Int) -> Int {
        let end = record + 1 < recordOffset.count ? recordOffset[record + 1] : fileSize
        return Int(end - recordOffset[record])
    }

    /// Paragraphs of document `record`.
    public func paragraphCount(ofDocument record: Int) -> Int {
        let end = record + 1 < recordFirstParagraph.count ? Int(recordFirstParagraph[record + 1]) : paragraphCount
        return end - Int(recordFirstParagraph[record])
    }

    /// Reads document `record` back: its metadata and its stored paragraphs.
    ///
    /// - Parameter analysis: false skips the paragraphs' terms (faster when only keys and flags are needed).
    public func document(_ record: Int, analysis: Bool = true) -> AnalyzedDocument {
        document(record, termsOf: { _ in analysis })
    }

    /// Reads document `record` back, with the terms of the paragraphs (by position among the stored
    /// ones) for which `termsOf` is true.
    public func document(_ record: Int, termsOf: (Int) -> Bool) -> AnalyzedDocument {
        readingRecord(record) { $0.document(termsOf: termsOf) }
    }

    /// Reads record `record` from the file (one `pread`) and calls `body` with a reader at its start.
    private func readingRecord<R>(_ record: Int, _ body: (inout StoreRecordReader) -> R) -> R {
        var bytes = [UInt8](repeating: 0, count: recordLength(record))
        readFully(&bytes, at: recordOffset[record])
        return bytes.withUnsafeBufferPointer { buffer in
            var reader = StoreRecordReader(buffer)
            return body(&reader)
        }
    }

    /// Reads back what deduplication takes of document `record`: its source, and per stored
    /// paragraph its index, language, flags and key (the other strings are skipped, not decoded).
    func dedupFields(_ record: Int) -> (source: String, paragraphs: [StoredDedupFields]) {
        readingRecord(record) { $0.dedupFields() }
    }

    /// A handle of the key of `fields`, the `position`-th stored paragraph of record `record`
    /// (`dedupFields(_:)`), for `appendKey(handle:to:)`: the deduplicator keeps one per distinct
    /// key and reads the key back with one `pread`, without the paragraph's location (which past
    /// the first 2 million paragraphs is itself read from a file).
    func keyHandle(of fields: StoredDedupFields, at position: Int, inRecord record: Int) -> UInt64 {
        keyHandle(start: recordOffset[record] + fields.keyStart, length: fields.key.utf8.count,
                  paragraph: firstParagraph(ofDocument: record) + position)
    }

    /// The handle of a key whose UTF-8 starts at `start` in the store: 40 bits of offset and 23 of
    /// length; a key that does not fit is handed by its paragraph's ordinal, with the top bit set.
    func keyHandle(start: UInt64, length: Int, paragraph: Int) -> UInt64 {
        if start < 1 << 40, length < 1 << 23 { return start << 23 | UInt64(length) }
        return 1 << 63 | UInt64(paragraph)
    }

    /// Appends the UTF-8 bytes of the key `handle` (`keyHandle(start:length:paragraph:)`) stands for.
    func appendKey(handle: UInt64, to bytes: inout [UInt8]) {
        if handle >> 63 != 0 { return appendKey(ofParagraph: Int(handle & ~(1 << 63)), to: &bytes) }
        append(Int(handle & (1 << 23 - 1)), bytesAt: handle >> 23, to: &bytes)
    }

    /// Reads document `record` back with only its paragraphs (by position among the stored ones)
    /// for which `wanted` is true, with their terms; the others are not decoded.
    public func document(_ record: Int, only wanted: (Int) -> Bool) -> (document: SourceDocument, paragraphs: [(position: Int, paragraph: AnalyzedParagraph)]) {
        readingRecord(record) { $0.document(only: wanted) }
    }

    /// The id of document `record`: the first field of its record, read without the rest.
    public func documentID(_ record: Int) -> String {
        let length = recordLength(record)
        // An id's length prefix is a varint of at most 10 bytes; most ids fit in the first 128 bytes.
        var head = [UInt8](repeating: 0, count: min(length, 128))
        readFully(&head, at: recordOffset[record])
        let (idLength, prefix) = head.withUnsafeBufferPointer { buffer in
            var reader = StoreRecordReader(buffer)
            let n = reader.varint()
            return (n, reader.position)
        }
        if prefix + idLength <= head.count {
            return String(decoding: head[prefix..<prefix + idLength], as: UTF8.self)
        }
        return string(at: recordOffset[record] + UInt64(prefix), length: idLength)
    }

    /// The original text of paragraph `paragraph` (store-wide ordinal).
    public func text(ofParagraph paragraph: Int) -> String {
        let place = locations[paragraph]
        return string(at: place.textOffset, length: place.textLength)
    }

    /// At most the first `maxBytes` bytes of paragraph `paragraph`'s text, cut at a character
    /// boundary, and whether that is the whole text.
    public func textPrefix(ofParagraph paragraph: Int, maxBytes: Int) -> (text: String, isWhole: Bool) {
        let place = locations[paragraph]
        if place.textLength <= maxBytes { return (string(at: place.textOffset, length: place.textLength), true) }
        var bytes = [UInt8](repeating: 0, count: maxBytes)
        readFully(&bytes, at: place.textOffset)
        return (Self.prefixString(bytes[...]), false)
    }

    /// `documentID(record)` and `textPrefix(ofParagraph: paragraph, maxBytes:)` of one of its
    /// paragraphs, read with one `pread` when the text starts near the record's start.
    public func documentIDAndTextPrefix(record: Int, paragraph: Int, maxBytes: Int) -> (id: String, prefix: (text: String, isWhole: Bool)) {
        let place = locations[paragraph]
        let start = recordOffset[record], textStart = place.textOffset
        let length = place.textLength
        let wanted = min(length, maxBytes)
        let span = Int(textStart - start) + wanted
        guard textStart >= start, span <= 8192 else {
            return (documentID(record), textPrefix(ofParagraph: paragraph, maxBytes: maxBytes))
        }
        var bytes = [UInt8](repeating: 0, count: span)
        readFully(&bytes, at: start)
        let id = bytes.withUnsafeBufferPointer { buffer in
            var reader = StoreRecordReader(buffer)
            return reader.string()
        }
        let text = bytes[Int(textStart - start)...]
        if length <= maxBytes { return (id, (String(decoding: text, as: UTF8.self), true)) }
        return (id, (Self.prefixString(text), false))
    }

    /// `bytes` as a string, without a UTF-8 sequence cut in two at its end.
    private static func prefixString(_ bytes: ArraySlice<UInt8>) -> String {
        // Continuation bytes are 10xxxxxx.
        var end = bytes.endIndex
        var back = end - 1
        while back > bytes.startIndex && bytes[back] & 0xC0 == 0x80 { back -= 1 }
        let lead = bytes[back]
        let sequence = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        if back + sequence > end { end = back }
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }

    /// The matching key of paragraph `paragraph` (store-wide ordinal).
    public func key(ofParagraph paragraph: Int) -> String {
        let place = locations[paragraph]
        return string(at: Self.keyOffset(place), length: place.keyLength)
    }

    /// Appends the UTF-8 bytes of paragraph `paragraph`'s matching key to `bytes` (no string made).
    public func appendKey(ofParagraph paragraph: Int, to bytes: inout [UInt8]) {
        let place = locations[paragraph]
        append(place.keyLength, bytesAt: Self.keyOffset(place), to: &bytes)
    }

    /// Appends the store's `count` bytes at `offset` to `bytes`.
    private func append(_ count: Int, bytesAt offset: UInt64, to bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        bytes.withUnsafeMutableBytes { buffer in
            readFully(UnsafeMutableRawBufferPointer(rebasing: buffer[start...]), at: offset)
        }
    }

    /// Where a paragraph's key starts: after its text and the key's varint length.
    private static func keyOffset(_ place: ParagraphLocations.Location) -> UInt64 {
        place.textOffset + UInt64(place.textLength + StoreRecordWriter.varintSize(place.keyLength))
    }

    private func string(at offset: UInt64, length: Int) -> String {
        String(unsafeUninitializedCapacity: length) { buffer in
            readFully(UnsafeMutableRawBufferPointer(buffer), at: offset)
            return length
        }
    }

    private func readFully(_ bytes: inout [UInt8], at offset: UInt64) {
        bytes.withUnsafeMutableBytes { readFully($0, at: offset) }
    }

    /// Reads `buffer.count` bytes at `offset`. The store wrote them itself, so a failure here is a
    /// broken temporary folder (a full or vanished disk), which the pipeline cannot continue from.
    private func readFully(_ buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) {
        var done = 0
        while done < buffer.count {
            let at = offset + UInt64(done)
            let segment = segments.segment(containing: at)
            let want = min(buffer.count - done, Int(segment.end - at))
            let n = pread(segment.fd, buffer.baseAddress! + done, want, off_t(segment.fileOffset + (at - segment.start)))
            if n < 0 && errno == EINTR { continue }
            precondition(n > 0, "recur: cannot read its temporary paragraph store: \(String(cString: strerror(errno)))")
            done += n
        }
    }

    /// The date sort key of a document: integer order is `DocumentDate` order; undated sorts last.
    static func dateKey(_ date: DocumentDate?) -> Int64 {
        guard let d = date else { return .max }
        let year = Int64(clamping: min(max(d.year, 0), 9_999_999))
        var key = year
        for (part, scale) in [(d.month, 100), (d.day, 100), (d.hour, 100), (d.minute, 100), (d.second, 100)] {
            key = key * Int64(scale) + Int64(min(max(part, 0), scale - 1))
        }
        return key
    }
}

/// Appends analyzed documents to a new `ParagraphStore`. Used by one task (the pipeline's consumer).
public final class ParagraphStoreWriter {
    private let fd: Int32
    private let folder: String
    private var pending: [UInt8] = []
    /// The store's size: what its own file and the spill files taken over hold.
    fileprivate private(set) var fileSize: UInt64 = 0
    fileprivate private(set) var segments: StoreSegments
    fileprivate var recordOffset = RecordOffsets()
    fileprivate var recordFirstParagraph = ChunkedColumn<Int32>()
    /// Per record: `DocumentDate` packed so that integer order is the date order; undated: `Int64.max`.
    /// Handed to the first-occurrence order by `finishWithDateKeys()`, not kept by the store.
    private var recordDateKey: [Int64] = []
    fileprivate var locations: ParagraphLocations
    /// Per record that is a later part of a document: the document's first record.
    fileprivate var documentFirstRecord: [Int32: Int32] = [:]
    private var handedOver = false

    /// Creates the store's file in `folder` (by default `$TMPDIR`, else `/tmp`) and unlinks it at once.
    ///
    /// - Throws: `RecurError(.outputFailed)` when the folder cannot be written.
    public convenience init(folder: String? = nil) throws {
        try self.init(folder: folder, residentLocations: nil)
    }

    /// - Parameter residentLocations: for tests, paragraphs whose locations stay in memory
    ///   (`ParagraphLocations`; the rest are written to a file 7 at a time) instead of 2 million.
    init(folder: String?, residentLocations: Int?) throws {
        let base = folder ?? TemporaryFile.defaultFolder
        self.folder = base
        guard let fd = TemporaryFile.create(in: base, prefix: "recur-paragraphs") else {
            throw RecurError(.outputFailed, "cannot create the temporary paragraph store: \(String(cString: strerror(errno))) (set TMPDIR to a writable folder)", path: base)
        }
        self.fd = fd
        segments = StoreSegments(ownFile: fd)
        locations = residentLocations.map { ParagraphLocations(folder: base, residentWords: $0, wordsPerWrite: 7) }
            ?? ParagraphLocations(folder: base)
        pending.reserveCapacity(1 << 20)
    }

    deinit {
        if !handedOver { close(fd) }
    }

    /// Appends one document and those of its paragraphs whose key is not empty.
    ///
    /// - Throws: `RecurError(.outputFailed)` when the temporary folder is full or fails.
    public func append(_ document: AnalyzedDocument) throws {
        var encoded = EncodedDocuments()
        encoded.add(document)
        try append(encoded)
    }

    /// Appends documents a worker has already encoded.
    ///
    /// - Throws: `RecurError(.outputFailed)` when the temporary folder is full or fails.
    public func append(_ encoded: EncodedDocuments) throws {
        let base = fileSize + UInt64(pending.count)
        // The part a worker wrote to its spill file comes first: the file becomes part of the
        // store as it is (its records are not written twice).
        if let spill = encoded.buffer.spill {
            try flush()
            segments.append(spill, at: fileSize)
            fileSize += UInt64(spill.size)
        }
        var recordStart = base
        for r in encoded.continuations {
            let record = Int32(recordOffset.count + r)
            documentFirstRecord[record] = documentFirstRecord[record - 1] ?? record - 1
        }
        let paragraphs = locations.count
        encoded.records.forEach { _, r in
            recordOffset.append(recordStart)
            recordFirstParagraph.append(Int32(clamping: paragraphs + Int(r.firstParagraph)))
            recordDateKey.append(r.dateKey)
            recordStart += UInt64(r.length)
        }
        encoded.paragraphs.forEach { _, p in
            locations.append(ParagraphLocations.Location(
                textOffset: base + p.textStart, textLength: Int(p.textLength), keyLength: Int(p.keyLength)))
        }
        pending.append(contentsOf: encoded.buffer.bytes)
        // Records lie back to back (a record's length is the distance to the next one).
        precondition(recordStart == fileSize + UInt64(pending.count), "paragraph store records are not contiguous")
        if pending.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        var done = 0
        while done < pending.count {
            let n = pending.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw RecurError(.outputFailed, "cannot write the temporary paragraph store: \(String(cString: strerror(errno))) (set TMPDIR to a folder with more room)", path: folder)
            }
            done += n
        }
        segments.appendOwn(UInt64(pending.count), at: fileSize)
        fileSize += UInt64(pending.count)
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes and hands the file over to a reader. The writer must not be used afterwards.
    public func finish() throws -> ParagraphStore { try finishWithDateKeys().store }

    /// `finish()`, and every record's date sort key (`ParagraphStore.dateKey`), which the store
    /// does not keep: the pipeline orders the documents with them once.
    func finishWithDateKeys() throws -> (store: ParagraphStore, dateKeys: [Int64]) {
        try flush()
        pending = []
        handedOver = true
        let dateKeys = recordDateKey
        recordDateKey = []
        return (ParagraphStore(writer: self), dateKeys)
    }
}

/// Where each record of a `ParagraphStore` starts, 4 bytes a record (8 as `UInt64`s): its distance
/// from the start of its block of 1,024 records, and the rare record farther than 4 GB from it in a
/// table of its own.
struct RecordOffsets: Sendable {
    private static let blockShift = 10
    /// Per block: its first record's offset.
    private var bases: [UInt64] = []
    /// Per record: its offset less its block's base; `UInt32.max`: in `far`.
    private var relative = ChunkedColumn<UInt32>()
    private var far: [Int32: UInt64] = [:]

    /// Records appended.
    var count: Int { relative.count }
    /// Records 4 GB or more past their block's start (for tests).
    var farCount: Int { far.count }

    /// Appends the next record's offset (offsets ascending).
    mutating func append(_ offset: UInt64) {
        let record = relative.count
        if record & (1 << Self.blockShift - 1) == 0 { bases.append(offset) }
        let distance = offset - bases[bases.count - 1]
        if distance < UInt64(UInt32.max) {
            relative.append(UInt32(distance))
        } else {
            relative.append(.max)
            far[Int32(record)] = offset
        }
    }

    subscript(record: Int) -> UInt64 {
        let distance = relative[record]
        return distance == .max ? far[Int32(record)]! : bases[record >> Self.blockShift] + UInt64(distance)
    }
}

/// Where a `ParagraphStore`'s bytes lie: runs of its own file, written in order, and between them
/// workers' spill files taken over whole (a large input file's records, written once).
struct StoreSegments: Sendable {
    struct Segment: Sendable {
        /// Where the segment starts among the store's bytes, and where it ends.
        var start: UInt64
        var end: UInt64
        var fd: Int32
        /// Where it starts in its file.
        var fileOffset: UInt64
    }

    /// The store's own file (closed with the store).
    let ownFile: Int32
    private(set) var segments: [Segment] = []
    /// What the store's own file holds so far.
    private var ownSize: UInt64 = 0
    /// The spill files taken over, kept open as long as the store.
    private var adopted: [SpillFile] = []

    init(ownFile: Int32) { self.ownFile = ownFile }

    /// `count` bytes written at the end of the store's own file, which are the store's bytes from `start`.
    mutating func appendOwn(_ count: UInt64, at start: UInt64) {
        guard count > 0 else { return }
        if let last = segments.last, last.fd == ownFile, last.end == start {
            segments[segments.count - 1].end += count
        } else {
            segments.append(Segment(start: start, end: start + count, fd: ownFile, fileOffset: ownSize))
        }
        ownSize += count
    }

    /// `spill`'s bytes are the store's bytes from `start`.
    mutating func append(_ spill: SpillFile, at start: UInt64) {
        guard spill.size > 0 else { return }
        segments.append(Segment(start: start, end: start + UInt64(spill.size), fd: spill.fd, fileOffset: 0))
        adopted.append(spill)
    }

    /// The segment holding the store's byte at `offset` (which must be one of them).
    func segment(containing offset: UInt64) -> Segment {
        if segments.count == 1 { return segments[0] }
        // The last segment starting at or before `offset`.
        var low = 0, high = segments.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if segments[middle].start <= offset { low = middle } else { high = middle }
        }
        return segments[low]
    }
}

/// Documents encoded as `ParagraphStore` records, built on a worker (`DocumentSink`) and appended
/// by the pipeline's consumer: the encoding runs in parallel and what a worker hands over is compact.
///
/// A file of many records (a JSONL or CSV export) would make this value large: its bytes are a
/// `SpillingBuffer`, and its 16 bytes per record and per paragraph `SpillingColumn`s with nothing
/// resident, so that a worker holds at most a few MB for it whatever the file's size.
public struct EncodedDocuments: DocumentSink {
    /// A record: its length in bytes, its first paragraph's position among this value's
    /// paragraphs, and its date sort key (`ParagraphStore.dateKey`).
    struct Record: BitwiseCopyable, Sendable {
        var length: UInt32
        var firstParagraph: Int32
        var dateKey: Int64
    }

    /// A paragraph with a non-empty key: where its text starts in `buffer`, and its text's and key's lengths.
    struct Paragraph: BitwiseCopyable, Sendable {
        var textStart: UInt64
        var textLength: UInt32
        var keyLength: UInt32
    }

    /// The records' bytes, one after the other.
    fileprivate(set) var buffer = SpillingBuffer()
    static let spillThreshold = SpillingBuffer.threshold
    fileprivate(set) var records = SpillingColumn<Record>(prefix: "recur-worker-records", residentCount: 0)
    fileprivate(set) var paragraphs = SpillingColumn<Paragraph>(prefix: "recur-worker-paragraphs", residentCount: 0)
    /// The records (positions here) that are later parts of a document (`AnalyzedDocument.continuesPrevious`).
    fileprivate var continuations: [Int] = []
    /// The documents' sources, each once.
    public private(set) var sources: Set<String> = []
    private var record = StoreRecordWriter()

    public init() {}

    public mutating func add(_ document: AnalyzedDocument) {
        let start = buffer.size
        if document.continuesPrevious { continuations.append(records.count) }
        let firstParagraph = Int32(clamping: paragraphs.count)
        sources.insert(document.document.source)
        record.reset()
        record.document(document.document)
        record.varint(document.paragraphs.reduce(0) { $0 + ($1.analysis.key.isEmpty ? 0 : 1) })
        for paragraph in document.paragraphs where !paragraph.analysis.key.isEmpty {
            let at = record.paragraph(paragraph)
            paragraphs.append(Paragraph(
                textStart: UInt64(start + at), textLength: UInt32(clamping: paragraph.text.utf8.count),
                keyLength: UInt32(clamping: paragraph.analysis.key.utf8.count)))
        }
        records.append(Record(
            length: UInt32(clamping: record.bytes.count), firstParagraph: firstParagraph,
            dateKey: ParagraphStore.dateKey(document.document.date)))
        buffer.append(record.bytes)
    }

    public mutating func append(contentsOf other: EncodedDocuments) throws {
        let (bytes, paragraphCount, recordCount) = (UInt64(buffer.size), paragraphs.count, records.count)
        try buffer.append(contentsOf: other.buffer)
        other.records.forEach { _, r in
            records.append(Record(length: r.length, firstParagraph: r.firstParagraph + Int32(clamping: paragraphCount), dateKey: r.dateKey))
        }
        other.paragraphs.forEach { _, p in
            paragraphs.append(Paragraph(textStart: p.textStart + bytes, textLength: p.textLength, keyLength: p.keyLength))
        }
        continuations += other.continuations.lazy.map { $0 + recordCount }
        sources.formUnion(other.sources)
    }
}

/// Bytes a worker builds for the consumer (encoded records, rendered lines): held in memory up to
/// `threshold`, then moved to a temporary spill file of the worker's (unlinked at once), so that a
/// large input file costs a worker a few MB, not the size of what it makes of it.
struct SpillingBuffer: Sendable {
    /// The bytes not spilled: they come after those in `spill`.
    private(set) var bytes: [UInt8] = []
    /// The bytes written out so far; nil until `bytes` first passes `threshold`.
    private(set) var spill: SpillFile?
    /// No spill file could be made or written: the bytes stay in memory.
    private var spillFailed = false
    static let threshold = 1 << 20

    /// All bytes appended so far.
    var size: Int { (spill?.size ?? 0) + bytes.count }

    /// Appends `more`, and spills once the bytes held pass `threshold`.
    mutating func append(_ more: [UInt8]) {
        bytes.append(contentsOf: more)
        if bytes.count >= Self.threshold && !spillFailed { spillBytes() }
    }

    /// Appends the bytes of `other` (those it spilled, then those it holds).
    ///
    /// - Throws: `RecurError(.outputFailed)` when `other`'s spill file cannot be read.
    mutating func append(contentsOf other: SpillingBuffer) throws {
        try other.forEachSpilledChunk(folder: TemporaryFile.defaultFolder) { append(Array($0)) }
        append(other.bytes)
    }

    /// Moves `bytes` to the spill file (made on first use). When that fails the bytes stay where
    /// they are, and so do the next ones: memory grows, nothing is lost.
    private mutating func spillBytes() {
        if spill == nil { spill = SpillFile() }
        guard let spill, spill.append(bytes) else {
            spillFailed = true
            return
        }
        bytes.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with the spilled bytes in order, 1 MB at a time (nothing when none were
    /// spilled); the bytes held in memory, `bytes`, follow them.
    ///
    /// - Throws: `RecurError(.outputFailed)` naming `folder` when the spill file cannot be read;
    ///   what `body` throws.
    func forEachSpilledChunk(folder: String, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        guard let spill else { return }
        var offset = 0
        while offset < spill.size {
            guard let chunk = spill.read(min(1 << 20, spill.size - offset), at: offset) else {
                throw RecurError(.outputFailed, "cannot read a worker's temporary spill file: \(String(cString: strerror(errno)))", path: folder)
            }
            try body(chunk[...])
            offset += chunk.count
        }
    }
}

/// A temporary file written at its end and read back by position: a worker's spill file for
/// `SpillingBuffer`, standard input's copy, the paragraph store's locations. Created in
/// `TemporaryFile.defaultFolder` (or a given folder) and unlinked at once, closed when the last
/// value holding it is gone.
///
/// `@unchecked Sendable`: it is written by one task at a time (the worker that fills a buffer, the
/// consumer that appends to the store); once nothing more is written, any thread may read it.
final class SpillFile: @unchecked Sendable {
    let fd: Int32
    /// Bytes written.
    private(set) var size = 0

    /// nil (with `errno` set) when the file cannot be created.
    init?(in folder: String = TemporaryFile.defaultFolder, prefix: String = "recur-spill") {
        guard let fd = TemporaryFile.create(in: folder, prefix: prefix) else { return nil }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Writes all of `bytes` at the end; false (and the file as it was) when it cannot.
    func append(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Writes all of `bytes` at the end; false (and the file as it was) when it cannot.
    func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(size + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let saved = errno
                _ = ftruncate(fd, off_t(size))
                errno = saved
                return false
            }
            done += n
        }
        size += done
        return true
    }

    /// All bytes written; nil (with `errno` set) when they cannot be read back.
    func readAll() -> [UInt8]? { read(size, at: 0) }

    /// The first `count` bytes written (all of them when fewer); nil (with `errno` set) when they
    /// cannot be read back.
    func head(_ count: Int) -> [UInt8]? { read(min(count, size), at: 0) }

    /// `count` bytes written, from `offset`; nil (with `errno` set) when they cannot be read back.
    func read(_ count: Int, at offset: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        return bytes.withUnsafeMutableBytes { read(into: $0, at: offset) } ? bytes : nil
    }

    /// Fills `buffer` with the bytes written from `offset`, or stops the process naming the file
    /// (`name`): the file was written by this process, so a failure is a broken temporary folder
    /// (a full or vanished disk), which the pipeline cannot continue from.
    func readBack(into buffer: UnsafeMutableRawBufferPointer, at offset: Int, name: String) {
        let read = read(into: buffer, at: offset)
        precondition(read, "recur: cannot read its temporary file \(name): \(String(cString: strerror(errno)))")
    }

    /// Fills `buffer` with the bytes written from `offset`; false (with `errno` set) when they
    /// cannot be read back. Safe from several threads once nothing more is written.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Bool {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}

/// Temporary files that vanish with the process: created with `mkstemp` and unlinked at once.
enum TemporaryFile {
    /// `$TMPDIR`, else `/tmp`.
    static var defaultFolder: String {
        ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    /// An open, already unlinked file `folder/prefix-XXXXXX`; nil (with `errno` set) when it cannot be made.
    static func create(in folder: String, prefix: String) -> Int32? {
        var template = Array((folder + "/" + prefix + "-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        return fd
    }
}

/// Encodes one record: varints, length-prefixed UTF-8 strings, one byte per enum.
struct StoreRecordWriter {
    private(set) var bytes: [UInt8] = []

    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    static func varintSize(_ value: Int) -> Int {
        var v = UInt64(value), n = 1
        while v >= 0x80 { v >>= 7; n += 1 }
        return n
    }

    mutating func varint(_ value: Int) {
        var v = UInt64(bitPattern: Int64(value))
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// Appends bytes as they are (no length).
    mutating func raw(_ more: some Collection<UInt8>) { bytes.append(contentsOf: more) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            varint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optionalInt(_ value: Int?) {
        if let value { bytes.append(1); varint(value) } else { bytes.append(0) }
    }

    mutating func document(_ d: SourceDocument) {
        string(d.id)
        string(d.path)
        optionalInt(d.line)
        string(d.format.rawValue)
        if let date = d.date {
            bytes.append(date.hasTime ? 3 : 1)
            for part in [date.year, date.month, date.day, date.hour, date.minute, date.second] { varint(part) }
            optionalInt(date.utcOffsetMinutes)
        } else {
            bytes.append(0)
        }
        string(d.dateOrigin.rawValue)
        string(d.source)
        if let title = d.title { bytes.append(1); string(title) } else { bytes.append(0) }
        string(d.encoding)
        varint(d.invalidBytes)
    }

    /// Appends a paragraph; returns where its text's bytes start within the record.
    mutating func paragraph(_ p: AnalyzedParagraph) -> Int {
        varint(p.index)
        varint(p.line)
        bytes.append(UInt8(Language.allCases.firstIndex(of: p.analysis.language)!))
        bytes.append((p.isQuote ? 1 : 0) | (p.isSignature ? 2 : 0))
        string(p.analysis.script)
        var text = p.text
        let at = text.withUTF8 { utf8 in
            varint(utf8.count)
            let at = bytes.count
            bytes.append(contentsOf: utf8)
            return at
        }
        string(p.analysis.key)
        // The terms, behind their length in 4 bytes (filled in afterwards, so that they are written in
        // place) so that a reader that needs only keys can skip them.
        let lengthAt = bytes.count
        bytes.append(contentsOf: [0, 0, 0, 0])
        varint(p.analysis.terms.count)
        for t in p.analysis.terms {
            string(t.key)
            string(t.surface)
            bytes.append(UInt8(WordClass.allCases.firstIndex(of: t.wordClass)!) | (t.isStopword ? 0x80 : 0))
            varint(t.sentence)
            varint(t.parts.count)
            for part in t.parts { string(part) }
        }
        let length = UInt32(bytes.count - lengthAt - 4)
        for i in 0..<4 { bytes[lengthAt + i] = UInt8(truncatingIfNeeded: length >> (8 * i)) }
        return at
    }
}

/// What deduplication reads of a stored paragraph: no text, script or terms.
struct StoredDedupFields {
    var index: Int
    var language: Language
    var key: String
    /// Where the key's UTF-8 starts in its record.
    var keyStart: UInt64
    var isQuote: Bool
    var isSignature: Bool
}

/// Decodes what `StoreRecordWriter` encoded.
struct StoreRecordReader {
    private let buffer: UnsafeBufferPointer<UInt8>
    private var at = 0

    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    /// Bytes read so far.
    var position: Int { at }

    mutating func byte() -> UInt8 {
        defer { at += 1 }
        return buffer[at]
    }

    mutating func varint() -> Int {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = byte()
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        return Int(Int64(bitPattern: value))
    }

    mutating func string() -> String {
        let n = varint()
        defer { at += n }
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[at..<at + n]), as: UTF8.self)
    }

    mutating func optionalInt() -> Int? { byte() == 0 ? nil : varint() }

    mutating func document(termsOf: (Int) -> Bool) -> AnalyzedDocument {
        let document = sourceDocument()
        let count = varint()
        var paragraphs: [AnalyzedParagraph] = []
        paragraphs.reserveCapacity(count)
        for i in 0..<count { paragraphs.append(paragraph(withTerms: termsOf(i))) }
        return AnalyzedDocument(document: document, paragraphs: paragraphs)
    }

    /// A record's document and only the paragraphs (by position) for which `wanted` is true, with
    /// their terms; the others are skipped over, their strings not decoded.
    mutating func document(only wanted: (Int) -> Bool) -> (document: SourceDocument, paragraphs: [(position: Int, paragraph: AnalyzedParagraph)]) {
        let document = sourceDocument()
        let count = varint()
        var paragraphs: [(position: Int, paragraph: AnalyzedParagraph)] = []
        for i in 0..<count {
            if wanted(i) {
                paragraphs.append((i, paragraph(withTerms: true)))
            } else {
                skipParagraph()
            }
        }
        return (document, paragraphs)
    }

    /// The document fields at the start of a record.
    /// The document fields of a record. With `full` false only `source` is decoded, the other
    /// strings are skipped and left empty (`dedupFields`).
    private mutating func sourceDocument(full: Bool = true) -> SourceDocument {
        func text() -> String {
            if full { return string() }
            skipString()
            return ""
        }
        let id = text(), path = text(), line = optionalInt()
        let format = DocumentFormat(rawValue: text()) ?? .text
        var date: DocumentDate?
        let dateFlags = byte()
        if dateFlags != 0 {
            let p = (0..<6).map { _ in varint() }
            date = DocumentDate(
                year: p[0], month: p[1], day: p[2], hour: p[3], minute: p[4], second: p[5],
                utcOffsetMinutes: optionalInt(), hasTime: dateFlags & 2 != 0)
        }
        let origin = DateOrigin(rawValue: text()) ?? .none
        let source = string()
        let title: String? = byte() == 0 ? nil : text()
        let encoding = text()
        let invalid = varint()
        return SourceDocument(
            id: id, path: path, line: line, format: format, date: date, dateOrigin: origin, source: source,
            title: title, text: "", encoding: encoding, invalidBytes: invalid)
    }

    /// Moves past a string without decoding it.
    mutating func skipString() { at += varint() }

    /// A record's source and, per paragraph, what deduplication takes (`ParagraphStore.dedupFields`).
    mutating func dedupFields() -> (source: String, paragraphs: [StoredDedupFields]) {
        let source = sourceDocument(full: false).source
        let count = varint()
        var paragraphs: [StoredDedupFields] = []
        paragraphs.reserveCapacity(count)
        for _ in 0..<count {
            let head = paragraphHead(withText: false)
            at += head.termBytes
            paragraphs.append(StoredDedupFields(
                index: head.index, language: head.language, key: head.key, keyStart: UInt64(head.keyStart),
                isQuote: head.flags & 1 != 0, isSignature: head.flags & 2 != 0))
        }
        return (source, paragraphs)
    }

    /// Moves past one paragraph (as `paragraph(withTerms:)` reads it) without decoding it.
    mutating func skipParagraph() {
        _ = varint()
        _ = varint()
        at += 2  // language, flags
        for _ in 0..<3 { at += varint() }  // script, text, key
        var termBytes = 0
        for i in 0..<4 { termBytes |= Int(byte()) << (8 * i) }
        at += termBytes
    }

    /// A paragraph's fields before its terms, and the byte length of its terms. With `withText`
    /// false the script and text are skipped and left empty.
    private mutating func paragraphHead(withText: Bool) -> (index: Int, line: Int, language: Language, flags: UInt8, script: String, text: String, key: String, keyStart: Int, termBytes: Int) {
        let index = varint(), line = varint()
        let language = Language.allCases[Int(byte())]
        let flags = byte()
        var script = "", text = ""
        if withText {
            script = string()
            text = string()
        } else {
            skipString()
            skipString()
        }
        let keyLength = varint()
        let keyStart = at
        at += keyLength
        let key = String(decoding: UnsafeBufferPointer(rebasing: buffer[keyStart..<at]), as: UTF8.self)
        var termBytes = 0
        for i in 0..<4 { termBytes |= Int(byte()) << (8 * i) }
        return (index, line, language, flags, script, text, key, keyStart, termBytes)
    }

    mutating func paragraph(withTerms: Bool) -> AnalyzedParagraph {
        let (index, line, language, flags, script, text, key, _, termBytes) = paragraphHead(withText: true)
        var terms: [Term] = []
        if withTerms {
            let count = varint()
            terms.reserveCapacity(count)
            for _ in 0..<count {
                let key = string(), surface = string()
                let classByte = byte()
                let sentence = varint()
                let partCount = varint()
                let parts = (0..<partCount).map { _ in string() }
                terms.append(Term(
                    key: key, surface: surface, wordClass: WordClass.allCases[Int(classByte & 0x7F)],
                    isStopword: classByte & 0x80 != 0, parts: parts, sentence: sentence))
            }
        } else {
            at += termBytes
        }
        return AnalyzedParagraph(
            index: index, line: line, text: text,
            analysis: AnalyzedText(key: key, language: language, script: script, terms: terms),
            isQuote: flags & 1 != 0, isSignature: flags & 2 != 0)
    }
}
