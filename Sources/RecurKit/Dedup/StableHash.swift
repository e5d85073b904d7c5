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
/// One 8-byte word per slot: a 32-bit tag of the key (its low bits, never 0) and the id. A mix of
/// the tag picks one of 64 segments (its top bits) and the slot in it (the bits below). Two keys
/// with equal tags in the same probe run are not told apart, so callers verify what they find
/// (exact keys are compared). Each segment is kept at most 70% full and doubles on its own, so
/// growing copies a 64th of the map at a time: the whole map doubling at once held its old and
/// new tables together (48 MB for a moment when the 4 GB benchmark archive's 1.47 million
/// distinct keys crossed 70% of 2^21 slots, at the very end of deduplication), and the memory
/// grows in 64 small steps instead of one. 11–23 bytes per entry. Iteration order depends only on
/// the order of insertions, never on a per-process seed.
struct HashIDMultiMap {
    private static let segmentBits = 6

    private struct Segment {
        var slots: [UInt64]
        /// log2 of `slots.count`.
        var bits: Int
        var count = 0
    }

    private var segments: [Segment]
    private(set) var count = 0

    /// - Parameter capacityPowerOfTwo: log2 of the slots to start with, in all segments.
    init(capacityPowerOfTwo: Int = 10) {
        let bits = max(1, capacityPowerOfTwo - Self.segmentBits)
        segments = [Segment](repeating: Segment(slots: [UInt64](repeating: 0, count: 1 << bits), bits: bits), count: 1 << Self.segmentBits)
    }

    @inline(__always) private static func tag(_ key: UInt64) -> UInt64 { (key & 0xFFFF_FFFF) | 1 }

    /// The tag mixed: its top bits choose the segment, the next ones the slot. It depends on the
    /// tag only, so that a segment can grow without the full keys.
    @inline(__always) private static func mixed(tag: UInt64) -> UInt64 { tag &* 0x9E37_79B9_7F4A_7C15 }

    @inline(__always) private static func segment(_ mixed: UInt64) -> Int { Int(truncatingIfNeeded: mixed >> UInt64(64 - segmentBits)) }

    @inline(__always) private static func slot(_ mixed: UInt64, bits: Int) -> Int {
        Int(truncatingIfNeeded: (mixed << UInt64(segmentBits)) >> UInt64(64 - bits))
    }

    var bytesUsed: Int { segments.reduce(0) { $0 + $1.slots.count * 8 } }

    mutating func insert(_ key: UInt64, _ value: Int32) {
        let t = Self.tag(key)
        let m = Self.mixed(tag: t)
        let g = Self.segment(m)
        if (segments[g].count + 1) * 10 > segments[g].slots.count * 7 { grow(g) }
        let bits = segments[g].bits
        let mask = (1 << bits) - 1
        var i = Self.slot(m, bits: bits)
        segments[g].slots.withUnsafeMutableBufferPointer { s in
            while s[i] != 0 { i = (i + 1) & mask }
            s[i] = t << 32 | UInt64(UInt32(bitPattern: value))
        }
        segments[g].count += 1
        count += 1
    }

    /// Where `next(_:_:)` starts looking for `key`'s values: its segment and slot in one cursor.
    @inline(__always)
    func firstSlot(_ key: UInt64) -> Int {
        let m = Self.mixed(tag: Self.tag(key))
        let g = Self.segment(m)
        return g << 32 | Self.slot(m, bits: segments[g].bits)
    }

    /// The next value whose tag equals `key`'s, scanning from the cursor `slot` (advanced past
    /// it); nil at the end of the probe run.
    @inline(__always)
    func next(_ key: UInt64, _ slot: inout Int) -> Int32? {
        let t = Self.tag(key)
        let g = slot >> 32
        var i = slot & 0xFFFF_FFFF
        let mask = segments[g].slots.count - 1
        defer { slot = g << 32 | i }
        return segments[g].slots.withUnsafeBufferPointer { s in
            while s[i] != 0 {
                let word = s[i]
                i = (i + 1) & mask
                if word >> 32 == t { return Int32(bitPattern: UInt32(truncatingIfNeeded: word)) }
            }
            return nil
        }
    }

    /// Doubles segment `g`.
    private mutating func grow(_ g: Int) {
        let old = segments[g].slots
        segments[g].slots = []
        let bits = segments[g].bits + 1
        precondition(bits <= 32, "exact-match segments of 2^32 slots are full")
        let mask = (1 << bits) - 1
        var slots = [UInt64](repeating: 0, count: 1 << bits)
        // Re-inserted in old slot order: deterministic. Equal tags may change their relative order
        // across the wrap-around at the segment's end; what a caller finds does not depend on it.
        slots.withUnsafeMutableBufferPointer { s in
            for word in old where word != 0 {
                var i = Self.slot(Self.mixed(tag: word >> 32), bits: bits)
                while s[i] != 0 { i = (i + 1) & mask }
                s[i] = word
            }
        }
        segments[g].slots = slots
        segments[g].bits = bits
    }
}
