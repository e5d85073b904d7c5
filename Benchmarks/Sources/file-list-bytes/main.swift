// file-list-bytes: walks inputs as `recur analyze` does (`InputWalker.collect`) and prints what
// its file list holds: files, bytes of the front-coded list (`InputFileList.encodedBytes`) and
// per file, the relative paths' average length, and what the former layout (a 32-byte entry and
// the whole relative path per file) would have held.

import ArgumentParser
import Foundation
@_spi(Benchmarks) import RecurKit

struct FileListBytes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file-list-bytes",
        abstract: "Prints the bytes a run's input file list holds for the given folders and files.")

    @Argument(help: "Folders and files, as given to `recur analyze`.")
    var inputs: [String]

    @Option(help: "Leave out files whose relative path or name matches (as `recur analyze --exclude`).")
    var exclude: [String] = []

    func run() throws {
        var (files, _) = InputWalker.collect(inputs)
        files.removeAll { file in
            exclude.contains { fnmatch($0, file.relativePath, 0) == 0 || fnmatch($0, String(file.name), 0) == 0 }
        }
        let count = max(files.count, 1)
        let pathBytes = files.reduce(0) { $0 + $1.relativePath.utf8.count }
        let encoded = files.encodedBytes
        print("files: \(files.count)")
        print("file list: \(encoded) bytes, \(String(format: "%.1f", Double(encoded) / Double(count))) a file")
        print("relative paths: \(String(format: "%.1f", Double(pathBytes) / Double(count))) bytes on average")
        print("former layout (32-byte entry + path): \(String(format: "%.1f", 32 + Double(pathBytes) / Double(count))) bytes a file")
    }
}

FileListBytes.main()
