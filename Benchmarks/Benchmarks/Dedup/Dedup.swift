// The deduplication stage (issue 4): normalize, shingle, sketch, band, verify, one thread; and two
// of its steps alone: shingle + sketch (n-gram hashes, one-permutation MinHash, band keys) and the
// LSH band index (lookups and insertions).
//
// Input: every paragraph of a generated mixed ru/fi/ja archive (16 MB of archive files, about
// 77,000 paragraphs and 5.9 MB of keys; see `BenchArchive`), in input order. Reading, decoding,
// splitting and language identification happen in the setup, outside the measurement.
//
// "bytes/s (K)" is over the UTF-8 bytes of the paragraph keys: 19512 K is 19.5 MB/s
// (1 MB = 1,000,000 bytes). `.throughput` counts passes over the whole set per second; "items/s (K)"
// counts keys sketched or paragraphs looked up in the band index.

import Benchmark
import Foundation
import RecurBenchSupport
@_spi(Benchmarks) import RecurKit

/// Everything a dedup benchmark needs, prepared once per benchmark process.
final class DedupWorkload: @unchecked Sendable {
    let paragraphs: [BenchParagraph]
    /// Inputs with their keys already normalized.
    let inputs: [DedupInput]
    let keyBytes: Int
    /// Per-worker ICU state for the benchmarks that normalize (not thread-safe; one benchmark thread).
    let icu: ICUText

    init() throws {
        paragraphs = try BenchParagraphs.archive()
        inputs = paragraphs.enumerated().map { id, p in p.dedupInput(id: id, key: p.key) }
        keys = inputs.map(\.key)
        keyBytes = BenchParagraphs.keyBytes(paragraphs)
        icu = try ICUText()
    }

    /// Normalizes every paragraph and deduplicates the keys: the whole stage.
    func normalizeAndDeduplicate() -> DedupResult {
        let dedup = ParagraphDeduplicator()
        for (id, p) in paragraphs.enumerated() {
            dedup.add(p.dedupInput(id: id, key: icu.normalize(p.text, .key)))
        }
        return dedup.finish()
    }

    /// The keys by id, for `keyOf`.
    let keys: [String]

    /// Deduplicates the precomputed keys: shingle, sketch, band, verify and `finish()`. Earlier
    /// keys are read from `keys` (`keyOf`), as the pipeline does; `copyKeys`: the deduplicator
    /// copies the distinct keys instead.
    func deduplicate(copyKeys: Bool = false) -> DedupResult {
        let dedup = makeDeduplicator(copyKeys: copyKeys)
        for input in inputs { dedup.add(input) }
        return dedup.finish()
    }

    func makeDeduplicator(copyKeys: Bool = false) -> ParagraphDeduplicator {
        let keys = self.keys
        return copyKeys ? ParagraphDeduplicator() : ParagraphDeduplicator(keyOf: { keys[$0] })
    }
}

/// The keys the deduplicator shingles and sketches, and their band keys, prepared once per
/// benchmark process.
///
/// `add(_:)` sketches a paragraph when its key is new (no exact copy fed before) and has
/// `minNearLength` characters or more: one LSH lookup each; the paragraph is inserted into the
/// band index when the lookup finds no near duplicate (it is kept). Distinctness is taken on the
/// key before quote markers are stripped (a handful of quoted copies more than the pipeline
/// sketches). Japanese keys near the short/long boundary get a second lookup with the other
/// shingle size in the pipeline; here one.
final class SketchWorkload: @unchecked Sendable {
    let keys: [String]
    let langs: [Language]
    let bytes: Int
    /// `DedupOptions().bands` band keys per key, key after key.
    let bandKeys: [UInt64]
    let bands: Int
    /// Whether the key's paragraph is kept (inserted into the index after its lookup).
    let inserted: [Bool]
    /// Only for `withSketch`: stores nothing.
    let sketcher = ParagraphDeduplicator()

    init() throws {
        let w = try DedupWorkload()
        let result = w.deduplicate()
        let minLength = DedupOptions().minNearLength
        var seen = Set<String>()
        var keys: [String] = [], langs: [Language] = [], inserted: [Bool] = []
        for (id, input) in w.inputs.enumerated() where seen.insert(input.key).inserted {
            guard input.key.unicodeScalars.count >= minLength else { continue }
            keys.append(input.key)
            langs.append(input.lang)
            inserted.append(result.isKept(id))
        }
        self.keys = keys
        self.langs = langs
        self.inserted = inserted
        bytes = keys.reduce(0) { $0 + $1.utf8.count }
        bands = sketcher.options.bands
        var bandKeys: [UInt64] = []
        bandKeys.reserveCapacity(keys.count * bands)
        for (key, lang) in zip(keys, langs) {
            sketcher.withSketch(of: key, lang: lang) { bandKeys.append(contentsOf: $0) }
        }
        self.bandKeys = bandKeys
    }

    /// Shingles and sketches every key; returns a checksum of the band keys.
    func sketchAll() -> UInt64 {
        var check: UInt64 = 0
        for i in keys.indices {
            check ^= sketcher.withSketch(of: keys[i], lang: langs[i]) { $0[0] }
        }
        return check
    }

    /// Looks every key up in a new band index and inserts the kept ones, in feeding order;
    /// returns the index and the number of candidates the lookups found.
    func lookUpAndInsert() -> (BandIndex, Int) {
        var index = BandIndex(bands: bands)
        var found: [Int32] = []
        found.reserveCapacity(4096)
        var candidates = 0
        var ordinal: Int32 = 0
        bandKeys.withUnsafeBufferPointer { all in
            for i in keys.indices {
                let mine = UnsafeBufferPointer(rebasing: all[i * bands..<(i + 1) * bands])
                found.removeAll(keepingCapacity: true)
                index.collect(mine, into: &found)
                candidates += found.count
                if inserted[i] {
                    index.insert(mine, ordinal)
                    ordinal += 1
                }
            }
        }
        return (index, candidates)
    }

    nonisolated(unsafe) static var reported = false

    /// Prints the workload's figures once per process.
    func report(candidates: Int) {
        guard !Self.reported else { return }
        Self.reported = true
        let insertions = inserted.filter { $0 }.count
        let line = "sketch/LSH workload: \(keys.count) distinct keys of \(DedupOptions().minNearLength)+ characters (\(bytes) B),"
            + " \(bands) bands; \(keys.count) lookups, \(insertions) insertions, \(candidates) band matches"
            + String(format: " (%.2f per lookup, before verification)\n", Double(candidates) / Double(max(1, keys.count)))
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// Heap per unique paragraph, and what it is made of.
enum DedupMemory {
    static let peakFeedingPerUnique = BenchmarkMetric.custom("peak heap B/unique, feeding", useScalingFactor: false)
    static let peakPerUnique = BenchmarkMetric.custom("peak heap B/unique, with finish", useScalingFactor: false)
    static let retainedPerUnique = BenchmarkMetric.custom("retained B/unique after feeding", useScalingFactor: false)
    static let retainedWithoutCachePerUnique = BenchmarkMetric.custom(
        "retained B/unique, bounded key caches left out", useScalingFactor: false)
    static let indexPerUnique = BenchmarkMetric.custom(
        "index B/unique (exact and band tables, indexed ids)", useScalingFactor: false)

    nonisolated(unsafe) static var reported = false

    /// Prints the measured figures once per process, next to what the deduplicator's documented
    /// layout predicts component by component. The model is approximate: it counts arrays at their
    /// exact size; growth slack (arrays double), the doc and source intern tables and the transient
    /// copies while an array grows make up the difference. The keys are the workload's (`keyOf`):
    /// the deduplicator stores no key text.
    static func report(_ w: DedupWorkload, _ result: DedupResult, peakFeeding: Int, peak: Int, retained: Int, cache: Int, index: Int) {
        guard !reported else { return }
        reported = true
        let options = DedupOptions()
        let n = result.count
        let unique = result.counts.kept
        var distinctKeys = Set<String>()
        var indexedForNear = 0
        var near = 0
        var runs = 0
        for (id, input) in w.inputs.enumerated() {
            // A run: consecutive ids of one document and source, paragraph indices counting up.
            if id == 0 || w.inputs[id - 1].doc != input.doc || w.inputs[id - 1].source != input.source
                || w.inputs[id - 1].paragraph + 1 != input.paragraph { runs += 1 }
            distinctKeys.insert(input.key)
            if result.isKept(id), input.key.unicodeScalars.count >= options.minNearLength { indexedForNear += 1 }
            if let m = result.member(id), m.similarity != 1 { near += 1 }
        }
        /// Slots of an open-addressing table that starts at 2^p slots and is kept at most `load` full.
        func slots(_ entries: Int, from p: Int, load: Double) -> Int {
            var slots = 1 << p
            while Double(entries) > Double(slots) * load { slots *= 2 }
            return slots
        }
        // Kept paragraph, kind, flags and language: 5 B a paragraph, in memory for the first 2 million
        // (past them in temporary files); 12 B a run, in memory for the first 65,536 while feeding
        // (`DedupRuns.spilling`); per distinct key its paragraph and kept paragraph, 8 B.
        let residentRuns = min(runs, 1 << 16)
        let perParagraph = 5 * min(n, 1 << 21) + 12 * residentRuns + 8 * distinctKeys.count
        let exactTable = slots(distinctKeys.count, from: 12, load: 0.7) * 8
        // One table per band, each with one entry per indexed paragraph, at most 80% full; plus
        // id, key ordinal, distinct shingle count and shingle size (13 B) per indexed paragraph.
        let bandTable = slots(indexedForNear, from: 10, load: 0.8) * 5 * options.bands
        let perIndexed = 13 * indexedForNear
        func perUnique(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / Double(max(1, unique))) }
        let lines = [
            "dedup memory: \(n) paragraphs, \(unique) unique (kept), \(distinctKeys.count) distinct keys,"
                + " \(indexedForNear) kept keys in the LSH index (\(indexedForNear * options.bands) band entries)",
            "  measured: peak heap while feeding \(peakFeeding) B = \(perUnique(peakFeeding)) B/unique paragraph;"
                + " with finish() \(peak) B = \(perUnique(peak)); retained after feeding \(retained) B = \(perUnique(retained))"
                + " (issue 4: at most about 200); of it the two key caches (candidate shingles, exact matches) \(cache) B = \(perUnique(cache)),"
                + " bounded at about 21 MB together whatever the archive's size; without it \(perUnique(retained - cache));"
                + " the index proper (exact table, band tables, per indexed paragraph id, shingle count and size) \(index) B = \(perUnique(index))",
            "  model, B/unique: band index \(perUnique(bandTable)) (\(bandTable) B) + \(perUnique(perIndexed)) per indexed paragraph;"
                + " exact index \(perUnique(exactTable)); per-paragraph arrays \(perUnique(perParagraph)) (5 B x \(min(n, 1 << 21)) in memory + 12 B x \(residentRuns) runs + 8 B x \(distinctKeys.count) distinct keys);"
                + " near similarities \(perUnique(8 * near)); key text 0 (keyOf)",
        ]
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Dedup stage: normalize + shingle, sketch, band, verify, finish",
        configuration: .bytes([.cpuTotal, .mallocCountTotal, .peakMemoryResidentDelta])
    ) { benchmark, w in
        let result = benchmark.measureBytes(w.keyBytes) { w.normalizeAndDeduplicate() }
        blackHole(result)
    } setup: {
        try DedupWorkload()
    }

    Benchmark(
        "Dedup index: shingle, sketch, band, verify, finish (keys precomputed)",
        configuration: .bytes([.cpuTotal, .mallocCountTotal, .peakMemoryResidentDelta])
    ) { benchmark, w in
        let result = benchmark.measureBytes(w.keyBytes) { w.deduplicate() }
        blackHole(result)
    } setup: {
        try DedupWorkload()
    }

    Benchmark(
        "Dedup index, keys copied: shingle, sketch, band, verify, finish (keys precomputed, no keyOf)",
        configuration: .bytes([.cpuTotal, .mallocCountTotal, .peakMemoryResidentDelta])
    ) { benchmark, w in
        let result = benchmark.measureBytes(w.keyBytes) { w.deduplicate(copyKeys: true) }
        blackHole(result)
    } setup: {
        try DedupWorkload()
    }

    // Shingle + sketch alone: for every key the pipeline sketches, quote markers stripped, scalars
    // decoded, one 64-bit hash per 5-gram (3-gram for short Japanese keys), one-permutation MinHash
    // into 120 bins with densification, 20 band keys (`ParagraphDeduplicator.withSketch`, SPI).
    Benchmark(
        "Dedup shingle + sketch (distinct keys of 24+ characters)",
        configuration: .bytes([.itemsPerSecond, .mallocCountTotal])
    ) { benchmark, w in
        let check = benchmark.measure(bytes: w.bytes, items: w.keys.count) { w.sketchAll() }
        blackHole(check)
    } setup: {
        try SketchWorkload()
    }

    // The LSH band index alone (`BandIndex`, SPI): from an empty index, one lookup per sketched
    // key (20 bands) and one insertion per kept one, in feeding order; band keys precomputed,
    // candidates not verified. Items are lookups; the peak heap is the index's growth.
    Benchmark(
        "Dedup LSH: band index lookup + insert (band keys precomputed)",
        configuration: .items([.mallocCountTotal, .peakHeap])
    ) { benchmark, w in
        let (index, candidates) = benchmark.measure(items: w.keys.count, peakHeap: true) { w.lookUpAndInsert() }
        w.report(candidates: candidates)
        blackHole(index)
    } setup: {
        try SketchWorkload()
    }

    // Heap growth of the deduplicator: the exact peak of live bytes through the malloc
    // interposer's allocation hook (the inputs exist before the measurement and are not counted).
    Benchmark(
        "Dedup memory: heap per unique paragraph (keys precomputed)",
        configuration: .init(
            metrics: [DedupMemory.peakFeedingPerUnique, DedupMemory.peakPerUnique, DedupMemory.retainedPerUnique,
                      DedupMemory.retainedWithoutCachePerUnique, DedupMemory.indexPerUnique, .mallocCountTotal,
                      .peakMemoryResidentDelta],
            warmupIterations: 0, maxDuration: .seconds(10), maxIterations: 3)
    ) { benchmark, w in
        benchmark.startMeasurement()
        let region = PeakHeap.start()
        // The keys are read from the workload (`keyOf`), as the pipeline reads them from its paragraphs.
        let dedup = w.makeDeduplicator()
        for input in w.inputs { dedup.add(input) }
        let retained = region.live
        let peakFeeding = region.peak
        let cache = dedup.cacheBytes
        let index = dedup.indexBytes
        let result = dedup.finish()
        let peak = region.peak
        PeakHeap.stop()
        benchmark.stopMeasurement()
        guard region.isCounting else {
            benchmark.error("the malloc interposer counted nothing: no heap figures")
            return
        }
        let unique = max(1, result.counts.kept)
        benchmark.measurement(DedupMemory.peakFeedingPerUnique, peakFeeding / unique)
        benchmark.measurement(DedupMemory.peakPerUnique, peak / unique)
        benchmark.measurement(DedupMemory.retainedPerUnique, retained / unique)
        benchmark.measurement(DedupMemory.retainedWithoutCachePerUnique, (retained - cache) / unique)
        benchmark.measurement(DedupMemory.indexPerUnique, index / unique)
        DedupMemory.report(w, result, peakFeeding: peakFeeding, peak: peak, retained: retained, cache: cache, index: index)
        blackHole(dedup)
    } setup: {
        try DedupWorkload()
    }
}
