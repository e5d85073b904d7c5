/// Reads the date notations found in client archives, and never guesses.
public enum DateParser {
    /// ISO 8601 date or date-time (`2024-03-05`, `2024-03-05T10:20:00Z`, `2024-03-05 10:20`, with offsets),
    /// RFC 2822 (`Tue, 5 Mar 2024 10:20:00 +0300`, with or without weekday, obsolete zone names),
    /// `DD.MM.YYYY` (and `D.M.YYYY`), `YYYY/MM/DD`. Returns nil when the string cannot be read.
    public static func parse(_ string: String) -> DocumentDate? {
        var s = DateScanner(string)
        s.skipSpaces()
        if s.atEnd { return nil }
        let start = s.position
        if let date = parseNumeric(&s) { return date }
        s.position = start
        if let date = parseRFC2822(&s) { return date }
        s.position = start
        if let date = parseAsctime(&s) { return date }
        return nil
    }

    /// The first valid `YYYY-MM-DD` (or `YYYY_MM_DD`, or `YYYYMMDD`) date in a path, delimited by non-digits.
    public static func dateInPath(_ path: String) -> DocumentDate? {
        let b = Array(path.utf8)
        let n = b.count
        func isDigit(_ i: Int) -> Bool { i >= 0 && i < n && b[i] >= 0x30 && b[i] <= 0x39 }
        func number(_ i: Int, _ count: Int) -> Int? {
            guard i >= 0, i + count <= n else { return nil }
            var v = 0
            for k in i..<(i + count) {
                guard isDigit(k) else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            return v
        }
        var i = 0
        while i < n {
            guard isDigit(i), !isDigit(i - 1) else { i += 1; continue }
            // YYYY-MM-DD or YYYY_MM_DD (same separator twice).
            if let y = number(i, 4), i + 10 <= n, b[i + 4] == 0x2D || b[i + 4] == 0x5F, b[i + 7] == b[i + 4],
               let m = number(i + 5, 2), let d = number(i + 8, 2), !isDigit(i + 10),
               (1900...2199).contains(y), let date = makeDate(y, m, d) {
                return date
            }
            // YYYYMMDD
            if let y = number(i, 4), let m = number(i + 4, 2), let d = number(i + 6, 2), !isDigit(i + 8),
               (1900...2199).contains(y), let date = makeDate(y, m, d) {
                return date
            }
            i += 1
        }
        return nil
    }

    // MARK: - Formats

    /// ISO 8601, YYYY/MM/DD and DD.MM.YYYY, each with an optional time.
    private static func parseNumeric(_ s: inout DateScanner) -> DocumentDate? {
        guard let first = s.digits(max: 4), first.count >= 1 else { return nil }
        var date: DocumentDate
        if first.count == 4, s.peek == "-" || s.peek == "/" {
            let sep = s.peek!
            s.advance()
            guard let m = s.digits(max: 2), s.consume(sep), let d = s.digits(max: 2) else { return nil }
            if sep == "-" && (m.count != 2 || d.count != 2) { return nil }
            guard let made = makeDate(first.value, m.value, d.value) else { return nil }
            date = made
        } else if first.count <= 2, s.consume(".") {
            guard let m = s.digits(max: 2), s.consume("."), let y = s.digits(max: 4), y.count == 4,
                  let made = makeDate(y.value, m.value, first.value) else { return nil }
            date = made
        } else {
            return nil
        }
        if s.atEndAfterSpaces() { return date }
        // Time: `T` or spaces, then hh:mm[:ss[.fff]], then an optional zone.
        if s.peek == "T" || s.peek == "t" { s.advance() } else {
            guard s.peek == " " else { return nil }
            s.skipSpaces()
        }
        guard let time = parseTime(&s) else { return nil }
        date.hour = time.h
        date.minute = time.m
        date.second = time.s
        date.hasTime = true
        s.skipSpaces()
        if s.atEnd { return date }
        guard let offset = parseZone(&s), s.atEndAfterSpaces() else { return nil }
        date.utcOffsetMinutes = offset
        return date
    }

    /// `[Www,] D Mon YYYY hh:mm[:ss] zone [(comment)]`.
    private static func parseRFC2822(_ s: inout DateScanner) -> DocumentDate? {
        if let word = s.letters(), !word.isEmpty {
            guard weekdays.contains(word.lowercased()) else { return nil }
            s.consume(",")
            s.skipSpaces()
        }
        guard let d = s.digits(max: 2) else { return nil }
        s.skipSpaces()
        s.consume("-")
        guard let monthName = s.letters(), let month = months[monthName.lowercased()] else { return nil }
        s.skipSpaces()
        s.consume("-")
        guard let yearDigits = s.digits(max: 4) else { return nil }
        var year = yearDigits.value
        switch yearDigits.count {
        case 4: break
        case 2: year += year < 50 ? 2000 : 1900  // RFC 2822 section 4.3
        case 3: year += 1900
        default: return nil
        }
        guard var date = makeDate(year, month, d.value) else { return nil }
        if s.atEndAfterSpaces() { return date }
        s.skipSpaces()
        guard let time = parseTime(&s) else { return nil }
        date.hour = time.h
        date.minute = time.m
        date.second = time.s
        date.hasTime = true
        s.skipSpaces()
        if !s.atEnd, !(s.peek == "(") {
            guard let offset = parseZone(&s) else { return nil }
            date.utcOffsetMinutes = offset
        }
        s.skipSpaces()
        if s.peek == "(" {  // a trailing comment such as "(MSK)"
            while let c = s.peek, c != ")" { _ = c; s.advance() }
            guard s.consume(")") else { return nil }
        }
        return s.atEndAfterSpaces() ? date : nil
    }

    /// The C `asctime` form of mbox `From ` lines: `Tue Mar  5 10:20:00 2024`.
    private static func parseAsctime(_ s: inout DateScanner) -> DocumentDate? {
        guard let word = s.letters(), weekdays.contains(word.lowercased()) else { return nil }
        s.skipSpaces()
        guard let monthName = s.letters(), let month = months[monthName.lowercased()] else { return nil }
        s.skipSpaces()
        guard let d = s.digits(max: 2) else { return nil }
        s.skipSpaces()
        guard let time = parseTime(&s) else { return nil }
        s.skipSpaces()
        var offset: Int? = nil
        if let c = s.peek, !c.isNumber {
            guard let z = parseZone(&s) else { return nil }
            offset = z
            s.skipSpaces()
        }
        guard let y = s.digits(max: 4), y.count == 4, var date = makeDate(y.value, month, d.value) else { return nil }
        date.hour = time.h
        date.minute = time.m
        date.second = time.s
        date.hasTime = true
        date.utcOffsetMinutes = offset
        return s.atEndAfterSpaces() ? date : nil
    }

    private static func parseTime(_ s: inout DateScanner) -> (h: Int, m: Int, s: Int)? {
        guard let h = s.digits(max: 2), s.consume(":"), let m = s.digits(max: 2), m.count == 2 else { return nil }
        var sec = 0
        if s.consume(":") {
            guard let sd = s.digits(max: 2), sd.count == 2 else { return nil }
            sec = sd.value
            if s.consume(".") || s.consume(",") {
                guard s.digits(max: 9) != nil else { return nil }
                while let c = s.peek, c.isNumber { s.advance() }
            }
        }
        guard h.value <= 23, m.value <= 59, sec <= 60 else { return nil }
        return (h.value, m.value, min(sec, 59))
    }

    /// `Z`, `+03:00`, `+0300`, `+03`, or an obsolete zone name. Minutes east of UTC.
    private static func parseZone(_ s: inout DateScanner) -> Int? {
        guard let c = s.peek else { return nil }
        if c == "+" || c == "-" {
            s.advance()
            guard let digits = s.digits(max: 4) else { return nil }
            var hh = 0, mm = 0
            switch digits.count {
            case 4:
                (hh, mm) = (digits.value / 100, digits.value % 100)
            case 2:
                hh = digits.value
                if s.consume(":") {
                    guard let m = s.digits(max: 2), m.count == 2 else { return nil }
                    mm = m.value
                }
            default:
                return nil
            }
            guard hh <= 18, mm <= 59 else { return nil }
            let total = hh * 60 + mm
            return c == "-" ? -total : total
        }
        guard let name = s.letters() else { return nil }
        return zones[name.uppercased()]
    }

    static func makeDate(_ y: Int, _ m: Int, _ d: Int) -> DocumentDate? {
        guard (1...9999).contains(y), (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
        return DocumentDate(year: y, month: m, day: d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static let weekdays: Set<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    private static let months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
        "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8, "sept": 9,
        "september": 9, "october": 10, "november": 11, "december": 12,
    ]
    private static let zones: [String: Int] = [
        "Z": 0, "UT": 0, "UTC": 0, "GMT": 0,
        "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
        "MSK": 180, "EET": 120, "EEST": 180, "CET": 60, "CEST": 120, "JST": 540, "BST": 60,
    ]
}

/// A small cursor over a string's characters for the date formats.
struct DateScanner {
    let chars: [Character]
    var position = 0

    init(_ string: String) { chars = Array(string) }

    var atEnd: Bool { position >= chars.count }
    var peek: Character? { position < chars.count ? chars[position] : nil }
    mutating func advance() { if position < chars.count { position += 1 } }

    @discardableResult
    mutating func consume(_ c: Character) -> Bool {
        if peek == c { position += 1; return true }
        return false
    }

    mutating func skipSpaces() {
        while let c = peek, c == " " || c == "\t" || c == "\u{00A0}" || c == "\r" || c == "\n" { position += 1 }
    }

    mutating func atEndAfterSpaces() -> Bool {
        let saved = position
        skipSpaces()
        if atEnd { return true }
        position = saved
        return false
    }

    /// Up to `max` ASCII digits; nil when there is none.
    mutating func digits(max: Int) -> (value: Int, count: Int)? {
        var value = 0, count = 0
        while count < max, let c = peek, let a = c.asciiValue, a >= 0x30, a <= 0x39 {
            value = value * 10 + Int(a - 0x30)
            count += 1
            position += 1
        }
        // More digits than allowed means another notation.
        if let c = peek, let a = c.asciiValue, a >= 0x30, a <= 0x39, count == max { return nil }
        return count > 0 ? (value, count) : nil
    }

    /// A run of ASCII letters; nil when there is none.
    mutating func letters() -> String? {
        var out = ""
        while let c = peek, let a = c.asciiValue, (a >= 0x41 && a <= 0x5A) || (a >= 0x61 && a <= 0x7A) {
            out.append(c)
            position += 1
        }
        return out.isEmpty ? nil : out
    }
}
