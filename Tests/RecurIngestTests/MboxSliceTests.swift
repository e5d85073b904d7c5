import Foundation
@testable import RecurKit
import Testing

/// A large mbox file is read a slice at a time (`DocumentReader.readMboxInSlices`): the same
/// documents and diagnostics as the whole file read at once, wherever the slices cut it.
@Suite("mbox read in slices")
struct MboxSliceTests {
    /// Messages of every kind: text before the first `From ` line, a `From ` line inside a body
    /// (not after a blank line: no new message), an mboxrd `>From ` escape, windows-1251 in
    /// quoted-printable, a date far in the future, a message without a Date header (the envelope
    /// date), Finnish and Japanese text (multi-byte sequences for the slices to cut), a message
    /// longer than most slices, no line break at the end.
    static func mbox(_ newline: String, prefix: String = "stray text\n\n", longBody: Int = 40) -> [UInt8] {
        let messages = [
            "From alice@acme.fi Tue Mar  5 10:20:00 2024\nFrom: Alice <alice@acme.fi>\nDate: Tue, 5 Mar 2024 10:20:00 +0200\nSubject: CRM\n\nHyvää päivää,\ntarvitsemme CRM-integraation.\nFrom here on a line that is not a message start.\n",
            "From bob@example.ru Wed Mar  6 11:00:00 2024\nFrom: bob@example.ru\nSubject: Re: CRM\nContent-Type: text/plain; charset=windows-1251\nContent-Transfer-Encoding: quoted-printable\n\n=CD=F3=E6=ED=E0 =E8=ED=F2=E5=E3=F0=E0=F6=E8=FF\n\n>From the archive: an escaped line.\n",
            "From x@y.jp Thu Mar  7 09:00:00 2024\nFrom: 田中 <tanaka@y.jp>\nDate: Thu, 7 Mar 2999 09:00:00 +0900\n\nCRM連携の見積もりをお願いします。\n定例会議も必要です。\n",
            "From long@example.com Fri Mar  8 12:00:00 2024\nFrom: long@example.com\nDate: Fri, 8 Mar 2024 12:00:00 +0000\n\n\(String(repeating: "сквозная аналитика, ", count: longBody))\n",
            "From last@example.com Sat Mar  9 08:00:00 2024\nFrom: last@example.com\n\nLast, without a line break",
        ]
        let text = prefix + messages.joined(separator: "\n")
        return Array(text.replacingOccurrences(of: "\n", with: newline).utf8)
    }

    typealias Read = (documents: [SourceDocument], diagnostics: [Diagnostic])

    /// Reads `bytes` from a temporary file in slices (nil: not read so) and whole.
    static func readBoth(_ bytes: [UInt8], sliceSize: Int, format: DocumentFormat? = .mbox) throws -> (slices: Read?, whole: Read) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recur-mbox-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = InputFile(path: url.path, relativePath: "mail/inbox.mbox", format: format)
        let reader = DocumentReader()
        let fd = open(url.path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var documents: [SourceDocument] = []
        let sliced = reader.readMboxInSlices(file, fd: fd, modificationDate: nil, sliceSize: sliceSize) { documents.append($0) }
        let whole = reader.read(file, bytes: bytes, modificationDate: nil)
        return (sliced.map { (documents, $0) }, whole)
    }

    @Test("the same documents and diagnostics as the whole file, wherever the slices cut", arguments: [1, 2, 3, 5, 64, 4096])
    func sameAsWhole(sliceSize: Int) throws {
        // NUL bytes past the first 64 KB (nearer the start the whole file is read whole).
        var withNULs = Self.mbox("\n", longBody: 4000)
        let at = try #require(withNULs.lastIndex(of: 0x0A))
        withNULs.insert(0, at: at)
        withNULs.insert(0, at: 70_000)
        let variants: [[UInt8]] = [
            Self.mbox("\n"), Self.mbox("\r\n"), Self.mbox("\n", prefix: ""), Self.mbox("\r\n", prefix: " \r\n\t\r\n"),
            Self.mbox("\n") + Array("\n\n".utf8), withNULs,
            Array("no message here\nFrom nobody, not after a blank line? it is: the first line starts the file\n".utf8),
            Array("just text\nFrom inside a paragraph\n".utf8),
        ]
        for bytes in variants {
            let (slices, whole) = try Self.readBoth(bytes, sliceSize: sliceSize)
            let read = try #require(slices)
            #expect(read.documents == whole.documents)
            #expect(read.diagnostics == whole.diagnostics)
        }
        // The main variants are what they should be, so that "the same" means something.
        for newline in ["\n", "\r\n"] {
            let whole = try Self.readBoth(Self.mbox(newline), sliceSize: sliceSize).whole
            #expect(whole.documents.map(\.id) == (1...5).map { "mail/inbox.mbox#\($0)" })
            #expect(whole.documents.map(\.line) == [3, 12, 22, 29, 35])
            #expect(whole.documents[0].text.contains("From here on"))
            #expect(whole.documents[1].text.contains("Нужна интеграция"))
            #expect(whole.documents[1].text.contains("From the archive") && !whole.documents[1].text.contains(">From"))
            #expect(whole.documents[1].date?.day == 6)  // the envelope date
            #expect(whole.documents[2].date == nil)  // 2999: undated
            #expect(whole.diagnostics.map(\.message) == [
                MboxLines.textBeforeFirstMessage,
                "date 2999-03-07T09:00:00+09:00 of mail/inbox.mbox#3 lies in the future (after \(DocumentReader.currentYear + 1)); the document is undated",
            ])
        }
        let nul = try Self.readBoth(withNULs, sliceSize: sliceSize).whole
        #expect(nul.diagnostics.first?.message == "2 NUL bytes removed")
        #expect(nul.diagnostics.first?.byteOffset == 70_000)
        #expect(try Self.readBoth(variants[7], sliceSize: sliceSize).whole.diagnostics.map(\.message) == [MboxLines.noMessages])
    }

    @Test("a file the whole-file path would not read as mbox is left to it (nothing read)")
    func fallsBack() throws {
        let mbox = Self.mbox("\n")
        var nulInHead = mbox
        nulInHead.insert(0, at: 100)
        let utf16 = try #require(CharsetDecoder.encode(String(decoding: mbox, as: UTF8.self), as: "UTF-16LE"))
        for bytes in [nulInHead, [0xFF, 0xFE] + utf16, Array("%PDF-1.4\n".utf8) + mbox, []] {
            #expect(try Self.readBoth(bytes, sliceSize: 7).slices == nil)
        }
        // Of no known format: read so when it looks like mbox, else left to the whole-file path.
        let unnamed = try Self.readBoth(Self.mbox("\n", prefix: ""), sliceSize: 7, format: nil)
        let read = try #require(unnamed.slices)
        #expect(read.documents.count == 5)
        #expect(read.documents == unnamed.whole.documents)
        #expect(try Self.readBoth(Array("Plain notes.\n\nFrom the client: more.\n".utf8), sliceSize: 7, format: nil).slices == nil)
        #expect(try Self.readBoth(Self.mbox("\n"), sliceSize: 7, format: .text).slices == nil)
    }

    @Test("the analysis stage reads an mbox file over its threshold in slices, with the same result")
    func stageReadsInSlices() throws {
        let bytes = Self.mbox("\r\n")
        let stage = try SlicedStage(bytes, name: "inbox.mbox", format: .mbox)
        #expect(stage.whole.documents.count == 5 && stage.whole.byteCount == bytes.count)
        stage.expectSame()
    }
}
