import RecurKit

/// The three archive languages.
public enum CorpusLanguage: String, Sendable, CaseIterable, Comparable {
    case ru, fi, ja
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A civil day, counted from 1970-01-01 (proleptic Gregorian).
struct Day: Hashable, Comparable, Sendable {
    var index: Int

    init(index: Int) { self.index = index }

    init(_ y: Int, _ m: Int, _ d: Int) { index = CivilDay.ordinal(year: y, month: m, day: d) }

    var civil: (year: Int, month: Int, day: Int) { CivilDay.civil(index) }

    /// 0 = Sunday ... 6 = Saturday.
    var weekday: Int { ((index % 7) + 11) % 7 }

    static func + (d: Day, n: Int) -> Day { Day(index: d.index + n) }
    static func < (a: Day, b: Day) -> Bool { a.index < b.index }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    var iso: String {
        let c = civil
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    var yearMonth: String {
        let c = civil
        return "\(pad(c.year, 4))-\(pad(c.month, 2))"
    }
}

@inline(__always) func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// Working-day weights: weekends mostly quiet, each country's holidays quieter still.
enum WorkCalendar {
    static func activity(_ lang: CorpusLanguage, _ day: Day) -> Double {
        let (_, m, d) = day.civil
        let wd = day.weekday
        var w = (wd == 0 || wd == 6) ? 0.05 : 1.0
        if wd == 1 { w *= 1.15 }  // Monday catches up on the weekend
        if wd == 5 { w *= 0.85 }
        switch lang {
        case .ru:
            if m == 1 && d <= 8 { w *= 0.04 }
            if (m == 2 && d == 23) || (m == 3 && d == 8) || (m == 6 && d == 12) || (m == 11 && d == 4) { w *= 0.1 }
            if m == 5 && (d <= 4 || (d >= 9 && d <= 11)) { w *= 0.08 }
            if m == 5 && d >= 5 && d <= 8 { w *= 0.5 }
            if m == 12 && d == 31 { w *= 0.05 }
        case .fi:
            if (m == 1 && (d == 1 || d == 6)) || (m == 5 && d == 1) || (m == 12 && d == 6) { w *= 0.05 }
            if m == 12 && d >= 24 && d <= 26 { w *= 0.04 }
            if m == 12 && d >= 27 { w *= 0.35 }
            if m == 6 && d >= 19 && d <= 24 { w *= 0.2 }  // juhannus
            if m == 7 { w *= 0.12 }  // the whole country is on holiday
            if m == 8 && d <= 7 { w *= 0.6 }
        case .ja:
            if (m == 12 && d >= 29) || (m == 1 && d <= 3) { w *= 0.03 }
            if (m == 4 && d == 29) || (m == 5 && d >= 3 && d <= 6) { w *= 0.05 }  // Golden Week
            if (m == 4 && d == 30) || (m == 5 && (d == 1 || d == 2)) { w *= 0.4 }
            if m == 8 && d >= 13 && d <= 16 { w *= 0.05 }  // Obon
            if m == 8 && d == 11 { w *= 0.1 }
            if (m == 1 && d == 8) || (m == 2 && d == 11) || (m == 2 && d == 23) || (m == 9 && d == 23) || (m == 11 && d == 3) || (m == 11 && d == 23) { w *= 0.1 }
        }
        return w
    }

    /// UTC offset in minutes of the writer's local time (Moscow, Helsinki with EU summer time, Tokyo).
    static func utcOffset(_ lang: CorpusLanguage, _ day: Day) -> Int {
        switch lang {
        case .ru: return 180
        case .ja: return 540
        case .fi:
            let (y, m, _) = day.civil
            if m < 3 || m > 10 { return 120 }
            if m > 3 && m < 10 { return 180 }
            let last = lastSunday(y, m)
            if m == 3 { return day >= last ? 180 : 120 }
            return day < last ? 180 : 120
        }
    }

    static func lastSunday(_ y: Int, _ m: Int) -> Day {
        var d = Day(y, m, Day.daysInMonth(y, m))
        while d.weekday != 0 { d = d + (-1) }
        return d
    }
}

/// A moment in the writer's local time.
struct Moment: Comparable, Sendable {
    var day: Day
    var minute: Int  // minutes after midnight

    static func < (a: Moment, b: Moment) -> Bool { (a.day, a.minute) < (b.day, b.minute) }

    var hhmm: String { "\(pad(minute / 60, 2)):\(pad(minute % 60, 2))" }

    static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// RFC 5322 `Date:` value.
    func rfc5322(offset: Int, second: Int) -> String {
        let (y, m, d) = day.civil
        let sign = offset < 0 ? "-" : "+"
        let o = abs(offset)
        return "\(Moment.weekdayNames[day.weekday]), \(pad(d, 2)) \(Moment.monthNames[m - 1]) \(y) \(hhmm):\(pad(second, 2)) \(sign)\(pad(o / 60, 2))\(pad(o % 60, 2))"
    }

    /// The mbox `From ` line date (asctime style).
    func asctime(second: Int) -> String {
        let (y, m, d) = day.civil
        let dd = d < 10 ? " \(d)" : String(d)
        return "\(Moment.weekdayNames[day.weekday]) \(Moment.monthNames[m - 1]) \(dd) \(hhmm):\(pad(second, 2)) \(y)"
    }

    /// ISO 8601 with offset.
    func iso8601(offset: Int) -> String {
        let sign = offset < 0 ? "-" : "+"
        let o = abs(offset)
        return "\(day.iso)T\(hhmm):00\(sign)\(pad(o / 60, 2)):\(pad(o % 60, 2))"
    }
}
