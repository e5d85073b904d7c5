import Foundation

/// One paragraph of the archive as the later stages see it, with its document's metadata.
public struct CollectedParagraph: Sendable {
    /// Index of the paragraph's document in `ArchiveAnalysis.documents`.
    public var documentIndex: Int
    public var paragraph: AnalyzedParagraph
}

/// Settings of the stages after ingestion.
public struct AnalysisOptions: Sendable {
    public var dedup = DedupOptions()
    public var themes = ThemeOptions()
    /// Run theme extraction (`recur analyze`); `recur dedup` stops after deduplication.
    public var extractThemes = true

    public init() {}
}

/// How long one stage took, for the summary and stderr.
public struct StageTiming: Sendable, Hashable {
    public var stage: String
    public var seconds: Double
}

/// The whole pipeline over an archive: ingest and analyze (in parallel, in input order),
/// deduplicate, extract themes.
public struct ArchiveAnalysis: Sendable {
    /// Every document read, in input order (their text dropped).
    public var documents: [SourceDocument]
    /// Every paragraph with a non-empty key, in first-occurrence order (document date, undated
    /// documents last, then input order). The position is the paragraph's dedup id.
    public var paragraphs: [CollectedParagraph]
    public var run: RunFigures
    public var dedup: DedupResult
    /// nil when themes were not asked for.
    public var themes: ThemeReport?
    /// Paragraphs theme extraction counted (content, not quote, not signature).
    public var themeParagraphs: Int
    public var timings: [StageTiming]

    /// Runs the pipeline.
    ///
    /// - Parameters:
    ///   - archive: inputs, field mapping, encoding, jobs, languages.
    ///   - options: deduplication and theme settings.
    ///   - diagnostic: called for every diagnostic, in input order.
    ///   - progress: called after every input file with the figures so far.
    /// - Throws: `RecurError(.textLibrary)` when the analyzers cannot be opened.
    public static func run(
        _ archive: ArchiveOptions,
        options: AnalysisOptions,
        diagnostic: (Diagnostic) -> Void,
        progress: (RunFigures) -> Void = { _ in }
    ) async throws -> ArchiveAnalysis {
        let clock = ContinuousClock()
        var timings: [StageTiming] = []
        func seconds(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }

        var documents: [SourceDocument] = []
        var collected: [CollectedParagraph] = []
        var seen = RunFigures()
        let readStart = clock.now
        let runFigures = try await ArchiveRun.run(archive, diagnostic: diagnostic) { file in
            for document in file.documents {
                let index = documents.count
                documents.append(document.document)
                for paragraph in document.paragraphs where !paragraph.analysis.key.isEmpty {
                    collected.append(CollectedParagraph(documentIndex: index, paragraph: paragraph))
                }
            }
            seen.add(file)
            progress(seen)
        }
        timings.append(StageTiming(stage: "read_and_analyze", seconds: seconds(clock.now - readStart)))

        let dedupStart = clock.now
        let paragraphs = firstOccurrenceOrder(collected, documents: documents)
        // The keys stay in `paragraphs`: the deduplicator reads them from there instead of copying them.
        let deduplicator = ParagraphDeduplicator(
            options: options.dedup, keyOf: { paragraphs[$0].paragraph.analysis.key })
        for (id, item) in paragraphs.enumerated() {
            let document = documents[item.documentIndex]
            deduplicator.add(DedupInput(
                id: id, doc: document.id, paragraph: item.paragraph.index, source: document.source,
                lang: item.paragraph.analysis.language, key: item.paragraph.analysis.key,
                isQuote: item.paragraph.isQuote, isSignature: item.paragraph.isSignature))
        }
        let dedup = deduplicator.finish()
        timings.append(StageTiming(stage: "deduplicate", seconds: seconds(clock.now - dedupStart)))

        var themes: ThemeReport?
        var themeParagraphs = 0
        if options.extractThemes {
            let themeStart = clock.now
            var extractor = ThemeExtractor(options: options.themes)
            for (id, item) in paragraphs.enumerated() where isThemeContent(id, item, dedup) {
                let document = documents[item.documentIndex]
                extractor.add(ThemeParagraph(
                    doc: document.id, paragraph: item.paragraph.index, source: document.source, date: document.date,
                    lang: item.paragraph.analysis.language, text: item.paragraph.text, terms: item.paragraph.analysis.terms))
                themeParagraphs += 1
            }
            themes = extractor.finish()
            timings.append(StageTiming(stage: "themes", seconds: seconds(clock.now - themeStart)))
        }
        return ArchiveAnalysis(
            documents: documents, paragraphs: paragraphs, run: runFigures, dedup: dedup, themes: themes,
            themeParagraphs: themeParagraphs, timings: timings)
    }

    /// True when a paragraph may add a theme mention: the first occurrence of its text, not
    /// boilerplate, not a quoted reply and not a signature.
    static func isThemeContent(_ id: Int, _ item: CollectedParagraph, _ dedup: DedupResult) -> Bool {
        dedup.isContent(id) && !item.paragraph.isQuote && !item.paragraph.isSignature
    }

    /// Sorts paragraphs by their document's date (undated last), then input order. Stable.
    static func firstOccurrenceOrder(_ paragraphs: [CollectedParagraph], documents: [SourceDocument]) -> [CollectedParagraph] {
        let order = paragraphs.indices.sorted { a, b in
            let da = documents[paragraphs[a].documentIndex].date
            let db = documents[paragraphs[b].documentIndex].date
            switch (da, db) {
            case let (x?, y?) where x != y: return x < y
            case (.some, .none): return true
            case (.none, .some): return false
            default: return a < b
            }
        }
        return order.map { paragraphs[$0] }
    }

    /// The document of a paragraph.
    public func document(of id: Int) -> SourceDocument { documents[paragraphs[id].documentIndex] }
}
