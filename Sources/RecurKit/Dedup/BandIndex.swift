/// The LSH index: one open-addressing table per band from band keys to 32-bit values (linear
/// probing, no deletion), five bytes a slot.
///
/// A key is known by its 32-bit tag (its low bits, the lowest forced to 1: 31 bits of it). A
/// bijective mix of the tag gives the home slot (the mix's top bits) and a remainder (the rest).
/// A slot holds, in four bytes, the remainder above `value + 1`, and in a fifth its distance from
/// its home slot (255: the distance is in the band's `SlotDistances`, for long runs of one key), so
/// home and remainder give back the whole tag.
///
/// A key matches the values stored under the same band with the same tag, exactly as with
/// eight-byte slots holding tag and value, in 5/8 of the memory; callers verify what they find.
///
/// Every insertion adds one entry to each band, so the tables always hold the same number of
/// entries and grow together, one after the other: while growing, only one band's old and new
/// tables exist at once (one shared table would need its old and new copies, three times the
/// index, at the moment it doubles). Kept at most 80% full. Iteration order depends only on the
/// order of insertions, never on a per-process seed.
///
/// The tables grow up to 2^`residentPowerOfTwo` slots a band. When those are 80 % full, their
/// entries go to sorted runs on disk (`BandRuns`, about 1.3 bytes an entry left in memory) and the
/// tables start empty again, so memory stays flat however many paragraphs are indexed; a lookup
/// finds the same values either way. When the temporary file cannot be written, the tables go on
/// growing in memory instead. Copies share the runs: only a copy that nothing else holds may spill
/// (lookup threads read copies that live while no insertion is made).
@_spi(Benchmarks) public struct BandIndex {
    /// Per band, `capacity` slots of five bytes: the word (little-endian `UInt32`), then the distance.
    private var tables: [[UInt8]]
    /// Per band, the distances of 255 or more, by slot.
    private var overflow: [SlotDistances]
    /// log2 of `capacity`: the home slot takes this many of the tag's 31 bits, the remainder the rest.
    private var homeBits: Int
    /// Entries per band, in the tables and in the runs.
    private(set) var count = 0
    /// Entries per band in the tables: those inserted since the last spill.
    private var resident = 0
    /// The value of the first entry in the tables: they hold each value less this.
    private var base: Int32 = 0
    /// Slots per band.
    private var capacity: Int { 1 << homeBits }
    /// log2 of the slots a band's table grows to before its entries go to disk.
    private let residentHomeBits: Int
    /// The entries spilled; nil before the first spill and when the file could not be made.
    private var runs: BandRuns?
    private var spillFailed = false
    private let folder: String

    private static let bytesPerSlot = 5

    /// Tables of 2^18 slots a band (26 MB with 20 bands) hold about 210,000 paragraphs before
    /// their entries go to disk.
    @_spi(Benchmarks) public static let defaultResidentPowerOfTwo = 18

    /// - Parameters:
    ///   - capacityPowerOfTwo: log2 of the slots a band starts with.
    ///   - residentPowerOfTwo: log2 of the slots a band grows to; then its entries go to disk.
    ///   - folder: where the file of spilled entries is made (nil: `$TMPDIR`, else `/tmp`).
    @_spi(Benchmarks) public init(
        bands: Int, capacityPowerOfTwo: Int = 10, residentPowerOfTwo: Int = BandIndex.defaultResidentPowerOfTwo,
        folder: String? = nil
    ) {
        precondition(capacityPowerOfTwo >= 1 && capacityPowerOfTwo <= 30)
        residentHomeBits = max(capacityPowerOfTwo, residentPowerOfTwo)
        self.folder = folder ?? TemporaryFile.defaultFolder
        homeBits = capacityPowerOfTwo
        let capacity = 1 << capacityPowerOfTwo
        tables = [[UInt8]](repeating: [], count: bands)
        overflow = [SlotDistances](repeating: SlotDistances(capacity: capacity), count: bands)
        for b in 0..<bands { tables[b] = [UInt8](repeating: 0, count: capacity * Self.bytesPerSlot) }
    }

    var bands: Int { tables.count }

    /// Bytes of the slots: five per slot.
    var slotBytes: Int { tables.count * capacity * Self.bytesPerSlot }

    /// Bytes of the slots, of the overflow tables and of what memory keeps of the runs on disk.
    var bytesUsed: Int { slotBytes + overflow.reduce(0) { $0 + $1.bytes } + (runs?.bytes ?? 0) }

    /// Spills so far (runs made, merged or not), and the bytes written to their file.
    var spills: (runs: Int, fileBytes: Int) { (runs?.runCount ?? 0, runs?.fileBytes ?? 0) }

    /// The key's 31 tag bits mixed, bijectively: equal mixes, equal tags.
    @inline(__always) static func mixedTag(_ key: UInt64) -> UInt32 {
        var m = (UInt32(truncatingIfNeeded: key) >> 1) &* 0x9E37_79B1 & 0x7FFF_FFFF
        m ^= m >> 15
        m = m &* 0x2C1B_3C6D & 0x7FFF_FFFF
        m ^= m >> 13
        return m
    }

    /// Where the key lives in a table of 2^`homeBits` slots, and what its slots hold above the value.
    @inline(__always) private static func place(_ key: UInt64, homeBits: Int) -> (home: Int, remainder: UInt32) {
        split(mixedTag(key), homeBits: homeBits)
    }

    /// A mixed tag as home slot (its top `homeBits` bits) and remainder (the others).
    @inline(__always) private static func split(_ mixed: UInt32, homeBits: Int) -> (home: Int, remainder: UInt32) {
        let remainderBits = UInt32(31 - homeBits)
        return (Int(mixed >> remainderBits), mixed & (UInt32(1) << remainderBits &- 1))
    }

    /// The distance of slot `i` (at byte `i * 5` of `s`) from its home slot.
    @inline(__always) private static func distance(at i: Int, in s: UnsafeRawBufferPointer, _ overflow: SlotDistances) -> Int {
        let d = Int(s[i &* bytesPerSlot &+ 4])
        return d == 255 ? overflow.distance(at: i) : d
    }

    /// Inserts `value` under `keys[b]` in band `b`, for every band (`keys.count == bands`).
    ///
    /// - Parameter value: the insertion's ordinal (0 for the first, then 1, ...) or a smaller
    ///   number: a slot keeps one bit more than the table's size needs.
    @_spi(Benchmarks) public mutating func insert(_ keys: UnsafeBufferPointer<UInt64>, _ value: Int32) {
        precondition(keys.count == tables.count && Int(value) <= count, "values are insertion ordinals")
        if (resident + 1) * 5 > capacity * 4, !(homeBits >= residentHomeBits && spill()) { grow() }
        precondition(value >= base, "values are insertion ordinals, at least the entries spilled")
        let valueBits = UInt32(homeBits + 1)
        let stored = UInt32(value - base + 1)
        for b in 0..<keys.count {
            let (home, remainder) = Self.place(keys[b], homeBits: homeBits)
            Self.put(remainder << valueBits | stored, home: home, in: &tables[b], overflow: &overflow[b], mask: capacity - 1)
        }
        resident += 1
        count += 1
    }

    /// Moves the tables' entries to a new run on disk and empties the tables; false (and the
    /// tables as they were) when the file cannot be made or written.
    private mutating func spill() -> Bool {
        guard !spillFailed else { return false }
        if runs == nil { runs = BandRuns(bands: tables.count, folder: folder) }
        // A copy of the index (a lookup thread's) would share the runs while keeping these entries.
        precondition(runs == nil || isKnownUniquelyReferenced(&runs), "a BandIndex spills while a copy of it is alive")
        guard let runs, runs.add({ entries(ofBand: $0) }) else {
            spillFailed = true
            return false
        }
        for b in 0..<tables.count {
            tables[b].withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) }
            overflow[b] = SlotDistances(capacity: capacity)
        }
        base += Int32(resident)
        resident = 0
        return true
    }

    /// Band `b`'s entries as `BandRuns` keeps them (mixed tag above value), sorted.
    private func entries(ofBand b: Int) -> [UInt64] {
        let mask = capacity - 1
        let remainderBits = UInt32(31 - homeBits)
        let valueBits = UInt32(homeBits + 1)
        var entries: [UInt64] = []
        entries.reserveCapacity(resident)
        tables[b].withUnsafeBytes { s in
            for i in 0..<capacity {
                let word = UInt32(littleEndian: s.loadUnaligned(fromByteOffset: i * Self.bytesPerSlot, as: UInt32.self))
                if word == 0 { continue }
                let home = UInt32((i - Self.distance(at: i, in: s, overflow[b])) & mask)
                let mixed = home << remainderBits | word >> valueBits
                let value = Int32(word & (UInt32(1) << valueBits - 1)) - 1 + base
                entries.append(BandRuns.entry(mixed: mixed, value: value))
            }
        }
        entries.sort()
        return entries
    }

    /// Puts `word` in the first free slot from `home` on.
    @inline(__always) private static func put(_ word: UInt32, home: Int, in table: inout [UInt8], overflow: inout SlotDistances, mask: Int) {
        table.withUnsafeMutableBytes { s in
            var i = home
            while s.loadUnaligned(fromByteOffset: i &* bytesPerSlot, as: UInt32.self) != 0 { i = (i &+ 1) & mask }
            let distance = (i &- home) & mask
            s.storeBytes(of: word.littleEndian, toByteOffset: i &* bytesPerSlot, as: UInt32.self)
            s[i &* bytesPerSlot &+ 4] = UInt8(min(distance, 255))
            if distance >= 255 { overflow.insert(slot: i, distance: distance) }
        }
    }

    /// Appends the values stored under `keys[b]` in band `b`, for every band, to `out` (band by
    /// band). The first slot of every band is read before any run is scanned, so that the cache
    /// misses of large tables overlap.
    ///
    /// - Returns: the bands in which something was found.
    @discardableResult
    @_spi(Benchmarks) public func collect(_ keys: UnsafeBufferPointer<UInt64>, into out: inout [Int32]) -> Int {
        let mask = capacity - 1
        let homeBits = self.homeBits
        let valueBits = UInt32(homeBits + 1)
        let valueMask = UInt32(1) << valueBits &- 1
        let bands = min(keys.count, tables.count)
        let base = self.base
        var bandsFound = 0
        tables.withUnsafeBufferPointer { ts in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: bands) { first in
                for b in 0..<bands {
                    let home = Self.place(keys[b], homeBits: homeBits).home
                    first[b] = ts[b].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: home &* Self.bytesPerSlot, as: UInt32.self) }
                }
                for b in 0..<bands {
                    let before = out.count
                    if first[b] != 0 {
                        let (home, remainder) = Self.place(keys[b], homeBits: homeBits)
                        ts[b].withUnsafeBytes { s in
                            var i = home
                            while true {
                                let word = UInt32(littleEndian: s.loadUnaligned(fromByteOffset: i &* Self.bytesPerSlot, as: UInt32.self))
                                if word == 0 { break }
                                if word >> valueBits == remainder {
                                    if Self.distance(at: i, in: s, overflow[b]) == (i &- home) & mask {
                                        out.append(Int32(bitPattern: (word & valueMask) &- 1) &+ base)
                                    }
                                }
                                i = (i &+ 1) & mask
                            }
                        }
                    }
                    if let runs { _ = runs.collect(band: b, mixed: Self.mixedTag(keys[b]), into: &out) }
                    if out.count > before { bandsFound += 1 }
                }
            }
        }
        return bandsFound
    }

    /// Doubles every band's table, one band at a time.
    private mutating func grow() {
        precondition(homeBits < 30, "band tables of 2^30 slots are full")
        let oldMask = capacity - 1
        let oldRemainderBits = UInt32(31 - homeBits)
        let oldValueBits = UInt32(homeBits + 1)
        let newHomeBits = homeBits + 1
        let newValueBits = UInt32(newHomeBits + 1)
        let newCapacity = capacity * 2
        for b in 0..<tables.count {
            let old = tables[b]
            let oldOverflow = overflow[b]
            tables[b] = []
            overflow[b] = SlotDistances(capacity: 0)
            var slots = [UInt8](repeating: 0, count: newCapacity * Self.bytesPerSlot)
            var newOverflow = SlotDistances(capacity: newCapacity)
            // Re-inserted in old slot order: deterministic. Equal tags may change their relative
            // order across the wrap-around at the table's end; callers sort what they collect.
            old.withUnsafeBytes { s in
                for i in 0..<capacity {
                    let word = UInt32(littleEndian: s.loadUnaligned(fromByteOffset: i * Self.bytesPerSlot, as: UInt32.self))
                    if word == 0 { continue }
                    let home = UInt32((i - Self.distance(at: i, in: s, oldOverflow)) & oldMask)
                    let mixed = home << oldRemainderBits | word >> oldValueBits
                    let value = word & (UInt32(1) << oldValueBits - 1)
                    let (newHome, newRemainder) = Self.split(mixed, homeBits: newHomeBits)
                    Self.put(newRemainder << newValueBits | value, home: newHome, in: &slots, overflow: &newOverflow, mask: newCapacity - 1)
                }
            }
            tables[b] = slots
            overflow[b] = newOverflow
        }
        homeBits = newHomeBits
    }
}

/// Counts of the band index's near lookups (`ParagraphDeduplicator.bandProbes`): how much a band
/// table kept on disk would have to read, at least one read per (lookup, band) pair that finds
/// entries.
@_spi(Benchmarks) public struct BandProbes: Sendable, Equatable {
    @_spi(Benchmarks) public private(set) var lookups = 0
    @_spi(Benchmarks) public private(set) var bandsWithEntries = 0
    @_spi(Benchmarks) public private(set) var entries = 0

    init() {}

    mutating func add(bandsFound: Int, entries found: Int) {
        lookups += 1
        bandsWithEntries += bandsFound
        entries += found
    }

    func adding(_ other: BandProbes) -> BandProbes {
        var sum = self
        sum.lookups += other.lookups
        sum.bandsWithEntries += other.bandsWithEntries
        sum.entries += other.entries
        return sum
    }
}

/// The distances of 255 or more of one band table, by slot, in pages of 1,024 slots allocated
/// where they occur: long runs of one band key (templated archives have runs of thousands) are
/// contiguous, so a lookup along a run reads memory in order, one page after the other, where a
/// hash table would miss the cache on every entry (the 4 GB benchmark archive's deduplication took
/// 186 s with one against 148 s with 8-byte slots; see the README). Two bytes a slot: a distance
/// of 65,535 or more is kept in a table of its own (the pages of 4-byte distances were 30 MB of the
/// 4 GB benchmark archive's 134 MB of band tables).
struct SlotDistances {
    private static let pageShift = 10
    /// In a page: the distance is in `far`.
    private static let farMark = UInt16.max
    private var pages: [[UInt16]]
    private var far: [Int: Int] = [:]

    /// For a table of `capacity` slots.
    init(capacity: Int) {
        pages = [[UInt16]](repeating: [], count: (capacity + (1 << Self.pageShift) - 1) >> Self.pageShift)
    }

    /// Heap bytes: the page table, the pages and (roughly) the far distances.
    var bytes: Int { pages.count * 8 + pages.reduce(0) { $0 + $1.count * 2 } + far.count * 32 }

    /// The distance recorded for `slot` (it must have one).
    @inline(__always) func distance(at slot: Int) -> Int {
        let d = pages[slot >> Self.pageShift][slot & (1 << Self.pageShift - 1)]
        precondition(d != 0, "no distance recorded for slot \(slot)")
        return d == Self.farMark ? far[slot]! : Int(d)
    }

    /// Records `distance` (at least 1) for `slot`.
    mutating func insert(slot: Int, distance: Int) {
        let p = slot >> Self.pageShift
        if pages[p].isEmpty { pages[p] = [UInt16](repeating: 0, count: 1 << Self.pageShift) }
        if distance >= Int(Self.farMark) {
            pages[p][slot & (1 << Self.pageShift - 1)] = Self.farMark
            far[slot] = distance
        } else {
            pages[p][slot & (1 << Self.pageShift - 1)] = UInt16(distance)
        }
    }
}
