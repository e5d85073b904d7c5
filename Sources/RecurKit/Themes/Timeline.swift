/// The recurrence arithmetic of one theme: episodes, comebacks, gaps, trend and status, from the theme's
/// activity per period. Pure and independent of text, so it can be tested on hand-made timelines.
///
/// Periods are running numbers (`Period.index`); the archive spans `archiveFirst...archiveLast`.
///
/// Definitions (all counts are in periods of the chosen granularity):
/// - **active period**: a period with at least one mention.
/// - **episode**: a run of activity; a quiet stretch of at least `gap` periods between two active periods ends one
///   episode and starts the next (with gap 2, activity in months 1, 2 and 5 gives episodes 1–2 and 5; with gap 3, one).
/// - **comebacks**: episodes after the first. **gap before** an episode: quiet periods since the previous episode's
///   end (0 for the first). **longest gap**: the largest gap before any episode (0 with one episode).
/// - **new sources** of an episode: its sources not seen in any earlier episode (all of them for the first).
/// - **trend**: least-squares slope of mentions per period over the last `trendWindow` periods of the archive
///   (quiet periods count as 0). With `change` = slope × (window − 1), the fitted rise across the window, and `mean`
///   the window's mean: "up" when change ≥ 1 and change ≥ 25 % of mean, "down" when change ≤ −1 and −change ≥ 25 %
///   of mean, else "flat".
/// - **status**, the first rule that applies:
///   1. `new`: first seen within the last `newPeriods` periods of the archive.
///   2. `one-off`: a single episode of at most `oneOffMaxPeriods` periods.
///   3. `fading`: quiet in the last `fadeAfter` periods of the archive, unless it already came back from a longer
///      silence (a recurring theme is called fading only once its current silence is longer than its longest gap);
///      or the trend is "down" and the last `trendWindow` periods hold at most half the documents of the
///      `trendWindow` periods before.
///   4. `rising`: at most one comeback, the last episode is still going on (active within the last `fadeAfter`
///      periods), has lasted at least `risingMinPeriods` periods, and the second half of it has at least
///      `risingRatio` times the documents of its first half, and at least 2 more (the middle period of an odd length
///      is left out).
///   5. `recurring`: at least one comeback.
///   6. `steady`: the rest, a single episode that is still going on without a clear rise.
///   A theme with no dated mention is `undated`.
public struct Timeline: Sendable, Hashable {
    /// Activity of one period. `sources` are ids (any stable numbering); repeats are ignored.
    public struct Point: Sendable, Hashable {
        public var period: Int
        public var mentions: Int
        public var documents: Int
        public var sources: [Int]

        public init(period: Int, mentions: Int, documents: Int, sources: [Int]) {
            self.period = period
            self.mentions = mentions
            self.documents = documents
            self.sources = sources
        }
    }

    public struct Episode: Sendable, Hashable {
        /// 1-based.
        public var number: Int
        public var start: Int
        public var end: Int
        public var activePeriods: Int
        public var mentions: Int
        public var documents: Int
        /// Sorted source ids.
        public var sources: [Int]
        /// Sources not seen in any earlier episode, sorted.
        public var newSources: [Int]
        /// Quiet periods between the previous episode's end and this start (0 for the first episode).
        public var gapBefore: Int
    }

    public enum Trend: String, Sendable, Hashable, Codable { case up, down, flat }

    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case new, rising, recurring, steady, fading
        case oneOff = "one-off"
        case undated
    }

    /// The thresholds of the definitions above.
    public struct Rules: Sendable, Hashable {
        public var gap = 2
        public var newPeriods = 2
        public var fadeAfter = 3
        public var trendWindow = 6
        public var oneOffMaxPeriods = 2
        public var risingMinPeriods = 4
        public var risingRatio = 1.5

        public init(gap: Int = 2, newPeriods: Int = 2, fadeAfter: Int = 3, trendWindow: Int = 6,
                    oneOffMaxPeriods: Int = 2, risingMinPeriods: Int = 4, risingRatio: Double = 1.5) {
            self.gap = max(1, gap)
            self.newPeriods = newPeriods
            self.fadeAfter = fadeAfter
            self.trendWindow = max(2, trendWindow)
            self.oneOffMaxPeriods = oneOffMaxPeriods
            self.risingMinPeriods = risingMinPeriods
            self.risingRatio = risingRatio
        }
    }

    /// Active periods, sorted, merged by period.
    public let points: [Point]
    public let episodes: [Episode]
    public let first: Int?
    public let last: Int?
    public let comebacks: Int
    public let longestGap: Int
    public let trend: Trend
    public let status: Status

    public var activePeriods: Int { points.count }

    public init(points input: [Point], archiveFirst: Int, archiveLast: Int, rules: Rules = Rules()) {
        // Merge and sort (callers may pass unsorted or repeated periods); drop empty periods.
        var byPeriod: [Int: Point] = [:]
        for p in input where p.mentions > 0 || p.documents > 0 {
            if var q = byPeriod[p.period] {
                q.mentions += p.mentions
                q.documents += p.documents
                q.sources += p.sources
                byPeriod[p.period] = q
            } else {
                byPeriod[p.period] = p
            }
        }
        let points = byPeriod.keys.sorted().map { k -> Point in
            var p = byPeriod[k]!
            p.sources = Array(Set(p.sources)).sorted()
            return p
        }
        self.points = points
        first = points.first?.period
        last = points.last?.period

        var episodes: [Episode] = []
        var seen = Set<Int>()
        var i = 0
        while i < points.count {
            var j = i
            while j + 1 < points.count && points[j + 1].period - points[j].period - 1 < rules.gap { j += 1 }
            let run = points[i...j]
            let sources = Array(Set(run.flatMap(\.sources))).sorted()
            let fresh = sources.filter { !seen.contains($0) }
            seen.formUnion(sources)
            episodes.append(Episode(
                number: episodes.count + 1, start: points[i].period, end: points[j].period, activePeriods: run.count,
                mentions: run.reduce(0) { $0 + $1.mentions }, documents: run.reduce(0) { $0 + $1.documents },
                sources: sources, newSources: fresh,
                gapBefore: episodes.last.map { points[i].period - $0.end - 1 } ?? 0))
            i = j + 1
        }
        self.episodes = episodes
        comebacks = max(0, episodes.count - 1)
        longestGap = episodes.map(\.gapBefore).max() ?? 0

        func sum(_ range: ClosedRange<Int>, _ value: (Point) -> Int) -> Int {
            points.reduce(0) { range.contains($1.period) ? $0 + value($1) : $0 }
        }

        // Trend over the last `trendWindow` periods of the archive.
        let w = min(rules.trendWindow, max(1, archiveLast - archiveFirst + 1))
        let windowStart = archiveLast - w + 1
        var trend = Trend.flat
        if w >= 2 {
            let ys = (0..<w).map { k in Double(sum((windowStart + k)...(windowStart + k), \.mentions)) }
            let xm = Double(w - 1) / 2
            let ym = ys.reduce(0, +) / Double(w)
            var num = 0.0, den = 0.0
            for (k, y) in ys.enumerated() {
                num += (Double(k) - xm) * (y - ym)
                den += (Double(k) - xm) * (Double(k) - xm)
            }
            let change = den > 0 ? num / den * Double(w - 1) : 0
            if change >= 1 && change >= 0.25 * ym { trend = .up } else if change <= -1 && -change >= 0.25 * ym { trend = .down }
        }
        self.trend = trend

        guard let first, let lastEpisode = episodes.last else {
            status = .undated
            return
        }
        let quietAtEnd = archiveLast - lastEpisode.end
        let recentDocs = sum(windowStart...archiveLast, \.documents)
        let earlierDocs = sum((windowStart - w)...(windowStart - 1), \.documents)
        let episodeLength = lastEpisode.end - lastEpisode.start + 1
        let half = episodeLength / 2
        let firstHalf = sum(lastEpisode.start...(lastEpisode.start + max(0, half - 1)), \.documents)
        let secondHalf = sum((lastEpisode.end - max(0, half - 1))...lastEpisode.end, \.documents)

        if first > archiveLast - rules.newPeriods {
            status = .new
        } else if episodes.count == 1 && episodeLength <= rules.oneOffMaxPeriods {
            status = .oneOff
        } else if (quietAtEnd >= rules.fadeAfter && (comebacks == 0 || quietAtEnd > longestGap))
                    || (trend == .down && recentDocs * 2 <= earlierDocs) {
            status = .fading
        } else if comebacks <= 1 && quietAtEnd < rules.fadeAfter && episodeLength >= rules.risingMinPeriods
                    && Double(secondHalf) >= rules.risingRatio * Double(max(1, firstHalf)) && secondHalf >= firstHalf + 2 {
            status = .rising
        } else if comebacks >= 1 {
            status = .recurring
        } else {
            status = .steady
        }
    }
}
