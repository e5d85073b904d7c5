@testable import RecurKit
import Testing

@Suite("Form fields and forwarded headers")
struct FieldLabelTests {
    @Test("labels are the one- or two-word prefixes before a colon", arguments: [
        ("Nimi: Anna Virtanen\nSähköposti: anna@example.fi\nViesti: Haluaisimme CRM-integraation.", ["nimi", "sähköposti", "viesti"]),
        ("Lähettäjä: Riikka Mäkinen <riikka@kotileipomo-ruis.fi>\nPäivämäärä: 10.12.2024 16:17\nAihe: Kampanjoiden tulokset", ["lähettäjä", "päivämäärä", "aihe"]),
        ("名前：山田太郎\n会社名：山田商事", ["名前", "会社名"]),
        ("- Контактное лицо: Ксения", ["контактноелицо"]),
        ("Встреча 12.05: обсудили отчёт", []),
        ("Начало в 10:15, не опаздывайте.", []),
        ("Хотим обсудить интеграцию с CRM: что для этого нужно?", []),
    ])
    func labels(text: String, expected: [String]) {
        #expect(FieldLabels.labels(in: text) == expected)
    }

    @Test func maskCoversTheLabelsTermsOnly() {
        let surfaces = ["Контактное", "лицо", "Ксения", "контактное", "обсуждение"]
        #expect(FieldLabels.mask(surfaces: surfaces, labels: ["контактноелицо"]) == [true, true, false, false, false])
        #expect(FieldLabels.mask(surfaces: ["会社", "名", "山田", "商事"], labels: ["会社名"]) == [true, true, false, false])
    }

    @Test("a form's field labels never become a theme")
    func formLabelsAreNotThemes() throws {
        let analyzer = try TextAnalyzer()
        var extractor = ThemeExtractor(options: ThemeOptions())
        let names = ["Anna", "Mikko", "Liisa", "Pekka", "Sari", "Jussi"]
        for (i, name) in names.enumerated() {
            let text = "Nimi: \(name) Virtanen\nYritys: Asiakas \(i) Oy\nViesti: Haluaisimme mainoskampanjan ensi kuussa."
            extractor.add(ThemeParagraph(doc: "forms/\(i).html", paragraph: 0, source: "client\(i).fi", date: day(2024, 1 + i, 3),
                                         lang: .fi, text: text, terms: analyzer.terms(text, language: .fi)))
        }
        let report = extractor.finish()
        let keys = Set(report.themes.flatMap { $0.phrases.flatMap(\.keys) })
        #expect(!keys.contains("nimi"), "\(report.themes.map(\.label))")
        #expect(!keys.contains("yritys"))
        #expect(report.themes.contains { $0.phrases.contains { $0.keys.contains("mainoskampanja") } }, "\(report.themes.map(\.label))")
    }
}
