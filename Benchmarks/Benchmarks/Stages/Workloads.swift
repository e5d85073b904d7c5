import Benchmark
import Foundation
import RecurBenchSupport
import RecurKit

/// One language's documents (their paragraphs joined by blank lines) encoded in one charset,
/// prepared once per benchmark process.
final class DecodeWorkload: @unchecked Sendable {
    let charset: String
    /// One byte string per document.
    let inputs: [[UInt8]]
    let bytes: Int
    let decoder = CharsetDecoder()

    /// The languages whose documents are encoded in `charset`.
    static func languages(_ charset: String) -> Set<Language> {
        switch charset {
        case "windows-1251", "KOI8-R": return [.ru]
        case "Shift_JIS", "EUC-JP": return [.ja]
        default: return [.ru, .fi, .ja]
        }
    }

    init(_ charset: String) throws {
        self.charset = charset
        let languages = Self.languages(charset)
        var texts: [String] = []
        var lastDoc: String?
        for p in try BenchParagraphs.archive(bytes: 6_000_000) where languages.contains(p.lang) {
            if p.doc == lastDoc {
                texts[texts.count - 1] += "\n\n" + p.text
            } else {
                texts.append(p.text)
                lastDoc = p.doc
            }
        }
        inputs = try texts.map { text in
            if charset == "UTF-8" { return Array(text.utf8) }
            guard let encoded = CharsetDecoder.encode(text, as: charset) else { throw BenchError("ICU has no \(charset) converter") }
            return encoded
        }
        bytes = inputs.reduce(0) { $0 + $1.count }
    }

    func decodeAll(declared: Bool) -> Int {
        var invalid = 0
        for input in inputs {
            invalid += decoder.decode(input, declared: declared ? charset : nil).invalidBytes
        }
        return invalid
    }

    nonisolated(unsafe) static var reported = false

    /// Prints once per process how many documents detection names `charset` (the rest take
    /// another path through the decoder).
    func report() {
        guard !Self.reported else { return }
        Self.reported = true
        var names: [String: Int] = [:]
        for input in inputs { names[decoder.decode(input).encoding, default: 0] += 1 }
        let detected = names.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let line = "decode workload: \(inputs.count) \(Self.languages(charset).map(\.rawValue).sorted().joined(separator: "/")) documents"
            + " in \(charset), \(bytes) B; detected as: \(detected)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// The archive's files of one format (all formats: nil), in memory.
final class ParseWorkload: @unchecked Sendable {
    let files: [(file: InputFile, bytes: [UInt8])]
    let bytes: Int
    /// Documents and paragraphs in `files` (counted in the setup).
    let documents: Int
    let paragraphs: Int
    let reader = DocumentReader()

    init(_ format: DocumentFormat?) throws {
        files = try BenchArchive.files(BenchArchive.url()).filter { format == nil || $0.file.format == format }
        guard !files.isEmpty else { throw BenchError("no \(format.map(\.rawValue) ?? "") files in the benchmark archive") }
        bytes = files.reduce(0) { $0 + $1.bytes.count }
        var documents = 0, paragraphs = 0
        for (file, bytes) in files {
            for document in reader.read(file, bytes: bytes, modificationDate: nil).documents {
                documents += 1
                paragraphs += ParagraphSplitter.split(document.text).count
            }
        }
        self.documents = documents
        self.paragraphs = paragraphs
    }

    /// `DocumentReader.read` of every file; returns the documents.
    func read() -> [SourceDocument] {
        var out: [SourceDocument] = []
        for (file, bytes) in files {
            out += reader.read(file, bytes: bytes, modificationDate: nil).documents
        }
        return out
    }

    /// `DocumentReader.read` and `ParagraphSplitter.split` of every file, as the pipeline reads a
    /// file before analysis; returns the paragraph count.
    func readAndSplit() -> Int {
        var count = 0
        for (file, bytes) in files {
            for document in reader.read(file, bytes: bytes, modificationDate: nil).documents {
                count += ParagraphSplitter.split(document.text).count
            }
        }
        return count
    }

    /// The extension a format's files have in the archive (for benchmark names).
    static func name(_ format: DocumentFormat) -> String {
        switch format {
        case .text: return "txt"
        case .markdown: return "md"
        case .email: return "eml"
        case .html, .mbox, .jsonl, .csv: return format.rawValue
        }
    }
}

/// The document texts of every archive file, for `ParagraphSplitter` alone.
final class SplitWorkload: @unchecked Sendable {
    let texts: [String]
    let bytes: Int
    let paragraphs: Int

    init() throws {
        let parse = try ParseWorkload(nil)
        texts = parse.read().map(\.text)
        bytes = texts.reduce(0) { $0 + $1.utf8.count }
        paragraphs = parse.paragraphs
    }

    func splitAll() -> Int {
        var count = 0
        for text in texts { count += ParagraphSplitter.split(text).count }
        return count
    }
}

/// The archive after deduplication (and, with `themes`, analyzed and through theme extraction), as
/// `ArchiveAnalysis.run` leaves it for the theme stage and the writers; prepared once per
/// benchmark process.
///
/// Paragraphs with a non-empty key in first-occurrence order (document date, undated last, then
/// input order), deduplicated; the theme paragraphs are the content ones (first occurrences, not
/// boilerplate, not quotes, not signatures) with their terms (`TextAnalyzer.terms`).
final class ArchiveWorkload: @unchecked Sendable {
    let paragraphs: [BenchParagraph]
    let dedup: DedupResult
    let themeParagraphs: [ThemeParagraph]
    /// UTF-8 bytes of the theme paragraphs' texts.
    let themeBytes: Int
    /// An extractor fed every theme paragraph (`finish()` does not change it).
    let extractor: ThemeExtractor
    let report: ThemeReport?
    /// Bytes and rows of `duplicatesCSV()` and of `themeCSVs()`.
    private(set) var duplicatesSize = (bytes: 0, rows: 0)
    private(set) var themeCSVSize = (bytes: 0, rows: 0)

    init(themes: Bool) throws {
        let loaded = try BenchParagraphs.archive().filter { !$0.key.isEmpty }
        let order = loaded.indices.sorted { a, b in
            switch (loaded[a].date, loaded[b].date) {
            case let (x?, y?) where x != y: return x < y
            case (.some, .none): return true
            case (.none, .some): return false
            default: return a < b
            }
        }
        let paragraphs = order.map { loaded[$0] }
        self.paragraphs = paragraphs
        let deduplicator = ParagraphDeduplicator(keyOf: { paragraphs[$0].key })
        for (id, p) in paragraphs.enumerated() { deduplicator.add(p.dedupInput(id: id, key: p.key)) }
        dedup = deduplicator.finish()

        var themeParagraphs: [ThemeParagraph] = []
        var extractor = ThemeExtractor()
        if themes {
            let analyzer = try TextAnalyzer()
            for (id, p) in paragraphs.enumerated() where dedup.isContent(id) && !p.isQuote && !p.isSignature {
                themeParagraphs.append(ThemeParagraph(
                    doc: p.doc, paragraph: p.paragraph, source: p.source, date: p.date, lang: p.lang, text: p.text,
                    terms: analyzer.terms(p.text, language: p.lang)))
            }
            for p in themeParagraphs { extractor.add(p) }
        }
        self.themeParagraphs = themeParagraphs
        themeBytes = themeParagraphs.reduce(0) { $0 + $1.text.utf8.count }
        self.extractor = extractor
        report = themes ? extractor.finish() : nil
        duplicatesSize = Self.size([duplicatesCSV()])
        themeCSVSize = Self.size(themeCSVs())
    }

    /// Feeds every theme paragraph to a new extractor.
    func addAll() -> ThemeExtractor {
        var extractor = ThemeExtractor()
        for p in themeParagraphs { extractor.add(p) }
        return extractor
    }

    /// `duplicates.csv` as `recur dedup` renders it.
    func duplicatesCSV() -> [UInt8] {
        DuplicatesCSV.render(result: dedup) { paragraphs[$0].text }
    }

    /// `themes.csv`, `trends.csv`, `episodes.csv` and `mentions.csv`.
    func themeCSVs() -> [[UInt8]] {
        guard let report else { return [] }
        let csv = ThemeCSV()
        return [csv.themes(report), csv.trends(report), csv.episodes(report), csv.mentions(report)]
    }

    /// Bytes and rows (line ends) of rendered files.
    static func size(_ files: [[UInt8]]) -> (bytes: Int, rows: Int) {
        (files.reduce(0) { $0 + $1.count }, files.reduce(0) { $0 + $1.lazy.filter { $0 == 0x0A }.count })
    }

    nonisolated(unsafe) static var reported = false

    /// Prints the workload's figures once per process.
    func reportFigures() {
        guard !Self.reported else { return }
        Self.reported = true
        var line = "archive workload: \(paragraphs.count) paragraphs, \(dedup.counts.kept) kept;"
            + " duplicates.csv \(duplicatesSize.bytes) B, \(duplicatesSize.rows) rows"
        if let report {
            line += "; \(themeParagraphs.count) theme paragraphs (\(themeBytes) B), \(report.themes.count) themes,"
                + " \(report.themes.reduce(0) { $0 + $1.mentions }) mentions;"
                + " theme CSVs \(themeCSVSize.bytes) B, \(themeCSVSize.rows) rows"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
