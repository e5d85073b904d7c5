import Foundation
import RecurKit

/// One paragraph of the benchmark archive, read the way the pipeline reads it.
public struct BenchParagraph: Sendable {
    public var doc: String
    /// 0-based index within `doc`.
    public var paragraph: Int
    public var source: String
    public var lang: Language
    /// The text as written.
    public var text: String
    /// The matching key (`ICUText.normalize(text, .key)`).
    public var key: String
    public var isQuote: Bool
    public var isSignature: Bool
    /// The document's date (nil: undated; file modification times are not used).
    public var date: DocumentDate?

    public init(
        doc: String, paragraph: Int, source: String, lang: Language, text: String, key: String,
        isQuote: Bool, isSignature: Bool, date: DocumentDate? = nil
    ) {
        self.doc = doc
        self.paragraph = paragraph
        self.source = source
        self.lang = lang
        self.text = text
        self.key = key
        self.isQuote = isQuote
        self.isSignature = isSignature
        self.date = date
    }

    /// The deduplicator's input for this paragraph with the given id and key.
    public func dedupInput(id: Int, key: String) -> DedupInput {
        DedupInput(
            id: id, doc: doc, paragraph: paragraph, source: source, lang: lang, key: key,
            isQuote: isQuote, isSignature: isSignature)
    }
}

public enum BenchParagraphs {
    /// Every paragraph of `archive` in input order (files in walker order, documents and
    /// paragraphs in file order), with its language and key: RecurKit's `InputWalker`,
    /// `DocumentReader`, `ParagraphSplitter` and `TextAnalyzer` (`identify` and `key`).
    ///
    /// The generator's README.md and truth.json are not part of the archive and are skipped.
    /// Documents are not sorted by date: the deduplicator's speed does not depend on the order.
    public static func load(_ archive: URL) throws -> [BenchParagraph] {
        let reader = DocumentReader()
        let analyzer = try TextAnalyzer()
        var out: [BenchParagraph] = []
        for (file, bytes) in try BenchArchive.files(archive) {
            for document in reader.read(file, bytes: bytes, modificationDate: nil).documents {
                for raw in ParagraphSplitter.split(document.text) {
                    out.append(BenchParagraph(
                        doc: document.id, paragraph: raw.index, source: document.source,
                        lang: analyzer.identify(raw.text).language, text: raw.text, key: analyzer.key(raw.text),
                        isQuote: raw.isQuote, isSignature: raw.isSignature, date: document.date))
                }
            }
        }
        guard !out.isEmpty else { throw BenchError("no paragraphs in \(archive.path)") }
        return out
    }

    /// The paragraphs of the default benchmark archive (see `BenchArchive`).
    public static func archive(bytes: Int = 16_000_000, seed: UInt64 = 7) throws -> [BenchParagraph] {
        try load(BenchArchive.url(bytes: bytes, seed: seed))
    }

    /// UTF-8 bytes of all keys.
    public static func keyBytes(_ paragraphs: [BenchParagraph]) -> Int {
        paragraphs.reduce(0) { $0 + $1.key.utf8.count }
    }

    /// UTF-8 bytes of all texts.
    public static func textBytes(_ paragraphs: [BenchParagraph]) -> Int {
        paragraphs.reduce(0) { $0 + $1.text.utf8.count }
    }
}
