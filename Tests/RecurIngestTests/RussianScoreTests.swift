import Foundation
@testable import RecurKit
import RecurCorpus
import Testing

/// `CharsetDecoder.russianScore` reads case and letter frequency from a table of the Cyrillic block;
/// it must score exactly as the Unicode scalar properties it was built from.
@Suite("Russian score of a candidate decoding: the table gives what the Unicode properties give")
struct RussianScoreTests {
    /// The score as computed from `Unicode.Scalar.Properties` per scalar (the former implementation).
    static func referenceScore(_ text: String) -> Double {
        let frequency = CharsetDecoder.russianFrequency
        var letters = 0, lower = 0, other = 0
        var weight = 0.0
        var previousLower = false
        var caseBreaks = 0
        for s in text.unicodeScalars {
            if (0x0400...0x04FF).contains(s.value) {
                letters += 1
                let isLower = s.properties.isLowercase
                if isLower { lower += 1 }
                if !isLower && previousLower { caseBreaks += 1 }
                previousLower = isLower
                let folded = s.properties.lowercaseMapping.unicodeScalars.first ?? s
                weight += frequency[folded] ?? 0
            } else {
                previousLower = false
                if s.value >= 0x80 { other += 1 }
            }
        }
        guard letters > 0 else { return 0 }
        return weight / Double(letters) / 60.0 * 0.5 + Double(lower) / Double(letters) * 0.3
            + Double(letters) / Double(letters + other) * 0.2 - Double(caseBreaks) / Double(letters) * 2
    }

    @Test("the table: 33 Russian letters with a frequency, both cases folded to it, case as Unicode says")
    func table() {
        #expect(CharsetDecoder.cyrillicLetters.count == 256)
        #expect(CharsetDecoder.cyrillicLetters.filter { $0.frequency > 0 }.count == 66)  // а–я and ё, in both cases
        #expect(CharsetDecoder.cyrillicLetters[0x043E - 0x0400].frequency == 109.7)  // о
        #expect(CharsetDecoder.cyrillicLetters[0x041E - 0x0400].frequency == 109.7)  // О folds to о
        #expect(CharsetDecoder.cyrillicLetters[0x0401 - 0x0400].frequency == 0.4)  // Ё folds to ё
        for v in 0x0400...0x04FF {
            #expect(CharsetDecoder.cyrillicLetters[v - 0x0400].isLowercase == Unicode.Scalar(UInt32(v))!.properties.isLowercase)
        }
    }

    @Test("the same score on every candidate decoding of Russian, Japanese and Finnish text", arguments: [
        "windows-1251", "KOI8-R", "IBM866", "ISO-8859-5", "Shift_JIS", "EUC-JP", "windows-1252",
    ])
    func candidateDecodings(charset: String) throws {
        let texts = [
            "Здравствуйте! Хотим подключить сквозную аналитику и интеграцию с CRM. Съешь же ещё этих мягких французских булок.",
            "ПРОШУ СРОЧНО ПРИСЛАТЬ СЧЁТ. Ёлка, ёж; Україна, Ґанок, Ѣ ѣ Ѳ.",
            "いつもお世話になっております。CRMとの連携を検討していただけますでしょうか。",
            "Hei! Haluaisimme CRM-integraation verkkokauppaan. Ystävällisin terveisin, Päivi Hämäläinen",
        ]
        for text in texts {
            guard let bytes = CharsetDecoder.encode(text, as: charset) else { continue }
            for candidate in ["windows-1251", "KOI8-R", "IBM866", "ISO-8859-5"] {
                let decoded = CharsetDecoder(forcedEncoding: candidate).decode(bytes).text
                #expect(CharsetDecoder.russianScore(decoded) == Self.referenceScore(decoded), "\(charset) read as \(candidate)")
            }
        }
    }

    @Test("the same score on random text from the Cyrillic block and around it")
    func randomized() {
        var rng = SplitMix64(seed: 0x5255_5353_4941_4E00)
        var mismatches = 0
        for _ in 0..<3000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(rng.next() % 60) {
                let pick = rng.next() % 8
                let value: UInt64 = pick < 5 ? 0x0400 + rng.next() % 0x100 : pick == 5 ? 0x20 + rng.next() % 0x60 : pick == 6 ? 0x80 + rng.next() % 0x380 : 0x0500 + rng.next() % 0x30
                if let s = Unicode.Scalar(UInt32(value)) { scalars.append(s) }
            }
            let text = String(scalars)
            if CharsetDecoder.russianScore(text) != Self.referenceScore(text) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
