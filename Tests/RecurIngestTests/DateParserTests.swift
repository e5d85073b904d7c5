import Testing
import RecurKit

@Suite("Date parsing")
struct DateParserTests {
    @Test("readable dates", arguments: [
        ("2024-03-05", "2024-03-05"),
        ("  2024-03-05  ", "2024-03-05"),
        ("2024-03-05T10:20:00Z", "2024-03-05T10:20:00Z"),
        ("2024-03-05T10:20:00.123+03:00", "2024-03-05T10:20:00+03:00"),
        ("2024-03-05 10:20", "2024-03-05T10:20:00"),
        ("2024-03-05T10:20:30-0530", "2024-03-05T10:20:30-05:30"),
        ("Tue, 5 Mar 2024 10:20:00 +0300", "2024-03-05T10:20:00+03:00"),
        ("5 Mar 2024 10:20:00 +0300", "2024-03-05T10:20:00+03:00"),
        ("Tue, 05 Mar 2024 10:20 GMT", "2024-03-05T10:20:00Z"),
        ("Tue, 5 Mar 2024 10:20:00 EST", "2024-03-05T10:20:00-05:00"),
        ("Tue, 5 Mar 2024 10:20:00 +0300 (MSK)", "2024-03-05T10:20:00+03:00"),
        ("Thu, 1 Feb 99 08:00:00 PDT", "1999-02-01T08:00:00-07:00"),
        ("05.03.2024", "2024-03-05"),
        ("5.3.2024", "2024-03-05"),
        ("05.03.2024 10:20", "2024-03-05T10:20:00"),
        ("2024/03/05", "2024-03-05"),
        ("2024-02-29", "2024-02-29"),
        ("2000-02-29", "2000-02-29"),
        ("Tue Mar  5 10:20:00 2024", "2024-03-05T10:20:00"),
    ])
    func readable(input: String, expected: String) {
        #expect(DateParser.parse(input)?.iso8601 == expected, "\(input)")
    }

    @Test("unreadable or invalid dates are nil", arguments: [
        "", "   ", "yesterday", "2024-13-01", "2024-00-10", "2024-02-30", "2023-02-29", "1900-02-29", "2024-04-31",
        "31.04.2024", "32.01.2024", "2024-03-05T25:00", "2024-03-05T10:61", "2024-03-05 10:20 +25:00",
        "Tue, 5 Foo 2024 10:20:00 +0300", "Blah, 5 Mar 2024", "03/05/2024", "2024-3-5", "20240305",
        "99999999999999999999-01-01", "2024-03-05 junk", "05.03.24", "0000-01-01",
    ])
    func unreadable(input: String) {
        #expect(DateParser.parse(input) == nil, "\(input)")
    }

    @Test("dates in paths", arguments: [
        ("inbox/2024-03-05-request.txt", "2024-03-05"),
        ("2024_03_05/note.md", "2024-03-05"),
        ("scan-20240305.txt", "2024-03-05"),
        ("a/v1/2023-02-29/2024-01-31.txt", "2024-01-31"),
        ("order-123456789/2024-12-01.txt", "2024-12-01"),
    ])
    func inPaths(path: String, expected: String) {
        #expect(DateParser.dateInPath(path)?.day10 == expected)
    }

    @Test("no date in these paths", arguments: ["notes/request.txt", "id-202403051/x.txt", "2024-03-5.txt", "2024-13-01.md", "12024-03-05.txt"])
    func notInPaths(path: String) {
        #expect(DateParser.dateInPath(path) == nil)
    }
}
