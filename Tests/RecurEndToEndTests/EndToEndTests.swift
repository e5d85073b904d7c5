import Foundation
import RecurKit
import RecurTestSupport
import Testing

/// Runs the built `recur` binary the way users and CI do.
@Suite("recur end to end")
struct EndToEndTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    static let fixtureArchive = fixtures.appendingPathComponent("archive")

    static let analyzeOutputs = ["duplicates.csv", "paragraphs.jsonl", "themes.csv", "trends.csv", "episodes.csv",
                                 "mentions.csv", "summary.json", "report.html"]

    @Test("recur normalize corpora/seeds: one JSON object per paragraph, languages ru, fi and ja, sensible terms")
    func normalizeSeeds() throws {
        let run = try RecurProcess.run(["normalize", TestPaths.seeds.path, "--jobs", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count > 100)
        var languages = Set<String>()
        var terms = Set<String>()
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for field in ["doc", "paragraph", "line", "source", "date", "lang", "script", "text", "key", "terms"] {
                #expect(object[field] != nil, "missing \(field) in \(line.prefix(80))")
            }
            languages.insert(object["lang"] as? String ?? "")
            for t in object["terms"] as? [String] ?? [] { terms.insert(t) }
        }
        #expect(languages.isSuperset(of: ["ru", "fi", "ja"]))
        // lemma keys from each analyzer: Voikko base form, MeCab base form, Snowball stem
        #expect(terms.contains("asiakas"))
        #expect(terms.contains("顧客"))
        #expect(terms.contains { $0.hasPrefix("клиент") })
        #expect(run.stderr.contains("paragraphs"))
    }

    @Test("- reads standard input; --encoding forces a legacy charset")
    func standardInput() throws {
        let text = "Хотим интеграцию с CRM.\n\nНужна сквозная аналитика.\n"
        let bytes = try #require(CharsetDecoder.encode(text, as: "windows-1251"))
        let run = try RecurProcess.run(["normalize", "-", "--encoding", "windows-1251"], stdin: Data(bytes))
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("\"text\":\"Хотим интеграцию с CRM.\"") == true, "\(run.stdout)")
        #expect(lines.allSatisfy { $0.contains("\"lang\":\"ru\"") })
    }

    @Test("--jobs 1 and --jobs 4 write byte-identical outputs", arguments: ["normalize", "analyze"])
    func jobsDoNotChangeOutput(command: String) throws {
        let inputs = [TestPaths.seeds.path, Self.fixtureArchive.path]
        if command == "normalize" {
            let one = try RecurProcess.run(["normalize"] + inputs + ["--jobs", "1"])
            let four = try RecurProcess.run(["normalize"] + inputs + ["--jobs", "4"])
            #expect(one.status == 0 && four.status == 0)
            #expect(!one.stdout.isEmpty && one.stdout == four.stdout)
            return
        }
        let a = try TemporaryFolder(), b = try TemporaryFolder()
        #expect(try RecurProcess.run(["analyze"] + inputs + ["--jobs", "1", "--out", a.path]).status == 0)
        #expect(try RecurProcess.run(["analyze"] + inputs + ["--jobs", "4", "--out", b.path]).status == 0)
        for name in Self.analyzeOutputs {
            let x = try Data(contentsOf: a.url.appendingPathComponent(name))
            let y = try Data(contentsOf: b.url.appendingPathComponent(name))
            #expect(!x.isEmpty && x == y, "\(name) differs between --jobs 1 and --jobs 4")
        }
    }

    @Test("recur analyze on the fixture archive matches the golden CSVs")
    func goldenCSVs() throws {
        let out = try TemporaryFolder()
        let run = try RecurProcess.run(["analyze", Self.fixtureArchive.path, "--out", out.path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let update = ProcessInfo.processInfo.environment["RECUR_UPDATE_GOLDEN"] == "1"
        for name in ["themes.csv", "trends.csv", "episodes.csv", "mentions.csv", "duplicates.csv"] {
            let produced = try String(contentsOf: out.url.appendingPathComponent(name), encoding: .utf8)
            // The golden files are read from the source tree, so that RECUR_UPDATE_GOLDEN=1 rewrites what is compared.
            let goldenURL = TestPaths.packageRoot.appendingPathComponent("Tests/RecurEndToEndTests/Fixtures/golden/\(name)")
            if update { try produced.write(to: goldenURL, atomically: true, encoding: .utf8); continue }
            let expected = try String(contentsOf: goldenURL, encoding: .utf8)
            #expect(produced == expected, "\(name) differs from its golden file (RECUR_UPDATE_GOLDEN=1 rewrites them after a deliberate change)")
        }
    }

    @Test("recur quality on the demo archive: every dedup and theme bar against its truth.json is met (exit 0)")
    func demoQualityBars() throws {
        let missing = try TemporaryFolder()
        // A shared folder without data: only the demo's dedup and theme figures are measured.
        let run = try RecurProcess.run(["quality", "--shared", missing.path, "--demo", TestPaths.packageRoot.appendingPathComponent("corpora/demo").path])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        for measure in ["exact precision", "near precision", "recall (planted recurring themes", "comebacks found", "top-20 themes not made of"] {
            let row = run.stdout.split(separator: "\n").first { $0.contains(measure) && !$0.contains("synonym") }
            #expect(row?.contains("✓") == true, "\(measure): \(row ?? "missing")")
        }
    }

    @Test("--context-merge 2 keeps differently worded requests apart (ROMI and окупаемость on the demo); 0 is a usage error")
    func contextMergeOption() throws {
        let demo = TestPaths.packageRoot.appendingPathComponent("corpora/demo").path
        func themeOf(_ extra: [String]) throws -> [String: String] {
            let out = try TemporaryFolder()
            let run = try RecurProcess.run(["analyze", demo, "--exclude", "README.md", "--exclude", "truth.json", "-q", "--out", out.path] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            let themes = try CSVFile(out.url.appendingPathComponent("themes.csv"))
            return try #require(themes.rows.first { $0["label"] == "окупаемости" })
        }
        #expect(try themeOf([])["phrases"]?.contains("ROMI") == true)
        #expect(try themeOf(["--context-merge", "2"])["phrases"]?.contains("ROMI") == false)
        #expect(try RecurProcess.run(["analyze", demo, "--context-merge", "0", "--out", "/tmp/unused"]).status == 64)
    }

    @Test("the fixture archive's planted CRM request is found in each language, with its comeback")
    func fixtureThemes() throws {
        let out = try TemporaryFolder()
        #expect(try RecurProcess.run(["analyze", Self.fixtureArchive.path, "--out", out.path, "-q"]).status == 0)
        let themes = try CSVFile(out.url.appendingPathComponent("themes.csv"))
        for lang in ["ru", "fi", "ja"] {
            let row = try #require(themes.rows.first { $0["lang"] == lang && ($0["phrases"] ?? "").lowercased().contains("crm") })
            #expect(Int(row["comebacks"] ?? "") ?? 0 >= 1, "\(row)")
            #expect(Int(row["sources"] ?? "") ?? 0 >= 3, "\(row)")
        }
        let duplicates = try CSVFile(out.url.appendingPathComponent("duplicates.csv"))
        #expect(duplicates.header == DuplicatesCSV.header)
        #expect(duplicates.rows.contains { $0["kind"] == "quote" })
        #expect(duplicates.rows.contains { $0["kind"] == "boilerplate" && ($0["snippet"] ?? "").hasPrefix("Офис не работает") })
        #expect(duplicates.rows.contains { $0["kind"] == "exact" && $0["doc"] == "tickets/export.jsonl#T-4" })
        let html = try String(contentsOf: out.url.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<html") && !html.contains("<script src") && !html.contains("http://"))
    }

    @Test("a malformed JSONL line is reported with file and line; the rest is read and the exit code is 2")
    func badInputIsReportedAndSkipped() throws {
        let input = try TemporaryFolder()
        try "{\"id\":\"a\",\"date\":\"2024-01-02\",\"source\":\"x\",\"text\":\"Хотим интеграцию с CRM.\"}\n{broken\n{\"id\":\"b\",\"date\":\"2024-02-03\",\"source\":\"y\",\"text\":\"Нужна интеграция с CRM.\"}\n"
            .write(to: input.url.appendingPathComponent("t.jsonl"), atomically: true, encoding: .utf8)
        let out = try TemporaryFolder()
        let run = try RecurProcess.run(["dedup", input.path, "--out", out.path])
        #expect(run.status == ExitStatus.inputsSkipped.rawValue, "\(run.stderr)")
        #expect(run.stderr.contains("t.jsonl:2"), "\(run.stderr)")
        let kept = try String(contentsOf: out.url.appendingPathComponent("paragraphs.jsonl"), encoding: .utf8)
        #expect(kept.split(separator: "\n").count == 2)
        let strict = try RecurProcess.run(["dedup", input.path, "--out", out.path, "--strict", "-q"])
        #expect(strict.status == ExitStatus.failure.rawValue)
    }

    @Test("usage errors exit 64 with a message", arguments: [
        ["analyze"], ["analyze", "x", "--out", "o", "--jobs", "0"], ["analyze", "x", "--out", "o", "--period", "fortnight"],
        ["normalize", "x", "--encoding", "klingon"], ["dedup", "x", "--out", "o", "--threshold", "2"],
        ["analyze", "x", "--out", "o", "--synonyms", "/nonexistent/synonyms.txt"],
        ["dedup", "x", "--out", "o", "--max-candidates", "0"],
    ])
    func usageErrors(arguments: [String]) throws {
        let run = try RecurProcess.run(arguments)
        #expect(run.status == ExitStatus.usage.rawValue, "\(arguments): \(run.status) \(run.stderr)")
        #expect(run.stderr.contains("Error") || run.stderr.contains("error"), "\(run.stderr)")
    }

    @Test("--max-candidates bounds the LSH candidates verified and is recorded in summary.json")
    func maxCandidates() throws {
        func run(_ extra: [String]) throws -> [String: Any] {
            let out = try TemporaryFolder()
            let demo = TestPaths.packageRoot.appendingPathComponent("corpora/demo").path
            let run = try RecurProcess.run(["dedup", demo, "--exclude", "README.md", "--exclude", "truth.json", "--out", out.path, "-q"] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            let data = try Data(contentsOf: out.url.appendingPathComponent("summary.json"))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
        func figures(_ summary: [String: Any]) -> (setting: String?, verified: Int?) {
            ((summary["settings"] as? [String: Any])?["max_candidates"] as? String,
             (summary["duplicates"] as? [String: Any])?["candidates_verified"] as? Int)
        }
        let standard = figures(try run([])), one = figures(try run(["--max-candidates", "1"]))
        #expect(standard.setting == "256" && one.setting == "1")
        let verified = try #require(standard.verified), verifiedOne = try #require(one.verified)
        // The demo has paragraphs with several candidates: a cap of one verifies fewer.
        #expect(verifiedOne < verified)
    }

    @Test("a missing input is an error naming it; nothing is written over earlier outputs")
    func missingInputKeepsOutputs() throws {
        let out = try TemporaryFolder()
        #expect(try RecurProcess.run(["analyze", Self.fixtureArchive.path, "--out", out.path, "-q"]).status == 0)
        let before = try Data(contentsOf: out.url.appendingPathComponent("themes.csv"))
        let run = try RecurProcess.run(["analyze", "/nonexistent/archive", "--out", out.path + "/report.html/x"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("/nonexistent/archive"), "\(run.stderr)")
        #expect(try Data(contentsOf: out.url.appendingPathComponent("themes.csv")) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test("the closing line counts in words: 1 file, 1 document, 2 paragraphs, 1 file excluded")
    func closingLine() throws {
        let archive = try TemporaryFolder(), out = try TemporaryFolder()
        try "Первый абзац о сквозной аналитике.\n\nВторой абзац о встрече по понедельникам.\n"
            .write(to: archive.url.appendingPathComponent("note.txt"), atomically: true, encoding: .utf8)
        try "# not an inquiry\n".write(to: archive.url.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let run = try RecurProcess.run(["dedup", archive.path, "--exclude", "README.md", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("recur: 1 file, 1 document, 2 paragraphs (ru 2); 1 file excluded"), "\(run.stderr)")
    }

    @Test("recur --help leads with the whole job: analyze, its outputs and the exit codes")
    func topLevelHelp() throws {
        let run = try RecurProcess.run(["--help"])
        #expect(run.status == 0)
        for expected in ["Examples:", "recur analyze corpora/demo", "themes.csv", "trends.csv", "report.html", "Exit codes:", "64 usage error"] {
            #expect(run.stdout.contains(expected), "missing \(expected): \(run.stdout)")
        }
    }

    @Test("--help teaches: examples and the outputs are described", arguments: ["normalize", "dedup", "analyze", "quality"])
    func help(subcommand: String) throws {
        let run = try RecurProcess.run([subcommand, "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Examples:"), "\(run.stdout)")
    }
}
