import ArgumentParser
import Foundation
import RecurKit

struct Quality: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every quality figure recur has, each with what it was measured on.",
        discussion: """
            Measures, and prints as one Markdown table:
              - Japanese segmentation F1, Finnish lemma accuracy and Russian stem agreement on the UD \
            dev treebanks (SHARED/data/ud-dev);
              - language identification accuracy on the same treebanks and on Latin-script \
            non-Finnish samples;
              - charset detection accuracy per encoding (SHARED/data/encodings);
              - duplicate detection precision and recall per kind, and theme recall, purity and \
            comeback detection, by running recur analyze on the demo archive and comparing with its \
            truth.json.
            Parts whose data is missing are skipped and listed. Exits 1 when a bar is not met.

            Examples:
              recur quality
              recur quality --shared ../shared --demo corpora/demo
            """
    )

    @Option(help: ArgumentHelp("The shared test-data folder (UD treebanks, encoding samples).", valueName: "dir"))
    var shared: String = "../shared"

    @Option(help: ArgumentHelp("The demo archive with its truth.json.", valueName: "dir"))
    var demo: String = "corpora/demo"

    @Option(help: ArgumentHelp("A synonym list for a second theme run on the demo (its rows have no bar; skipped when the file is missing).", valueName: "file"))
    var synonyms: String = "corpora/demo-synonyms.txt"

    @Option(name: .shortAndLong, help: "Workers for the demo run.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    mutating func run() async throws {
        var rows: [QualityRow] = []
        var skipped: [String] = []
        let analyzer = try TextAnalyzer()
        let fm = FileManager.default

        let ud = shared + "/data/ud-dev"
        if fm.fileExists(atPath: ud) {
            rows += try Self.analyzerRows(ud: ud, analyzer: analyzer)
            let identifier = LanguageIdentifier()
            for row in try LanguageIDQuality.measure(udDirectory: ud, identifier: identifier, isKnownFinnishWord: analyzer.isKnownFinnishWord) {
                rows.append(QualityRow(
                    section: "language id", measure: "accuracy, \(row.expected.rawValue)", value: row.accuracy,
                    measuredOn: "\(row.corpus) (\(row.total) sentences)"))
            }
        } else {
            skipped.append("analyzers and language id: \(ud) not found")
        }

        let encodings = shared + "/data/encodings"
        if fm.fileExists(atPath: encodings) {
            for row in try EncodingQuality.measure(directory: encodings) {
                rows.append(QualityRow(
                    section: "encoding", measure: "detection, \(row.truth)", value: row.accuracy,
                    measuredOn: "\(row.files) files in data/encodings/\(row.truth)"))
            }
        } else {
            skipped.append("encodings: \(encodings) not found")
        }

        if fm.fileExists(atPath: demo) {
            for row in EncodingQuality.measureDeclaredMail(directory: demo) {
                rows.append(QualityRow(
                    section: "encoding", measure: "detection, \(row.truth) (declaration ignored)", value: row.accuracy,
                    measuredOn: "\(row.files) text parts of \(demo) e-mails declaring it"
                        + (row.misses.isEmpty ? "" : "; missed: " + row.misses.prefix(3).joined(separator: ", "))))
            }
        }

        let truthPath = demo + "/truth.json"
        if fm.fileExists(atPath: truthPath) {
            rows += try await Self.demoRows(demo: demo, truthPath: truthPath, jobs: jobs)
            if fm.fileExists(atPath: synonyms) {
                rows += try await Self.synonymRows(demo: demo, truthPath: truthPath, synonymsPath: synonyms, jobs: jobs, analyzer: analyzer)
            }
        } else {
            skipped.append("dedup and themes: \(truthPath) not found")
        }

        print(QualityTable.markdown(rows, skipped: skipped) + Self.themeDetail, terminator: "")
        if rows.contains(where: { !$0.passes }) { throw ExitCode(ExitStatus.failure) }
    }

    static func analyzerRows(ud: String, analyzer: TextAnalyzer) throws -> [QualityRow] {
        var rows: [QualityRow] = []
        let ja = ud + "/ja_gsd-ud-dev.conllu", fi = ud + "/fi_tdt-ud-dev.conllu", ru = ud + "/ru_gsd-ud-dev.conllu"
        if FileManager.default.fileExists(atPath: ja) {
            let sentences = try CoNLLU.read(path: ja)
            let r = AnalyzerQuality.japaneseSegmentationF1(sentences, analyzer: analyzer)
            rows.append(QualityRow(section: "analyzers", measure: "ja segmentation F1 (MeCab)", value: r.f1, bar: 0.90,
                                   measuredOn: "UD Japanese-GSD dev, \(sentences.count) sentences"))
        }
        if FileManager.default.fileExists(atPath: fi) {
            let sentences = try CoNLLU.read(path: fi)
            let r = AnalyzerQuality.finnishLemmaAccuracy(sentences, analyzer: analyzer)
            rows.append(QualityRow(section: "analyzers", measure: "fi lemma accuracy (Voikko)", value: r.accuracy, bar: 0.78,
                                   measuredOn: "UD Finnish-TDT dev, \(r.count) words"))
        }
        if FileManager.default.fileExists(atPath: ru) {
            let sentences = try CoNLLU.read(path: ru)
            let r = AnalyzerQuality.russianStemAgreement(sentences, analyzer: analyzer)
            rows.append(QualityRow(section: "analyzers", measure: "ru stem agreement (Snowball)", value: r.accuracy, bar: 0.88,
                                   measuredOn: "UD Russian-GSD dev, \(r.count) words"))
        }
        return rows
    }

    /// Runs the whole pipeline on the demo archive in memory and compares with its truth.
    static func demoRows(demo: String, truthPath: String, jobs: Int) async throws -> [QualityRow] {
        let truth = try DemoTruth.load(path: truthPath)
        let analysis = try await analyzeDemo(demo, jobs: jobs, options: AnalysisOptions())
        let name = "recur analyze \(demo) (defaults) vs truth.json"
        var rows = TruthQuality.dedupRows(analysis, truth: truth, measuredOn: name)
        if let report = analysis.themes {
            rows += TruthQuality.themeRows(report, truth: truth, measuredOn: name)
            var detail = "\n| planted theme | recur theme | rank | purity | coverage | comebacks found |\n|---|---|---:|---:|---:|---|\n"
            for m in TruthQuality.themeMatches(report, truth: truth) {
                let found = m.comebackFound.map { $0 ? "yes" : "no" } ?? "(none planted)"
                detail += "| \(m.planted) | \(m.theme?.label ?? "–") | \(m.rank) | \(DuplicatesCSV.fixed3(m.purity)) | \(DuplicatesCSV.fixed3(m.coverage)) | \(found) |\n"
            }
            themeDetail = detail
        }
        return rows
    }

    /// The theme rows of a demo run with a synonym list, without bars: the bars hold for the defaults.
    static func synonymRows(demo: String, truthPath: String, synonymsPath: String, jobs: Int, analyzer: TextAnalyzer) async throws -> [QualityRow] {
        let truth = try DemoTruth.load(path: truthPath)
        var options = AnalysisOptions()
        let groups = try SynonymTable.parse(try String(contentsOfFile: synonymsPath, encoding: .utf8), path: synonymsPath)
        options.themes.synonyms = SynonymTable(groups: groups, analyzer: analyzer)
        let analysis = try await analyzeDemo(demo, jobs: jobs, options: options)
        guard let report = analysis.themes else { return [] }
        let name = "recur analyze \(demo) --synonyms \(synonymsPath) vs truth.json"
        return TruthQuality.themeRows(report, truth: truth, measuredOn: name).filter { $0.measure.hasPrefix("recall") || $0.measure.hasPrefix("comebacks") }.map {
            var row = $0
            row.measure += ", with the synonym list"
            row.bar = nil
            return row
        }
    }

    /// The whole pipeline on the demo archive (its README and truth left out), in memory.
    static func analyzeDemo(_ demo: String, jobs: Int, options: AnalysisOptions) async throws -> ArchiveAnalysis {
        var archive = ArchiveOptions(paths: [demo], jobs: jobs)
        archive.exclude = ["README.md", "truth.json"]
        return try await ArchiveAnalysis.run(archive, options: options, diagnostic: { _ in })
    }

    /// Per planted theme, printed after the table.
    nonisolated(unsafe) static var themeDetail = ""
}
