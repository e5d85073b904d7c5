// The text layer per language: ICU key normalization, ICU word break, language identification,
// each analyzer on its own (Snowball Russian stems, Voikko Finnish lemmas, MeCab Japanese
// morphemes) and the whole `TextAnalyzer.analyze` (identify + key + terms through ICU, Snowball,
// Voikko, MeCab).
//
// Input: every paragraph of one language (as identified) of a generated archive (6 MB of archive
// files: about 1.0 MB of Russian, 0.35 MB of Finnish and 0.77 MB of Japanese paragraph text), in
// input order with the archive's own repeats (greetings, signatures, footers). "bytes/s (K)" is
// over the UTF-8 bytes of the paragraph texts (19512 K is 19.5 MB/s); `.throughput` counts passes
// over the set per second; "items/s (K)" counts words or morphemes (the benchmark's name says which).
//
// The analyzer benchmarks call the library directly, with no word cache, on every word occurrence
// (`TextAnalyzer` caches each word's analysis, so in a run the library sees each distinct word once
// per worker: these are the figures of a cold cache).

import Benchmark
import RecurBenchSupport
import RecurKit

/// The paragraphs of one language and the analyzer state, prepared once per benchmark process.
final class TextWorkload: @unchecked Sendable {
    let texts: [String]
    let bytes: Int
    /// One worker's state (not thread-safe: each benchmark runs on one thread).
    let analyzer: TextAnalyzer
    /// The same without the memo of recent paragraphs (`analysisMemoBytes: 0`): its word caches warm up.
    let memoless: TextAnalyzer

    init(_ language: Language) throws {
        texts = try BenchParagraphs.archive(bytes: 6_000_000).filter { $0.lang == language }.map(\.text)
        bytes = texts.reduce(0) { $0 + $1.utf8.count }
        analyzer = try TextAnalyzer()
        memoless = try TextAnalyzer(analysisMemoBytes: 0)
    }
}

/// The words of one language's paragraphs, in order, as `TextAnalyzer` hands them to the analyzers
/// (ICU word break, numbers skipped), and the analyzers, prepared once per benchmark process.
final class WordWorkload: @unchecked Sendable {
    /// Russian: the key-folded words that are not stopwords (Snowball's input). Finnish: the words
    /// as written (Voikko's input), case endings after a colon (`CRM:ään`) skipped as the analyzer does.
    let words: [String]
    let bytes: Int
    let russian: SnowballStemmer
    let voikko: VoikkoAnalyzer

    init(_ language: Language) throws {
        let texts = try TextWorkload(language).texts
        let icu = try ICUText()
        var words: [String] = []
        for var text in texts {
            text.withUTF8 { utf8 in
                var previousEnd = -2
                icu.forEachWord(in: utf8) { range, kind in
                    defer { previousEnd = range.upperBound }
                    if language == .fi, range.lowerBound == previousEnd + 1, utf8[previousEnd] == UInt8(ascii: ":") { return }
                    guard kind != .number else { return }
                    let surface = String(decoding: UnsafeBufferPointer(rebasing: utf8[range]), as: UTF8.self)
                    if language == .ru {
                        let folded = icu.normalize(surface, .key)
                        if !folded.isEmpty, !Stopwords.contains(folded, language: .ru) { words.append(folded) }
                    } else {
                        words.append(surface)
                    }
                }
            }
        }
        self.words = words
        bytes = words.reduce(0) { $0 + $1.utf8.count }
        russian = try SnowballStemmer(algorithm: "russian")
        voikko = try VoikkoAnalyzer()
    }
}

/// The Japanese paragraphs as UTF-8 and a MeCab tagger.
final class MorphemeWorkload: @unchecked Sendable {
    let texts: [[UInt8]]
    let bytes: Int
    /// Morphemes MeCab finds in `texts` (counted in the setup).
    let morphemes: Int
    let mecab: MeCabTagger

    init() throws {
        texts = try TextWorkload(.ja).texts.map { Array($0.utf8) }
        bytes = texts.reduce(0) { $0 + $1.count }
        mecab = try MeCabTagger()
        morphemes = Self.tag(texts, mecab)
    }

    static func tag(_ texts: [[UInt8]], _ mecab: MeCabTagger) -> Int {
        var count = 0
        for text in texts {
            text.withUnsafeBufferPointer { mecab.forEachMorpheme(in: $0) { _ in count += 1 } }
        }
        return count
    }
}

let benchmarks: @Sendable () -> Void = {
    // Each analyzer alone. Snowball: `stem` of every folded Russian word that is not a stopword
    // (what `TextAnalyzer` stems; it then adjusts fleeting vowels, not measured here).
    Benchmark("Snowball stem, per word (ru)", configuration: .bytes([.itemsPerSecond, .mallocCountTotal])) { benchmark, w in
        benchmark.measure(bytes: w.bytes, items: w.words.count) {
            for word in w.words { blackHole(w.russian.stem(word)) }
        }
    } setup: {
        try WordWorkload(.ru)
    }

    // Voikko: `preferredAnalysis` (every analysis of the word, then the preferred one) of every
    // Finnish word as written; `TextAnalyzer` falls back to Snowball for words Voikko does not know.
    Benchmark("Voikko lemma, per word (fi)", configuration: .bytes([.itemsPerSecond, .mallocCountTotal])) { benchmark, w in
        benchmark.measure(bytes: w.bytes, items: w.words.count) {
            for word in w.words { blackHole(w.voikko.preferredAnalysis(word)) }
        }
    } setup: {
        try WordWorkload(.fi)
    }

    // MeCab: every morpheme (surface, part of speech, base form) of every Japanese paragraph, a
    // paragraph per call (`TextAnalyzer` calls it per sentence); items are morphemes.
    Benchmark("MeCab morphemes, per paragraph (ja)", configuration: .bytes([.itemsPerSecond, .mallocCountTotal])) { benchmark, w in
        let count = benchmark.measure(bytes: w.bytes, items: w.morphemes) { MorphemeWorkload.tag(w.texts, w.mecab) }
        blackHole(count)
    } setup: {
        try MorphemeWorkload()
    }

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
        // as it is for most words of a long run (archive vocabularies are small). Without the memo
        // of recent paragraphs, which would answer most of a pass it has seen before.
        Benchmark("TextAnalyzer.analyze, warm word cache (\(language))", configuration: .bytes([.mallocCountTotal])) { benchmark, w in
            benchmark.measureBytes(w.bytes) {
                for text in w.texts { blackHole(w.memoless.analyze(text)) }
            }
        } setup: {
            try TextWorkload(language)
        }

        // A new analyzer per pass (opened outside the measurement), as a worker starts. "Cold word
        // cache": every word is analyzed once by Snowball/Voikko/MeCab, without the memo of recent
        // paragraphs. "Cold caches with the paragraph memo": with it (the default 1 MB a
        // generation), so the archive's own repeats in input order are answered from memory.
        for (name, memoBytes) in [("cold word cache", 0), ("cold caches with the paragraph memo", TextAnalyzer.defaultAnalysisMemoBytes)] {
            Benchmark("TextAnalyzer.analyze, \(name) (\(language))", configuration: .bytes([.mallocCountTotal])) { benchmark, w in
                guard let analyzer = try? TextAnalyzer(analysisMemoBytes: memoBytes) else {
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
}
