import Foundation
@testable import RecurKit
import RecurTestSupport
import Testing

@Suite("Paragraph store (the pipeline's on-disk passes)")
struct ParagraphStoreTests {
    static func paragraph(_ index: Int, _ text: String, key: String? = nil, lang: Language = .ru, quote: Bool = false) -> AnalyzedParagraph {
        let terms = [
            Term(key: "интеграц", surface: "интеграцию", wordClass: .noun, isStopword: false, sentence: 0),
            Term(key: "kirjanpito", surface: "kirjanpito-ohjelma", wordClass: .noun, isStopword: false, parts: ["kirja", "pito", "ohjelma"], sentence: 1),
            Term(key: "и", surface: "и", wordClass: .function, isStopword: true, sentence: 1),
        ]
        return AnalyzedParagraph(
            index: index, line: index * 2 + 1, text: text,
            analysis: AnalyzedText(key: key ?? text.lowercased(), language: lang, script: "Cyrl", terms: terms),
            isQuote: quote, isSignature: index == 7)
    }

    static func document(_ id: String, date: DocumentDate?, _ paragraphs: [AnalyzedParagraph]) -> AnalyzedDocument {
        AnalyzedDocument(
            document: SourceDocument(
                id: id, path: "mail/\(id).eml", line: id.hasSuffix("#2") ? 14 : nil, format: .email, date: date,
                dateOrigin: date == nil ? .none : .header, source: "client-\(id.count)", title: "Тема «\(id)»", text: "",
                encoding: "windows-1251", invalidBytes: 3),
            paragraphs: paragraphs)
    }

    @Test("documents, paragraphs and terms read back as written; empty keys are left out")
    func roundTrip() throws {
        let writer = try ParagraphStoreWriter()
        let long = String(repeating: "Хотим сквозную аналитику и интеграцию с CRM. ", count: 400)
        let documents = [
            Self.document("a", date: DocumentDate(year: 2025, month: 3, day: 1, hour: 9, minute: 5, second: 7, utcOffsetMinutes: 180, hasTime: true), [
                Self.paragraph(0, "Добрый день!"), Self.paragraph(1, "", key: ""), Self.paragraph(2, long, quote: true),
            ]),
            Self.document("b#2", date: nil, []),
            Self.document("c", date: DocumentDate(year: 2024, month: 12, day: 31), [Self.paragraph(7, "ＣＲＭ連携 😀", lang: .ja)]),
        ]
        for d in documents { try writer.append(d) }
        let store = try writer.finish()
        #expect(store.documentCount == 3)
        #expect(store.paragraphCount == 3)
        for (record, original) in documents.enumerated() {
            var expected = original
            expected.paragraphs.removeAll { $0.analysis.key.isEmpty }
            #expect(store.document(record) == expected)
            let light = store.document(record, analysis: false)
            #expect(light.document == expected.document)
            #expect(light.paragraphs.map(\.analysis.key) == expected.paragraphs.map(\.analysis.key))
            #expect(light.paragraphs.allSatisfy { $0.analysis.terms.isEmpty })
            // What deduplication reads: the source and per paragraph its index, language, flags and key.
            let dedup = store.dedupFields(record)
            #expect(dedup.source == expected.document.source)
            #expect(dedup.paragraphs.map(\.index) == expected.paragraphs.map(\.index))
            #expect(dedup.paragraphs.map(\.key) == expected.paragraphs.map(\.analysis.key))
            #expect(dedup.paragraphs.map(\.language) == expected.paragraphs.map(\.analysis.language))
            #expect(dedup.paragraphs.map(\.isQuote) == expected.paragraphs.map(\.isQuote))
            #expect(dedup.paragraphs.map(\.isSignature) == expected.paragraphs.map(\.isSignature))
            // Each key read back by its handle: where it is in the store, or (a key that does not
            // fit a handle) by its paragraph's ordinal.
            for (position, fields) in dedup.paragraphs.enumerated() {
                let paragraph = store.firstParagraph(ofDocument: record) + position
                for handle in [store.keyHandle(of: fields, at: position, inRecord: record),
                               store.keyHandle(start: 0, length: 1 << 23, paragraph: paragraph)] {
                    var bytes: [UInt8] = [1, 2]
                    store.appendKey(handle: handle, to: &bytes)
                    #expect(bytes == [1, 2] + Array(fields.key.utf8))
                }
            }
            // Only some paragraphs: the others are skipped over, and what is read is the same.
            for wanted in [{ (_: Int) in true }, { $0 % 2 == 1 }, { $0 == 0 }, { _ in false }] as [(Int) -> Bool] {
                let only = store.document(record, only: wanted)
                #expect(only.document == expected.document)
                #expect(only.paragraphs.map(\.position) == expected.paragraphs.indices.filter(wanted))
                #expect(only.paragraphs.map(\.paragraph) == expected.paragraphs.indices.filter(wanted).map { expected.paragraphs[$0] })
            }
        }
        #expect(store.text(ofParagraph: 1) == long)
        #expect(store.key(ofParagraph: 1) == long.lowercased())
        #expect(store.key(ofParagraph: 2) == "ｃｒｍ連携 😀")
        // The deduplicator's byte reader appends to what the buffer holds.
        var bytes: [UInt8] = [0x2A]
        store.appendKey(ofParagraph: 2, to: &bytes)
        store.appendKey(ofParagraph: 0, to: &bytes)
        #expect(bytes == [0x2A] + Array("ｃｒｍ連携 😀".utf8) + Array("добрый день!".utf8))
        #expect(store.firstParagraph(ofDocument: 2) == 2)
        #expect(store.paragraphCount(ofDocument: 1) == 0)
    }

    @Test("a worker's records past the spill threshold go through its spill file and read back the same, ids too")
    func spilledRecords() throws {
        // Three files' worth of records, the middle one a large export: more than twice the threshold.
        let text = String(repeating: "Нужна интеграция с CRM и сквозная аналитика по заявкам. ", count: 40)
        func export(_ file: Int, _ count: Int) -> [AnalyzedDocument] {
            (0..<count).map { i in
                Self.document("tickets-\(file).jsonl#\(i)", date: DocumentDate(year: 2024, month: 1 + i % 12, day: 1 + i % 28),
                              [Self.paragraph(0, "\(i): " + text), Self.paragraph(1, "Спасибо!")])
            }
        }
        // Two large exports, taken over whole as segments of the store, between runs of the store's own file.
        // Past the threshold of bytes, and past one write of the records' and paragraphs' entries (32 KB of them).
        let large = max(2 * EncodedDocuments.spillThreshold / text.utf8.count + 50, 3000)
        let files = [export(0, 3), export(1, large), export(2, 4), export(3, large), export(4, 1)]
        let writer = try ParagraphStoreWriter()
        var spilled = (bytes: false, records: false, paragraphs: false)
        for (index, documents) in files.enumerated() {
            var encoded = EncodedDocuments()
            // The second large export is made of pieces, as a large file read on several tasks is.
            if index == 3 {
                for start in stride(from: 0, to: documents.count, by: 97) {
                    var part = EncodedDocuments()
                    for d in documents[start..<min(start + 97, documents.count)] { part.add(d) }
                    try encoded.append(contentsOf: part)
                }
            } else {
                for d in documents { encoded.add(d) }
            }
            spilled.bytes = spilled.bytes || encoded.buffer.spill != nil
            spilled.records = spilled.records || encoded.records.countInFile > 0
            spilled.paragraphs = spilled.paragraphs || encoded.paragraphs.countInFile > 0
            #expect(encoded.buffer.bytes.count < EncodedDocuments.spillThreshold + 64 * 1024)
            #expect(encoded.paragraphs.count - encoded.paragraphs.countInFile <= (32 << 10) / MemoryLayout<EncodedDocuments.Paragraph>.stride)
            try writer.append(encoded)
        }
        #expect(spilled.bytes && spilled.records && spilled.paragraphs)
        let store = try writer.finish()
        let all = files.flatMap { $0 }
        #expect(store.documentCount == all.count)
        for (record, original) in all.enumerated() {
            #expect(store.document(record) == original)
            #expect(store.documentID(record) == original.document.id)
        }
        #expect(store.text(ofParagraph: 2 * (all.count - 1)) == "0: " + text)
        for paragraph in stride(from: 0, to: store.paragraphCount, by: 97) {
            let (document, index) = (paragraph / 2, paragraph % 2)
            #expect(store.key(ofParagraph: paragraph) == all[document].paragraphs[index].analysis.key)
        }
    }

    @Test("a document id longer than the first read is read whole")
    func longDocumentID() throws {
        let writer = try ParagraphStoreWriter()
        let id = "archive/" + String(repeating: "очень-длинное-имя/", count: 20) + "письмо.eml"
        try writer.append(Self.document(id, date: nil, [Self.paragraph(0, "Добрый день!")]))
        try writer.append(Self.document("b", date: nil, []))
        let store = try writer.finish()
        #expect(store.documentID(0) == id)
        #expect(store.documentID(1) == "b")
    }

    @Test("document id and text prefix read together equal each read alone", arguments: [1, 5, 64, 1280, 20_000])
    func documentIDAndTextPrefix(maxBytes: Int) throws {
        let writer = try ParagraphStoreWriter()
        let short = "Ж😀é\u{301}日本 " + String(repeating: "к", count: 40)
        // Paragraphs far into a record (past the 8 KB read) take the two-read path.
        let long = String(repeating: "Нужна интеграция с CRM. ", count: 300)
        try writer.append(Self.document("mail/a.eml", date: nil, [Self.paragraph(0, short), Self.paragraph(1, long), Self.paragraph(2, short)]))
        try writer.append(Self.document("b", date: nil, [Self.paragraph(0, long)]))
        let store = try writer.finish()
        for (record, paragraph) in [(0, 0), (0, 1), (0, 2), (1, 3)] {
            let together = store.documentIDAndTextPrefix(record: record, paragraph: paragraph, maxBytes: maxBytes)
            #expect(together.id == store.documentID(record))
            #expect(together.prefix == store.textPrefix(ofParagraph: paragraph, maxBytes: maxBytes))
        }
    }

    @Test("a text prefix is cut at a character boundary and says whether it is whole", arguments: [1, 2, 3, 5, 7, 64])
    func textPrefix(maxBytes: Int) throws {
        let writer = try ParagraphStoreWriter()
        let text = "Ж😀é\u{301}日本 " + String(repeating: "к", count: 40)
        try writer.append(Self.document("p", date: nil, [Self.paragraph(0, text)]))
        let store = try writer.finish()
        let prefix = store.textPrefix(ofParagraph: 0, maxBytes: maxBytes)
        #expect(text.utf8.starts(with: prefix.text.utf8))
        #expect(prefix.text.utf8.count <= maxBytes)
        #expect(!prefix.text.contains("\u{FFFD}"))
        #expect(prefix.text.utf8.count > maxBytes - 4)
        #expect(prefix.isWhole == false)
        #expect(store.textPrefix(ofParagraph: 0, maxBytes: 1000) == (text, true))
    }

    @Test("the date sort key orders like DocumentDate, undated last")
    func dateKeyOrder() {
        let dates: [DocumentDate?] = [
            DocumentDate(year: 2023, month: 12, day: 31, hour: 23, minute: 59, second: 59),
            DocumentDate(year: 2024, month: 1, day: 1),
            DocumentDate(year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 1, hasTime: true),
            DocumentDate(year: 2024, month: 2, day: 1),
            nil,
        ]
        let keys = dates.map(ParagraphStore.dateKey)
        #expect(keys == keys.sorted())
        #expect(Set(keys).count == keys.count)
    }

    @Test("record offsets read back as appended: across blocks, and those 4 GB or more past their block's start")
    func recordOffsets() {
        var offsets = RecordOffsets()
        var expected: [UInt64] = []
        var offset: UInt64 = 0
        for r in 0..<5_000 {
            expected.append(offset)
            offsets.append(offset)
            // Mostly small records; now and then one of 3–5 GB, so that some blocks reach past 4 GB.
            offset += r % 700 == 699 ? UInt64(3 + r % 3) << 30 : UInt64(100 + r % 977)
        }
        #expect(offsets.count == expected.count)
        #expect((0..<expected.count).allSatisfy { offsets[$0] == expected[$0] })
        #expect(offsets.farCount > 1_000 && offsets.farCount < expected.count - 1_000)
    }

    @Test("ids follow date order; paragraphs of documents without paragraphs or dates map back")
    func firstOccurrenceOrder() throws {
        let writer = try ParagraphStoreWriter()
        try writer.append(Self.document("late", date: DocumentDate(year: 2025, month: 1, day: 1), [Self.paragraph(0, "поздно"), Self.paragraph(1, "очень поздно")]))
        try writer.append(Self.document("undated", date: nil, [Self.paragraph(0, "без даты")]))
        try writer.append(Self.document("empty", date: DocumentDate(year: 2024, month: 6, day: 1), []))
        try writer.append(Self.document("early", date: DocumentDate(year: 2024, month: 1, day: 1), [Self.paragraph(0, "рано")]))
        let (store, dateKeys) = try writer.finishWithDateKeys()
        #expect(dateKeys.count == 4)
        let order = FirstOccurrenceOrder(store, dateKeys: dateKeys)
        #expect(order.records == [3, 2, 0, 1])
        // id → store ordinal: 0 "рано" (store 3), 1–2 the late ones (store 0, 1), 3 undated (store 2).
        #expect((0..<4).map(order.storeParagraph(of:)) == [3, 0, 1, 2])
        #expect((0..<4).map { store.text(ofParagraph: order.storeParagraph(of: $0)) } == ["рано", "поздно", "очень поздно", "без даты"])
    }
}

/// `recur normalize`'s sink: a file's JSON lines rendered on the worker, spilled past the threshold.
@Suite("Paragraph lines rendered on the worker")
struct ParagraphLinesTests {
    @Test("lines past the spill threshold go through the spill file and come out the same, in order")
    func spilledLines() throws {
        let text = String(repeating: "Нужна интеграция с CRM и сквозная аналитика по заявкам. ", count: 40)
        let documents = (0..<(2 * SpillingBuffer.threshold / text.utf8.count + 50)).map { i in
            ParagraphStoreTests.document("chat.jsonl#\(i)", date: nil, [ParagraphStoreTests.paragraph(0, "\(i): " + text), ParagraphStoreTests.paragraph(1, "Спасибо!")])
        }
        var lines = ParagraphLines()
        for d in documents { lines.add(d) }
        #expect(lines.buffer.spill != nil)
        #expect(lines.buffer.bytes.count < SpillingBuffer.threshold + 64 * 1024)
        var expected: [UInt8] = []
        for d in documents {
            for p in d.paragraphs { expected += ParagraphJSON.render(p, of: d.document) + [0x0A] }
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recur-lines-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        let output = try LineOutput(path: url.path)
        try lines.write(to: output)
        try output.finish()
        let written = try [UInt8](Data(contentsOf: url))
        #expect(written.count > 2 * SpillingBuffer.threshold)
        #expect(written == expected)
    }

    @Test("sinks filled apart and appended in order hold what one sink filled with every document holds", arguments: [1, 2, 5])
    func appendedSinks(pieces: Int) throws {
        // Documents with an empty key, a later part, and (in the middle) enough text to spill.
        let text = String(repeating: "Нужна интеграция с CRM и сквозная аналитика по заявкам. ", count: 40)
        var documents: [AnalyzedDocument] = []
        for i in 0..<(SpillingBuffer.threshold / text.utf8.count + 30) {
            let paragraphs = [
                ParagraphStoreTests.paragraph(0, "\(i): " + text), ParagraphStoreTests.paragraph(1, "…", key: ""),
                ParagraphStoreTests.paragraph(2, "Спасибо!"),
            ]
            documents.append(ParagraphStoreTests.document("chat.jsonl#\(i)", date: DocumentDate(year: 2024, month: 1 + i % 12, day: 1), paragraphs))
        }
        var part = documents[3]
        part.continuesPrevious = true
        part.paragraphs = [ParagraphStoreTests.paragraph(3, "Продолжение.")]
        documents.insert(part, at: 4)
        let size = (documents.count + pieces - 1) / pieces
        var cuts: [[AnalyzedDocument]] = []
        for start in stride(from: 0, to: documents.count, by: size) {
            cuts.append(Array(documents[start..<min(start + size, documents.count)]))
        }

        var whole = EncodedDocuments(), joined = EncodedDocuments()
        var wholeLines = ParagraphLines(), joinedLines = ParagraphLines()
        for d in documents { whole.add(d); wholeLines.add(d) }
        for cut in cuts {
            var encoded = EncodedDocuments(), lines = ParagraphLines()
            for d in cut { encoded.add(d); lines.add(d) }
            try joined.append(contentsOf: encoded)
            try joinedLines.append(contentsOf: lines)
        }
        #expect(joined.sources == whole.sources && joined.buffer.size == whole.buffer.size)
        var stores: [ParagraphStore] = []
        for encoded in [whole, joined] {
            let writer = try ParagraphStoreWriter()
            try writer.append(encoded)
            stores.append(try writer.finish())
        }
        #expect(stores[1].recordCount == documents.count && stores[1].documentCount == documents.count - 1)
        #expect(stores[1].paragraphCount == stores[0].paragraphCount)
        for record in 0..<documents.count {
            #expect(stores[1].document(record) == stores[0].document(record))
            #expect(stores[1].documentNumber(ofRecord: record) == stores[0].documentNumber(ofRecord: record))
        }
        for paragraph in 0..<stores[0].paragraphCount {
            #expect(stores[1].text(ofParagraph: paragraph) == stores[0].text(ofParagraph: paragraph))
        }
        var written: [[UInt8]] = []
        for lines in [wholeLines, joinedLines] {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("recur-lines-\(UUID().uuidString).jsonl")
            defer { try? FileManager.default.removeItem(at: url) }
            let output = try LineOutput(path: url.path)
            try lines.write(to: output)
            try output.finish()
            written.append(try [UInt8](Data(contentsOf: url)))
        }
        #expect(written[1] == written[0] && written[0].count > SpillingBuffer.threshold)
    }
}
