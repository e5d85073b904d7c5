/// One paragraph as the deduplicator sees it, fed in "first occurrence" order: by document date,
/// then input order.
public struct DedupInput: Sendable {
    /// Dense 0-based ordinal assigned by the caller in feeding order.
    public var id: Int
    /// Document id. Not read when the deduplicator names documents by `documentNumber`
    /// (`ParagraphDeduplicator.init(options:keyHash:keyOf:documentName:)`).
    public var doc: String
    /// The document as a number (the same for all its paragraphs; small: the deduplicator keeps
    /// 4 bytes per number up to the largest), for a deduplicator given `documentName`; else nil.
    public var documentNumber: Int?
    /// Paragraph index within `doc`.
    public var paragraph: Int
    /// The client.
    public var source: String
    public var lang: Language
    /// The normalized matching key (NFKC-casefolded, spaces collapsed, ё→е), e.g. `ICUText.normalize(_, .key)`.
    public var key: String
    /// An e-mail quote (lines starting with ">").
    public var isQuote: Bool
    public var isSignature: Bool
    /// The caller's handle of `key` (where it keeps it), for a deduplicator that reads earlier keys
    /// by handle (`ParagraphDeduplicator.init(options:keyBytesAt:documentName:paragraphs:threads:)`);
    /// else not read.
    public var keyHandle: UInt64?

    public init(
        id: Int, doc: String, paragraph: Int, source: String, lang: Language, key: String,
        isQuote: Bool = false, isSignature: Bool = false, documentNumber: Int? = nil, keyHandle: UInt64? = nil
    ) {
        self.keyHandle = keyHandle
        self.documentNumber = documentNumber
        self.id = id
        self.doc = doc
        self.paragraph = paragraph
        self.source = source
        self.lang = lang
        self.key = key
        self.isQuote = isQuote
        self.isSignature = isSignature
    }
}

/// Settings of `ParagraphDeduplicator`.
public struct DedupOptions: Sendable, Hashable {
    /// Character (Unicode scalar) n-gram size for near-duplicate detection.
    public var shingleSize: Int = 5
    /// Shingle size for Japanese keys shorter than `shortJapaneseLength` characters.
    public var shortJapaneseShingleSize: Int = 3
    /// Japanese keys with fewer characters than this use `shortJapaneseShingleSize`.
    public var shortJapaneseLength: Int = 60
    /// Minimum Jaccard similarity of the shingle sets for a near duplicate.
    public var threshold: Double = 0.8
    /// LSH bands. `bands * rows` is the MinHash signature length.
    ///
    /// 20 × 6: the S-curve's midpoint is (1/20)^(1/6) ≈ 0.61, so a pair at the 0.8 threshold
    /// becomes a candidate with probability 1 − (1 − 0.8⁶)²⁰ ≈ 0.998 (16 × 8 would give 0.95),
    /// while pairs at 0.3 do so with about 1.4% probability. Every candidate is verified.
    public var bands: Int = 20
    public var rows: Int = 6
    /// Keys with fewer characters than this take part in exact matching only.
    public var minNearLength: Int = 24
    /// A cluster spanning at least this many distinct documents...
    public var boilerplateMinDocuments: Int = 5
    /// ...from at least this many distinct sources is boilerplate.
    public var boilerplateMinSources: Int = 2
    /// At most this many LSH candidates are verified per paragraph, those sharing the most bands
    /// first (ties: lowest ids); bounds the work on pathological inputs (thousands of
    /// similar-but-not-enough template paragraphs). On the 1 GB benchmark archive some lookups
    /// find more than 256 kept paragraphs sharing two bands or more.
    public var maxCandidates: Int = 256
    /// At most this many LSH candidates that share a single band with the paragraph are verified
    /// (after every one sharing two or more). With 20 × 6 a pair at the 0.8 threshold shares two or
    /// more bands with probability 0.981 and one at 0.85 with 0.999; pairs near 0.5, common in
    /// templated text, mostly share one. Bounds the verification work as an archive grows.
    public var singleBandCandidates: Int = 8
    /// Seed of every hash function (fixed, so that outputs are identical run to run).
    public var seed: UInt64 = 0x7265_6375_7244_4450

    public init() {}

    public init(
        shingleSize: Int = 5, shortJapaneseShingleSize: Int = 3, shortJapaneseLength: Int = 60,
        threshold: Double = 0.8, bands: Int = 20, rows: Int = 6, minNearLength: Int = 24,
        boilerplateMinDocuments: Int = 5, boilerplateMinSources: Int = 2, maxCandidates: Int = 256,
        singleBandCandidates: Int = 8, seed: UInt64 = 0x7265_6375_7244_4450
    ) {
        self.singleBandCandidates = singleBandCandidates
        self.shingleSize = shingleSize
        self.shortJapaneseShingleSize = shortJapaneseShingleSize
        self.shortJapaneseLength = shortJapaneseLength
        self.threshold = threshold
        self.bands = bands
        self.rows = rows
        self.minNearLength = minNearLength
        self.boilerplateMinDocuments = boilerplateMinDocuments
        self.boilerplateMinSources = boilerplateMinSources
        self.maxCandidates = maxCandidates
        self.seed = seed
    }
}

/// Why a paragraph is not content of its own.
public enum DuplicateKind: String, Sendable, Hashable, CaseIterable {
    /// The same key (after quote markers are stripped) as the kept paragraph.
    case exact
    /// Jaccard similarity of the shingle sets at or above the threshold.
    case near
    /// A cluster that recurs across documents and sources (footers, legal text, signatures).
    case boilerplate
    /// An e-mail quote repeating an earlier message's text.
    case quote
}

/// A non-kept paragraph and the paragraph it duplicates.
public struct DuplicateMember: Sendable, Hashable {
    public var id: Int
    /// The cluster's kept paragraph (its lowest id).
    public var keptID: Int
    public var kind: DuplicateKind
    /// Jaccard similarity to the kept paragraph; 1.0 for exact duplicates.
    public var similarity: Double

    public init(id: Int, keptID: Int, kind: DuplicateKind, similarity: Double) {
        self.id = id
        self.keptID = keptID
        self.kind = kind
        self.similarity = similarity
    }
}

/// A group of paragraphs that are one text: the kept one and its duplicates.
///
/// Its members are in the result that found it: `DedupResult.memberIDs(of:)`.
public struct DedupCluster: Sendable, Hashable {
    /// `c` + zero-padded 1-based ordinal in kept-id order, e.g. `c000001`.
    public var id: String
    public var keptID: Int
    /// Members, the kept one included.
    public var size: Int
    public var isBoilerplate: Bool
    /// Distinct documents and sources among the members.
    public var documentCount: Int
    public var sourceCount: Int
    /// 0-based position in `DedupResult.clusters`.
    let ordinal: Int
}

/// The clusters of a deduplication, sorted by kept id: 16 bytes each, where a `DedupCluster` array
/// took 64 (its id string and five words). A cluster is made when it is read; its id
/// (`c000001`...) from its position.
public struct DedupClusters: RandomAccessCollection, Sendable, Hashable {
    /// One cluster's figures; the top bit of `sources` is set for a boilerplate cluster.
    private struct Packed: Sendable, Hashable {
        var keptID: Int32, size: Int32, documents: Int32, sources: UInt32
    }

    private var packed: [Packed] = []
    /// Digits of the ids: at least 6, more when the clusters' count needs them.
    private var idWidth = 6

    /// An empty collection with room for `capacity` clusters, whose ids have `idWidth` digits.
    init(capacity: Int, idWidth: Int) {
        packed.reserveCapacity(capacity)
        self.idWidth = idWidth
    }

    /// Appends the next cluster (its ordinal is its position).
    mutating func append(keptID: Int, size: Int, isBoilerplate: Bool, documentCount: Int, sourceCount: Int) {
        precondition(sourceCount < 1 << 31, "DedupClusters: source count out of range")
        packed.append(Packed(
            keptID: Int32(keptID), size: Int32(size), documents: Int32(documentCount),
            sources: UInt32(sourceCount) | (isBoilerplate ? 1 << 31 : 0)))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { packed.count }

    public subscript(_ i: Int) -> DedupCluster {
        let p = packed[i]
        let ordinal = String(i + 1)
        return DedupCluster(
            id: "c" + String(repeating: "0", count: Swift.max(0, idWidth - ordinal.count)) + ordinal,
            keptID: Int(p.keptID), size: Int(p.size), isBoilerplate: p.sources >> 31 != 0,
            documentCount: Int(p.documents), sourceCount: Int(p.sources & 0x7FFF_FFFF), ordinal: i)
    }

    /// The kept id of cluster `i`, without making its id.
    func keptID(_ i: Int) -> Int { Int(packed[i].keptID) }

    /// The size of cluster `i`, without making its id.
    func size(_ i: Int) -> Int { Int(packed[i].size) }
}

/// Counts of a deduplication run.
public struct DedupCounts: Sendable, Hashable {
    public var paragraphsIn = 0
    /// Paragraphs that are not duplicates of an earlier one (includes boilerplate representatives).
    public var kept = 0
    /// Paragraphs that duplicate an earlier one.
    public var removed = 0
    /// `removed` by kind.
    public var exact = 0
    public var near = 0
    public var quote = 0
    public var boilerplate = 0
    /// Kept representatives of boilerplate clusters (not content either).
    public var boilerplateKept = 0
    /// Clusters of two or more paragraphs, and how many of them are boilerplate.
    public var clusters = 0
    public var boilerplateClusters = 0
    /// Paragraphs shorter than `minNearLength` (exact matching only).
    public var short = 0
    /// LSH candidate pairs verified, and how many passed.
    public var candidatesVerified = 0
    public var candidatesAccepted = 0

    public init() {}
}

/// What `ParagraphDeduplicator.finish()` found.
///
/// Per paragraph 5 bytes (cluster, and kind, boilerplate flag and language in one byte), per
/// clustered paragraph 4 (the members, cluster by cluster), per near member 8 (similarity).
public struct DedupResult: Sendable {
    /// Clusters of two or more paragraphs, sorted by kept id.
    public let clusters: DedupClusters
    public var counts: DedupCounts

    // Per paragraph, indexed by id.
    /// The cluster's position in `clusters`; -1 for paragraphs in none (kept, alone). Past its
    /// first 2 million values in a file (`SpillingColumn`): read back for a paragraph that is not
    /// kept (a kept one finds its cluster in `clusters`, by its id).
    let clusterOf: SpillingColumn<Int32>
    /// Bits 0–2: 0 = kept, else 1 + index in `DedupResult.kinds`; bit 3: the kept paragraph of a
    /// boilerplate cluster; bits 4–5: the language (`languages`).
    let code: [UInt8]
    /// The similarity of every near member; the others have 1.
    let nearSimilarities: NearSimilarities
    /// Every cluster's members, ascending, one cluster after the other: cluster `c` has
    /// `members[memberStart[c]..<memberStart[c + 1]]`. Past the first 2 million in a file, read
    /// back in order.
    let memberStart: [Int32]
    let members: SpillingColumn<Int32>
    /// Where paragraphs come from, run-length encoded (see `DedupRuns`; documents and paragraphs, no sources).
    let runs: DedupRuns
    /// A document's id by its number in `runs` (interned, or the caller's `DedupInput.documentNumber`).
    let documentName: @Sendable (Int) -> String

    static let kinds: [DuplicateKind] = [.exact, .near, .boilerplate, .quote]
    static let languages = Language.allCases
    static let boilerplateKeptBit: UInt8 = 8

    /// The language bits of `code` for `lang`.
    static func languageBits(_ lang: Language) -> UInt8 { languageBits(ordinal: UInt8(lang.ordinal)) }
    static func languageBits(ordinal: UInt8) -> UInt8 { ordinal << 4 }

    /// Number of paragraphs fed.
    public var count: Int { code.count }

    /// The kind of every non-kept paragraph (built on each call: prefer `kind(of:)` in loops).
    public var kindOf: [Int: DuplicateKind] {
        var out: [Int: DuplicateKind] = [:]
        out.reserveCapacity(counts.removed)
        for id in 0..<count where !isKept(id) { out[id] = kind(of: id) }
        return out
    }

    /// The kind of a non-kept paragraph; nil for kept ones.
    public func kind(of id: Int) -> DuplicateKind? {
        let k = Int(code[id] & 7)
        return k == 0 ? nil : Self.kinds[k - 1]
    }

    /// The duplicate record of a non-kept paragraph; nil for kept ones.
    public func member(_ id: Int) -> DuplicateMember? {
        guard let kind = kind(of: id) else { return nil }
        return DuplicateMember(id: id, keptID: keptID(of: id), kind: kind, similarity: Double(similarity(of: id)))
    }

    /// True when the paragraph is the first occurrence of its text (possibly a boilerplate representative).
    public func isKept(_ id: Int) -> Bool { code[id] & 7 == 0 }

    /// The kept paragraph of `id`'s cluster (`id` itself when kept).
    public func keptID(of id: Int) -> Int {
        isKept(id) ? id : clusters.keptID(Int(clusterOf[id]))
    }

    /// The position in `clusters` of `id`'s cluster; nil for singletons. A kept paragraph's is
    /// found by its id among the clusters' kept ones (sorted), with no read from a file.
    private func clusterIndex(of id: Int) -> Int? {
        guard isKept(id) else { return Int(clusterOf[id]) }
        var low = 0, high = clusters.count
        while low < high {
            let mid = (low + high) / 2
            if clusters.keptID(mid) < id { low = mid + 1 } else { high = mid }
        }
        return low < clusters.count && clusters.keptID(low) == id ? low : nil
    }

    /// True for every member of a boilerplate cluster, including its kept representative.
    public func isBoilerplate(_ id: Int) -> Bool {
        code[id] & Self.boilerplateKeptBit != 0 || kind(of: id) == .boilerplate
    }

    /// True when later stages should count the paragraph as content: kept and not boilerplate.
    public func isContent(_ id: Int) -> Bool { code[id] & (7 | Self.boilerplateKeptBit) == 0 }

    /// Size of `id`'s cluster; 1 for singletons.
    public func clusterSizeOf(_ id: Int) -> Int {
        clusterIndex(of: id).map { clusters.size($0) } ?? 1
    }

    /// `id`'s cluster, nil for singletons.
    public func cluster(of id: Int) -> DedupCluster? {
        clusterIndex(of: id).map { clusters[$0] }
    }

    /// The members of `cluster` (one of `clusters`), the kept one first, ascending.
    public func memberIDs(of cluster: DedupCluster) -> MemberIDs {
        memberIDs(of: cluster, at: 0..<cluster.size)
    }

    /// The ids at positions `positions` of `memberIDs(of: cluster)`.
    func memberIDs(of cluster: DedupCluster, at positions: Range<Int>) -> MemberIDs {
        let start = Int(memberStart[cluster.ordinal])
        return MemberIDs(values: members.values(in: start + positions.lowerBound..<start + positions.upperBound))
    }

    /// Paragraph ids of a cluster's members, ascending, read as they are walked.
    public struct MemberIDs: Sequence, Sendable {
        let values: SpillingColumn<Int32>.Values

        public func makeIterator() -> Iterator { Iterator(values: values.makeIterator()) }

        public struct Iterator: IteratorProtocol {
            var values: SpillingColumn<Int32>.Values.Iterator
            public mutating func next() -> Int? { values.next().map { Int($0) } }
        }
    }

    /// Where paragraph `id` came from.
    public func location(_ id: Int) -> (doc: String, paragraph: Int, lang: Language) {
        let (document, paragraph, lang) = place(id)
        return (documentName(document), paragraph, lang)
    }

    /// `location(_:)` with the document as its number (no name looked up).
    func place(_ id: Int) -> (document: Int, paragraph: Int, lang: Language) {
        let (document, paragraph) = runs.location(id)
        return (Int(document), Int(paragraph), Self.languages[Int(code[id] >> 4)])
    }

    /// The similarity of a non-kept paragraph to its kept one (1 unless near).
    func similarity(of id: Int) -> Float { nearSimilarities.similarity(of: id) }
}

/// Document, source and paragraph index of every paragraph fed, run-length encoded: a run is a
/// stretch of ids in one document and source whose paragraph indices count up by one (12 bytes
/// per run, 8 more for one that does not start at paragraph 0, instead of 12 per paragraph; the
/// pipeline feeds a document's paragraphs together). The columns grow a chunk at a time: no growth
/// slack, and no old and new buffer at once.
struct DedupRuns: Sendable {
    private(set) var start = ChunkedColumn<Int32>()
    private(set) var document = ChunkedColumn<Int32>()
    private(set) var source = ChunkedColumn<Int32>()
    /// The runs that do not start at their document's paragraph 0 (ascending), and where they start:
    /// most start there (a document's paragraphs are one run unless one with an empty key is left
    /// out), so that 4 bytes a run are spared.
    private var laterStartRun = ChunkedColumn<Int32>()
    private var laterStartParagraph = ChunkedColumn<Int32>()
    /// While paragraphs are added, with `spilling(residentCount:)`: the runs' start, document and
    /// source, past the first `residentCount` in a temporary file; `indexed(idCount:)` reads them
    /// into the columns above. Nothing reads a run while the deduplicator is fed, and then its
    /// indexes hold the process's peak: the runs (12 bytes each, 38 MB on the 4 GB benchmark
    /// archive) wait on disk until the indexes are gone.
    private var spilled: SpillingColumn<RunRecord>?
    /// Set by `indexed(idCount:)` once every paragraph is added.
    private var blocks: AscendingBlocks?
    /// The last run's start, document, source and paragraph, as appended (read for every paragraph).
    private var last: (start: Int32, document: Int32, source: Int32, paragraph: Int32)?
    /// Runs recorded.
    private(set) var count = 0

    /// A run's start, document and source, as `spilled` holds them.
    struct RunRecord: Sendable {
        var start: Int32, document: Int32, source: Int32
    }

    init() {}

    /// Runs whose start, document and source go to a temporary file past the first `residentCount`,
    /// until `indexed(idCount:)` reads them back (nothing may look a run up before).
    static func spilling(residentCount: Int = 1 << 16, valuesPerWrite: Int? = nil) -> DedupRuns {
        var runs = DedupRuns()
        runs.spilled = SpillingColumn(prefix: "recur-dedup-runs", residentCount: residentCount, valuesPerWrite: valuesPerWrite)
        return runs
    }

    /// Adds paragraph `id` (ids ascending, dense).
    mutating func add(id: Int32, document d: Int32, source s: Int32, paragraph p: Int32) {
        if let run = last, run.document == d, run.source == s, Int(run.paragraph) + (Int(id) - Int(run.start)) == Int(p) {
            return  // the current run goes on
        }
        last = (id, d, s, p)
        if p != 0 {
            laterStartRun.append(Int32(truncatingIfNeeded: count))
            laterStartParagraph.append(p)
        }
        count += 1
        if spilled != nil {
            spilled!.append(RunRecord(start: id, document: d, source: s))
            return
        }
        start.append(id)
        document.append(d)
        source.append(s)
    }

    /// Runs still in the temporary file (for tests).
    var countInFile: Int { spilled?.countInFile ?? 0 }

    /// Heap bytes of the columns.
    var bytes: Int { start.bytes + document.bytes + source.bytes + laterStartRun.bytes + laterStartParagraph.bytes }

    /// These runs with a coarse index for `run(of:)`, and in memory (read back from their file);
    /// nothing may be added afterwards.
    func indexed(idCount: Int) -> DedupRuns {
        var runs = self
        if let spilled = runs.spilled {
            runs.spilled = nil
            spilled.forEach { _, run in
                runs.start.append(run.start)
                runs.document.append(run.document)
                runs.source.append(run.source)
            }
        }
        runs.blocks = AscendingBlocks(runs.start, idCount: idCount)
        return runs
    }

    /// These runs without their sources (`documentAndSource(_:)` may not be called on them): the
    /// result of deduplication needs documents and paragraphs only, 8 bytes a run instead of 12.
    func droppingSources() -> DedupRuns {
        var runs = self
        runs.source = ChunkedColumn()
        return runs
    }

    /// The run holding `id` (runs in a file are looked up once `indexed(idCount:)` has read them back).
    func run(of id: Int) -> Int {
        precondition(spilled == nil, "DedupRuns: run(of:) before indexed(idCount:) read the runs back")
        return blocks?.lastIndex(in: start, atMost: id) ?? start.lastIndex(atMost: id)
    }

    /// Interned document, and paragraph index, of `id`.
    func location(_ id: Int) -> (document: Int32, paragraph: Int32) {
        let r = run(of: id)
        return (document[r], firstParagraph(ofRun: r) &+ Int32(truncatingIfNeeded: id - Int(start[r])))
    }

    /// The paragraph index run `r` starts at.
    private func firstParagraph(ofRun r: Int) -> Int32 {
        guard let first = laterStartRun.first, Int(first) <= r else { return 0 }
        let i = laterStartRun.lastIndex(atMost: r)
        return Int(laterStartRun[i]) == r ? laterStartParagraph[i] : 0
    }

    /// Interned document and source of `id`.
    func documentAndSource(_ id: Int) -> (document: Int32, source: Int32) {
        let r = run(of: id)
        return (document[r], source[r])
    }
}

/// The similarity of every near member to its kept paragraph, by id (ids appended ascending);
/// every other paragraph has 1. 8 bytes a near member, in chunks.
struct NearSimilarities: Sendable {
    private var ids = ChunkedColumn<Int32>()
    private var values = ChunkedColumn<Float>()

    /// Records near member `id`'s similarity (`id` above every one recorded).
    mutating func append(_ id: Int32, _ similarity: Float) {
        ids.append(id)
        values.append(similarity)
    }

    /// Heap bytes of the columns.
    var bytes: Int { ids.bytes + values.bytes }

    /// The similarity of `id`: its own when it is a near member, else 1.
    func similarity(of id: Int) -> Float {
        guard !ids.isEmpty else { return 1 }
        let i = ids.lastIndex(atMost: id)
        return Int(ids[i]) == id ? values[i] : 1
    }
}

extension RandomAccessCollection where Element == Int32, Index == Int {
    /// In an ascending collection, the last index whose element is at most `value` (0 when none is).
    func lastIndex(atMost value: Int) -> Int {
        lastIndex(atMost: value, from: 0, through: count - 1)
    }

    /// `lastIndex(atMost:)` searching only `low...high` (the answer must lie there).
    @inline(__always)
    func lastIndex(atMost value: Int, from low: Int, through high: Int) -> Int {
        var low = low, high = high + 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if Int(self[mid]) <= value { low = mid } else { high = mid }
        }
        return low
    }
}

/// A coarse index over an ascending array of ids (`values`) that narrows `lastIndex(atMost:)` to
/// the few entries of one block of `1 << shift` ids: the search over a large array (a million
/// documents) is otherwise some twenty dependent cache misses. 4 bytes per block.
struct AscendingBlocks: Sendable {
    static let shift = 6
    /// Per block `b`: `values.lastIndex(atMost: b << shift)`.
    private let starts: [Int32]

    /// Indexes `values` for ids `0..<idCount`.
    init<Values: RandomAccessCollection<Int32>>(_ values: Values, idCount: Int) where Values.Index == Int {
        let blocks = (idCount >> Self.shift) + 1
        var starts = [Int32](repeating: 0, count: blocks)
        var r = 0
        for b in 0..<blocks {
            let id = b << Self.shift
            while r + 1 < values.count && Int(values[r + 1]) <= id { r += 1 }
            starts[b] = Int32(r)
        }
        self.starts = starts
    }

    /// `values.lastIndex(atMost: id)` for `id` in `0..<idCount`.
    @inline(__always)
    func lastIndex<Values: RandomAccessCollection<Int32>>(in values: Values, atMost id: Int) -> Int where Values.Index == Int {
        let b = id >> Self.shift
        guard b >= 0, b + 1 < starts.count else { return values.lastIndex(atMost: id) }
        return values.lastIndex(atMost: id, from: Int(starts[b]), through: Int(starts[b + 1]))
    }
}
