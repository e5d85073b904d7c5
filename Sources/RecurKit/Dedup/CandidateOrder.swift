/// Puts the index ordinals one band lookup collected (a kept paragraph appears once per band it
/// shares with the new one) in the order the deduplicator verifies them: those found two or more
/// times, most bands shared first (ties ascending), then at most `maxSingles` found once, the
/// smallest, ascending.
///
/// It counts them in a small open-addressing table that is reused (and never cleared: each call
/// marks its slots with a new stamp), so only the distinct ordinals sharing several bands are
/// sorted, not every value collected: in templated archives a lookup collects hundreds.
struct CandidateOrder {
    private var keys: [Int32] = []
    private var counts: [UInt8] = []
    private var marks: [UInt32] = []
    private var mark: UInt32 = 0
    private var singles: [Int32] = []
    private var ranked: [UInt64] = []
    /// Of the last `order` call: the distinct candidates, and of them those found once (before
    /// `maxSingles` cut them).
    private(set) var distinctCount = 0
    private(set) var singlesCount = 0

    /// Rewrites `found` into verification order (see the type's summary).
    mutating func order(_ found: inout [Int32], maxSingles: Int) {
        let n = found.count
        distinctCount = 0
        singlesCount = 0
        guard n > 0 else { return }
        var shift = 6
        while 1 << shift < 2 * n { shift += 1 }
        let size = 1 << shift
        if keys.count < size {
            keys = [Int32](repeating: 0, count: size)
            counts = [UInt8](repeating: 0, count: size)
            marks = [UInt32](repeating: 0, count: size)
            mark = 0
        }
        if mark == .max {
            marks.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            mark = 0
        }
        mark += 1
        let current = mark
        let mask = size - 1
        let hashShift = UInt64(64 - shift)
        singles.removeAll(keepingCapacity: true)
        ranked.removeAll(keepingCapacity: true)
        var distinctFound = 0, singlesFound = 0
        found.withUnsafeMutableBufferPointer { f in
            keys.withUnsafeMutableBufferPointer { k in
                counts.withUnsafeMutableBufferPointer { c in
                    marks.withUnsafeMutableBufferPointer { m in
                        @inline(__always) func slot(of value: Int32) -> Int {
                            var s = Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: value)) &* 0x9E37_79B9_7F4A_7C15) >> hashShift)
                            while m[s] == current && k[s] != value { s = (s + 1) & mask }
                            return s
                        }
                        // Count, moving each distinct value to the front as it is first seen
                        // (the write position never passes the read position).
                        var distinct = 0
                        for i in 0..<n {
                            let value = f[i]
                            let s = slot(of: value)
                            if m[s] == current {
                                if c[s] < .max { c[s] += 1 }
                            } else {
                                m[s] = current
                                k[s] = value
                                c[s] = 1
                                f[distinct] = value
                                distinct += 1
                            }
                        }
                        // Those seen twice or more ranked; the smallest singles aside, ascending.
                        distinctFound = distinct
                        for i in 0..<distinct {
                            let value = f[i]
                            let shared = c[slot(of: value)]
                            if shared >= 2 {
                                // Most bands first, then the smallest ordinal: ascending order of
                                // (255 - shared, ordinal).
                                ranked.append(UInt64(255 - shared) << 32 | UInt64(UInt32(bitPattern: value)))
                            } else {
                                singlesFound += 1
                                if maxSingles > 0 {
                                    if singles.count < maxSingles {
                                        singles.append(value)
                                    } else if value < singles[singles.count - 1] {
                                        singles[singles.count - 1] = value
                                    } else {
                                        continue
                                    }
                                    var j = singles.count - 1
                                    while j > 0 && singles[j - 1] > singles[j] {
                                        singles.swapAt(j - 1, j)
                                        j -= 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        distinctCount = distinctFound
        singlesCount = singlesFound
        Self.sortAscending(&ranked)
        found.removeAll(keepingCapacity: true)
        for word in ranked { found.append(Int32(bitPattern: UInt32(truncatingIfNeeded: word))) }
        found.append(contentsOf: singles)
    }

    /// Sorts `values` ascending: an insertion sort for the few dozen candidates sharing several
    /// bands of a typical lookup (the standard library's stable sort costs more there), `sort()` beyond.
    static func sortAscending<T: FixedWidthInteger>(_ values: inout [T]) {
        guard values.count <= 64 else { values.sort(); return }
        values.withUnsafeMutableBufferPointer { v in
            for i in 1..<max(1, v.count) {
                let x = v[i]
                var j = i
                while j > 0 && v[j - 1] > x {
                    v[j] = v[j - 1]
                    j -= 1
                }
                v[j] = x
            }
        }
    }
}
