@testable import RecurKit
import Testing

@Suite("Sentence templates and document groups (ThemeExtractor's compact state)")
struct SentenceTemplateTests {
    /// Every term finds its own sentence's template, in paragraphs of one to many sentences:
    /// equal sentences share a template, different ones do not.
    @Test func termsFindTheirSentence() throws {
        let ru = try RussianTerms()
        var extractor = ThemeExtractor()
        let texts = [
            "Нужна интеграция с CRM. Отчёт готов. Нужна интеграция с CRM.",
            "Отчёт готов.",
            (0..<40).map { $0 % 3 == 0 ? "Отчёт готов." : "Прошу прислать прайс до \($0) мая." }.joined(separator: " "),
        ]
        var termsOf: [[Term]] = []
        for (i, text) in texts.enumerated() {
            let p = ru.paragraph(doc: "d\(i)", source: "s\(i)", date: day(2024, 1, 1 + i), text)
            termsOf.append(p.terms)
            extractor.add(p)
        }
        let first = extractor.sentenceTemplates(of: 0)
        #expect(first.count == 3 && first[0] == first[2] && first[0] != first[1])
        #expect(extractor.sentenceTemplates(of: 1) == [first[1]])
        let long = extractor.sentenceTemplates(of: 2)
        #expect(long.count == 40)
        // Numbers are masked: every price sentence is one template, the report sentence another.
        #expect(Set(long).count == 2 && long[0] == first[1])
        for (p, terms) in termsOf.enumerated() {
            let templates = extractor.sentenceTemplates(of: Int32(p))
            for (t, term) in terms.enumerated() {
                #expect(extractor.template(ofParagraph: Int32(p), term: t) == templates[term.sentence], "paragraph \(p), term \(t)")
            }
        }
    }

    /// Each document lists exactly the groups added to it, each once.
    @Test func groupsByDocument() {
        var groups = GroupsByDocument()
        let pairs: [(Int, Int32)] = [(0, 5), (0, 7), (1, 5), (2, 9), (3, 5), (3, 7)]
        for (g, d) in pairs { groups.add(g, to: d) }
        func of(_ d: Int32) -> [Int] {
            var out: [Int] = []
            groups.forEachGroup(of: d) { out.append($0) }
            return out.sorted()
        }
        #expect(of(5) == [0, 1, 3])
        #expect(of(7) == [0, 3])
        #expect(of(9) == [2])
        #expect(of(6).isEmpty)
    }

    /// The word ids in a temporary file past the first few give the report of words in memory:
    /// themes, their phrases' surfaces and mentions.
    @Test func wordsInFileGiveTheSameReport() throws {
        let ru = try RussianTerms()
        var inMemory = ThemeExtractor()
        var inFile = ThemeExtractor()
        inFile.keepWordsInMemory(upTo: 5)
        for d in ExtractionTests.crm + ExtractionTests.chatter(30) {
            let p = ru.paragraph(doc: d.doc, source: d.source, date: d.date, d.text)
            inMemory.add(p)
            inFile.add(p)
        }
        #expect(inMemory.wordsInFile == 0)
        #expect(inFile.wordsInFile > 100)
        let expected = inMemory.finish()
        let report = inFile.finish()
        #expect(!expected.themes.isEmpty)
        #expect(report.themes == expected.themes)
        #expect(report.themes.map(\.label) == expected.themes.map(\.label))
    }
}
