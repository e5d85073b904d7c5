@testable import RecurKit
import Testing

@Suite("RecentResults: a memo in two generations, bounded by bytes")
struct RecentResultsTests {
    @Test("what was put in comes back, by the text's bytes")
    func lookup() {
        var memo = RecentResults<Int>(budget: 1_600)
        memo.insert("интеграция", 1, cost: 10)
        memo.insert("連携", 2, cost: 10)
        #expect(memo.lookup("интеграц" + "ия") == 1)
        #expect(memo.lookup("連携") == 2)
        #expect(memo.lookup("CRM") == nil)
        // canonically equal, other bytes: not the same text
        memo.insert("й", 3, cost: 10)
        #expect(memo.lookup("и\u{0306}") == nil)
    }

    @Test("a full generation becomes the older one; what is not looked up again is gone after two")
    func generations() {
        // 160 a generation: 16 entries of 10
        var memo = RecentResults<Int>(budget: 160)
        for i in 0..<16 { memo.insert("a\(i)", i, cost: 10) }
        #expect(memo.count == 16)
        memo.insert("b0", 100, cost: 10)  // the newer is full: it becomes the older
        #expect(memo.count == 17)
        #expect(memo.lookup("a3") == 3)  // from the older, moved to the newer
        #expect(memo.count == 17)
        for i in 1..<15 { memo.insert("b\(i)", 100 + i, cost: 10) }  // the newer full again: b0, a3, b1...b14
        memo.insert("c0", 200, cost: 10)  // the a's but a3 are dropped
        #expect(memo.lookup("a3") == 3)
        #expect(memo.lookup("b5") == 105)
        #expect(memo.lookup("c0") == 200)
        for i in [0, 1, 2, 4, 15] { #expect(memo.lookup("a\(i)") == nil) }
        #expect(memo.count == 17)
    }

    @Test("an entry costing more than a sixteenth of the budget is not kept")
    func largeEntries() {
        var memo = RecentResults<Int>(budget: 1_600)
        memo.insert("long", 1, cost: 101)
        memo.insert("short", 2, cost: 100)
        #expect(memo.lookup("long") == nil)
        #expect(memo.lookup("short") == 2)
    }
}

@Suite("TextAnalyzer: the memo of recent paragraphs")
struct AnalysisMemoTests {
    static let paragraphs = [
        "Здравствуйте! Нам нужна сквозная аналитика для интернет-магазина.",
        "Hei! Tarvitsemme verkkokaupan analytiikkaa ja säännölliset palaverit.",
        "いつもお世話になっております。広告予算の削減を検討しています。",
        "Hello, we would like to integrate our CRM with your platform.",
        "С уважением, Марина Петрова",
    ]

    @Test("a repeated paragraph is answered from the memo, with what analyzing it gives", arguments: [0, 1 << 16, 1 << 20])
    func memoGivesWhatAnalysisGives(budget: Int) throws {
        let memoized = try TextAnalyzer(analysisMemoBytes: budget)
        let fresh = try TextAnalyzer(analysisMemoBytes: 0)
        // every paragraph three times, in two orders
        let texts = Self.paragraphs + Self.paragraphs.reversed() + Self.paragraphs
        for text in texts {
            let expected = fresh.analyze(text)
            #expect(memoized.analyze(text) == expected)
        }
        // 0 keeps nothing; 64 kB and 1 MB hold all five
        #expect(memoized.memoizedAnalyses == (budget == 0 ? 0 : Self.paragraphs.count))
        // every repeat answered by the memo when it holds all five; the memo-less analyzer answers none
        #expect(memoized.memoHits == (budget == 0 ? 0 : texts.count - Self.paragraphs.count))
        #expect(fresh.memoHits == 0)
        #expect(fresh.memoizedAnalyses == 0)
    }
}
