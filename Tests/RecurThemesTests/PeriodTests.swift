import RecurKit
import Testing

@Suite("Periods")
struct PeriodTests {
    @Test(arguments: [
        (2024, 12, 30, "2025-W01"), (2021, 1, 3, "2020-W53"), (2021, 1, 4, "2021-W01"), (2024, 2, 12, "2024-W07"),
        (2020, 12, 31, "2020-W53"), (2026, 1, 1, "2026-W01"), (2027, 1, 1, "2026-W53"), (2024, 12, 29, "2024-W52"),
        (1969, 12, 29, "1970-W01"), (2008, 12, 29, "2009-W01"),
    ])
    func isoWeeks(_ y: Int, _ m: Int, _ d: Int, _ label: String) {
        let p = Period(day(y, m, d), granularity: .week)
        #expect(p.label == label)
        #expect(Period(label: label, granularity: .week) == p)
    }

    @Test func weeksAreConsecutiveAcrossYearEnds() {
        var p = Period(day(2020, 12, 21), granularity: .week)
        var labels: [String] = []
        for _ in 0..<4 { labels.append(p.label); p = p.next }
        #expect(labels == ["2020-W52", "2020-W53", "2021-W01", "2021-W02"])
        #expect(Period(day(2021, 1, 10), granularity: .week) == Period(day(2021, 1, 4), granularity: .week))
    }

    @Test(arguments: [
        (2024, 1, 1, "2024-Q1"), (2024, 3, 31, "2024-Q1"), (2024, 4, 1, "2024-Q2"), (2024, 12, 31, "2024-Q4"),
    ])
    func quarters(_ y: Int, _ m: Int, _ d: Int, _ label: String) {
        let p = Period(day(y, m, d), granularity: .quarter)
        #expect(p.label == label)
        #expect(Period(label: label, granularity: .quarter) == p)
    }

    @Test func daysAndMonths() {
        let d = Period(day(2024, 2, 28), granularity: .day)
        #expect(d.label == "2024-02-28")
        #expect(d.next.label == "2024-02-29")
        #expect(d.advanced(by: 2).label == "2024-03-01")
        #expect(Period(day(2023, 12, 31), granularity: .day).next.label == "2024-01-01")
        #expect(Period(day(1970, 1, 1), granularity: .day).index == 0)
        #expect(Period(label: "2023-02-29", granularity: .day) == nil)
        let m = Period(day(2024, 12, 5), granularity: .month)
        #expect(m.label == "2024-12")
        #expect(m.next.label == "2025-01")
        let f = Period(label: "2024-03", granularity: .month)!.firstDay
        #expect(f.year == 2024 && f.month == 3 && f.day == 1)
        #expect(Period(day(2024, 5, 15), granularity: .quarter).next.label == "2024-Q3")
        #expect(Period(day(2024, 11, 15), granularity: .quarter).next.label == "2025-Q1")
    }

    @Test func listsAllPeriodsBetween() {
        let a = Period(day(2024, 11, 3), granularity: .month), b = Period(day(2025, 2, 1), granularity: .month)
        #expect(Period.all(from: a, through: b).map(\.label) == ["2024-11", "2024-12", "2025-01", "2025-02"])
        #expect(Period.all(from: b, through: a).isEmpty)
        let w = Period.all(from: Period(day(2024, 12, 23), granularity: .week), through: Period(day(2025, 1, 8), granularity: .week))
        #expect(w.map(\.label) == ["2024-W52", "2025-W01", "2025-W02"])
        let monday = w[1].firstDay
        #expect(monday.year == 2024 && monday.month == 12 && monday.day == 30)
    }
}
