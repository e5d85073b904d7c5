import Foundation
import Synchronization

/// Finds exact, near, boilerplate and quoted duplicate paragraphs in one streaming pass.
///
/// Feed paragraphs with `add(_:)` in first-occurrence order (document date, then input order),
/// with dense ids 0, 1, 2, ...; call `finish()` once at the end.
///
/// - Exact: a stable 64-bit hash of the key with quote markers stripped; equal hashes are
///   confirmed by comparing the keys, so a hash collision never merges two texts.
/// - Near: one-permutation MinHash (one 64-bit hash per character n-gram, binned, empty bins
///   filled by optimal densification), banded LSH over the signature, and every candidate
///   verified by the real Jaccard similarity of the two shingle sets (64-bit shingle hashes)
///   before it counts. Candidates sharing two or more bands are verified first, those sharing
///   the most bands (the likeliest to be similar) before the others, then at most
///   `singleBandCandidates` sharing one, `maxCandidates` in all.
///   Only kept paragraphs (cluster representatives) are indexed, and a new paragraph joins the
///   most similar one (ties: lowest id), so a cluster never drifts by chaining: every member is
///   within the threshold of the kept paragraph.
/// - Clusters: a parent array pointing at the kept paragraph (a union-find whose trees have depth 1).
///   An exact copy of a near member joins the member's cluster as `near` with the member's similarity.
/// - Boilerplate and quote kinds are decided in `finish()`.
///
/// Keys: with `keyOf` (the caller keeps the keys it fed, as the pipeline does), the deduplicator
/// stores no text at all and asks for an earlier paragraph's key when it must compare or verify
/// it. Without it, the distinct keys are copied into one arena (UTF-8 after quote stripping).
///
/// Memory:
/// - per paragraph fed: 5 bytes (kept id 4; kind, flags and language 1) for the first 2 million,
///   in chunks of 4,096 (no array's growth slack); past them these go to two temporary files
///   (`SpillingColumn`), read back in order by `finish()`; plus 12 for the key's place in the arena
///   when there is no `keyOf`; near members also keep their similarity (8 bytes);
/// - per run of paragraphs of one document and source with consecutive paragraph indices (a
///   document's paragraphs, when fed together): 16 bytes (first id, document, source, paragraph);
/// - per distinct key (after quote stripping): one 8-byte slot in the exact-hash table
///   (11–23 bytes with the table 35–70% full), 8 bytes (its paragraph, and its kept paragraph,
///   which an exact copy joins), 8 more for its key's handle when keys are read by handle
///   (`keyBytesAt`), and its UTF-8 bytes when there is no `keyOf`;
/// - per kept paragraph of `minNearLength` characters or more: one 8-byte slot (32-bit band hash
///   and index ordinal) in each of the `bands` per-band tables (≈ 200–400 bytes with 20 bands,
///   the tables 40–80% full), and 13 bytes (id, key ordinal, distinct shingle count, shingle size). Signatures
///   and shingle sets are not stored: a candidate's shingles are rebuilt from its key when it is
///   verified, stopping as soon as it can no longer reach the threshold (or beat the best so far);
/// - per distinct document and source: its id string once (interned); with `documentName`, per
///   document number (up to the largest) 4 bytes while `finish()` counts a cluster's documents,
///   and no names;
/// - scratch buffers of a few KB, reused for every paragraph, and two caches of candidates: their
///   shingle hashes (16 MB) and their stripped keys (16 MB; 32 MB for an archive of more than
///   8 million paragraphs), see `RingCache`; with several threads each has its share of them.
///
/// Threads: with `threads` above 1, new distinct keys wait in batches of `DedupEngine.batchLookups`
/// whose near lookups run on that many threads (`DispatchQueue.concurrentPerform`, each thread with
/// its own `NearMatcher`) against the index as it was before the batch; the batch is then decided
/// in feeding order, a lookup extended with the candidates its batch indexed meanwhile, or made
/// again when that would not be exact (`decidePending`). The result is the same as with one thread.
///
/// Not thread-safe: one deduplicator is fed from one task.
public final class ParagraphDeduplicator {
    // The state lives in a struct so that the hot loops run without the dynamic exclusivity
    // checks Swift makes on every access to a class's stored properties.
    private var engine: DedupEngine

    /// - Parameters:
    ///   - keyHash: the exact-match hash (tests inject a colliding one); `StableHash.hash64` by default.
    ///   - keyOf: the key (`DedupInput.key`, exactly as fed) of an earlier paragraph by id. When
    ///     given, no key text is stored: the caller keeps the keys for as long as it feeds.
    ///   - documentName: a document's id by its `DedupInput.documentNumber`. When given, every
    ///     input has a `documentNumber`, and no document id is stored: `DedupResult` asks for the
    ///     names it reports.
    ///   - threads: how many threads make the near-duplicate lookups (see
    ///     `init(options:keyHash:keyBytesOf:documentName:paragraphs:threads:)`); with more than
    ///     one, `keyOf` is called from all of them at once.
    public convenience init(
        options: DedupOptions = DedupOptions(),
        keyHash: @escaping (UnsafeRawBufferPointer) -> UInt64 = { StableHash.hash64($0) },
        keyOf: ((Int) -> String)? = nil,
        documentName: (@Sendable (Int) -> String)? = nil,
        threads: Int = 1
    ) {
        self.init(options: options, keyHash: keyHash, keys: keyOf.map { .strings($0) }, documentName: documentName, threads: threads)
    }

    /// As `init(options:keyHash:keyOf:documentName:)`, with the earlier keys read as bytes.
    ///
    /// - Parameters:
    ///   - keyBytesOf: appends the UTF-8 of an earlier paragraph's key (by id) to an empty buffer
    ///     the deduplicator reuses: no string is made per comparison.
    ///   - paragraphs: how many paragraphs will be fed, when known (0: not known). Archives of
    ///     many millions get a larger cache of candidates' keys (`RingCache.candidateKeys(forParagraphs:)`),
    ///     which saves reading keys back through `keyBytesOf`; the result is the same.
    ///   - threads: how many threads make the near-duplicate lookups. With more than one, they are
    ///     made in batches of `DedupEngine.batchLookups` spread over the threads (each with its own
    ///     candidate caches), and `keyBytesOf` is called from all of them at once; the result is
    ///     the same as with one.
    public convenience init(
        options: DedupOptions = DedupOptions(),
        keyHash: @escaping (UnsafeRawBufferPointer) -> UInt64 = { StableHash.hash64($0) },
        keyBytesOf: ((Int, inout [UInt8]) -> Void)?,
        documentName: (@Sendable (Int) -> String)? = nil,
        paragraphs: Int = 0,
        threads: Int = 1
    ) {
        self.init(options: options, keyHash: keyHash, keys: keyBytesOf.map { .bytes($0) }, documentName: documentName, threads: threads)
        engine.setCandidateCaches(RingCache.candidateShingles(), RingCache.candidateKeys(forParagraphs: paragraphs))
    }

    /// As `init(options:keyHash:keyBytesOf:documentName:paragraphs:threads:)`, with an earlier key
    /// read by the handle its `DedupInput.keyHandle` gave (every input must have one).
    ///
    /// - Parameter keyBytesAt: appends the UTF-8 of the key with that handle to an empty buffer the
    ///   deduplicator reuses; called from every lookup thread at once.
    public convenience init(
        options: DedupOptions = DedupOptions(),
        keyBytesAt: @escaping (UInt64, inout [UInt8]) -> Void,
        documentName: (@Sendable (Int) -> String)? = nil,
        paragraphs: Int = 0,
        threads: Int = 1
    ) {
        self.init(options: options, keyHash: { StableHash.hash64($0) }, keys: .handles(keyBytesAt), documentName: documentName, threads: threads)
        engine.setCandidateCaches(RingCache.candidateShingles(), RingCache.candidateKeys(forParagraphs: paragraphs))
    }

    /// As `init(options:keyHash:keyBytesOf:documentName:)`, with the candidate caches given (tests
    /// make them tiny, so that entries are evicted and re-read all the time).
    convenience init(
        options: DedupOptions, keyBytesOf: @escaping (Int, inout [UInt8]) -> Void,
        candidateCaches: (shingles: RingCache<UInt64>, keys: RingCache<UInt8>)
    ) {
        self.init(options: options, keyHash: { StableHash.hash64($0) }, keys: .bytes(keyBytesOf), documentName: nil)
        engine.setCandidateCaches(candidateCaches.shingles, candidateCaches.keys)
    }

    private init(
        options: DedupOptions, keyHash: @escaping (UnsafeRawBufferPointer) -> UInt64, keys: CallerKeys?,
        documentName: (@Sendable (Int) -> String)?, threads: Int = 1
    ) {
        engine = DedupEngine(options: options, keyHash: keyHash, keyOf: keys, documentName: documentName, threads: threads)
    }

    public var options: DedupOptions { engine.options }

    /// Paragraphs fed so far.
    public var count: Int { engine.count }

    /// For tests: keeps the first `count` paragraphs' decisions (kept paragraph, kind and flags) in
    /// memory instead of 2 million; the rest go to temporary files 7 at a time. Before feeding.
    func keepDecisionsInMemory(upTo count: Int) { engine.setResidentDecisions(count) }

    /// For tests: decisions that `finish()` read back from the files.
    var decisionsInFile: Int { engine.decisionsInFile }

    /// For tests and benchmarks: band tables of at most 2^`bits` slots a band
    /// (`BandIndex.defaultResidentPowerOfTwo` otherwise) before their entries go to disk. Before feeding.
    @_spi(Benchmarks) public func keepBandEntriesInMemory(upToPowerOfTwo bits: Int) { engine.setResidentBandSlots(bits) }

    /// The band index's runs on disk and the bytes written to their file, until `finish()`.
    @_spi(Benchmarks) public var bandSpills: (runs: Int, fileBytes: Int) { engine.bandSpills }

    /// Feeds the next paragraph. `item.id` must equal `count` (dense ids in feeding order).
    public func add(_ item: DedupInput) { engine.add(item) }

    /// Decides boilerplate and quote kinds and builds the clusters. May be called more than once;
    /// `add(_:)` may not be called afterwards (the indexes it needs are freed first).
    public func finish() -> DedupResult {
        engine.releaseIndexes()
        return engine.finish()
    }

    /// For benchmarks: the heap bytes the caches hold (the candidate caches and the exact-match
    /// cache, all bounded: see `RingCache` and `DedupEngine.exactCacheSlots`), to tell
    /// them from what grows with the archive.
    @_spi(Benchmarks) public var cacheBytes: Int { engine.candidateCacheBytes + engine.exactCacheBytes }

    /// For benchmarks: the heap bytes of the index proper, what lets a new paragraph find its
    /// matches among those kept: the exact table, the LSH band tables, and per indexed paragraph
    /// its ordinal's id, distinct shingle count and shingle size (arrays at their capacity).
    @_spi(Benchmarks) public var indexBytes: Int { engine.indexBytes }

    /// For benchmarks: of the LSH candidates verified so far, those whose shingle hashes were not
    /// cached, and of them those whose key was not cached either and was read from `keyOf`.
    @_spi(Benchmarks) public var candidateCacheMisses: (hashes: Int, keyReads: Int) {
        (engine.candidateHashMisses, engine.candidateKeyReads)
    }

    /// For benchmarks: the near lookups of the LSH band index, the (lookup, band) pairs in which
    /// they found entries, and the entries found (see `BandProbes`).
    @_spi(Benchmarks) public var bandProbes: BandProbes { engine.bandProbes }

    /// For benchmarks: the exact (and boilerplate) matches whose kept key was not in the
    /// exact-match cache and was read from `keyOf` to be compared.
    @_spi(Benchmarks) public var exactKeyReads: Int { engine.exactKeyReads }

    /// For benchmarks: near lookups made a second time, in order, because a key indexed earlier in
    /// their batch shares one of their band keys (0 with one thread).
    @_spi(Benchmarks) public var lookupsRepeated: Int { engine.lookupsRepeated }

    /// For benchmarks: near lookups extended, in order, with the candidates indexed earlier in
    /// their batch (0 with one thread).
    @_spi(Benchmarks) public var lookupsExtended: Int { engine.lookupsExtended }

    /// For benchmarks: when set (to 20 zeros) before feeding, every LSH candidate verified also has
    /// its real Jaccard similarity computed in full and counted in bin `min(19, ⌊20 · J⌋)` (slower:
    /// the verification otherwise stops as soon as the threshold is out of reach). What the
    /// deduplicator decides does not change.
    @_spi(Benchmarks) public var candidateSimilarityHistogram: [Int]? {
        get { engine.similarityHistogram }
        set { engine.similarityHistogram = newValue }
    }

    /// For benchmarks: shingles and sketches `key` as `add(_:)` does a new distinct key (`sketch`),
    /// stores nothing, and calls `body` with the band keys.
    @_spi(Benchmarks) public func withSketch<R>(of key: String, lang: Language, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        engine.sketch(key, lang: lang, body)
    }
}

/// Where the deduplicator reads an earlier key when the caller keeps them.
enum CallerKeys {
    /// The key as a string (its UTF-8 read in place).
    case strings((Int) -> String)
    /// Appends the key's UTF-8 to an empty buffer (no string made).
    case bytes((Int, inout [UInt8]) -> Void)
    /// Appends the UTF-8 of the key whose `DedupInput.keyHandle` is given to an empty buffer: the
    /// pipeline's handle says where the key is in its store, so no index by paragraph is needed.
    case handles((UInt64, inout [UInt8]) -> Void)
}

struct DedupEngine {
    let options: DedupOptions
    private let keyHash: (UnsafeRawBufferPointer) -> UInt64
    /// The caller's document names by `DedupInput.documentNumber`; nil: the ids are interned.
    private let documentName: (@Sendable (Int) -> String)?

    // Per paragraph decided (`parent.count` of them; the rest wait in `pending`). Written once
    // and read only by `finish()`, in order: past the first 2 million they go to temporary files.
    /// The kept paragraph of its cluster (itself when kept).
    private var parent = SpillingColumn<Int32>(prefix: "recur-dedup-parent")
    /// Bits 0–1: the base kind (0 kept, 1 exact, 2 near; quote and boilerplate are decided in
    /// finish()); bit 2: quote, bit 3: signature, bit 4: short; bits 5–6: the language's ordinal.
    private var info = SpillingColumn<UInt8>(prefix: "recur-dedup-info")
    /// For tests: the values a column keeps in memory (`setResidentDecisions`), for the result's columns too.
    private var residentDecisions: Int?
    // Per distinct key (the paragraphs the exact index holds, by ordinal there): the paragraph, and
    // once decided its kept paragraph (itself when kept, else it is a near member): what an exact
    // copy of it looks up.
    private var distinctID = ChunkedColumn<Int32>()
    private var distinctRoot = ChunkedColumn<Int32>()
    // Per paragraph fed.
    /// Document, source and paragraph index of every paragraph, run-length encoded (on disk until
    /// `finish()`).
    private var runs = DedupRuns.spilling()
    /// Paragraphs fed (`add(_:)`).
    private(set) var count = 0
    /// The similarity of every paragraph whose base kind is near; 1 for the rest.
    private var nearSimilarities = NearSimilarities()

    private var keys: StoredKeys
    /// Exact-match hash → ordinal of the distinct key (`distinctID`).
    private var exactIndex = HashIDMultiMap(capacityPowerOfTwo: 12)
    private var nearIndex: NearIndex
    /// One per thread; the first also makes every lookup fed on one thread.
    private var matchers: [NearMatcher]
    /// Paragraphs fed and not yet decided, while a batch of near lookups fills (more than one thread).
    private var pending = PendingParagraphs()
    /// The band keys of the paragraphs indexed since the batch being decided began.
    private var batchTags = BatchBandTags(entries: 0)
    /// Near lookups made again in order because an earlier key of their batch was indexed under
    /// one of their band keys (see `decidePending`).
    private(set) var lookupsRepeated = 0
    /// Near lookups extended, in order, with the candidates indexed earlier in their batch.
    private(set) var lookupsExtended = 0
    private var collected: [Int32] = []

    private var documentIDs: [String: Int32] = [:]
    private var documentCount = 0
    private var sourceIDs: [String: Int32] = [:]
    private var sourceCount = 0
    // The last interned names: consecutive paragraphs mostly share their document and source.
    private var lastDocument: String?
    private var lastDocumentIndex: Int32 = 0
    private var lastSource: String?
    private var lastSourceIndex: Int32 = 0

    private var counts = DedupCounts()
    /// Set by `releaseIndexes()`: nothing more can be added.
    private var finished = false

    // Reusable buffers (no allocation per paragraph once warm).
    private var stripped: [UInt8] = []
    /// The exact-match cache (see `storedKeyEquals`): stripped keys of up to 1 KB by paragraph id,
    /// `exactCacheBudget` bytes of them at most.
    private var exactCacheIDs: [Int32] = []
    private var exactCacheKeys: [[UInt8]] = []
    private var exactCachedBytes = 0
    /// Exact matches whose kept key was not cached and was read through `keyOf` (for benchmarks).
    private(set) var exactKeyReads = 0
    private var exactScratch: (key: [UInt8], stripped: [UInt8]) = ([], [])

    /// - Parameter threads: how many threads make the near lookups (1: the caller's alone).
    init(
        options: DedupOptions, keyHash: @escaping (UnsafeRawBufferPointer) -> UInt64, keyOf: CallerKeys? = nil,
        documentName: (@Sendable (Int) -> String)? = nil, threads: Int = 1
    ) {
        self.documentName = documentName
        var options = options
        options.bands = max(1, options.bands)
        options.rows = max(1, options.rows)
        options.shingleSize = max(1, options.shingleSize)
        options.shortJapaneseShingleSize = max(1, options.shortJapaneseShingleSize)
        options.maxCandidates = max(1, options.maxCandidates)
        self.options = options
        self.keyHash = keyHash
        keys = StoredKeys(caller: keyOf)
        nearIndex = NearIndex(bands: options.bands)
        matchers = [NearMatcher](repeating: NearMatcher(options: options), count: max(1, threads))
        if threads > 1 {
            batchTags = BatchBandTags(entries: Self.batchLookups * options.bands)
            setCandidateCaches(RingCache.candidateShingles(), RingCache.candidateKeys())
        }
        stripped.reserveCapacity(4096)
    }

    /// For benchmarks: see `ParagraphDeduplicator.candidateSimilarityHistogram` (one thread then).
    var similarityHistogram: [Int]? {
        get { matchers[0].similarityHistogram }
        set { matchers[0].similarityHistogram = newValue }
    }

    /// Whether near lookups are batched for several threads.
    private var batches: Bool { matchers.count > 1 && matchers[0].similarityHistogram == nil }

    /// Near lookups per batch: enough to keep the threads busy for far longer than it takes to
    /// start them, few enough that a lookup rarely has to be made again (`lookupsRepeated`).
    static let batchLookups = 256
    /// Paragraphs waiting at most (exact copies between the lookups of a batch).
    static let batchParagraphs = 16384
    /// Lookups a thread takes at a time (they differ a lot in cost: handed out as the threads come).
    static let lookupsPerGrab = 2

    mutating func add(_ item: DedupInput) {
        precondition(!finished, "ParagraphDeduplicator.add(_:) after finish()")
        precondition(item.id == count, "DedupInput ids must be dense and in feeding order (expected \(count), got \(item.id))")
        let id = Int32(truncatingIfNeeded: item.id)
        count += 1
        counts.paragraphsIn += 1

        if documentName != nil {
            guard let number = item.documentNumber else { preconditionFailure("DedupInput.documentNumber is needed with documentName") }
            lastDocumentIndex = Int32(clamping: number)
            documentCount = max(documentCount, number + 1)
        } else if lastDocument == nil || lastDocument! != item.doc {
            lastDocumentIndex = Self.intern(item.doc, in: &documentIDs, count: &documentCount)
            lastDocument = item.doc
        }
        if lastSource == nil || lastSource! != item.source {
            lastSourceIndex = Self.intern(item.source, in: &sourceIDs, count: &sourceCount)
            lastSource = item.source
        }
        runs.add(id: id, document: lastDocumentIndex, source: lastSourceIndex, paragraph: Int32(clamping: item.paragraph))

        Self.stripQuoteMarkers(item.key, into: &stripped)
        let hash = stripped.withUnsafeBytes { keyHash($0) }
        let characters = stripped.withUnsafeBufferPointer { Self.scalarCount($0) }
        let isShort = characters < options.minNearLength
        if isShort { counts.short += 1 }
        let flags: UInt8 = (item.isQuote ? 4 : 0) | (item.isSignature ? 8 : 0) | (isShort ? 16 : 0)
            | UInt8(item.lang.ordinal) << Self.languageShift

        // Exact: the first stored paragraph with the same hash and the same bytes (its distinct ordinal).
        var match: Int32 = -1
        var slot = exactIndex.firstSlot(hash)
        while let other = exactIndex.next(hash, &slot) {
            if storedKeyEquals(distinctID[Int(other)], key: other) { match = other; break }
        }
        if match >= 0 {
            keys.append(nil, handle: nil)
            if pending.isEmpty { decideExact(id, copyOf: match, flags: flags) } else { pending.add(id, flags: flags, exactCopyOf: match) }
        } else {
            // A new distinct key: remember it for exact verification (and near verification if it is kept).
            keys.append(stripped, handle: item.keyHandle)
            exactIndex.insert(hash, Int32(truncatingIfNeeded: distinctID.count))
            distinctID.append(id)
            if !isShort, characters > 0 {
                if batches {
                    pending.add(id, flags: flags, lookup: stripped, lang: item.lang, characters: characters)
                } else {
                    let outcome = stripped.withUnsafeBufferPointer {
                        matchers[0].match($0, lang: item.lang, characters: characters, index: nearIndex, keys: keys)
                    }
                    matchers[0].bandKeys.withUnsafeBufferPointer { decideNear(id, flags: flags, outcome, bandKeys: $0) }
                }
            } else if pending.isEmpty {
                decideKept(id, flags: flags)
            } else {
                pending.add(id, flags: flags)
            }
        }
        if pending.lookups >= Self.batchLookups || pending.count >= Self.batchParagraphs { decidePending() }
    }

    // MARK: - Deciding

    /// The language bits' place in `info`.
    private static let languageShift: UInt8 = 5

    /// A new distinct key (`distinctID`'s next undecided one) is kept.
    private mutating func decideKept(_ id: Int32, flags: UInt8) {
        decideDistinct(id, root: id)
        parent.append(id)
        info.append(flags)
    }

    /// Distinct keys are decided in the order they came.
    private mutating func decideDistinct(_ id: Int32, root: Int32) {
        precondition(distinctID[distinctRoot.count] == id, "distinct keys decided out of order")
        distinctRoot.append(root)
    }

    /// An exact copy of distinct key `match` (its ordinal) joins its cluster, as near when that
    /// key's paragraph is a near member.
    private mutating func decideExact(_ id: Int32, copyOf match: Int32, flags: UInt8) {
        let first = distinctID[Int(match)]
        let root = distinctRoot[Int(match)]
        parent.append(root)
        if root == first {
            info.append(1 | flags)
        } else {
            info.append(2 | flags)
            nearSimilarities.append(id, nearSimilarities.similarity(of: Int(first)))
        }
    }

    /// A near member of its best match, or (none) kept and indexed under `bandKeys`.
    private mutating func decideNear(_ id: Int32, flags: UInt8, _ outcome: NearOutcome, bandKeys: UnsafeBufferPointer<UInt64>) {
        counts.candidatesVerified += outcome.verified
        counts.candidatesAccepted += outcome.accepted
        if let (best, similarity) = outcome.match {
            decideDistinct(id, root: best)
            parent.append(best)
            info.append(2 | flags)
            nearSimilarities.append(id, Float(similarity))
            return
        }
        // Its key's ordinal: the next distinct key to be decided (`decideKept` below).
        nearIndex.insert(id: id, key: Int32(truncatingIfNeeded: distinctRoot.count), distinct: outcome.distinct, shingleSize: outcome.shingleSize, bandKeys: bandKeys)
        if batches { batchTags.insert(bandKeys) }
        decideKept(id, flags: flags)
    }

    /// Decides the waiting paragraphs in order. Their near lookups are made first, spread over
    /// the matchers' threads, each against the index as it was before the batch; then, in order,
    /// a lookup is taken as it is unless a key of the batch indexed since (kept) shares one of the
    /// band keys it consulted: such a lookup is made again against the index as it is now. So
    /// every paragraph is decided exactly as if the paragraphs were fed on one thread.
    private mutating func decidePending() {
        guard !pending.isEmpty else { return }
        lookUpPending()
        batchTags.removeAll()
        let batchStart = Int32(truncatingIfNeeded: nearIndex.count)
        var batch = pending
        pending = PendingParagraphs()
        defer {
            batch.removeAll()
            pending = batch
        }
        for entry in batch.entries {
            switch entry.kind {
            case .kept: decideKept(entry.id, flags: entry.flags)
            case .exact: decideExact(entry.id, copyOf: entry.other, flags: entry.flags)
            case .lookup:
                let w = Int(entry.other)
                var outcome = batch.outcome[w]
                if !batchTags.isEmpty, indexedSinceBatchBegan(consultedBy: w, outcome.consultedAlternate, in: batch) {
                    let lookup = batch.lookup[w]
                    let (several, one) = batch.bandKeys(w, alternate: false) { candidates(indexedSince: batchStart, sharing: $0) }
                    let extended = batch.text.withUnsafeBufferPointer {
                        matchers[0].extend(&outcome, UnsafeBufferPointer(rebasing: $0[lookup.text]), sharingSeveral: several, sharingOne: one, index: nearIndex, keys: keys)
                    }
                    if extended {
                        lookupsExtended += 1
                    } else {
                        lookupsRepeated += 1
                        outcome = batch.text.withUnsafeBufferPointer {
                            matchers[0].match(UnsafeBufferPointer(rebasing: $0[lookup.text]), lang: lookup.lang, characters: lookup.characters, index: nearIndex, keys: keys)
                        }
                        batch.setOutcome(w, outcome, bandKeys: matchers[0].bandKeys)
                    }
                }
                batch.bandKeys(w, alternate: false) { decideNear(entry.id, flags: entry.flags, outcome, bandKeys: $0) }
            }
        }
    }

    /// The distinct paragraphs indexed at ordinal `batchStart` or later that share band keys with
    /// `keys`: those sharing several, and those sharing one, each ascending.
    private mutating func candidates(indexedSince batchStart: Int32, sharing keys: UnsafeBufferPointer<UInt64>) -> (several: [Int32], one: [Int32]) {
        var found = collected
        collected = []
        defer { collected = found }
        found.removeAll(keepingCapacity: true)
        nearIndex.bands.collect(keys, into: &found)
        found.removeAll { $0 < batchStart }
        found.sort()
        var several: [Int32] = [], one: [Int32] = []
        var i = 0
        while i < found.count {
            var j = i + 1
            while j < found.count && found[j] == found[i] { j += 1 }
            if j - i == 1 { one.append(found[i]) } else { several.append(found[i]) }
            i = j
        }
        return (several, one)
    }

    /// Whether a paragraph indexed since the batch began shares one of the band keys lookup `w`
    /// consulted (its own, and those at the other Japanese shingle size when it consulted them).
    private func indexedSinceBatchBegan(consultedBy w: Int, _ alternate: Bool, in batch: PendingParagraphs) -> Bool {
        batch.bandKeys(w, alternate: false) { batchTags.containsAny($0) }
            || (alternate && batch.bandKeys(w, alternate: true) { batchTags.containsAny($0) })
    }

    /// Makes the waiting near lookups, spread over the matchers (one thread each), against the
    /// index as it is: `pending.outcome` and the band keys get their results.
    private mutating func lookUpPending() {
        let lookups = pending.lookups
        guard lookups > 0 else { return }
        pending.prepareOutcomes(bands: options.bands)
        let threads = min(matchers.count, lookups)
        let bands = options.bands
        let (index, keys) = (nearIndex, self.keys)
        withUnsafePointer(to: index) { index in withUnsafePointer(to: keys) { keys in
            pending.withLookups { text, lookup, outcome, bandKeys in
                matchers.withUnsafeMutableBufferPointer { matchers in
                    let shared = MatcherThreads(
                        matchers: matchers, text: text, lookup: lookup, outcome: outcome, bandKeys: bandKeys, index: index, keys: keys)
                    let next = Atomic<Int>(0)
                    DispatchQueue.concurrentPerform(iterations: threads) { t in
                        shared.run(thread: t, lookups: lookups, bands: bands, taking: Self.lookupsPerGrab, from: next)
                    }
                }
            }
        } }
    }

    /// The steps of `add(_:)` from a new distinct key to its band keys: quote markers stripped,
    /// then the matcher's `sketch`. Stores nothing (benchmarks).
    mutating func sketch<R>(_ key: String, lang: Language, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        Self.stripQuoteMarkers(key, into: &stripped)
        let characters = stripped.withUnsafeBufferPointer { Self.scalarCount($0) }
        let n = matchers[0].shingleSize(lang: lang, characters: characters)
        _ = stripped.withUnsafeBufferPointer { matchers[0].sketch($0, n: n) }
        return matchers[0].bandKeys.withUnsafeBufferPointer(body)
    }

    /// For tests: keeps the first `count` paragraphs' decisions in memory instead of 2 million, and
    /// writes the rest to their files 7 at a time. Before anything is added.
    mutating func setResidentDecisions(_ count: Int) {
        precondition(self.count == 0)
        parent = SpillingColumn(prefix: "recur-dedup-parent", residentCount: count, valuesPerWrite: 7)
        info = SpillingColumn(prefix: "recur-dedup-info", residentCount: count, valuesPerWrite: 7)
        runs = DedupRuns.spilling(residentCount: count, valuesPerWrite: 7)
        residentDecisions = count
    }

    /// For tests: see `ParagraphDeduplicator.keepBandEntriesInMemory(upToPowerOfTwo:)`.
    mutating func setResidentBandSlots(_ bits: Int) {
        precondition(count == 0)
        nearIndex = NearIndex(bands: options.bands, capacityPowerOfTwo: min(10, bits), residentPowerOfTwo: bits)
    }

    var bandSpills: (runs: Int, fileBytes: Int) { nearIndex.bands.spills }

    /// Decisions read back from the columns' files (for tests).
    var decisionsInFile: Int { parent.countInFile }

    /// Replaces the (empty) candidate caches, before anything is added: each of the matchers gets
    /// its share of them (`RingCache.share(of:)`), so that threads do not multiply their memory.
    mutating func setCandidateCaches(_ shingles: RingCache<UInt64>, _ keys: RingCache<UInt8>) {
        precondition(count == 0)
        for t in matchers.indices { matchers[t].setCandidateCaches(shingles.share(of: matchers.count), keys.share(of: matchers.count)) }
    }

    /// The heap bytes of the candidate caches (see `RingCache`).
    var candidateCacheBytes: Int { matchers.reduce(0) { $0 + $1.candidateCacheBytes } }
    var candidateHashMisses: Int { matchers.reduce(0) { $0 + $1.candidateHashMisses } }
    var candidateKeyReads: Int { matchers.reduce(0) { $0 + $1.candidateKeyReads } }
    var bandProbes: BandProbes { matchers.reduce(BandProbes()) { $0.adding($1.bandProbes) } }

    var indexBytes: Int { exactIndex.bytesUsed + nearIndex.bytes }

    // MARK: - Finish

    /// Decides the paragraphs still waiting, then drops what only `add(_:)` needs (the exact and
    /// band indexes, the caches): `finish()` then builds the result without them in memory.
    /// Nothing can be added afterwards.
    mutating func releaseIndexes() {
        guard !finished else { return }
        decidePending()

        finished = true
        exactIndex = HashIDMultiMap(capacityPowerOfTwo: 1)
        nearIndex = NearIndex(bands: options.bands, capacityPowerOfTwo: 1)
        for t in matchers.indices { matchers[t].releaseBuffers() }
        pending = PendingParagraphs()
        distinctID = ChunkedColumn()
        distinctRoot = ChunkedColumn()
        keys = StoredKeys(caller: keys.caller)
        exactCacheIDs = []
        exactCacheKeys = []
        exactCachedBytes = 0
    }

    mutating func finish() -> DedupResult {
        let n = parent.count
        // Indexed once: the cluster pass below looks up every member's run, and so does the result.
        runs = runs.indexed(idCount: n)
        let runs = self.runs
        var counts = self.counts
        counts.kept = 0
        counts.removed = 0

        // Clusters in kept-id order. Trees have depth 1 and the kept paragraph has the lowest id of
        // its cluster. The per-paragraph columns are read in order (past their first 2 million,
        // from their files), and what the result keeps per paragraph is written in order too.
        // A kept paragraph heads a cluster when another one points to it: one bit each, for now.
        var pointedTo = [UInt64](repeating: 0, count: (n + 63) / 64)
        parent.forEach { id, root in
            if Int(root) != id { pointedTo[Int(root) >> 6] |= 1 << (UInt64(root) & 63) }
        }
        var roots: [Int32] = []
        for (word, bits) in pointedTo.enumerated() {
            var bits = bits
            while bits != 0 {
                roots.append(Int32(word << 6 + bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        pointedTo = []
        let rootBlocks = AscendingBlocks(roots, idCount: n)
        // Every paragraph's cluster, in id order; each cluster's size; a cluster with a signature in it is boilerplate.
        var clusterOf = resultColumn(prefix: "recur-dedup-cluster")
        var sizes = [Int32](repeating: 1, count: roots.count)
        var hasSignature = [Bool](repeating: false, count: roots.count)
        var flagsInOrder = info.values(in: 0..<n).makeIterator()
        var nextRoot = 0
        parent.forEach { id, root32 in
            let flags = flagsInOrder.next()!
            let root = Int(root32)
            var c = -1
            if root == id {
                if nextRoot < roots.count && Int(roots[nextRoot]) == id { c = nextRoot; nextRoot += 1 }
            } else {
                c = rootBlocks.lastIndex(in: roots, atMost: root)
                sizes[c] += 1
            }
            if c >= 0 && flags & 8 != 0 { hasSignature[c] = true }
            clusterOf.append(Int32(c))
        }
        var memberStart = [Int32](repeating: 0, count: roots.count + 1)
        for c in roots.indices { memberStart[c + 1] = memberStart[c] + sizes[c] }
        sizes = []
        let members = Self.members(clusterOf: clusterOf, memberStart: memberStart, into: resultColumn(prefix: "recur-dedup-members"))

        let width = max(6, String(roots.count).count)
        var clusters = DedupClusters(capacity: roots.count, idWidth: width)
        var isBoilerplateCluster = [Bool](repeating: false, count: roots.count)
        var seenDoc = [Int32](repeating: -1, count: documentCount)
        var seenSource = [Int32](repeating: -1, count: sourceCount)
        for (c, r) in roots.enumerated() {
            var docs = 0, sources = 0
            for id32 in members.values(in: Int(memberStart[c])..<Int(memberStart[c + 1])) {
                let id = Int(id32)
                let (doc, source) = runs.documentAndSource(id)
                if seenDoc[Int(doc)] != Int32(c) { seenDoc[Int(doc)] = Int32(c); docs += 1 }
                if seenSource[Int(source)] != Int32(c) { seenSource[Int(source)] = Int32(c); sources += 1 }
            }
            let boilerplate = hasSignature[c]
                || (docs >= options.boilerplateMinDocuments && sources >= options.boilerplateMinSources)
            isBoilerplateCluster[c] = boilerplate
            if boilerplate { counts.boilerplateClusters += 1 }
            clusters.append(
                keptID: Int(r), size: Int(memberStart[c + 1] - memberStart[c]), isBoilerplate: boilerplate,
                documentCount: docs, sourceCount: sources)
        }
        seenDoc = []
        counts.clusters = clusters.count

        var code = [UInt8](repeating: 0, count: n)
        var clusterInOrder = clusterOf.values(in: 0..<n).makeIterator()
        info.forEach { id, flags in
            let c = clusterInOrder.next()!
            let boilerplate = c >= 0 && isBoilerplateCluster[Int(c)]
            let baseKind = flags & 3
            let language = DedupResult.languageBits(ordinal: flags >> Self.languageShift & 3)
            if baseKind == 0 {
                counts.kept += 1
                if boilerplate { code[id] = language | DedupResult.boilerplateKeptBit; counts.boilerplateKept += 1 }
                else { code[id] = language }
                return
            }
            counts.removed += 1
            let kind: UInt8
            if boilerplate {
                kind = 3; counts.boilerplate += 1
            } else if flags & 4 != 0 {
                kind = 4; counts.quote += 1
            } else if baseKind == 1 {
                kind = 1; counts.exact += 1
            } else {
                kind = 2; counts.near += 1
            }
            code[id] = language | kind
        }

        // The result keeps these for the rest of the run: without their growth slack.
        memberStart.shrinkToFit()
        return DedupResult(
            clusters: clusters, counts: counts, clusterOf: clusterOf, code: code,
            nearSimilarities: nearSimilarities, memberStart: memberStart, members: members,
            runs: runs.droppingSources(), documentName: documentName ?? { [names = documentNames()] in names[$0] })
    }

    /// Every cluster's members, ascending, one cluster after the other (`memberStart`), appended
    /// to `column` from `clusterOf` (every paragraph's cluster, in id order) without a value per
    /// paragraph in memory: a pass over `clusterOf` for each window of clusters holding at most
    /// `windowMembers` members, or for one larger cluster alone, whose members it appends as
    /// they come.
    static func members(
        clusterOf: SpillingColumn<Int32>, memberStart: [Int32], into column: SpillingColumn<Int32>,
        windowMembers: Int = 1 << 21
    ) -> SpillingColumn<Int32> {
        var column = column
        let clusterCount = memberStart.count - 1
        var window: [Int32] = []
        var first = 0
        while first < clusterCount {
            var end = first + 1
            while end < clusterCount && Int(memberStart[end + 1] - memberStart[first]) <= windowMembers { end += 1 }
            if end == first + 1 {
                let c = Int32(first)
                clusterOf.forEach { id, cluster in if cluster == c { column.append(Int32(id)) } }
            } else {
                let base = Int(memberStart[first])
                window = [Int32](repeating: 0, count: Int(memberStart[end]) - base)
                var next = memberStart[first..<end].map { Int($0) - base }
                let low = Int32(first), high = Int32(end)
                clusterOf.forEach { id, cluster in
                    guard cluster >= low && cluster < high else { return }
                    let c = Int(cluster - low)
                    window[next[c]] = Int32(id)
                    next[c] += 1
                }
                for id in window { column.append(id) }
            }
            first = end
        }
        return column
    }

    /// An empty column for what the result keeps per paragraph or member, kept in memory up to
    /// the decisions' resident count.
    private func resultColumn(prefix: String) -> SpillingColumn<Int32> {
        guard let resident = residentDecisions else { return SpillingColumn(prefix: prefix) }
        return SpillingColumn(prefix: prefix, residentCount: resident, valuesPerWrite: 7)
    }

    // MARK: - Helpers

    private static func intern(_ name: String, in table: inout [String: Int32], count: inout Int) -> Int32 {
        if let i = table[name] { return i }
        let i = Int32(count)
        table[name] = i
        count += 1
        return i
    }

    /// Document ids by interned index.
    private func documentNames() -> [String] {
        var names = [String](repeating: "", count: documentCount)
        for (name, i) in documentIDs { names[Int(i)] = name }
        return names
    }

    private mutating func storedKeyEquals(_ other: Int32, key ordinal: Int32) -> Bool {
        let current = stripped
        stripped = []
        defer { stripped = current }
        if let length = keys.arenaLength(other) {
            guard length == current.count else { return false }
            return current.withUnsafeBufferPointer { s in
                keys.withKey(other, key: ordinal, scratch: &exactScratch) { o in bytesEqual(o, s) }
            }
        }
        // Reading a key through `keyOf` may cost a system call; a repeated footer, signature or
        // pasted request matches the same kept key again and again: a cache of the keys compared.
        let slot = Int(other) & (Self.exactCacheSlots - 1)
        if exactCacheIDs.isEmpty {
            exactCacheIDs = [Int32](repeating: -1, count: Self.exactCacheSlots)
            exactCacheKeys = [[UInt8]](repeating: [], count: Self.exactCacheSlots)
        }
        if exactCacheIDs[slot] == other {
            // With `memcmp` (`==` on arrays goes element by element).
            return exactCacheKeys[slot].withUnsafeBufferPointer { o in current.withUnsafeBufferPointer { bytesEqual(o, $0) } }
        }
        exactKeyReads += 1
        var cached = exactCacheKeys[slot]
        exactCacheKeys[slot] = []
        // The bytes the other slots hold: this slot's key is replaced (or dropped).
        let heldByOthers = exactCachedBytes - cached.count
        var fits = false
        let equal = current.withUnsafeBufferPointer { s in
            keys.withKey(other, key: ordinal, scratch: &exactScratch) { o in
                fits = o.count <= Self.exactCacheMaxBytes && heldByOthers + o.count <= Self.exactCacheBudget
                if fits {
                    cached.removeAll(keepingCapacity: true)
                    cached.append(contentsOf: o)
                }
                return bytesEqual(o, s)
            }
        }
        exactCacheIDs[slot] = fits ? other : -1
        exactCacheKeys[slot] = fits ? cached : []
        exactCachedBytes = heldByOthers + (fits ? cached.count : 0)
        return equal
    }

    /// 16,384 slots by paragraph id: on the 50 MB benchmark slice (212 k exact and boilerplate
    /// members) `recur analyze` makes 494 k `pread` calls with 256 slots and 388 k with these, and
    /// its deduplicate stage takes 0.44–0.53 s (median 0.46) instead of 0.51–0.60 (median 0.535;
    /// `--timings`, 8 interleaved runs each). At most 4 MB of keys.
    static let exactCacheSlots = 16384
    static let exactCacheMaxBytes = 1024
    static let exactCacheBudget = 4 << 20

    /// The heap bytes of the exact-match cache: its slot arrays, and each cached key with an array header.
    var exactCacheBytes: Int {
        let filled = exactCacheIDs.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        return exactCacheIDs.count * (MemoryLayout<Int32>.stride + MemoryLayout<[UInt8]>.stride)
            + filled * 32 + exactCachedBytes
    }

    /// Copies `key`'s UTF-8 with quote markers removed: runs of `>` (and the spaces after them) at
    /// the start of the key or of a line, and `>` runs that stand alone between spaces (keys have
    /// their line breaks collapsed, so `> a\n> b` arrives as `> a > b`).
    static func stripQuoteMarkers(_ key: String, into out: inout [UInt8]) {
        var key = key
        key.withUTF8 { stripQuoteMarkers($0, into: &out) }
    }

    /// False when `utf8` has no '>' at all (most keys), so that stripping would copy it unchanged:
    /// memchr finds that at memory speed.
    static func mayHaveQuoteMarkers(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        !utf8.isEmpty && memchr(utf8.baseAddress!, Int32(UInt8(ascii: ">")), utf8.count) != nil
    }

    /// `stripQuoteMarkers(_:into:)` of UTF-8 bytes.
    static func stripQuoteMarkers(_ src: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        do {
            let n = src.count
            if !mayHaveQuoteMarkers(src) {
                out.append(contentsOf: src)
                return
            }
            var i = 0
            var lineStart = true
            while i < n {
                let b = src[i]
                if b == UInt8(ascii: ">") {
                    // Is this a marker? At a line start always; elsewhere when the run of '>' is
                    // preceded by a space and followed by a space or the end.
                    var j = i
                    while j < n && src[j] == UInt8(ascii: ">") { j += 1 }
                    let precededBySpace = i > 0 && (src[i - 1] == 0x20 || src[i - 1] == 0x09)
                    let followedBySpace = j == n || src[j] == 0x20 || src[j] == 0x09 || src[j] == 0x0A
                    if lineStart || (precededBySpace && followedBySpace) {
                        // Drop the run, following spaces and further '>' runs.
                        while j < n && (src[j] == 0x20 || src[j] == 0x09 || src[j] == UInt8(ascii: ">")) { j += 1 }
                        i = j
                        lineStart = false
                        // A marker in mid-line replaced a line break: keep one space (already emitted).
                        continue
                    }
                }
                if lineStart && (b == 0x20 || b == 0x09) {
                    // Leading spaces before a marker on a line.
                    var j = i
                    while j < n && (src[j] == 0x20 || src[j] == 0x09) { j += 1 }
                    if j < n && src[j] == UInt8(ascii: ">") { i = j; continue }
                }
                out.append(b)
                lineStart = b == 0x0A
                i += 1
            }
            // Trailing spaces left by a removed marker at the end.
            while let last = out.last, last == 0x20 || last == 0x09 { out.removeLast() }
        }
    }

    @inline(__always)
    static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var continuation = 0
        for b in bytes { continuation &+= b & 0xC0 == 0x80 ? 1 : 0 }
        return bytes.count - continuation
    }

}

/// Whether two byte buffers hold the same bytes (`memcmp`).
@inline(__always)
private func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
}
