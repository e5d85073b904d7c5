import RecurKit
import Testing

@Suite("Theme extraction")
struct ExtractionTests {
    /// Six inquiries from four clients over eight months asking for a CRM integration, each with a greeting and a
    /// sign-off, in inflected forms.
    static let crm: [(doc: String, source: String, date: DocumentDate, text: String)] = [
        ("mail/1.eml", "alfa.ru", day(2024, 1, 15), "Здравствуйте! Хотим интеграцию с CRM для нашего сайта. С уважением, Иван"),
        ("mail/2.eml", "beta.ru", day(2024, 2, 10), "Добрый день. Подскажите, возможна ли интеграция с amoCRM? С уважением, Ольга"),
        ("mail/3.eml", "gamma.ru", day(2024, 5, 20), "Здравствуйте. Нужна интеграция с CRM, заявки теряются. С уважением, Пётр"),
        ("mail/4.eml", "alfa.ru", day(2024, 6, 3), "Здравствуйте! Вернулись к вопросу интеграции с CRM. С уважением, Иван"),
        ("mail/5.eml", "delta.ru", day(2024, 7, 8), "Здравствуйте, нужна интеграция с amoCRM. С уважением, Мария"),
        ("mail/6.eml", "beta.ru", day(2024, 8, 30), "Здравствуйте. Хотим обсудить интеграцию с CRM. С уважением, Ольга"),
    ]

    /// Unrelated mail from many clients, greetings included.
    static func chatter(_ n: Int, offset: Int = 0) -> [(doc: String, source: String, date: DocumentDate, text: String)] {
        let lines = [
            "Здравствуйте! Пришлите, пожалуйста, счёт за март. С уважением, бухгалтерия",
            "Добрый день. Можем перенести встречу на пятницу? Спасибо",
            "Здравствуйте. Отправляю фотографии товаров во вложении. С уважением",
            "Добрый день! Оплату провели вчера, платёжку прикладываю. Спасибо",
            "Здравствуйте. Макеты баннеров согласованы, можно запускать. С уважением",
        ]
        return (0..<n).map { i in
            let k = i + offset
            return ("notes/\(k).txt", "client\(k % 7).ru", day(2024, 1 + k % 8, 1 + k % 27), lines[k % lines.count])
        }
    }

    static func run(_ docs: [(doc: String, source: String, date: DocumentDate, text: String)], options: ThemeOptions = ThemeOptions()) throws -> ThemeReport {
        let ru = try RussianTerms()
        var extractor = ThemeExtractor(options: options)
        for d in docs { extractor.add(ru.paragraph(doc: d.doc, source: d.source, date: d.date, d.text)) }
        return extractor.finish()
    }

    /// Texts by id, and the ids asked for, for the `textOf` test.
    final class TextShelf: @unchecked Sendable {
        let texts: [String]
        private(set) var asked: Set<Int> = []
        init(_ texts: [String]) { self.texts = texts }
        func text(_ id: Int) -> String { asked.insert(id); return texts[id] }
    }

    @Test func examplesAndDocumentsReadBackAreTheSame() throws {
        let docs = Self.crm + Self.chatter(30)
        let ru = try RussianTerms()
        let shelf = TextShelf(docs.map(\.text))
        var kept = ThemeExtractor()
        // Documents numbered in another order than they come, named on demand.
        let names = Array(Set(docs.map(\.doc))).sorted(by: >)
        let number = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var reading = ThemeExtractor(textOf: { shelf.text($0) }, documentName: { names[$0] })
        for (i, d) in docs.enumerated() {
            var paragraph = ru.paragraph(doc: d.doc, source: d.source, date: d.date, d.text)
            kept.add(paragraph)
            paragraph.textID = i
            paragraph.documentNumber = number[d.doc]
            paragraph.doc = ""
            reading.add(paragraph)
        }
        let expected = kept.finish().themes
        #expect(shelf.asked.isEmpty, "nothing is read before finish")
        let themes = reading.finish().themes
        #expect(!expected.isEmpty)
        #expect(themes == expected)
        // Mentions keep document numbers and read the names when asked: the same names, whatever the numbering.
        #expect(themes.map { $0.mentionList.map(\.doc) } == expected.map { $0.mentionList.map(\.doc) })
        #expect(themes.allSatisfy { $0.mentionList.allSatisfy { names.contains($0.doc) } })
        if themes.count > 1 { #expect(themes[0].mentionRows != themes[1].mentionRows) }
        // Only the examples' texts are read back.
        let shown = Set(themes.flatMap { $0.examples.map(\.doc) })
        #expect(!shelf.asked.isEmpty)
        #expect(Set(shelf.asked.map { docs[$0].doc }).isSubset(of: shown))
    }

    static func crmTheme(_ report: ThemeReport) -> Theme? {
        report.themes.first { $0.phrases.contains { $0.keys.contains { $0.hasPrefix("интеграц") } } }
    }

    @Test(arguments: [0, 8, 30])
    func findsTheCRMThemeAndNoGreetings(chatterDocuments: Int) throws {
        let report = try Self.run(Self.crm + Self.chatter(chatterDocuments))
        let theme = try #require(Self.crmTheme(report))
        #expect(theme.documents == 6)
        #expect(theme.sources == 4)
        #expect(theme.lang == .ru)
        #expect(theme.label.lowercased().contains("crm"), "\(theme.label)")
        #expect(theme.label.lowercased().hasPrefix("интеграц"), "\(theme.label)")
        #expect(theme.id.hasPrefix("ru-") && theme.id.count == 11)
        #expect(theme.firstSeen?.label == "2024-01")
        #expect(theme.lastSeen?.label == "2024-08")
        #expect(theme.series.count == 8)
        #expect(theme.episodes.count == 2, "\(theme.episodes.map { "\($0.start)..\($0.end)" })")
        #expect(theme.episodes.first?.newSources == ["alfa.ru", "beta.ru"])
        #expect(theme.episodes.last?.newSources == ["delta.ru", "gamma.ru"])
        #expect(theme.mentionList.count == 6)
        #expect(theme.mentionList.map(\.doc) == Self.crm.map(\.doc))
        #expect(!theme.examples.isEmpty && theme.examples.count <= 3)
        // "amoCRM" and "интеграция с amoCRM" are part of the same theme, not a theme of their own.
        #expect(report.themes.filter { $0.phrases.contains { $0.keys.contains("amocrm") } }.map(\.id) == [theme.id])

        let courtesy = ["здравствуйте", "уважением", "добрый", "день", "спасибо", "хотим", "нужна", "подскажите"]
        for t in report.themes {
            for word in courtesy {
                #expect(!t.label.lowercased().split(separator: " ").contains(Substring(word)), "\(t.label)")
            }
            for key in t.phrases.flatMap(\.keys) {
                #expect(!Stopwords.courtesyWords(.ru).contains(key) && !courtesy.contains(key), "\(t.id): \(key)")
            }
            #expect(t.sources >= 2)
        }
    }

    @Test func idsAreStable() throws {
        let docs = Self.crm + Self.chatter(8)
        let a = try Self.run(docs), b = try Self.run(docs)
        #expect(a.themes.map(\.id) == b.themes.map(\.id))
        #expect(a.themes.map(\.label) == b.themes.map(\.label))
        #expect(text(ThemeCSV().themes(a)) == text(ThemeCSV().themes(b)))
        #expect(text(ThemeCSV().mentions(a)) == text(ThemeCSV().mentions(b)))

        // Other input order: same themes.
        let reversed = try Self.run(docs.reversed())
        #expect(text(ThemeCSV().themes(reversed)) == text(ThemeCSV().themes(a)))

        // A growing archive keeps the theme's id.
        let grown = try Self.run(docs + Self.chatter(10, offset: 100) + [
            ("mail/7.eml", "omega.ru", day(2024, 9, 1), "Здравствуйте. Нужен аудит рекламных кампаний. С уважением"),
            ("mail/8.eml", "sigma.ru", day(2024, 9, 2), "Добрый день. Подскажите, делаете аудит рекламных кампаний?"),
        ])
        #expect(Self.crmTheme(grown)?.id == Self.crmTheme(a)?.id)
        #expect(Self.crmTheme(a)?.id == StableThemeID.make(lang: .ru, keys: Self.crmTheme(a)!.phrases[0].keys))
    }

    @Test func needsTwoSources() throws {
        let oneClient = Self.crm.map { ($0.doc, "alfa.ru", $0.date, $0.text) }
        let report = try Self.run(oneClient)
        #expect(Self.crmTheme(report) == nil)
        var options = ThemeOptions()
        options.minSources = 1
        #expect(Self.crmTheme(try Self.run(oneClient, options: options))?.documents == 6)
    }

    @Test func undatedParagraphsCountButAreNotPlaced() throws {
        let ru = try RussianTerms()
        var extractor = ThemeExtractor()
        for d in Self.crm { extractor.add(ru.paragraph(doc: d.doc, source: d.source, date: d.date, d.text)) }
        extractor.add(ru.paragraph(doc: "notes/undated.txt", source: "zeta.ru", date: nil, "Клиент просит интеграцию с CRM."))
        let report = extractor.finish()
        let theme = try #require(Self.crmTheme(report))
        #expect(theme.documents == 7)
        #expect(theme.undatedMentions == 1)
        #expect(theme.series.reduce(0) { $0 + $1.mentions } == 6)
        #expect(report.undatedParagraphs == 1)
        #expect(theme.mentionList.last?.doc == "notes/undated.txt")
        #expect(theme.mentionList.last?.date == nil)
    }

    @Test func japaneseNounCompoundsAndParticles() {
        func t(_ surface: String, _ key: String, _ cls: WordClass, stop: Bool = false) -> Term {
            Term(key: key, surface: surface, wordClass: cls, isStopword: stop, sentence: 0)
        }
        let compound = [t("CRM", "crm", .noun), t("連携", "連携", .noun), t("を", "を", .function, stop: true),
                        t("お願い", "お願い", .noun), t("し", "する", .verb, stop: true), t("たい", "たい", .function)]
        let particles = [t("CRM", "crm", .noun), t("と", "と", .function, stop: true), t("の", "の", .function, stop: true),
                         t("連携", "連携", .noun), t("を", "を", .function, stop: true), t("検討", "検討", .noun),
                         t("し", "する", .verb, stop: true), t("て", "て", .function, stop: true), t("い", "いる", .verb, stop: true),
                         t("ます", "ます", .function, stop: true)]
        var extractor = ThemeExtractor()
        let inputs: [(String, [Term])] = [("a.jp", compound), ("b.jp", compound), ("c.jp", particles)]
        for (i, (source, terms)) in inputs.enumerated() {
            extractor.add(ThemeParagraph(doc: "ja/\(i)", paragraph: 1, source: source, date: day(2024, 3 + i, 1), lang: .ja,
                                         text: terms.map(\.surface).joined(), terms: terms))
        }
        let report = extractor.finish()
        let theme = report.themes.first { $0.phrases.contains { $0.keys == ["crm", "連携"] } }
        #expect(theme?.label == "CRM連携")
        #expect(theme?.documents == 3)
        #expect(theme?.id.hasPrefix("ja-") == true)
        #expect(theme?.mentionList.map(\.phrase) == ["CRM連携", "CRM連携", "CRMとの連携"])
        for th in report.themes {
            #expect(!th.phrases.flatMap(\.keys).contains("お願い"))
            #expect(!th.phrases.flatMap(\.keys).contains("検討"))
        }
    }

    @Test func finnishCompoundHeadsAreCandidates() {
        func t(_ surface: String, _ key: String, parts: [String] = []) -> Term {
            Term(key: key, surface: surface, wordClass: .noun, isStopword: false, parts: parts, sentence: 0)
        }
        var extractor = ThemeExtractor()
        let rows: [(String, [Term])] = [
            ("a.fi", [t("asiakasrekisteri-integraatiota", "asiakasrekisteri-integraatio", parts: ["asiakasrekisteri", "integraatio"])]),
            ("b.fi", [t("CRM-integraatio", "crm-integraatio", parts: ["crm", "integraatio"])]),
            ("c.fi", [t("integraatiota", "integraatio")]),
        ]
        for (i, (source, terms)) in rows.enumerated() {
            extractor.add(ThemeParagraph(doc: "fi/\(i)", paragraph: 1, source: source, date: day(2024, 1, 1 + i), lang: .fi,
                                         text: terms.map(\.surface).joined(separator: " "), terms: terms))
        }
        let theme = extractor.finish().themes.first { $0.phrases.contains { $0.keys == ["integraatio"] } }
        #expect(theme?.documents == 3)
    }

    @Test(arguments: [2, 3, 8])
    func languagesBuiltInParallelGiveTheSameReport(jobs: Int) async throws {
        func t(_ surface: String, _ key: String) -> Term {
            Term(key: key, surface: surface, wordClass: .noun, isStopword: false, sentence: 0)
        }
        let ru = try RussianTerms()
        var extractor = ThemeExtractor()
        for d in Self.crm + Self.chatter(20) { extractor.add(ru.paragraph(doc: d.doc, source: d.source, date: d.date, d.text)) }
        for i in 0..<6 {
            let fi = [t("raportointi", "raportointi"), t("integraatiota", "integraatio")]
            extractor.add(ThemeParagraph(doc: "fi/\(i)", paragraph: 1, source: "fi\(i % 3).fi", date: day(2024, 1 + i, 2), lang: .fi,
                                         text: fi.map(\.surface).joined(separator: " "), terms: fi))
            let ja = [t("定例", "定例"), t("会議", "会議")]
            extractor.add(ThemeParagraph(doc: "ja/\(i)", paragraph: 1, source: "ja\(i % 3).jp", date: day(2024, 2 + i, 3), lang: .ja,
                                         text: "定例会議", terms: ja))
        }
        let sequential = extractor.finish()
        let parallel = try await extractor.finish(jobs: jobs)
        #expect(Set(sequential.themes.map(\.lang)).count >= 2, "themes in several languages")
        #expect(parallel.themes == sequential.themes)
        #expect(parallel.languages == sequential.languages)
        // Freeing the counting state first changes nothing either.
        var finished = extractor
        finished.finishAdding()
        let afterFreeing = try await finished.finish(jobs: jobs)
        #expect(afterFreeing.themes == sequential.themes)
        #expect(afterFreeing.languages == sequential.languages)
        // Past the limit of paragraphs the languages are built one at a time: the same report.
        let oneAtATime = try await finished.finish(jobs: jobs, concurrentUpTo: 0)
        #expect(oneAtATime.themes == sequential.themes)
        #expect(oneAtATime.languages == sequential.languages)
    }
}
