import Foundation
@testable import RecurKit
import Testing

/// A large JSONL or CSV file is read a slice at a time (`DocumentReader.readRecordsInSlices`): the
/// same documents and diagnostics as the whole file read at once, wherever the slices cut it.
@Suite("JSONL and CSV read in slices")
struct RecordSliceTests {
    /// Lines of every kind: LF and CRLF breaks, blank and white-space lines, malformed JSON and a
    /// non-object, Cyrillic, Finnish and Japanese text (multi-byte sequences for the slices to cut),
    /// a line longer than most slices, a date far in the future, no line break at the end.
    static let text = [
        #"{"id": 1, "date": "2024-03-05", "source": "acme.fi", "text": "Нужна интеграция с CRM"}"#,
        #"{"id": "a-2", "text": "Hyvää päivää\n\nraportointi ja seuranta", "date": "05.03.2024 10:20"}"#,
        "", "   ",
        #"{"text": broken"#,
        "[1, 2]",
        #"{"id": 3, "text": "CRM連携の見積もりをお願いします。\n定例会議も必要です。"}"#,
        #"{"id": 4, "text": "\#(String(repeating: "сквозная аналитика, ", count: 40))"}"#,
        #"{"id": 5, "date": "2999-01-01", "text": "From the future"}"#,
        #"{"id": 6, "text": "Last, without a line break"}"#,
    ]

    static func lines(_ separator: String, trailing: String = "") -> [UInt8] {
        Array((text.joined(separator: separator) + trailing).utf8)
    }

    /// CSV rows of every kind: quoted fields with line breaks (LF and CRLF) and escaped quotes, a
    /// row with too few columns, blank lines, multi-byte text, a long field, a far-future date,
    /// and a quote left open at the end (the whole-file parser resumes on the next line).
    static func csv(_ separator: String, trailing: String = "") -> [UInt8] {
        let rows = [
            "id,date,source,text",
            "1,2024-03-05,acme.fi,Нужна интеграция с CRM",
            "2,05.03.2024 10:20,,\"Hyvää päivää\(separator)\(separator)raportointi \"\"ja\"\" seuranta\"",
            "", "3,2024-03-06,x.ru",
            "4,,,\"CRM連携の見積もりをお願いします。\r\n定例会議も必要です。\"",
            "5,,,\(String(repeating: "сквозная аналитика ", count: 40))",
            "6,2999-01-01,,From the future",
            "7,2024-04-01,b.fi,\"open quote to the end",
            "8,2024-04-02,b.fi,after the open quote",
        ]
        return Array((rows.joined(separator: separator) + trailing).utf8)
    }

    /// Reads `bytes` from a temporary file in slices (nil: not read so) and whole.
    static func readBoth(
        _ bytes: [UInt8], sliceSize: Int, decoder: CharsetDecoder = CharsetDecoder(), format: DocumentFormat = .jsonl
    ) throws -> (slices: (documents: [SourceDocument], diagnostics: [Diagnostic])?, whole: (documents: [SourceDocument], diagnostics: [Diagnostic])) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recur-slices-\(UUID().uuidString).\(format == .csv ? "csv" : "jsonl")")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = InputFile(path: url.path, relativePath: format == .csv ? "exports/tickets.csv" : "exports/chat.jsonl", format: format)
        let reader = DocumentReader(decoder: decoder)
        let fd = open(url.path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var documents: [SourceDocument] = []
        let sliced = reader.readRecordsInSlices(file, fd: fd, modificationDate: nil, sliceSize: sliceSize) { documents.append($0) }
        let whole = reader.read(file, bytes: bytes, modificationDate: nil)
        return (sliced.map { (documents, $0) }, whole)
    }

    @Test("the same documents and diagnostics as the whole file, wherever the slices cut", arguments: [1, 2, 3, 5, 64, 4096])
    func sameAsWhole(sliceSize: Int) throws {
        let variants: [[UInt8]] = [
            Self.lines("\n"), Self.lines("\r\n"), Self.lines("\n", trailing: "\n"), Self.lines("\r\n", trailing: "\r\n\r\n"),
            [0xEF, 0xBB, 0xBF] + Self.lines("\n"),
            Array("\n  \n\t\n".utf8),  // white space only: the "no text" warning
        ]
        for bytes in variants {
            let (slices, whole) = try Self.readBoth(bytes, sliceSize: sliceSize)
            let read = try #require(slices)
            #expect(read.documents == whole.documents)
            #expect(read.diagnostics == whole.diagnostics)
        }
        let csvVariants: [[UInt8]] = [
            Self.csv("\n"), Self.csv("\r\n"), Self.csv("\n", trailing: "\n"), Self.csv("\r\n", trailing: "\r\n\r\n"),
            [0xEF, 0xBB, 0xBF] + Self.csv("\r\n"), Array("\n\n".utf8),
        ]
        for bytes in csvVariants {
            let (slices, whole) = try Self.readBoth(bytes, sliceSize: sliceSize, format: .csv)
            let read = try #require(slices)
            #expect(read.documents == whole.documents)
            #expect(read.diagnostics == whole.diagnostics)
        }
        let csv = try Self.readBoth(Self.csv("\r\n"), sliceSize: sliceSize, format: .csv).whole
        #expect(csv.documents.map(\.line) == [2, 3, 8, 10, 11, 13])
        #expect(csv.documents[1].text.contains("\"ja\""))
        #expect(csv.diagnostics.map(\.line) == [7, 12, 11])
        // The main variant is what it should be, so that "the same" means something.
        let whole = try Self.readBoth(Self.lines("\r\n"), sliceSize: sliceSize).whole
        #expect(whole.documents.map(\.line) == [1, 2, 7, 8, 9, 10])
        #expect(whole.diagnostics.map(\.line) == [5, 6, 9])
        #expect(whole.documents[3].text.count > 500)
    }

    @Test("a file that is not plain UTF-8 is left to the whole-file path (nothing read)")
    func fallsBack() throws {
        let cyrillic = Self.text.joined(separator: "\n").replacingOccurrences(of: "Hyvää päivää", with: "Добрый день")
            .replacingOccurrences(of: "CRM連携の見積もりをお願いします。\\n定例会議も必要です。", with: "Смета")
        let legacy = try #require(CharsetDecoder.encode(cyrillic, as: "windows-1251"))
        let utf16 = try #require(CharsetDecoder.encode(cyrillic, as: "UTF-16LE"))
        var withNUL = Self.lines("\n")
        withNUL.insert(0, at: 40)
        var withEscape = Self.lines("\n")
        withEscape.insert(0x1B, at: 40)
        var cutAtEnd = Self.lines("\n")
        cutAtEnd.append(0xD0)
        for bytes in [legacy, [0xFF, 0xFE] + utf16, withNUL, withEscape, cutAtEnd, []] {
            #expect(try Self.readBoth(bytes, sliceSize: 7).slices == nil)
        }
        let legacyCSV = try #require(CharsetDecoder.encode("id,text\n1,Смета\n", as: "windows-1251"))
        #expect(try Self.readBoth(legacyCSV, sliceSize: 7, format: .csv).slices == nil)
        #expect(try Self.readBoth(Self.csv("\n"), sliceSize: 7, format: .csv).slices != nil)
        // Another encoding forced: decoded whole. UTF-8 forced: sliced, the byte-order mark kept as the whole path keeps it.
        #expect(try Self.readBoth(Self.lines("\n"), sliceSize: 7, decoder: CharsetDecoder(forcedEncoding: "windows-1251")).slices == nil)
        let forcedUTF8 = try Self.readBoth([0xEF, 0xBB, 0xBF] + Self.lines("\n"), sliceSize: 7, decoder: CharsetDecoder(forcedEncoding: "UTF-8"))
        let read = try #require(forcedUTF8.slices)
        #expect(read.documents == forcedUTF8.whole.documents)
        #expect(read.diagnostics == forcedUTF8.whole.diagnostics)
    }

    @Test("the analysis stage reads a JSONL or CSV file over its threshold in slices, with the same result",
          arguments: [DocumentFormat.jsonl, .csv])
    func stageReadsInSlices(format: DocumentFormat) throws {
        let bytes = format == .csv ? Self.csv("\r\n") : Self.lines("\n")
        let stage = try SlicedStage(bytes, name: format == .csv ? "tickets.csv" : "chat.jsonl", format: format)
        #expect(stage.whole.documents.count == 6 && stage.whole.byteCount == bytes.count)
        stage.expectSame()
    }
}
