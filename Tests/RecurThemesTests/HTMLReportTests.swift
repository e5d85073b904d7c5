import Foundation
import RecurKit
import Testing

@Suite("HTML report")
struct HTMLReportTests {
    static func report(_ paragraphs: [ThemeParagraph]) -> HTMLReport {
        var extractor = ThemeExtractor()
        for p in paragraphs { extractor.add(p) }
        var run = RunFigures()
        run.documents = paragraphs.count
        run.paragraphs = paragraphs.count
        let cluster = DuplicateClusterOverview(id: "c000001", kind: .boilerplate, size: 7, documents: 7, sources: 3, lang: .ru,
                                               snippet: "<img src=x onerror=alert(1)> footer & \"legal\"")
        return HTMLReport(title: "recur: <archive>", themes: extractor.finish(), run: run, dedup: DedupCounts(),
                          topClusters: [cluster], settings: ["period": "month", "x'y": "<b>"])
    }

    /// A theme asked for by four clients over six months, with hostile text in it.
    static let hostile: [ThemeParagraph] = (0..<6).map { i in
        let terms = [
            Term(key: "<script>alert(1)</script>", surface: "<script>alert(1)</script>", wordClass: .noun, isStopword: false, sentence: 0),
            Term(key: "интеграц", surface: "интеграция", wordClass: .noun, isStopword: false, sentence: 0),
        ]
        return ThemeParagraph(doc: "d\(i)\"'&", paragraph: 0, source: "client\(i % 4)", date: DocumentDate(year: 2024, month: 1 + i * 2, day: 3),
                              lang: .ru, text: "<script>alert(1)</script> интеграция \"&' <a href=\"javascript:alert(2)\" onclick=\"x()\">ссылка</a>", terms: terms)
    }

    @Test("all archive text is escaped; no scripts, no network")
    func escaping() throws {
        let html = Self.report(Self.hostile).render()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        // No archive text became a tag: no link to javascript:, no event-handler attribute inside a tag.
        #expect(!html.contains("<a href=\"javascript"))
        #expect(html.range(of: #"<[a-z][^<>]*\son[a-z]+\s*="#, options: .regularExpression) == nil)
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("&lt;archive&gt;"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("Content-Security-Policy"))
    }

    @Test("the same input renders the same bytes")
    func deterministic() {
        #expect(Self.report(Self.hostile).render() == Self.report(Self.hostile).render())
    }

    @Test("a sparkline bar and a heatmap cell per period of the archive")
    func cellsPerPeriod() throws {
        let report = Self.report(Self.hostile)
        let theme = try #require(report.themes.themes.first)
        let periods = report.themes.periods.count
        #expect(periods == 11)
        let spark = report.sparkline(theme)
        #expect(spark.components(separatedBy: "<rect").count - 1 == periods)
        let heat = report.heatmap(report.recurringFirst())
        #expect(heat.components(separatedBy: "<rect").count - 1 == periods * report.recurringFirst().count)
        #expect(report.render().contains(HTMLReport.escape(theme.label)))
    }

    @Test("an archive without themes says so")
    func empty() {
        let html = Self.report([]).render()
        #expect(html.contains("No recurring themes found"))
        #expect(html.hasSuffix("</html>\n"))
    }
}
