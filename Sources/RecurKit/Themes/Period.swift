/// How finely themes are placed in time.
public enum PeriodGranularity: String, Sendable, Hashable, CaseIterable, Codable {
    /// `2024-03-05`.
    case day
    /// ISO 8601 week, Monday to Sunday, numbered within the ISO week-year: `2024-W07`, `2020-W53`.
    case week
    /// `2024-03`.
    case month
    /// `2024-Q1` (January to March).
    case quarter
}

/// One period of the archive's calendar at a granularity.
///
/// `index` is a running number (consecutive periods differ by 1), so periods can be compared, stepped and
/// subtracted: days since 1970-01-01, weeks since the ISO week of 1970-01-01, `year * 12 + month - 1`,
/// `year * 4 + quarter - 1`. Dates are taken as written (the writer's civil date), not converted to UTC.
public struct Period: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var granularity: PeriodGranularity
    public var index: Int

    public init(index: Int, granularity: PeriodGranularity) {
        self.index = index
        self.granularity = granularity
    }

    /// The period that contains `date`.
    public init(_ date: DocumentDate, granularity: PeriodGranularity) {
        self.init(year: date.year, month: date.month, day: date.day, granularity: granularity)
    }

    /// The period that contains the civil day `year-month-day`.
    public init(year: Int, month: Int, day: Int, granularity: PeriodGranularity) {
        self.granularity = granularity
        switch granularity {
        case .day: index = CivilDay.ordinal(year: year, month: month, day: day)
        case .week: index = CivilDay.floorDiv(CivilDay.ordinal(year: year, month: month, day: day) + 3, 7)
        case .month: index = year * 12 + (month - 1)
        case .quarter: index = year * 4 + (month - 1) / 3
        }
    }

    /// Parses a label as written by `label` (`2024-03-05`, `2024-W07`, `2024-03`, `2024-Q1`).
    public init?(label: String, granularity: PeriodGranularity) {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        switch granularity {
        case .day:
            guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
                  (1...12).contains(m), (1...CivilDay.daysInMonth(year: y, month: m)).contains(d) else { return nil }
            self.init(year: y, month: m, day: d, granularity: .day)
        case .week:
            guard parts.count == 2, let y = Int(parts[0]), parts[1].hasPrefix("W"), let w = Int(parts[1].dropFirst()),
                  w >= 1, w <= CivilDay.isoWeeksInYear(y) else { return nil }
            let monday = CivilDay.isoWeekOneMonday(y) + (w - 1) * 7
            self.init(index: CivilDay.floorDiv(monday + 3, 7), granularity: .week)
        case .month:
            guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            self.init(index: y * 12 + m - 1, granularity: .month)
        case .quarter:
            guard parts.count == 2, let y = Int(parts[0]), parts[1].hasPrefix("Q"), let q = Int(parts[1].dropFirst()),
                  (1...4).contains(q) else { return nil }
            self.init(index: y * 4 + q - 1, granularity: .quarter)
        }
    }

    /// The following period.
    public var next: Period { advanced(by: 1) }

    public func advanced(by n: Int) -> Period { Period(index: index + n, granularity: granularity) }

    /// Periods from `start` through `end`, both included (empty when `end < start`).
    public static func all(from start: Period, through end: Period) -> [Period] {
        precondition(start.granularity == end.granularity, "periods of different granularities")
        guard start.index <= end.index else { return [] }
        return (start.index...end.index).map { Period(index: $0, granularity: start.granularity) }
    }

    /// The first civil day of the period (year, month, day).
    public var firstDay: (year: Int, month: Int, day: Int) {
        switch granularity {
        case .day: return CivilDay.civil(index)
        case .week: return CivilDay.civil(index * 7 - 3)
        case .month: return (CivilDay.floorDiv(index, 12), index - CivilDay.floorDiv(index, 12) * 12 + 1, 1)
        case .quarter:
            let y = CivilDay.floorDiv(index, 4)
            return (y, (index - y * 4) * 3 + 1, 1)
        }
    }

    /// `2024-03-05`, `2024-W07`, `2024-03` or `2024-Q1`.
    public var label: String {
        switch granularity {
        case .day:
            let c = CivilDay.civil(index)
            return "\(CivilDay.pad(c.year, 4))-\(CivilDay.pad(c.month, 2))-\(CivilDay.pad(c.day, 2))"
        case .week:
            // The ISO week-year is the year of the week's Thursday.
            let thursday = CivilDay.civil(index * 7)
            let week = (index * 7 - 3 - CivilDay.isoWeekOneMonday(thursday.year)) / 7 + 1
            return "\(CivilDay.pad(thursday.year, 4))-W\(CivilDay.pad(week, 2))"
        case .month:
            let y = CivilDay.floorDiv(index, 12)
            return "\(CivilDay.pad(y, 4))-\(CivilDay.pad(index - y * 12 + 1, 2))"
        case .quarter:
            let y = CivilDay.floorDiv(index, 4)
            return "\(CivilDay.pad(y, 4))-Q\(index - y * 4 + 1)"
        }
    }

    public var description: String { label }

    public static func < (a: Period, b: Period) -> Bool { a.index < b.index }
}

/// Proleptic Gregorian day arithmetic (Howard Hinnant's `days_from_civil` / `civil_from_days`).
public enum CivilDay {
    /// `a / b` rounded towards minus infinity (`b` > 0).
    public static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Days since 1970-01-01 (a Thursday).
    public static func ordinal(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The civil date `days` after 1970-01-01.
    public static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = floorDiv(z, 146097)
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The day ordinal of the Monday of ISO week 1 of `year` (the week with the year's first Thursday).
    static func isoWeekOneMonday(_ year: Int) -> Int {
        let jan4 = ordinal(year: year, month: 1, day: 4)
        // Weekday with Monday = 0; day 0 (1970-01-01) is a Thursday (3).
        let weekday = ((jan4 + 3) % 7 + 7) % 7
        return jan4 - weekday
    }

    static func isoWeeksInYear(_ year: Int) -> Int { (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / 7 }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(abs(v))
        return (v < 0 ? "-" : "") + (s.count >= width ? s : String(repeating: "0", count: width - s.count) + s)
    }
}
