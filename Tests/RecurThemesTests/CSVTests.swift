import RecurKit
import Testing

@Suite("Theme CSV")
struct CSVTests {
    @Test(arguments: [
        ("=SUM(A1)", "'=SUM(A1)"), ("+7 999", "'+7 999"), ("-1", "'-1"), ("@home", "'@home"), ("\tx", "'\tx"),
        ("\rx", "'\rx"), ("plain", "plain"), ("", ""), ("a=b", "a=b"),
    ])
    func formulasAreNeutralized(_ input: String, _ expected: String) {
        #expect(ThemeCSV().cell(input) == expected)
        #expect(ThemeCSV(rawCSV: true).cell(input) == input)
    }

    @Test(arguments: [
        ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""), ("cr\r", "\"cr\r\""),
        ("простой", "простой"), ("a+b\t!#*", "a+b\t!#*"), ("end,", "\"end,\""),
    ])
    func quoting(_ input: String, _ expected: String) {
        var out: [UInt8] = []
        CSVRow.appendField(input, to: &out)
        #expect(text(out) == expected)
    }

    static func report() throws -> ThemeReport {
        let ru = try RussianTerms()
        var extractor = ThemeExtractor()
        let rows: [(String, DocumentDate)] = [("alfa.ru", day(2024, 1, 10)), ("beta.ru", day(2024, 2, 11)), ("gamma.ru", day(2024, 6, 12)),
                                              ("alfa.ru", day(2024, 7, 1))]
        for (i, (source, date)) in rows.enumerated() {
            extractor.add(ru.paragraph(doc: "d\(i)", source: source, date: date,
                                       "Здравствуйте! Нужна сквозная аналитика, \"срочно\", для сайта. С уважением"))
        }
        return extractor.finish()
    }

    @Test func themesCSV() throws {
        let report = try Self.report()
        let csv = text(ThemeCSV().themes(report))
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "theme_id,label,lang,phrases,mentions,documents,sources,first_seen,last_seen,active_periods,episodes,comebacks,longest_gap,trend,status,example")
        #expect(csv.hasSuffix("\n") && !csv.contains("\r\n"))
        let theme = try #require(report.themes.first { $0.label.contains("аналитик") })
        let row = try #require(lines.first { $0.hasPrefix(theme.id + ",") })
        #expect(row.contains(",ru,"))
        #expect(row.contains(",2024-01,2024-07,4,2,1,3,"), "\(row)")
        // The example holds quotes and a comma: quoted, quotes doubled.
        #expect(row.contains("\"Здравствуйте! Нужна сквозная аналитика, \"\"срочно\"\", для сайта. С уважением\""), "\(row)")
        #expect(ThemeCSV(excelBOM: true).themes(report).starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(!ThemeCSV().themes(report).starts(with: [0xEF, 0xBB, 0xBF]))
    }

    @Test func trendsIncludeQuietPeriods() throws {
        let report = try Self.report()
        let theme = try #require(report.themes.first { $0.label.contains("аналитик") })
        let csv = text(ThemeCSV().trends(report))
        let rows = csv.split(separator: "\n").filter { $0.contains(theme.id) }
        #expect(rows.map { String($0.prefix(7)) } == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07"])
        #expect(rows[2].hasSuffix(",0,0,0"))
        #expect(rows[0].hasSuffix(",1,1,1"))
    }

    @Test func episodesAndMentions() throws {
        let report = try Self.report()
        let theme = try #require(report.themes.first { $0.label.contains("аналитик") })
        let episodes: [String] = text(ThemeCSV().episodes(report)).split(separator: "\n").map(String.init).filter { $0.hasPrefix(theme.id) }
        let expected: [String] = ["\(theme.id),1,2024-01,2024-02,2,2,alfa.ru | beta.ru,0", "\(theme.id),2,2024-06,2024-07,2,2,gamma.ru,3"]
        #expect(episodes == expected)
        let mentions = text(ThemeCSV().mentions(report)).split(separator: "\n")
        #expect(mentions[0] == "theme_id,doc,paragraph,date,source,phrase")
        let rows = mentions.filter { $0.hasPrefix(theme.id) }
        #expect(rows.count == 4)
        #expect(rows[0].hasPrefix("\(theme.id),d0,1,2024-01-10,alfa.ru,"))
    }
}
