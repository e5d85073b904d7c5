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

    public init(stage: String, seconds: Double) {
        self.stage = stage
        self.seconds = seconds
    }
}

/// The whole pipeline over an archive, streaming: ingest, analyze and encode (in parallel, in
/// input order) into a `ParagraphStore` on disk, then deduplicate and extract themes in passes over it.
///
/// Memory holds what must grow with the archive in compact form (the store's and the
/// deduplicator's per-paragraph columns, the dedup and theme indexes), never the text itself.
public struct ArchiveAnalysis: Sendable {
    /// Every document and every paragraph with a non-empty key, as analyzed, on disk.
    public let store: ParagraphStore
    /// The documents in first-occurrence order, which gives every paragraph its dedup id.
    let order: FirstOccurrenceOrder
    public var run: RunFigures
    public var dedup: DedupResult
    /// nil when themes were not asked for.
    public var themes: ThemeReport?
    /// Paragraphs theme extraction counted (content, not quote, not signature).
    public var themeParagraphs: Int
    /// Distinct sources (clients) of the documents read.
    public var sourceCount: Int
    public var timings: [StageTiming]
    /// For tests (`ArchiveOptions.residentColumnValues`): the values the theme extractor's word
    /// column keeps in memory.
    var residentThemeWords: Int?

    /// Paragraphs with a non-empty key; their dedup ids are `0..<paragraphCount`.
    public var paragraphCount: Int { store.paragraphCount }
    /// Documents read.
    public var documentCount: Int { store.documentCount }

    /// Runs the pipeline.
    ///
    /// - Parameters:
    ///   - archive: inputs, field mapping, encoding, jobs, languages.
    ///   - options: deduplication and theme settings.
    ///   - diagnostic: called for every diagnostic, in input order.
    ///   - progress: called after every input file with the figures so far, and while a large file
    ///     is read in slices (`ArchiveRun.run`).
    ///   - stage: called with the name of each stage after reading as it starts (`deduplicating`, `extracting themes`).
    ///   - stageProgress: called now and then during deduplication with the stage's name, the
    ///     paragraphs done and their total.
    /// - Throws: `RecurError(.textLibrary)` when the analyzers cannot be opened;
    ///   `RecurError(.outputFailed)` when the temporary store cannot be written.
    public static func run(
        _ archive: ArchiveOptions,
        options: AnalysisOptions,
        diagnostic: (Diagnostic) -> Void,
        progress: @escaping @Sendable (RunFigures) -> Void = { _ in },
        stage: (String) -> Void = { _ in },
        stageProgress: (_ stage: String, _ done: Int, _ total: Int) -> Void = { _, _, _ in }
    ) async throws -> ArchiveAnalysis {
        let clock = ContinuousClock()
        var timings: [StageTiming] = []
        returnLargeBlocksAtOnce()

        let writer = try ParagraphStoreWriter(folder: nil, residentLocations: archive.residentColumnValues)
        var sources = Set<String>()
        let readStart = clock.now
        let runFigures = try await ArchiveRun.run(
            archive, into: EncodedDocuments.self, diagnostic: diagnostic, progress: progress
        ) { file in
            try writer.append(file.documents)
            sources.formUnion(file.documents.sources)
        }
        let (store, dateKeys) = try writer.finishWithDateKeys()
        releaseFreedMemory()
        timings.append(StageTiming(stage: "read_and_analyze", seconds: Self.seconds(clock.now - readStart)))

        let order = FirstOccurrenceOrder(store, dateKeys: consume dateKeys)
        stage("deduplicating")
        let dedupStart = clock.now
        // The keys stay in the store: the deduplicator reads an earlier one from there when it must compare it.
        // Documents are numbered by their (first) store record, whose id the store reads back when a report needs it.
        let paragraphs = store.paragraphCount
        let deduplicator = ParagraphDeduplicator(
            options: options.dedup, keyBytesAt: { store.appendKey(handle: $0, to: &$1) },
            documentName: { store.documentID($0) }, paragraphs: paragraphs,
            threads: min(archive.jobs, ProcessInfo.processInfo.activeProcessorCount))
        if let resident = archive.residentColumnValues { deduplicator.keepDecisionsInMemory(upTo: resident) }
        if let bits = archive.residentBandSlots { deduplicator.keepBandEntriesInMemory(upToPowerOfTwo: bits) }
        await order.forEachDedupInputReadingAhead { input in
            if input.id & 0x1FFF == 0 { stageProgress("deduplicating", input.id, paragraphs) }
            deduplicator.add(input)
        }
        let dedup = deduplicator.finish()
        releaseFreedMemory()
        timings.append(StageTiming(stage: "deduplicate", seconds: Self.seconds(clock.now - dedupStart)))
        var analysis = ArchiveAnalysis(
            store: store, order: order, run: runFigures, dedup: dedup, themes: nil, themeParagraphs: 0,
            sourceCount: sources.count, timings: [])

        analysis.timings = timings
        analysis.residentThemeWords = archive.residentColumnValues
        if options.extractThemes {
            stage("extracting themes")
            analysis = try await analysis.withThemes(options.themes, jobs: archive.jobs)
        }
        return analysis
    }

    /// This analysis with its themes: a pass over the deduplicated paragraphs (`timings` gains `themes`).
    ///
    /// `recur analyze` runs it while `duplicates.csv` and `paragraphs.jsonl` are written
    /// (`AnalysisOutputs.write(_:settings:html:extractingThemes:to:whileCommitting:jobs:duplicateRows:)`).
    ///
    /// - Parameter jobs: how many languages' themes are built at once at the end of the pass.
    /// - Throws: only what `ThemeExtractor.finish(jobs:)`'s task group may.
    public func withThemes(_ options: ThemeOptions, jobs: Int = 1) async throws -> ArchiveAnalysis {
        let clock = ContinuousClock()
        let start = clock.now
        var analysis = self
        // Examples are read back from the store: the extractor keeps 4 bytes per paragraph for them.
        let store = self.store, order = self.order
        do {
            // Documents go by their (first) store record, whose id the store reads back for the themes shown.
            var extractor = ThemeExtractor(
                options: options, textOf: { store.text(ofParagraph: order.storeParagraph(of: $0)) },
                documentName: { store.documentID($0) })
            if let residentThemeWords { extractor.keepWordsInMemory(upTo: residentThemeWords) }
            let dedup = self.dedup
            // Only content paragraphs are read (most of a large archive is repeats).
            order.forEachParagraph(only: dedup.isContent) { id, paragraph, document, record in
                guard Self.isThemeContent(id, paragraph, dedup) else { return }
                extractor.add(ThemeParagraph(
                    doc: document.id, paragraph: paragraph.index, source: document.source, date: document.date,
                    lang: paragraph.analysis.language, text: paragraph.text, terms: paragraph.analysis.terms,
                    textID: id, documentNumber: store.documentNumber(ofRecord: record)))
                analysis.themeParagraphs += 1
            }
            extractor.finishAdding()
            analysis.themes = try await extractor.finish(jobs: jobs)
        }
        // Freed, the extractor's columns (chunks in malloc's arenas) would stay resident through the outputs.
        releaseFreedMemory()
        analysis.timings.append(StageTiming(stage: "themes", seconds: Self.seconds(clock.now - start)))
        return analysis
    }

    /// A duration in seconds (`timings_seconds`).
    public static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// True when a paragraph may add a theme mention: the first occurrence of its text, not
    /// boilerplate, not a quoted reply and not a signature.
    static func isThemeContent(_ id: Int, _ paragraph: AnalyzedParagraph, _ dedup: DedupResult) -> Bool {
        dedup.isContent(id) && !paragraph.isQuote && !paragraph.isSignature
    }

    /// Paragraph `id` and the store record of its document (read from disk).
    public func paragraph(_ id: Int) -> CollectedParagraph {
        precondition(id >= 0 && id < paragraphCount, "paragraph id \(id) out of range")
        let r = order.rank(of: id)
        let record = Int(order.records[r])
        let document = store.document(record)
        return CollectedParagraph(documentIndex: record, paragraph: document.paragraphs[id - Int(order.firstID[r])])
    }

    /// The original text of paragraph `id`.
    public func text(of id: Int) -> String { store.text(ofParagraph: order.storeParagraph(of: id)) }

    /// The id of paragraph `id`'s document and enough of the start of its text for its `limit`-character
    /// snippet in `duplicates.csv` (`DuplicatesCSV.oneLine`), read together from the store (one
    /// `pread` for most paragraphs: 16 bytes a character leave room for collapsed runs of white space).
    public func documentAndSnippetText(of id: Int, limit: Int) -> (doc: String, text: String) {
        let (record, paragraph) = order.storePlace(of: id)
        let (doc, prefix) = store.documentIDAndTextPrefix(record: record, paragraph: paragraph, maxBytes: limit * 16)
        if prefix.isWhole { return (doc, prefix.text) }
        // The cut may have split the last character (a base letter from its combining marks): it is
        // left out. When what is left collapses to fewer characters than the limit, the whole text.
        let cut = String(prefix.text.dropLast())
        if DuplicatesCSV.oneLine(cut, limit: limit).count >= limit { return (doc, cut) }
        return (doc, store.text(ofParagraph: paragraph))
    }

    /// The matching key of paragraph `id`.
    public func key(of id: Int) -> String { store.key(ofParagraph: order.storeParagraph(of: id)) }

    /// Calls `body`, in input order, with every document holding a paragraph for which `wanted`
    /// (by dedup id) is true, and the dedup id of its first stored paragraph. The other documents
    /// are not read; only the wanted paragraphs come with their terms.
    public func forEachDocumentInInputOrder(having wanted: (Int) -> Bool, _ body: (AnalyzedDocument, Int) throws -> Void) rethrows {
        // Each record's first id, made here (the only pass in input order) rather than kept through the run.
        var firstIDOfRecord = [Int32](repeating: 0, count: store.recordCount)
        for (position, record) in order.records.enumerated() { firstIDOfRecord[Int(record)] = order.firstID[position] }
        for record in 0..<store.recordCount {
            let firstID = Int(firstIDOfRecord[record])
            guard (firstID..<firstID + store.paragraphCount(ofDocument: record)).contains(where: wanted) else { continue }
            try body(store.document(record, termsOf: { wanted(firstID + $0) }), firstID)
        }
    }

    /// Calls `body` with every paragraph in id order (first-occurrence order) and its document.
    public func forEachParagraph(_ body: (Int, AnalyzedParagraph, SourceDocument) throws -> Void) rethrows {
        try order.forEachParagraph(termsOf: { _ in true }) { id, paragraph, document, _ in try body(id, paragraph, document) }
    }
}

/// The documents of a `ParagraphStore` in first-occurrence order (document date, undated last,
/// then input order), and the dedup ids that order gives their paragraphs. 8 bytes per document
/// and 4 per 64 paragraphs.
struct FirstOccurrenceOrder: Sendable {
    let store: ParagraphStore
    /// Store records in first-occurrence order.
    let records: [Int32]
    /// Per position in `records`: the id of that document's first paragraph.
    let firstID: [Int32]
    /// Narrows the search of `firstID` by id (`rank(of:)`: once per key the deduplicator reads back).
    private let blocks: AscendingBlocks

    /// - Parameter dateKeys: every store record's date sort key (`ParagraphStoreWriter.finishWithDateKeys()`),
    ///   let go of once the records are sorted (before the other per-document arrays are made).
    init(_ store: ParagraphStore, dateKeys: consuming [Int64]) {
        precondition(dateKeys.count == store.recordCount)
        // The records themselves are sorted (4 bytes each, not 8 for an Int order), in place.
        var records = Array(0..<Int32(store.recordCount))
        dateKeys.withUnsafeBufferPointer { keys in
            records.sort { a, b in
                let (x, y) = (keys[Int(a)], keys[Int(b)])
                return x != y ? x < y : a < b
            }
        }
        dateKeys = []
        var firstID = [Int32](repeating: 0, count: records.count)
        var nextID = 0
        for (position, record) in records.enumerated() {
            firstID[position] = Int32(clamping: nextID)
            nextID += store.paragraphCount(ofDocument: Int(record))
        }
        self.records = records
        self.firstID = firstID
        self.store = store
        blocks = AscendingBlocks(firstID, idCount: nextID)
    }

    /// The position in `records` of the document holding paragraph `id`: the last position whose
    /// first id is at most `id` (documents without paragraphs share their successor's first id).
    func rank(of id: Int) -> Int { blocks.lastIndex(in: firstID, atMost: id) }

    /// The store-wide ordinal of paragraph `id`.
    func storeParagraph(of id: Int) -> Int { storePlace(of: id).paragraph }

    /// The store record holding paragraph `id`, and the paragraph's store-wide ordinal.
    func storePlace(of id: Int) -> (record: Int, paragraph: Int) {
        let r = rank(of: id)
        let record = Int(records[r])
        return (record, store.firstParagraph(ofDocument: record) + (id - Int(firstID[r])))
    }

    /// Calls `body` with every stored paragraph in id order, its id, its document (read back
    /// from the store) and the document's store record, with the terms of the paragraphs for
    /// whose id `termsOf` is true.
    func forEachParagraph(
        termsOf: (Int) -> Bool, _ body: (Int, AnalyzedParagraph, SourceDocument, Int) throws -> Void
    ) rethrows {
        var id = 0
        for record in records {
            let first = id
            let document = store.document(Int(record), termsOf: { termsOf(first + $0) })
            for paragraph in document.paragraphs {
                try body(id, paragraph, document.document, Int(record))
                id += 1
            }
        }
    }

    /// Calls `body` with the stored paragraphs for whose id `wanted` is true, in id order, with
    /// their terms, their document and its store record. Documents without such a paragraph are
    /// not read, and the other paragraphs are skipped over undecoded (a theme pass wants the first
    /// occurrences only, a small part of a repetitive archive).
    func forEachParagraph(
        only wanted: (Int) -> Bool, _ body: (Int, AnalyzedParagraph, SourceDocument, Int) throws -> Void
    ) rethrows {
        for (position, record) in records.enumerated() {
            let first = Int(firstID[position])
            guard (first..<first + store.paragraphCount(ofDocument: Int(record))).contains(where: wanted) else { continue }
            let (document, paragraphs) = store.document(Int(record), only: { wanted(first + $0) })
            for (offset, paragraph) in paragraphs { try body(first + offset, paragraph, document, Int(record)) }
        }
    }

    /// Calls `body` with every stored paragraph as the deduplicator takes it, in id order (ids
    /// dense from 0; documents numbered by their first store record), with the reading overlapped:
    /// while `body` runs over one batch of documents (`batchSize` records, or fewer holding
    /// `batchParagraphs` paragraphs: the parts of a long document are records of thousands), a
    /// child task reads the next batch from the store and decodes only what deduplication needs
    /// (`ParagraphStore.dedupFields`: source, index, language, flags, key; no text, script or terms).
    func forEachDedupInputReadingAhead(
        batchSize: Int = 128, batchParagraphs: Int = 8192, _ body: (DedupInput) throws -> Void
    ) async rethrows {
        /// The positions in `records` of the batch starting at `start`.
        func batch(from start: Int) -> Range<Int> {
            var end = start, paragraphs = 0
            while end < records.count, end - start < batchSize, end == start || paragraphs < batchParagraphs {
                paragraphs += store.paragraphCount(ofDocument: Int(records[end]))
                end += 1
            }
            return start..<end
        }
        var positions = batch(from: 0)
        var current = dedupInputs(positions)
        while !positions.isEmpty {
            let nextPositions = batch(from: positions.upperBound)
            async let next = nextPositions.isEmpty ? [] : dedupInputs(nextPositions)
            for input in current { try body(input) }
            current = await next
            positions = nextPositions
        }
    }

    /// The paragraphs of the documents at `positions` of `records`.
    private func dedupInputs(_ positions: Range<Int>) -> [DedupInput] {
        var inputs: [DedupInput] = []
        for position in positions {
            let record = Int(records[position])
            let (source, paragraphs) = store.dedupFields(record)
            let document = store.documentNumber(ofRecord: record)
            for (offset, p) in paragraphs.enumerated() {
                let handle = store.keyHandle(of: p, at: offset, inRecord: record)
                inputs.append(DedupInput(
                    id: Int(firstID[position]) + offset, doc: "", paragraph: p.index, source: source, lang: p.language,
                    key: p.key, isQuote: p.isQuote, isSignature: p.isSignature, documentNumber: document, keyHandle: handle))
            }
        }
        return inputs
    }
}

/// Makes glibc give large freed blocks back to the system at once: blocks of 1 MB or more are
/// mapped on their own (`M_MMAP_THRESHOLD`, which also stops glibc from raising that threshold
/// to the size of the largest block freed so far). Otherwise a large file's transient buffers,
/// once freed, stay in a worker's arena and the process holds its peak until `releaseFreedMemory()`.
/// (`mallopt` is looked up at run time, like `malloc_trim`.)
func returnLargeBlocksAtOnce() {
    #if os(Linux)
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>
    if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, 1 << 20)
    }
    #endif
}

/// Hands memory freed by a finished stage back to the system. glibc keeps freed blocks in its
/// per-thread arenas, so after the parallel read (and its largest files' transient buffers) the
/// process would otherwise go on holding its peak for the rest of the run.
/// (`malloc_trim` is looked up at run time: Swift's Glibc module does not export it.)
func releaseFreedMemory() {
    #if os(Linux)
    typealias MallocTrim = @convention(c) (Int) -> Int32
    if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }
    #endif
}
