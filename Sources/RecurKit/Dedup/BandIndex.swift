/// The LSH index: one open-addressing table per band from 32-bit band hashes to 32-bit values
/// (linear probing, no deletion).
///
/// One 8-byte word per slot: a 32-bit tag of the band key (its low bits, never 0) and the value;
/// the slot comes from the tag. A key matches the values stored under the same band with the same
/// tag; callers verify what they find. Every insertion adds one entry to each band, so the tables
/// always hold the same number of entries and grow together, one after the other: while growing,
/// only one band's old and new tables exist at once (one shared table would need its old and new
/// copies, three times the index, at the moment it doubles). Kept at most 80% full. Iteration
/// order depends only on the order of insertions, never on a per-process seed.
@_spi(Benchmarks) public struct BandIndex {
    private var tables: [[UInt64]]
    private var shift: UInt64
    /// Entries per band.
    private(set) var count = 0
    private var capacity: Int

    @_spi(Benchmarks) public init(bands: Int, capacityPowerOfTwo: Int = 10) {
        capacity = 1 << capacityPowerOfTwo
        tables = [[UInt64]](repeating: [], count: bands)
        for b in 0..<bands { tables[b] = [UInt64](repeating: 0, count: capacity) }
        shift = UInt64(64 - capacityPowerOfTwo)
    }

    var bands: Int { tables.count }

    var bytesUsed: Int { tables.count * capacity * 8 }

    @inline(__always) private static func tag(_ key: UInt64) -> UInt64 { (key & 0xFFFF_FFFF) | 1 }

    @inline(__always) private static func slot(tag: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (tag &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Inserts `value` under `keys[b]` in band `b`, for every band (`keys.count == bands`).
    @_spi(Benchmarks) public mutating func insert(_ keys: UnsafeBufferPointer<UInt64>, _ value: Int32) {
        precondition(keys.count == tables.count)
        if (count + 1) * 5 > capacity * 4 { grow() }
        let mask = capacity - 1
        let shift = self.shift
        for b in 0..<keys.count {
            let t = Self.tag(keys[b])
            let word = t << 32 | UInt64(UInt32(bitPattern: value))
            var i = Self.slot(tag: t, shift)
            tables[b].withUnsafeMutableBufferPointer { s in
                while s[i] != 0 { i = (i + 1) & mask }
                s[i] = word
            }
        }
        count += 1
    }

    /// Appends the values stored under `keys[b]` in band `b`, for every band, to `out` (band by
    /// band). The first slot of every band is read before any run is scanned, so that the cache
    /// misses of large tables overlap.
    @_spi(Benchmarks) public func collect(_ keys: UnsafeBufferPointer<UInt64>, into out: inout [Int32]) {
        let mask = capacity - 1
        let shift = self.shift
        let bands = min(keys.count, tables.count)
        tables.withUnsafeBufferPointer { ts in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: bands) { first in
                for b in 0..<bands {
                    first[b] = ts[b].withUnsafeBufferPointer { $0[Self.slot(tag: Self.tag(keys[b]), shift)] }
                }
                for b in 0..<bands where first[b] != 0 {
                    let t = Self.tag(keys[b])
                    ts[b].withUnsafeBufferPointer { s in
                        var i = Self.slot(tag: t, shift)
                        while s[i] != 0 {
                            if s[i] >> 32 == t { out.append(Int32(bitPattern: UInt32(truncatingIfNeeded: s[i]))) }
                            i = (i + 1) & mask
                        }
                    }
                }
            }
        }
    }

    /// Doubles every band's table, one band at a time.
    private mutating func grow() {
        let newCapacity = capacity * 2
        let newShift = shift - 1
        let mask = newCapacity - 1
        for b in 0..<tables.count {
            let old = tables[b]
            tables[b] = []
            var slots = [UInt64](repeating: 0, count: newCapacity)
            // Re-inserted in old slot order: deterministic. Equal tags may change their relative
            // order across the wrap-around at the table's end; callers sort what they collect.
            slots.withUnsafeMutableBufferPointer { s in
                for word in old where word != 0 {
                    var i = Self.slot(tag: word >> 32, newShift)
                    while s[i] != 0 { i = (i + 1) & mask }
                    s[i] = word
                }
            }
            tables[b] = slots
        }
        capacity = newCapacity
        shift = newShift
    }
}
