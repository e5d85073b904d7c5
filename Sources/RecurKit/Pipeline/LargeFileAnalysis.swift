import Foundation
import Synchronization

/// A worker's text analyzers: its own, and the helpers it borrows for the tasks that analyze a
/// large file with it (`ParagraphAnalysisStage.processInParallel`) from a pool its run's workers
/// share. Belongs to one task at a time, as a worker of the driver does.
public final class WorkerAnalyzers {
    public let main: TextAnalyzer
    private let pool: HelperAnalyzers

    /// A worker with a pool of its own, whose helpers are made as they are asked for.
    public convenience init() throws { try self.init(sharing: HelperAnalyzers(capacity: .max)) }

    /// A worker borrowing its helpers from `pool`.
    public init(sharing pool: HelperAnalyzers) throws {
        main = try TextAnalyzer()
        self.pool = pool
    }

    /// Helpers made so far in this worker's pool.
    var helperCount: Int { pool.madeCount }

    /// Up to `count` helpers (fewer, or none, when the other workers hold the rest); give them back
    /// with `giveBack(_:)`.
    func borrowHelpers(_ count: Int) throws -> [TextAnalyzer] { try pool.borrow(count) }

    func giveBack(_ helpers: [TextAnalyzer]) { pool.giveBack(helpers) }
}

/// Helper analyzers shared by a run's workers, so that however many large files are read at
/// once, at most `capacity` helpers exist (`--jobs` − 1: with the workers' own, one analyzer per
/// job), each with its per-word caches. Made when first needed and kept for the next large file.
///
/// `@unchecked Sendable`: an analyzer in it is used by no one; one lent is used by the borrower's
/// tasks, one task at a time, until it is given back.
public final class HelperAnalyzers: @unchecked Sendable {
    private let capacity: Int
    private let lock = NSLock()
    private var free: [TextAnalyzer] = []
    private var made = 0

    public init(capacity: Int) { self.capacity = max(0, capacity) }

    /// Helpers made so far.
    var madeCount: Int { lock.withLock { made } }

    /// Up to `count` helpers: free ones, then new ones while fewer than `capacity` exist.
    ///
    /// - Throws: what making an analyzer throws (the helpers taken are given back first).
    func borrow(_ count: Int) throws -> [TextAnalyzer] {
        var (lent, toMake) = lock.withLock { () -> ([TextAnalyzer], Int) in
            let taken = Array(free.suffix(min(count, free.count)))
            free.removeLast(taken.count)
            let toMake = max(0, min(count - taken.count, capacity - made))
            made += toMake
            return (taken, toMake)
        }
        // Made outside the lock (it opens ICU, MeCab and Voikko handles): the slots are reserved.
        do {
            while toMake > 0 {
                lent.append(try TextAnalyzer())
                toMake -= 1
            }
        } catch {
            lock.withLock { made -= toMake }
            giveBack(lent)
            throw error
        }
        return lent
    }

    func giveBack(_ helpers: [TextAnalyzer]) {
        lock.withLock { free.append(contentsOf: helpers) }
    }
}

extension ParagraphAnalysisStage {
    /// What the thread reading a large file hands to the tasks analyzing it, in file order.
    enum ReadPiece: Sendable {
        /// Parsed documents (mbox messages, JSONL or CSV records), to be split and analyzed.
        case documents([SourceDocument])
        /// Paragraphs of a plain-text document (its text left empty); `continues`: not its first piece.
        case paragraphs(SourceDocument, [RawParagraph], continues: Bool)
    }

    /// `process` for a large file read in slices (`readInSlices`, `readTextInSlices`), and for
    /// standard input, with the analysis spread over up to `jobs` tasks: a thread of its own reads
    /// and parses the file, and hands it on in pieces of about `pieceTextBytes` of text, which the
    /// tasks split, analyze and encode with `analyzers` (the worker's own, and the helpers it can
    /// borrow from its run's pool: one task per analyzer). So an archive that is one large mailbox
    /// or export uses every core.
    ///
    /// Each task puts its piece's documents into a `Sink` of its own and counts them
    /// (`RunFigures.add`); those are appended to `sink` and `figures` in file order: the same
    /// documents, in the same order, as `process` gives (a text's parts may be cut elsewhere).
    ///
    /// - Parameter read: called with the size of every slice read (from the reading thread).
    /// - Returns: as `process`, with the bytes reported through `read`; nil when `jobs` is 1 or
    ///   the file is not one read in slices (nothing was read then: `process` reads it).
    /// - Throws: `CancellationError` when the task is cancelled; what making a helper analyzer or
    ///   `Sink.append(contentsOf:)` throws.
    func processInParallel<Sink: DocumentSink>(
        _ file: InputFile, analyzers: WorkerAnalyzers, jobs: Int, read: @escaping @Sendable (Int) -> Void,
        into sink: inout Sink, figures: inout RunFigures
    ) async throws -> (byteCount: Int, diagnostics: [Diagnostic], reported: Int)? {
        guard jobs > 1 else { return nil }
        if file.path == "-" {
            // Read (and copied into a file) here; then in slices, or whole by this task as `process` would.
            var spooled = 0
            var input = spoolStandardInput(file, read: { spooled += $0; read($0) })
            if let (sliced, spool) = input.sliceable,
               let done = try await analyzeInParallel(
                   .spool(sliced, spool), analyzers: analyzers, jobs: jobs, read: read, into: &sink, figures: &figures) {
                return (done.byteCount, input.diagnostics + done.diagnostics, spooled + done.reported)
            }
            let done = readStandardInputWhole(file, &input, with: analyzers.main) { document in
                figures.add(document)
                sink.add(document)
            }
            return (done.byteCount, done.diagnostics, spooled)
        }
        guard Self.slicedFormats.contains(file.format), file.byteCount >= recordSliceThreshold else { return nil }
        return try await analyzeInParallel(.file(file), analyzers: analyzers, jobs: jobs, read: read, into: &sink, figures: &figures)
    }

    /// What the reading thread reads: a file, or standard input's temporary copy (as `file`'s format).
    enum LargeInput: Sendable {
        case file(InputFile)
        case spool(InputFile, SpillFile)
    }

    /// The analysis of `input` spread over `jobs` tasks while a thread reads it (`processInParallel`).
    private func analyzeInParallel<Sink: DocumentSink>(
        _ input: LargeInput, analyzers: WorkerAnalyzers, jobs: Int, read: @escaping @Sendable (Int) -> Void,
        into sink: inout Sink, figures: inout RunFigures
    ) async throws -> (byteCount: Int, diagnostics: [Diagnostic], reported: Int)? {
        let helpers = try analyzers.borrowHelpers(jobs - 1)
        defer { analyzers.giveBack(helpers) }
        let tasks = 1 + helpers.count
        let reading = LargeFileReading(stage: self, input: input, read: read, slots: 2 * tasks)
        defer { reading.stop() }
        var pieces = reading.pieces.makeAsyncIterator()
        var lent = ([analyzers.main] + helpers).makeIterator()
        try await OrderedParallelDriver(jobs: tasks).run(
            next: {
                let piece = await pieces.next()
                if piece != nil { reading.taken() }
                return piece
            },
            makeWorker: { lent.next()! },
            transform: { piece, analyzer in
                var documents = Sink()
                var counted = RunFigures()
                for document in self.analyze(piece, with: analyzer) {
                    counted.add(document)
                    documents.add(document)
                }
                return (documents, counted)
            },
            consume: { _, piece in
                try sink.append(contentsOf: piece.0)
                figures.merge(piece.1)
            })
        return reading.result
    }

    /// The documents of `piece`, analyzed (a long one in parts; a later piece of a text's
    /// paragraphs in parts that continue it).
    func analyze(_ piece: ReadPiece, with analyzer: TextAnalyzer) -> [AnalyzedDocument] {
        var analyzed: [AnalyzedDocument] = []
        switch piece {
        case .documents(let documents):
            for document in documents { analyzeDocument(document, with: analyzer) { analyzed.append($0) } }
        case .paragraphs(let document, let raws, let continues):
            var parts = DocumentParts(document, stage: self, continuing: continues)
            for raw in raws { parts.add(raw, analyzer: analyzer) { analyzed.append($0) } }
            parts.finish { analyzed.append($0) }
        }
        return analyzed
    }
}

/// The reading of one large file on a thread of its own, for `processInParallel`: its pieces
/// arrive in `pieces`, at most `slots` of them waiting to be taken (the thread waits for room), and
/// `result` is set before the stream ends.
private final class LargeFileReading: Sendable {
    let pieces: AsyncStream<ParagraphAnalysisStage.ReadPiece>
    private let room: DispatchSemaphore
    private let stopped = Atomic<Bool>(false)
    private let outcome = Mutex<(byteCount: Int, diagnostics: [Diagnostic], reported: Int)?>(nil)

    init(stage: ParagraphAnalysisStage, input: ParagraphAnalysisStage.LargeInput, read: @escaping @Sendable (Int) -> Void, slots: Int) {
        let (pieces, continuation) = AsyncStream<ParagraphAnalysisStage.ReadPiece>.makeStream()
        self.pieces = pieces
        // Made with 0 and signalled `slots` times: libdispatch traps when a semaphore is freed with
        // a value below the one it was made with, which is the case when the analysis stops with
        // pieces handed on and never taken.
        room = DispatchSemaphore(value: 0)
        for _ in 0..<slots { room.signal() }
        let thread = Thread { [self] in
            var batch = PieceBatch(limit: stage.pieceTextBytes)
            var reported = 0
            func hand(_ piece: ParagraphAnalysisStage.ReadPiece?) {
                guard let piece, !stopped.load(ordering: .acquiring) else { return }
                room.wait()
                // Stopped while waiting: the pieces are no longer taken.
                guard !stopped.load(ordering: .acquiring) else { return }
                continuation.yield(piece)
            }
            func readPieces(_ file: InputFile, fd: Int32, modificationDate: DocumentDate?, read: (Int) -> Void) -> [Diagnostic]? {
                stage.readLargeFile(
                    file, fd: fd, modificationDate: modificationDate, read: read,
                    document: { hand(batch.add($0)) },
                    text: { hand(batch.start($0)) },
                    paragraphs: { raws in for raw in raws { hand(batch.add(raw)) } })
            }
            // Once stopped, the rest of the file is not read: after a slice, the file's offset goes to
            // its end, so that the reader's next slice is the end of the file (the readers read on
            // with `read(2)`, from this thread alone).
            func skipRestIfStopped(_ fd: Int32) {
                if stopped.load(ordering: .acquiring) { _ = lseek(fd, 0, SEEK_END) }
            }
            let done: (byteCount: Int, diagnostics: [Diagnostic])?
            switch input {
            case .file(let file):
                done = stage.withLargeFile(file) { fd, mtime in
                    readPieces(file, fd: fd, modificationDate: mtime, read: { reported += $0; read($0); skipRestIfStopped(fd) })
                }
            case .spool(let file, let spool):
                // Its bytes were counted as standard input was read.
                done = readPieces(file, fd: spool.fd, modificationDate: nil, read: { _ in skipRestIfStopped(spool.fd) }).map { (spool.size, $0) }
            }
            hand(batch.finish())
            if let done { outcome.withLock { $0 = (done.byteCount, done.diagnostics, reported) } }
            continuation.finish()
        }
        thread.name = "recur-large-file"
        thread.start()
    }

    /// A piece was taken: room for the next one.
    func taken() { room.signal() }

    /// The file's size, diagnostics and bytes reported as read, once the stream has ended; nil
    /// when it was not read in slices.
    var result: (byteCount: Int, diagnostics: [Diagnostic], reported: Int)? { outcome.withLock { $0 } }

    /// No more pieces are taken (the analysis failed or was cancelled): the thread drops what it
    /// has parsed and skips the rest of the file after the slice it is reading.
    func stop() {
        stopped.store(true, ordering: .releasing)
        room.signal()
    }
}

/// What the reading thread gathers into the next piece: documents, or a text's paragraphs, up to
/// `limit` bytes of text.
private struct PieceBatch {
    let limit: Int
    private var documents: [SourceDocument] = []
    private var text: SourceDocument?
    private var raws: [RawParagraph] = []
    /// Pieces of the current text handed on.
    private var textPieces = 0
    private var bytes = 0

    init(limit: Int) { self.limit = limit }

    /// Adds a parsed document; returns a full piece to hand on.
    mutating func add(_ document: SourceDocument) -> ParagraphAnalysisStage.ReadPiece? {
        documents.append(document)
        bytes += document.text.utf8.count
        return bytes >= limit ? finish() : nil
    }

    /// Starts a plain-text document (its text empty: its paragraphs follow).
    mutating func start(_ document: SourceDocument) -> ParagraphAnalysisStage.ReadPiece? {
        let piece = finish()
        text = document
        textPieces = 0
        return piece
    }

    /// Adds a paragraph of the current text; returns a full piece to hand on.
    mutating func add(_ raw: RawParagraph) -> ParagraphAnalysisStage.ReadPiece? {
        raws.append(raw)
        bytes += raw.text.utf8.count
        return bytes >= limit ? finish() : nil
    }

    /// What is gathered, as a piece (the current text's first piece even without paragraphs:
    /// its document is handed on all the same); nil when there is nothing to hand on.
    mutating func finish() -> ParagraphAnalysisStage.ReadPiece? {
        defer { bytes = 0 }
        if let text {
            guard !raws.isEmpty || textPieces == 0 else { return nil }
            defer { raws.removeAll(); textPieces += 1 }
            return .paragraphs(text, raws, continues: textPieces > 0)
        }
        guard !documents.isEmpty else { return nil }
        defer { documents.removeAll() }
        return .documents(documents)
    }
}
