@testable import RecurKit
import Testing

@Suite("Ring caches of candidates (shingle hashes, keys) and candidate sorting")
struct RingCacheTests {
    /// `count` distinct hashes derived from `id`.
    static func hashes(_ id: Int32, _ count: Int) -> [UInt64] {
        (0..<count).map { StableHash.mix(UInt64(UInt32(bitPattern: id)) << 20 | UInt64($0)) }
    }

    @Test("a cached entry of hashes reads back as inserted; a colliding slot or an overwritten ring reads as empty")
    func hashesReadBackAndForget() {
        Self.readsBackAndForgets(RingCache.candidateShingles(), perEntry: 1000) { ordinal, count in Self.hashes(ordinal, count) }
    }

    @Test("a cached key reads back as inserted; a colliding slot or an overwritten ring reads as empty")
    func keysReadBackAndForget() {
        // The ring logic is the hashes' one; a 2 MB ring keeps the test quick.
        #expect(RingCache.candidateKeys().maxEntry == 4096)
        Self.readsBackAndForgets(RingCache<UInt8>(slots: 65536, capacity: 2 << 20, maxEntry: 4096), perEntry: 3000) { ordinal, count in
            Self.hashes(ordinal, count).map { UInt8(truncatingIfNeeded: $0) }
        }
    }

    static func readsBackAndForgets<Element: BitwiseCopyable & ExpressibleByIntegerLiteral & Equatable>(
        _ empty: RingCache<Element>, perEntry: Int, entry: (Int32, Int) -> [Element]
    ) {
        var cache = empty
        #expect(cache.lookup(ordinal: 3, id: 30) == nil)
        let first = entry(30, 100)
        let range = first.withUnsafeBufferPointer { cache.insert(ordinal: 3, id: 30, $0) }
        #expect(range == 0..<100)
        #expect(cache.lookup(ordinal: 3, id: 30) == range)
        #expect(Array(cache.ring[range!]) == first)
        // Another id in the slot: not a hit.
        #expect(cache.lookup(ordinal: 3, id: 31) == nil)
        // Same slot (ordinals a slot count apart): the new entry replaces the old one.
        let slotMate = Int32(3 + cache.slots)
        let second = entry(slotMate, 50)
        _ = second.withUnsafeBufferPointer { cache.insert(ordinal: slotMate, id: slotMate, $0) }
        #expect(cache.lookup(ordinal: 3, id: 30) == nil)
        #expect(cache.lookup(ordinal: slotMate, id: slotMate).map { Array(cache.ring[$0]) } == second)

        // Too long to cache.
        let long = entry(7, cache.maxEntry + 1)
        #expect(long.withUnsafeBufferPointer { cache.insert(ordinal: 7, id: 7, $0) } == nil)
        #expect(cache.lookup(ordinal: 7, id: 7) == nil)

        // Fill past one lap of the ring: the early entries are overwritten and miss, the recent ones
        // hit with their own elements, and no entry straddles the ring's end.
        let entries = cache.capacity / perEntry + 200
        var ranges: [Int32: Range<Int>] = [:]
        for i in 0..<entries {
            let ordinal = Int32(100 + i)
            let r = entry(ordinal, perEntry).withUnsafeBufferPointer { cache.insert(ordinal: ordinal, id: ordinal, $0) }
            #expect(r!.upperBound <= cache.capacity)
            ranges[ordinal] = r
        }
        #expect(cache.lookup(ordinal: 100, id: 100) == nil)
        #expect(cache.lookup(ordinal: slotMate, id: slotMate) == nil)
        var hits = 0
        let recent = min(1000, cache.capacity / perEntry - 1)
        for i in entries - recent..<entries {
            let ordinal = Int32(100 + i)
            if let r = cache.lookup(ordinal: ordinal, id: ordinal) {
                hits += 1
                #expect(r == ranges[ordinal])
                #expect(Array(cache.ring[r]) == entry(ordinal, perEntry))
            }
        }
        #expect(hits == recent)
        #expect(cache.bytes <= cache.capacity * MemoryLayout<Element>.stride + cache.slots * 16)
    }

    @Test("candidate ordinals sort like the standard library's sort", arguments: [0, 1, 2, 31, 32, 33, 64, 65, 200, 5000])
    func sortsCandidates(count: Int) {
        var state: UInt64 = UInt64(count) &+ 1
        var values: [Int32] = (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Few distinct values: many repeats, as band lookups give.
            return Int32((state >> 33) % UInt64(max(1, count / 3)))
        }
        let expected = values.sorted()
        CandidateOrder.sortAscending(&values)
        #expect(values == expected)
        var descending = expected.reversed() as [Int32]
        CandidateOrder.sortAscending(&descending)
        #expect(descending == expected)
    }
}

@Suite("Candidate verification order (CandidateOrder)")
struct CandidateOrderTests {
    /// The order by sorting: values found twice or more, most often found first (counted up to
    /// 255), ties ascending; then the first `maxSingles` found once, ascending.
    static func reference(_ found: [Int32], maxSingles: Int) -> [Int32] {
        let sorted = found.sorted()
        var multi: [(value: Int32, times: Int)] = [], singles: [Int32] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j < sorted.count && sorted[j] == sorted[i] { j += 1 }
            if j - i >= 2 { multi.append((sorted[i], min(255, j - i))) } else if singles.count < maxSingles { singles.append(sorted[i]) }
            i = j
        }
        multi.sort { $0.times != $1.times ? $0.times > $1.times : $0.value < $1.value }
        return multi.map(\.value) + singles
    }

    @Test("gives the sorting order, lookup after lookup with one reused table", arguments: [0, 1, 8, 40])
    func matchesSorting(maxSingles: Int) {
        var order = CandidateOrder()
        var state: UInt64 = UInt64(maxSingles) &+ 11
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for lookup in 0..<400 {
            // From empty to a few thousand values (tables grow), over a narrow or a wide range of
            // ordinals; one narrow range is found more than 255 times per ordinal.
            let count = lookup % 50 == 49 ? 3000 + next(2000) : next(120)
            let range = lookup == 199 ? 8 : lookup % 3 == 0 ? 40 : 1_000_000
            var found = (0..<count).map { _ in Int32(next(range)) }
            let expected = Self.reference(found, maxSingles: maxSingles)
            order.order(&found, maxSingles: maxSingles)
            #expect(found == expected, "lookup \(lookup)")
        }
    }
}

@Suite("Shingle hashes")
struct ShingleHashTests {
    /// The shingle hash as specified: an FNV-style fold of the window's scalars from a seed-and-size
    /// base, then `StableHash.mix`; written here independently of the matcher's loop.
    static func reference(_ scalars: [UInt32], n: Int, seed: UInt64) -> [UInt64] {
        guard !scalars.isEmpty else { return [] }
        let n = min(n, scalars.count)
        return (0...(scalars.count - n)).map { i in
            var h = seed ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
            for s in scalars[i..<i + n] { h = (h ^ UInt64(s)) &* 0x0000_0100_0000_01B3 &+ 0x5851_F42D_4C95_7F2D }
            return StableHash.mix(h)
        }
    }

    @Test("every window's hash is the specified fold, for the default sizes (3, 5) and the others",
          arguments: [1, 2, 3, 4, 5, 6, 9])
    func matchesReference(n: Int) {
        var state: UInt64 = UInt64(n) &* 977
        for length in [0, 1, 2, 3, 4, 5, 6, 17, 300] {
            let scalars: [UInt32] = (0..<length).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt32(truncatingIfNeeded: state >> 40) % 0x3_0000
            }
            var out: [UInt64] = []
            let count = scalars.withUnsafeBufferPointer { NearMatcher.shingleHashes($0, n: n, seed: 0x5EED, into: &out) }
            #expect(Array(out.prefix(count)) == Self.reference(scalars, n: n, seed: 0x5EED), "n \(n), length \(length)")
        }
    }
}

@Suite("MinHash sketch: one permutation, optimal densification, band keys")
struct SketchTests {
    /// The band keys as specified, written here independently of the matcher's loops: each shingle
    /// hash goes to bin ⌊h · k / 2^64⌋ and a bin keeps its minimum; an empty bin `i` copies the first
    /// full bin on its probe sequence (probe `a` = ⌊mix(seed ^ 0xD3A5_1F1E_0000_0000 ^ i << 20 ^ a) · k / 2^64⌋,
    /// a = 1, 2, ..., 4k, then the next full bin); band `b` folds its `rows` values from `seed + (b + 1) · φ`, then `mix`.
    static func reference(_ text: String, n: Int, options: DedupOptions) -> [UInt64] {
        let k = options.bands * options.rows
        let kk = UInt64(k)
        let hashes = ShingleHashTests.reference(text.unicodeScalars.map(\.value), n: n, seed: options.seed)
        var bins = [UInt64?](repeating: nil, count: k)
        for h in hashes {
            let bin = Int(h.multipliedFullWidth(by: kk).high)
            bins[bin] = min(bins[bin] ?? .max, h)
        }
        var signature = [UInt64](repeating: 0, count: k)
        for i in 0..<k {
            if let v = bins[i] { signature[i] = v; continue }
            var attempt: UInt64 = 1
            while attempt <= 4 * kk {
                let j = Int(StableHash.mix(options.seed ^ 0xD3A5_1F1E_0000_0000 ^ (UInt64(i) << 20) ^ attempt).multipliedFullWidth(by: kk).high)
                if let v = bins[j] { signature[i] = v; break }
                attempt += 1
            }
            // After 4k probes in vain (a key of one or two shingles): the next full bin.
            if attempt > 4 * kk { signature[i] = (1...k).lazy.compactMap { bins[(i + $0) % k] }.first! }
        }
        return (0..<options.bands).map { b in
            var h = options.seed &+ UInt64(b + 1) &* 0x9E37_79B9_7F4A_7C15
            for r in 0..<options.rows {
                h = (h ^ signature[b * options.rows + r]) &* 0xC2B2_AE3D_27D4_EB4F
                h = (h << 29) | (h >> 35)
            }
            return StableHash.mix(h)
        }
    }

    /// Keys from 1 to 400 characters: few shingles leave most of the 120 bins empty (probes past
    /// the first four, and past the precomputed 32), many leave few.
    @Test("band keys are those of the specified sketch, for keys short and long", arguments: [1, 2, 5, 20, 60, 119, 120, 400])
    func matchesReference(length: Int) {
        let options = DedupOptions()
        var matcher = NearMatcher(options: options)
        let alphabet = Array("абвгдежзиклмнопрстуфхцчшщыэюяäöåあいうえおかきくけこ ")
        var state = UInt64(length) &* 7919
        for round in 0..<5 {
            let text = String((0..<length).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return alphabet[Int(state >> 33) % alphabet.count]
            })
            let utf8 = Array(text.utf8)
            _ = utf8.withUnsafeBufferPointer { matcher.sketch($0, n: options.shingleSize) }
            #expect(matcher.bandKeys == Self.reference(text, n: options.shingleSize, options: options), "length \(length), round \(round)")
        }
    }
}
