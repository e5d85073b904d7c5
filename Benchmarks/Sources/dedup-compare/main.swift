// dedup-compare: recur's deduplication stage over a `recur normalize` JSONL file, timed, for the
// side-by-side run with datasketch (scripts/bench-dedup-vs-datasketch.sh).
//
// Reads the paragraphs once (untimed), then times, each `--runs` times on one thread:
// - dedup: `ParagraphDeduplicator` over the file's keys (quote-marker stripping, exact hash,
//   shingle, sketch, band, verify, `finish()`), reading earlier keys from the input as the pipeline
//   does (`--copy-keys`: the deduplicator copies them instead);
// - normalize + dedup: the same with every key computed from the text by ICU in the loop.
// Writes the duplicates it found (one line per non-kept paragraph) and prints a JSON summary.

import ArgumentParser
import BenchClock
import Foundation
@_spi(Benchmarks) import RecurKit

struct DedupCompare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup-compare",
        abstract: "Times recur's deduplication stage over a `recur normalize` JSONL file and writes the duplicates it finds.",
        discussion: """
            Paragraph ids are 0-based line numbers of the input. The duplicates file has one \
            tab-separated line per non-kept paragraph: id, kept id, kind (exact, near, quote, \
            boilerplate), Jaccard similarity. The summary (stdout) is one JSON object with the \
            options, the counts, and the seconds of every run and their medians.

            Examples:
              dedup-compare keys.jsonl --duplicates recur-duplicates.tsv --runs 5
              dedup-compare keys.jsonl --runs 1 --dedup-only --similarity-histogram
              dedup-compare --print-options
            """
    )

    @Argument(help: ArgumentHelp("`recur normalize` output: one JSON object per paragraph with doc, paragraph, source, lang, text and key.", valueName: "keys.jsonl"))
    var input: String?

    @Option(help: ArgumentHelp("Where to write the duplicates (TSV).", valueName: "file"))
    var duplicates: String?

    @Option(help: "Timed runs of each variant; the medians are reported.")
    var runs = 5

    @Flag(help: "Let the deduplicator copy the keys it needs (no keyOf: the mode of callers that do not keep their keys).")
    var copyKeys = false

    @Flag(help: "Time only the dedup variant (no ICU normalization runs; for profiling).")
    var dedupOnly = false

    @Flag(help: "After the timed runs, one more (untimed) that computes the real Jaccard similarity of every LSH candidate verified, reported as `candidate_similarity` (20 bins of 0.05).")
    var similarityHistogram = false

    @Option(help: "Threads making the near-duplicate lookups (ParagraphDeduplicator's threads; the per-core figure is with 1).")
    var threads = 1

    @Option(help: "LSH candidates verified per paragraph at most (DedupOptions.maxCandidates; default: its default).")
    var maxCandidates: Int?

    @Option(help: ArgumentHelp("log2 of the slots a band table of the LSH index grows to before its entries go to disk (default: the pipeline's, BandIndex.defaultResidentPowerOfTwo; 30: never).", valueName: "bits"))
    var residentBandSlots: Int?

    @Flag(help: "Print the default DedupOptions as JSON and exit (the Python side reads them).")
    var printOptions = false

    func validate() throws {
        if !printOptions && input == nil { throw ValidationError("Give the JSONL file to read.") }
        if runs < 1 { throw ValidationError("--runs must be at least 1.") }
    }

    func run() throws {
        var options = DedupOptions()
        if let maxCandidates { options.maxCandidates = maxCandidates }
        if printOptions {
            print(Self.json(Self.optionsObject(options)))
            return
        }
        let records = try Self.read(input!)
        // Like the pipeline, which numbers documents by their store record and reads an id back only
        // for a report: documents numbered in order of appearance, untimed.
        var numbers: [String: Int] = [:]
        var names: [String] = []
        let inputs = records.enumerated().map { id, r in
            var input = r.dedupInput(id: id, key: r.key)
            input.documentNumber = numbers[r.doc] ?? {
                numbers[r.doc] = names.count
                names.append(r.doc)
                return names.count - 1
            }()
            return input
        }
        let documentNames = names
        let keys = inputs.map(\.key)
        let keyBytes = records.reduce(0) { $0 + $1.key.utf8.count }
        let textBytes = records.reduce(0) { $0 + $1.text.utf8.count }
        let icu = try ICUText()
        let keyMismatches = dedupOnly ? 0 : records.reduce(0) { $0 + (icu.normalize($1.text, .key) == $1.key ? 0 : 1) }

        var dedupSeconds: [Double] = []
        var normalizeSeconds: [Double] = []
        var result: DedupResult?
        var cacheMisses = (hashes: 0, keyReads: 0)
        var batchedLookups = (extended: 0, repeated: 0)
        var exactKeyReads = 0
        var bandProbes: BandProbes?
        var bandSpills = (runs: 0, fileBytes: 0)
        for _ in 0..<runs {
            let ((r, (misses, batched, exactReads, probes)), seconds) = BenchClock.timed {
                // Like the pipeline, which keeps its paragraphs: the deduplicator reads earlier keys from `inputs`.
                let dedup = copyKeys
                    ? ParagraphDeduplicator(options: options)
                    : ParagraphDeduplicator(options: options, keyOf: { keys[$0] }, documentName: { documentNames[$0] }, threads: threads)
                if let residentBandSlots { dedup.keepBandEntriesInMemory(upToPowerOfTwo: residentBandSlots) }
                for input in inputs { dedup.add(input) }
                bandSpills = dedup.bandSpills
                return (dedup.finish(), (dedup.candidateCacheMisses, (dedup.lookupsExtended, dedup.lookupsRepeated), dedup.exactKeyReads, dedup.bandProbes))
            }
            dedupSeconds.append(seconds)
            result = r
            cacheMisses = misses
            batchedLookups = batched
            exactKeyReads = exactReads
            bandProbes = probes
            if dedupOnly { continue }
            let (_, withNormalize) = BenchClock.timed {
                let dedup = ParagraphDeduplicator(options: options)
                for (id, record) in records.enumerated() {
                    dedup.add(record.dedupInput(id: id, key: icu.normalize(record.text, .key)))
                }
                return dedup.finish()
            }
            normalizeSeconds.append(withNormalize)
        }

        if let duplicates, let result { try Self.writeDuplicates(result, to: duplicates) }
        var histogram: [Int]?
        if similarityHistogram {
            let dedup = ParagraphDeduplicator(options: options, keyOf: { keys[$0] }, documentName: { documentNames[$0] })
            dedup.candidateSimilarityHistogram = [Int](repeating: 0, count: 20)
            for input in inputs { dedup.add(input) }
            histogram = dedup.candidateSimilarityHistogram
        }
        let c = result!.counts
        var summary: [String: Any] = [
            "tool": "recur ParagraphDeduplicator",
            "paragraphs": records.count,
            "key_bytes": keyBytes,
            "text_bytes": textBytes,
            "icu_key_mismatches": keyMismatches,
            "options": Self.optionsObject(options),
            "counts": [
                "kept": c.kept, "removed": c.removed, "exact": c.exact, "near": c.near, "quote": c.quote,
                "boilerplate": c.boilerplate, "short": c.short, "candidates_verified": c.candidatesVerified,
                "candidates_accepted": c.candidatesAccepted,
                // Of the candidates verified: shingle hashes not cached, and of those, keys not cached either (read back).
                "candidate_hash_cache_misses": cacheMisses.hashes, "candidate_key_reads": cacheMisses.keyReads,
                // Exact and boilerplate matches whose kept key was not in the exact-match cache (read back to compare).
                "exact_key_reads": exactKeyReads,
                // Near lookups of the LSH band index, the (lookup, band) pairs that found entries, and the entries found.
                "band_lookups": bandProbes?.lookups ?? 0, "band_lookup_bands_with_entries": bandProbes?.bandsWithEntries ?? 0,
                "band_lookup_entries": bandProbes?.entries ?? 0,
                // The band index's runs on disk at the end (merged two by two) and the bytes written to their file.
                "band_runs_on_disk": bandSpills.runs, "band_file_bytes": bandSpills.fileBytes,
                // With --threads above 1: near lookups extended, and made again, in order
                // (ParagraphDeduplicator.lookupsExtended, lookupsRepeated).
                "lookups_extended": batchedLookups.extended, "lookups_repeated": batchedLookups.repeated,
            ],
            "threads": threads,
            "dedup_seconds": dedupSeconds,
            "dedup_median": BenchClock.median(dedupSeconds),
            "normalize_dedup_seconds": normalizeSeconds,
            "normalize_dedup_median": normalizeSeconds.isEmpty ? 0 : BenchClock.median(normalizeSeconds),
        ]
        if let histogram {
            summary["candidate_similarity"] = histogram.enumerated().map { bin, count in
                ["from": Double(bin) / 20, "to": Double(bin + 1) / 20, "candidates": count] as [String: Any]
            }
        }
        print(Self.json(summary))
    }

    // MARK: - Input

    /// The fields of a `recur normalize` line that the deduplicator uses.
    struct Record: Decodable {
        var doc: String
        var paragraph: Int
        var source: String
        var lang: String
        var text: String
        var key: String
        var quote: Bool?
        var signature: Bool?

        func dedupInput(id: Int, key: String) -> DedupInput {
            DedupInput(
                id: id, doc: doc, paragraph: paragraph, source: source, lang: Language(rawValue: lang) ?? .other,
                key: key, isQuote: quote ?? false, isSignature: signature ?? false)
        }
    }

    static func read(_ path: String) throws -> [Record] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONDecoder()
        var records: [Record] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            lineNumber += 1
            do {
                records.append(try decoder.decode(Record.self, from: Data(line)))
            } catch {
                throw ValidationError("\(path):\(lineNumber): not a recur normalize record (\(error))")
            }
        }
        return records
    }

    // MARK: - Output

    static func writeDuplicates(_ result: DedupResult, to path: String) throws {
        var out = "id\tkept_id\tkind\tsimilarity\n"
        for id in 0..<result.count {
            guard let m = result.member(id) else { continue }
            out += "\(id)\t\(m.keptID)\t\(m.kind.rawValue)\t\(String(format: "%.6f", m.similarity))\n"
        }
        try Data(out.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func optionsObject(_ o: DedupOptions) -> [String: Any] {
        [
            "shingle_size": o.shingleSize, "short_japanese_shingle_size": o.shortJapaneseShingleSize,
            "short_japanese_length": o.shortJapaneseLength, "threshold": o.threshold, "bands": o.bands,
            "rows": o.rows, "min_near_length": o.minNearLength, "max_candidates": o.maxCandidates,
        ]
    }

    static func json(_ object: [String: Any]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

DedupCompare.main()
