import Foundation
import RecurKit
import RecurTestSupport
import Testing

@Suite("Temporary paragraph store")
struct TemporaryStoreTests {
    static func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = RecurProcess.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test("an unwritable TMPDIR is a clear error naming it, and the previous outputs stay")
    func unwritableTemporaryFolder() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("recur-store-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("previous\n".utf8).write(to: out.appendingPathComponent("duplicates.csv"))
        let seeds = TestPaths.seeds.path
        let missing = "/nonexistent-recur-tmp-\(getpid())"
        let failed = try Self.run(["dedup", seeds, "--out", out.path], environment: ["TMPDIR": missing])
        #expect(failed.status == ExitStatus.failure.rawValue, "\(failed.stderr)")
        #expect(failed.stderr.contains("temporary paragraph store"), "\(failed.stderr)")
        #expect(failed.stderr.contains(missing))
        #expect(try String(contentsOf: out.appendingPathComponent("duplicates.csv"), encoding: .utf8) == "previous\n")
        // The store leaves nothing behind in a writable TMPDIR.
        let tmp = out.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let ok = try Self.run(["dedup", seeds, "--out", out.path], environment: ["TMPDIR": tmp.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty)
    }
}
