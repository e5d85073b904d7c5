import Foundation
import RecurKit
import RecurTestSupport
import Testing

@Suite("Progress display")
struct ProgressTests {
    @Test("the progress line: files and megabytes of those planned, rate, time left")
    func line() {
        var figures = RunFigures()
        figures.plannedFiles = 68_636
        figures.plannedBytes = 100_000_000
        figures.files = 12_345
        figures.bytes = 25_000_000
        #expect(figures.progressLine(elapsed: 5) == "12,345/68,636 files · 25/100 MB · 5 MB/s · 0:15 left")
        figures.plannedBytes = 20_000_000_000
        #expect(figures.progressLine(elapsed: 5).hasSuffix("1:06:35 left"))
        #expect(RunFigures().progressLine(elapsed: 0) == "0/0 files · 0/0 MB")
    }

    @Test("a stage's line: paragraphs done of all, rate, time left")
    func stageLine() {
        #expect(ProgressText.step("deduplicating", done: 1_234_567, of: 5_120_753, unit: "paragraphs", elapsed: 25)
            == "deduplicating 1,234,567/5,120,753 paragraphs · 49,382/s · 1:19 left")
        #expect(ProgressText.step("deduplicating", done: 0, of: 999, unit: "paragraphs", elapsed: 0)
            == "deduplicating 0/999 paragraphs")
        #expect(ProgressText.step("deduplicating", done: 10, of: 20_000_010, unit: "paragraphs", elapsed: 1).hasSuffix("555:33:20 left"))
        #expect(ProgressText.grouped(1_000) == "1,000" && ProgressText.grouped(999) == "999" && ProgressText.grouped(0) == "0")
    }

    static let script = "/usr/bin/script"

    @Test("shown on a terminal, never in piped stderr or with --quiet", .enabled(if: FileManager.default.isExecutableFile(atPath: script)))
    func terminalOnly() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("recur-progress-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        let demo = TestPaths.packageRoot.appendingPathComponent("corpora/demo").path
        // The line is drawn from the first file on (RECUR_PROGRESS_AFTER=0), when stderr is a terminal.
        let command = [
            "/usr/bin/env", "RECUR_PROGRESS_AFTER=0", RecurProcess.executable.path, "dedup", demo,
            "--exclude", "README.md", "--exclude", "truth.json", "--out", out.path,
        ]
        func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        // Piped: nothing of it.
        let piped = try run(command[0], Array(command.dropFirst()))
        #expect(piped.status == 0, "\(piped.output)")
        #expect(piped.output.contains("recur: 7") || piped.output.contains("files,"), "\(piped.output)")
        #expect(!piped.output.contains("recur: reading"))
        #expect(!piped.output.contains("\u{1B}[K"))
        // On a pseudo-terminal (script(1)): shown, and cleared before the closing lines; --quiet: nothing.
        let quoted = command.map { "'" + $0 + "'" }.joined(separator: " ")
        for (line, shown) in [(quoted, true), (quoted + " --quiet", false)] {
            let terminal = try run(Self.script, ["-qec", line, "/dev/null"])
            #expect(terminal.status == 0, "\(terminal.output)")
            #expect(terminal.output.contains("recur: reading") == shown, "\(terminal.output)")
            #expect(terminal.output.contains(" files · ") == shown)
            // Deduplication shows its own figures (its first line at once).
            #expect(terminal.output.contains("recur: deduplicating 0/") == shown, "\(terminal.output)")
            // So does the output phase, with the rows of duplicates.csv.
            #expect(terminal.output.contains("writing outputs: duplicates.csv 0/") == shown, "\(terminal.output)")
            #expect(terminal.output.contains(" rows") == shown)
            #expect(terminal.output.contains("\r\u{1B}[K") == shown)
            // The line is cleared before the closing lines, never left in front of them.
            #expect(!terminal.output.contains("…recur: "), "\(terminal.output)")
        }
    }
}
