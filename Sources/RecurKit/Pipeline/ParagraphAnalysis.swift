import Foundation

/// One paragraph after ingestion and text analysis: what `recur normalize` prints, one per line.
public struct AnalyzedParagraph: Sendable, Hashable {
    /// 0-based paragraph index within its document.
    public var index: Int
    /// 1-based line in the document text where the paragraph starts.
    public var line: Int
    /// The original text, as decoded (kept for display).
    public var text: String
    public var analysis: AnalyzedText
    public var isQuote: Bool
    public var isSignature: Bool
    /// On the first piece of a paragraph cut into pieces (`RawParagraph.cutFrom`): the length of
    /// the whole in bytes; else 0. Not stored: the run warns of it as the paragraph is analyzed.
    public var cutFrom = 0

    /// The keys of the paragraph's content terms (stopwords left out), in order.
    public var termKeys: [String] { analysis.terms.lazy.filter { !$0.isStopword }.map(\.key) }
}

/// A document with its analyzed paragraphs. The document's full text is dropped to keep memory small.
///
/// A long document comes in parts (`ParagraphAnalysisStage.partParagraphs`, `partTextBytes`): the
/// same `document`, its paragraphs in order (their `index` counting on across the parts), and
/// `continuesPrevious` set on every part but the first.
public struct AnalyzedDocument: Sendable, Hashable {
    public var document: SourceDocument
    public var paragraphs: [AnalyzedParagraph]
    /// A later part of the document before it.
    public var continuesPrevious = false
}

/// The ingest-and-analyze stage: reads a file, decodes it, parses its documents, splits
/// paragraphs and analyzes each. A value type; the native state lives in the worker's `TextAnalyzer`.
public struct ParagraphAnalysisStage: Sendable {
    public var reader: DocumentReader
    /// Languages to keep; nil keeps all.
    public var languages: Set<Language>?

    public init(reader: DocumentReader = DocumentReader(), languages: Set<Language>? = nil) {
        self.reader = reader
        self.languages = languages
    }

    /// Reads one input file and hands each document to `each` as soon as it is analyzed, so that a
    /// file of many records (JSONL, CSV, mbox) need not be held analyzed all at once; a large one
    /// is not held whole either (`readInSlices`). Never throws:
    /// problems become diagnostics.
    ///
    /// - Parameter read: called with the size of every slice of a file read in slices, as it is
    ///   read (progress within a large file).
    /// - Returns: the bytes read and the file's diagnostics.
    public func process(
        _ file: InputFile, with analyzer: TextAnalyzer, read: (Int) -> Void = { _ in }, each: (AnalyzedDocument) -> Void
    ) -> (byteCount: Int, diagnostics: [Diagnostic]) {
        // Each document is analyzed as soon as it is parsed: a large export file is never held as
        // documents, nor analyzed, all at once.
        func analyze(_ document: SourceDocument) { analyzeDocument(document, with: analyzer, each: each) }
        if file.path == "-" {
            let done = processStandardInput(file, with: analyzer, read: read, each: each)
            return (done.byteCount, done.diagnostics)
        }
        if let done = withLargeFile(file, { fd, mtime in
            readInSlices(file, fd: fd, modificationDate: mtime, read: read, each: analyze)
                ?? readTextInSlices(file, fd: fd, modificationDate: mtime, analyzer: analyzer, read: read, each: each)
        }) {
            return done
        }
        var loaded = Self.load(file)
        guard var bytes = loaded.bytes else { return (0, loaded.diagnostics) }
        loaded.bytes = nil
        let byteCount = bytes.count
        let diagnostics = reader.read(file, bytes: &bytes, modificationDate: loaded.modificationDate, each: analyze)
        return (byteCount, loaded.diagnostics + diagnostics)
    }

    /// Splits `document`'s text into paragraphs and analyzes them, handing the document to `each`
    /// (in parts when it is long). Its raw paragraphs are let go one by one.
    func analyzeDocument(_ document: SourceDocument, with analyzer: TextAnalyzer, each: (AnalyzedDocument) -> Void) {
        var document = document
        var raws = ParagraphSplitter.split(document.text, maxParagraphBytes: reader.maxParagraphBytes)
        document.text = ""
        raws.reverse()
        var parts = DocumentParts(document, stage: self)
        while let raw = raws.popLast() { parts.add(raw, analyzer: analyzer, each: each) }
        parts.finish(each: each)
    }

    /// Where standard input (`-`) is read from: for tests, a file or pipe of theirs.
    var standardInput: Int32 = STDIN_FILENO

    /// `process` for standard input: read whole when it is smaller than `recordSliceThreshold`;
    /// else copied into a temporary file (`StandardInput`) and read from there in slices as a
    /// large file on disk is, its format sniffed from its start. Its documents have no
    /// modification time to fall back on, as when it is read whole.
    ///
    /// - Returns: as `process`, and whether it was read in slices.
    func processStandardInput(
        _ file: InputFile, with analyzer: TextAnalyzer, read: (Int) -> Void = { _ in }, each: (AnalyzedDocument) -> Void
    ) -> (byteCount: Int, diagnostics: [Diagnostic], inSlices: Bool) {
        var input = spoolStandardInput(file, read: read)
        if let (sliced, spool) = input.sliceable {
            // The slice readers read the file again; its bytes were counted as they came in.
            if let done = readInSlices(sliced, fd: spool.fd, modificationDate: nil, each: { analyzeDocument($0, with: analyzer, each: each) })
                ?? readTextInSlices(sliced, fd: spool.fd, modificationDate: nil, analyzer: analyzer, read: { _ in }, each: each) {
                return (spool.size, input.diagnostics + done, true)
            }
        }
        let done = readStandardInputWhole(file, &input, with: analyzer, each: each)
        return (done.byteCount, done.diagnostics, false)
    }

    /// Standard input as `spoolStandardInput` read it.
    struct SpooledInput {
        var diagnostics: [Diagnostic]
        /// All of it, when it was small or could not be copied into a file; nil when it is in `spool`.
        var bytes: [UInt8]?
        /// The temporary file holding all of it.
        var spool: SpillFile?
        /// `spool`, with the format to read it in slices as, when it can be (`sliceable`).
        var sliceable: (InputFile, SpillFile)?
    }

    /// Reads standard input (`StandardInput.read`), into a temporary file when it is large.
    func spoolStandardInput(_ file: InputFile, read: (Int) -> Void) -> SpooledInput {
        let (contents, diagnostics) = StandardInput.read(standardInput, path: file.path, spoolFrom: recordSliceThreshold, read: read)
        var input = SpooledInput(diagnostics: diagnostics)
        switch contents {
        case nil: break
        case .bytes(let all): input.bytes = all
        case .file(let spool):
            input.spool = spool
            input.sliceable = Self.sliceable(file, head: spool.head(64 * 1024 + 3)).map { ($0, spool) }
        }
        return input
    }

    /// Standard input read whole, from memory or from its temporary file: its size and diagnostics.
    func readStandardInputWhole(
        _ file: InputFile, _ input: inout SpooledInput, with analyzer: TextAnalyzer, each: (AnalyzedDocument) -> Void
    ) -> (byteCount: Int, diagnostics: [Diagnostic]) {
        var bytes: [UInt8]
        if let all = input.bytes {
            bytes = all
            input.bytes = nil
        } else if let spool = input.spool {
            guard let all = spool.readAll() else {
                let error = Diagnostic(.error, path: file.path, "cannot read back the temporary copy of standard input: \(String(cString: strerror(errno)))")
                return (spool.size, input.diagnostics + [error])
            }
            bytes = all
        } else {
            return (0, input.diagnostics)
        }
        let byteCount = bytes.count
        let diagnostics = reader.read(file, bytes: &bytes, modificationDate: nil) { analyzeDocument($0, with: analyzer, each: each) }
        return (byteCount, input.diagnostics + diagnostics)
    }

    /// `file` (of no format of its own: standard input) with the format the whole-file path would
    /// sniff from `head`, its first 64 KB; nil when the whole-file path would first change the
    /// bytes it sniffs (NULs removed, UTF-16) or reject them (binary).
    static func sliceable(_ file: InputFile, head: [UInt8]?) -> InputFile? {
        guard let head, !head.contains(0), !DocumentReader.isBinary(head), !DocumentReader.isUTF16(head) else { return nil }
        var file = file
        file.format = file.format ?? DocumentReader.sniff(head)
        return file
    }

    /// A document of more paragraphs than this, or more bytes of paragraph text than
    /// `partTextBytes`, is handed on in parts (`AnalyzedDocument.continuesPrevious`).
    var partParagraphs = 10_000
    var partTextBytes = 4 << 20

    /// A document's paragraphs analyzed as they come, handed on in parts: a long document (a notes
    /// file of hundreds of MB) is never held analyzed all at once. A part is handed on when the
    /// next paragraph arrives and it is full, so that the last part is never empty.
    struct DocumentParts {
        private var part: AnalyzedDocument
        private var partBytes = 0
        private let maxParagraphs: Int, maxBytes: Int
        private let languages: Set<Language>?

        /// - Parameter continuing: the paragraphs continue those of earlier parts (analyzed apart).
        init(_ document: SourceDocument, stage: ParagraphAnalysisStage, continuing: Bool = false) {
            part = AnalyzedDocument(document: document, paragraphs: [], continuesPrevious: continuing)
            (maxParagraphs, maxBytes, languages) = (stage.partParagraphs, stage.partTextBytes, stage.languages)
        }

        /// Analyzes `raw` (left out when its language is not wanted).
        mutating func add(_ raw: RawParagraph, analyzer: TextAnalyzer, each: (AnalyzedDocument) -> Void) {
            let analysis = analyzer.analyze(raw.text)
            if let languages, !languages.contains(analysis.language) { return }
            if part.paragraphs.count >= maxParagraphs || partBytes >= maxBytes {
                each(part)
                part.paragraphs.removeAll(keepingCapacity: true)
                part.continuesPrevious = true
                partBytes = 0
            }
            part.paragraphs.append(AnalyzedParagraph(
                index: raw.index, line: raw.line, text: raw.text, analysis: analysis,
                isQuote: raw.isQuote, isSignature: raw.isSignature, cutFrom: raw.cutFrom))
            partBytes += raw.text.utf8.count
        }

        /// Hands on the last part (the whole document when it had one part, even without
        /// paragraphs; a part that continues others only with paragraphs).
        func finish(each: (AnalyzedDocument) -> Void) {
            if !part.continuesPrevious || !part.paragraphs.isEmpty { each(part) }
        }
    }

    /// A plain-text file of `recordSliceThreshold` bytes or more in plain UTF-8, read and analyzed
    /// in slices (`DocumentReader.readTextInSlices`): the bytes read and the diagnostics; nil when
    /// it is not such a file (nothing was read then: it is read whole).
    func readTextInSlices(
        _ file: InputFile, analyzer: TextAnalyzer, read: (Int) -> Void, each: (AnalyzedDocument) -> Void
    ) -> (byteCount: Int, diagnostics: [Diagnostic])? {
        withLargeFile(file) { fd, mtime in readTextInSlices(file, fd: fd, modificationDate: mtime, analyzer: analyzer, read: read, each: each) }
    }

    /// `readTextInSlices(_:analyzer:read:each:)` from `fd`: the diagnostics, nil when not read so.
    private func readTextInSlices(
        _ file: InputFile, fd: Int32, modificationDate: DocumentDate?, analyzer: TextAnalyzer, read: (Int) -> Void,
        each: (AnalyzedDocument) -> Void
    ) -> [Diagnostic]? {
        var parts: DocumentParts?
        let diagnostics = reader.readTextInSlices(
            file, fd: fd, modificationDate: modificationDate, sliceSize: recordSliceSize, read: read,
            document: { parts = DocumentParts($0, stage: self) },
            paragraphs: { raws in for raw in raws { parts!.add(raw, analyzer: analyzer, each: each) } })
        parts?.finish(each: each)
        return diagnostics
    }

    /// Reads a file to be read in slices from `fd`, parsing only: mbox messages and JSONL or CSV
    /// records go to `document`; a plain-text file's document (its text empty) to `text`, then its
    /// paragraphs, a chunk at a time, to `paragraphs`.
    ///
    /// - Returns: the diagnostics; nil when it is not read in slices (nothing was handed on then).
    func readLargeFile(
        _ file: InputFile, fd: Int32, modificationDate: DocumentDate?, read: (Int) -> Void, document: (SourceDocument) -> Void,
        text: (SourceDocument) -> Void, paragraphs: ([RawParagraph]) -> Void
    ) -> [Diagnostic]? {
        if let format = file.format, DocumentReader.slicedTextFormats.contains(format) {
            return reader.readTextInSlices(
                file, fd: fd, modificationDate: modificationDate, sliceSize: recordSliceSize, read: read, document: text, paragraphs: paragraphs)
        }
        return readInSlices(file, fd: fd, modificationDate: modificationDate, read: read, each: document)
    }

    /// Calls `read` with `file` open and its modification time when it is to be read in slices
    /// (`recordSliceThreshold` bytes or more; not standard input): the file's size and what `read`
    /// returns; nil when it is not, or when `read` returns nil (then it is read whole). A file the
    /// walk found smaller is not opened to find its size (a size of 0 may be unknown: a file given
    /// by a test).
    func withLargeFile(
        _ file: InputFile, _ read: (_ fd: Int32, _ modificationDate: DocumentDate) -> [Diagnostic]?
    ) -> (byteCount: Int, diagnostics: [Diagnostic])? {
        guard file.path != "-", Self.slicedFormats.contains(file.format),
              file.byteCount == 0 || file.byteCount >= recordSliceThreshold
        else { return nil }
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }  // `load` reports it
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, Int(info.st_size) >= recordSliceThreshold,
              let diagnostics = read(fd, DocumentDate(unixSeconds: Int64(info.st_mtim.tv_sec)))
        else { return nil }
        return (Int(info.st_size), diagnostics)
    }

    /// A large file analyzed by several tasks (`processInParallel`) is handed to them in pieces of
    /// about this much text, so that a few of them keep every task busy.
    var pieceTextBytes = 256 << 10

    /// The formats of files read in slices (nil: an extensionless file, read so when it is mbox).
    static let slicedFormats: Set<DocumentFormat?> = [.jsonl, .csv, .mbox, .text, .markdown, .html, nil]

    /// JSONL, CSV, mbox and plain-text files of this many bytes or more are read a slice at a time, not whole.
    var recordSliceThreshold = 16 << 20
    /// The size of those slices.
    var recordSliceSize = 4 << 20

    /// A JSONL or CSV file (`DocumentReader.readRecordsInSlices`) or an mbox file
    /// (`DocumentReader.readMboxInSlices`) of `recordSliceThreshold` bytes or more read in slices:
    /// the bytes read and the diagnostics; nil when the file is not such a file, or a JSONL or CSV
    /// file not in plain UTF-8 (nothing was read then: it is read whole).
    func readInSlices(
        _ file: InputFile, read: (Int) -> Void = { _ in }, each: (SourceDocument) -> Void
    ) -> (byteCount: Int, diagnostics: [Diagnostic])? {
        withLargeFile(file) { fd, mtime in readInSlices(file, fd: fd, modificationDate: mtime, read: read, each: each) }
    }

    /// `readInSlices(_:read:each:)` from `fd`: the diagnostics, nil when not read so.
    private func readInSlices(
        _ file: InputFile, fd: Int32, modificationDate: DocumentDate?, read: (Int) -> Void = { _ in },
        each: (SourceDocument) -> Void
    ) -> [Diagnostic]? {
        switch file.format {
        case .jsonl?, .csv?:
            reader.readRecordsInSlices(file, fd: fd, modificationDate: modificationDate, sliceSize: recordSliceSize, read: read, each: each)
        case .mbox?, nil:
            reader.readMboxInSlices(file, fd: fd, modificationDate: modificationDate, sliceSize: recordSliceSize, read: read, each: each)
        default:
            nil
        }
    }

    /// Reads a file's bytes (or standard input for `-`) and its modification time.
    static func load(_ file: InputFile) -> (bytes: [UInt8]?, modificationDate: DocumentDate?, diagnostics: [Diagnostic]) {
        if file.path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return ([UInt8](data), nil, [])
        }
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return (nil, nil, [Diagnostic(.error, path: file.path, "cannot open file: \(String(cString: strerror(errno)))")])
        }
        defer { close(fd) }
        var info = stat()
        var mtime: DocumentDate?
        if fstat(fd, &info) == 0 {
            mtime = DocumentDate(unixSeconds: Int64(info.st_mtim.tv_sec))
        }
        // Read in place, into an array sized to the file plus one byte: a regular file's read that
        // comes back short has met the end, so a small file takes one read and no copy. A file that
        // grew since fstat, or is no regular file, is read on until a read returns nothing.
        let isRegular = mtime != nil && info.st_mode & S_IFMT == S_IFREG
        var bytes = [UInt8](repeating: 0, count: max(0, Int(info.st_size)) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
            let wanted = bytes.count - count
            let n = bytes.withUnsafeMutableBytes { buffer in
                readRetryingInterrupts(fd, buffer.baseAddress! + count, wanted)
            }
            if n < 0 {
                let reason = String(cString: strerror(errno))
                return (nil, nil, [Diagnostic(.error, path: file.path, byteOffset: count, "cannot read file: \(reason)")])
            }
            count += n
            if n == 0 || (isRegular && n < wanted) { break }
        }
        bytes.removeSubrange(count...)
        return (bytes, mtime, [])
    }
}

extension DocumentDate {
    /// The UTC civil date and time of a Foundation `Date`.
    public init(utc date: Date) {
        self.init(unixSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// The UTC civil date and time `seconds` after 1970-01-01 00:00:00 UTC (proleptic Gregorian,
    /// by `CivilDay`: no calendar object).
    public init(unixSeconds seconds: Int64) {
        let days = CivilDay.floorDiv(Int(seconds), 86_400)
        let secondOfDay = Int(seconds) - days * 86_400
        let (year, month, day) = CivilDay.civil(days)
        self.init(
            year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60,
            second: secondOfDay % 60, utcOffsetMinutes: 0, hasTime: true)
    }
}
