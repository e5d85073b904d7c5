import ArgumentParser
import Foundation
import RecurKit

@main
struct Recur: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recur",
        abstract: "Find the client requests that keep coming back in an inquiry archive.",
        discussion: """
            recur reads a folder of client inquiries (e-mail, mbox, HTML forms, notes, JSONL and CSV \
            exports) in Russian, Finnish and Japanese, in any of their legacy encodings; finds each \
            document's date and client; normalizes, language-tags and lemmatizes every paragraph; sets \
            aside exact, near, quoted and boilerplate repeats; and reports the requests that recur \
            across clients and months: themes.csv, trends.csv (per period, for CI diffs), summary.json \
            and a self-contained report.html.

            Examples:
              recur analyze corpora/demo --out out/demo          # the whole job; open out/demo/report.html
              recur analyze archive/ --period week --jobs 4 --out out/weekly
              recur dedup inbox.mbox tickets.csv --text-field body --out out/dedup
              recur normalize corpora/seeds --out paragraphs.jsonl
              recur quality --shared ../shared

            Every output is written atomically and is byte-identical for the same input and options, \
            whatever --jobs is. Progress goes to stderr when it is a terminal (--quiet turns it off).

            Exit codes: 0 success; 1 failure (nothing new written); 2 finished, but some inputs were \
            skipped (see stderr; --strict makes that a failure); 64 usage error.
            """,
        version: RecurVersion.string,
        subcommands: [Normalize.self, Dedup.self, Analyze.self, Quality.self]
    )
}

/// The options of every subcommand that reads an archive.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Files or folders to read (folders recursively, in a stable order); - reads standard input.",
        valueName: "input"))
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Documents analyzed at once, and threads looking up near duplicates (at most the cores; default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Decode every input with this charset instead of detecting it (e.g. windows-1251, KOI8-R, Shift_JIS).", valueName: "charset"))
    var encoding: String?

    @Option(help: "Languages to keep, comma-separated: ru, fi, ja, other (default: all).")
    var lang: String?

    @Option(help: "JSONL/CSV field holding the document id.") var idField = "id"
    @Option(help: "JSONL/CSV field holding the date.") var dateField = "date"
    @Option(help: "JSONL/CSV field holding the source (client).") var sourceField = "source"
    @Option(help: "JSONL/CSV field holding the text.") var textField = "text"

    @Option(help: ArgumentHelp("Leave out files whose relative path or name matches this shell pattern (repeatable), e.g. 'README.md' or 'drafts/*'.", valueName: "pattern"))
    var exclude: [String] = []

    @Flag(help: "Treat any skipped input as a failure (exit 1 instead of 2).")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print no per-file warnings or progress; errors are still printed.")
    var quiet = false

    mutating func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("Give at least one input file or folder (or - for standard input).") }
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256.") }
        if let encoding, !CharsetDecoder.isKnown(CharsetDecoder.canonicalName(encoding) ?? encoding) {
            throw ValidationError("Unknown --encoding '\(encoding)'. Try windows-1251, KOI8-R, IBM866, ISO-8859-5, Shift_JIS, EUC-JP, ISO-2022-JP, ISO-8859-1, ISO-8859-15, windows-1252, UTF-8, UTF-16LE, UTF-16BE.")
        }
        _ = try languages()
    }

    func languages() throws -> Set<Language>? {
        guard let lang else { return nil }
        var set = Set<Language>()
        for part in lang.split(separator: ",") {
            guard let language = Language(rawValue: part.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ValidationError("Unknown language '\(part)' in --lang; use ru, fi, ja or other.")
            }
            set.insert(language)
        }
        return set
    }

    func archiveOptions() throws -> ArchiveOptions {
        var options = ArchiveOptions(paths: inputs, jobs: jobs)
        options.fields = FieldMapping(id: idField, date: dateField, source: sourceField, text: textField)
        options.encoding = encoding.flatMap(CharsetDecoder.canonicalName)
        options.languages = try languages()
        options.exclude = exclude
        return options
    }
}

/// Prints diagnostics to stderr as they come, compiler-style.
struct DiagnosticPrinter {
    var quiet: Bool

    func callAsFunction(_ diagnostic: Diagnostic) {
        if quiet && diagnostic.severity == .warning { return }
        Self.stderr("recur: \(diagnostic)\n")
    }

    static func stderr(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension RunFigures {
    /// One line for stderr at the end of a run.
    var closingLine: String {
        let languages = paragraphsByLanguage.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        var line = "recur: \(count(files, "file")), \(count(documents, "document")), \(count(paragraphs, "paragraph"))"
        if !languages.isEmpty { line += " (\(languages))" }
        if filesExcluded > 0 { line += "; \(count(filesExcluded, "file")) excluded" }
        if filesSkipped > 0 || errors > 0 { line += "; \(count(filesSkipped, "file")) skipped, \(count(errors, "error"))" }
        if warnings > 0 { line += "; \(count(warnings, "warning"))" }
        return line
    }

    func exitStatus(strict: Bool) -> ExitStatus {
        guard errors > 0 || filesSkipped > 0 else { return .success }
        return strict ? .failure : .inputsSkipped
    }
}

extension ExitCode {
    /// The argument-parser exit code for one of recur's exit statuses.
    init(_ status: ExitStatus) { self.init(status.rawValue) }
}
