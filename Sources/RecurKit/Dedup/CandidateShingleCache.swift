/// The shingle hashes of recently verified LSH candidates, so that a kept paragraph that is a
/// candidate again and again (templated archives make many) is not re-read, re-decoded and
/// re-hashed each time.
///
/// Direct-mapped by index ordinal (`slots` slots); the hashes themselves live one after the other
/// in a ring of `capacity` hashes (grown to that size during its first lap, then never moved): a
/// new entry overwrites the oldest ones, and a slot whose hashes have been overwritten reads as empty. So a lookup
/// touches no reference-counted storage of its own, and the cache holds at most
/// `capacity` × 8 bytes of hashes plus 16 bytes per slot, whatever the archive.
///
/// What a lookup returns never depends on what was cached before, only whether it is there.
///
/// Sizes (measured with `recur analyze --timings --jobs 2`, deduplicate stage): on a 250 MB
/// generated archive (93 k kept paragraphs) 4.2–5.0 s with 16,384 slots and 2 M hashes, 2.9–3.1 s
/// with 65,536 and 4 M (no better with 8 M hashes or 262,144 slots); on the 1 GB one (274 k kept)
/// 29.6 s → 24.7 s (23.4 with 8 M hashes); peak RSS unchanged (the output phase holds the peak).
struct CandidateShingleCache {
    /// Slots, by index ordinal (a power of two).
    static let slots = 65536
    /// Hashes in the ring: 32 MB.
    static let capacity = 4 << 20
    /// Keys with more shingles are not cached: they would crowd out many short ones.
    static let maxEntryHashes = 1024

    /// Per slot: the paragraph id held (-1: none).
    private var ids: [Int32] = []
    /// Per slot: where its hashes start, counted in hashes ever written (their place in the ring is
    /// that modulo `capacity`), and how many there are.
    private var starts: [Int] = []
    private var counts: [Int32] = []
    /// The ring: it grows (doubling, from 64 K hashes) while its first lap is written, up to `capacity`.
    private(set) var ring: [UInt64] = []
    /// Hashes ever written into the ring (including the skipped ends of a lap).
    private var written = 0

    /// Where in `ring` the hashes of paragraph `id` (index ordinal `ordinal`) are, nil when not cached.
    @inline(__always)
    func lookup(ordinal: Int32, id: Int32) -> Range<Int>? {
        guard !ids.isEmpty else { return nil }
        let slot = Int(ordinal) & (Self.slots - 1)
        guard ids[slot] == id else { return nil }
        let start = starts[slot]
        guard start >= written - Self.capacity else { return nil }
        let offset = start % Self.capacity
        return offset..<offset + Int(counts[slot])
    }

    /// Caches `hashes` as those of paragraph `id` (index ordinal `ordinal`), replacing what its
    /// slot held, and returns where they are in `ring`; nil (nothing cached) when there are more
    /// than `maxEntryHashes`.
    mutating func insert(ordinal: Int32, id: Int32, _ hashes: UnsafeBufferPointer<UInt64>) -> Range<Int>? {
        guard hashes.count <= Self.maxEntryHashes else { return nil }
        if ids.isEmpty {
            ids = [Int32](repeating: -1, count: Self.slots)
            starts = [Int](repeating: 0, count: Self.slots)
            counts = [Int32](repeating: 0, count: Self.slots)
        }
        var offset = written % Self.capacity
        if offset + hashes.count > Self.capacity {
            // An entry never wraps around: the rest of this lap is skipped.
            written += Self.capacity - offset
            offset = 0
        }
        if offset + hashes.count > ring.count {
            var size = max(ring.count * 2, 1 << 16)
            while size < offset + hashes.count { size *= 2 }
            ring.append(contentsOf: repeatElement(0, count: min(size, Self.capacity) - ring.count))
        }
        let slot = Int(ordinal) & (Self.slots - 1)
        ids[slot] = id
        starts[slot] = written
        counts[slot] = Int32(hashes.count)
        ring.withUnsafeMutableBufferPointer { r in
            if let base = hashes.baseAddress { (r.baseAddress! + offset).update(from: base, count: hashes.count) }
        }
        written += hashes.count
        return offset..<offset + hashes.count
    }

    /// The heap bytes held: the slot arrays and the ring.
    var bytes: Int {
        ids.count * (MemoryLayout<Int32>.stride * 2 + MemoryLayout<Int>.stride) + ring.count * MemoryLayout<UInt64>.stride
    }
}
