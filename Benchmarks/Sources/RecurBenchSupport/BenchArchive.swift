import Foundation
import RecurKit

/// The generated mixed-language (ru/fi/ja) archive the benchmarks read.
///
/// The corpus generator is the root package's `recur-corpus` executable (the `RecurCorpus` target
/// is not a library product, so it cannot be linked from here). An archive is generated once per
/// size and seed into `$TMPDIR/recur-bench/` and reused by every later benchmark process; delete
/// the folder to regenerate it (e.g. after a generator change).
///
/// Environment:
/// - `RECUR_BENCH_ARCHIVE`: read this archive folder instead (nothing is generated);
/// - `RECUR_CORPUS`: the `recur-corpus` binary to run; otherwise it is built and run with
///   `swift run -c release` in the root package (scratch path `RECUR_SCRATCH_PATH` when set).
public enum BenchArchive {
    /// The root package (the folder above Benchmarks/).
    public static let rootPackage: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // RecurBenchSupport
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()  // Benchmarks
        .deletingLastPathComponent()  // root

    /// The archive folder for `bytes` and `seed`, generated when it is not there yet.
    ///
    /// 16 MB of archive files hold about 5.9 MB of paragraph keys (the rest is mail headers,
    /// HTML and ticket fields) in about 77,000 paragraphs.
    public static func url(bytes: Int = 16_000_000, seed: UInt64 = 7) throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["RECUR_BENCH_ARCHIVE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("recur-bench", isDirectory: true)
        let name = "archive-\(bytes / 1_000_000)MB-seed\(seed)"
        let archive = cache.appendingPathComponent(name, isDirectory: true)
        // truth.json is written last: its presence marks a complete archive.
        if FileManager.default.fileExists(atPath: archive.appendingPathComponent("truth.json").path) {
            return archive
        }
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let partial = cache.appendingPathComponent(name + ".partial-\(getpid())", isDirectory: true)
        try? FileManager.default.removeItem(at: partial)
        let arguments = ["--seed", String(seed), "--size", String(bytes), "--out", partial.path]
        if let corpus = environment["RECUR_CORPUS"], !corpus.isEmpty {
            try run(corpus, arguments)
        } else {
            var swift = ["swift", "run", "-c", "release", "--package-path", rootPackage.path]
            if let scratch = environment["RECUR_SCRATCH_PATH"], !scratch.isEmpty { swift += ["--scratch-path", scratch] }
            try run("/usr/bin/env", swift + ["recur-corpus"] + arguments)
        }
        try? FileManager.default.removeItem(at: archive)
        try FileManager.default.moveItem(at: partial, to: archive)
        return archive
    }

    /// Every archive file recur reads, in walker order, with its bytes (`InputWalker`; the
    /// generator's README.md and truth.json are not part of the archive and are skipped).
    public static func files(_ archive: URL) throws -> [(file: InputFile, bytes: [UInt8])] {
        let (files, _) = InputWalker.collect([archive.path])
        return try files.filter { $0.relativePath != "README.md" && $0.format != nil }.map { file in
            (file, [UInt8](try Data(contentsOf: URL(fileURLWithPath: file.path))))
        }
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // The generator's summary is not wanted in benchmark output; errors still reach stderr.
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("\(([executable] + arguments).joined(separator: " ")) exited with status \(process.terminationStatus)")
        }
    }
}

/// A failure while preparing benchmark input.
public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
