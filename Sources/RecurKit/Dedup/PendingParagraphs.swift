import Foundation
import Synchronization

/// Paragraphs fed to a deduplicator that batches its near lookups, not decided yet: in feeding
/// order, each kept as it is (short or empty), an exact copy of an earlier paragraph, or waiting
/// for its near lookup (its stripped key, language and length), and the lookups' results once made.
struct PendingParagraphs {
    enum Kind: UInt8 { case kept, exact, lookup }

    struct Entry {
        var id: Int32
        var flags: UInt8
        var kind: Kind
        /// `exact`: the paragraph it copies; `lookup`: its index in `lookup`.
        var other: Int32
    }

    struct Lookup {
        /// The stripped key's bytes in `text`.
        var text: Range<Int>
        var lang: Language
        var characters: Int
    }

    private(set) var entries: [Entry] = []
    private(set) var lookup: [Lookup] = []
    private(set) var text: [UInt8] = []
    /// Per lookup, once made: its outcome, and 2 × bands band keys (its own, then those at the
    /// other Japanese shingle size when it consulted them).
    private(set) var outcome: [NearOutcome] = []
    private var bandKeyBuffer: [UInt64] = []
    private var bands = 0

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var lookups: Int { lookup.count }

    mutating func add(_ id: Int32, flags: UInt8) {
        entries.append(Entry(id: id, flags: flags, kind: .kept, other: -1))
    }

    mutating func add(_ id: Int32, flags: UInt8, exactCopyOf other: Int32) {
        entries.append(Entry(id: id, flags: flags, kind: .exact, other: other))
    }

    mutating func add(_ id: Int32, flags: UInt8, lookup key: [UInt8], lang: Language, characters: Int) {
        entries.append(Entry(id: id, flags: flags, kind: .lookup, other: Int32(lookup.count)))
        lookup.append(Lookup(text: text.count..<text.count + key.count, lang: lang, characters: characters))
        text.append(contentsOf: key)
    }

    /// Makes room for every lookup's outcome and band keys.
    mutating func prepareOutcomes(bands: Int) {
        self.bands = bands
        outcome.removeAll(keepingCapacity: true)
        outcome.append(contentsOf: repeatElement(NearOutcome(), count: lookup.count))
        let needed = lookup.count * 2 * bands
        if bandKeyBuffer.count < needed { bandKeyBuffer = [UInt64](repeating: 0, count: needed) }
    }

    /// Calls `body` with the stripped keys, the lookups, and room for their outcomes and band keys.
    mutating func withLookups<R>(
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Lookup>, UnsafeMutableBufferPointer<NearOutcome>, UnsafeMutableBufferPointer<UInt64>) -> R
    ) -> R {
        text.withUnsafeBufferPointer { text in
            lookup.withUnsafeBufferPointer { lookup in
                outcome.withUnsafeMutableBufferPointer { outcome in
                    bandKeyBuffer.withUnsafeMutableBufferPointer { keys in body(text, lookup, outcome, keys) }
                }
            }
        }
    }

    /// Calls `body` with lookup `w`'s own band keys, or (`alternate`) those it consulted at the other size.
    func bandKeys<R>(_ w: Int, alternate: Bool, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        let start = (2 * w + (alternate ? 1 : 0)) * bands
        return bandKeyBuffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<start + bands])) }
    }

    /// Replaces lookup `w`'s outcome and own band keys (a lookup made again).
    mutating func setOutcome(_ w: Int, _ result: NearOutcome, bandKeys keys: [UInt64]) {
        outcome[w] = result
        let start = 2 * w * bands
        bandKeyBuffer.replaceSubrange(start..<start + bands, with: keys)
    }

    /// Empties the batch, keeping its buffers.
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        lookup.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        outcome.removeAll(keepingCapacity: true)
    }
}

/// What the threads of `DedupEngine.lookUpPending` share: each thread `t` uses matcher `t` and
/// writes the outcomes and band keys of its own lookups only; the rest is read. Hence
/// `@unchecked Sendable` (the pointers are valid for the synchronous `concurrentPerform`).
struct MatcherThreads: @unchecked Sendable {
    let matchers: UnsafeMutableBufferPointer<NearMatcher>
    let text: UnsafeBufferPointer<UInt8>
    let lookup: UnsafeBufferPointer<PendingParagraphs.Lookup>
    let outcome: UnsafeMutableBufferPointer<NearOutcome>
    let bandKeys: UnsafeMutableBufferPointer<UInt64>
    let index: UnsafePointer<NearIndex>
    let keys: UnsafePointer<StoredKeys>

    /// Thread `t`'s share of the `lookups`: `grab` at a time, the next ones `next` hands out,
    /// until none are left (lookups differ a lot in cost, so they are not split in advance).
    func run(thread t: Int, lookups: Int, bands: Int, taking grab: Int, from next: borrowing Atomic<Int>) {
        while true {
            let first = next.add(grab, ordering: .relaxed).oldValue
            if first >= lookups { return }
            for w in first..<min(lookups, first + grab) {
                let l = lookup[w]
                let result = matchers[t].match(
                    UnsafeBufferPointer(rebasing: text[l.text]), lang: l.lang, characters: l.characters, index: index.pointee, keys: keys.pointee)
                outcome[w] = result
                let slot = UnsafeMutableBufferPointer(rebasing: bandKeys[w * 2 * bands..<(w * 2 + 2) * bands])
                matchers[t].bandKeys.withUnsafeBufferPointer { _ = slot.update(fromContentsOf: $0) }
                if result.consultedAlternate {
                    let alternate = UnsafeMutableBufferPointer(rebasing: slot[bands...])
                    matchers[t].alternateBandKeys.withUnsafeBufferPointer { _ = alternate.update(fromContentsOf: $0) }
                }
            }
        }
    }
}

/// The band keys indexed since a batch began, as `BandIndex` matches them (band and mixed tag):
/// whether a lookup of the batch would now find a candidate it did not, without probing the
/// large band tables. An open-addressing set sized for one batch, emptied slot by slot.
struct BatchBandTags {
    private var slots: [UInt64]
    private var filled: [Int] = []

    /// - Parameter entries: the most entries a batch adds (kept lookups × bands).
    init(entries: Int) {
        var size = 64
        while size < 2 * entries { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
    }

    @inline(__always) private static func entry(band: Int, key: UInt64) -> UInt64 {
        UInt64(band + 1) << 32 | UInt64(BandIndex.mixedTag(key))
    }

    @inline(__always) private func slot(of value: UInt64) -> (slot: Int, found: Bool) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: (value &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while slots[i] != 0 {
            if slots[i] == value { return (i, true) }
            i = (i + 1) & mask
        }
        return (i, false)
    }

    /// Adds a kept paragraph's band keys.
    mutating func insert(_ keys: UnsafeBufferPointer<UInt64>) {
        while 2 * (filled.count + keys.count) > slots.count { grow() }
        for (band, key) in keys.enumerated() {
            let value = Self.entry(band: band, key: key)
            let (i, found) = slot(of: value)
            if !found {
                slots[i] = value
                filled.append(i)
            }
        }
    }

    private mutating func grow() {
        let values = filled.map { slots[$0] }
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        filled.removeAll(keepingCapacity: true)
        for value in values {
            let (i, _) = slot(of: value)
            slots[i] = value
            filled.append(i)
        }
    }

    /// Whether any of `keys` (band by band) was added.
    func containsAny(_ keys: UnsafeBufferPointer<UInt64>) -> Bool {
        guard !filled.isEmpty else { return false }
        for (band, key) in keys.enumerated() where slot(of: Self.entry(band: band, key: key)).found { return true }
        return false
    }

    var isEmpty: Bool { filled.isEmpty }

    mutating func removeAll() {
        for i in filled { slots[i] = 0 }
        filled.removeAll(keepingCapacity: true)
    }
}
