import ArgumentParser
import Foundation
import RecurKit

struct Normalize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every paragraph normalized, language-tagged and lemmatized, as JSON lines.",
        discussion: """
            One JSON object per paragraph, in input order (the same for any --jobs):
              doc, paragraph (0-based index), line, source, date (ISO 8601 or null), date_origin \
            (header, front-matter, field, path, mtime or none), lang (ru, fi, ja, other), script \
            (ISO 15924), text (as written), key (NFKC case-folded, ё→е, spaces collapsed), terms \
            (lemma/stem keys of the content words), and quote/signature when the paragraph is a \
            quoted reply or a signature.

            Examples:
              recur normalize corpora/seeds
              recur normalize archive/ --out paragraphs.jsonl --jobs 4
              cat notes.txt | recur normalize - --encoding windows-1251
            """
    )

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the JSON lines; - is standard output.", valueName: "file"))
    var out: String = "-"

    mutating func run() async throws {
        let options = try input.archiveOptions()
        let printer = DiagnosticPrinter(quiet: input.quiet)
        let output: LineOutput
        do { output = try LineOutput(path: out) } catch {
            DiagnosticPrinter.stderr("recur: \(error)\n")
            throw ExitCode(ExitStatus.failure)
        }
        // Progress only when the JSON lines go to a file: on a terminal's standard output it would mix with them.
        let progress = ProgressLine(quiet: input.quiet || out == "-")
        let figures: RunFigures
        do {
            figures = try await ArchiveRun.run(
                options, into: ParagraphLines.self, diagnostic: { progress.clear(); printer($0) }, progress: progress.update
            ) { file in
                try file.documents.write(to: output)
            }
            try output.finish()
            progress.clear()
        } catch {
            progress.clear()
            DiagnosticPrinter.stderr("recur: \(error)\n")
            throw ExitCode(ExitStatus.failure)
        }
        if !input.quiet || figures.errors > 0 { DiagnosticPrinter.stderr(figures.closingLine + "\n") }
        let status = figures.exitStatus(strict: input.strict)
        if status != .success { throw ExitCode(status) }
    }
}
