import ArgumentParser
import Foundation
import RecurKit

extension PeriodGranularity: ExpressibleByArgument {}

/// Deduplication settings (`recur dedup`, `recur analyze`).
struct DedupOptionGroup: ParsableArguments {
    @Option(help: "Minimum Jaccard similarity of two paragraphs' character n-grams for a near duplicate.")
    var threshold: Double = 0.8

    @Option(help: "Character n-gram (shingle) size for near duplicates; short Japanese paragraphs use 3.")
    var shingle: Int = 5

    @Option(help: "LSH bands; bands × rows is the MinHash signature length.")
    var bands: Int = 20

    @Option(help: "Rows (hash values) per LSH band.")
    var rows: Int = 6

    @Option(help: "A repeated paragraph in at least this many documents (from 2+ sources) is boilerplate.")
    var boilerplateDocuments: Int = 5

    @Option(help: """
        At most this many LSH candidates are verified per paragraph, those sharing the most bands \
        first. Lower is faster on large templated archives and may miss a few near duplicates \
        (64 instead of 256 on a 1 GB benchmark archive: deduplication 18% faster, 0.2% fewer near matches).
        """)
    var maxCandidates: Int = 256

    mutating func validate() throws {
        guard threshold > 0 && threshold <= 1 else { throw ValidationError("--threshold must be in (0, 1], e.g. 0.8.") }
        guard (2...16).contains(shingle) else { throw ValidationError("--shingle must be between 2 and 16.") }
        guard (1...64).contains(bands), (1...32).contains(rows) else {
            throw ValidationError("--bands must be 1...64 and --rows 1...32 (defaults 20 × 6).")
        }
        guard boilerplateDocuments >= 2 else { throw ValidationError("--boilerplate-documents must be at least 2.") }
        guard maxCandidates >= 1 else { throw ValidationError("--max-candidates must be at least 1 (default 256).") }
    }

    var options: DedupOptions {
        var o = DedupOptions()
        o.threshold = threshold
        o.shingleSize = shingle
        o.shortJapaneseShingleSize = min(3, shingle)
        o.bands = bands
        o.rows = rows
        o.boilerplateMinDocuments = boilerplateDocuments
        o.maxCandidates = maxCandidates
        return o
    }

    var settings: [String: String] {
        ["threshold": JSONText.number(threshold, decimals: 3), "shingle": String(shingle), "bands": String(bands),
         "rows": String(rows), "boilerplate_documents": String(boilerplateDocuments),
         "max_candidates": String(maxCandidates)]
    }
}

/// Where and how outputs are written.
struct OutputOptionGroup: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Folder for the outputs (created when missing; files in it are replaced atomically).", valueName: "dir"))
    var out: String

    @Flag(help: "Start CSV files with a byte order mark so that spreadsheet programs read them as UTF-8.")
    var excel = false

    @Flag(help: "Write the time each stage took into summary.json (it then differs from run to run). The closing lines on stderr always give them, and the time writing the outputs took.")
    var timings = false

    @Flag(help: "Write CSV cells as they are. By default a cell starting with =, +, -, @, tab or CR gets a leading ' so that spreadsheet programs do not run it as a formula.")
    var rawCSV = false
}

/// Runs the pipeline, writes the outputs and ends with the right exit status.
enum PipelineCommand {
    static func run(
        input: InputOptions, output: OutputOptionGroup, options: AnalysisOptions, settings extra: [String: String],
        html: (@Sendable (ArchiveAnalysis) -> String)?
    ) async throws {
        let archive = try input.archiveOptions()
        InterruptGuard.install(folder: output.out, names: AnalysisOutputs.allNames)
        let printer = DiagnosticPrinter(quiet: input.quiet)
        let progress = ProgressLine(quiet: input.quiet)
        var analysis: ArchiveAnalysis
        // Themes are extracted while duplicates.csv and paragraphs.jsonl are written.
        var readAndDeduplicate = options
        readAndDeduplicate.extractThemes = false
        do {
            analysis = try await ArchiveAnalysis.run(
                archive, options: readAndDeduplicate, diagnostic: { progress.clear(); printer($0) },
                progress: progress.update, stage: progress.stage,
                stageProgress: { progress.step($0, done: $1, total: $2) })
        } catch {
            progress.clear()
            DiagnosticPrinter.stderr("recur: \(error)\n")
            throw ExitCode(ExitStatus.failure)
        }
        var settings = OutputSettings()
        settings.excelBOM = output.excel
        settings.timings = output.timings
        settings.rawCSV = output.rawCSV
        settings.inputs = input.inputs
        settings.title = "recur: " + input.inputs.joined(separator: " ")
        settings.settings = extra
        settings.settings["jobs_independent"] = "true"
        settings.settings["lang"] = input.lang ?? "all"
        let outputStage = options.extractThemes ? "extracting themes and writing outputs" : "writing outputs"
        progress.stage(outputStage)
        let written: [String]
        let writeStart = ContinuousClock.now
        do {
            let outputs = try await AnalysisOutputs.write(
                analysis, settings: settings, html: html, extractingThemes: options.extractThemes ? options.themes : nil,
                to: output.out, whileCommitting: { try InterruptGuard.whileCommitting($0) }, jobs: archive.jobs,
                duplicateRows: { progress.step(outputStage + ": duplicates.csv", done: $0, total: $1, unit: "rows") })
            written = outputs.names
            analysis = outputs.analysis
            progress.clear()
        } catch {
            progress.clear()
            DiagnosticPrinter.stderr("recur: \(error)\n")
            throw ExitCode(ExitStatus.failure)
        }
        if !input.quiet || analysis.run.errors > 0 {
            DiagnosticPrinter.stderr(analysis.run.closingLine + "\n")
            let c = analysis.dedup.counts
            var line = "recur: duplicates: \(c.removed) of \(c.paragraphsIn) paragraphs (exact \(c.exact), near \(c.near), quote \(c.quote), boilerplate \(c.boilerplate))"
            if let themes = analysis.themes {
                line += "; themes: \(themes.themes.count), \(themes.themes.filter { $0.comebacks > 0 }.count) with comebacks"
                if themes.themes.isEmpty {
                    line += "\nrecur: no phrase recurs in \(options.themes.minDocuments)+ documents from \(options.themes.minSources)+ sources"
                        + " (the input has \(analysis.documentCount) documents from \(analysis.sourceCount) sources; see --min-sources)"
                }
            }
            // Writing the outputs (themes included, which run meanwhile) is timed here: summary.json is one of them.
            let writing = StageTiming(stage: "write_outputs", seconds: ArchiveAnalysis.seconds(ContinuousClock.now - writeStart))
            let time = (analysis.timings + [writing]).map { "\($0.stage) \(JSONText.number($0.seconds, decimals: 2)) s" }.joined(separator: ", ")
            DiagnosticPrinter.stderr(line + "\nrecur: " + time + "\nrecur: wrote " + written.joined(separator: ", ") + " to \(output.out)\n")
        }
        let status = analysis.run.exitStatus(strict: input.strict)
        if status != .success { throw ExitCode(status) }
    }
}

struct Dedup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find exact, near-duplicate, quoted and boilerplate paragraphs.",
        discussion: """
            The first occurrence of a paragraph (by document date, then input order) is kept; every \
            later copy points to it. Writes into --out:
              duplicates.csv    cluster_id,kind,similarity,kept_doc,kept_paragraph,doc,paragraph,lang,snippet
              paragraphs.jsonl  the kept paragraphs (recur normalize format) with cluster_size
              summary.json      paragraphs in, kept, removed per kind, and the run's figures

            Kinds: exact (same normalized text), near (character n-gram Jaccard ≥ --threshold, \
            found with MinHash LSH and verified), quote (an e-mail quote of an earlier paragraph), \
            boilerplate (a paragraph repeated in many documents from several sources: footers, \
            signatures, legal text).

            Memory stays small on large archives: the analyzed paragraphs wait in a temporary \
            file in $TMPDIR (or /tmp), about three times the archive's text, removed when recur ends. \
            A paragraph of more than 1 MB (a file with no paragraph breaks) is analyzed in pieces \
            of at most 1 MB, with a warning.

            Examples:
              recur dedup corpora/seeds --out out/seeds
              recur dedup archive/ --out out/dedup --threshold 0.9 --excel
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var dedup: DedupOptionGroup
    @OptionGroup var output: OutputOptionGroup

    mutating func run() async throws {
        var options = AnalysisOptions()
        options.dedup = dedup.options
        options.extractThemes = false
        try await PipelineCommand.run(input: input, output: output, options: options, settings: dedup.settings, html: nil)
    }
}

struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the requests that keep coming back: themes, their trends, episodes and comebacks.",
        discussion: """
            Reads, deduplicates (as recur dedup) and extracts recurring themes: key phrases of content \
            words, counted on first occurrences only, scored by how many documents, clients and periods \
            they recur in. Themes worded differently but told with the same reasons and details \
            (the other sentences of their paragraphs) are one request (see --context-merge). \
            Writes into --out everything recur dedup writes, and:
              themes.csv    theme_id,label,lang,phrases,mentions,documents,sources,first_seen,last_seen,
                            active_periods,episodes,comebacks,longest_gap,trend,status,example
              trends.csv    period,theme_id,label,mentions,documents,sources (zeros included)
              episodes.csv  theme_id,episode,start,end,documents,sources,new_sources,gap_before
              mentions.csv  theme_id,doc,paragraph,date,source,phrase (every counted mention)
              report.html   one self-contained page with charts; open it in a browser

            Every output is byte-identical for the same input and options, whatever --jobs is \
            (summary.json too, unless --timings).

            Memory stays small on large archives: the analyzed paragraphs wait in a temporary \
            file in $TMPDIR (or /tmp), about three times the archive's text, removed when recur ends. \
            A paragraph of more than 1 MB (a file with no paragraph breaks) is analyzed in pieces \
            of at most 1 MB, with a warning.

            Examples:
              recur analyze corpora/demo --out out/demo
              recur analyze inbox.mbox tickets.csv --text-field body --period week --gap 3 --out out/weekly
              recur analyze archive/ --lang ru,fi --top 20 --excel --out out/ru-fi
              recur analyze archive/ --context-merge 2 --synonyms words.txt --out out/by-words
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var dedup: DedupOptionGroup
    @OptionGroup var output: OutputOptionGroup

    @Option(help: "Period of the trends: day, week (ISO), month or quarter.")
    var period: PeriodGranularity = .month

    @Option(help: "Quiet periods that end an episode; a theme active again after them has a comeback.")
    var gap: Int = 2

    @Option(help: "A theme needs requests from at least this many sources (clients).")
    var minSources: Int = 2

    @Option(help: "Themes kept per language, ranked by recurrence (0 keeps all).")
    var top: Int = 50

    @Option(help: ArgumentHelp(
        "Words that mean the same request: one group per line, variants separated by '|' (e.g. 'окупаемость | ROMI | ROI'); each variant, in any inflected form, counts as the group's first.",
        valueName: "file"))
    var synonyms: String?

    @Option(help: ArgumentHelp(
        "Merge two themes worded differently (\"ROMI\", \"окупаемость\") when the other sentences of their paragraphs, the reasons and details around the request, are this alike (cosine of their contexts, 0–1); above 1 never merges.",
        valueName: "cosine"))
    var contextMerge: Double = ThemeOptions().contextMergeCosine

    mutating func validate() throws {
        guard gap >= 1 else { throw ValidationError("--gap must be at least 1.") }
        guard contextMerge > 0 else { throw ValidationError("--context-merge must be above 0 (above 1 turns merging off).") }
        guard minSources >= 1 else { throw ValidationError("--min-sources must be at least 1.") }
        guard top >= 0 else { throw ValidationError("--top must be 0 (all) or more.") }
        _ = try synonymGroups()
    }

    /// The groups of the `--synonyms` file (none without it).
    func synonymGroups() throws -> [[String]] {
        guard let path = synonyms else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("\(path): cannot read the --synonyms file.")
        }
        do {
            return try SynonymTable.parse(String(decoding: data, as: UTF8.self), path: path)
        } catch let error as RecurError {
            throw ValidationError(error.description)
        }
    }

    mutating func run() async throws {
        var options = AnalysisOptions()
        options.dedup = dedup.options
        options.themes.granularity = period
        options.themes.gap = gap
        options.themes.minSources = minSources
        options.themes.top = top == 0 ? nil : top
        options.themes.contextMergeCosine = contextMerge
        let groups = try synonymGroups()
        if !groups.isEmpty {
            let analyzer = try TextAnalyzer()
            options.themes.synonyms = SynonymTable(groups: groups, analyzer: analyzer)
        }
        var settings = dedup.settings
        settings["period"] = period.rawValue
        settings["gap"] = String(gap)
        settings["min_sources"] = String(minSources)
        settings["top"] = String(top)
        settings["context_merge"] = JSONText.number(contextMerge, decimals: 3)
        if let synonyms { settings["synonyms"] = "\(synonyms) (\(groups.count) groups)" }
        let title = "recur: " + input.inputs.joined(separator: " ")
        let reportSettings = settings
        try await PipelineCommand.run(input: input, output: output, options: options, settings: settings) { analysis in
            ReportPage.render(analysis, title: title, settings: reportSettings)
        }
    }
}
