import Foundation
@testable import RecurKit
import Synchronization
import Testing

@Suite("Read-ahead of input files: in order, within its window, stopped on demand")
struct FileReadAheadTests {
    /// The files a read-ahead advised, in the order it did.
    final class Advised: Sendable {
        private let names = Mutex<[String]>([])
        var all: [String] { names.withLock { $0 } }
        func add(_ file: InputFile) { names.withLock { $0.append(file.relativePath) } }

        /// Waits (up to 5 s) until `count` files are advised; returns them.
        func wait(for count: Int) -> [String] {
            for _ in 0..<500 where all.count < count { Thread.sleep(forTimeInterval: 0.01) }
            return all
        }
    }

    static func files(_ count: Int, byteCount: Int = 100) -> InputFileList {
        var list = InputFileList()
        for i in 0..<count { list.appendGivenFile(path: "f\(i)", format: .text, byteCount: byteCount) }
        return list
    }

    @Test("advises files in order, at most maxFilesAhead beyond those consumed")
    func filesWindow() {
        let advised = Advised()
        let readAhead = FileReadAhead(Self.files(20), maxFilesAhead: 4, advise: { file, _ in advised.add(file); return 100 })
        #expect(advised.wait(for: 4) == (0..<4).map { "f\($0)" })
        Thread.sleep(forTimeInterval: 0.05)
        #expect(advised.all.count == 4, "ran past its window")
        readAhead.consumed(3)
        #expect(advised.wait(for: 7) == (0..<7).map { "f\($0)" })
        Thread.sleep(forTimeInterval: 0.05)
        #expect(advised.all.count == 7)
        readAhead.consumed(5)
        #expect(advised.wait(for: 9) == (0..<9).map { "f\($0)" })
        // Consumed to the end: nothing is left to advise and the thread ends; stop() still returns.
        readAhead.consumed(20)
        Thread.sleep(forTimeInterval: 0.05)
        #expect(advised.all.count == 9)
        readAhead.stop()
    }

    @Test("the byte window holds back further files; a consumer that overtakes it is followed")
    func bytesWindowAndOvertaking() {
        let advised = Advised()
        let readAhead = FileReadAhead(
            Self.files(50), maxFilesAhead: 100, maxBytesAhead: 250, advise: { file, _ in advised.add(file); return 100 })
        // 100 bytes a file: the third brings it to 300, past 250, and nothing more goes.
        #expect(advised.wait(for: 3).count == 3)
        Thread.sleep(forTimeInterval: 0.05)
        #expect(advised.all.count == 3)
        // The consumer jumps ahead: files it is past are not advised.
        readAhead.consumed(30)
        let after = advised.wait(for: 6)
        #expect(after.prefix(3) == ["f0", "f1", "f2"])
        #expect(after.dropFirst(3).prefix(3) == ["f30", "f31", "f32"])
        readAhead.stop()
    }

    @Test("stop() ends the thread however far it got, and each file's advice gets the per-file cap")
    func stops() {
        let advised = Advised()
        let caps = Mutex<Set<Int>>([])
        let readAhead = FileReadAhead(
            Self.files(1000, byteCount: 10_000_000), maxFilesAhead: 2, maxBytesPerFile: 4096,
            advise: { file, cap in advised.add(file); caps.withLock { _ = $0.insert(cap) }; return cap })
        _ = advised.wait(for: 2)
        readAhead.stop()
        let count = advised.all.count
        Thread.sleep(forTimeInterval: 0.05)
        #expect(advised.all.count == count && count == 2)
        #expect(caps.withLock { $0 } == [4096])
    }

    @Test("a file found cached is passed over with the files up to the next probe")
    func cachedFilesPassedOver() {
        let advised = Advised()
        let probed = Advised()
        let readAhead = FileReadAhead(
            Self.files(100), maxFilesAhead: 1000, advise: { file, _ in advised.add(file); return 100 },
            probeEvery: 10, probe: { file in probed.add(file); return Int(file.relativePath.dropFirst())! < 30 })
        #expect(advised.wait(for: 70) == (30..<100).map { "f\($0)" })
        #expect(probed.wait(for: 10) == stride(from: 0, to: 100, by: 10).map { "f\($0)" })
        readAhead.stop()
    }

    @Test("with its file window full, the thread goes on once a sixteenth of it is consumed")
    func wakesBySixteenths() {
        let advised = Advised()
        let readAhead = FileReadAhead(Self.files(100), maxFilesAhead: 32, advise: { file, _ in advised.add(file); return 1 })
        #expect(advised.wait(for: 32).count == 32)
        readAhead.consumed(1)
        Thread.sleep(forTimeInterval: 0.05)
        #expect(advised.all.count == 32, "woke for one file")
        readAhead.consumed(2)
        #expect(advised.wait(for: 34) == (0..<34).map { "f\($0)" })
        readAhead.stop()
    }

    @Test("the page-cache probe: a file just written is cached; nothing else can be told")
    func probesRealFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recur-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = folder.appendingPathComponent("a.txt").path, empty = folder.appendingPathComponent("b.txt").path
        try Data(repeating: 65, count: 10_000).write(to: URL(fileURLWithPath: written))
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect(FileReadAhead.isCached(InputFile(path: written, relativePath: "a.txt", format: .text, byteCount: 10_000)))
        #expect(!FileReadAhead.isCached(InputFile(path: empty, relativePath: "b.txt", format: .text, byteCount: 0)))
        #expect(!FileReadAhead.isCached(InputFile(path: folder.appendingPathComponent("missing").path, relativePath: "missing", format: .text, byteCount: 5)))
        #expect(!FileReadAhead.isCached(InputFile(path: "-", relativePath: "-", format: nil)))
    }

    @Test("the kernel advice opens real files, reports what it advised, and skips what it cannot open")
    func realFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recur-readahead-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.txt").path
        try Data(repeating: 65, count: 10_000).write(to: URL(fileURLWithPath: path))
        #expect(FileReadAhead.advise(InputFile(path: path, relativePath: "a.txt", format: .text, byteCount: 10_000), maxBytes: 4096) == 4096)
        #expect(FileReadAhead.advise(InputFile(path: path, relativePath: "a.txt", format: .text, byteCount: 10_000), maxBytes: 1 << 20) == 10_000)
        #expect(FileReadAhead.advise(InputFile(path: folder.appendingPathComponent("missing").path, relativePath: "missing", format: .text, byteCount: 5), maxBytes: 4096) == 0)
        #expect(FileReadAhead.advise(InputFile(path: "-", relativePath: "-", format: nil), maxBytes: 4096) == 0)
    }
}
