import Foundation
import RecurKit
import Testing

@Suite("Quality against a generated archive's truth")
struct TruthQualityTests {
    /// Truth for `ExtractionTests.crm`: one planted CRM theme with two episodes, and a planted theme
    /// whose documents recur never sees.
    static func truth(secondEpisodeStart: String) throws -> DemoTruth {
        let json = """
            {"documents": [], "duplicates": [], "themes": [
              {"id": "ru-crm", "lang": "ru", "label": "интеграция с CRM", "pattern": "recurring",
               "documents": ["mail/1.eml", "mail/2.eml", "mail/3.eml", "mail/4.eml", "mail/5.eml", "mail/6.eml"],
               "episodes": [{"start": "2024-01", "end": "2024-02", "sources": []},
                            {"start": "\(secondEpisodeStart)", "end": "2024-08", "sources": []}]},
              {"id": "ru-missing", "lang": "ru", "label": "x", "pattern": "steady",
               "documents": ["nowhere/1.eml", "nowhere/2.eml"], "episodes": [{"start": "2024-01", "end": "2024-12", "sources": []}]},
              {"id": "ru-once", "lang": "ru", "label": "y", "pattern": "one-off", "documents": ["mail/1.eml"], "episodes": []}
            ]}
            """
        return try JSONDecoder().decode(DemoTruth.self, from: Data(json.utf8))
    }

    @Test("a planted theme is matched with its purity, coverage and comeback; one-off themes are left out")
    func matches() throws {
        let report = try ExtractionTests.run(ExtractionTests.crm + ExtractionTests.chatter(8))
        let matches = TruthQuality.themeMatches(report, truth: try Self.truth(secondEpisodeStart: "2024-05"))
        #expect(matches.map(\.planted) == ["ru-crm", "ru-missing"])
        let crm = try #require(matches.first)
        #expect(crm.theme?.label.lowercased().hasPrefix("интеграц") == true)
        #expect(crm.purity == 1.0 && crm.coverage == 1.0)
        #expect(crm.comebackFound == true)
        #expect(matches[1].theme == nil && matches[1].comebackFound == nil)
        let rows = TruthQuality.themeRows(report, truth: try Self.truth(secondEpisodeStart: "2024-05"), measuredOn: "test")
        #expect(rows.first?.value == 0.5)
        #expect(rows.first?.passes == false)
    }

    @Test("a comeback that starts two periods away from the truth is not counted")
    func comebackTolerance() throws {
        let report = try ExtractionTests.run(ExtractionTests.crm)
        let early = TruthQuality.themeMatches(report, truth: try Self.truth(secondEpisodeStart: "2024-06"))
        #expect(early.first?.comebackFound == true)  // recur's second episode starts 2024-05: one period away
        let late = TruthQuality.themeMatches(report, truth: try Self.truth(secondEpisodeStart: "2024-07"))
        #expect(late.first?.comebackFound == false)
    }
}
