import RecurKit
import Testing

@Suite("Recurrence arithmetic")
struct TimelineTests {
    /// Activity in the given periods: (period, documents, sources); mentions = documents.
    static func timeline(_ activity: [(Int, Int, [Int])], first: Int = 1, last: Int = 24, gap: Int = 2) -> Timeline {
        Timeline(points: activity.map { Timeline.Point(period: $0.0, mentions: $0.1, documents: $0.1, sources: $0.2) },
                 archiveFirst: first, archiveLast: last, rules: Timeline.Rules(gap: gap))
    }

    @Test func episodesSplitByQuietStretches() {
        let t = Self.timeline([(1, 1, [1]), (2, 2, [1, 2]), (5, 1, [3])], last: 6)
        #expect(t.episodes.map { [$0.start, $0.end] } == [[1, 2], [5, 5]])
        #expect(t.comebacks == 1)
        #expect(t.longestGap == 2)
        #expect(t.episodes[1].gapBefore == 2)
        #expect(t.episodes[0].documents == 3)
        #expect(t.episodes[0].sources == [1, 2])
        #expect(t.activePeriods == 3)

        let three = Self.timeline([(1, 1, [1]), (2, 2, [1, 2]), (5, 1, [3])], last: 6, gap: 3)
        #expect(three.episodes.count == 1)
        #expect(three.comebacks == 0)
        #expect(three.longestGap == 0)
    }

    @Test func oneQuietPeriodDoesNotSplitWithGapTwo() {
        let t = Self.timeline([(1, 1, [1]), (3, 1, [2]), (5, 1, [1])], last: 6)
        #expect(t.episodes.count == 1)
        #expect(t.episodes[0].activePeriods == 3)
    }

    @Test func newSourcesOnEachReturn() {
        let t = Self.timeline([(1, 1, [1]), (6, 2, [1, 2]), (7, 1, [3]), (12, 3, [2, 3, 4, 5])], last: 12)
        #expect(t.episodes.count == 3)
        #expect(t.episodes.map(\.newSources) == [[1], [2, 3], [4, 5]])
        #expect(t.episodes.map(\.gapBefore) == [0, 4, 4])
        #expect(t.longestGap == 4)
        #expect(t.episodes.map(\.number) == [1, 2, 3])
    }

    @Test func unsortedAndRepeatedPointsAreMerged() {
        let t = Timeline(points: [
            Timeline.Point(period: 5, mentions: 1, documents: 1, sources: [2]),
            Timeline.Point(period: 1, mentions: 1, documents: 1, sources: [1]),
            Timeline.Point(period: 5, mentions: 2, documents: 2, sources: [2, 3]),
        ], archiveFirst: 1, archiveLast: 6)
        #expect(t.points.map(\.period) == [1, 5])
        #expect(t.points[1].documents == 3)
        #expect(t.points[1].sources == [2, 3])
    }

    @Test func statusNew() {
        let t = Self.timeline([(23, 1, [1]), (24, 2, [2])])
        #expect(t.status == .new)
    }

    @Test func statusOneOff() {
        #expect(Self.timeline([(10, 3, [1, 2])]).status == .oneOff)
        #expect(Self.timeline([(10, 3, [1, 2]), (11, 2, [3])]).status == .oneOff)
    }

    @Test func statusFadingWhenQuietAtTheEnd() {
        let t = Self.timeline((1...14).map { ($0, 3, [1, 2]) })
        #expect(t.status == .fading)
    }

    @Test func statusFadingWhenFalling() {
        // Active to the end, but the last six months hold at most half the documents of the six before, falling.
        let falling = Self.timeline((1...24).map { ($0, $0 <= 18 ? 10 : 25 - $0, [1]) })
        #expect(falling.trend == .down)
        #expect(falling.status == .fading)
        // Falling a little is not fading.
        let dip = Self.timeline((1...24).map { ($0, $0 <= 18 ? 10 : 8, [1]) })
        #expect(dip.status == .steady)
    }

    @Test func statusRising() {
        // An early sighting, then a long run growing to the end.
        let t = Self.timeline([(2, 1, [1])] + (10...24).map { ($0, 1 + ($0 - 10) / 2, [2, 3]) })
        #expect(t.comebacks == 1)
        #expect(t.trend == .up)
        #expect(t.status == .rising)
    }

    @Test func statusRecurring() {
        // The story of the seed: asked, gone for months, asked again by others, then more and more often.
        let t = Self.timeline([(3, 1, [1]), (11, 2, [2, 3]), (16, 1, [4]), (17, 1, [4]), (21, 2, [5]), (22, 3, [2, 6]), (23, 4, [7]), (24, 5, [8])])
        #expect(t.episodes.count == 4)
        #expect(t.comebacks == 3)
        #expect(t.longestGap == 7)
        #expect(t.status == .recurring)
    }

    @Test func recurringThemeInAShortSilenceIsStillRecurring() {
        // Quiet for the last 3 periods, but it has come back from a silence of 6 before.
        let t = Self.timeline([(2, 1, [1]), (9, 1, [2]), (15, 1, [3]), (21, 1, [4])])
        #expect(t.status == .recurring)
        // Quiet longer than any gap it came back from: fading.
        let gone = Self.timeline([(2, 1, [1]), (5, 1, [2]), (8, 1, [3]), (14, 1, [4])])
        #expect(gone.status == .fading)
    }

    @Test func statusSteady() {
        let t = Self.timeline((1...24).map { ($0, 3, [1, 2]) })
        #expect(t.episodes.count == 1)
        #expect(t.trend == .flat)
        #expect(t.status == .steady)
    }

    @Test func trendIsOverTheLastPeriodsOfTheArchive() {
        #expect(Self.timeline((19...24).map { ($0, $0 - 18, [1]) }).trend == .up)
        #expect(Self.timeline((1...12).map { ($0, 5, [1]) }).trend == .flat)
    }

    @Test func undatedThemeHasNoEpisodes() {
        let t = Self.timeline([])
        #expect(t.episodes.isEmpty)
        #expect(t.status == .undated)
    }
}
