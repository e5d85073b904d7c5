import Foundation

/// recur's version, printed by `--version` and written into `summary.json`.
public enum RecurVersion {
    public static let string = "0.1.0"
}

/// How the output files of `recur dedup` and `recur analyze` are written.
public struct OutputSettings: Sendable {
    /// Start every CSV with a UTF-8 byte order mark, for spreadsheet programs.
    public var excelBOM = false
    /// Include the time each stage took in `summary.json` (makes it differ run to run).
    public var timings = false
    /// Write CSV cells as they are, without the guard against spreadsheet formulas (`--raw-csv`).
    public var rawCSV = false
    /// A title for the HTML report, usually the inputs.
    public var title = "recur report"
    /// The run's settings as name → value, written into `summary.json` and the report.
    public var settings: [String: String] = [:]
    /// The inputs as given on the command line.
    public var inputs: [String] = []

    public init() {}
}

/// Writes every output of an analysis into a folder: each file into a temporary file beside its
/// place, streamed (the large ones are never held in memory whole), and renamed into place only
/// once all of them are complete, so that a failed run leaves the previous outputs as they were.
public enum AnalysisOutputs {
    /// The names of every file `recur analyze` can write (`recur dedup` writes the first two and `summary.json`).
    public static let allNames = [
        "duplicates.csv", "paragraphs.jsonl", "themes.csv", "trends.csv", "episodes.csv", "mentions.csv", "summary.json", "report.html",
    ]

    /// What `write` wrote and the analysis it wrote.
    public struct Written: Sendable {
        /// The names of the files written, in order.
        public var names: [String]
        /// The analysis as written: with its themes when `write` extracted them.
        public var analysis: ArchiveAnalysis
    }

    /// Writes the outputs of `analysis` into `folder` (created when missing).
    ///
    /// - Parameters:
    ///   - analysis: what the pipeline found.
    ///   - settings: BOM, timings, title, settings, inputs.
    ///   - html: renders `report.html`; nil writes no report (`recur dedup`).
    ///   - themeOptions: when given, the themes are extracted here (`ArchiveAnalysis.withThemes`),
    ///     while `duplicates.csv` and `paragraphs.jsonl`, which do not need them, are written.
    ///   - folder: the output folder.
    ///   - whileCommitting: runs the renaming of the finished files into place (the CLI holds
    ///     SIGINT/SIGTERM during it).
    ///   - jobs: how many tasks may format the rows of `duplicates.csv` at once, and build the
    ///     languages' themes at once (`--jobs`).
    ///   - duplicateRows: called from the task writing `duplicates.csv` with its rows written so
    ///     far and their total (for a progress display).
    /// - Returns: the names of the files written, in order, and the analysis written.
    /// - Throws: `RecurError(.outputFailed)` naming the file that could not be written; files
    ///   not yet moved into place keep their previous contents.
    @discardableResult
    public static func write(
        _ analysis: ArchiveAnalysis, settings: OutputSettings, html: (@Sendable (ArchiveAnalysis) -> String)? = nil,
        extractingThemes themeOptions: ThemeOptions? = nil,
        to folder: String, whileCommitting: (() throws -> Void) throws -> Void = { try $0() },
        jobs: Int = 1,
        duplicateRows: @escaping @Sendable (_ written: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> Written {
        // Three independent renderings run at once (the two large files, and the themes with the
        // rest); each writes its own temporary files, which are renamed into place in a fixed
        // order once all are done. With more than one job, the rows of duplicates.csv (the
        // longest of them on a large archive) are formatted by several tasks.
        typealias Rendered = [(name: String, file: AtomicOutputFile)]
        let groups: [@Sendable () async throws -> (Rendered, ArchiveAnalysis?)] = [
            {
                ([("duplicates.csv", try await render(folder, "duplicates.csv") { file in
                    try await DuplicatesCSV.render(
                        result: analysis.dedup, bom: settings.excelBOM, rawCSV: settings.rawCSV, jobs: jobs,
                        documentAndText: { analysis.documentAndSnippetText(of: $0, limit: DuplicatesCSV.snippetLength) },
                        emit: { try file.write($0) },
                        rowsWritten: { duplicateRows($0, DuplicatesCSV.rowCount(analysis.dedup)) })
                })], nil)
            },
            { ([("paragraphs.jsonl", try await render(folder, "paragraphs.jsonl") { try writeKeptParagraphs(analysis, to: $0) })], nil) },
            {
                var analysis = analysis
                if let themeOptions { analysis = try await analysis.withThemes(themeOptions, jobs: jobs) }
                var files: Rendered = []
                if let themes = analysis.themes {
                    let csv = ThemeCSV(excelBOM: settings.excelBOM, rawCSV: settings.rawCSV)
                    files.append(("themes.csv", try await render(folder, "themes.csv") { try $0.write(csv.themes(themes)) }))
                    files.append(("trends.csv", try await render(folder, "trends.csv") { try $0.write(csv.trends(themes)) }))
                    files.append(("episodes.csv", try await render(folder, "episodes.csv") { try $0.write(csv.episodes(themes)) }))
                    files.append(("mentions.csv", try await render(folder, "mentions.csv") { file in try csv.mentions(themes) { try file.write($0) } }))
                }
                files.append(("summary.json", try await render(folder, "summary.json") { try $0.write(summary(analysis, settings: settings)) }))
                if let html { files.append(("report.html", try await render(folder, "report.html") { try $0.write(html(analysis)) })) }
                return (files, analysis)
            },
        ]
        let (rendered, written) = try await withThrowingTaskGroup(of: (Int, Rendered, ArchiveAnalysis?).self) { group in
            for (index, render) in groups.enumerated() {
                group.addTask {
                    let (files, analysis) = try await render()
                    return (index, files, analysis)
                }
            }
            var byGroup = [Rendered](repeating: [], count: groups.count)
            var written = analysis
            for try await (index, files, rendered) in group {
                byGroup[index] = files
                if let rendered { written = rendered }
            }
            return (byGroup.flatMap { $0 }, written)
        }
        try whileCommitting { for (_, file) in rendered { try file.commit() } }
        return Written(names: rendered.map(\.name), analysis: written)
    }

    /// Creates `folder/name`'s temporary file, renders into it and syncs it (the commit only renames).
    private static func render(
        _ folder: String, _ name: String, _ body: (AtomicOutputFile) async throws -> Void
    ) async throws -> AtomicOutputFile {
        let file = try AtomicOutputFile(path: folder + "/" + name)
        try await body(file)
        try file.finishWriting()
        return file
    }

    /// `paragraphs.jsonl`: every kept paragraph (first occurrences, boilerplate representatives
    /// flagged) in the `recur normalize` format, in input order, with its cluster size.
    static func writeKeptParagraphs(_ analysis: ArchiveAnalysis, to file: AtomicOutputFile) throws {
        let dedup = analysis.dedup
        try analysis.forEachDocumentInInputOrder(having: dedup.isKept) { document, firstID in
            for (offset, paragraph) in document.paragraphs.enumerated() {
                let id = firstID + offset
                guard dedup.isKept(id) else { continue }
                var line = ParagraphJSON.render(paragraph, of: document.document) { json in
                    json.field("cluster_size", dedup.clusterSizeOf(id))
                    if dedup.isBoilerplate(id) { json.field("boilerplate", true) }
                }
                line.append(0x0A)
                try file.write(line)
            }
        }
    }

    /// `summary.json`: the run's figures, keys in a fixed order.
    static func summary(_ analysis: ArchiveAnalysis, settings: OutputSettings) -> [UInt8] {
        let run = analysis.run
        var json = JSONObjectWriter()
        json.field("recur_version", RecurVersion.string)
        json.field("inputs", settings.inputs)
        json.rawField("settings", object { j in
            for (name, value) in settings.settings.sorted(by: { $0.key < $1.key }) { j.field(name, value) }
        })
        json.field("files", run.files)
        json.field("files_skipped", run.filesSkipped)
        json.field("files_excluded", run.filesExcluded)
        json.field("bytes", run.bytes)
        json.field("documents", run.documents)
        json.field("documents_without_date", run.documentsWithoutDate)
        json.field("documents_dated_by_modification_time", run.documentsDatedByModificationTime)
        json.field("invalid_bytes_replaced", run.invalidBytes)
        json.rawField("paragraphs", object { j in
            j.field("total", run.paragraphs)
            j.field("empty", run.emptyParagraphs)
            j.field("short", run.shortParagraphs)
            j.field("quote", run.quoteParagraphs)
            j.field("signature", run.signatureParagraphs)
            j.rawField("by_language", object { l in
                for (lang, count) in run.paragraphsByLanguage.sorted(by: { $0.key < $1.key }) { l.field(lang.rawValue, count) }
            })
        })
        let counts = analysis.dedup.counts
        json.rawField("duplicates", object { j in
            j.field("paragraphs_in", counts.paragraphsIn)
            j.field("kept", counts.kept)
            j.field("removed", counts.removed)
            j.field("exact", counts.exact)
            j.field("near", counts.near)
            j.field("quote", counts.quote)
            j.field("boilerplate", counts.boilerplate)
            j.field("boilerplate_kept", counts.boilerplateKept)
            j.field("clusters", counts.clusters)
            j.field("boilerplate_clusters", counts.boilerplateClusters)
            j.field("exact_only_short", counts.short)
            j.field("candidates_verified", counts.candidatesVerified)
            j.field("candidates_accepted", counts.candidatesAccepted)
        })
        if let themes = analysis.themes {
            json.rawField("themes", object { j in
                j.field("paragraphs_counted", analysis.themeParagraphs)
                j.field("undated_paragraphs", themes.undatedParagraphs)
                j.field("period", themes.granularity.rawValue)
                j.field("first_period", themes.archiveFirst?.label)
                j.field("last_period", themes.archiveLast?.label)
                j.field("periods", themes.periods.count)
                j.field("themes", themes.themes.count)
                j.field("with_comebacks", themes.themes.filter { $0.comebacks > 0 }.count)
                j.rawField("by_language", object { l in
                    for summary in themes.languages {
                        l.rawField(summary.lang.rawValue, object { s in
                            s.field("paragraphs", summary.paragraphs)
                            s.field("documents", summary.documents)
                            s.field("candidates", summary.candidates)
                            s.field("eligible_candidates", summary.eligibleCandidates)
                            s.field("themes_found", summary.themesFound)
                            s.field("themes_shown", summary.themesShown)
                        })
                    }
                })
            })
        }
        json.rawField("diagnostics", object { j in
            j.field("errors", run.errors)
            j.field("warnings", run.warnings)
        })
        if settings.timings {
            json.rawField("timings_seconds", object { j in
                for t in analysis.timings { j.field(t.stage, t.seconds, decimals: 3) }
            })
        }
        var out = json.finish()
        out.append(0x0A)
        return out
    }

    private static func object(_ build: (inout JSONObjectWriter) -> Void) -> [UInt8] {
        var writer = JSONObjectWriter()
        build(&writer)
        return writer.finish()
    }
}
