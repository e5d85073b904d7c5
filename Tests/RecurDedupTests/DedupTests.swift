import Foundation
@_spi(Benchmarks) @testable import RecurKit
import RecurCorpus
import RecurTestSupport
import Testing

/// Builds inputs with ICU keys, the way the pipeline will.
struct Feed {
    /// ICU state is per instance (tests run in parallel; ICUText is not thread-safe).
    let icu = try! ICUText()
    var inputs: [DedupInput] = []
    var texts: [String] = []

    @discardableResult
    mutating func add(
        _ text: String, doc: String, paragraph: Int = 0, source: String = "client-a", lang: Language = .ru,
        quote: Bool = false, signature: Bool = false
    ) -> Int {
        let id = inputs.count
        inputs.append(DedupInput(
            id: id, doc: doc, paragraph: paragraph, source: source, lang: lang,
            key: icu.normalize(text, .key), isQuote: quote, isSignature: signature))
        texts.append(text)
        return id
    }

    func run(_ options: DedupOptions = DedupOptions(), keyHash: ((UnsafeRawBufferPointer) -> UInt64)? = nil) -> DedupResult {
        let dedup = keyHash.map { ParagraphDeduplicator(options: options, keyHash: $0) }
            ?? ParagraphDeduplicator(options: options)
        for input in inputs { dedup.add(input) }
        return dedup.finish()
    }

    func csv(_ result: DedupResult) -> String {
        String(decoding: DuplicatesCSV.render(result: result) { texts[$0] }, as: UTF8.self)
    }
}

enum Samples {
    static let ru = """
        Цель – это конечный желаемый результат, который мы хотим получить от продвижения. \
        Задача – это проблемная ситуация, которую мы решаем, чтобы выполнить цель. К примеру, \
        клиент говорит, что цель вашего сотрудничества – это привлечь пять тысяч подписчиков \
        за десять тысяч рублей. Но цель ли это? Многие считают, что да, но это не так.
        """
    /// One word changed ("клиент" → "заказчик").
    static let ruEdited = ru.replacingOccurrences(of: "клиент говорит", with: "заказчик говорит")
    /// Shares many words (цель, задача, клиент, подписчики) but is another text.
    static let ruUnrelated = """
        Клиент часто путает задачи и цели, а подписчики для него – это результат. Мы решаем \
        задачу клиента, когда понимаем его цель: продажи, узнаваемость или лояльность. \
        Продвижение без цели – это просто трата денег, даже если подписчиков стало больше.
        """
    static let ja = "弊社では、クライアントからの問い合わせに対して、まず目的と課題を整理し、その上で最適な提案を行うようにしています。予算や納期が決まっていない場合でも、早めにご相談いただければ柔軟に対応いたします。"
    static let jaEdited = ja.replacingOccurrences(of: "柔軟に", with: "丁寧に")
    /// Under 60 characters: 3-grams.
    static let jaShort = "資料を確認しましたので、来週の打ち合わせで詳しくご説明いたします。"
    static let jaShortEdited = "資料を確認しましたので、来週の打ち合わせで詳しくご説明します。"
    static let footer = "Вы получили это письмо, потому что подписаны на рассылку. Отписаться можно в настройках профиля."
}

@Suite("Paragraph deduplication")
struct DedupTests {
    @Test("exact duplicates: lowest id kept, similarity 1")
    func exact() {
        var feed = Feed()
        feed.add(Samples.ru, doc: "d1")
        feed.add(Samples.ruUnrelated, doc: "d1", paragraph: 1)
        feed.add("  " + Samples.ru.uppercased() + "\n", doc: "d2")  // same key after normalization
        let r = feed.run()
        #expect(r.isKept(0) && r.isKept(1))
        #expect(r.member(2) == DuplicateMember(id: 2, keptID: 0, kind: .exact, similarity: 1))
        #expect(r.kindOf == [2: .exact])
        #expect(r.clusterSizeOf(0) == 2 && r.clusterSizeOf(2) == 2 && r.clusterSizeOf(1) == 1)
        #expect(r.counts.paragraphsIn == 3 && r.counts.kept == 2 && r.counts.removed == 1 && r.counts.exact == 1)
        #expect(r.clusters.map(\.id) == ["c000001"])
    }

    @Test("a hash collision never merges different keys")
    func collision() {
        var feed = Feed()
        feed.add("первый абзац", doc: "d1")
        feed.add("второй абзац", doc: "d1", paragraph: 1)
        feed.add("первый абзац", doc: "d2")
        feed.add("второй абзац", doc: "d2", paragraph: 1)
        feed.add("третий", doc: "d3")
        let r = feed.run(keyHash: { _ in 42 })  // every key collides
        #expect(r.isKept(0) && r.isKept(1) && r.isKept(4))
        #expect(r.member(2)?.keptID == 0 && r.member(2)?.kind == .exact)
        #expect(r.member(3)?.keptID == 1 && r.member(3)?.kind == .exact)
        #expect(r.counts.exact == 2)
    }

    @Test("one word changed in a Russian paragraph is a near duplicate")
    func near() {
        var feed = Feed()
        feed.add(Samples.ru, doc: "d1")
        feed.add(Samples.ruEdited, doc: "d2")
        let r = feed.run()
        let m = r.member(1)
        #expect(m?.kind == .near)
        #expect(m?.keptID == 0)
        #expect((m?.similarity ?? 0) >= 0.8 && (m?.similarity ?? 1) < 1)
    }

    @Test("an unrelated paragraph with shared words is not a near duplicate")
    func notNear() {
        var feed = Feed()
        feed.add(Samples.ru, doc: "d1")
        feed.add(Samples.ruUnrelated, doc: "d2")
        let r = feed.run()
        #expect(r.isKept(0) && r.isKept(1))
        #expect(r.clusters.isEmpty)
    }

    @Test("Japanese paragraphs: exact, near, and short ones with 3-grams")
    func japanese() {
        var feed = Feed()
        feed.add(Samples.ja, doc: "d1", lang: .ja)
        feed.add(Samples.ja, doc: "d2", lang: .ja)
        feed.add(Samples.jaEdited, doc: "d3", lang: .ja)
        feed.add(Samples.jaShort, doc: "d4", lang: .ja)
        feed.add(Samples.jaShortEdited, doc: "d5", lang: .ja)
        let r = feed.run()
        #expect(r.member(1)?.kind == .exact)
        #expect(r.member(2)?.kind == .near && r.member(2)?.keptID == 0)
        #expect(r.isKept(3))
        #expect(r.member(4)?.kind == .near && r.member(4)?.keptID == 3)
        #expect((r.member(4)?.similarity ?? 0) >= 0.8)
        #expect(r.counts.near == 2 && r.counts.exact == 1)
    }

    @Test("Japanese near duplicates across the 60-character shingle-size boundary are found")
    func japaneseBoundary() {
        let short = "資料を拝見し確認しましたので、来週の定例打ち合わせで詳しくご説明いたします。何卒よろしくお願い申し上げます。敬具。"  // 57
        let long = short + "田中より。"  // 62; Jaccard ≈ 0.91 with 3-grams and with 5-grams
        #expect(short.count < 60 && long.count >= 60)
        for (first, second) in [(short, long), (long, short)] {
            var feed = Feed()
            feed.add(first, doc: "d1", lang: .ja)
            feed.add(second, doc: "d2", lang: .ja)
            feed.add(Samples.ja, doc: "d3", lang: .ja)
            let r = feed.run()
            #expect(r.member(1)?.kind == .near && r.member(1)?.keptID == 0, "\(first.count) → \(second.count) characters")
            #expect(r.isKept(2))
        }
    }

    @Test("very short paragraphs are exact-matched and counted", arguments: [
        ("Спасибо!", Language.ru), ("はい", Language.ja), ("Kiitos.", Language.fi),
    ])
    func short(text: String, lang: Language) {
        var feed = Feed()
        feed.add(text, doc: "d1", lang: lang)
        feed.add("другое", doc: "d1", paragraph: 1, lang: lang)
        feed.add(text, doc: "d2", lang: lang)
        feed.add(text.uppercased(), doc: "d3", lang: lang)
        let r = feed.run()
        #expect(r.member(2)?.kind == .exact && r.member(2)?.keptID == 0)
        #expect(r.member(3)?.kind == .exact)
        #expect(r.counts.paragraphsIn == 4 && r.counts.kept == 2 && r.counts.short == 4)
        #expect(r.clusterSizeOf(0) == 3)
    }

    @Test("a footer in 6 documents from 3 sources is boilerplate, kept one included")
    func boilerplate() {
        var feed = Feed()
        for d in 0..<6 {
            feed.add("Письмо \(d) о сроках", doc: "d\(d)", source: "client-\(d % 3)")
            feed.add(Samples.footer, doc: "d\(d)", paragraph: 1, source: "client-\(d % 3)")
        }
        let r = feed.run()
        let footerIDs = (0..<6).map { 2 * $0 + 1 }
        #expect(r.isKept(1) && r.isBoilerplate(1) && !r.isContent(1))
        for id in footerIDs.dropFirst() { #expect(r.kind(of: id) == .boilerplate) }
        #expect(r.cluster(of: 1)?.isBoilerplate == true)
        #expect(r.cluster(of: 1)?.documentCount == 6 && r.cluster(of: 1)?.sourceCount == 3)
        #expect(r.isContent(0) && !r.isBoilerplate(0))
        #expect(r.counts.boilerplate == 5 && r.counts.boilerplateKept == 1 && r.counts.boilerplateClusters == 1)
        let csv = feed.csv(r)
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 1 + 6)
        #expect(lines[1].hasPrefix("c000001,boilerplate,1.000,d0,1,d0,1,ru,\"Вы получили это письмо,"))
        #expect(lines[2].hasPrefix("c000001,boilerplate,"))
        #expect(lines[2].contains(",d0,1,d1,1,ru,"))
    }

    @Test("a footer repeated within 2 documents of one source is exact, not boilerplate")
    func notBoilerplate() {
        var feed = Feed()
        for d in 0..<2 {
            for p in 0..<3 { feed.add(Samples.footer, doc: "d\(d)", paragraph: p, source: "client-a") }
        }
        let r = feed.run()
        #expect((1..<6).allSatisfy { r.kind(of: $0) == .exact })
        #expect(!r.isBoilerplate(0) && r.isContent(0))
        #expect(r.counts.boilerplateClusters == 0)
    }

    @Test("a recurring signature is boilerplate even in few documents")
    func signature() {
        var feed = Feed()
        feed.add("С уважением, Иван Петров, менеджер проектов", doc: "d1", signature: true)
        feed.add("С уважением, Иван Петров, менеджер проектов", doc: "d2", signature: true)
        feed.add("С уважением, Анна, бухгалтерия", doc: "d3", signature: true)
        let r = feed.run()
        #expect(r.kind(of: 1) == .boilerplate && r.isBoilerplate(0))
        #expect(r.isKept(2) && !r.isBoilerplate(2))
    }

    @Test("a quoted repeat of an earlier message is a quote, multi-line markers stripped")
    func quote() {
        var feed = Feed()
        feed.add(Samples.ru, doc: "m1")
        feed.add("Хорошо, давайте обсудим на неделе.", doc: "m2")
        let quoted = Samples.ru.split(separator: ". ").map { "> " + $0 }.joined(separator: ".\n")
        feed.add(quoted, doc: "m2", paragraph: 1, quote: true)
        feed.add(">> " + Samples.ruEdited, doc: "m3", quote: true)
        let r = feed.run()
        #expect(r.member(2)?.kind == .quote && r.member(2)?.keptID == 0)
        #expect(r.member(2)?.similarity == 1)
        #expect(r.member(3)?.kind == .quote && (r.member(3)?.similarity ?? 1) < 1)
        #expect(r.counts.quote == 2)
    }

    @Test("the first occurrence (lowest id) is kept, whatever the document")
    func firstOccurrence() {
        var feed = Feed()
        feed.add(Samples.ruUnrelated, doc: "z-last-name", source: "b")
        feed.add(Samples.ruEdited, doc: "b")
        feed.add(Samples.ru, doc: "a")
        feed.add(Samples.ruEdited, doc: "a0")
        let r = feed.run()
        #expect(r.isKept(1))
        #expect(r.member(2)?.keptID == 1 && r.member(2)?.kind == .near)
        #expect(r.member(3)?.keptID == 1 && r.member(3)?.kind == .exact)
        #expect(r.clusters.first.map { Array(r.memberIDs(of: $0)) } == [1, 2, 3])
    }

    @Test("candidates sharing more bands are verified first: a near duplicate is found within the candidate cap")
    func mostSharedBandsFirst() throws {
        let icu = try ICUText()
        let query = Samples.ru
        let near = Samples.ruEdited
        let dedup = ParagraphDeduplicator()
        func bands(_ text: String) -> [UInt64] {
            dedup.withSketch(of: icu.normalize(text, .key), lang: .ru) { Array($0) }
        }
        func shared(_ a: [UInt64], _ b: [UInt64]) -> Int { zip(a, b).filter { $0 == $1 }.count }
        let queryBands = bands(query), nearShared = shared(bands(near), queryBands)
        // An older paragraph below the threshold that still shares two bands or more with the
        // query, fewer than the near duplicate does: words of the query replaced one by one.
        let words = query.split(separator: " ").map(String.init)
        var older: String?
        for count in 4..<words.count {
            var edited = words
            for i in stride(from: 1, to: words.count, by: max(1, words.count / count)).prefix(count) { edited[i] = "слово\(i)" }
            let text = edited.joined(separator: " ")
            let s = shared(bands(text), queryBands)
            var pair = Feed()
            pair.add(text, doc: "a")
            pair.add(query, doc: "b")
            pair.add(near, doc: "c")
            let r = pair.run()
            if s >= 2, s < nearShared, r.isKept(1), r.isKept(2) || r.member(2)?.keptID == 1 { older = text; break }
        }
        let olderText = try #require(older, "no edit of the query shares 2+ bands below the threshold")
        var feed = Feed()
        feed.add(olderText, doc: "a")
        feed.add(near, doc: "b")
        feed.add(query, doc: "c")
        var options = DedupOptions()
        options.maxCandidates = 1
        let r = feed.run(options)
        // In ascending order the older paragraph, verified first, would use up the one candidate.
        #expect(r.isKept(0) && r.isKept(1))
        #expect(r.member(2)?.kind == .near && r.member(2)?.keptID == 1)
        // One candidate verified per lookup (the near duplicate's and the query's).
        #expect(r.counts.candidatesVerified == 2)
    }

    @Test("an exact copy of a near member is reported near, against the kept paragraph")
    func copyOfNear() {
        var feed = Feed()
        feed.add(Samples.ru, doc: "a")
        feed.add(Samples.ruEdited, doc: "b")
        feed.add(Samples.ruEdited, doc: "c")
        let r = feed.run()
        #expect(r.member(2)?.kind == .near && r.member(2)?.keptID == 0)
        #expect(r.member(2)?.similarity == r.member(1)?.similarity)
    }

    @Test("near clusters do not drift: every member is within the threshold of the kept paragraph")
    func noDrift() {
        var feed = Feed()
        // Each version changes one more word of the previous one.
        var words = Samples.ru.split(separator: " ").map(String.init)
        feed.add(words.joined(separator: " "), doc: "v0")
        for step in 1..<12 {
            words[step * 4] = "слово\(step)"
            feed.add(words.joined(separator: " "), doc: "v\(step)")
        }
        let r = feed.run()
        var members = 0
        for id in 0..<feed.inputs.count {
            guard let m = r.member(id) else { continue }
            members += 1
            let a = ChannelDumpTests.shingles(feed.inputs[m.keptID].key), b = ChannelDumpTests.shingles(feed.inputs[id].key)
            let jaccard = Double(a.intersection(b).count) / Double(a.union(b).count)
            #expect(jaccard >= 0.8, "member \(id) of \(m.keptID)")
            #expect(abs(jaccard - m.similarity) < 1e-6)
        }
        #expect(members >= 3)
        #expect(r.counts.kept >= 2)
    }

    @Test("counts add up, and every paragraph is kept or a member of a cluster")
    func countsAddUp() {
        var feed = Feed()
        for d in 0..<7 {
            feed.add(Samples.footer, doc: "d\(d)", source: "s\(d % 3)")
            feed.add(d % 2 == 0 ? Samples.ru : Samples.ruEdited, doc: "d\(d)", paragraph: 1, source: "s\(d % 3)")
            feed.add("Спасибо!", doc: "d\(d)", paragraph: 2, source: "s\(d % 3)")
            feed.add("> " + Samples.ruUnrelated, doc: "d\(d)", paragraph: 3, source: "s\(d % 3)", quote: d > 0)
            feed.add(Samples.ja, doc: "d\(d)", paragraph: 4, lang: .ja)
        }
        let r = feed.run()
        let c = r.counts
        #expect(c.paragraphsIn == 35 && c.kept + c.removed == 35)
        #expect(c.exact + c.near + c.quote + c.boilerplate == c.removed)
        #expect(r.kindOf.count == c.removed)
        for id in 0..<35 {
            #expect(r.isKept(id) != (r.member(id) != nil))
            if let m = r.member(id) { #expect(r.isKept(m.keptID) && m.keptID < id && r.cluster(of: id)?.keptID == m.keptID) }
        }
        // footer, Russian text, "Спасибо!", quoted text: 7 documents, 3 sources → boilerplate;
        // the Japanese paragraph recurs in 7 documents of one source → exact, not boilerplate
        #expect(c.boilerplateClusters == 4 && c.boilerplateKept == 4)
        #expect(c.exact == 6 && r.cluster(of: 4)?.isBoilerplate == false)
        #expect(r.clusters.map(\.id) == ["c000001", "c000002", "c000003", "c000004", "c000005"])
    }

    @Test("same input twice gives identical CSV bytes")
    func determinism() {
        var feed = Feed()
        for d in 0..<8 {
            feed.add(Samples.footer, doc: "d\(d)", source: "s\(d % 2)")
            feed.add(d % 2 == 0 ? Samples.ru : Samples.ruEdited, doc: "d\(d)", paragraph: 1, source: "s\(d % 2)")
            feed.add(Samples.ja, doc: "d\(d)", paragraph: 2, lang: .ja)
            feed.add("Спасибо!", doc: "d\(d)", paragraph: 3)
        }
        let a = DuplicatesCSV.render(result: feed.run()) { feed.texts[$0] }
        let b = DuplicatesCSV.render(result: feed.run()) { feed.texts[$0] }
        #expect(a == b)
        #expect(a.count > 500)
    }

    @Test("the CSV snippet is one line of at most 80 characters, quoted when needed")
    func csvRows() {
        var feed = Feed()
        let text = "Привет, \"мир\"!\nВторая строка,\tс запятой и очень длинным продолжением, которое не поместится в восемьдесят символов никак"
        feed.add(text, doc: "a,b")
        feed.add(text, doc: "c")
        let r = feed.run()
        let csv = feed.csv(r)
        let snippet = DuplicatesCSV.oneLine(text, limit: 80)
        #expect(snippet.count <= 80 && !snippet.contains("\n") && !snippet.contains("\t"))
        #expect(csv == """
            cluster_id,kind,similarity,kept_doc,kept_paragraph,doc,paragraph,lang,snippet
            c000001,exact,1.000,"a,b",0,c,0,ru,"\(snippet.replacingOccurrences(of: "\"", with: "\"\""))"

            """)
    }
}

@Suite("CSV writing")
struct CSVTests {
    @Test("RFC 4180 quoting", arguments: [
        (["plain", "два слова", ""], "plain,два слова,\n"),
        (["a,b", "say \"hi\"", "x\ny", "cr\r"], "\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",\"cr\r\"\n"),
        (["\"", ",", "日本語"], "\"\"\"\",\",\",日本語\n"),
    ])
    func quoting(fields: [String], expected: String) {
        #expect(CSVRow.line(fields) == expected)
    }

    @Test("fields written one by one give the bytes of whole rows, formula guard and line endings included",
          arguments: [CSVWriter.LineEnding.lf, .crlf])
    func fieldByField(lineEnding: CSVWriter.LineEnding) {
        let pieces = ["a", "ж", "日本", ",", "\"", "\n", "\r", "\t", "=", "+", "-", "@", "'", " ", "1", ""]
        var state: UInt64 = lineEnding == .lf ? 5 : 9
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var byRows = CSVWriter(lineEnding: lineEnding), byFields = CSVWriter(lineEnding: lineEnding)
        for _ in 0..<2000 {
            let cells = (0..<1 + next(5)).map { _ in (0..<next(5)).map { _ in pieces[next(pieces.count)] }.joined() }
            let guarded = (0..<cells.count).map { _ in next(2) == 0 }
            let number = next(3) == 0 ? -next(100_000) : next(1_000_000)
            byRows.row(zip(cells, guarded).map { $1 ? CSVRow.neutralizingFormula($0) : $0 } + [String(number)])
            for (i, cell) in cells.enumerated() { byFields.field(cell, first: i == 0, guardingFormula: guarded[i]) }
            byFields.field(number)
            byFields.endRow()
        }
        #expect(byFields.bytes == byRows.bytes)
    }

    @Test("BOM and CRLF options")
    func options() {
        var w = CSVWriter(bom: true, lineEnding: .crlf)
        w.row(["a", "b"])
        #expect(w.bytes == [0xEF, 0xBB, 0xBF, 0x61, 0x2C, 0x62, 0x0D, 0x0A])
        #expect(DuplicatesCSV.fixed3(0.8) == "0.800" && DuplicatesCSV.fixed3(1) == "1.000" && DuplicatesCSV.fixed3(0.8567) == "0.857")
    }
}

@Suite("Deduplication on the Russian channel dump")
struct ChannelDumpTests {
    static let file = TestPaths.seeds.appendingPathComponent("ru-smm-channel-dump.txt")

    static func shingles(_ key: String) -> Set<String> {
        let s = Array(key.unicodeScalars)
        guard s.count >= 5 else { return [key] }
        return Set((0...(s.count - 5)).map { i in String(String.UnicodeScalarView(s[i..<i + 5])) })
    }

    @Test("every repeated line is found, near pairs are genuine",
          .enabled(if: FileManager.default.fileExists(atPath: file.path)))
    func channelDump() throws {
        let text = try String(contentsOf: Self.file, encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        var feed = Feed()
        for (i, line) in lines.enumerated() { feed.add(line, doc: "ru-smm-channel-dump", paragraph: i, source: "smm") }
        let r = feed.run()

        // Independent count: occurrences of a key after its first.
        var firstOf: [String: Int] = [:]
        var repeats = 0
        for input in feed.inputs {
            if firstOf[input.key] == nil { firstOf[input.key] = input.id } else { repeats += 1 }
        }
        var nearCopies = 0
        for input in feed.inputs {
            let first = firstOf[input.key]!
            if first != input.id {
                // Every repeat is a duplicate of the first occurrence's cluster.
                #expect(!r.isKept(input.id), "line \(input.id) repeats line \(first)")
                #expect(r.keptID(of: input.id) == r.keptID(of: first))
                if !r.isKept(first) && r.kind(of: first) == .near { nearCopies += 1 }
            }
        }
        #expect(r.counts.exact + nearCopies == repeats)
        #expect(r.counts.exact == repeats - nearCopies)

        // Near pairs: print them and check the similarity independently.
        var nearPairs = 0
        for input in feed.inputs where r.kind(of: input.id) == .near && firstOf[input.key] == input.id {
            nearPairs += 1
            let m = r.member(input.id)!
            let a = Self.shingles(feed.inputs[m.keptID].key), b = Self.shingles(input.key)
            let jaccard = Double(a.intersection(b).count) / Double(a.union(b).count)
            print("near \(DuplicatesCSV.fixed3(m.similarity)) (independent \(DuplicatesCSV.fixed3(jaccard))): #\(m.keptID) «\(DuplicatesCSV.oneLine(feed.texts[m.keptID], limit: 60))» ~ #\(input.id) «\(DuplicatesCSV.oneLine(input.key, limit: 60))»")
            #expect(abs(jaccard - m.similarity) < 1e-6)
            #expect(jaccard >= 0.8)
        }
        print("channel dump: \(lines.count) lines, \(repeats) repeated keys, exact \(r.counts.exact), near \(r.counts.near) (\(nearPairs) pairs), clusters \(r.clusters.count), boilerplate \(r.counts.boilerplate)")
        // Printed so that two runs (two processes, two Hasher seeds) can be compared by eye.
        let csv = DuplicatesCSV.render(result: r) { feed.texts[$0] }
        print("channel dump duplicates.csv: \(csv.count) bytes, stable hash \(String(csv.withUnsafeBytes { StableHash.hash64($0) }, radix: 16))")
        #expect(r.counts.boilerplate == 0 && r.counts.quote == 0)
        #expect(r.counts.paragraphsIn == lines.count)
    }
}

@Suite("duplicates.csv against formula injection")
struct DuplicatesCSVFormulaTests {
    @Test("snippets starting with = + - @ get a leading quote")
    func neutralized() {
        let dedup = ParagraphDeduplicator()
        let text = "=HYPERLINK(\"http://x\",\"click\") and some words to make it long enough"
        dedup.add(DedupInput(id: 0, doc: "a", paragraph: 0, source: "s", lang: .other, key: text.lowercased()))
        dedup.add(DedupInput(id: 1, doc: "b", paragraph: 0, source: "t", lang: .other, key: text.lowercased()))
        let csv = String(decoding: DuplicatesCSV.render(result: dedup.finish()) { _ in text }, as: UTF8.self)
        #expect(csv.contains("\"'=HYPERLINK("), "\(csv)")
        #expect(!csv.contains(",\"=HYPERLINK"))
    }
}

/// The deduplicator reading earlier keys from the caller (`keyOf`, the pipeline's mode) against
/// the one copying them, on a generated feed large enough to grow every table and to cross the
/// per-paragraph storage's chunks: templated Russian and Japanese paragraphs with word
/// substitutions (many candidates at 0.5–0.8), exact copies, quoted copies and short ones.
@Suite("Deduplication with caller-held keys")
struct CallerKeysTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let ruWords = ["клиент", "заказчик", "подписчики", "бюджет", "реклама", "цель", "задача", "отчёт",
                          "кампания", "охват", "продажи", "канал", "договор", "макет", "сроки", "смета"]
    static let jaWords = ["予算", "広告", "資料", "納期", "提案", "報告", "確認", "担当", "会議", "契約"]

    static func inputs(count: Int) -> [DedupInput] {
        var g = Generator(state: 42)
        var inputs: [DedupInput] = []
        var earlier: [String] = []
        let icu = try! ICUText()
        for id in 0..<count {
            let doc = "doc-\(id / 7)"
            let source = "client-\(id / 7 % 5)"
            var lang = Language.ru
            var quote = false
            var text: String
            switch g.next(10) {
            case 0 where !earlier.isEmpty:
                text = earlier[g.next(earlier.count)]  // an exact copy
            case 1 where !earlier.isEmpty:
                text = "> " + earlier[g.next(earlier.count)]  // a quoted copy
                quote = true
            case 2:
                text = "Спасибо, \(ruWords[g.next(ruWords.count)])!"  // short: exact matching only
            case 3:
                lang = .ja
                let length = 8 + g.next(10)  // around the 60-character boundary
                text = (0..<length).map { _ in jaWords[g.next(jaWords.count)] }.joined() + "です。"
            default:
                // A template with a few of its words replaced.
                let template = g.next(6)
                let words = (0..<24).map { i in ruWords[(template * 7 + i * 3) % ruWords.count] }
                let changed = words.map { g.next(12) == 0 ? ruWords[g.next(ruWords.count)] : $0 }
                text = changed.joined(separator: " ") + "."
            }
            if g.next(3) == 0 { earlier.append(text) }
            inputs.append(DedupInput(
                id: id, doc: doc, paragraph: id % 7, source: source, lang: lang,
                key: icu.normalize(text, .key), isQuote: quote, isSignature: false))
        }
        return inputs
    }

    static func run(_ inputs: [DedupInput], callerKeys: Bool, keyHash: ((UnsafeRawBufferPointer) -> UInt64)? = nil) -> DedupResult {
        let keys = inputs.map(\.key)
        let hash = keyHash ?? { StableHash.hash64($0) }
        let dedup = callerKeys
            ? ParagraphDeduplicator(keyHash: hash, keyOf: { keys[$0] })
            : ParagraphDeduplicator(keyHash: hash)
        for input in inputs { dedup.add(input) }
        return dedup.finish()
    }

    static func shingles(_ key: String, _ n: Int) -> Set<[Unicode.Scalar]> {
        let s = Array(key.unicodeScalars)
        guard s.count >= n else { return [s] }
        return Set((0...(s.count - n)).map { Array(s[$0..<$0 + n]) })
    }

    @Test("caller-held keys give the same result as copied keys")
    func sameResult() {
        let inputs = Self.inputs(count: 9000)
        let a = Self.run(inputs, callerKeys: true)
        let b = Self.run(inputs, callerKeys: false)
        #expect(a.counts == b.counts)
        #expect(a.clusters == b.clusters)
        for id in 0..<inputs.count {
            #expect(a.member(id) == b.member(id))
            #expect(a.isContent(id) == b.isContent(id))
        }
        #expect(a.counts.near > 50 && a.counts.exact > 100 && a.counts.quote > 0 && a.counts.short > 0)
        #expect(a.counts.candidatesVerified > 5 * a.counts.candidatesAccepted)
        let csvA = DuplicatesCSV.render(result: a) { inputs[$0].key }
        let csvB = DuplicatesCSV.render(result: b) { inputs[$0].key }
        #expect(csvA == csvB)
    }

    @Test("documents numbered by the caller give the same result and locations as interned ids")
    func callerNumberedDocuments() {
        let inputs = Self.inputs(count: 9000)
        let interned = Self.run(inputs, callerKeys: true)
        // Numbers in another order than the documents' first appearance, names read back on demand.
        let names = Array(Set(inputs.map(\.doc))).sorted(by: >)
        let number = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let keys = inputs.map(\.key)
        let dedup = ParagraphDeduplicator(keyOf: { keys[$0] }, documentName: { names[$0] })
        for var input in inputs {
            input.documentNumber = number[input.doc]
            input.doc = ""
            dedup.add(input)
        }
        let numbered = dedup.finish()
        #expect(numbered.counts == interned.counts)
        #expect(numbered.clusters == interned.clusters)
        #expect(interned.counts.boilerplate > 0)
        for id in 0..<inputs.count {
            #expect(numbered.location(id) == interned.location(id))
            #expect(numbered.location(id).doc == inputs[id].doc)
        }
        #expect(DuplicatesCSV.render(result: numbered) { keys[$0] } == DuplicatesCSV.render(result: interned) { keys[$0] })
    }

    @Test("near members are within the threshold of their kept paragraph, with the exact similarity")
    func nearPairsAreGenuine() {
        let inputs = Self.inputs(count: 3000)
        let r = Self.run(inputs, callerKeys: true)
        let options = DedupOptions()
        var checked = 0
        for input in inputs where r.kind(of: input.id) == .near {
            let m = r.member(input.id)!
            let kept = inputs[m.keptID].key
            guard !kept.contains(">"), !input.key.contains(">") else { continue }
            let characters = input.key.unicodeScalars.count
            let n = input.lang == .ja && characters < options.shortJapaneseLength ? options.shortJapaneseShingleSize : options.shingleSize
            let a = Self.shingles(kept, n), b = Self.shingles(input.key, n)
            let jaccard = Double(a.intersection(b).count) / Double(a.union(b).count)
            // The Japanese boundary pairs are verified with the other size; check the rest.
            if input.lang == .ja { continue }
            #expect(abs(jaccard - m.similarity) < 1e-6)
            #expect(jaccard >= options.threshold - 1e-9)
            checked += 1
        }
        #expect(checked > 20)
    }

    @Test("the exact-match cache answers right when its slots collide and its byte budget is full")
    func exactCacheUnderPressure() {
        // 24,000 paragraphs, one in six a new key and the others repeats, so that kept ids run past
        // the cache's 16,384 slots and share them; keys of 600–1,100 bytes (the 4 MB budget full
        // after a few thousand, some over the 1 KB key limit); a hash of 512 values: every new key
        // is compared with many earlier ones of the same hash, through the cache and `keyBytesOf`.
        var g = Generator(state: 7)
        var distinct: [String] = []
        let inputs = (0..<24_000).map { id in
            let key: String
            if distinct.isEmpty || g.next(6) == 0 {
                let length = 600 + g.next(500)
                var text = "запрос \(distinct.count) "
                while text.utf8.count < length { text += CallerKeysTests.ruWords[g.next(CallerKeysTests.ruWords.count)] + " " }
                distinct.append(text)
                key = text
            } else {
                // Half the repeats are of the last 50 keys, half of any earlier one.
                key = g.next(2) == 0 ? distinct[max(0, distinct.count - 1 - g.next(50))] : distinct[g.next(distinct.count)]
            }
            return DedupInput(id: id, doc: "doc-\(id / 5)", paragraph: id % 5, source: "client-\(id % 3)", lang: .ru,
                              key: key, isQuote: false, isSignature: false)
        }
        var options = DedupOptions()
        options.minNearLength = 100_000  // exact matching only: this test is about the exact path
        let hash: (UnsafeRawBufferPointer) -> UInt64 = { StableHash.hash64($0) & 511 }
        let keys = inputs.map { Array($0.key.utf8) }
        let cached = ParagraphDeduplicator(options: options, keyHash: hash, keyBytesOf: { $1.append(contentsOf: keys[$0]) })
        let copied = ParagraphDeduplicator(options: options, keyHash: hash)
        for input in inputs {
            cached.add(input)
            copied.add(input)
        }
        let a = cached.finish(), b = copied.finish()
        #expect(a.counts == b.counts)
        #expect(a.counts.kept == distinct.count)
        for id in 0..<inputs.count {
            #expect(a.member(id) == b.member(id))
            if let m = a.member(id) { #expect(inputs[m.keptID].key == inputs[id].key) }
        }
    }

    @Test("decisions past the first few written to files and read back give the same result as in memory",
          arguments: [0, 1, 2_500])
    func decisionsInFiles(resident: Int) {
        // Some paragraphs marked as signatures (a cluster with one is boilerplate), and all four
        // languages (kept with each decision).
        let languages: [Language] = [.ru, .fi, .ja, .other]
        let inputs = Self.inputs(count: 6000).map { input in
            var input = input
            if input.id % 37 == 0 { input.isSignature = true }
            if input.lang == .ru { input.lang = languages[input.id % 4] }
            return input
        }
        let keys = inputs.map { Array($0.key.utf8) }
        let memory = ParagraphDeduplicator(keyBytesOf: { $1.append(contentsOf: keys[$0]) }, threads: 2)
        let files = ParagraphDeduplicator(keyBytesOf: { $1.append(contentsOf: keys[$0]) }, threads: 2)
        files.keepDecisionsInMemory(upTo: resident)
        for input in inputs {
            memory.add(input)
            files.add(input)
        }
        let a = memory.finish(), b = files.finish()
        #expect(memory.decisionsInFile == 0)
        // All past the resident ones but the last few (fewer than the 7 written at a time).
        #expect(files.decisionsInFile > inputs.count - resident - 7)
        #expect(a.counts.near > 50 && a.counts.exact > 50 && a.counts.quote > 10 && a.counts.boilerplate > 10)
        #expect(a.counts == b.counts)
        #expect(a.code == b.code && Self.all(a.clusterOf) == Self.all(b.clusterOf) && Self.all(a.members) == Self.all(b.members))
        // The result's columns went to files too, and read back by index as in order.
        #expect(b.clusterOf.countInFile > 0 && b.members.countInFile > 0)
        #expect(inputs.indices.allSatisfy { b.clusterOf[$0] == a.clusterOf[$0] })
        for cluster in a.clusters.prefix(200) { #expect(Array(a.memberIDs(of: cluster)) == Array(b.memberIDs(of: cluster))) }
        #expect(inputs.indices.allSatisfy { a.similarity(of: $0) == b.similarity(of: $0) })
        #expect(a.clusters == b.clusters)
        // The languages came through the decisions.
        #expect(Set(inputs.indices.map { a.code[$0] & 0x30 }).count == 4)
    }

    @Test("band entries on disk give the same result as band tables in memory, on one thread and on two", arguments: [1, 2])
    func bandEntriesOnDisk(threads: Int) {
        let inputs = Self.inputs(count: 6000)
        let keys = inputs.map { Array($0.key.utf8) }
        let memory = ParagraphDeduplicator(keyBytesOf: { $1.append(contentsOf: keys[$0]) }, threads: threads)
        let disk = ParagraphDeduplicator(keyBytesOf: { $1.append(contentsOf: keys[$0]) }, threads: threads)
        disk.keepBandEntriesInMemory(upToPowerOfTwo: 5)
        for input in inputs {
            memory.add(input)
            disk.add(input)
        }
        #expect(memory.bandSpills.runs == 0 && disk.bandSpills.runs > 0)
        let a = memory.finish(), b = disk.finish()
        #expect(a.counts.near > 50 && a.counts.candidatesVerified > 100)
        #expect(a.counts == b.counts)
        #expect(a.code == b.code && Self.all(a.clusterOf) == Self.all(b.clusterOf) && Self.all(a.members) == Self.all(b.members))
        #expect(inputs.indices.allSatisfy { a.similarity(of: $0) == b.similarity(of: $0) })
    }

    private static func all(_ column: SpillingColumn<Int32>) -> [Int32] { Array(column.values(in: 0..<column.count)) }

    @Test("members gathered window by window, or a large cluster alone, are every cluster's members in order",
          arguments: [1, 2, 3, 7, 50, 1 << 21])
    func membersByWindow(windowMembers: Int) {
        // Clusters of 1 to 40 members (and one of 300) spread over 3,000 paragraphs; the rest alone.
        var rng = SplitMix64(seed: 0xC1_057E_25)
        let n = 3_000
        var clusterOf = [Int32](repeating: -1, count: n)
        var clusters = 0
        var free = Array(0..<n)
        while free.count > 400 {
            let size = clusters == 5 ? 300 : 2 + Int(rng.next() % 39)
            for _ in 0..<size { clusterOf[free.remove(at: Int(rng.next() % UInt64(free.count)))] = Int32(clusters) }
            clusters += 1
        }
        var column = SpillingColumn<Int32>(prefix: "recur-test", residentCount: 100, valuesPerWrite: 7)
        for c in clusterOf { column.append(c) }
        var expected = [[Int32]](repeating: [], count: clusters)
        for (id, c) in clusterOf.enumerated() where c >= 0 { expected[Int(c)].append(Int32(id)) }
        var memberStart: [Int32] = [0]
        for members in expected { memberStart.append(memberStart.last! + Int32(members.count)) }
        let members = DedupEngine.members(
            clusterOf: column, memberStart: memberStart,
            into: SpillingColumn(prefix: "recur-test", residentCount: 50, valuesPerWrite: 7), windowMembers: windowMembers)
        #expect(members.countInFile > 0)
        #expect(Self.all(members) == expected.flatMap { $0 })
    }

    @Test("earlier keys read by the caller's handles give the same result as read by paragraph id",
          arguments: [1, 2])
    func keysByHandle(threads: Int) {
        let inputs = Self.inputs(count: 6000)
        let keys = inputs.map { Array($0.key.utf8) }
        // A handle that is not the id: the id scrambled, taken apart again when a key is read.
        var handled = inputs
        for i in handled.indices { handled[i].keyHandle = UInt64(i) &* 0x9E37_79B9 ^ 0x5A5A }
        var reads = 0
        let byID = ParagraphDeduplicator(keyBytesOf: { $1.append(contentsOf: keys[$0]) }, threads: threads)
        let byHandle = ParagraphDeduplicator(keyBytesAt: { handle, bytes in
            let id = Int((handle ^ 0x5A5A) / 0x9E37_79B9)
            bytes.append(contentsOf: keys[id])
        }, threads: threads)
        let counting = ParagraphDeduplicator(keyBytesAt: { handle, bytes in
            reads += 1
            bytes.append(contentsOf: keys[Int((handle ^ 0x5A5A) / 0x9E37_79B9)])
        })
        for (input, withHandle) in zip(inputs, handled) {
            byID.add(input)
            byHandle.add(withHandle)
            counting.add(withHandle)
        }
        let a = byID.finish(), b = byHandle.finish(), c = counting.finish()
        #expect(reads > 100)
        #expect(a.counts.near > 50 && a.counts.exact > 50)
        #expect(a.counts == b.counts && a.counts == c.counts)
        #expect(a.code == b.code && Self.all(a.clusterOf) == Self.all(b.clusterOf) && Self.all(a.members) == Self.all(b.members))
        #expect(inputs.indices.allSatisfy { a.similarity(of: $0) == b.similarity(of: $0) })
    }

    @Test("tiny candidate caches, evicted and re-read all the time, give the same result as the standard ones",
          arguments: [(2, 64), (4, 700), (1, 1)])
    func candidateCachesDoNotDecide(slots: Int, capacity: Int) {
        // Templated Russian and Japanese paragraphs: most new ones have several near candidates, and
        // a kept paragraph is a candidate again and again (the caches' case).
        let inputs = Self.inputs(count: 6000)
        let keys = inputs.map { Array($0.key.utf8) }
        let standard = ParagraphDeduplicator(keyBytesOf: { $1.append(contentsOf: keys[$0]) })
        let tiny = ParagraphDeduplicator(
            options: DedupOptions(), keyBytesOf: { $1.append(contentsOf: keys[$0]) },
            candidateCaches: (RingCache(slots: slots, capacity: capacity * 8, maxEntry: capacity),
                              RingCache(slots: slots, capacity: capacity * 8, maxEntry: capacity)))
        for input in inputs {
            standard.add(input)
            tiny.add(input)
        }
        let a = standard.finish(), b = tiny.finish()
        #expect(a.counts.near > 50)
        #expect(a.counts.candidatesVerified > 2 * a.counts.near)
        #expect(a.counts == b.counts)
        #expect((0..<inputs.count).allSatisfy { a.member($0) == b.member($0) })
    }

    @Test("near lookups batched over several threads decide exactly as on one thread: lookups extended with their batch's candidates, or made again when a cut list makes that inexact",
          arguments: [(threads: 2, maxCandidates: 256, singles: 8, callerKeys: true),
                      (threads: 3, maxCandidates: 5, singles: 2, callerKeys: true),
                      (threads: 2, maxCandidates: 256, singles: 0, callerKeys: false)])
    func threadsDoNotDecide(threads: Int, maxCandidates: Int, singles: Int, callerKeys: Bool) {
        // Templated paragraphs (Japanese ones around the shingle-size boundary among them): the
        // paragraphs kept early in a batch are candidates of later ones in the same batch.
        let inputs = Self.inputs(count: 6000)
        var options = DedupOptions()
        options.maxCandidates = maxCandidates
        options.singleBandCandidates = singles
        let keys = inputs.map { Array($0.key.utf8) }
        func deduplicator(threads: Int) -> ParagraphDeduplicator {
            callerKeys
                ? ParagraphDeduplicator(options: options, keyBytesOf: { $1.append(contentsOf: keys[$0]) }, threads: threads)
                : ParagraphDeduplicator(options: options, threads: threads)
        }
        let one = deduplicator(threads: 1), several = deduplicator(threads: threads)
        for input in inputs {
            one.add(input)
            several.add(input)
        }
        #expect(several.count == inputs.count)
        let a = one.finish(), b = several.finish()
        #expect(a.counts.near > 50)
        #expect(a.counts == b.counts)  // candidates verified and accepted included
        #expect((0..<inputs.count).allSatisfy { a.member($0) == b.member($0) })
        #expect(a.clusters.map(\.keptID) == b.clusters.map(\.keptID))
        #expect(one.lookupsExtended == 0 && one.lookupsRepeated == 0)
        // The threads share the caches' budget out rather than multiplying it.
        let keyCache = RingCache<UInt8>.candidateKeys(), shared = keyCache.share(of: threads)
        #expect(shared.capacity * threads <= keyCache.capacity && shared.slots * threads <= keyCache.slots)
        #expect(several.lookupsExtended > 0)
        if maxCandidates < 10 { #expect(several.lookupsRepeated > 0) }
    }

    @Test("a batch's band tags match exactly the keys the band index matches: same band, same 31 tag bits")
    func batchBandTags() {
        var tags = BatchBandTags(entries: 4)
        let kept: [UInt64] = [0x1111_2222_3333_4444, 0x5555_6666_7777_8888]
        kept.withUnsafeBufferPointer { tags.insert($0) }
        func matches(_ keys: [UInt64]) -> Bool { keys.withUnsafeBufferPointer { tags.containsAny($0) } }
        #expect(matches([0x1111_2222_3333_4444, 0]))
        #expect(matches([0, 0x5555_6666_7777_8888]))
        #expect(!matches([0x5555_6666_7777_8888, 0x1111_2222_3333_4444]))  // the same keys in other bands
        #expect(matches([0xFFFF_FFFF_3333_4444, 0]))  // the band index keeps 31 bits of the low word: a match there too
        #expect(matches([0x1111_2222_3333_4445, 0]))  // bit 0 is not among them
        #expect(!matches([0x1111_2222_3333_4446, 0]))
        // Grown past its first size, then emptied.
        for k in 0..<200 { [UInt64(k) << 1 | 0x100_0000, 0].withUnsafeBufferPointer { tags.insert($0) } }
        #expect((0..<200).allSatisfy { matches([UInt64($0) << 1 | 0x100_0000, 1]) })
        tags.removeAll()
        #expect(tags.isEmpty && !matches([0x1111_2222_3333_4444, 0]))
    }

    @Test("the key cache grows with the archive's paragraph count (to 32 MB), and the result stays the same")
    func candidateCachesSizedByArchive() {
        #expect(RingCache<UInt8>.candidateKeys(forParagraphs: 5_120_753).capacity == 16 << 20)
        #expect(RingCache<UInt8>.candidateKeys(forParagraphs: 12_000_000).capacity == 32 << 20)
        #expect(RingCache<UInt8>.candidateKeys(forParagraphs: 19_931_304).capacity == 32 << 20)
        let inputs = Self.inputs(count: 3000)
        let keys = inputs.map { Array($0.key.utf8) }
        let standard = ParagraphDeduplicator(keyBytesOf: { $1.append(contentsOf: keys[$0]) })
        let large = ParagraphDeduplicator(keyBytesOf: { $1.append(contentsOf: keys[$0]) }, paragraphs: 20_000_000)
        for input in inputs {
            standard.add(input)
            large.add(input)
        }
        let a = standard.finish(), b = large.finish()
        #expect(a.counts.near > 20)
        #expect(a.counts == b.counts)
        #expect((0..<inputs.count).allSatisfy { a.member($0) == b.member($0) })
    }

    @Test("duplicates.csv reports its rows as it goes: from 0, rising, ending at rowCount, one per line")
    func rowsWritten() throws {
        let inputs = Self.inputs(count: 9000)
        let result = Self.run(inputs, callerKeys: false)
        var reported: [Int] = []
        var bytes: [UInt8] = []
        DuplicatesCSV.render(result: result, documentAndText: { ("doc-\($0)", inputs[$0].key) },
                             emit: { bytes += $0 }, rowsWritten: { reported.append($0) })
        let lines = bytes.split(separator: 0x0A).count - 1  // the header apart (no cell has a line break)
        #expect(reported.first == 0)
        #expect(reported.count > 2)
        #expect(zip(reported, reported.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(reported.last == DuplicatesCSV.rowCount(result))
        #expect(lines == DuplicatesCSV.rowCount(result))
        #expect(result.counts.boilerplateKept > 0)
    }

    @Test("duplicates.csv formatted by several tasks is the same file, progress rising to rowCount",
          arguments: [(2, 4096), (3, 7), (8, 1), (2, 100)])
    func parallelRows(jobs: Int, membersPerSpan: Int) async throws {
        let inputs = Self.inputs(count: 9000)
        let result = Self.run(inputs, callerKeys: false)
        let keys = inputs.map(\.key)
        for bom in [false, true] {
            var sequential: [UInt8] = []
            DuplicatesCSV.render(result: result, bom: bom, documentAndText: { ("doc-\($0)", keys[$0]) }, emit: { sequential += $0 })
            var parallel: [UInt8] = []
            var reported: [Int] = []
            try await DuplicatesCSV.render(
                result: result, bom: bom, jobs: jobs, membersPerSpan: membersPerSpan, documentAndText: { ("doc-\($0)", keys[$0]) },
                emit: { parallel += $0 }, rowsWritten: { reported.append($0) })
            #expect(parallel == sequential)
            #expect(reported.first == 0)
            #expect(zip(reported, reported.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(reported.last == DuplicatesCSV.rowCount(result))
        }
    }

    @Test("row spans cover every member once, in order, none longer than asked", arguments: [1, 7, 100, 4096])
    func rowSpans(membersPerSpan: Int) {
        let result = Self.run(Self.inputs(count: 9000), callerKeys: false)
        let spans = DuplicatesCSV.rowSpans(result, membersPerSpan: membersPerSpan)
        var covered: [(Int, Int)] = []
        for span in spans {
            var count = 0
            for c in span.startCluster...span.lastCluster {
                let lo = c == span.startCluster ? span.startMember : 0
                let hi = c == span.lastCluster ? span.endMember : result.clusters[c].size
                for m in lo..<hi { covered.append((c, m)) }
                count += hi - lo
            }
            #expect(count >= 1 && count <= membersPerSpan)
        }
        let expected = result.clusters.indices.flatMap { c in (0..<result.clusters[c].size).map { (c, $0) } }
        #expect(covered.count == expected.count)
        #expect(zip(covered, expected).allSatisfy { $0 == $1 })
        // A large cluster is cut: with small spans there are more spans than clusters.
        if membersPerSpan <= 7 { #expect(spans.count > result.clusters.count) }
    }

    @Test("the candidate similarity histogram counts every candidate verified and changes no decision")
    func similarityHistogram() {
        let inputs = Self.inputs(count: 4000)
        let keys = inputs.map(\.key)
        let plain = Self.run(inputs, callerKeys: true)
        let observed = ParagraphDeduplicator(keyOf: { keys[$0] })
        observed.candidateSimilarityHistogram = [Int](repeating: 0, count: 20)
        for input in inputs { observed.add(input) }
        let histogram = observed.candidateSimilarityHistogram ?? []
        let result = observed.finish()
        #expect(result.counts == plain.counts)
        for id in 0..<inputs.count { #expect(result.member(id) == plain.member(id)) }
        #expect(histogram.reduce(0, +) == result.counts.candidatesVerified)
        // Near duplicates were accepted, so some candidates were at or above the 0.8 threshold.
        #expect(result.counts.candidatesAccepted > 0)
        #expect(histogram[16...].reduce(0, +) >= result.counts.candidatesAccepted)
    }

    @Test("a hash collision never merges different keys, with caller-held keys")
    func collisions() {
        let inputs = Self.inputs(count: 400)
        let a = Self.run(inputs, callerKeys: true, keyHash: { _ in 7 })
        let b = Self.run(inputs, callerKeys: false)
        #expect(a.counts == b.counts)
        for id in 0..<inputs.count { #expect(a.member(id) == b.member(id)) }
    }
}

@Suite("Snippets (DuplicatesCSV.oneLine)")
struct SnippetTests {
    /// Scalars that stand alone, white space of both kinds, and scalars that join their neighbours
    /// (combining marks, ZWJ, emoji and modifiers, Hangul jamo, CR LF, regional indicators).
    static let pool: [String] = [
        "a", "Z", "é", "ж", "Ё", "ä", "の", "カ", "漢", "ｶ", "！", "—", "…", "1", ".",
        " ", "\t", "\n", "\r\n", "\u{00A0}", "\u{3000}", "\u{2003}", "\u{2028}",
        "\u{0301}", "\u{0308}", "\u{3099}", "\u{FF9E}", "\u{200D}", "👍", "\u{1F3FD}", "ᄀ", "ᅡ", "\u{1F1EB}", "\u{1F1EE}", "\u{0483}", "\u{302A}",
    ]

    /// Mostly single-scalar text (the first 23 of `pool`), with about `joiningPercent` % picks from
    /// the whole pool, joining scalars included, as in real archives.
    static func randomText(_ generator: inout SplitMix64, maxLength: UInt64, joiningPercent: Int) -> String {
        let length = Int(generator.next() % maxLength)
        return (0..<length).map { _ in
            let pick = Int(generator.next() % 100)
            return pick >= joiningPercent ? pool[pick % 23] : pool[Int(generator.next() % UInt64(pool.count))]
        }.joined()
    }

    @Test("the UTF-8 fast path gives what the character-by-character path gives", arguments: [1, 2, 5, 40, 160])
    func fastPathMatchesCharacters(limit: Int) {
        var generator = SplitMix64(seed: UInt64(limit))
        for _ in 0..<3000 {
            let text = Self.randomText(&generator, maxLength: 60, joiningPercent: 10)
            #expect(DuplicatesCSV.oneLine(text, limit: limit) == DuplicatesCSV.oneLineByCharacters(text, limit: limit), "\(Array(text.unicodeScalars))")
        }
    }

    @Test("theme snippets: the UTF-8 fast path gives what the character path gives")
    func themeSnippetFastPath() {
        var generator = SplitMix64(seed: 99)
        for _ in 0..<2000 {
            let text = Self.randomText(&generator, maxLength: 400, joiningPercent: 5)
            #expect(ThemeExtractor.snippet(text) == ThemeExtractor.snippetByCharacters(text), "\(Array(text.unicodeScalars))")
        }
    }

    @Test func collapsesAndCuts() {
        #expect(DuplicatesCSV.oneLine("  Привет,\n\n  мир\t!  ", limit: 80) == "Привет, мир !")
        #expect(DuplicatesCSV.oneLine("abc def", limit: 4) == "abc")
        #expect(DuplicatesCSV.oneLine("e\u{0301}e\u{0301}e\u{0301}", limit: 2) == "e\u{0301}e\u{0301}")
    }
}

