// The text layer per language: ICU key normalization, ICU word break, language identification
// and the whole `TextAnalyzer.analyze` (identify + key + terms through ICU, Snowball, Voikko, MeCab).
//
// Input: every paragraph of one language (as identified) of a generated archive (6 MB of archive
// files: about 1.0 MB of Russian, 0.35 MB of Finnish and 0.77 MB of Japanese paragraph text), in
// input order with the archive's own repeats (greetings, signatures, footers). "bytes/s (K)" is
// over the UTF-8 bytes of the paragraph texts (19512 K is 19.5 MB/s); `.throughput` counts passes
// over the set per second.

import Benchmark
import RecurBenchSupport
import RecurKit

/// The paragraphs of one language and the analyzer state, prepared once per benchmark process.
final class TextWorkload: @unchecked Sendable {
    let texts: [String]
    let bytes: Int
    /// One worker's state (not thread-safe: each benchmark runs on one thread).
    let analyzer: TextAnalyzer

    init(_ language: Language) throws {
        texts = try BenchParagraphs.archive(bytes: 6_000_000).filter { $0.lang == language }.map(\.text)
        bytes = texts.reduce(0) { $0 + $1.utf8.count }
        analyzer = try TextAnalyzer()
    }
}

let benchmarks: @Sendable () -> Void = {
    for language in [Language.ru, .fi, .ja] {
        Benchmark("ICU normalize key (\(language))", configuration: .bytes()) { benchmark, w in
            benchmark.measureBytes(w.bytes) {
                for text in w.texts { blackHole(w.analyzer.icu.normalize(text, .key)) }
            }
        } setup: {
            try TextWorkload(language)
        }

        Benchmark("ICU word break (\(language))", configuration: .bytes()) { benchmark, w in
            let words = benchmark.measureBytes(w.bytes) {
                var words = 0
                for var text in w.texts {
                    text.withUTF8 { w.analyzer.icu.forEachWord(in: $0) { _, _ in words += 1 } }
                }
                return words
            }
            blackHole(words)
        } setup: {
            try TextWorkload(language)
        }

        Benchmark("Language identification (\(language))", configuration: .bytes()) { benchmark, w in
            benchmark.measureBytes(w.bytes) {
                for text in w.texts { blackHole(w.analyzer.identify(text)) }
            }
        } setup: {
            try TextWorkload(language)
        }

        // The analyzer caches each word's analysis: after the warm-up pass every word is cached,
        // as it is for most words of a long run (archive vocabularies are small).
        Benchmark("TextAnalyzer.analyze, warm word cache (\(language))", configuration: .bytes([.mallocCountTotal])) { benchmark, w in
            benchmark.measureBytes(w.bytes) {
                for text in w.texts { blackHole(w.analyzer.analyze(text)) }
            }
        } setup: {
            try TextWorkload(language)
        }

        // A new analyzer per pass (opened outside the measurement): every word is analyzed once
        // by Snowball/Voikko/MeCab, as at the start of a run.
        Benchmark("TextAnalyzer.analyze, cold word cache (\(language))", configuration: .bytes([.mallocCountTotal])) { benchmark, w in
            guard let analyzer = try? TextAnalyzer() else {
                benchmark.error("cannot open the text analyzers")
                return
            }
            benchmark.measureBytes(w.bytes) {
                for text in w.texts { blackHole(analyzer.analyze(text)) }
            }
        } setup: {
            try TextWorkload(language)
        }
    }
}
