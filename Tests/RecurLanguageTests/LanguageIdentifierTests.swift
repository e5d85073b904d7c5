import Foundation
import RecurKit
import RecurTestSupport
import Testing

@Suite("LanguageIdentifier")
struct LanguageIdentifierTests {
    let identifier = LanguageIdentifier()

    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var language: Language
        var script: String
        var testDescription: String { "\(language.rawValue)/\(script): \(text.prefix(40))" }
    }

    static let scriptCases: [Case] = [
        Case(text: "Здравствуйте! Мы хотели бы заказать у вас ведение наших соцсетей.", language: .ru, script: "Cyrl"),
        Case(text: "Спасибо", language: .ru, script: "Cyrl"),
        Case(text: "Добрий день! Ми хотіли б замовити у вас ведення наших соцмереж, і це дуже важливо.", language: .other, script: "Cyrl"),
        Case(text: "Добар дан, желимо да наручимо вођење наших друштвених мрежа и њихово одржавање.", language: .other, script: "Cyrl"),
        Case(text: "Здравейте, искаме да възложим поддръжката на нашите социални мрежи през следващата година, ако е възможно.", language: .other, script: "Cyrl"),
        Case(text: "いつもお世話になっております。来月のキャンペーンについてご相談させてください。", language: .ja, script: "Jpan"),
        Case(text: "ｶﾀｶﾅﾃﾞｽ", language: .ja, script: "Jpan"),
        Case(text: "株式会社山田商事", language: .ja, script: "Jpan"),
        Case(text: "我们希望贵公司能够负责我们的社交媒体账号", language: .ja, script: "Jpan"),
        Case(text: "안녕하세요, 다음 달 캠페인에 대해 상담하고 싶습니다.", language: .other, script: "Hang"),
        Case(text: "Θα θέλαμε να μάθουμε αν η εταιρεία σας μπορεί να αναλάβει τα κοινωνικά μας δίκτυα.", language: .other, script: "Grek"),
        Case(text: "نود أن نعرف ما إذا كانت وكالتكم تستطيع إدارة حساباتنا", language: .other, script: "Arab"),
        Case(text: "שלום, אנחנו רוצים לדעת אם הסוכנות שלכם יכולה לנהל את הרשתות", language: .other, script: "Hebr"),
        Case(text: "Hei! Haluaisimme tietää, voisiko toimistonne hoitaa myös sosiaalisen median kanavamme ensi vuonna.", language: .fi, script: "Latn"),
        Case(text: "Kiitos nopeasta vastauksesta, tarjous näyttää hyvältä ja käsittelemme sen hallituksen kanssa maanantaina.", language: .fi, script: "Latn"),
        Case(text: "We would like to know whether your agency can also handle our social media channels.", language: .other, script: "Latn"),
        Case(text: "12:30 — 2024-05-01 … 100 %", language: .other, script: "Zyyy"),
        Case(text: "", language: .other, script: "Zyyy"),
        // Latin words inside Russian and Japanese paragraphs (brands, URLs).
        Case(text: "Мы используем Google Analytics, Yandex Metrica и Facebook Pixel", language: .ru, script: "Cyrl"),
        Case(text: "詳細はhttps://example.com/products/enterprise-solutionsをご覧ください", language: .ja, script: "Jpan"),
        Case(text: "Пишите на info@example-agency.com или звоните", language: .ru, script: "Cyrl"),
        // Short text falls back on phonotactics and function words.
        Case(text: "Kiitos!", language: .fi, script: "Latn"),
        Case(text: "Terveisin", language: .fi, script: "Latn"),
        Case(text: "Jätä Kommentti", language: .fi, script: "Latn"),
        Case(text: "Loading...", language: .other, script: "Latn"),
        Case(text: "All Articles", language: .other, script: "Latn"),
        Case(text: "Thank you", language: .other, script: "Latn"),
        // Text in NFD: a + combining diaeresis is still ä.
        Case(text: "Ha\u{308}nen pa\u{308}a\u{308}to\u{308}ksensa ta\u{308}ma\u{308}n asian kanssa oli selva\u{308}.", language: .fi, script: "Latn"),
    ]

    @Test(arguments: scriptCases)
    func identifies(_ c: Case) {
        let guess = identifier.identify(c.text)
        #expect(guess.language == c.language, "\(c.text) → \(guess)")
        #expect(guess.script == c.script, "\(c.text) → \(guess)")
        #expect(guess.confidence >= 0 && guess.confidence <= 1)
    }

    @Test func noLettersHasZeroConfidence() {
        #expect(identifier.identify("   \n 42 !!! ").confidence == 0)
    }

    @Test(arguments: LanguageIDQuality.latinNonFinnishSamples)
    func latinSampleIsNotFinnishWithStrongVoikkoRejection(_ sample: String) {
        // A Voikko stand-in that knows none of these words: every sample must come out other.
        let guess = identifier.identify(sample, isKnownFinnishWord: { _ in false })
        #expect(guess.language == .other, "\(sample)")
    }

    @Test func latinSamplesWithoutVoikko() {
        let wrong = LanguageIDQuality.latinNonFinnishSamples.filter { identifier.identify($0).language != .other }
        #expect(Double(wrong.count) <= 0.05 * Double(LanguageIDQuality.latinNonFinnishSamples.count), "\(wrong)")
    }

    @Test func voikkoIsAskedAboutAtMostTwelveLatinWords() {
        final class Counter: @unchecked Sendable {
            var calls: [String] = []
        }
        let counter = Counter()
        let text = String(repeating: "Asiakas haluaa uuden verkkosivun ja raportin joka kuukausi. ", count: 10)
        let guess = identifier.identify(text) { word in
            counter.calls.append(String(word))
            return true
        }
        #expect(guess.language == .fi)
        #expect(counter.calls.count <= 12 && counter.calls.count > 0)
        #expect(counter.calls.allSatisfy { $0.count >= 3 })

        counter.calls = []
        _ = identifier.identify("Здравствуйте, нужен отчёт по Google Ads") { word in
            counter.calls.append(String(word))
            return true
        }
        #expect(counter.calls.isEmpty, "Voikko must only be asked about Latin-dominant paragraphs")
    }

    @Test func voikkoShiftsAmbiguousText() {
        // Finnish-looking but unknown words: a Voikko that rejects them turns the guess to other.
        let text = "Kulkue eteni torin poikki kohti satamaa."
        #expect(identifier.identify(text).language == .fi)
        #expect(identifier.identify(text, isKnownFinnishWord: { _ in true }).language == .fi)
        #expect(identifier.identify(text, isKnownFinnishWord: { _ in false }).language == .other)
    }

    @Test func voikkoWhenInstalled() throws {
        guard let voikko = try? VoikkoAnalyzer() else { return }
        let fi = identifier.identify("Setti maksoi kympin.", isKnownFinnishWord: { voikko.knows($0) })
        #expect(fi.language == .fi)
        let en = identifier.identify("Please send the invoice today.", isKnownFinnishWord: { voikko.knows($0) })
        #expect(en.language == .other)
    }

    @Test func languageOrderAndCoding() throws {
        #expect(Language.allCases.sorted() == [.ru, .fi, .ja, .other])
        let data = try JSONEncoder().encode([Language.fi])
        #expect(String(decoding: data, as: UTF8.self) == "[\"fi\"]")
    }
}

@Suite("Seeds")
struct SeedLanguageTests {
    static func paragraphs(_ name: String) -> [String] {
        let url = TestPaths.seeds.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        return String(decoding: data, as: UTF8.self)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\u{3000}"))) }
            .filter { !$0.isEmpty }
    }

    static let seeds: [(String, Language)] = [
        ("ru-smm-channel-dump.txt", .ru), ("ru-new-ideas-at-work.txt", .ru),
        ("fi-agency-clients-blacklist.txt", .fi), ("ja-b2b-director-clients.txt", .ja),
    ]
    /// Web boilerplate the seeds carry, which may come out other.
    /// ("VK" is a Latin-only line of the Russian channel dump: a brand name, rightly other.)
    static let boilerplate: Set<String> = ["Loading...", "Jätä Kommentti", "All Articles", "VK"]

    @Test(arguments: seeds.map(\.0))
    func everyParagraphHasTheSeedsLanguage(_ name: String) throws {
        let expected = try #require(Self.seeds.first { $0.0 == name }?.1)
        let paragraphs = Self.paragraphs(name)
        guard !paragraphs.isEmpty else { return }
        let identifier = LanguageIdentifier()
        var wrong: [String] = []
        for paragraph in paragraphs where !Self.boilerplate.contains(paragraph) {
            let guess = identifier.identify(paragraph)
            // Lines without letters (numbers, dates, separators) carry no language.
            if guess.script == "Zyyy" { continue }
            if guess.language != expected { wrong.append("\(guess.language.rawValue): \(paragraph.prefix(80))") }
        }
        #expect(wrong.isEmpty, "\(name): \(wrong)")
    }
}
