@_spi(Benchmarks) @testable import RecurKit
import Testing

@Suite("LSH band index (BandIndex): five-byte slots, exact tag matching")
struct BandIndexTests {
    /// What a lookup must find: per band, the values inserted under a key with the same 32-bit tag
    /// (the key's low 32 bits with the lowest set), sorted.
    struct Reference {
        var byTag: [[UInt32: [Int32]]]
        init(bands: Int) { byTag = Array(repeating: [:], count: bands) }
        static func tag(_ key: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: key) | 1 }
        mutating func insert(_ keys: [UInt64], _ value: Int32) {
            for (b, key) in keys.enumerated() { byTag[b][Self.tag(key), default: []].append(value) }
        }
        func lookup(_ keys: [UInt64]) -> [[Int32]] {
            keys.enumerated().map { b, key in (byTag[b][Self.tag(key)] ?? []).sorted() }
        }
    }

    /// Looks `keys` up band by band (one band's key at a time, the others absent), sorted per band.
    static func lookup(_ index: BandIndex, _ keys: [UInt64], absent: UInt64) -> [[Int32]] {
        (0..<keys.count).map { b in
            var probe = [UInt64](repeating: absent, count: keys.count)
            probe[b] = keys[b]
            var out: [Int32] = []
            _ = probe.withUnsafeBufferPointer { index.collect($0, into: &out) }
            return out.sorted()
        }
    }

    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return StableHash.mix(state)
        }
        mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    @Test("finds exactly the values stored under the same tag, across growth, spills to disk and long runs of one key",
          arguments: [(1, 3_000, 30), (2, 40_000, 30), (5, 1_500, 30), (3, 5_000, 5), (4, 40_000, 9), (6, 3_000, 4)])
    func matchesReference(seed: UInt64, entries: Int, residentBits: Int) {
        let bands = 3
        var g = Generator(state: seed)
        var index = BandIndex(bands: bands, capacityPowerOfTwo: 4, residentPowerOfTwo: residentBits)
        var reference = Reference(bands: bands)
        // A pool of keys, some reused often: band 0 repeats one key 600 times (a run longer than
        // 255 slots), and keys that differ only above bit 31 or in bit 0 share a tag.
        let pool = (0..<max(8, entries / 6)).map { _ in g.next() }
        var inserted: [[UInt64]] = []
        for value in 0..<entries {
            var keys: [UInt64] = []
            for b in 0..<bands {
                var key: UInt64
                switch g.next(10) {
                case 0: key = pool[g.next(min(pool.count, 7))]
                case 1, 2, 3: key = pool[g.next(pool.count)]
                default: key = g.next()
                }
                if b == 0 && value % 2 == 1 && value / 2 < 600 { key = 0xABCD_EF01_2345_6789 }
                if g.next(8) == 0 { key ^= UInt64(g.next(1 << 20)) << 32 }  // the same tag
                if g.next(8) == 0 { key ^= 1 }                               // the same tag
                keys.append(key)
            }
            keys.withUnsafeBufferPointer { index.insert($0, Int32(value)) }
            reference.insert(keys, Int32(value))
            inserted.append(keys)
            // Now and then, look up what was inserted and keys never inserted.
            if value % 97 == 0 || value == entries - 1 {
                for keys in [inserted[g.next(inserted.count)], (0..<bands).map { _ in g.next() }] {
                    let absent = UInt64(0x5555_0000_0000_0000)  // tag 1: never inserted below
                    #expect(Self.lookup(index, keys, absent: absent) == reference.lookup(keys), "after \(value + 1) entries")
                }
            }
        }
        #expect(index.count == entries)
        // Spilled (to runs merged two by two, so at most one per bit of the spill count) or not at all.
        let spillSize = (1 << max(4, residentBits)) * 4 / 5
        #expect(residentBits >= 30 ? index.spills.runs == 0 : (1...(entries / spillSize).bitWidth).contains(index.spills.runs))
        let long = Self.lookup(index, [0xABCD_EF01_2345_6789, 0, 0], absent: 0x5555_0000_0000_0000)[0]
        #expect(long.count >= 600)
        #expect(long == reference.lookup([0xABCD_EF01_2345_6789, 0, 0])[0])
    }

    @Test("slot distances of two bytes, and those of 65,535 or more kept apart, read back as recorded")
    func slotDistances() {
        var distances = SlotDistances(capacity: 5000)
        let recorded = [(0, 255), (1, 256), (1023, 65_534), (1024, 65_535), (1025, 65_536), (4097, 1 << 24), (4999, 300)]
        for (slot, distance) in recorded { distances.insert(slot: slot, distance: distance) }
        for (slot, distance) in recorded { #expect(distances.distance(at: slot) == distance, "slot \(slot)") }
        // Pages of 1,024 two-byte slots where a distance was recorded (slots 0–1023, 1024–2047,
        // 4096–5119), their table, and the three far distances.
        #expect(distances.bytes == 3 * 1024 * 2 + 5 * 8 + 3 * 32)
    }

    /// A key whose mixed tag (`BandIndex.mixedTag`) is `m`: the mix undone step by step.
    static func key(mixed m: UInt32) -> UInt64 {
        func unshift(_ y: UInt32, _ s: UInt32) -> UInt32 {
            var x = y
            for _ in 0..<(31 / s + 1) { x = y ^ (x >> s) }
            return x
        }
        func inverse(_ c: UInt32) -> UInt32 {
            var i = c
            for _ in 0..<5 { i = i &* (2 &- c &* i) }
            return i & 0x7FFF_FFFF
        }
        var x = unshift(m, 13)
        x = x &* inverse(0x2C1B_3C6D) & 0x7FFF_FFFF
        x = unshift(x, 15)
        x = x &* inverse(0x9E37_79B1) & 0x7FFF_FFFF
        return UInt64(x) << 1 | 1
    }

    @Test("keys with the same remainder and different home slots do not match")
    func homeSlotIsPartOfTheTag() {
        // 16 slots: the top 4 of the 31 mixed bits choose the home slot, the other 27 are stored.
        let remainder: UInt32 = 0x2AB_CDEF
        let a = Self.key(mixed: 3 << 27 | remainder), b = Self.key(mixed: 4 << 27 | remainder)
        #expect(BandIndex.mixedTag(a) == 3 << 27 | remainder && BandIndex.mixedTag(b) == 4 << 27 | remainder)
        var index = BandIndex(bands: 1, capacityPowerOfTwo: 4)
        // a in slot 3, b in slot 4; then three more under a's home, past b (slots 5, 6, 7).
        let others = (1...3).map { Self.key(mixed: 3 << 27 | remainder ^ UInt32($0)) }
        for (value, key) in ([a, b] + others).enumerated() { [key].withUnsafeBufferPointer { index.insert($0, Int32(value)) } }
        func find(_ key: UInt64) -> [Int32] {
            var out: [Int32] = []
            _ = [key].withUnsafeBufferPointer { index.collect($0, into: &out) }
            return out
        }
        #expect(find(a) == [0])
        #expect(find(b) == [1])
        #expect(find(others[2]) == [4])
        #expect(find(Self.key(mixed: 5 << 27 | remainder)).isEmpty)
    }

    @Test("a lookup with every band collects band by band")
    func collectsBandByBand() {
        var index = BandIndex(bands: 2)
        for value in 0..<50 {
            [UInt64(value % 5) << 1, UInt64(value % 3) << 1 | 0x100].withUnsafeBufferPointer { index.insert($0, Int32(value)) }
        }
        var out: [Int32] = []
        let bands = [UInt64(4) << 1, UInt64(1) << 1 | 0x100].withUnsafeBufferPointer { index.collect($0, into: &out) }
        #expect(bands == 2)
        #expect(out.count == 10 + 17)
        #expect(out.prefix(10).sorted() == (0..<50).filter { $0 % 5 == 4 }.map(Int32.init))
        #expect(out.suffix(17).sorted() == (0..<50).filter { $0 % 3 == 1 }.map(Int32.init))
    }

    @Test("a lookup reports the bands in which it found entries")
    func bandsWithEntries() {
        var index = BandIndex(bands: 3)
        [UInt64(2), UInt64(4), UInt64(6)].withUnsafeBufferPointer { index.insert($0, 0) }
        var out: [Int32] = []
        // The first band's key is stored, the second's is not, the third's is.
        let bands = [UInt64(2), UInt64(8), UInt64(6)].withUnsafeBufferPointer { index.collect($0, into: &out) }
        #expect(bands == 2 && out == [0, 0])
        out = []
        #expect([UInt64(10), UInt64(12), UInt64(14)].withUnsafeBufferPointer { index.collect($0, into: &out) } == 0 && out.isEmpty)
    }

    @Test("entries on disk leave about 1.3 bytes each in memory, and the tables stay at their size")
    func spilledMemory() {
        var memory = BandIndex(bands: 20, capacityPowerOfTwo: 4, residentPowerOfTwo: 30)
        var spilling = BandIndex(bands: 20, capacityPowerOfTwo: 4, residentPowerOfTwo: 10)
        var g = Generator(state: 9)
        for value in 0..<50_000 {
            let keys = (0..<20).map { _ in g.next() }
            keys.withUnsafeBufferPointer {
                memory.insert($0, Int32(value))
                spilling.insert($0, Int32(value))
            }
        }
        #expect(memory.slotBytes == 20 * (1 << 16) * 5 && spilling.slotBytes == 20 * 1024 * 5)
        #expect(spilling.spills.runs >= 1 && spilling.spills.fileBytes >= 49_000 * 20 * 8)
        let runBytes = spilling.bytesUsed - spilling.slotBytes
        #expect(runBytes > 49_000 * 20 && runBytes < 50_000 * 20 * 3 / 2, "\(runBytes) bytes for the runs")
    }

    @Test("when its file cannot be made, the index grows in memory and finds the same")
    func spillFileMissing() {
        var index = BandIndex(bands: 2, capacityPowerOfTwo: 4, residentPowerOfTwo: 4, folder: "/nonexistent-recur-folder")
        var reference = Reference(bands: 2)
        var g = Generator(state: 11)
        var inserted: [[UInt64]] = []
        for value in 0..<2_000 {
            let keys = [1000 + g.next() % 64, g.next()]
            keys.withUnsafeBufferPointer { index.insert($0, Int32(value)) }
            reference.insert(keys, Int32(value))
            inserted.append(keys)
        }
        #expect(index.spills.runs == 0 && index.slotBytes == 2 * 4096 * 5)
        for keys in inserted.prefix(200) { #expect(Self.lookup(index, keys, absent: 0x5555_0000_0000_0000) == reference.lookup(keys)) }
    }

    @Test("bucket bits: buckets of 8 to 16 entries, 8 tag bits left for the fingerprint")
    func bucketBits() {
        #expect(BandRuns.bucketBits(count: 0) == 0 && BandRuns.bucketBits(count: 15) == 0)
        #expect(BandRuns.bucketBits(count: 16) == 1 && BandRuns.bucketBits(count: 209_715) == 14)
        #expect(BandRuns.bucketBits(count: 1 << 40) == 23)
        // The fingerprint is the 8 bits right under the bucket's.
        let mixed: UInt32 = 0b101_1010_0111 << 20
        #expect(BandRuns.bucket(mixed, bits: 3) == 0b101 && BandRuns.fingerprint(mixed, bits: 3) == 0b1010_0111)
    }

    @Test("five bytes a slot, at most 80% full")
    func slotSize() {
        var index = BandIndex(bands: 20, capacityPowerOfTwo: 10)
        #expect(index.slotBytes == 20 * 1024 * 5 && index.bytesUsed < index.slotBytes + 20 * 64)  // no overflow pages
        let keys = [UInt64](repeating: 7, count: 20)
        for value in 0..<820 { keys.withUnsafeBufferPointer { index.insert($0, Int32(value)) } }
        #expect(index.slotBytes == 20 * 2048 * 5)
        #expect(index.bytesUsed >= index.slotBytes + 20 * 4096)  // a run of 820 per band: distances of 255 and more, a page each
    }
}

@Suite("The exact-match multimap (HashIDMultiMap)")
struct HashIDMultiMapTests {
    @Test("every key finds exactly the values stored under its 32-bit tag, as its segments grow", arguments: [1, 300, 5000, 120_000])
    func findsByTag(count: Int) {
        var map = HashIDMultiMap(capacityPowerOfTwo: 12)
        var byTag: [UInt64: [Int32]] = [:]
        var keys: [UInt64] = []
        var state = UInt64(count) &* 0x9E37_79B9
        for value in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Every 7th key shares its low 32 bits (its tag) with an earlier one: the map cannot
            // tell them apart and must give both.
            let key = value % 7 == 6 ? (state & 0xFFFF_FFFF_0000_0000) | (keys[value / 2] & 0xFFFF_FFFF) : state
            keys.append(key)
            map.insert(key, Int32(value))
            byTag[(key & 0xFFFF_FFFF) | 1, default: []].append(Int32(value))
        }
        #expect(map.count == count)
        func found(_ key: UInt64) -> [Int32] {
            var slot = map.firstSlot(key)
            var values: [Int32] = []
            while let v = map.next(key, &slot) { values.append(v) }
            return values.sorted()
        }
        for key in keys { #expect(found(key) == byTag[(key & 0xFFFF_FFFF) | 1]!.sorted()) }
        // Keys never inserted find what shares their tag: nothing, almost always.
        for i in 0..<1000 {
            let key = StableHash.mix(UInt64(i) &+ 0xABCD_0000_0000)
            #expect(found(key) == (byTag[(key & 0xFFFF_FFFF) | 1] ?? []).sorted())
        }
        // At most 70% full, and no more than twice that in slots (plus the 64 starting segments).
        let bytes = map.bytesUsed
        #expect(Double(bytes) >= Double(count) * 8 / 0.7)
        #expect(Double(bytes) <= 2 * Double(count) * 8 / 0.7 + 64 * 128 * 8)
    }
}
