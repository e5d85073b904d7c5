import RecurKit
import Testing

/// Time framing, request wording and names recur in every archive; they are not what clients ask for.
@Suite("Generic phrases are not themes")
struct GenericPhraseTests {
    @Test func timeFramingRequestWordingAndNamesAreNotThemes() throws {
        let analyzer = try TextAnalyzer()
        var extractor = ThemeExtractor(options: ThemeOptions())
        let names = ["Марина", "Николай", "Ксения", "Ольга", "Денис", "Анна"]
        for i in 0..<6 {
            let text = "Руководство просит в ближайшее время подключить сквозную аналитику. Пишите Марине. "
                + "По срочным вопросам обращайтесь к коллеге (\(names[i]))."
            extractor.add(ThemeParagraph(doc: "mail/\(i).eml", paragraph: 0, source: "client\(i).ru", date: DocumentDate(year: 2024, month: 1 + 2 * i, day: 5),
                                         lang: .ru, text: text, terms: analyzer.terms(text, language: .ru)))
        }
        let report = extractor.finish()
        let labels = report.themes.map(\.label)
        let keys = Set(report.themes.flatMap { $0.phrases.flatMap(\.keys) })
        #expect(report.themes.first?.label.lowercased().contains("аналитик") == true, "\(labels)")
        // "ближайшее время" and "Руководство" alone are not themes: no theme is made only of such words.
        let generic: Set<String> = ["врем", "ближайш", "руководств"]
        #expect(!report.themes.contains { $0.phrases.contains { Set($0.keys).isSubset(of: generic) } }, "\(labels)")
        #expect(!keys.contains("марин"), "\(labels)")
        #expect(!keys.contains("николай") && !keys.contains("ксен"), "\(labels)")
    }
}
