import Foundation

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

    public init() {}

    /// Counts one analyzed file in.
    public mutating func add(_ file: AnalyzedFile) {
        files += 1
        bytes += file.byteCount
        if file.diagnostics.contains(where: { $0.severity == .error }) && file.documents.isEmpty { filesSkipped += 1 }
        for d in file.diagnostics {
            if d.severity == .error { errors += 1 } else { warnings += 1 }
        }
        for doc in file.documents {
            documents += 1
            invalidBytes += doc.document.invalidBytes
            if doc.document.date == nil { documentsWithoutDate += 1 }
            if doc.document.dateOrigin == .modificationTime { documentsDatedByModificationTime += 1 }
            for p in doc.paragraphs {
                paragraphs += 1
                paragraphsByLanguage[p.analysis.language, default: 0] += 1
                if p.analysis.key.isEmpty { emptyParagraphs += 1 }
                if p.termKeys.count < 3 { shortParagraphs += 1 }
                if p.isQuote { quoteParagraphs += 1 }
                if p.isSignature { signatureParagraphs += 1 }
            }
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

    public init(paths: [String], jobs: Int) {
        self.paths = paths
        self.jobs = jobs
    }
}

/// Walks the inputs and runs the analysis stage over them with the ordered parallel driver.
public enum ArchiveRun {
    /// Analyzes every input file and hands the results to `consume` in input order.
    ///
    /// - Parameters:
    ///   - options: inputs, field mapping, encoding, jobs, languages.
    ///   - diagnostic: called on the calling task for every diagnostic, in input order.
    ///   - consume: called on the calling task for every analyzed file, in input order.
    ///   - progress: called on the calling task after every file with the figures so far.
    /// - Returns: the run's figures.
    /// - Throws: `RecurError(.textLibrary)` when the analyzers cannot be opened; what `consume` throws.
    public static func run(
        _ options: ArchiveOptions,
        diagnostic: (Diagnostic) -> Void,
        progress: (RunFigures) -> Void = { _ in },
        consume: (AnalyzedFile) throws -> Void
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
        let stage = ParagraphAnalysisStage(
            reader: DocumentReader(fields: options.fields, decoder: CharsetDecoder(forcedEncoding: options.encoding)),
            languages: options.languages)
        try await OrderedParallelDriver(jobs: options.jobs).run(
            walked.files,
            makeWorker: { try TextAnalyzer() },
            transform: { file, analyzer in stage.process(file, with: analyzer) },
            consume: { _, file in
                for d in file.diagnostics { diagnostic(d) }
                figures.add(file)
                try consume(file)
                progress(figures)
            })
        return figures
    }

    /// Whether an `--exclude` pattern matches a file's relative path or its name.
    static func matches(_ pattern: String, _ file: InputFile) -> Bool {
        fnmatch(pattern, file.relativePath, 0) == 0 || fnmatch(pattern, (file.relativePath as NSString).lastPathComponent, 0) == 0
    }
}

extension RunFigures {
    /// The progress line of a run `elapsed` seconds in: files and bytes done of those planned, the
    /// rate, and the time left at that rate, e.g.
    /// `12,345/68,636 files · 45.1/100.1 MB · 3.2 MB/s · 0:17 left`.
    public func progressLine(elapsed: Double) -> String {
        func grouped(_ n: Int) -> String {
            let digits = String(n)
            var out = ""
            for (i, c) in digits.enumerated() {
                if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
                out.append(c)
            }
            return out
        }
        func mb(_ bytes: Int) -> String { JSONText.number(Double(bytes) / 1e6, decimals: 1) }
        var parts = ["\(grouped(files))/\(grouped(plannedFiles)) files", "\(mb(bytes))/\(mb(plannedBytes)) MB"]
        if elapsed > 0, bytes > 0 {
            let rate = Double(bytes) / elapsed
            parts.append("\(mb(Int(rate))) MB/s")
            let left = Int((Double(max(0, plannedBytes - bytes)) / rate).rounded())
            let clock = left >= 3600
                ? "\(left / 3600):\(String(format: "%02d", left / 60 % 60)):\(String(format: "%02d", left % 60))"
                : "\(left / 60):\(String(format: "%02d", left % 60))"
            parts.append("\(clock) left")
        }
        return parts.joined(separator: " · ")
    }
}
