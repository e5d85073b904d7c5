import Foundation
@_spi(Benchmarks) @testable import RecurKit
import Testing

@Suite("Input file list: front-coded files read back as appended")
struct InputFileListTests {
    /// A list and the files it should give: folders, file arguments and standard input mixed,
    /// paths sharing prefixes of every length across block boundaries, sizes of 1 to 5 bytes' varints.
    static func sample(_ count: Int) -> (list: InputFileList, expected: [InputFile]) {
        var list = InputFileList()
        var expected: [InputFile] = []
        let roots = ["/data/mail", "archive/"]
        let rootIDs = roots.map { list.addRoot($0) }
        for i in 0..<count {
            let size = (i * 7_919) % 3 == 0 ? i : i << (i % 40)
            let format = DocumentFormat.allCases[i % DocumentFormat.allCases.count]
            switch i % 23 {
            case 5:
                list.appendStandardInput()
                expected.append(InputFile(path: "-", relativePath: "-", format: nil))
            case 11:
                let path = "given/dir \(i)/файл-\(i).txt"
                list.appendGivenFile(path: path, format: i % 2 == 0 ? nil : format, byteCount: size)
                expected.append(InputFile(path: path, relativePath: "файл-\(i).txt", format: i % 2 == 0 ? nil : format, byteCount: size))
            default:
                let r = (i / 100) % 2
                // Neighbours share "client-…/2019-0…", sometimes all of a shorter path, sometimes nothing.
                let relative = i % 17 == 0 ? "z\(i)" : "client-\(i / 40)/2019-0\(i % 9)-\(String(repeating: "x", count: i % 5))-\(i).eml"
                list.appendFile(root: rootIDs[r], relativePath: relative, format: format, byteCount: size)
                expected.append(InputFile(path: InputFileList.join(roots[r], relative), relativePath: relative, format: format, byteCount: size))
            }
        }
        return (list, expected)
    }

    @Test("by index and by iteration, the files appended", arguments: [0, 1, 15, 16, 17, 33, 1_000])
    func roundTrip(count: Int) {
        let (list, expected) = Self.sample(count)
        #expect(list.count == expected.count)
        #expect(Array(list) == expected)
        #expect(list.indices.map { list[$0] } == expected)
        #expect(list.reduce(0) { $0 + $1.byteCount } == expected.reduce(0) { $0 + $1.byteCount })
    }

    @Test("removeAll keeps the others in order, and the list stays appendable")
    func removeAll() {
        var (list, expected) = Self.sample(500)
        let drop: (InputFile) -> Bool = { $0.byteCount % 3 == 0 || $0.path == "-" }
        list.removeAll(where: drop)
        expected.removeAll(where: drop)
        #expect(Array(list) == expected)
        #expect(list.indices.map { list[$0] } == expected)
        list.appendGivenFile(path: "last.md", format: .markdown, byteCount: 9)
        #expect(list.last == InputFile(path: "last.md", relativePath: "last.md", format: .markdown, byteCount: 9))
        #expect(list.count == expected.count + 1)
    }

    @Test("sorted paths cost a fraction of their length")
    func compact() {
        var list = InputFileList()
        let root = list.addRoot("/archive")
        // As the walk appends them: sorted.
        let paths = (0..<10_000).map { i in
            "notes/client-\(i / 300)/20\(10 + i % 13)-0\(1 + i % 9)-\(10 + i % 19)-call-notes-\(i).txt"
        }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var pathBytes = 0
        for (i, relative) in paths.enumerated() {
            pathBytes += relative.utf8.count
            list.appendFile(root: root, relativePath: relative, format: .text, byteCount: 1_400 + i)
        }
        #expect(Array(list).map(\.relativePath) == paths)
        // A 32-byte entry and the whole path a file, before: less than half of that now.
        let perFile = Double(list.encodedBytes) / 10_000
        #expect(perFile < (32 + Double(pathBytes) / 10_000) / 2, "\(perFile) bytes a file")
    }
}
