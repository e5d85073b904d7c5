/// Recently read entries of kept paragraphs (a run of elements each), by index ordinal, in a bounded
/// ring: the deduplicator keeps two, the shingle hashes of recently verified LSH candidates and
/// their stripped keys (`candidateShingles` and `candidateKeys`), so that a kept paragraph that
/// is a candidate again and again (templated archives make many) is not re-read from the store,
/// and when its hashes are still cached, not re-decoded and re-hashed either.
///
/// Direct-mapped by index ordinal (`slots` slots); the entries themselves live one after the other
/// in a ring of `capacity` elements (grown to that size during its first lap, then never moved): a
/// new entry overwrites the oldest ones, and a slot whose elements have been overwritten reads as
/// empty. So a lookup touches no reference-counted storage of its own, and the cache holds at most
/// `capacity` elements plus 16 bytes per slot, whatever the archive.
///
/// What a lookup returns never depends on what was cached before, only whether it is there.
///
/// Sizes of the shingle cache (measured with `recur analyze --timings --jobs 2`, deduplicate
/// stage): on a 250 MB generated archive (93 k kept paragraphs) 4.2–5.0 s with 16,384 slots and
/// 2 M hashes, 2.9–3.1 s with 65,536 and 4 M (no better with 8 M hashes or 262,144 slots); on the
/// 1 GB one (274 k kept) 29.6 s → 24.7 s (23.4 with 8 M hashes); peak RSS unchanged (the output
/// phase holds the peak). The key cache: see `candidateKeys`.
struct RingCache<Element: BitwiseCopyable & ExpressibleByIntegerLiteral> {
    /// Slots, by index ordinal (a power of two).
    let slots: Int
    /// Elements in the ring.
    let capacity: Int
    /// Entries with more elements are not cached: they would crowd out many short ones.
    let maxEntry: Int

    init(slots: Int, capacity: Int, maxEntry: Int) {
        precondition(slots > 0 && slots & (slots - 1) == 0 && maxEntry <= capacity)
        self.slots = slots
        self.capacity = capacity
        self.maxEntry = maxEntry
    }

    /// Per slot: the paragraph id held (-1: none).
    private var ids: [Int32] = []
    /// Per slot: where its elements start, counted in elements ever written (their place in the ring
    /// is that modulo `capacity`), and how many there are.
    private var starts: [Int] = []
    private var counts: [Int32] = []
    /// The ring, `capacity` elements, allocated at the first insertion and never initialized: an
    /// element is read only once written, and the pages of a large allocation (mapped on their
    /// own, `mallopt(M_MMAP_THRESHOLD)`) become resident only as its first lap writes them. (It
    /// grew by doubling before, which held the old and the new ring at once: 96 MB for a moment
    /// when a 64 MB ring doubled.)
    private(set) var ring: [Element] = []
    /// Elements ever written into the ring (including the skipped ends of a lap).
    private var written = 0

    /// Where in `ring` the entry of paragraph `id` (index ordinal `ordinal`) is, nil when not cached.
    @inline(__always)
    func lookup(ordinal: Int32, id: Int32) -> Range<Int>? {
        guard !ids.isEmpty else { return nil }
        let slot = Int(ordinal) & (slots - 1)
        guard ids[slot] == id else { return nil }
        let start = starts[slot]
        guard start >= written - capacity else { return nil }
        let offset = start % capacity
        return offset..<offset + Int(counts[slot])
    }

    /// Caches `entry` as that of paragraph `id` (index ordinal `ordinal`), replacing what its
    /// slot held, and returns where it is in `ring`; nil (nothing cached) when it has more than
    /// `maxEntry` elements.
    mutating func insert(ordinal: Int32, id: Int32, _ entry: UnsafeBufferPointer<Element>) -> Range<Int>? {
        guard entry.count <= maxEntry else { return nil }
        if ids.isEmpty {
            ids = [Int32](repeating: -1, count: slots)
            starts = [Int](repeating: 0, count: slots)
            counts = [Int32](repeating: 0, count: slots)
        }
        var offset = written % capacity
        if offset + entry.count > capacity {
            // An entry never wraps around: the rest of this lap is skipped.
            written += capacity - offset
            offset = 0
        }
        if ring.isEmpty {
            let capacity = self.capacity
            ring = [Element](unsafeUninitializedCapacity: capacity) { _, initialized in initialized = capacity }
        }
        let slot = Int(ordinal) & (slots - 1)
        ids[slot] = id
        starts[slot] = written
        counts[slot] = Int32(entry.count)
        ring.withUnsafeMutableBufferPointer { r in
            if let base = entry.baseAddress { (r.baseAddress! + offset).update(from: base, count: entry.count) }
        }
        written += entry.count
        return offset..<offset + entry.count
    }

    /// The heap bytes held: the slot arrays and the ring.
    var bytes: Int {
        ids.count * (MemoryLayout<Int32>.stride * 2 + MemoryLayout<Int>.stride) + ring.count * MemoryLayout<Element>.stride
    }
}

extension RingCache {
    /// An empty cache with a `parts`-th of this one's slots and capacity (entries as large): the
    /// budget of one cache shared by the caches of `parts` threads.
    func share(of parts: Int) -> RingCache {
        guard parts > 1 else { return RingCache(slots: slots, capacity: capacity, maxEntry: maxEntry) }
        var slots = 1
        while slots * 2 <= self.slots / parts { slots *= 2 }
        return RingCache(slots: slots, capacity: max(maxEntry, capacity / parts), maxEntry: maxEntry)
    }
}

extension RingCache where Element == UInt64 {
    /// The shingle hashes of recently verified candidates: 65,536 slots, 2 M hashes (16 MB), at
    /// most 1,024 hashes an entry.
    static func candidateShingles() -> RingCache { RingCache(slots: 65536, capacity: 2 << 20, maxEntry: 1024) }
}

extension RingCache where Element == UInt8 {
    /// The stripped keys (UTF-8) of recently verified candidates, read when their hashes are no
    /// longer cached: 262,144 slots, 16 MB of keys, at most 4 KB a key. With the shingle cache
    /// they hold what the shingle cache alone held before (32 MB): on the 1 GB generated archive
    /// (`recur analyze --timings --jobs 2`, with these sizes changed in the source) deduplication
    /// took 18.6 s with 16 + 16 MB, 18.7 s with 32 + 32 MB (and a 33 MB higher peak, which
    /// deduplication holds there), 20.0 s with 8 + 24 MB.
    static func candidateKeys() -> RingCache { RingCache(slots: 262_144, capacity: 16 << 20, maxEntry: 4096) }

    /// The key cache for an archive of `paragraphs` paragraphs: `candidateKeys()` up to 8 million
    /// (the 1 GB benchmark archive has 5.1 million, and there deduplication holds the peak, so a
    /// larger cache would raise it), then 32 MB and 524,288 slots. The 4 GB archive (19.9 million)
    /// has more history, so more candidates whose hashes were evicted; with the shingle cache at
    /// 16 MB (one run each at 8c03c96 with the sizes changed, `scripts/rss-timeline.sh -i 1 -- recur analyze ARCHIVE --jobs 2 --timings`):
    ///
    /// | shingle hashes + keys | deduplication | peak RSS |
    /// |---|---|---|
    /// | 16 + 32 MB | 136 s | 488 MB |
    /// | 16 + 64 MB | 127 s | 527 MB |
    /// | 64 + 64 MB (before) | 128–131 s | 577 MB |
    ///
    /// A shingle cache above 16 MB bought nothing; the keys (about 8 times denser than their
    /// hashes) do, and 32 MB of them is where a 10 s longer deduplication buys 39 MB less peak.
    static func candidateKeys(forParagraphs paragraphs: Int) -> RingCache {
        paragraphs <= 8_000_000 ? candidateKeys() : RingCache(slots: 524_288, capacity: 32 << 20, maxEntry: 4096)
    }
}
