import RecurKit
import Testing

@Suite("Themes told in other words (context merge); generic words link no phrases")
struct ContextMergeTests {
    /// Requests for ROMI and for окупаемость, each from three clients, every one followed by `reasons`;
    /// six unrelated requests as background.
    static func themes(reasons: [String], options: ThemeOptions = ThemeOptions()) throws -> [Theme] {
        let russian = try RussianTerms()
        let requests = ["Нужен расчёт ROMI.", "Хотим посчитать ROMI.", "Подскажите про ROMI.",
                        "Нужна окупаемость рекламы.", "Хотим видеть окупаемость.", "Подскажите про окупаемость."]
        let background = ["Поменяйте телефон на сайте.", "Пришлите счёт за март.", "Добавьте баннер на главную.",
                          "Обновите прайс в каталоге.", "Исправьте адрес офиса.", "Загрузите новые фотографии."]
        var extractor = ThemeExtractor(options: options)
        for (i, request) in requests.enumerated() {
            let text = ([request] + reasons).joined(separator: " ")
            extractor.add(russian.paragraph(doc: "m/\(i).eml", source: "c\(i).ru", date: day(2024, 1 + 2 * i, 1), text))
        }
        for (i, text) in background.enumerated() {
            extractor.add(russian.paragraph(doc: "b/\(i).eml", source: "b\(i).ru", date: day(2024, 1 + i, 15), text))
        }
        return extractor.finish().themes
    }

    static let reasons = ["Без этого сложно защищать расходы перед собственником.", "Данные о продажах лежат в учётной системе.",
                          "Маржинальность по товарам пришлём отдельно."]

    static func romiAndPayback(_ themes: [Theme]) -> [Theme] {
        themes.filter { $0.phrases.contains { $0.keys.contains("romi") || $0.keys.contains("окупаем") } }
    }

    @Test("two requests worded differently but told with the same three reasons become one theme")
    func sameReasonsMerge() throws {
        let all = try Self.themes(reasons: Self.reasons)
        let merged = Self.romiAndPayback(all)
        #expect(merged.count == 1, "\(all.map { "\($0.label) \($0.documents) \($0.phrases.map(\.keys))" })")
        #expect(merged.first?.documents == 6)
        // The other wording is among the phrases shown, and no surface is shown twice.
        #expect(merged.first.map { Set($0.phrases.flatMap(\.keys)).isSuperset(of: ["romi", "окупаем"]) } == true, "\(merged.first?.phrases.map(\.surface) ?? [])")
        for theme in all {
            let surfaces = theme.phrases.map { $0.surface.lowercased() }
            #expect(Set(surfaces).count == surfaces.count, "\(surfaces)")
        }
    }

    @Test("sharing fewer than contextMergeMinShared reasons, or with the merge off, they stay apart")
    func fewReasonsOrOffStayApart() throws {
        let two = Self.romiAndPayback(try Self.themes(reasons: Array(Self.reasons.prefix(2))))
        #expect(two.count == 2, "\(two.map(\.label))")
        var off = ThemeOptions()
        off.contextMergeCosine = 2
        let separate = Self.romiAndPayback(try Self.themes(reasons: Self.reasons, options: off))
        #expect(separate.count == 2, "\(separate.map(\.label))")
    }

    @Test("different reasons keep different requests apart")
    func differentReasonsStayApart() throws {
        let russian = try RussianTerms()
        var extractor = ThemeExtractor()
        let romiReasons = " Без этого сложно защищать расходы. Данные лежат в учётной системе. Маржинальность пришлём отдельно."
        let paybackReasons = " Руководство спрашивает про каждый рубль. Филиалов у нас пять. Отчёт нужен к сезону."
        for i in 0..<3 {
            extractor.add(russian.paragraph(doc: "r/\(i)", source: "r\(i).ru", date: day(2024, 1 + i, 1), "Нужен расчёт ROMI." + romiReasons))
            extractor.add(russian.paragraph(doc: "p/\(i)", source: "p\(i).ru", date: day(2024, 1 + i, 2), "Нужна окупаемость рекламы." + paybackReasons))
        }
        #expect(Self.romiAndPayback(extractor.finish().themes).count == 2)
    }

    @Test("a generic word shared with a theme's anchor does not pull a phrase into it")
    func genericWordsLinkNothing() {
        func t(_ surface: String, _ key: String, sentence: Int = 0) -> Term {
            Term(key: key, surface: surface, wordClass: .noun, isStopword: false, sentence: sentence)
        }
        // "vuosi" (year) is a generic Finnish word; "kannattavuus vuosi" and "analytiikka vuosi" stay two themes.
        var extractor = ThemeExtractor()
        for i in 0..<3 {
            for (request, key) in [("kannattavuus", "kannattavuus"), ("analytiikka", "analytiikka")] {
                let terms = [t(request, key), t("vuoden", "vuosi")]
                extractor.add(ThemeParagraph(doc: "fi/\(key)/\(i)", paragraph: 1, source: "s\(i)\(key).fi", date: day(2024, 1 + 3 * i, 1), lang: .fi,
                                             text: terms.map(\.surface).joined(separator: " "), terms: terms))
            }
        }
        let themes = extractor.finish().themes
        let profitability = themes.first { $0.phrases.contains { $0.keys.contains("kannattavuus") } }
        let analytics = themes.first { $0.phrases.contains { $0.keys.contains("analytiikka") } }
        #expect(profitability != nil && analytics != nil)
        #expect(profitability?.id != analytics?.id, "\(themes.map { "\($0.label) \($0.phrases.map(\.keys))" })")
        #expect(profitability?.documents == 3)
    }
}
