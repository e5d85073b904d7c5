import Foundation
import RecurKit
import RecurTestSupport
import Testing

/// Hostile and broken input, interrupted runs: the run goes on, every valid document is kept, each
/// problem is named with its file (and line or byte offset), and outputs are replaced atomically.
@Suite("robustness end to end")
struct RobustnessTests {
    /// A folder with one case of every kind of bad input the issue lists, beside valid documents.
    static func hostileArchive() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        func write(_ name: String, _ bytes: [UInt8]) throws {
            let url = folder.url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }
        try write("valid1.txt", utf8("Хотим интеграцию с CRM для сайта.\n\nЕщё нужна сквозная аналитика.\n"))
        try write("valid2.md", utf8("---\ndate: 2024-03-01\nsource: beta.ru\n---\nKaipaisimme CRM-integraatiota verkkosivuille.\n"))
        try write("valid3.html", utf8("<html><body><p>CRMとの連携を検討していただけますか。</p><script>alert(1)</script></body></html>"))
        try write("scan.txt", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<1024).map { UInt8($0 % 256) })
        try write("photo.jpg", [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0, count: 100))
        try write("bad-utf8.txt", utf8("Нужен отчёт ") + [0xFF, 0xFE, 0xFA] + utf8(" по рекламе.\n"))
        try write("utf16-odd.txt", [0xFF, 0xFE] + Array("Нужна выгрузка заказов в 1С.\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }) + [0x41])
        try write("cut.txt", utf8("Нужен новый баннер на главной ") + [0xD0])
        try write("nul.txt", utf8("Хотим подключить автостратегии.") + [0] + utf8(" Бюджет урезали."))
        try write("mixed.md", utf8("Первая строка\r\nвторая строка\rтретья строка\n\nНовый абзац про CRM.\r\n"))
        try write("empty.txt", [])
        try write("blank.txt", utf8("   \n\t\n\u{3000}\n"))
        try write("t.jsonl", utf8("{\"id\":\"a\",\"date\":\"2024-01-02\",\"source\":\"x\",\"text\":\"Need CRM integration.\"}\n{broken\n{\"id\":\"b\",\"date\":\"2024-02-03\",\"source\":\"y\",\"text\":\"Need end-to-end analytics.\"}\n"))
        try write("t.csv", utf8("id,date,source,text\n1,2024-01-05,a.ru,\"Hello CRM\"\n2,2024-01-06,b.ru,\"unbalanced\n3,2024-01-07\n"))
        try write("broken.eml", utf8("From: a@b.ru\nDate: Mon, 5 Feb 2024 10:00:00 +0300\nSubject: test\nContent-Type: multipart/mixed; boundary=\"XYZ\"\n\n--XYZ\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n0J3Rg9C20L3QsCDQuNC90YLQtdCz0YDQsNGG0LjRjyDRgSBDUk0u!!!@@@\n"))
        try write("future.md", utf8("---\ndate: 2999-01-01\n---\nНужен расчёт ROMI.\n"))
        try write("long.txt", Array(String(repeating: "слово ", count: 400_000).utf8))
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("emptydir"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/loop", withDestinationPath: ".")
        try write("sub/unreadable.txt", utf8("Секрет."))
        chmod(folder.path + "/sub/unreadable.txt", 0)
        try FileManager.default.createDirectory(atPath: folder.path + "/locked", withIntermediateDirectories: true)
        chmod(folder.path + "/locked", 0)
        #if os(Linux)
        // A file whose reading fails even for root: /proc/self/mem gives EIO at offset 0.
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/mem.txt", withDestinationPath: "/proc/self/mem")
        #endif
        return folder
    }

    /// The bad-input cases: file, and a part of the message naming the problem.
    static let expectedMessages: [(file: String, message: String)] = [
        ("scan.txt", "binary file skipped"), ("photo.jpg", "unknown extension"),
        ("bad-utf8.txt", "3 invalid bytes replaced (decoded as UTF-8)"), ("utf16-odd.txt", "invalid bytes replaced"),
        ("cut.txt", "1 invalid bytes replaced (decoded as UTF-8)"), ("nul.txt (byte 59)", "1 NUL byte removed"),
        ("empty.txt", "empty file"), ("blank.txt", "only white space"), ("emptydir", "empty folder"),
        ("loop", "symbolic link loop"), ("t.jsonl:2", "malformed JSON"), ("t.csv:3", "unbalanced quote"),
        ("t.csv:4", "2 columns"), ("broken.eml", "closing boundary"), ("broken.eml", "invalid base64"),
        ("future.md", "lies in the future"),
    ] + (isLinux ? [("mem.txt (byte 0)", "cannot read file: Input/output error")] : [])

    #if os(Linux)
    static let isLinux = true
    #else
    static let isLinux = false
    #endif

    /// The documents that must be in the output, with a piece of their text.
    static let expectedDocuments: [(doc: String, text: String)] = [
        ("valid1.txt", "интеграцию с CRM"), ("valid2.md", "CRM-integraatiota"), ("valid3.html", "CRMとの連携"),
        ("bad-utf8.txt", "Нужен отчёт \u{FFFD}"), ("utf16-odd.txt", "Нужна выгрузка заказов в 1С."), ("cut.txt", "Нужен новый баннер"),
        ("nul.txt", "автостратегии. Бюджет"), ("mixed.md", "третья строка"), ("t.jsonl#a", "Need CRM integration."),
        ("t.jsonl#b", "end-to-end analytics"), ("t.csv#1", "Hello CRM"), ("broken.eml", "Нужна интеграция"),
        ("future.md", "ROMI"), ("long.txt", "слово слово"),
    ]

    @Test("every bad input is named with its problem, the run goes on, every valid document is kept, exit status 2")
    func hostileArchive() throws {
        let input = try Self.hostileArchive()
        let out = try TemporaryFolder()
        let run = try RecurProcess.run(["analyze", input.path, "--out", out.path])
        #expect(run.status == ExitStatus.inputsSkipped.rawValue, "\(run.stderr)")
        for (file, message) in Self.expectedMessages {
            let named = run.stderr.split(separator: "\n").contains { $0.contains(input.path + "/" + file) && $0.contains(message) }
            #expect(named, "\(file): \(message) not in\n\(run.stderr)")
        }
        if getuid() != 0 {  // root reads everything
            #expect(run.stderr.contains("unreadable.txt: error: cannot open file: Permission denied"), "\(run.stderr)")
            #expect(run.stderr.contains("locked: error: cannot read directory"), "\(run.stderr)")
        }
        let paragraphs = try String(contentsOf: out.url.appendingPathComponent("paragraphs.jsonl"), encoding: .utf8)
        let byDoc = Dictionary(grouping: paragraphs.split(separator: "\n").compactMap { line -> (String, String)? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let doc = object["doc"] as? String, let text = object["text"] as? String else { return nil }
            return (doc, text)
        }, by: \.0).mapValues { $0.map(\.1).joined(separator: "\n") }
        for (doc, text) in Self.expectedDocuments {
            #expect(byDoc[doc]?.contains(text) == true, "\(doc) missing or without '\(text)': \(byDoc[doc]?.prefix(80) ?? "nil")")
        }
        // Archive text never becomes markup in the report.
        let html = try String(contentsOf: out.url.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!html.contains("<script>alert"))
    }

    @Test("the same outputs with --jobs 1, 2 and 8, on broken input too")
    func jobsOneTwoEight() throws {
        let input = try Self.hostileArchive()
        var outputs: [[String: Data]] = []
        for jobs in ["1", "2", "8"] {
            let out = try TemporaryFolder()
            _ = try RecurProcess.run(["analyze", input.path, TestPaths.seeds.path, "--jobs", jobs, "--out", out.path, "-q"])
            var files: [String: Data] = [:]
            for name in AnalysisOutputs.allNames { files[name] = try Data(contentsOf: out.url.appendingPathComponent(name)) }
            outputs.append(files)
        }
        for name in AnalysisOutputs.allNames {
            #expect(outputs[0][name]?.isEmpty == false)
            #expect(outputs[1][name] == outputs[0][name] && outputs[2][name] == outputs[0][name], "\(name) depends on --jobs")
        }
    }

    @Test("CSV cells that would be formulas are guarded; --raw-csv writes them as they are")
    func formulaInjection() throws {
        let input = try TemporaryFolder()
        for (i, source) in ["a", "b"].enumerated() {
            try "=HYPERLINK(\"http://evil.example\";\"x\") Хотим интеграцию с CRM.\n"
                .write(to: input.url.appendingPathComponent("\(source)-\(i).txt"), atomically: true, encoding: .utf8)
        }
        let guarded = try TemporaryFolder(), raw = try TemporaryFolder()
        #expect(try RecurProcess.run(["analyze", input.path, "--out", guarded.path, "-q"]).status == 0)
        #expect(try RecurProcess.run(["analyze", input.path, "--out", raw.path, "-q", "--raw-csv"]).status == 0)
        let a = try String(contentsOf: guarded.url.appendingPathComponent("duplicates.csv"), encoding: .utf8)
        let b = try String(contentsOf: raw.url.appendingPathComponent("duplicates.csv"), encoding: .utf8)
        #expect(a.contains(",\"'=HYPERLINK(") || a.contains(",'=HYPERLINK("), "\(a)")
        #expect(!a.contains(",=HYPERLINK(") && !a.contains(",\"=HYPERLINK("), "\(a)")
        #expect(b.contains(",\"=HYPERLINK(") || b.contains(",=HYPERLINK("), "\(b)")
    }

    @Test("SIGINT during a run: exit status 130, a message, the previous outputs untouched, no temporary files left")
    func interrupted() throws {
        let out = try TemporaryFolder()
        #expect(try RecurProcess.run(["analyze", TestPaths.seeds.path, "--out", out.path, "-q"]).status == 0)
        let before = try Data(contentsOf: out.url.appendingPathComponent("summary.json"))
        // An input that takes seconds: 30,000 JSONL records.
        let input = try TemporaryFolder()
        var lines = ""
        for i in 0..<30_000 {
            lines += "{\"id\":\"r\(i)\",\"date\":\"2024-\(String(format: "%02d", 1 + i % 12))-01\",\"source\":\"c\(i % 50).ru\",\"text\":\"Заявка номер \(i): хотим интеграцию сайта с CRM и сквозную аналитику, бюджет \(i * 7) рублей.\"}\n"
        }
        try lines.write(to: input.url.appendingPathComponent("big.jsonl"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = RecurProcess.executable
        process.arguments = ["analyze", input.path, "--out", out.path, "-q"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        usleep(700_000)
        process.interrupt()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "finished before the signal? \(process.terminationStatus) \(stderr)")
        #expect(stderr.contains("interrupted"), "\(stderr)")
        #expect(try Data(contentsOf: out.url.appendingPathComponent("summary.json")) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
