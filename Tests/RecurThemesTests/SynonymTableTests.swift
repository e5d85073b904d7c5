import RecurKit
import Testing

@Suite("Synonyms (--synonyms)")
struct SynonymTableTests {
    let analyzer = try! TextAnalyzer()

    func table(_ text: String) throws -> SynonymTable {
        let groups = try SynonymTable.parse(text, path: "synonyms.txt")
        return SynonymTable(groups: groups, analyzer: analyzer)
    }

    @Test func parsesGroupsSkippingCommentsAndBlankLines() throws {
        let groups = try SynonymTable.parse("# ROI words\nокупаемость | ROMI | ROI\n\n  CRM|Salesforce  # systems\n", path: "s.txt")
        #expect(groups == [["окупаемость", "ROMI", "ROI"], ["CRM", "Salesforce"]])
    }

    @Test func aGroupOfOneIsAnErrorNamingFileAndLine() {
        #expect {
            try SynonymTable.parse("окупаемость | ROMI\nSalesforce\n", path: "s.txt")
        } throws: { error in
            (error as? RecurError)?.line == 2 && (error as? RecurError)?.path == "s.txt" && (error as? RecurError)?.code == .usage
        }
    }

    @Test("every inflected form of a variant becomes the group's first word")
    func replacesInflectedVariants() throws {
        let table = try table("окупаемость | ROMI\nсквозная аналитика | Roistat\n")
        let terms = analyzer.terms("Нужен расчёт ROMI и сквозной аналитики, а не окупаемости.", language: .ru)
        let replaced = table.apply(terms, language: .ru)
        let payback = analyzer.terms("окупаемость", language: .ru)[0].key
        #expect(replaced.filter { $0.key == payback }.map(\.surface) == ["ROMI", "окупаемости"])
        // a variant of several words becomes one term, with its surface kept
        let analytics = analyzer.terms("сквозная аналитика", language: .ru).map(\.key).joined(separator: " ")
        #expect(replaced.contains { $0.key == analytics && $0.surface == "сквозной аналитики" })
        #expect(replaced.count == terms.count - 1)
    }

    @Test("Japanese variants of several tokens are matched and joined without spaces")
    func japanese() throws {
        let table = try table("CRM | 顧客管理システム\n")
        let terms = analyzer.terms("顧客管理システムとの連携をお願いします。", language: .ja)
        let replaced = table.apply(terms, language: .ja)
        #expect(replaced.first?.key == "crm")
        #expect(replaced.first?.surface == "顧客管理システム")
    }

    @Test func noTableChangesNothing() {
        let terms = analyzer.terms("Нужен расчёт ROMI.", language: .ru)
        #expect(SynonymTable().apply(terms, language: .ru) == terms)
    }

    @Test("two themes named differently become one")
    func mergesThemes() throws {
        var options = ThemeOptions()
        options.synonyms = try table("окупаемость | ROMI\n")
        let texts = ["Хотим посчитать ROMI по каналам.", "Нужен расчёт ROMI.", "Подскажите, как оценить окупаемость рекламы?",
                     "Хотим видеть окупаемость вложений.", "Нужна окупаемость по каждому каналу.", "Хотим расчёт ROMI к сезону."]
        func themes(_ options: ThemeOptions) -> [Theme] {
            var extractor = ThemeExtractor(options: options)
            for (i, text) in texts.enumerated() {
                extractor.add(ThemeParagraph(doc: "m/\(i).eml", paragraph: 0, source: "c\(i).ru", date: DocumentDate(year: 2024, month: 1 + 2 * i, day: 1),
                                             lang: .ru, text: text, terms: analyzer.terms(text, language: .ru)))
            }
            return extractor.finish().themes
        }
        let merged = themes(options).first { $0.phrases.contains { $0.keys.contains("romi") || $0.keys.contains("окупаем") } }
        #expect(merged?.documents == 6, "\(themes(options).map { "\($0.label) \($0.documents)" })")
        let separate = themes(ThemeOptions()).filter { $0.phrases.contains { $0.keys == ["romi"] || $0.keys == ["окупаем"] } }
        #expect(separate.count == 2, "\(separate.map(\.label))")
    }
}
