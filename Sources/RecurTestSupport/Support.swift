import Foundation
import RecurKit

/// Paths shared by the test targets.
public enum TestPaths {
    /// The package root (found from this file's location).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `../shared` beside the package, or nil when it is absent (tests that need it skip).
    public static let shared: URL? = {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("README.md").path) ? url : nil
    }()

    /// A file or folder under `../shared`, or nil when it is absent.
    public static func shared(_ relative: String) -> URL? {
        guard let url = shared?.appendingPathComponent(relative),
              FileManager.default.fileExists(atPath: url.path) else { return nil }
        return url
    }

    /// The bundled seed documents.
    public static var seeds: URL { packageRoot.appendingPathComponent("corpora/seeds") }
}

/// The built `recur` binary, run as a child process.
public enum RecurProcess {
    /// What a run printed and how it ended.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `recur` executable beside the test bundle (`swift build --build-tests` builds it too).
    public static var executable: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("recur"),
            Bundle.main.bundleURL.appendingPathComponent("recur"),
            TestPaths.packageRoot.appendingPathComponent(".build/debug/recur"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `recur` with `arguments` in the package root and waits for it.
    public static func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = TestPaths.packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes while the child runs so that neither fills up.
        // The semaphore orders the reader thread's write before the read below (ThreadSanitizer checks this).
        nonisolated(unsafe) var errData = Data()
        let errRead = DispatchSemaphore(value: 0)
        let errReader = Thread {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            errRead.signal()
        }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errRead.wait()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A fresh folder under the system's temporary directory, removed when the value goes away.
public final class TemporaryFolder {
    public let url: URL
    public var path: String { url.path }

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("recur-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A CSV file with a header row, read into dictionaries.
public struct CSVFile {
    public var header: [String]
    public var rows: [[String: String]]

    public init(_ url: URL) throws {
        let records = try CSVRecords.parse(String(contentsOf: url, encoding: .utf8), path: url.path)
        let names = records.first?.fields ?? []
        header = names
        rows = records.dropFirst().map { record in
            Dictionary(zip(names, record.fields), uniquingKeysWith: { a, _ in a })
        }
    }
}
