import Foundation
import Testing
import RecurKit

@Suite("Modification times as civil dates")
struct UnixTimeTests {
    /// The same conversion through Foundation's Gregorian calendar in UTC.
    static func byCalendar(_ seconds: Int64) -> DocumentDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return DocumentDate(
            year: c.year!, month: c.month!, day: c.day!, hour: c.hour!, minute: c.minute!, second: c.second!,
            utcOffsetMinutes: 0, hasTime: true)
    }

    @Test("the arithmetic agrees with the Gregorian calendar, leap days, century years and times before 1970 included")
    func agreesWithCalendar() {
        var seconds: [Int64] = [0, -1, 86_399, 86_400, 951_782_400, 951_868_799, 4_107_542_400, -2_208_988_800, 1_709_164_800, 253_402_300_799]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            seconds.append(Int64(x % 8_000_000_000) - 2_000_000_000)
        }
        for s in seconds {
            #expect(DocumentDate(unixSeconds: s) == Self.byCalendar(s), "\(s)")
        }
    }
}
