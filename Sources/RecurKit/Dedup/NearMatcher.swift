import Foundation

/// What lets a new paragraph find its near duplicates among those kept: LSH band tables over the
/// kept paragraphs long enough to be sketched, and per indexed paragraph (by ordinal) its id,
/// its key's ordinal among the distinct keys (`StoredKeys`), distinct shingle count and shingle size.
struct NearIndex {
    var bands: BandIndex
    private(set) var id: [Int32] = []
    private(set) var key: [Int32] = []
    private(set) var distinct: [UInt32] = []
    /// 0 when the size does not fit a byte (compared in full then).
    private(set) var shingleSize: [UInt8] = []

    /// - Parameters:
    ///   - capacityPowerOfTwo: log2 of the slots a band table starts with (nil: `BandIndex`'s default).
    ///   - residentPowerOfTwo: log2 of the slots a band table grows to before its entries go to disk.
    init(bands: Int, capacityPowerOfTwo: Int? = nil, residentPowerOfTwo: Int = BandIndex.defaultResidentPowerOfTwo) {
        self.bands = capacityPowerOfTwo.map { BandIndex(bands: bands, capacityPowerOfTwo: $0, residentPowerOfTwo: residentPowerOfTwo) }
            ?? BandIndex(bands: bands, residentPowerOfTwo: residentPowerOfTwo)
    }

    /// Paragraphs indexed (the next ordinal).
    var count: Int { id.count }

    /// Indexes kept paragraph `id` under its band keys.
    mutating func insert(id: Int32, key: Int32, distinct: Int, shingleSize n: Int, bandKeys: UnsafeBufferPointer<UInt64>) {
        let ordinal = Int32(truncatingIfNeeded: self.id.count)
        self.id.append(id)
        self.key.append(key)
        self.distinct.append(UInt32(truncatingIfNeeded: distinct))
        shingleSize.append(n <= Int(UInt8.max) ? UInt8(n) : 0)
        bands.insert(bandKeys, ordinal)
    }

    /// The heap bytes of the band tables and the per-ordinal arrays (at their capacity).
    var bytes: Int { bands.bytesUsed + id.capacity * 4 + key.capacity * 4 + distinct.capacity * 4 + shingleSize.capacity }
}

/// The stripped keys of earlier distinct paragraphs: read from the caller (`CallerKeys`), or
/// copied into one arena when the caller keeps none.
struct StoredKeys {
    let caller: CallerKeys?
    // Arena mode only: where each paragraph's stripped key is (-1: not stored).
    private var start: [Int] = []
    private var length: [Int32] = []
    private var arena: [UInt8] = []
    /// `CallerKeys.handles` only: per distinct key (by ordinal), the caller's handle of it.
    private var handles = ChunkedColumn<UInt64>()

    init(caller: CallerKeys?) { self.caller = caller }

    /// Records paragraph `count`'s key (`nil`: a paragraph whose key is not kept, an exact copy):
    /// its bytes in arena mode, the caller's handle of it (`DedupInput.keyHandle`) with `CallerKeys.handles`.
    mutating func append(_ stripped: [UInt8]?, handle: UInt64?) {
        if case .handles = caller {
            if stripped != nil {
                guard let handle else { preconditionFailure("DedupInput.keyHandle is needed with keyBytesAt") }
                handles.append(handle)
            }
            return
        }
        guard caller == nil else { return }
        if let stripped {
            start.append(arena.count)
            length.append(Int32(stripped.count))
            arena.append(contentsOf: stripped)
        } else {
            start.append(-1)
            length.append(0)
        }
    }

    /// The stored length of `id`'s key in arena mode (nil: read from the caller; -1: not stored).
    func arenaLength(_ id: Int32) -> Int? {
        guard caller == nil else { return nil }
        return start[Int(id)] < 0 ? -1 : Int(length[Int(id)])
    }

    /// Calls `body` with the stripped UTF-8 key of an earlier distinct paragraph, `id`, whose key is
    /// the `key`-th distinct one; `scratch` holds the caller's key and its stripped copy (reused buffers).
    func withKey<R>(_ id: Int32, key ordinal: Int32, scratch: inout (key: [UInt8], stripped: [UInt8]), _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard let caller else {
            let from = start[Int(id)]
            let count = Int(length[Int(id)])
            return arena.withUnsafeBufferPointer { a in body(UnsafeBufferPointer(rebasing: a[from..<from + count])) }
        }
        var key = scratch.key, buffer = scratch.stripped
        scratch = ([], [])
        defer { scratch = (key, buffer) }
        func stripped(_ src: UnsafeBufferPointer<UInt8>) -> R {
            if !DedupEngine.mayHaveQuoteMarkers(src) { return body(src) }
            DedupEngine.stripQuoteMarkers(src, into: &buffer)
            return buffer.withUnsafeBufferPointer { body($0) }
        }
        switch caller {
        case .strings(let keyOf):
            var string = keyOf(Int(id))
            return string.withUTF8 { stripped($0) }
        case .bytes(let keyOf):
            key.removeAll(keepingCapacity: true)
            keyOf(Int(id), &key)
            return key.withUnsafeBufferPointer { stripped($0) }
        case .handles(let keyAt):
            key.removeAll(keepingCapacity: true)
            keyAt(handles[Int(ordinal)], &key)
            return key.withUnsafeBufferPointer { stripped($0) }
        }
    }
}

/// What a near-duplicate lookup found for one distinct key.
struct NearOutcome {
    /// The most similar indexed paragraph at or above the threshold, and the similarity.
    var match: (id: Int32, similarity: Double)?
    /// The shingle size the key is indexed with, and its distinct shingle count at that size.
    var shingleSize = 0
    var distinct = 0
    /// Whether the lookup with the other Japanese shingle size was made (`alternateShingleSize`).
    var consultedAlternate = false
    /// Candidates verified, and lookups that found a match (`DedupCounts`).
    var verified = 0
    var accepted = 0
    /// The distinct candidates of the lookup at the key's own size, and of them those sharing
    /// one band, before `singleBandCandidates` and `maxCandidates` cut them (see `extend`).
    var candidates = 0
    var singles = 0
}

/// The near-duplicate lookup of one thread: it sketches a key (character shingles, one-permutation
/// MinHash, band keys), collects the candidates its band keys share in a `NearIndex`, and verifies
/// them by their real Jaccard similarity. It holds its scratch buffers and its caches of recent
/// candidates; the index and the keys it reads are shared and not changed while it runs.
struct NearMatcher {
    let options: DedupOptions
    private let signatureLength: Int
    private let probes: [UInt16]

    // Scalars and shingle hashes live in the first `*Count` elements of their (over-sized) buffers.
    private var scalars: [UInt32] = []
    private var shingles: [UInt64] = []
    private var shingleCount = 0
    private var otherShingles: [UInt64] = []
    private var otherScalars: [UInt32] = []
    private var keyScratch: (key: [UInt8], stripped: [UInt8]) = ([], [])
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
    /// `computeSignature()`'s list of empty bins.
    private var emptyBins: [Int32]
    /// The band keys of the last key sketched (`match`: at the shingle size it is indexed with).
    private(set) var bandKeys: [UInt64]
    /// After a `match` that consulted the other Japanese shingle size: the band keys at that size.
    private(set) var alternateBandKeys: [UInt64] = []
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
    /// Near lookups of the band index, the (lookup, band) pairs that found entries, and the entries
    /// found (one per candidate and band shared): what band tables on disk would have to read.
    private(set) var bandProbes = BandProbes()

    init(options: DedupOptions) {
        self.options = options
        signatureLength = options.bands * options.rows
        signature = [UInt64](repeating: 0, count: signatureLength)
        filled = [Bool](repeating: false, count: signatureLength)
        emptyBins = [Int32](repeating: 0, count: signatureLength)
        bandKeys = [UInt64](repeating: 0, count: options.bands)
        // Bins are UInt16 in the probe table; longer signatures compute every probe.
        probes = signatureLength <= Int(UInt16.max) ? Self.densificationProbes(bins: signatureLength, seed: options.seed) : []
    }

    /// Replaces the (empty) candidate caches.
    mutating func setCandidateCaches(_ shingles: RingCache<UInt64>, _ keys: RingCache<UInt8>) {
        candidateCache = shingles
        keyCache = keys
    }

    /// The heap bytes of the candidate caches (see `RingCache`).
    var candidateCacheBytes: Int { candidateCache.bytes + keyCache.bytes }

    /// Lets go of the buffers and caches (the matcher stays usable).
    mutating func releaseBuffers() {
        candidateCache = RingCache.candidateShingles()
        keyCache = RingCache.candidateKeys()
        (setA, stamps, setB, candidates) = ([], [], [], [])
        candidateOrder = CandidateOrder()
        (shingles, otherShingles, scalars, otherScalars) = ([], [], [], [])
        keyScratch = ([], [])
    }

    /// Looks up the near duplicates of a new distinct key among those indexed.
    ///
    /// - Parameters:
    ///   - stripped: the key's UTF-8 with quote markers stripped; `characters` its scalar count.
    ///   - index: the kept paragraphs indexed so far; `keys` reads their keys.
    /// - Returns: the best match, if any, and what indexing the key needs; `bandKeys` then holds
    ///   its band keys at `outcome.shingleSize`.
    mutating func match(
        _ stripped: UnsafeBufferPointer<UInt8>, lang: Language, characters: Int, index: borrowing NearIndex, keys: borrowing StoredKeys
    ) -> NearOutcome {
        let n = shingleSize(lang: lang, characters: characters)
        let scalarCount = sketch(stripped, n: n)
        let ownDistinct = buildSetA()
        var outcome = NearOutcome(shingleSize: n, distinct: ownDistinct)
        outcome.match = bestNearCandidate(n: n, setCount: ownDistinct, index: index, keys: keys, outcome: &outcome)
        if outcome.match == nil, let other = alternateShingleSize(lang: lang, characters: characters) {
            // A Japanese key near the short/long boundary: its near duplicates on the other side
            // were indexed with the other shingle size, so look them up with that size too.
            outcome.consultedAlternate = true
            let ownKeys = bandKeys
            defer { alternateBandKeys = bandKeys; bandKeys = ownKeys }
            hashShingles(scalarCount: scalarCount, n: other)
            computeSignature()
            let otherDistinct = buildSetA()
            outcome.match = bestNearCandidate(n: other, setCount: otherDistinct, index: index, keys: keys, outcome: &outcome)
        }
        return outcome
    }

    func shingleSize(lang: Language, characters: Int) -> Int {
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

    /// Decodes `stripped` into `scalars`, hashes its n-grams into `shingles` and computes the
    /// signature and band keys. Returns the scalar count.
    mutating func sketch(_ stripped: UnsafeBufferPointer<UInt8>, n: Int) -> Int {
        let scalarCount = shingle(stripped, n: n)
        computeSignature()
        return scalarCount
    }

    /// Decodes `stripped` into `scalars` and hashes its n-grams into `shingles`. Returns the scalar count.
    private mutating func shingle(_ stripped: UnsafeBufferPointer<UInt8>, n: Int) -> Int {
        let scalarCount = Self.decodeScalars(stripped, into: &scalars)
        hashShingles(scalarCount: scalarCount, n: n)
        return scalarCount
    }

    /// Hashes the n-grams of the first `scalarCount` of `scalars` into `shingles`.
    private mutating func hashShingles(scalarCount: Int, n: Int) {
        shingleCount = scalars.withUnsafeBufferPointer {
            Self.shingleHashes(UnsafeBufferPointer(rebasing: $0[0..<scalarCount]), n: n, seed: options.seed, into: &shingles)
        }
    }

    /// One-permutation MinHash of `shingles` into `signature`, then the band keys.
    private mutating func computeSignature() {
        let k = signatureLength
        let kk = UInt64(k)
        let seed = options.seed
        signature.withUnsafeMutableBufferPointer { sig in
            emptyBins.withUnsafeMutableBufferPointer { empty in
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
                    // The empty bins, listed without a branch per bin (which bins are empty is random).
                    var emptyCount = 0
                    for i in 0..<k {
                        let isFull = sig[i] != .max
                        full[i] = isFull
                        empty[emptyCount] = Int32(truncatingIfNeeded: i)
                        emptyCount &+= isFull ? 0 : 1
                    }
                    guard emptyCount > 0, emptyCount < k else { return }
                    // Optimal densification (Shrivastava 2017): an empty bin copies the value of the
                    // first non-empty bin on its own fixed pseudo-random probe sequence (its first
                    // `densificationDepth` probes are precomputed in `probes`). The first four probes
                    // are tested together: with most bins full, one of them nearly always is.
                    let depth = probes.isEmpty ? 0 : Self.densificationDepth
                    probes.withUnsafeBufferPointer { p in
                        for e in 0..<emptyCount {
                            let i = Int(empty[e])
                            if depth >= 4 {
                                let base = i &* depth
                                let j0 = Int(p[base]), j1 = Int(p[base &+ 1]), j2 = Int(p[base &+ 2]), j3 = Int(p[base &+ 3])
                                let hits = (full[j0] ? 1 : 0) | (full[j1] ? 2 : 0) | (full[j2] ? 4 : 0) | (full[j3] ? 8 : 0)
                                if hits != 0 {
                                    sig[i] = sig[Int(p[base &+ hits.trailingZeroBitCount])]
                                    continue
                                }
                            }
                            sig[i] = sig[Self.densifiedSource(bin: i, full: UnsafeBufferPointer(full), probes: p, depth: depth, from: min(depth, 4), seed: seed)]
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

    /// The full bin an empty bin `i` copies: the first full one on its probe sequence, from probe
    /// `from` on (the precomputed ones in `probes`, then computed).
    private static func densifiedSource(
        bin i: Int, full: UnsafeBufferPointer<Bool>, probes p: UnsafeBufferPointer<UInt16>, depth: Int, from start: Int, seed: UInt64
    ) -> Int {
        for d in start..<depth {
            let j = Int(p[i &* depth &+ d])
            if full[j] { return j }
        }
        let k = full.count
        let kk = UInt64(k)
        var attempt = UInt64(depth) + 1
        while attempt <= 4 * kk {
            let j = densificationProbe(bin: i, attempt: attempt, bins: k, seed: seed)
            if full[j] { return j }
            attempt += 1
        }
        // Astronomically unlikely; fall back to the next non-empty bin.
        var j = (i + 1) % k
        while !full[j] { j = (j + 1) % k }
        return j
    }

    /// Precomputed probes per signature bin in `computeSignature()`'s densification.
    static let densificationDepth = 32

    /// The first `densificationDepth` probes of every bin's densification sequence.
    static func densificationProbes(bins k: Int, seed: UInt64) -> [UInt16] {
        var probes = [UInt16](repeating: 0, count: k * densificationDepth)
        for i in 0..<k {
            for d in 0..<densificationDepth {
                probes[i * densificationDepth + d] = UInt16(truncatingIfNeeded: densificationProbe(bin: i, attempt: UInt64(d + 1), bins: k, seed: seed))
            }
        }
        return probes
    }

    /// Probe `attempt` (from 1) of bin `i`'s densification sequence among `k` bins.
    @inline(__always)
    static func densificationProbe(bin i: Int, attempt: UInt64, bins k: Int, seed: UInt64) -> Int {
        let probe = StableHash.mix(seed ^ 0xD3A5_1F1E_0000_0000 ^ (UInt64(i) << 20) ^ attempt)
        return Int(truncatingIfNeeded: probe.multipliedFullWidth(by: UInt64(k)).high)
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
    private mutating func candidateShingles(ordinal: Int32, id c: Int32, key k: Int32, n: Int, keys: borrowing StoredKeys) -> (cached: Bool, range: Range<Int>) {
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
            var cache = keyCache
            keyCache = RingCache(slots: 1, capacity: 0, maxEntry: 0)
            defer { keyCache = cache }
            scalarCount = keys.withKey(c, key: k, scratch: &keyScratch) { key in
                _ = cache.insert(ordinal: ordinal, id: c, key)
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

    /// The most similar kept paragraph at or above the threshold (ties: lowest id). `setA` holds
    /// this paragraph's `setCount` distinct shingles of size `n`; `outcome` counts the candidates.
    private mutating func bestNearCandidate(
        n: Int, setCount: Int, index: borrowing NearIndex, keys: borrowing StoredKeys, outcome: inout NearOutcome
    ) -> (Int32, Double)? {
        var found = candidates
        candidates = []
        found.removeAll(keepingCapacity: true)
        let bandsFound = bandKeys.withUnsafeBufferPointer { index.bands.collect($0, into: &found) }
        bandProbes.add(bandsFound: bandsFound, entries: found.count)
        defer { candidates = found }
        guard !found.isEmpty else { return nil }
        // A candidate appears once per band it shares. Those sharing two or more bands come first,
        // the most shared first; those sharing one (mostly pairs far below the threshold, numerous
        // in templated text) only up to `singleBandCandidates`, the lowest ordinals.
        candidateOrder.order(&found, maxSingles: options.singleBandCandidates)
        if !outcome.consultedAlternate {
            outcome.candidates = candidateOrder.distinctCount
            outcome.singles = candidateOrder.singlesCount
        }
        let (best, verified) = verify(found, n: n, setCount: setCount, startingFrom: nil, index: index, keys: keys)
        outcome.verified += verified
        if best != nil { outcome.accepted += 1 }
        return best
    }

    /// Verifies `list` in order (at most `maxCandidates`) against `setA` (`setCount` distinct
    /// shingles of size `n`): the most similar at or above the threshold, `best` included (ties:
    /// lowest id), and how many were verified.
    private mutating func verify(
        _ list: [Int32], n: Int, setCount: Int, startingFrom best: (Int32, Double)?, index: borrowing NearIndex, keys: borrowing StoredKeys
    ) -> (best: (Int32, Double)?, verified: Int) {
        let threshold = options.threshold
        // Pruning margin: a candidate is dropped early only when its similarity is certainly below
        // threshold - 1e-9, so every pair the full computation accepts (≥ threshold - 1e-12) is kept.
        let lowered = threshold - 1e-9
        var best = best
        var verified = 0
        // Through pointers: the threads of a batch share the index, and retaining its arrays for
        // every candidate would make both bounce the arrays' reference counts between their caches.
        index.id.withUnsafeBufferPointer { indexedID in
            index.key.withUnsafeBufferPointer { indexedKey in
                index.distinct.withUnsafeBufferPointer { indexedDistinct in
                    index.shingleSize.withUnsafeBufferPointer { indexedShingleSize in
                        for ordinal in list {
                            if verified >= options.maxCandidates { break }
                            verified += 1
                            let c = indexedID[Int(ordinal)], k = indexedKey[Int(ordinal)]
                            if similarityHistogram != nil,
                               let full = fullSimilarity(id: c, key: k, n: n, setCount: setCount, keys: keys, bounded: false) {
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
                                guard let inter = intersect(ordinal: ordinal, id: c, key: k, n: n, need: need, keys: keys) else { continue }
                                let union = total - inter
                                sim = union == 0 ? 1 : Double(inter) / Double(union)
                            } else {
                                guard let s = fullSimilarity(id: c, key: k, n: n, setCount: setCount, keys: keys) else { continue }
                                sim = s
                            }
                            if sim >= threshold - 1e-12, best == nil || sim > best!.1 || (sim == best!.1 && c < best!.0) {
                                best = (c, sim)
                            }
                        }
                    }
                }
            }
        }
        return (best, verified)
    }

    /// Extends a lookup made before more paragraphs were indexed with the candidates indexed since
    /// (ordinals above all earlier ones, ascending: `sharingSeveral` bands, `sharingOne`), when
    /// the result is then exactly the one a lookup made now would give. The new candidates sharing
    /// one band come after the earlier ones of their kind, so they fill what `singleBandCandidates`
    /// leaves; it fails when the list would reach past `maxCandidates` (which candidates the cut
    /// would leave out depends on their order) or the other Japanese shingle size was consulted.
    /// Returns false (and leaves `outcome` as it is) then.
    mutating func extend(
        _ outcome: inout NearOutcome, _ stripped: UnsafeBufferPointer<UInt8>, sharingSeveral: [Int32], sharingOne: [Int32],
        index: borrowing NearIndex, keys: borrowing StoredKeys
    ) -> Bool {
        guard !outcome.consultedAlternate else { return false }
        let maxSingles = max(0, options.singleBandCandidates)
        let listed = outcome.candidates - outcome.singles + min(outcome.singles, maxSingles)
        let singlesTaken = min(sharingOne.count, max(0, maxSingles - outcome.singles))
        guard listed + sharingSeveral.count + singlesTaken <= options.maxCandidates else { return false }
        let n = outcome.shingleSize
        _ = shingle(stripped, n: n)
        let setCount = buildSetA()
        let added = sharingSeveral + sharingOne.prefix(singlesTaken)
        let (best, verified) = verify(added, n: n, setCount: setCount, startingFrom: outcome.match.map { ($0.id, $0.similarity) }, index: index, keys: keys)
        outcome.match = best.map { (id: $0.0, similarity: $0.1) }
        outcome.verified += verified
        outcome.candidates += sharingSeveral.count + sharingOne.count
        outcome.singles += sharingOne.count
        outcome.accepted = best == nil ? 0 : 1
        return true
    }

    /// The number of distinct shingles of paragraph `c` (size `n`) that are in `setA`; nil once it
    /// can no longer reach `need`.
    private mutating func intersect(ordinal: Int32, id c: Int32, key k: Int32, n: Int, need: Int, keys: borrowing StoredKeys) -> Int? {
        let current = nextStamp()
        let (cached, range) = candidateShingles(ordinal: ordinal, id: c, key: k, n: n, keys: keys)
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
    private mutating func fullSimilarity(id c: Int32, key k: Int32, n: Int, setCount: Int, keys: borrowing StoredKeys, bounded: Bool = true) -> Double? {
        var decoded = otherScalars
        otherScalars = []
        defer { otherScalars = decoded }
        // Another shingle size than the candidate was indexed with (rare): decoded afresh, not cached.
        let otherScalarCount = keys.withKey(c, key: k, scratch: &keyScratch) { Self.decodeScalars($0, into: &decoded) }
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

    // MARK: - Shingles and sets

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
}
