// analyzer-baseline: "the language analyzers alone" over an archive, timed, for the macro
// benchmark (scripts/bench.sh) that compares `recur analyze --jobs 2` with it.
//
// What is timed, and why: every paragraph goes through `TextAnalyzer.analyze` (language
// identification, the ICU matching key, ICU sentence and word break, and per word ICU case folding
// plus MeCab (ja), Voikko (fi, Snowball for unknown words) or Snowball (ru), with the analyzer's
// caches: per word, Voikko's word check, and the memo of recent paragraphs that answers a paragraph
// repeated word for word), on `--threads` threads (default 2), each thread with a fresh `TextAnalyzer` of its
// own (empty caches, as every recur worker starts), taking chunks of paragraphs from a shared
// counter. That is the work any tool that lemmatizes these languages must do at least, done with the
// same analyzers and settings as recur; what recur does on top of it (reading, charset detection,
// parsing formats, splitting paragraphs, ordering results, deduplication, themes, writing reports)
// is what the comparison measures.
//
// Not timed: walking the archive, reading and decoding its files, parsing documents and splitting
// paragraphs (RecurKit's InputWalker, DocumentReader, ParagraphSplitter: the same paragraphs recur
// analyzes), and opening the analyzers (MeCab's dictionary, Voikko) -- recur pays for those, so the
// baseline is, if anything, fast, and the comparison strict.
//
// Prints one JSON object on stdout: seconds of every run, their median, the bytes of the files read
// (the MB/s base, the same as recur's input bytes), the paragraphs' text bytes, paragraphs, threads.
// Not linked with the benchmark package's malloc interposer, so timings match a plain recur build.

import ArgumentParser
import BenchClock
import Foundation
import RecurKit
import Synchronization

struct AnalyzerBaseline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyzer-baseline",
        abstract: "Times recur's language analyzers alone (TextAnalyzer.analyze per paragraph) over an archive's paragraphs.",
        discussion: """
            The archive is read and split into paragraphs first (untimed), the way recur reads it; \
            then every paragraph's text is analyzed (language id, key, terms) on --threads threads, \
            one fresh TextAnalyzer per thread. Prints a JSON summary on stdout and one line on stderr.

            Examples:
              analyzer-baseline archive/ --exclude README.md --exclude truth.json --runs 3
            """
    )

    @Argument(help: ArgumentHelp("Archive folders or files (as for recur).", valueName: "input"))
    var inputs: [String]

    @Option(help: ArgumentHelp("Leave out files whose relative path or name matches this shell pattern (repeatable).", valueName: "pattern"))
    var exclude: [String] = []

    @Option(help: "Threads, each with its own analyzer.")
    var threads = 2

    @Option(help: "Timed runs; the median is reported.")
    var runs = 3

    @Option(help: ArgumentHelp(
        "Estimated bytes per generation of each analyzer's memo of recent paragraphs (0: none; recur's default unless given).",
        valueName: "bytes"))
    var memoBytes = TextAnalyzer.defaultAnalysisMemoBytes

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1.") }
        if runs < 1 { throw ValidationError("--runs must be at least 1.") }
    }

    func run() throws {
        let (texts, fileBytes, files) = try Self.readParagraphs(inputs, exclude: exclude)
        guard !texts.isEmpty else { throw ValidationError("no paragraphs in \(inputs.joined(separator: " "))") }
        let textBytes = texts.reduce(0) { $0 + $1.utf8.count }

        var seconds: [Double] = []
        var terms = 0, memoHits = 0
        for _ in 0..<runs {
            // Fresh analyzers each run (empty word caches); opened before the clock starts.
            let analyzers = try (0..<threads).map { _ in Lease(try TextAnalyzer(analysisMemoBytes: memoBytes)) }
            let (count, s) = BenchClock.timed { Self.analyzeAll(texts, with: analyzers) }
            seconds.append(s)
            terms = count
            memoHits = analyzers.reduce(0) { $0 + $1.analyzer.memoHits }
        }
        let median = BenchClock.median(seconds)
        let summary: [String: Any] = [
            "tool": "analyzer-baseline (TextAnalyzer.analyze per paragraph)",
            "threads": threads,
            "files": files,
            "file_bytes": fileBytes,
            "text_bytes": textBytes,
            "paragraphs": texts.count,
            // Paragraphs whose text (byte for byte) an earlier one had, and those the memo answered (last run).
            "repeated_paragraphs": texts.count - Set(texts.map { Array($0.utf8) }).count,
            "memo_bytes": memoBytes,
            "memo_hits": memoHits,
            "terms": terms,
            "seconds": seconds,
            "median_seconds": median,
            "mb_per_s": Double(fileBytes) / 1e6 / median,
            "paragraphs_per_s": Double(texts.count) / median,
        ]
        let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
        FileHandle.standardError.write(Data(String(
            format: "analyzer-baseline: %d paragraphs, %.2f MB of files (%.2f MB of text), %d threads: %.3f s (median of %d), %.2f MB/s\n",
            texts.count, Double(fileBytes) / 1e6, Double(textBytes) / 1e6, threads, median, runs, Double(fileBytes) / 1e6 / median
        ).utf8))
    }

    // MARK: - Input (untimed)

    /// Every paragraph's text, in input order, read with RecurKit's walker, reader and splitter.
    static func readParagraphs(_ inputs: [String], exclude: [String]) throws -> (texts: [String], fileBytes: Int, files: Int) {
        let walked = InputWalker.collect(inputs)
        let reader = DocumentReader()
        var texts: [String] = []
        var fileBytes = 0
        var files = 0
        for file in walked.files {
            let name = (file.relativePath as NSString).lastPathComponent
            if exclude.contains(where: { fnmatch($0, file.relativePath, 0) == 0 || fnmatch($0, name, 0) == 0 }) { continue }
            let bytes: [UInt8]
            do {
                bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file.path)))
            } catch {
                throw ValidationError("cannot read \(file.path): \(error)")
            }
            files += 1
            fileBytes += bytes.count
            for document in reader.read(file, bytes: bytes, modificationDate: nil).documents {
                for raw in ParagraphSplitter.split(document.text) { texts.append(raw.text) }
            }
        }
        return (texts, fileBytes, files)
    }

    // MARK: - Timed part

    /// A `TextAnalyzer` (not Sendable: native handles and a cache) used by exactly one thread.
    final class Lease: @unchecked Sendable {
        let analyzer: TextAnalyzer
        init(_ analyzer: TextAnalyzer) { self.analyzer = analyzer }
    }

    /// Analyzes every text on `analyzers.count` threads; chunks of paragraphs are handed out by an
    /// atomic counter so that both threads stay busy to the end. Returns the number of terms found
    /// (so that nothing can be optimized away).
    static func analyzeAll(_ texts: [String], with analyzers: [Lease]) -> Int {
        let next = Atomic<Int>(0)
        let termCount = Atomic<Int>(0)
        let chunk = 64
        DispatchQueue.concurrentPerform(iterations: analyzers.count) { worker in
            let analyzer = analyzers[worker].analyzer
            var terms = 0
            while true {
                let start = next.add(chunk, ordering: .relaxed).oldValue
                if start >= texts.count { break }
                for i in start..<min(start + chunk, texts.count) {
                    terms += analyzer.analyze(texts[i]).terms.count
                }
            }
            termCount.add(terms, ordering: .relaxed)
        }
        return termCount.load(ordering: .relaxed)
    }
}

AnalyzerBaseline.main()
