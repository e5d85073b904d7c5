import Foundation
import Testing
import RecurKit

@Suite("ICU normalization and matching keys")
struct NormalizationTests {
    let icu = try! ICUText()

    @Test("keys fold width, case, spaces and invisible characters", arguments: [
        // full-width Latin and digits, half-width katakana
        ("ＣＲＭ　２０２４", "crm 2024"),
        ("ｶﾀｶﾅ", "カタカナ"),
        // NBSP, ideographic space, tabs and newlines collapse to one space; trimmed
        ("  Сквозная\u{00A0}\u{00A0}аналитика\t\n ", "сквозная аналитика"),
        ("資料\u{3000}\u{3000}送付", "資料 送付"),
        // zero-width space, soft hyphen, BOM, word joiner and control characters vanish
        ("инте\u{00AD}грация\u{200B}", "интеграция"),
        ("\u{FEFF}Hei\u{2060}\u{0007}", "hei"),
        // ё folds to е in keys; й and Finnish letters stay
        ("Ещё ЁЛКА йогурт", "еще елка йогурт"),
        ("Ääkkösiä ÖLJY Åland", "ääkkösiä öljy åland"),
        // dakuten and handakuten compose, never stripped
        ("か\u{3099}は\u{309A}", "がぱ"),
        ("ガイド", "ガイド"),
        // case folding, not just lowercasing
        ("Straße", "strasse"),
    ])
    func key(input: String, expected: String) {
        #expect(icu.normalize(input, .key) == expected)
    }

    @Test("invalid UTF-8 becomes U+FFFD")
    func invalid() {
        let bytes: [UInt8] = [0x61, 0xFF, 0x62]
        let out = bytes.withUnsafeBufferPointer { icu.normalize(utf8: $0, .nfkc) }
        #expect(out == "a\u{FFFD}b")
    }

    static let conformanceFile = "/usr/share/unicode/NormalizationTest.txt.bz2"

    /// Unicode's own conformance file (Debian's unicode-data), NFKC column: c4 == NFKC(c1) == ... == NFKC(c5).
    @Test("NormalizationTest.txt NFKC column", .enabled(if: FileManager.default.fileExists(atPath: conformanceFile)))
    func conformance() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bzcat")
        process.arguments = [Self.conformanceFile]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let content = String(decoding: data, as: UTF8.self)
        var checked = 0
        var failures: [String] = []
        for line in content.split(separator: "\n") {
            guard let first = line.first, first != "#", first != "@" else { continue }
            let columns = line.split(separator: ";", omittingEmptySubsequences: false).prefix(5).map { column in
                String(String.UnicodeScalarView(column.split(separator: " ").compactMap { UInt32($0, radix: 16).flatMap(Unicode.Scalar.init) }))
            }
            guard columns.count == 5 else { continue }
            for source in columns where icu.normalize(source, .nfkc) != columns[3] {
                failures.append(String(line.prefix(60)))
            }
            checked += 1
        }
        #expect(checked > 18_000)
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3))")
    }

    @Test("word break segments letters, numbers, kana and ideographs; iterator reused across texts")
    func words() {
        #expect(icu.words("Хотим интеграцию с CRM, срочно!") == ["Хотим", "интеграцию", "с", "CRM", "срочно"])
        // ICU's root rules split at the colon; the Finnish analyzer joins "CRM:ään" back
        #expect(icu.words("Haluaisimme CRM:ään 3 uutta raporttia.") == ["Haluaisimme", "CRM", "ään", "3", "uutta", "raporttia"])
        #expect(icu.words("") == [])
        #expect(icu.sentences("Первое. Второе? Третье!").count == 3)
    }
}
