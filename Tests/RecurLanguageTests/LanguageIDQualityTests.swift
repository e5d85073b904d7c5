import Foundation
import RecurKit
import RecurTestSupport
import Testing

@Suite("Language identification quality on UD dev treebanks")
struct LanguageIDQualityTests {
    static let udDirectory = TestPaths.shared("data/ud-dev")

    @Test("accuracy bars without Voikko", .enabled(if: udDirectory != nil))
    func accuracyWithoutVoikko() throws {
        guard let dir = Self.udDirectory else { return }
        let rows = try LanguageIDQuality.measure(udDirectory: dir.path, identifier: LanguageIdentifier(), isKnownFinnishWord: nil)
        for row in rows {
            print("langid \(row.corpus): \(row.correct)/\(row.total) = \(row.accuracy) (short \(row.shortCorrect)/\(row.short))")
            for miss in row.misses { print("   miss \(miss)") }
        }
        let bars: [String: Double] = [
            "ru_gsd-ud-dev": 0.99, "fi_tdt-ud-dev": 0.97, "ja_gsd-ud-dev": 0.99, "latin-non-finnish samples": 0.95,
        ]
        #expect(rows.count == 4)
        for row in rows {
            let bar = try #require(bars[row.corpus])
            #expect(row.accuracy >= bar, "\(row.corpus): \(row.accuracy) < \(bar)")
        }
    }
}

extension LanguageIDQualityTests {
    @Test("accuracy with Voikko (when installed)", .enabled(if: udDirectory != nil))
    func accuracyWithVoikko() throws {
        guard let dir = Self.udDirectory, let voikko = try? VoikkoAnalyzer() else { return }
        let rows = try LanguageIDQuality.measure(
            udDirectory: dir.path, identifier: LanguageIdentifier(), isKnownFinnishWord: { voikko.knows($0) })
        for row in rows {
            print("langid+voikko \(row.corpus): \(row.correct)/\(row.total) = \(row.accuracy)")
            for miss in row.misses.prefix(30) { print("   miss \(miss)") }
        }
        for row in rows {
            #expect(row.accuracy >= (row.expected == .fi ? 0.97 : 0.95), "\(row.corpus): \(row.accuracy)")
        }
    }
}
