/// Deterministic 64-bit hashing for deduplication.
///
/// Swift's `Hasher` is seeded randomly per process, so nothing that must be the same from run to
/// run (exact-match keys, MinHash values, LSH band keys) may use it. These functions are fixed.
public enum StableHash {
    @usableFromInline static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let p3: UInt64 = 0x1656_67B1_9E37_79F9

    /// MurmurHash3's 64-bit finalizer: a bijection that spreads every input bit over the output.
    @inlinable @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var x = x
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }

    @inlinable @inline(__always)
    static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    /// An xxHash64-style hash of bytes, 8 bytes per round (one lane; the keys are short).
    public static func hash64(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let n = bytes.count
        var h = seed &+ p3 &+ UInt64(truncatingIfNeeded: n) &* p1
        var i = 0
        while i + 8 <= n {
            let w = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            h = rotl(h ^ rotl(w &* p2, 31) &* p1, 27) &* p1 &+ p3
            i += 8
        }
        if i < n {
            var t: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                t |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            h = rotl(h ^ rotl(t &* p2, 31) &* p1, 27) &* p1 &+ p3
        }
        return mix(h)
    }

    /// `hash64` of a string's UTF-8 bytes.
    public static func hash64(_ string: String, seed: UInt64 = 0) -> UInt64 {
        var s = string
        return s.withUTF8 { hash64(UnsafeRawBufferPointer($0), seed: seed) }
    }

    /// FNV-1a, 64-bit (kept for callers that want the classic, byte-at-a-time hash).
    public static func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }
}

/// An open-addressing multimap from 64-bit hash keys to 32-bit ids (linear probing, no deletion).
///
/// One 8-byte word per slot: a 32-bit tag of the key (its low bits, never 0) and the id; the slot
/// comes from the key's high bits. Two keys with equal tags in the same probe run are not told
/// apart, so callers verify what they find (exact keys are compared, LSH candidates are verified
/// by their Jaccard similarity). Kept at most 70% full: 11–23 bytes per entry. Iteration order
/// depends only on the order of insertions, never on a per-process seed.
struct HashIDMultiMap {
    private var slots: [UInt64]
    private var shift: UInt64
    private(set) var count = 0

    init(capacityPowerOfTwo: Int = 10) {
        slots = [UInt64](repeating: 0, count: 1 << capacityPowerOfTwo)
        shift = UInt64(64 - capacityPowerOfTwo)
    }

    @inline(__always) private static func tag(_ key: UInt64) -> UInt64 { (key & 0xFFFF_FFFF) | 1 }

    /// The slot depends on the tag only, so that the table can grow without the full keys.
    @inline(__always) private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (tag(key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always) private static func slot(tag: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (tag &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    var bytesUsed: Int { slots.count * 8 }

    mutating func insert(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 10 > slots.count * 7 { grow() }
        let word = Self.tag(key) << 32 | UInt64(UInt32(bitPattern: value))
        let mask = slots.count - 1
        var i = Self.slot(key, shift)
        slots.withUnsafeMutableBufferPointer { s in
            while s[i] != 0 { i = (i + 1) & mask }
            s[i] = word
        }
        count += 1
    }

    /// Where `next(_:_:)` starts looking for `key`'s values.
    @inline(__always)
    func firstSlot(_ key: UInt64) -> Int { Self.slot(key, shift) }

    /// The next value whose tag equals `key`'s, scanning from `slot` (advanced past it); nil at
    /// the end of the probe run.
    @inline(__always)
    func next(_ key: UInt64, _ slot: inout Int) -> Int32? {
        let t = Self.tag(key)
        let mask = slots.count - 1
        return slots.withUnsafeBufferPointer { s in
            while s[slot] != 0 {
                let word = s[slot]
                slot = (slot + 1) & mask
                if word >> 32 == t { return Int32(bitPattern: UInt32(truncatingIfNeeded: word)) }
            }
            return nil
        }
    }

    /// Appends the values of all `keys` to `out` (in key order). The first slot of every key is
    /// read before any run is scanned, so that the cache misses of a large table overlap.
    func collect(_ keys: UnsafeBufferPointer<UInt64>, into out: inout [Int32]) {
        let mask = slots.count - 1
        let shift = self.shift
        slots.withUnsafeBufferPointer { s in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: keys.count) { first in
                for (b, key) in keys.enumerated() { first[b] = s[Self.slot(key, shift)] }
                for (b, key) in keys.enumerated() where first[b] != 0 {
                    let t = Self.tag(key)
                    var i = Self.slot(key, shift)
                    while s[i] != 0 {
                        if s[i] >> 32 == t { out.append(Int32(bitPattern: UInt32(truncatingIfNeeded: s[i]))) }
                        i = (i + 1) & mask
                    }
                }
            }
        }
    }

    private mutating func grow() {
        let old = slots
        let newSize = slots.count * 2
        slots = [UInt64](repeating: 0, count: newSize)
        shift -= 1
        let mask = newSize - 1
        let shift = self.shift
        // Re-inserted in old slot order: deterministic. Equal tags may change their relative order
        // across the wrap-around at the table's end; callers sort what they collect.
        slots.withUnsafeMutableBufferPointer { s in
            for word in old where word != 0 {
                var i = Self.slot(tag: word >> 32, shift)
                while s[i] != 0 { i = (i + 1) & mask }
                s[i] = word
            }
        }
    }
}
