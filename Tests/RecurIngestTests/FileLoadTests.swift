import Foundation
@testable import RecurKit
import RecurTestSupport
import Testing

@Suite("Reading a whole input file")
struct FileLoadTests {
    /// Bytes that are not all alike, so that a misplaced or dropped range shows.
    static func content(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    @Test("a regular file comes back byte for byte, with its modification time", arguments: [0, 1, 4_095, 4_096, 70_001, 1 << 20 | 3])
    func regularFile(size: Int) throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/file.txt"
        let bytes = Self.content(size)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (read, mtime, diagnostics) = ParagraphAnalysisStage.load(InputFile(path: path, relativePath: "file.txt", format: .text))
        // compared as a whole, reported by count (the arrays are too long to print)
        #expect(read?.count == bytes.count)
        #expect(read.map { $0 == bytes } == true)
        #expect(mtime != nil)
        #expect(diagnostics.isEmpty)
    }

    @Test("a pipe, whose size fstat does not know, is read to its end")
    func pipe() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/pipe.txt"
        #expect(mkfifo(path, 0o600) == 0)
        let bytes = Self.content(200_003)
        // A reader that stopped early must fail the test, not kill the process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        // The writer opens the pipe's other end and writes in pieces of varying size.
        let writer = Thread {
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { return }
            var offset = 0, piece = 1
            while offset < bytes.count {
                let n = min(piece, bytes.count - offset)
                let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, n) }
                if written <= 0 { break }
                offset += written
                piece = piece * 3 + 7
            }
            close(fd)
        }
        writer.start()
        let (read, _, diagnostics) = ParagraphAnalysisStage.load(InputFile(path: path, relativePath: "pipe.txt", format: .text))
        #expect(read?.count == bytes.count)
        #expect(read.map { $0 == bytes } == true)
        #expect(diagnostics.isEmpty)
    }

    @Test("a file that cannot be opened is a diagnostic naming it")
    func missing() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/missing.txt"
        let (read, _, diagnostics) = ParagraphAnalysisStage.load(InputFile(path: path, relativePath: "missing.txt", format: .text))
        #expect(read == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.path == path)
    }
}
