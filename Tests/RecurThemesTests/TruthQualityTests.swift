import Foundation
import RecurKit
import Testing

@Suite("Quality against a generated archive's truth")
struct TruthQualityTests {
    /// Truth for `ExtractionTests.crm`: one planted CRM theme with two episodes, and a planted theme
    /// whose documents recur never sees.
    static func truth(secondEpisodeStart: String) throws -> DemoTruth {
        let json = """
            {"documents": [], "duplicates": [], "themes": [
              {"id": "ru-crm", "lang": "ru", "label": "интеграция с CRM", "pattern": "recurring",
               "documents": ["mail/1.eml", "mail/2.eml", "mail/3.eml", "mail/4.eml", "mail/5.eml", "mail/6.eml"],
               "episodes": [{"start": "2024-01", "end": "2024-02", "sources": []},
                            {"start": "\(secondEpisodeStart)", "end": "2024-08", "sources": []}]},
              {"id": "ru-missing", "lang": "ru", "label": "x", "pattern": "steady",
               "documents": ["nowhere/1.eml", "nowhere/2.eml"], "episodes": [{"start": "2024-01", "end": "2024-12", "sources": []}]},
              {"id": "ru-once", "lang": "ru", "label": "y", "pattern": "one-off", "documents": ["mail/1.eml"], "episodes": []}
            ]}
            """
        return try JSONDecoder().decode(DemoTruth.self, from: Data(json.utf8))
    }

    @Test("a planted theme is matched with its purity, coverage and comeback; one-off themes are left out")
    func matches() throws {
        let report = try ExtractionTests.run(ExtractionTests.crm + ExtractionTests.chatter(8))
        let matches = TruthQuality.themeMatches(report, truth: try Self.truth(secondEpisodeStart: "2024-05"))
        #expect(matches.map(\.planted) == ["ru-crm", "ru-missing"])
        let crm = try #require(matches.first)
        #expect(crm.theme?.label.lowercased().hasPrefix("интеграц") == true)
        #expect(crm.purity == 1.0 && crm.coverage == 1.0)
        #expect(crm.comebackFound == true)
        #expect(matches[1].theme == nil && matches[1].comebackFound == nil)
        let rows = TruthQuality.themeRows(report, truth: try Self.truth(secondEpisodeStart: "2024-05"), measuredOn: "test")
        #expect(rows.first?.value == 0.5)
        #expect(rows.first?.passes == false)
    }

    @Test("a comeback that starts two periods away from the truth is not counted")
    func comebackTolerance() throws {
        let report = try ExtractionTests.run(ExtractionTests.crm)
        let early = TruthQuality.themeMatches(report, truth: try Self.truth(secondEpisodeStart: "2024-06"))
        #expect(early.first?.comebackFound == true)  // recur's second episode starts 2024-05: one period away
        let late = TruthQuality.themeMatches(report, truth: try Self.truth(secondEpisodeStart: "2024-07"))
        #expect(late.first?.comebackFound == false)
    }
}

// MARK: - Measures read from recur's output files

/// Reading recur's CSV and JSON-lines outputs back.
@Suite("Truth quality: reading recur's output files")
struct TruthQualityFileTests {
    @Test("BOM, CRLF, quoted commas, doubled quotes and line breaks inside quotes; lines counted from 1")
    func rfc4180() throws {
        let text = "\u{FEFF}theme_id,doc,paragraph\r\n\"a,1\",\"say \"\"hi\"\"\",0\r\nb,\"two\r\nlines\",1\r\nc,plain,2\r\n"
        let table = try RecurOutputs.Table(text: text, path: "m.csv", required: ["theme_id", "doc", "paragraph"])
        #expect(table.header == ["theme_id", "doc", "paragraph"])
        #expect(table.records.map(\.line) == [2, 3, 5])
        #expect(table.records.map { table.value($0, "theme_id") } == ["a,1", "b", "c"])
        #expect(table.records.map { table.value($0, "doc") } == ["say \"hi\"", "two\r\nlines", "plain"])
        #expect(try table.records.map { try table.int($0, "paragraph") } == [0, 1, 2])
        #expect(table.location(table.records[2]) == "m.csv:5")
    }

    @Test("columns are found by name; blank lines are skipped; a file without a final line break is read")
    func columnsByName() throws {
        let rows = try RecurOutputs.MentionRow.parse(csv: "paragraph,extra,doc,theme_id\n3,x,mail/1.eml,t1\n\n4,y,mail/2.eml,t2", path: "mentions.csv")
        #expect(rows == [RecurOutputs.MentionRow(themeID: "t1", doc: "mail/1.eml", paragraph: 3, location: "mentions.csv:2"),
                         RecurOutputs.MentionRow(themeID: "t2", doc: "mail/2.eml", paragraph: 4, location: "mentions.csv:4")])
    }

    @Test("the spreadsheet formula guard is taken off, other apostrophes stay")
    func formulaGuard() throws {
        let rows = try RecurOutputs.MentionRow.parse(csv: "theme_id,doc,paragraph\n'=t,'-notes.txt,0\n'quoted,it's,1\n")
        #expect(rows.map(\.themeID) == ["=t", "'quoted"])
        #expect(rows.map(\.doc) == ["-notes.txt", "it's"])
    }

    @Test("errors name the file and the line", arguments: [
        ("theme_id,doc,paragraph\nt,d,1\nt,d\n", "m.csv:3: 2 fields where the header has 3"),
        ("theme_id,doc,paragraph\nt,d,one\n", "m.csv:2: column paragraph holds \"one\", not a whole number"),
        ("theme_id,document,paragraph\n", "m.csv:1: the header lacks column doc"),
        ("theme_id,doc,paragraph\nt,\"open,1\n", "m.csv: line 2: a quoted field never closes"),
        ("", "m.csv: empty CSV file"),
    ])
    func errors(_ text: String, _ expected: String) {
        #expect {
            _ = try RecurOutputs.MentionRow.parse(csv: text, path: "m.csv")
        } throws: { error in
            String(describing: error).hasPrefix(expected)
        }
    }

    @Test("themes are ranked within their language in file order")
    func themeRanks() throws {
        let csv = "theme_id,label,lang,phrases,mentions\nr1,a,ru,a | b,3\nf1,c,fi,c,2\nr2,d,ru,d,1\n"
        let themes = try RecurOutputs.ThemeRow.parse(csv: csv)
        #expect(themes.map(\.rank) == [1, 1, 2])
        #expect(themes[0].phrases == ["a", "b"])
        #expect(throws: RecurError.self) { try RecurOutputs.ThemeRow.parse(csv: csv + "r1,again,ru,x,1\n") }
    }

    @Test("paragraph JSON lines: cluster_size optional, BOM and blank lines ignored, errors name the line")
    func paragraphs() throws {
        let text = "\u{FEFF}{\"doc\":\"a\",\"paragraph\":0,\"text\":\"x\",\"key\":\"x\",\"lang\":\"ru\",\"cluster_size\":3}\n\n"
            + "{\"doc\":\"b\",\"paragraph\":2,\"text\":\"y\",\"quote\":true}\n"
        let ps = try RecurOutputs.Paragraph.parse(jsonl: text)
        #expect(ps == [RecurOutputs.Paragraph(doc: "a", paragraph: 0, text: "x", key: "x", lang: "ru", clusterSize: 3),
                       RecurOutputs.Paragraph(doc: "b", paragraph: 2, text: "y")])
        #expect {
            _ = try RecurOutputs.Paragraph.parse(jsonl: text + "{\"doc\":\"c\",\"text\":\"z\"}\n", path: "all.jsonl")
        } throws: { error in
            String(describing: error).hasPrefix("all.jsonl:4: not a paragraph record: missing key \"paragraph\"")
        }
    }

    @Test("a truth file that does not decode says where")
    func truthErrors() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("truth-\(UInt32.random(in: 0...UInt32.max)).json").path
        try Data(#"{"documents": [], "duplicates": [], "themes": [{"id": "t", "lang": "ru", "label": "x", "pattern": "steady", "documents": [], "episodes": [{"end": "2024-01", "sources": []}]}]}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try DemoTruth.load(path: path)
        } throws: { error in
            String(describing: error) == "\(path): not a recur-corpus truth file: missing key \"start\" at themes[0].episodes[0]"
        }
        #expect(throws: RecurError.self) { try DemoTruth.load(path: path + ".missing") }
    }

    @Test("texts match with spaces collapsed and quote markers dropped, also from one-line snippets")
    func matchKeys() {
        #expect(TruthText.matchKey("> Voisitteko\n> lähettää  raportin?") == "Voisitteko lähettää raportin?")
        #expect(TruthText.matchKey("> > a > b") == "a b")
        #expect(TruthText.matchKey(">a\n>b") == "a b")
        #expect(TruthText.isQuoted("  > a") && !TruthText.isQuoted("a > b"))
        #expect(ThemeTruthQuality.monthIndex("2024-03") == 2024 * 12 + 2)
        #expect(ThemeTruthQuality.monthIndex("2024-W05") == nil && ThemeTruthQuality.monthIndex("2024-13") == nil
                && ThemeTruthQuality.monthIndex("2024-03-01") == nil)
    }
}

/// Duplicate precision and recall from `duplicates.csv` on a hand-made truth.
@Suite("Truth quality: duplicates from output files")
struct DedupTruthQualityTests {
    /// An edited copy longer than a snippet (its `duplicates.csv` snippet is cut at 80 characters).
    static let edited = "Сделайте, пожалуйста, отчёт по рекламе за март,\nи добавьте в него сравнение с февралём по всем каналам."

    /// Four truth clusters, one per kind, and one whose text recur splits (never located).
    static let truthJSON = #"""
        {"documents": [
           {"id": "m/1.eml", "date": "2024-01-01", "lang": "ru", "source": "a", "themes": []},
           {"id": "m/2.eml", "date": "2024-01-02", "lang": "ru", "source": "b", "themes": []},
           {"id": "m/3.eml", "date": "2024-01-03", "lang": "fi", "source": "c", "themes": []},
           {"id": "m/4.eml", "date": "2024-01-04", "lang": "ru", "source": "d", "themes": []}],
         "duplicates": [
           {"cluster": "c1", "kind": "exact", "members": [
              {"doc": "m/1.eml", "paragraph_text": "Нужна интеграция с CRM."},
              {"doc": "m/2.eml", "paragraph_text": "Нужна интеграция с CRM."},
              {"doc": "m/3.eml", "paragraph_text": "Нужна интеграция с CRM."}]},
           {"cluster": "c2", "kind": "near", "members": [
              {"doc": "m/1.eml", "paragraph_text": "Сделайте отчёт по рекламе за март."},
              {"doc": "m/2.eml", "paragraph_text": "Сделайте отчёт по рекламе за март."},
              {"doc": "m/4.eml", "paragraph_text": "\#(DedupTruthQualityTests.edited.replacingOccurrences(of: "\n", with: "\\n"))"}]},
           {"cluster": "c3", "kind": "quote", "members": [
              {"doc": "m/2.eml", "paragraph_text": "Voisitteko lähettää raportin?"},
              {"doc": "m/3.eml", "paragraph_text": "> Voisitteko lähettää raportin?"}]},
           {"cluster": "c4", "kind": "boilerplate", "members": [
              {"doc": "m/1.eml", "paragraph_text": "ООО «Ромашка»"}, {"doc": "m/2.eml", "paragraph_text": "ООО «Ромашка»"},
              {"doc": "m/3.eml", "paragraph_text": "ООО «Ромашка»"}, {"doc": "m/4.eml", "paragraph_text": "ООО «Ромашка»"}]},
           {"cluster": "c5", "kind": "exact", "members": [
              {"doc": "m/1.eml", "paragraph_text": "- один\n- два"}, {"doc": "m/2.eml", "paragraph_text": "- один\n- два"}]}],
         "themes": []}
        """#

    /// Every paragraph, as `recur normalize` lists them (README.md is outside the truth).
    static let all: [RecurOutputs.Paragraph] = [
        .init(doc: "m/1.eml", paragraph: 0, text: "Нужна интеграция с CRM."),
        .init(doc: "m/1.eml", paragraph: 1, text: "Сделайте отчёт по рекламе за март."),
        .init(doc: "m/1.eml", paragraph: 2, text: "ООО «Ромашка»"),
        .init(doc: "m/1.eml", paragraph: 3, text: "- один"),
        .init(doc: "m/1.eml", paragraph: 4, text: "- два"),
        .init(doc: "m/2.eml", paragraph: 0, text: "Нужна  интеграция с CRM."),
        .init(doc: "m/2.eml", paragraph: 1, text: "Сделайте отчёт по рекламе за март."),
        .init(doc: "m/2.eml", paragraph: 2, text: "Voisitteko lähettää raportin?"),
        .init(doc: "m/2.eml", paragraph: 3, text: "ООО «Ромашка»"),
        .init(doc: "m/2.eml", paragraph: 4, text: "Нужен лендинг для акции."),
        .init(doc: "m/3.eml", paragraph: 0, text: "Нужна интеграция с CRM."),
        .init(doc: "m/3.eml", paragraph: 1, text: "> Voisitteko lähettää\n> raportin?"),
        .init(doc: "m/3.eml", paragraph: 2, text: "ООО «Ромашка»"),
        .init(doc: "m/4.eml", paragraph: 0, text: edited),
        .init(doc: "m/4.eml", paragraph: 1, text: "ООО «Ромашка»"),
        .init(doc: "m/4.eml", paragraph: 2, text: "Нужен лендинг для акций."),
        .init(doc: "README.md", paragraph: 0, text: "readme"),
        .init(doc: "README.md", paragraph: 1, text: "readme"),
    ]

    /// recur's rows: c1 and c3 fully found; c2 found but its verbatim copy labelled near; c4 misses m/4#1;
    /// one wrong near pair (two different landing-page requests); one pair outside the truth.
    static let duplicatesCSV = """
        cluster_id,kind,similarity,kept_doc,kept_paragraph,doc,paragraph,lang,snippet
        c000001,exact,1.000,m/1.eml,0,m/2.eml,0,ru,Нужна интеграция с CRM.
        c000001,exact,1.000,m/1.eml,0,m/3.eml,0,ru,Нужна интеграция с CRM.
        c000002,near,1.000,m/1.eml,1,m/2.eml,1,ru,Сделайте отчёт по рекламе за март.
        c000002,near,0.833,m/1.eml,1,m/4.eml,0,ru,"\(DuplicatesCSV.oneLine(edited, limit: DuplicatesCSV.snippetLength))"
        c000003,quote,1.000,m/2.eml,2,m/3.eml,1,fi,> Voisitteko lähettää > raportin?
        c000004,boilerplate,1.000,m/1.eml,2,m/1.eml,2,ru,ООО «Ромашка»
        c000004,boilerplate,1.000,m/1.eml,2,m/2.eml,3,ru,ООО «Ромашка»
        c000004,boilerplate,1.000,m/1.eml,2,m/3.eml,2,ru,ООО «Ромашка»
        c000005,near,0.810,m/2.eml,4,m/4.eml,2,ru,Нужен лендинг для акций.
        c000006,exact,1.000,README.md,0,README.md,1,other,readme

        """

    static func report(paragraphs: [RecurOutputs.Paragraph] = all) throws -> DedupTruthQuality.Report {
        let truth = try JSONDecoder().decode(DemoTruth.self, from: Data(truthJSON.utf8))
        let rows = try RecurOutputs.DuplicateRow.parse(csv: duplicatesCSV)
        return DedupTruthQuality.measure(truth: truth, duplicatesCSV: rows, allParagraphs: paragraphs, measuredOn: "fixture")
    }

    static func value(_ report: DedupTruthQuality.Report, _ measure: String) -> QualityRow? {
        report.rows.first { $0.measure == measure }
    }

    @Test("precision and recall per kind, computed by hand")
    func figures() throws {
        let r = try Self.report()
        // exact: 2 rows in truth documents, both right (README pair left out); c1 2 of 2 repeats, c5 not located.
        let exactP = try #require(Self.value(r, "exact precision"))
        #expect(exactP.value == 1 && exactP.passes && exactP.bar == 1)
        #expect(r.precision.first { $0.kind == "exact" }?.outsideTruth == 1)
        #expect(Self.value(r, "exact recall")?.value == 1)
        // near: 3 rows, the landing-page pair is wrong → 2/3, below the 0.98 bar.
        let nearP = try #require(Self.value(r, "near precision"))
        #expect(abs(nearP.value - 2.0 / 3.0) < 1e-9)
        #expect(!nearP.passes && nearP.verdict == false && nearP.barText == "≥ 0.980")
        #expect(r.falsePositives.map(\.location) == ["duplicates.csv:10"])
        #expect(Self.value(r, "near recall")?.value == 1)
        // quote: 1 of 1. boilerplate: 3 located copies beyond the kept one, 2 found.
        #expect(Self.value(r, "quote precision")?.value == 1 && Self.value(r, "quote recall")?.value == 1)
        #expect(Self.value(r, "boilerplate precision")?.value == 1)
        #expect(abs((Self.value(r, "boilerplate recall")?.value ?? 0) - 2.0 / 3.0) < 1e-9)
        #expect(Self.value(r, "boilerplate recall")?.bar == nil && Self.value(r, "boilerplate recall")?.verdict == nil)
        #expect(r.misses.map(\.member.description) == ["m/4.eml#1"])
        #expect(r.misses.first?.keptInstead == nil)
        // Kind agreement: 7 right rows; the verbatim copy in the near cluster was labelled near, not exact.
        #expect(abs((Self.value(r, "kind agreement of correct duplicates")?.value ?? 0) - 6.0 / 7.0) < 1e-9)
        #expect(r.confusion["exact"]?["near"] == 1 && r.confusion["near"]?["near"] == 1 && r.confusion["quote"]?["quote"] == 1)
        // 14 truth members, c5's two not located (recur split the list).
        #expect(abs((Self.value(r, "truth duplicate members located in recur's paragraphs")?.value ?? 0) - 12.0 / 14.0) < 1e-9)
        let exactRecall = try #require(r.recall.first { $0.kind == "exact" })
        #expect(exactRecall.clusters == 2 && exactRecall.notLocated == 2 && exactRecall.repeats == 2 && exactRecall.found == 2)
    }

    @Test("with only the kept paragraphs, the set-aside ones are located by their snippets, same figures")
    func snippetsOnly() throws {
        let setAside = Set(try RecurOutputs.DuplicateRow.parse(csv: Self.duplicatesCSV).filter { !$0.isKeptRow }.map { "\($0.doc)#\($0.paragraph)" })
        let kept = Self.all.filter { !setAside.contains("\($0.doc)#\($0.paragraph)") }
        let full = try Self.report(), partial = try Self.report(paragraphs: kept)
        #expect(partial.locatedBySnippet == 7)
        #expect(DuplicatesCSV.oneLine(Self.edited, limit: DuplicatesCSV.snippetLength).count >= DuplicatesCSV.snippetLength - 1)  // one prefix match
        #expect(partial.rows.map(\.value) == full.rows.map(\.value))
    }

    @Test("recall does not depend on which member recur keeps")
    func otherRepresentative() throws {
        let truth = try JSONDecoder().decode(DemoTruth.self, from: Data(Self.truthJSON.utf8))
        // c1 kept in m/3 instead of m/1: still 2 of 2.
        let rows = [RecurOutputs.DuplicateRow(clusterID: "x", kind: "exact", keptDoc: "m/3.eml", keptParagraph: 0, doc: "m/1.eml", paragraph: 0),
                    RecurOutputs.DuplicateRow(clusterID: "x", kind: "exact", keptDoc: "m/3.eml", keptParagraph: 0, doc: "m/2.eml", paragraph: 0)]
        let r = DedupTruthQuality.measure(truth: truth, duplicatesCSV: rows, allParagraphs: Self.all)
        #expect(r.recall.first { $0.kind == "exact" }?.found == 2)
        #expect(Self.value(r, "exact recall")?.passes == true)
        // Nothing set aside in c2: two misses, recall 0 against a 0.95 bar.
        let near = try #require(Self.value(r, "near recall"))
        #expect(near.value == 0 && !near.passes)
        #expect(Self.value(r, "near precision")?.value == 1)  // no near rows at all
    }
}

/// Theme recall, purity, comebacks and junk from `themes.csv`, `mentions.csv` and `episodes.csv`.
@Suite("Truth quality: themes from output files")
struct ThemeTruthQualityTests {
    static let truthJSON = #"""
        {"documents": [], "duplicates": [
           {"cluster": "c1", "kind": "boilerplate", "members": [
              {"doc": "x4", "paragraph_text": "ООО «Ромашка», Москва"}, {"doc": "x5", "paragraph_text": "ООО «Ромашка»,\nМосква"}]}],
         "themes": [
           {"id": "t-crm", "lang": "ru", "label": "интеграция с CRM", "pattern": "recurring", "documents": ["r1", "r2", "r3", "r4", "r5"],
            "episodes": [{"start": "2024-01", "end": "2024-01", "sources": []}, {"start": "2024-05", "end": "2024-05", "sources": []},
                         {"start": "2024-09", "end": "2024-10", "sources": []}]},
           {"id": "t-analytics", "lang": "ru", "label": "сквозная аналитика", "pattern": "rising", "documents": ["a1", "a2", "a3", "a4"],
            "episodes": [{"start": "2024-02", "end": "2024-12", "sources": []}]},
           {"id": "t-budget", "lang": "ru", "label": "экономия бюджета", "pattern": "fading", "documents": ["b1", "b2", "b3"],
            "episodes": [{"start": "2024-01", "end": "2024-02", "sources": []}, {"start": "2024-06", "end": "2024-06", "sources": []}]},
           {"id": "t-once", "lang": "ru", "label": "x", "pattern": "one-off", "documents": ["o1"], "episodes": [{"start": "2024-03", "end": "2024-03", "sources": []}]},
           {"id": "t-fi", "lang": "fi", "label": "verkkokauppa", "pattern": "steady", "documents": ["f1", "f2"],
            "episodes": [{"start": "2024-01", "end": "2024-12", "sources": []}]}]}
        """#

    static let themesCSV = """
        theme_id,label,lang,phrases,mentions,documents
        ru-hello,Здравствуйте,ru,Здравствуйте,3,3
        ru-crm,интеграция с CRM,ru,интеграция с CRM | интеграции с CRM,4,4
        ru-an,сквозная аналитика,ru,сквозная аналитика,3,3
        ru-bud,экономия бюджета,ru,экономия бюджета,3,3
        ru-foot,Ромашка,ru,Ромашка,2,2
        ru-crm2,CRM,ru,CRM,4,4
        fi-thanks,Kiitos paljon,fi,Kiitos paljon,1,1
        ja-please,お願いします,ja,お願いします,1,1
        ja-crm,CRMとの連携,ja,CRMとの連携,1,1

        """

    static let mentionsCSV = """
        theme_id,doc,paragraph,date,source,phrase
        ru-hello,r1,0,,,Здравствуйте
        ru-hello,x1,0,,,Здравствуйте
        ru-hello,x2,0,,,Здравствуйте
        ru-crm,r1,1,,,интеграция с CRM
        ru-crm,r2,1,,,интеграция с CRM
        ru-crm,r3,1,,,интеграции с CRM
        ru-crm,r4,1,,,интеграцию с CRM
        ru-an,a1,1,,,сквозная аналитика
        ru-an,a2,1,,,сквозная аналитика
        ru-an,x3,1,,,сквозная аналитика
        ru-bud,b1,1,,,экономия бюджета
        ru-bud,b2,1,,,экономия бюджета
        ru-bud,b3,1,,,экономия бюджета
        ru-foot,x4,3,,,Ромашка
        ru-foot,x5,2,,,Ромашка
        ru-crm2,r1,1,,,CRM
        ru-crm2,r2,1,,,CRM
        ru-crm2,r3,1,,,CRM
        ru-crm2,r4,1,,,CRM
        fi-thanks,f9,0,,,Kiitos paljon
        ja-please,j1,0,,,お願いします
        ja-crm,j2,0,,,CRMとの連携

        """

    static func episodesCSV(budgetComeback: String) -> String {
        """
        theme_id,episode,start,end,documents,sources,new_sources,gap_before
        ru-crm,1,2024-01,2024-01,1,1,,0
        ru-crm,2,2024-06,2024-06,1,1,,3
        ru-crm,3,2024-09,2024-09,2,2,,2
        ru-bud,1,2024-01,2024-02,2,1,,0
        ru-bud,2,\(budgetComeback),\(budgetComeback),1,1,,3
        ru-an,1,2024-02,2024-12,3,3,,0

        """
    }

    static let paragraphs: [RecurOutputs.Paragraph] = [
        .init(doc: "x4", paragraph: 3, text: "ООО «Ромашка», Москва"),
        .init(doc: "x5", paragraph: 2, text: "ООО «Ромашка», Москва"),
    ]

    static func report(budgetComeback: String = "2024-08", top: Int = 20, paragraphs: [RecurOutputs.Paragraph] = paragraphs) throws -> ThemeTruthQuality.Report {
        try ThemeTruthQuality.measure(
            truth: try JSONDecoder().decode(DemoTruth.self, from: Data(truthJSON.utf8)),
            themesCSV: try RecurOutputs.ThemeRow.parse(csv: themesCSV), mentionsCSV: try RecurOutputs.MentionRow.parse(csv: mentionsCSV),
            episodesCSV: try RecurOutputs.EpisodeRow.parse(csv: episodesCSV(budgetComeback: budgetComeback)),
            paragraphs: paragraphs, top: top, measuredOn: "fixture")
    }

    @Test("matches, purity and coverage computed by hand; recall below the bar")
    func matches() throws {
        let r = try Self.report()
        #expect(r.matches.map(\.planted) == ["t-crm", "t-analytics", "t-budget", "t-fi"])  // one-off left out
        let crm = r.matches[0]
        #expect(crm.themeID == "ru-crm" && crm.rank == 2)  // ru-crm2 has the same overlap but a worse rank
        #expect(crm.purity == 1 && crm.coverage == 0.8 && crm.found)
        let analytics = r.matches[1]
        #expect(analytics.themeID == "ru-an" && abs(analytics.purity - 2.0 / 3.0) < 1e-9 && analytics.coverage == 0.5 && !analytics.found)
        #expect(r.matches[2].themeID == "ru-bud" && r.matches[2].found)
        #expect(r.matches[3].themeID == nil && !r.matches[3].found && r.matches[3].comebackFound == nil)
        let recall = try #require(r.rows.first { $0.measure.hasPrefix("theme recall") })
        #expect(recall.value == 0.5 && !recall.passes && recall.bar == 0.9)
        let purity = try #require(r.rows.first { $0.measure.hasPrefix("mean document purity") })
        #expect(abs(purity.value - (1 + 2.0 / 3.0 + 1) / 3) < 1e-9 && purity.verdict == nil)
        let coverage = try #require(r.rows.first { $0.measure.hasPrefix("mean coverage") })
        #expect(abs(coverage.value - (0.8 + 0.5 + 1) / 3) < 1e-9)
    }

    @Test("a comeback counts when every truth episode start has a recur start within one month")
    func comebacks() throws {
        let late = try Self.report(budgetComeback: "2024-08")  // truth 2024-06: two months off
        #expect(late.matches[0].comebackFound == true)  // 2024-05 vs 2024-06: one month off
        #expect(late.matches[2].episodesAligned == false && late.matches[2].comebackFound == false)
        #expect(late.rows.first { $0.measure.hasPrefix("comebacks") }?.value == 0.5)
        let close = try Self.report(budgetComeback: "2024-07")
        #expect(close.matches[2].comebackFound == true)
        let row = try #require(close.rows.first { $0.measure.hasPrefix("comebacks") })
        #expect(row.value == 1 && row.passes)
    }

    @Test("only the top themes of a language count")
    func topLimit() throws {
        let r = try Self.report(top: 3)
        #expect(r.matches[2].themeID == nil)  // ru-bud is ranked 4th
        #expect(r.matches[0].themeID == "ru-crm")
    }

    @Test("labels of courtesy words or request cues, and themes mentioned mostly in boilerplate, are junk")
    func junk() throws {
        let r = try Self.report()
        #expect(r.junk.map(\.themeID) == ["ru-hello", "ru-foot", "fi-thanks", "ja-please"])
        #expect(r.junk.first { $0.themeID == "ru-foot" }?.reasons == ["2 of 2 mentions in truth boilerplate"])
        let row = try #require(r.rows.last)
        #expect(row.value == 5.0 / 9.0 && !row.passes)
        // Without paragraph texts the boilerplate part is skipped and said so.
        let noTexts = try Self.report(paragraphs: [])
        #expect(noTexts.junk.map(\.themeID) == ["ru-hello", "fi-thanks", "ja-please"])
        #expect(noTexts.rows.last?.measuredOn.contains("boilerplate check skipped") == true)
    }

    @Test("episodes in weeks cannot be compared with the truth's months")
    func weeks() throws {
        #expect {
            _ = try ThemeTruthQuality.measure(
                truth: try JSONDecoder().decode(DemoTruth.self, from: Data(Self.truthJSON.utf8)),
                themesCSV: try RecurOutputs.ThemeRow.parse(csv: Self.themesCSV), mentionsCSV: [],
                episodesCSV: try RecurOutputs.EpisodeRow.parse(csv: "theme_id,episode,start,end\nru-crm,1,2024-W05,2024-W09\n"))
        } throws: { error in
            String(describing: error).hasPrefix("episodes.csv:2: episode start \"2024-W05\" is not a month")
        }
    }
}

/// Measures a real `recur analyze` output folder when asked to, and prints the figures:
/// `RECUR_TRUTH_OUTPUT=/tmp/q-demo RECUR_TRUTH_JSON=corpora/demo/truth.json RECUR_TRUTH_ALL=/tmp/q-all.jsonl swift test --filter TruthQualityOnOutputs`.
@Suite("Truth quality on an analyze output folder (RECUR_TRUTH_OUTPUT)")
struct TruthQualityOnOutputs {
    static let environment = ProcessInfo.processInfo.environment

    @Test(.enabled(if: environment["RECUR_TRUTH_OUTPUT"] != nil))
    func printFigures() throws {
        let output = try #require(Self.environment["RECUR_TRUTH_OUTPUT"])
        let truthPath = Self.environment["RECUR_TRUTH_JSON"] ?? "corpora/demo/truth.json"
        let dedup = try DedupTruthQuality.measure(truthPath: truthPath, outputDirectory: output, allParagraphsPath: Self.environment["RECUR_TRUTH_ALL"])
        let themes = try ThemeTruthQuality.measure(truthPath: truthPath, outputDirectory: output)
        var out = QualityTable.markdown(dedup.rows + themes.rows, skipped: []) + "\n" + themes.matchesMarkdown
        out += "\nconfusion (expected kind → recur kind): \(dedup.confusion.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.sorted { $0.key < $1.key })" })\n"
        out += "false positives: \(dedup.falsePositives.count)\n"
        for row in DedupTruthQuality.kinds.flatMap({ k in dedup.falsePositives.filter { $0.kind == k }.prefix(12) }) { out += "  \(row.kind) \(row.similarity) \(row.keptDoc)#\(row.keptParagraph) ← \(row.doc)#\(row.paragraph): \(row.snippet)\n" }
        out += "misses: \(dedup.misses.count)\n"
        for m in dedup.misses.prefix(60) { out += "  \(m.kind) \(m.cluster) \(m.member) → \(m.keptInstead?.description ?? "kept") \(m.similarity.map(DuplicatesCSV.fixed3) ?? ""): \(DuplicatesCSV.oneLine(m.text, limit: 80))\n" }
        out += "junk: \(themes.junk.map { "\($0.lang) #\($0.rank) \($0.label): \($0.reasons.joined(separator: "; "))" })\n"
        if let path = Self.environment["RECUR_TRUTH_REPORT"] { try Data(out.utf8).write(to: URL(fileURLWithPath: path)) } else { print(out) }
    }
}
