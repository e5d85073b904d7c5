// The stages around the text layer and deduplication, each alone, one thread: decoding (charset
// detection and ICU conversion), document parsing (`DocumentReader` per format), paragraph
// splitting, the whole ingest of a file (read + split), theme counting (`ThemeExtractor.add` and
// `finish()`) and the CSV writers (`duplicates.csv`, the four theme CSVs).
//
// Input: the generated mixed ru/fi/ja archive (`BenchArchive`; 16 MB of archive files, 6 MB for
// decoding), in memory before the measurement. "bytes/s (K)" is over the stage's input bytes
// (decode, parse: the encoded file or document bytes; split: the decoded document text; themes: the
// theme paragraphs' text) or, for the writers, over the bytes written; 19512 K is 19.5 MB/s.
// "items/s (K)" counts documents, paragraphs or CSV rows (the benchmark's name says which);
// "peak heap (K)" is the exact peak of live heap during the measured part in KB (`PeakHeap`).

import Benchmark
import RecurBenchSupport
import RecurKit

let benchmarks: @Sendable () -> Void = {
    // Decoding one document at a time, as `DocumentReader` decodes a file or a MIME part: with the
    // charset detected (no declaration: notes, some mail) and with it declared (MIME `charset=`,
    // HTML meta). windows-1251 and KOI8-R hold the Russian documents, Shift_JIS and EUC-JP the
    // Japanese ones, UTF-8 all of them.
    for charset in ["windows-1251", "KOI8-R", "Shift_JIS", "EUC-JP", "UTF-8"] {
        Benchmark("Decode, charset detected (\(charset))", configuration: .bytes([.mallocCountTotal])) { benchmark, w in
            let invalid = benchmark.measure(bytes: w.bytes) { w.decodeAll(declared: false) }
            w.report()
            blackHole(invalid)
        } setup: {
            try DecodeWorkload(charset)
        }

        Benchmark("Decode, charset declared (\(charset))", configuration: .bytes([.mallocCountTotal])) { benchmark, w in
            let invalid = benchmark.measure(bytes: w.bytes) { w.decodeAll(declared: true) }
            blackHole(invalid)
        } setup: {
            try DecodeWorkload(charset)
        }
    }

    // Parsing: `DocumentReader.read` of every archive file of one format (decoding, MIME, HTML to
    // text, JSONL and CSV records, front matter, dates); items are documents.
    for format in DocumentFormat.allCases {
        Benchmark("Parse, DocumentReader (\(ParseWorkload.name(format)))", configuration: .bytes([.itemsPerSecond, .mallocCountTotal])) { benchmark, w in
            let documents = benchmark.measure(bytes: w.bytes, items: w.documents) { w.read() }
            blackHole(documents)
        } setup: {
            try ParseWorkload(format)
        }
    }

    // `ParagraphSplitter.split` of every document text of the archive; items are paragraphs.
    Benchmark("Parse, ParagraphSplitter (all documents)", configuration: .bytes([.itemsPerSecond, .mallocCountTotal])) { benchmark, w in
        let paragraphs = benchmark.measure(bytes: w.bytes, items: w.paragraphs) { w.splitAll() }
        blackHole(paragraphs)
    } setup: {
        try SplitWorkload()
    }

    // A file's way to its paragraphs in the pipeline, every format: `DocumentReader.read` then
    // `ParagraphSplitter.split` of each document (file reading not included); items are paragraphs.
    Benchmark("Ingest, read + split (all files)", configuration: .bytes([.itemsPerSecond, .mallocCountTotal])) { benchmark, w in
        let paragraphs = benchmark.measure(bytes: w.bytes, items: w.paragraphs) { w.readAndSplit() }
        blackHole(paragraphs)
    } setup: {
        try ParseWorkload(nil)
    }

    // Theme counting: a new `ThemeExtractor` fed every theme paragraph (terms analyzed in the
    // setup); items are paragraphs, the peak heap is the extractor's state.
    Benchmark("Themes, ThemeExtractor.add (content paragraphs)", configuration: .bytes([.itemsPerSecond, .mallocCountTotal, .peakHeap])) { benchmark, w in
        let extractor = benchmark.measure(bytes: w.themeBytes, items: w.themeParagraphs.count, peakHeap: true) { w.addAll() }
        w.reportFigures()
        blackHole(extractor)
    } setup: {
        try ArchiveWorkload(themes: true)
    }

    // `finish()` of an extractor fed every theme paragraph: candidates, eligibility, grouping,
    // timelines and episodes. Bytes are the paragraphs' text, as for `add`, so the two rates compare.
    Benchmark("Themes, ThemeExtractor.finish", configuration: .bytes([.mallocCountTotal, .peakHeap])) { benchmark, w in
        let report = benchmark.measure(bytes: w.themeBytes, peakHeap: true) { w.extractor.finish() }
        blackHole(report)
    } setup: {
        try ArchiveWorkload(themes: true)
    }

    // The CSV writers, rendering into memory (no file writing); bytes are the bytes written, items
    // the rows (header included).
    Benchmark("CSV, duplicates.csv (DuplicatesCSV.render)", configuration: .bytes([.itemsPerSecond, .mallocCountTotal, .peakHeap])) { benchmark, w in
        let size = w.duplicatesSize
        let csv = benchmark.measure(bytes: size.bytes, items: size.rows, peakHeap: true) { w.duplicatesCSV() }
        w.reportFigures()
        blackHole(csv)
    } setup: {
        try ArchiveWorkload(themes: false)
    }

    Benchmark("CSV, theme CSVs (themes, trends, episodes, mentions)", configuration: .bytes([.itemsPerSecond, .mallocCountTotal, .peakHeap])) { benchmark, w in
        let size = w.themeCSVSize
        let csvs = benchmark.measure(bytes: size.bytes, items: size.rows, peakHeap: true) { w.themeCSVs() }
        w.reportFigures()
        blackHole(csvs)
    } setup: {
        try ArchiveWorkload(themes: true)
    }
}
