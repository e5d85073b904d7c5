import Foundation
import Testing
import RecurKit

@Suite("Input walker")
struct WalkerTests {
    /// A fresh temporary directory, removed by the caller.
    static func makeTree() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("recur-walk-\(UUID().uuidString)").path
        let fm = FileManager.default
        for dir in ["b", "a", "a/sub", ".hidden", "a-b", "loop"] {
            try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        for file in ["b/z.txt", "a/y.md", "a/sub/x.eml", "a-b/w.csv", ".hidden/secret.txt", "a/.dot.txt", "a/image.png",
                     "Z.jsonl", "c.HTML", "d.ndjson", "e.mbox", "f.htm", "g.markdown"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/" + file))
        }
        try fm.createSymbolicLink(atPath: root + "/loop/again", withDestinationPath: root)
        try fm.createSymbolicLink(atPath: root + "/loop/self", withDestinationPath: root + "/loop")
        return root
    }

    @Test("stable byte-wise order, hidden files skipped, unknown extensions reported, link loops end") func walk() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (files, diags) = InputWalker.collect([root])
        #expect(files.map(\.relativePath) == ["Z.jsonl", "a-b/w.csv", "a/sub/x.eml", "a/y.md", "b/z.txt", "c.HTML", "d.ndjson", "e.mbox", "f.htm", "g.markdown"])
        #expect(files.map(\.format) == [.jsonl, .csv, .email, .markdown, .text, .html, .jsonl, .mbox, .html, .markdown])
        #expect(files[4].path == root + "/b/z.txt")
        let unknown = diags.filter { $0.message == "skipped: unknown extension" }
        #expect(unknown.map(\.path) == [root + "/a/image.png"])
        #expect(unknown.first?.severity == .warning)
        #expect(!files.contains { $0.relativePath.contains("secret") || $0.relativePath.contains(".dot") })
        // Again: the same order.
        #expect(InputWalker.collect([root + "/"]).files.map(\.relativePath) == files.map(\.relativePath))
        #expect(InputWalker.collect([root + "/"]).files[4].path == root + "/b/z.txt")
    }

    @Test("a folder's files in byte-wise order of their whole relative paths, whatever separates names")
    func byteWiseOrder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("recur-order-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Names just below and above "/" (0x2F) next to folders of the same stem.
        let files = ["a/x.txt", "a.txt", "a0.txt", "a-b/y.txt", "a b/z.txt", "a/b/c.txt", "a/b.txt", "a/b-c/d.txt",
                     "ab/e.txt", "a/b0.txt", "ä/f.txt", "z.txt"]
        for file in files {
            let path = root + "/" + file
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        }
        let walked = InputWalker.collect([root]).files.map(\.relativePath)
        #expect(walked == files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    @Test("files as given, stdin, missing paths") func arguments() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (files, diags) = InputWalker.collect([root + "/b/z.txt", "-", root + "/nope.txt", root + "/a/image.png"])
        #expect(files.map(\.relativePath) == ["z.txt", "-", "image.png"])
        #expect(files.map(\.path) == [root + "/b/z.txt", "-", root + "/a/image.png"])
        #expect(files.map(\.format) == [.text, nil, nil])
        #expect(diags.count == 1)
        #expect(diags.first?.path == root + "/nope.txt")
        #expect(diags.first?.severity == .error)
    }

    @Test("the relative path is the file name for a file argument; source is its parent folder") func relativeAndSource() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = try #require(InputWalker.collect([root + "/b/z.txt"]).files.first)
        let doc = try #require(DocumentReader().read(file, bytes: Array("hello".utf8), modificationDate: nil).documents.first)
        #expect(doc.id == "z.txt")
        #expect(doc.source == "b")
    }

    @Test("two folders, a file and stdin in one list: paths, order, sizes and formats as given; removeAll keeps the order")
    func compactList() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data("hello".utf8).write(to: URL(fileURLWithPath: root + "/a/y.md"))
        var (files, _) = InputWalker.collect([root + "/a", "-", root + "/b/", root + "/c.HTML"])
        #expect(files.map(\.relativePath) == ["sub/x.eml", "y.md", "-", "z.txt", "c.HTML"])
        #expect(files.map(\.path) == [root + "/a/sub/x.eml", root + "/a/y.md", "-", root + "/b/z.txt", root + "/c.HTML"])
        #expect(files.map(\.byteCount) == [1, 5, 0, 1, 1])
        #expect(files.map(\.format) == [.email, .markdown, nil, .text, .html])
        files.removeAll { $0.relativePath.hasSuffix(".md") || $0.path == "-" }
        #expect(files.map(\.path) == [root + "/a/sub/x.eml", root + "/b/z.txt", root + "/c.HTML"])
        #expect(files.count == 3 && files[1].relativePath == "z.txt")
    }
}
