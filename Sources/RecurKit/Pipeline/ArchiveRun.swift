import Foundation
import Synchronization

/// Figures of one run over an archive, for the summary and the closing line on stderr.
public struct RunFigures: Sendable, Hashable {
    public var files = 0
    /// Files the run is to read, and their size, as known after walking the inputs (for progress).
    public var plannedFiles = 0
    public var plannedBytes = 0
    public var filesSkipped = 0
    /// Files left out by `--exclude`.
    public var filesExcluded = 0
    public var bytes = 0
    public var documents = 0
    public var paragraphs = 0
    /// Paragraphs whose key is empty (only spaces, invisible characters or punctuation).
    public var emptyParagraphs = 0
    /// Paragraphs with fewer than three content terms.
    public var shortParagraphs = 0
    public var quoteParagraphs = 0
    public var signatureParagraphs = 0
    public var paragraphsByLanguage: [Language: Int] = [:]
    public var documentsWithoutDate = 0
    public var documentsDatedByModificationTime = 0
    public var invalidBytes = 0
    public var errors = 0
    public var warnings = 0
    /// The paragraphs cut into pieces (`ParagraphSplitter.maxParagraphBytes`) among the documents
    /// added, in order, for the warnings of their file (`ArchiveRun.run` empties the list once it
    /// has given them).
    public var cutParagraphs: [CutParagraph] = []

    /// A paragraph cut into pieces: the warning naming its file and where it starts.
    public struct CutParagraph: Sendable, Hashable {
        public var path: String
        public var document: String
        /// The line of the file the document starts at, when its file holds several.
        public var documentLine: Int?
        /// The line of the file (one-document files) or of the document where the paragraph starts.
        public var line: Int
        public var bytes: Int

        /// The warning, for pieces of at most `limit` bytes.
        public func diagnostic(limit: Int) -> Diagnostic {
            func size(_ bytes: Int) -> String {
                bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / Double(1 << 20)) : "\(bytes) bytes"
            }
            let whose = documentLine == nil ? "" : " of document \(document) (its line \(line))"
            return Diagnostic(.warning, path: path, line: documentLine ?? line,
                              "a paragraph\(whose) of \(size(bytes)) is analyzed in pieces of at most \(size(limit))")
        }
    }

    public init() {}

    /// Counts one analyzed document in (its file is counted by `addFile`); a later part of a
    /// document adds its paragraphs only.
    public mutating func add(_ doc: AnalyzedDocument) {
        if !doc.continuesPrevious {
            documents += 1
            invalidBytes += doc.document.invalidBytes
            if doc.document.date == nil { documentsWithoutDate += 1 }
            if doc.document.dateOrigin == .modificationTime { documentsDatedByModificationTime += 1 }
        }
        for p in doc.paragraphs {
            paragraphs += 1
            paragraphsByLanguage[p.analysis.language, default: 0] += 1
            if p.analysis.key.isEmpty { emptyParagraphs += 1 }
            if p.termKeys.count < 3 { shortParagraphs += 1 }
            if p.isQuote { quoteParagraphs += 1 }
            if p.isSignature { signatureParagraphs += 1 }
            if p.cutFrom > 0 {
                cutParagraphs.append(CutParagraph(
                    path: doc.document.path, document: doc.document.id, documentLine: doc.document.line, line: p.line, bytes: p.cutFrom))
            }
        }
    }

    /// Counts one file in: its bytes and diagnostics; skipped when it has errors and no documents.
    public mutating func addFile(byteCount: Int, diagnostics: [Diagnostic], documents count: Int) {
        files += 1
        bytes += byteCount
        if diagnostics.contains(where: { $0.severity == .error }) && count == 0 { filesSkipped += 1 }
        for d in diagnostics {
            if d.severity == .error { errors += 1 } else { warnings += 1 }
        }
    }

    /// Adds the counts of `other` (the figures of one file, made on a worker). Planned figures are kept.
    public mutating func merge(_ other: RunFigures) {
        files += other.files
        filesSkipped += other.filesSkipped
        filesExcluded += other.filesExcluded
        bytes += other.bytes
        documents += other.documents
        paragraphs += other.paragraphs
        emptyParagraphs += other.emptyParagraphs
        shortParagraphs += other.shortParagraphs
        quoteParagraphs += other.quoteParagraphs
        signatureParagraphs += other.signatureParagraphs
        for (language, count) in other.paragraphsByLanguage { paragraphsByLanguage[language, default: 0] += count }
        documentsWithoutDate += other.documentsWithoutDate
        documentsDatedByModificationTime += other.documentsDatedByModificationTime
        invalidBytes += other.invalidBytes
        errors += other.errors
        warnings += other.warnings
        cutParagraphs += other.cutParagraphs
    }
}

/// What a worker builds from the documents of one file, one document at a time, so that a file of
/// many records is never held analyzed all at once. Made fresh for every file.
public protocol DocumentSink: Sendable {
    init()
    mutating func add(_ document: AnalyzedDocument)
    /// Adds what `other` holds, as if its documents had been added here one by one (the tasks
    /// analyzing pieces of a large file each fill a sink of their own).
    ///
    /// - Throws: `RecurError(.outputFailed)` when `other`'s spill file cannot be read.
    mutating func append(contentsOf other: Self) throws
}

/// One input file as a worker handed it over: its own figures and diagnostics and its documents in `Sink` form.
public struct PreparedFile<Sink: DocumentSink>: Sendable {
    public var file: InputFile
    /// The figures of this file alone.
    public var figures: RunFigures
    public var diagnostics: [Diagnostic]
    public var documents: Sink
    /// The bytes the worker reported as read while it read the file in slices.
    var bytesReportedReading = 0
}

/// The reading figures as a progress display shows them: those of the files handed over, plus the
/// bytes read so far of large files still being read in slices, so that a run over one mailbox of
/// gigabytes shows its progress too. Updated by the consumer and by the workers; each update is
/// shown under the same lock, so that the figures shown never go back.
final class ReadingProgress: Sendable {
    private let state: Mutex<(figures: RunFigures, reading: Int)>
    private let show: @Sendable (RunFigures) -> Void

    /// - Parameter figures: the figures before any file is read (what is planned, what was skipped).
    init(_ figures: RunFigures, show: @escaping @Sendable (RunFigures) -> Void) {
        state = Mutex((figures, 0))
        self.show = show
    }

    /// A worker read `bytes` more of a file it reads in slices.
    func read(_ bytes: Int) {
        state.withLock { state in
            state.reading += bytes
            var figures = state.figures
            figures.bytes += state.reading
            show(figures)
        }
    }

    /// The consumer took a file over: `figures` now count its bytes, `reported` of which a worker
    /// had reported as read.
    func handedOver(_ figures: RunFigures, reported: Int) {
        state.withLock { state in
            state.figures = figures
            state.reading -= reported
            var shown = figures
            shown.bytes += state.reading
            show(shown)
        }
    }
}

/// Options shared by every subcommand that reads an archive.
public struct ArchiveOptions: Sendable {
    public var paths: [String]
    public var fields = FieldMapping()
    public var encoding: String?
    public var jobs: Int
    public var languages: Set<Language>?
    /// Shell patterns (`fnmatch`); a file whose path relative to its input, or whose name, matches one is not read.
    public var exclude: [String] = []
    /// For tests: the size of a long document's parts (`ParagraphAnalysisStage.partParagraphs`,
    /// `partTextBytes`) instead of the stage's own.
    var documentParts: (paragraphs: Int, textBytes: Int)?
    /// For tests: from what size a file is read in slices, and theirs
    /// (`ParagraphAnalysisStage.recordSliceThreshold`, `recordSliceSize`), instead of the stage's own.
    var readSlices: (threshold: Int, size: Int)?
    /// For tests: the text in one piece of a large file analyzed by several tasks
    /// (`ParagraphAnalysisStage.pieceTextBytes`) instead of the stage's own.
    var pieceTextBytes: Int?
    /// For tests: the values a per-paragraph column keeps in memory (the paragraph store's
    /// locations, the deduplicator's decisions: `SpillingColumn`) instead of 2 million; the rest
    /// are written to their files 7 at a time.
    var residentColumnValues: Int?
    /// For tests: log2 of the slots a band table of the near-duplicate index grows to before its
    /// entries go to disk (`BandIndex.defaultResidentPowerOfTwo`).
    var residentBandSlots: Int?
    /// For tests: the longest paragraph kept whole (`DocumentReader.maxParagraphBytes`).
    var maxParagraphBytes: Int?

    public init(paths: [String], jobs: Int) {
        self.paths = paths
        self.jobs = jobs
    }
}

/// Walks the inputs and runs the analysis stage over them with the ordered parallel driver.
public enum ArchiveRun {
    /// Analyzes every input file on `options.jobs` workers, each file's documents going into a fresh
    /// `Sink` on its worker, and hands the results to `consume` in input order.
    ///
    /// - Parameters:
    ///   - options: inputs, field mapping, encoding, jobs, languages.
    ///   - diagnostic: called on the calling task for every diagnostic, in input order.
    ///   - sink: what the workers build from each file's documents.
    ///   - consume: called on the calling task for every file, in input order.
    ///   - progress: called after every file with the figures so far, and while a large file is
    ///     read in slices with its bytes read so far counted in (then on the worker's thread).
    /// - Returns: the run's figures.
    /// - Throws: `RecurError(.textLibrary)` when the analyzers cannot be opened; what `consume` throws.
    public static func run<Sink: DocumentSink>(
        _ options: ArchiveOptions,
        into sink: Sink.Type,
        diagnostic: (Diagnostic) -> Void,
        progress: @escaping @Sendable (RunFigures) -> Void = { _ in },
        consume: (PreparedFile<Sink>) throws -> Void
    ) async throws -> RunFigures {
        var walked = InputWalker.collect(options.paths)
        var figures = RunFigures()
        if !options.exclude.isEmpty {
            let before = walked.files.count
            walked.files.removeAll { file in options.exclude.contains { ArchiveRun.matches($0, file) } }
            walked.diagnostics.removeAll { d in options.exclude.contains { fnmatch($0, (d.path as NSString).lastPathComponent, 0) == 0 } }
            figures.filesExcluded = before - walked.files.count
        }
        figures.plannedFiles = walked.files.count
        figures.plannedBytes = walked.files.reduce(0) { $0 + $1.byteCount }
        for d in walked.diagnostics {
            diagnostic(d)
            if d.severity == .error { figures.errors += 1; figures.filesSkipped += 1 } else { figures.warnings += 1 }
        }
        let stage = {
            var stage = ParagraphAnalysisStage(
                reader: DocumentReader(fields: options.fields, decoder: CharsetDecoder(forcedEncoding: options.encoding)),
                languages: options.languages)
            if let parts = options.documentParts { (stage.partParagraphs, stage.partTextBytes) = parts }
            if let slices = options.readSlices { (stage.recordSliceThreshold, stage.recordSliceSize) = slices }
            if let bytes = options.pieceTextBytes { stage.pieceTextBytes = bytes }
            if let bytes = options.maxParagraphBytes { stage.reader.maxParagraphBytes = bytes }
            return stage
        }()

        let reading = ReadingProgress(figures, show: progress)
        // A large file is analyzed by its worker and helpers the workers share: one analyzer per job.
        let helpers = HelperAnalyzers(capacity: options.jobs - 1)
        // The disk reads the next files while the workers analyze these.
        let readAhead = FileReadAhead(walked.files)
        defer { readAhead.stop() }
        // Small files share a task up to 64 kB (their wake-ups cost more than reading them).
        try await OrderedParallelDriver(jobs: options.jobs, batchWeight: 64 << 10).run(
            walked.files,
            weight: { $0.byteCount },
            makeWorker: { try WorkerAnalyzers(sharing: helpers) },
            transform: { file, analyzers in
                var fileFigures = RunFigures()
                var documents = Sink()
                // A large file is analyzed by as many tasks as there are jobs; the others by this one.
                var byteCount: Int, diagnostics: [Diagnostic], reported = 0
                if let done = try await stage.processInParallel(
                    file, analyzers: analyzers, jobs: options.jobs, read: { reading.read($0) }, into: &documents, figures: &fileFigures) {
                    (byteCount, diagnostics, reported) = done
                } else {
                    (byteCount, diagnostics) = stage.process(file, with: analyzers.main, read: { bytes in
                        reported += bytes
                        reading.read(bytes)
                    }) { document in
                        fileFigures.add(document)
                        documents.add(document)
                    }
                }
                // Warned of after the file's own diagnostics, in the order of its paragraphs, whichever way it was read.
                diagnostics += fileFigures.cutParagraphs.map { $0.diagnostic(limit: stage.reader.maxParagraphBytes) }
                fileFigures.cutParagraphs = []
                fileFigures.addFile(byteCount: byteCount, diagnostics: diagnostics, documents: fileFigures.documents)
                return PreparedFile(
                    file: file, figures: fileFigures, diagnostics: diagnostics, documents: documents, bytesReportedReading: reported)
            },
            consume: { index, prepared in
                readAhead.consumed(index + 1)
                for d in prepared.diagnostics { diagnostic(d) }
                figures.merge(prepared.figures)
                try consume(prepared)
                reading.handedOver(figures, reported: prepared.bytesReportedReading)
            })
        return figures
    }

    /// Whether an `--exclude` pattern matches a file's relative path or its name.
    static func matches(_ pattern: String, _ file: InputFile) -> Bool {
        fnmatch(pattern, file.relativePath, 0) == 0 || fnmatch(pattern, String(file.name), 0) == 0
    }
}

extension RunFigures {
    /// The progress line of a run `elapsed` seconds in: files and bytes done of those planned, the
    /// rate, and the time left at that rate, e.g.
    /// `12,345/68,636 files · 45.1/100.1 MB · 3.2 MB/s · 0:17 left`.
    public func progressLine(elapsed: Double) -> String {
        func mb(_ bytes: Int) -> String { JSONText.number(Double(bytes) / 1e6, decimals: 1) }
        var parts = ["\(ProgressText.grouped(files))/\(ProgressText.grouped(plannedFiles)) files", "\(mb(bytes))/\(mb(plannedBytes)) MB"]
        if elapsed > 0, bytes > 0 {
            let rate = Double(bytes) / elapsed
            parts.append("\(mb(Int(rate))) MB/s")
            parts.append(ProgressText.timeLeft(Double(max(0, plannedBytes - bytes)) / rate))
        }
        return parts.joined(separator: " · ")
    }
}

/// Pieces of the progress line on stderr, for reading (`RunFigures.progressLine`) and the stages after it.
public enum ProgressText {
    /// `n` (not negative) with thousands separators: `12,345`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return out
    }

    /// `seconds` (rounded) left, as `m:ss left` or `h:mm:ss left`.
    public static func timeLeft(_ seconds: Double) -> String {
        let left = Int(seconds.rounded())
        let clock = left >= 3600
            ? "\(left / 3600):\(String(format: "%02d", left / 60 % 60)):\(String(format: "%02d", left % 60))"
            : "\(left / 60):\(String(format: "%02d", left % 60))"
        return clock + " left"
    }

    /// A stage's line `elapsed` seconds into it, e.g.
    /// `deduplicating 1,234,567/5,120,753 paragraphs · 48,123/s · 1:21 left`.
    public static func step(_ stage: String, done: Int, of total: Int, unit: String, elapsed: Double) -> String {
        var parts = ["\(stage) \(grouped(done))/\(grouped(total)) \(unit)"]
        if elapsed > 0, done > 0 {
            let rate = Double(done) / elapsed
            parts.append("\(grouped(Int(rate)))/s")
            parts.append(timeLeft(Double(max(0, total - done)) / rate))
        }
        return parts.joined(separator: " · ")
    }
}
