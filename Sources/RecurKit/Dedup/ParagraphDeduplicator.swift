import Foundation

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
/// - per paragraph fed: 6 bytes (kept id 4, kind and flags 1, language 1; in chunks of 4,096,
///   so without an array's growth slack), plus 12 for the key's place in the arena when there is
///   no `keyOf`; near members also keep their similarity (8 bytes);
/// - per run of paragraphs of one document and source with consecutive paragraph indices (a
///   document's paragraphs, when fed together): 16 bytes (first id, document, source, paragraph);
/// - per distinct key (after quote stripping): one 8-byte slot in the exact-hash table
///   (11–23 bytes with the table 35–70% full), and its UTF-8 bytes when there is no `keyOf`;
/// - per kept paragraph of `minNearLength` characters or more: one 8-byte slot (32-bit band hash
///   and index ordinal) in each of the `bands` per-band tables (≈ 200–400 bytes with 20 bands,
///   the tables 40–80% full), and 9 bytes (id, distinct shingle count, shingle size). Signatures
///   and shingle sets are not stored: a candidate's shingles are rebuilt from its key when it is
///   verified, stopping as soon as it can no longer reach the threshold (or beat the best so far);
/// - per distinct document and source: its id string once (interned); with `documentName`, per
///   document number (up to the largest) 4 bytes while `finish()` counts a cluster's documents,
///   and no names;
/// - scratch buffers of a few KB, reused for every paragraph, and two caches of candidates: their
///   shingle hashes (16 MB) and their stripped keys (16 MB; both 64 MB for an archive of more than
///   16 million paragraphs), see `RingCache`.
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
    public convenience init(
        options: DedupOptions = DedupOptions(),
        keyHash: @escaping (UnsafeRawBufferPointer) -> UInt64 = { StableHash.hash64($0) },
        keyOf: ((Int) -> String)? = nil,
        documentName: (@Sendable (Int) -> String)? = nil
    ) {
        self.init(options: options, keyHash: keyHash, keys: keyOf.map { .strings($0) }, documentName: documentName)
    }

    /// As `init(options:keyHash:keyOf:documentName:)`, with the earlier keys read as bytes.
    ///
    /// - Parameters:
    ///   - keyBytesOf: appends the UTF-8 of an earlier paragraph's key (by id) to an empty buffer
    ///     the deduplicator reuses: no string is made per comparison.
    ///   - paragraphs: how many paragraphs will be fed, when known (0: not known). Archives of
    ///     many millions get larger caches of candidates' keys and shingle hashes
    ///     (`RingCache.candidateKeys(forParagraphs:)`, `candidateShingles(forParagraphs:)`), which
    ///     save reading keys back through `keyBytesOf` and hashing them again; the result is the same.
    public convenience init(
        options: DedupOptions = DedupOptions(),
        keyHash: @escaping (UnsafeRawBufferPointer) -> UInt64 = { StableHash.hash64($0) },
        keyBytesOf: ((Int, inout [UInt8]) -> Void)?,
        documentName: (@Sendable (Int) -> String)? = nil,
        paragraphs: Int = 0
    ) {
        self.init(options: options, keyHash: keyHash, keys: keyBytesOf.map { .bytes($0) }, documentName: documentName)
        engine.setCandidateCaches(RingCache.candidateShingles(forParagraphs: paragraphs), RingCache.candidateKeys(forParagraphs: paragraphs))
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
        documentName: (@Sendable (Int) -> String)?
    ) {
        engine = DedupEngine(options: options, keyHash: keyHash, keyOf: keys, documentName: documentName)
    }

    public var options: DedupOptions { engine.options }

    /// Paragraphs fed so far.
    public var count: Int { engine.count }

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
    /// Appends the key's UTF-8 to an empty buffer (no string made: the pipeline reads it from its store).
    case bytes((Int, inout [UInt8]) -> Void)
}

struct DedupEngine {
    let options: DedupOptions
    private let keyHash: (UnsafeRawBufferPointer) -> UInt64
    /// Appends the caller's key of an id to a buffer; nil: the distinct keys are kept in `arena`.
    private let keyOf: CallerKeys?
    /// The caller's document names by `DedupInput.documentNumber`; nil: the ids are interned.
    private let documentName: (@Sendable (Int) -> String)?
    private let signatureLength: Int

    // Per paragraph.
    private var parent = ChunkedColumn<Int32>()
    /// Bits 0–1: the base kind (0 kept, 1 exact, 2 near; quote and boilerplate are decided in
    /// finish()); bit 2: quote, bit 3: signature, bit 4: short.
    private var info = ChunkedColumn<UInt8>()
    /// Document, source and paragraph index of every paragraph, run-length encoded.
    private var runs = DedupRuns()
    private var langOf = ChunkedColumn<Language>()
    /// The similarity of every paragraph whose base kind is near (ids ascending); 1 for the rest.
    private var nearIDs: [Int32] = []
    private var nearSimilarity: [Float] = []

    // Arena mode only (no `keyOf`): where each paragraph's stripped key is (-1: not stored).
    private var keyStart: [Int] = []
    private var keyLength: [Int32] = []
    private var arena: [UInt8] = []

    private var exactIndex = HashIDMultiMap(capacityPowerOfTwo: 12)
    /// Band keys of the indexed (kept, long enough) paragraphs; values are index ordinals.
    private var bandIndex: BandIndex
    // Per indexed paragraph (by ordinal): its id, its distinct shingle count and its shingle size.
    private var indexedID: [Int32] = []
    private var indexedDistinct: [UInt32] = []
    private var indexedShingleSize: [UInt8] = []

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
    private var otherStripped: [UInt8] = []
    /// An earlier key as `keyOf` reads it.
    private var otherKey: [UInt8] = []
    // Scalars and shingle hashes live in the first `*Count` elements of their (over-sized) buffers.
    private var scalars: [UInt32] = []
    private var shingles: [UInt64] = []
    private var shingleCount = 0
    private var otherShingles: [UInt64] = []
    private var otherScalars: [UInt32] = []
    /// Open-addressing sets of shingle hashes for verification (0 = empty; no sorting needed).
    /// `setA` holds this paragraph's shingles (its first `setASize` slots), `stamps` marks the slots
    /// of `setA` already matched by the candidate being verified (stamp `stamp`).
    private var setA: [UInt64] = []
    private var setASize = 0
    private var stamps: [UInt32] = []
    private var stamp: UInt32 = 0
    private var setB: [UInt64] = []
    private var signature: [UInt64]
    private var filled: [Bool]
    private var probes: [UInt16]
    private var bandKeys: [UInt64]
    private var candidates: [Int32] = []
    private var candidateOrder = CandidateOrder()
    /// See `ParagraphDeduplicator.candidateSimilarityHistogram`.
    var similarityHistogram: [Int]?
    /// Shingle hashes of recent candidates (see `candidateShingles`).
    private var candidateCache = RingCache.candidateShingles()
    /// Stripped keys of recent candidates, for those whose hashes `candidateCache` no longer holds.
    private var keyCache = RingCache.candidateKeys()
    /// Candidates verified whose hashes `candidateCache` did not hold, and of them those whose key
    /// `keyCache` did not hold either (read from the caller: a `pread` in the pipeline).
    private(set) var candidateHashMisses = 0
    private(set) var candidateKeyReads = 0
    /// The exact-match cache (see `storedKeyEquals`): stripped keys of up to 1 KB by paragraph id,
    /// `exactCacheBudget` bytes of them at most.
    private var exactCacheIDs: [Int32] = []
    private var exactCacheKeys: [[UInt8]] = []
    private var exactCachedBytes = 0

    init(
        options: DedupOptions, keyHash: @escaping (UnsafeRawBufferPointer) -> UInt64, keyOf: CallerKeys? = nil,
        documentName: (@Sendable (Int) -> String)? = nil
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
        self.keyOf = keyOf
        signatureLength = options.bands * options.rows
        signature = [UInt64](repeating: 0, count: signatureLength)
        filled = [Bool](repeating: false, count: signatureLength)
        bandKeys = [UInt64](repeating: 0, count: options.bands)
        // Bins are UInt16 in the probe table; longer signatures compute every probe.
        probes = signatureLength <= Int(UInt16.max) ? Self.densificationProbes(bins: signatureLength, seed: options.seed) : []
        bandIndex = BandIndex(bands: options.bands)
        stripped.reserveCapacity(4096)
    }

    var count: Int { parent.count }

    mutating func add(_ item: DedupInput) {
        precondition(!finished, "ParagraphDeduplicator.add(_:) after finish()")
        precondition(item.id == parent.count, "DedupInput ids must be dense and in feeding order (expected \(parent.count), got \(item.id))")
        let id = Int32(truncatingIfNeeded: item.id)
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
        langOf.append(item.lang)

        Self.stripQuoteMarkers(item.key, into: &stripped)
        let hash = stripped.withUnsafeBytes { keyHash($0) }
        let characters = stripped.withUnsafeBufferPointer { Self.scalarCount($0) }
        let isShort = characters < options.minNearLength
        if isShort { counts.short += 1 }
        let flagBits: UInt8 = (item.isQuote ? 4 : 0) | (item.isSignature ? 8 : 0) | (isShort ? 16 : 0)

        // Exact: the first stored paragraph with the same hash and the same bytes.
        var match: Int32 = -1
        var slot = exactIndex.firstSlot(hash)
        while let other = exactIndex.next(hash, &slot) {
            if storedKeyEquals(other) { match = other; break }
        }
        if match >= 0 {
            let root = parent[Int(match)]
            parent.append(root)
            if root == match {
                info.append(1 | flagBits)
            } else {
                let kind = info[Int(match)] & 3
                info.append(kind | flagBits)
                if kind == 2 {
                    nearIDs.append(id)
                    nearSimilarity.append(nearSimilarity(of: match))
                }
            }
            if keyOf == nil {
                keyStart.append(-1)
                keyLength.append(0)
            }
            return
        }

        // A new distinct key: remember it for exact verification (and near verification if it is kept).
        if keyOf == nil {
            keyStart.append(arena.count)
            keyLength.append(Int32(stripped.count))
            arena.append(contentsOf: stripped)
        }
        exactIndex.insert(hash, id)

        if !isShort, characters > 0 {
            let n = shingleSize(lang: item.lang, characters: characters)
            let scalarCount = sketchStripped(n: n)
            let ownDistinct = buildSetA()
            var match = bestNearCandidate(n: n, setCount: ownDistinct)
            if match == nil, let other = alternateShingleSize(lang: item.lang, characters: characters) {
                // A Japanese key near the short/long boundary: its near duplicates on the other side
                // were indexed with the other shingle size, so look them up with that size too.
                let ownKeys = bandKeys
                shingleCount = scalars.withUnsafeBufferPointer {
                    Self.shingleHashes(UnsafeBufferPointer(rebasing: $0[0..<scalarCount]), n: other, seed: options.seed, into: &shingles)
                }
                computeSignature()
                let otherDistinct = buildSetA()
                match = bestNearCandidate(n: other, setCount: otherDistinct)
                bandKeys = ownKeys
            }
            if let (best, sim) = match {
                parent.append(best)
                info.append(2 | flagBits)
                nearIDs.append(id)
                nearSimilarity.append(Float(sim))
                return
            }
            let ordinal = Int32(truncatingIfNeeded: indexedID.count)
            indexedID.append(id)
            indexedDistinct.append(UInt32(truncatingIfNeeded: ownDistinct))
            indexedShingleSize.append(n <= Int(UInt8.max) ? UInt8(n) : 0)
            bandKeys.withUnsafeBufferPointer { bandIndex.insert($0, ordinal) }
        }
        parent.append(id)
        info.append(flagBits)
    }

    /// The similarity of a near member (ids in `nearIDs` ascend).
    private func nearSimilarity(of id: Int32) -> Float {
        var lo = 0, hi = nearIDs.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if nearIDs[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < nearIDs.count && nearIDs[lo] == id ? nearSimilarity[lo] : 1
    }

    // MARK: - Near duplicates

    private func shingleSize(lang: Language, characters: Int) -> Int {
        lang == .ja && characters < options.shortJapaneseLength ? options.shortJapaneseShingleSize : options.shingleSize
    }

    /// The other Japanese shingle size when a near duplicate could lie across the short/long
    /// boundary (its length within the threshold's ratio of `shortJapaneseLength`), else nil.
    private func alternateShingleSize(lang: Language, characters: Int) -> Int? {
        guard lang == .ja, options.shortJapaneseShingleSize != options.shingleSize else { return nil }
        let boundary = Double(options.shortJapaneseLength)
        let c = Double(characters)
        if characters < options.shortJapaneseLength {
            return c >= boundary * options.threshold ? options.shingleSize : nil
        }
        return c < boundary / options.threshold ? options.shortJapaneseShingleSize : nil
    }

    /// The steps of `add(_:)` from a new distinct key to its band keys: quote markers stripped,
    /// then `sketchStripped`. Stores nothing (benchmarks).
    mutating func sketch<R>(_ key: String, lang: Language, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        Self.stripQuoteMarkers(key, into: &stripped)
        let characters = stripped.withUnsafeBufferPointer { Self.scalarCount($0) }
        _ = sketchStripped(n: shingleSize(lang: lang, characters: characters))
        return bandKeys.withUnsafeBufferPointer(body)
    }

    /// Decodes `stripped` into `scalars`, hashes its n-grams into `shingles` and computes the
    /// signature and band keys. Returns the scalar count.
    private mutating func sketchStripped(n: Int) -> Int {
        let scalarCount = stripped.withUnsafeBufferPointer { Self.decodeScalars($0, into: &scalars) }
        shingleCount = scalars.withUnsafeBufferPointer {
            Self.shingleHashes(UnsafeBufferPointer(rebasing: $0[0..<scalarCount]), n: n, seed: options.seed, into: &shingles)
        }
        computeSignature()
        return scalarCount
    }

    /// One-permutation MinHash of `shingles` into `signature`, then the band keys.
    private mutating func computeSignature() {
        let k = signatureLength
        let kk = UInt64(k)
        let seed = options.seed
        signature.withUnsafeMutableBufferPointer { sig in
            filled.withUnsafeMutableBufferPointer { full in
                for i in 0..<k { sig[i] = .max }
                // Branch-free: the minimum per bin; a bin is empty when it is still .max (a shingle
                // hash of exactly .max would be taken for empty: harmless, the bin is densified).
                shingles.withUnsafeBufferPointer { sh in
                    for h in sh[0..<shingleCount] {
                        let bin = Int(truncatingIfNeeded: h.multipliedFullWidth(by: kk).high)
                        sig[bin] = Swift.min(sig[bin], h)
                    }
                }
                var nonEmpty = 0
                for i in 0..<k {
                    let isFull = sig[i] != .max
                    full[i] = isFull
                    nonEmpty &+= isFull ? 1 : 0
                }
                guard nonEmpty > 0, nonEmpty < k else { return }
                // Optimal densification (Shrivastava 2017): an empty bin copies the value of the
                // first non-empty bin on its own fixed pseudo-random probe sequence (its first
                // `densificationDepth` probes are precomputed in `probes`).
                let depth = probes.isEmpty ? 0 : Self.densificationDepth
                for i in 0..<k where !full[i] {
                    var found = false
                    probes.withUnsafeBufferPointer { p in
                        for d in 0..<depth {
                            let j = Int(p[i &* depth &+ d])
                            if full[j] { sig[i] = sig[j]; found = true; return }
                        }
                    }
                    if found { continue }
                    var attempt = UInt64(depth) + 1
                    while true {
                        let probe = StableHash.mix(seed ^ 0xD3A5_1F1E_0000_0000 ^ (UInt64(i) << 20) ^ attempt)
                        let j = Int(truncatingIfNeeded: probe.multipliedFullWidth(by: kk).high)
                        if full[j] { sig[i] = sig[j]; break }
                        attempt += 1
                        if attempt > 4 * kk {
                            // Astronomically unlikely; fall back to the next non-empty bin.
                            var j = (i + 1) % k
                            while !full[j] { j = (j + 1) % k }
                            sig[i] = sig[j]
                            break
                        }
                    }
                }
            }
        }
        let rows = options.rows
        signature.withUnsafeBufferPointer { sig in
            bandKeys.withUnsafeMutableBufferPointer { keys in
                for b in 0..<keys.count {
                    var h = seed &+ UInt64(b + 1) &* 0x9E37_79B9_7F4A_7C15
                    for r in 0..<rows {
                        h = (h ^ sig[b * rows + r]) &* 0xC2B2_AE3D_27D4_EB4F
                        h = (h << 29) | (h >> 35)
                    }
                    keys[b] = StableHash.mix(h)
                }
            }
        }
    }

    /// Precomputed probes per signature bin in `computeSignature()`'s densification.
    static let densificationDepth = 32

    /// The first `densificationDepth` probes of every bin's densification sequence.
    static func densificationProbes(bins k: Int, seed: UInt64) -> [UInt16] {
        let kk = UInt64(k)
        var probes = [UInt16](repeating: 0, count: k * densificationDepth)
        for i in 0..<k {
            for d in 0..<densificationDepth {
                let attempt = UInt64(d + 1)
                let probe = StableHash.mix(seed ^ 0xD3A5_1F1E_0000_0000 ^ (UInt64(i) << 20) ^ attempt)
                probes[i * densificationDepth + d] = UInt16(truncatingIfNeeded: probe.multipliedFullWidth(by: kk).high)
            }
        }
        return probes
    }

    /// Builds `setA` from the current shingles; returns the number of distinct shingle hashes.
    private mutating func buildSetA() -> Int {
        let count = shingleCount
        let size = Self.setSize(for: count)
        if setA.count < size {
            setA = [UInt64](repeating: 0, count: size)
            stamps = [UInt32](repeating: 0, count: size)
            stamp = 0
        }
        setASize = size
        return shingles.withUnsafeBufferPointer { sh in
            setA.withUnsafeMutableBufferPointer { a in
                let table = UnsafeMutableBufferPointer(rebasing: a[0..<size])
                table.update(repeating: 0)
                var distinct = 0
                for h in sh[0..<count] where Self.setInsert(h, table) { distinct += 1 }
                return distinct
            }
        }
    }

    /// The next verification stamp (the stamps are cleared when the counter wraps around).
    private mutating func nextStamp() -> UInt32 {
        if stamp == .max {
            stamps.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            stamp = 0
        }
        stamp += 1
        return stamp
    }

    /// Calls `body` with the stripped UTF-8 key of an earlier distinct paragraph.
    private mutating func withStoredKey<R>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard let keyOf else {
            let start = keyStart[Int(id)]
            let length = Int(keyLength[Int(id)])
            return arena.withUnsafeBufferPointer { a in body(UnsafeBufferPointer(rebasing: a[start..<start + length])) }
        }
        var key = otherKey, buffer = otherStripped
        otherKey = []
        otherStripped = []
        defer {
            otherKey = key
            otherStripped = buffer
        }
        func stripped(_ src: UnsafeBufferPointer<UInt8>) -> R {
            if !Self.mayHaveQuoteMarkers(src) { return body(src) }
            Self.stripQuoteMarkers(src, into: &buffer)
            return buffer.withUnsafeBufferPointer { body($0) }
        }
        switch keyOf {
        case .strings(let keyOf):
            var string = keyOf(Int(id))
            return string.withUTF8 { stripped($0) }
        case .bytes(let keyOf):
            key.removeAll(keepingCapacity: true)
            keyOf(Int(id), &key)
            return key.withUnsafeBufferPointer { stripped($0) }
        }
    }

    /// The shingle hashes (size `n`, the size it was indexed with) of kept paragraph `c` (index
    /// ordinal `ordinal`)'s stripped key, one per window as `shingleHashes` gives them: their
    /// range in `candidateCache.ring` when cached (or cached now), else in `otherShingles`.
    ///
    /// Templated archives make the same kept paragraphs candidates again and again: the cache
    /// spares re-reading, re-decoding and re-hashing them, so that verifying a cached candidate
    /// is only probing `setA`. When the hashes are gone but the key is still in `keyCache`, the
    /// key is decoded from there instead of read from the caller (a `pread` in the pipeline; the
    /// benchmark `dedup-compare` prints both counts, `candidateCacheMisses`). What it gives never
    /// depends on the caches, only how fast.
    private mutating func candidateShingles(ordinal: Int32, id c: Int32, n: Int) -> (cached: Bool, range: Range<Int>) {
        if let range = candidateCache.lookup(ordinal: ordinal, id: c) { return (true, range) }
        candidateHashMisses += 1
        var decoded = otherScalars
        otherScalars = []
        defer { otherScalars = decoded }
        let scalarCount: Int
        if let range = keyCache.lookup(ordinal: ordinal, id: c) {
            scalarCount = keyCache.ring.withUnsafeBufferPointer { Self.decodeScalars(UnsafeBufferPointer(rebasing: $0[range]), into: &decoded) }
        } else {
            candidateKeyReads += 1
            var keys = keyCache
            keyCache = RingCache(slots: 1, capacity: 0, maxEntry: 0)
            defer { keyCache = keys }
            scalarCount = withStoredKey(c) { key in
                _ = keys.insert(ordinal: ordinal, id: c, key)
                return Self.decodeScalars(key, into: &decoded)
            }
        }
        let count = decoded.withUnsafeBufferPointer {
            Self.shingleHashes(UnsafeBufferPointer(rebasing: $0[0..<scalarCount]), n: n, seed: options.seed, into: &otherShingles)
        }
        let cached = otherShingles.withUnsafeBufferPointer {
            candidateCache.insert(ordinal: ordinal, id: c, UnsafeBufferPointer(rebasing: $0[0..<count]))
        }
        return cached.map { (true, $0) } ?? (false, 0..<count)
    }

    /// Replaces the (empty) candidate caches, before anything is added.
    mutating func setCandidateCaches(_ shingles: RingCache<UInt64>, _ keys: RingCache<UInt8>) {
        precondition(count == 0)
        candidateCache = shingles
        keyCache = keys
    }

    /// The heap bytes of the candidate caches (see `RingCache`).
    var candidateCacheBytes: Int { candidateCache.bytes + keyCache.bytes }

    var indexBytes: Int {
        exactIndex.bytesUsed + bandIndex.bytesUsed + indexedID.capacity * 4 + indexedDistinct.capacity * 4
            + indexedShingleSize.capacity
    }

    /// The most similar kept paragraph at or above the threshold (ties: lowest id). `setA` holds
    /// this paragraph's `setCount` distinct shingles of size `n`.
    private mutating func bestNearCandidate(n: Int, setCount: Int) -> (Int32, Double)? {
        var found = candidates
        candidates = []
        found.removeAll(keepingCapacity: true)
        bandKeys.withUnsafeBufferPointer { bandIndex.collect($0, into: &found) }
        defer { candidates = found }
        guard !found.isEmpty else { return nil }
        // A candidate appears once per band it shares. Those sharing two or more bands come first,
        // the most shared first; those sharing one (mostly pairs far below the threshold, numerous
        // in templated text) only up to `singleBandCandidates`, the lowest ordinals.
        candidateOrder.order(&found, maxSingles: options.singleBandCandidates)
        let threshold = options.threshold
        // Pruning margin: a candidate is dropped early only when its similarity is certainly below
        // threshold - 1e-9, so every pair the full computation accepts (≥ threshold - 1e-12) is kept.
        let lowered = threshold - 1e-9
        var best: (Int32, Double)? = nil
        var verified = 0
        for ordinal in found {
            if verified >= options.maxCandidates { break }
            verified += 1
            counts.candidatesVerified += 1
            let c = indexedID[Int(ordinal)]
            if similarityHistogram != nil,
               let full = fullSimilarity(ordinal: ordinal, id: c, n: n, setCount: setCount, bounded: false) {
                similarityHistogram![min(19, Int(full * 20))] += 1
            }
            let sim: Double
            if Int(indexedShingleSize[Int(ordinal)]) == n {
                // The candidate's distinct shingle count is known: bound first, then count the
                // intersection and stop once the threshold (or the best so far) is out of reach.
                let distinctB = Int(indexedDistinct[Int(ordinal)])
                let small = min(setCount, distinctB), large = max(setCount, distinctB)
                if Double(small) < lowered * Double(large) { continue }
                let total = setCount + distinctB
                var need = Int((lowered * Double(total) / (1 + lowered)).rounded(.down)) - 1
                if let (bestID, bestSim) = best {
                    // The smallest intersection whose similarity beats the best one (ties go to the lower id).
                    let lowerID = c < bestID
                    var i = max(need, Int((bestSim * Double(total) / (1 + bestSim)).rounded(.down)) - 1)
                    while i <= small, !(Double(i) / Double(total - i) > bestSim || (lowerID && Double(i) / Double(total - i) >= bestSim)) { i += 1 }
                    if i > small { continue }
                    need = i
                }
                guard let inter = intersect(ordinal: ordinal, id: c, n: n, need: need) else { continue }
                let union = total - inter
                sim = union == 0 ? 1 : Double(inter) / Double(union)
            } else {
                guard let s = fullSimilarity(ordinal: ordinal, id: c, n: n, setCount: setCount) else { continue }
                sim = s
            }
            if sim >= threshold - 1e-12, best == nil || sim > best!.1 || (sim == best!.1 && c < best!.0) {
                best = (c, sim)
            }
        }
        if best != nil { counts.candidatesAccepted += 1 }
        return best
    }

    /// The number of distinct shingles of paragraph `c` (size `n`) that are in `setA`; nil once it
    /// can no longer reach `need`.
    private mutating func intersect(ordinal: Int32, id c: Int32, n: Int, need: Int) -> Int? {
        let current = nextStamp()
        let (cached, range) = candidateShingles(ordinal: ordinal, id: c, n: n)
        guard !range.isEmpty else { return need <= 0 ? 0 : nil }
        // Windows that may fail to add to the intersection before `need` is out of reach.
        var slack = range.count - need
        if slack < 0 { return nil }
        let size = setASize
        func probe(_ hashes: UnsafeBufferPointer<UInt64>, _ a: UnsafeMutableBufferPointer<UInt64>, _ st: UnsafeMutableBufferPointer<UInt32>) -> Int? {
            let set = UnsafeMutableBufferPointer(rebasing: a[0..<size])
            var inter = 0
            for h in hashes {
                let slot = Self.setFind(h, set)
                if slot >= 0 && st[slot] != current {
                    st[slot] = current
                    inter += 1
                } else {
                    slack -= 1
                    if slack < 0 { return nil }
                }
            }
            return inter
        }
        return (cached ? candidateCache.ring : otherShingles).withUnsafeBufferPointer { hashes in
            setA.withUnsafeMutableBufferPointer { a in
                stamps.withUnsafeMutableBufferPointer { st in probe(UnsafeBufferPointer(rebasing: hashes[range]), a, st) }
            }
        }
    }

    /// Jaccard similarity of `setA` and paragraph `c`'s shingles of size `n`, computed in full
    /// (a candidate indexed with another shingle size); nil when its size rules it out.
    private mutating func fullSimilarity(ordinal: Int32, id c: Int32, n: Int, setCount: Int, bounded: Bool = true) -> Double? {
        var decoded = otherScalars
        otherScalars = []
        defer { otherScalars = decoded }
        // Another shingle size than the candidate was indexed with (rare): decoded afresh, not cached.
        let otherScalarCount = withStoredKey(c) { Self.decodeScalars($0, into: &decoded) }
        // Cheap bound first: J ≤ |B| / |A|, and the candidate's window count bounds |B| from above.
        let otherWindows = max(1, otherScalarCount - n + 1)
        if bounded, Double(otherWindows) < options.threshold * Double(setCount) - 1e-9 { return nil }
        let otherCount = decoded.withUnsafeBufferPointer {
            Self.shingleHashes(UnsafeBufferPointer(rebasing: $0[0..<otherScalarCount]), n: n, seed: options.seed, into: &otherShingles)
        }
        let sizeA = setASize
        let sizeB = Self.setSize(for: otherCount)
        if setB.count < sizeB { setB = [UInt64](repeating: 0, count: sizeB) }
        let (distinctB, inter) = otherShingles.withUnsafeBufferPointer { sh in
            setB.withUnsafeMutableBufferPointer { b in
                setA.withUnsafeMutableBufferPointer { a in
                    let tableA = UnsafeMutableBufferPointer(rebasing: a[0..<sizeA])
                    let tableB = UnsafeMutableBufferPointer(rebasing: b[0..<sizeB])
                    tableB.update(repeating: 0)
                    var distinct = 0, inter = 0
                    for h in sh[0..<otherCount] where Self.setInsert(h, tableB) {
                        distinct += 1
                        if Self.setContains(h, tableA) { inter += 1 }
                    }
                    return (distinct, inter)
                }
            }
        }
        let union = setCount + distinctB - inter
        return union == 0 ? 1 : Double(inter) / Double(union)
    }

    // MARK: - Finish

    /// Drops what only `add(_:)` needs (the exact and band indexes, the caches): `finish()` then
    /// builds the result without them in memory. Nothing can be added afterwards.
    mutating func releaseIndexes() {
        guard !finished else { return }
        finished = true
        exactIndex = HashIDMultiMap(capacityPowerOfTwo: 1)
        bandIndex = BandIndex(bands: options.bands, capacityPowerOfTwo: 1)
        indexedID = []
        indexedDistinct = []
        indexedShingleSize = []
        candidateCache = RingCache.candidateShingles()
        keyCache = RingCache.candidateKeys()
        exactCacheIDs = []
        exactCacheKeys = []
        exactCachedBytes = 0
        (setA, stamps, setB, candidates) = ([], [], [], [])
        candidateOrder = CandidateOrder()
        (shingles, otherShingles, scalars, otherScalars) = ([], [], [], [])
    }

    mutating func finish() -> DedupResult {
        let n = parent.count
        // Indexed once: the cluster pass below looks up every member's run, and so does the result.
        // Moved out first, so that the columns are resized without a second reference holding them.
        var unindexed = DedupRuns()
        swap(&unindexed, &self.runs)
        self.runs = unindexed.indexed(idCount: n)
        let runs = self.runs
        var counts = self.counts
        counts.kept = 0
        counts.removed = 0

        // Clusters in kept-id order. Trees have depth 1 and the kept paragraph has the lowest id of
        // its cluster, so one pass in id order finds every cluster before its other members:
        // `clusterOf` first counts the members of each kept paragraph, then holds the cluster.
        var clusterOf = [Int32](repeating: 0, count: n)
        for id in 0..<n { clusterOf[Int(parent[id])] += 1 }
        var memberStart: [Int32] = [0]
        var roots: [Int] = []
        for id in 0..<n {
            let root = Int(parent[id])
            if root == id {
                let size = clusterOf[id]
                if size >= 2 {
                    clusterOf[id] = Int32(roots.count)
                    roots.append(id)
                    memberStart.append(memberStart.last! + size)
                } else {
                    clusterOf[id] = -1
                }
            } else {
                clusterOf[id] = clusterOf[root]
            }
        }
        var members = [Int32](repeating: 0, count: Int(memberStart.last!))
        var next = memberStart
        for id in 0..<n where clusterOf[id] >= 0 {
            let c = Int(clusterOf[id])
            members[Int(next[c])] = Int32(id)
            next[c] += 1
        }
        next = []

        let width = max(6, String(roots.count).count)
        var clusters: [DedupCluster] = []
        clusters.reserveCapacity(roots.count)
        var isBoilerplateCluster = [Bool](repeating: false, count: roots.count)
        var seenDoc = [Int32](repeating: -1, count: documentCount)
        var seenSource = [Int32](repeating: -1, count: sourceCount)
        for (c, r) in roots.enumerated() {
            var docs = 0, sources = 0
            var signature = false
            for m in Int(memberStart[c])..<Int(memberStart[c + 1]) {
                let id = Int(members[m])
                let (doc, source) = runs.documentAndSource(id)
                if seenDoc[Int(doc)] != Int32(c) { seenDoc[Int(doc)] = Int32(c); docs += 1 }
                if seenSource[Int(source)] != Int32(c) { seenSource[Int(source)] = Int32(c); sources += 1 }
                if info[id] & 8 != 0 { signature = true }
            }
            let boilerplate = signature
                || (docs >= options.boilerplateMinDocuments && sources >= options.boilerplateMinSources)
            isBoilerplateCluster[c] = boilerplate
            if boilerplate { counts.boilerplateClusters += 1 }
            let ordinal = String(c + 1)
            clusters.append(DedupCluster(
                id: "c" + String(repeating: "0", count: max(0, width - ordinal.count)) + ordinal,
                keptID: r, size: Int(memberStart[c + 1] - memberStart[c]), isBoilerplate: boilerplate,
                documentCount: docs, sourceCount: sources, ordinal: c))
        }
        seenDoc = []
        counts.clusters = clusters.count

        var code = [UInt8](repeating: 0, count: n)
        for id in 0..<n {
            let c = clusterOf[id]
            let boilerplate = c >= 0 && isBoilerplateCluster[Int(c)]
            let baseKind = info[id] & 3
            let language = DedupResult.languageBits(langOf[id])
            if baseKind == 0 {
                counts.kept += 1
                if boilerplate { code[id] = language | DedupResult.boilerplateKeptBit; counts.boilerplateKept += 1 }
                else { code[id] = language }
                continue
            }
            counts.removed += 1
            let kind: UInt8
            if boilerplate {
                kind = 3; counts.boilerplate += 1
            } else if info[id] & 4 != 0 {
                kind = 4; counts.quote += 1
            } else if baseKind == 1 {
                kind = 1; counts.exact += 1
            } else {
                kind = 2; counts.near += 1
            }
            code[id] = language | kind
        }

        // The result keeps these for the rest of the run: without their growth slack.
        nearIDs.shrinkToFit()
        nearSimilarity.shrinkToFit()
        memberStart.shrinkToFit()
        return DedupResult(
            clusters: clusters, counts: counts, clusterOf: clusterOf, code: code,
            nearIDs: nearIDs, nearSimilarity: nearSimilarity, memberStart: memberStart, members: members,
            runs: runs.droppingSources(), documentName: documentName ?? { [names = documentNames()] in names[$0] })
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

    private mutating func storedKeyEquals(_ other: Int32) -> Bool {
        let current = stripped
        stripped = []
        defer { stripped = current }
        guard keyOf != nil else {
            let start = keyStart[Int(other)]
            let length = Int(keyLength[Int(other)])
            guard start >= 0, length == current.count else { return false }
            return current.withUnsafeBufferPointer { s in
                withStoredKey(other) { o in bytesEqual(o, s) }
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
        var cached = exactCacheKeys[slot]
        exactCacheKeys[slot] = []
        // The bytes the other slots hold: this slot's key is replaced (or dropped).
        let heldByOthers = exactCachedBytes - cached.count
        var fits = false
        let equal = current.withUnsafeBufferPointer { s in
            withStoredKey(other) { o in
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

    /// Decodes (valid) UTF-8 into Unicode scalar values at the start of `out` (grown when too
    /// small, never shrunk); returns how many were written.
    static func decodeScalars(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt32]) -> Int {
        if out.count < bytes.count { out = [UInt32](repeating: 0, count: max(bytes.count, 2 * out.count, 256)) }
        return out.withUnsafeMutableBufferPointer { o in
            let n = bytes.count
            var i = 0, w = 0
            while i < n {
                let b0 = UInt32(bytes[i])
                if b0 < 0x80 {
                    o[w] = b0; i += 1
                } else if b0 < 0xE0, i + 1 < n {
                    o[w] = (b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F); i += 2
                } else if b0 < 0xF0, i + 2 < n {
                    o[w] = (b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F); i += 3
                } else if i + 3 < n {
                    o[w] = (b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12
                        | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F); i += 4
                } else {
                    o[w] = 0xFFFD; i += 1
                }
                w += 1
            }
            return w
        }
    }

    /// One 64-bit hash per window of `n` scalars (the whole key when it is shorter than `n`),
    /// written at the start of `out` (grown when too small); returns how many were written.
    static func shingleHashes(_ s: UnsafeBufferPointer<UInt32>, n: Int, seed: UInt64, into out: inout [UInt64]) -> Int {
        let count = s.count
        guard count > 0 else { return 0 }
        let n = min(n, count)
        let windows = count - n + 1
        if out.count < windows { out = [UInt64](repeating: 0, count: max(windows, 2 * out.count, 256)) }
        let base = seed ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
        out.withUnsafeMutableBufferPointer { o in
            for i in 0..<windows {
                var h = base
                for j in 0..<n {
                    h = (h ^ UInt64(s[i + j])) &* 0x0000_0100_0000_01B3 &+ 0x5851_F42D_4C95_7F2D
                }
                o[i] = StableHash.mix(h)
            }
        }
        return windows
    }

    /// A power of two at least twice `count` (at most 50% full).
    static func setSize(for count: Int) -> Int {
        var size = 64
        while size < 2 * count { size <<= 1 }
        return size
    }

    /// Where `h` is in an open-addressing set (`found`), or the empty slot where it would go.
    @inline(__always)
    static func setProbe(_ h: UInt64, _ table: UnsafeMutableBufferPointer<UInt64>) -> (slot: Int, found: Bool) {
        let v = h == 0 ? 1 : h
        let mask = table.count - 1
        var i = Int(truncatingIfNeeded: v) & mask
        while table[i] != 0 {
            if table[i] == v { return (i, true) }
            i = (i + 1) & mask
        }
        return (i, false)
    }

    /// Inserts `h` into an open-addressing set; false when it was there already.
    @inline(__always)
    static func setInsert(_ h: UInt64, _ table: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let probe = setProbe(h, table)
        if probe.found { return false }
        table[probe.slot] = h == 0 ? 1 : h
        return true
    }

    /// The slot of `h` in an open-addressing set, -1 when it is not there.
    @inline(__always)
    static func setFind(_ h: UInt64, _ table: UnsafeMutableBufferPointer<UInt64>) -> Int {
        let probe = setProbe(h, table)
        return probe.found ? probe.slot : -1
    }

    @inline(__always)
    static func setContains(_ h: UInt64, _ table: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let v = h == 0 ? 1 : h
        let mask = table.count - 1
        var i = Int(truncatingIfNeeded: v) & mask
        while table[i] != 0 {
            if table[i] == v { return true }
            i = (i + 1) & mask
        }
        return false
    }

    /// Sorts and removes duplicates in place; returns the number of distinct values at the start.
    static func sortUnique(_ a: UnsafeMutableBufferPointer<UInt64>) -> Int {
        var a = a
        guard a.count > 1 else { return a.count }
        a.sort()
        var w = 1
        for r in 1..<a.count where a[r] != a[w - 1] {
            a[w] = a[r]
            w += 1
        }
        return w
    }

    /// Jaccard similarity of two sorted, duplicate-free sets.
    static func jaccard(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        var i = 0, j = 0, inter = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { inter += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return Double(inter) / Double(a.count + b.count - inter)
    }
}

/// Whether two byte buffers hold the same bytes (`memcmp`).
@inline(__always)
private func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
}
