import Foundation

/// The ground truth a generated archive carries in `truth.json` (see `RecurCorpus`).
public struct DemoTruth: Decodable, Sendable {
    public struct Document: Decodable, Sendable {
        public var id: String
        public var date: String
        public var lang: String
        /// The file the document is in (several documents share an `.mbox`, `.jsonl` or `.csv`).
        public var path: String?
        public var source: String
        public var themes: [String]
    }

    public struct Member: Decodable, Sendable {
        public var doc: String
        public var paragraphText: String

        enum CodingKeys: String, CodingKey {
            case doc
            case paragraphText = "paragraph_text"
        }
    }

    public struct DuplicateCluster: Decodable, Sendable {
        public var cluster: String
        public var kind: String
        public var members: [Member]
    }

    public struct Episode: Decodable, Sendable {
        /// First and last month, `YYYY-MM`.
        public var start: String
        public var end: String
        public var sources: [String]
        /// Sources not seen in the theme's earlier episodes.
        public var newSources: [String]?

        enum CodingKeys: String, CodingKey {
            case start, end, sources
            case newSources = "new_sources"
        }
    }

    public struct Theme: Decodable, Sendable {
        public var id: String
        public var lang: String
        public var label: String
        /// The stems or words the generator phrases the theme around.
        public var keywords: [String]?
        /// steady, rising, fading, recurring or one-off.
        public var pattern: String
        public var documents: [String]
        public var episodes: [Episode]
    }

    public var documents: [Document]
    public var duplicates: [DuplicateCluster]
    /// Per-kind counts written instead of `duplicates` for archives too large to list every cluster.
    public var duplicateCounts: [String: Int]?
    public var themes: [Theme]

    enum CodingKeys: String, CodingKey {
        case documents, duplicates, themes
        case duplicateCounts = "duplicate_counts"
    }

    /// Reads `truth.json`.
    ///
    /// - Throws: `RecurError(.unreadable)` or `RecurError(.invalidInput)` naming the file.
    public static func load(path: String) throws -> DemoTruth {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RecurError(.unreadable, "cannot read the truth file", path: path)
        }
        do { return try JSONDecoder().decode(DemoTruth.self, from: data) } catch {
            throw RecurError(.invalidInput, "not a recur-corpus truth file: \(explain(error))", path: path)
        }
    }

    /// A decoding error in a few words, with where in the JSON it happened (`themes[3].episodes[0]`).
    static func explain(_ error: any Error) -> String {
        func at(_ path: [any CodingKey]) -> String {
            var out = ""
            for key in path {
                if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
            }
            return out.isEmpty ? "at the top level" : "at " + out
        }
        guard let error = error as? DecodingError else { return String(describing: error) }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key \"\(key.stringValue)\" \(at(context.codingPath))"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "expected \(type) \(at(context.codingPath))"
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError { return "invalid JSON \(at(context.codingPath)): \(underlying.localizedDescription)" }
            return "\(context.debugDescription) \(at(context.codingPath))"
        @unknown default:
            return String(describing: error)
        }
    }
}

/// Deduplication and theme quality of an analysis against a generated archive's truth.
public enum TruthQuality {
    /// A paragraph's text as truth and recur can both see it: quote markers dropped, spaces collapsed.
    static func comparable(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { line -> Substring in
            var l = line.drop { $0 == " " }
            while l.first == ">" { l = l.dropFirst().drop { $0 == " " } }
            return l
        }.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Precision and recall of duplicate detection per kind.
    ///
    /// Every non-first member of a truth cluster is a planted repeat: **recall** of a truth kind is the
    /// share of them recur sets aside (any kind) pointing to a paragraph of the same truth cluster or
    /// to one whose text is at least `threshold` similar. **Precision** of a recur kind is the share of
    /// the paragraphs recur set aside as that kind that point to a paragraph of their own truth cluster,
    /// or, since the generator's templates also repeat sentences it never planted as duplicates, whose
    /// similarity to the kept paragraph, recomputed here independently of the deduplicator (character
    /// n-gram Jaccard of the matching keys), reaches the threshold.
    public static func dedupRows(_ analysis: ArchiveAnalysis, truth: DemoTruth, measuredOn: String, options: DedupOptions = DedupOptions()) -> [QualityRow] {
        var idsByDocText: [String: [Int]] = [:]
        analysis.forEachParagraph { id, paragraph, document in
            idsByDocText[document.id + "\u{1}" + comparable(paragraph.text), default: []].append(id)
        }
        var clusterOf: [Int: Int] = [:]
        var expected: [(id: Int, cluster: Int, kind: String)] = []
        var clusterIDs: [Int: [Int]] = [:]
        for (c, cluster) in truth.duplicates.enumerated() {
            var used = Set<Int>()
            var ids: [Int] = []
            for member in cluster.members {
                let key = member.doc + "\u{1}" + comparable(member.paragraphText)
                guard let id = idsByDocText[key]?.first(where: { !used.contains($0) }) else { continue }
                used.insert(id)
                ids.append(id)
                clusterOf[id] = c
            }
            // The first occurrence in recur's order stands for the cluster; the others are repeats.
            for id in ids.sorted().dropFirst() { expected.append((id, c, cluster.kind)) }
            clusterIDs[c] = ids
        }
        let dedup = analysis.dedup
        func similarEnough(_ a: Int, _ b: Int) -> Bool {
            let x = comparable(analysis.key(of: a))
            let y = comparable(analysis.key(of: b))
            if x == y { return true }
            let ja = dedup.location(a).lang == .ja && x.unicodeScalars.count < options.shortJapaneseLength
            let n = ja ? options.shortJapaneseShingleSize : options.shingleSize
            return TextSimilarity.jaccard(x, y, n: n) >= options.threshold - 1e-9
        }
        var rows: [QualityRow] = []
        let bars: [String: (precision: Double, recall: Double)] = ["exact": (1, 1), "near": (0.98, 0.95)]
        for kind in DuplicateKind.allCases {
            let name = kind.rawValue
            let truthMembers = expected.filter { $0.kind == name }
            let found = truthMembers.filter { m in
                guard !dedup.isKept(m.id) else { return false }
                let kept = dedup.keptID(of: m.id)
                return clusterOf[kept] == m.cluster || similarEnough(m.id, kept)
            }.count
            let flagged = (0..<dedup.count).filter { dedup.kind(of: $0) == kind }
            let right = flagged.filter { id in
                let kept = dedup.keptID(of: id)
                if let c = clusterOf[id], clusterOf[kept] == c { return true }
                return kind != .boilerplate && similarEnough(id, kept)
            }.count
            rows.append(QualityRow(section: "dedup", measure: "\(name) precision",
                                   value: flagged.isEmpty ? 1 : Double(right) / Double(flagged.count),
                                   bar: bars[name]?.precision, measuredOn: "\(measuredOn): \(flagged.count) paragraphs recur set aside as \(name)"))
            if kind == .near {
                // The generator's edits sometimes take a short paragraph below the threshold; by the
                // definition of a near duplicate those cannot count against recall.
                let reachable = truthMembers.filter { m in (clusterIDs[m.cluster] ?? []).contains { $0 != m.id && similarEnough(m.id, $0) } }
                let foundReachable = reachable.filter { m in
                    guard !dedup.isKept(m.id) else { return false }
                    let kept = dedup.keptID(of: m.id)
                    return clusterOf[kept] == m.cluster || similarEnough(m.id, kept)
                }.count
                rows.append(QualityRow(section: "dedup", measure: "near recall, all planted edits",
                                       value: truthMembers.isEmpty ? 1 : Double(found) / Double(truthMembers.count),
                                       measuredOn: "\(measuredOn): \(truthMembers.count) planted near repeats, some edited below the threshold"))
                rows.append(QualityRow(section: "dedup", measure: "near recall, planted edits at or above the threshold",
                                       value: reachable.isEmpty ? 1 : Double(foundReachable) / Double(reachable.count), bar: bars[name]?.recall,
                                       measuredOn: "\(measuredOn): \(reachable.count) planted near repeats with Jaccard ≥ \(DuplicatesCSV.fixed3(options.threshold))"))
                continue
            }
            rows.append(QualityRow(section: "dedup", measure: "\(name) recall",
                                   value: truthMembers.isEmpty ? 1 : Double(found) / Double(truthMembers.count),
                                   bar: bars[name]?.recall, measuredOn: "\(measuredOn): \(truthMembers.count) planted \(name) repeats"))
        }
        return rows
    }

    /// One planted theme and the recur theme that matches it best.
    public struct ThemeMatch: Sendable {
        public var planted: String
        public var theme: Theme?
        /// 1-based rank within the language.
        public var rank: Int
        /// Share of the recur theme's mention documents that belong to the planted theme.
        public var purity: Double
        /// Share of the planted theme's documents among the recur theme's mention documents.
        public var coverage: Double
        /// nil when the planted theme has no comeback.
        public var comebackFound: Bool?
    }

    /// Matches every planted theme that is not one-off to the top `top` recur themes of its language: the one
    /// whose mention documents hold most of the planted documents (ties: better rank).
    public static func themeMatches(_ report: ThemeReport, truth: DemoTruth, top: Int = 20) -> [ThemeMatch] {
        var matches: [ThemeMatch] = []
        for planted in truth.themes where planted.pattern != "one-off" {
            let plantedDocs = Set(planted.documents)
            let candidates = report.themes.filter { $0.lang.rawValue == planted.lang && $0.rank <= top }
            var best: (theme: Theme, overlap: Int, docs: Set<String>)?
            for theme in candidates {
                let docs = Set(theme.mentionList.map(\.doc))
                let overlap = docs.intersection(plantedDocs).count
                if best == nil || overlap > best!.overlap || (overlap == best!.overlap && theme.rank < best!.theme.rank) {
                    best = (theme, overlap, docs)
                }
            }
            guard let best, best.overlap > 0 else {
                matches.append(ThemeMatch(planted: planted.id, theme: nil, rank: 0, purity: 0, coverage: 0,
                                          comebackFound: planted.episodes.count > 1 ? false : nil))
                continue
            }
            var comeback: Bool?
            if planted.episodes.count > 1 {
                let starts = best.theme.episodes.map(\.start.index)
                comeback = planted.episodes.allSatisfy { e in
                    guard let p = monthIndex(e.start) else { return false }
                    return starts.contains { abs($0 - p) <= 1 }
                }
            }
            matches.append(ThemeMatch(
                planted: planted.id, theme: best.theme, rank: best.theme.rank,
                purity: Double(best.overlap) / Double(max(1, best.docs.count)),
                coverage: Double(best.overlap) / Double(max(1, plantedDocs.count)), comebackFound: comeback))
        }
        return matches
    }

    /// Theme recall, purity, comeback detection and top-20 cleanliness.
    public static func themeRows(_ report: ThemeReport, truth: DemoTruth, measuredOn: String) -> [QualityRow] {
        let matches = themeMatches(report, truth: truth)
        let found = matches.filter { $0.theme != nil && $0.purity >= 0.8 }
        let withComeback = matches.filter { $0.comebackFound != nil }
        let comebacks = withComeback.filter { $0.comebackFound == true && $0.purity >= 0.8 }
        let matched = matches.filter { $0.theme != nil }
        let meanPurity = matched.isEmpty ? 0 : matched.map(\.purity).reduce(0, +) / Double(matched.count)
        // Top-20 themes whose label is only request wording, courtesy or generic words.
        var junk = 0, shown = 0
        for theme in report.themes where theme.rank <= 20 {
            shown += 1
            let words = theme.phrases.first?.keys ?? []
            let lexicon = Stopwords.requestCues(theme.lang).union(Stopwords.courtesyWords(theme.lang)).union(Stopwords.genericWords(theme.lang))
            if !words.isEmpty && words.allSatisfy({ lexicon.contains($0) || Stopwords.contains($0, language: theme.lang) }) { junk += 1 }
        }
        return [
            QualityRow(section: "themes", measure: "recall (planted recurring themes in the top 20 of their language, purity ≥ 0.8)",
                       value: Double(found.count) / Double(max(1, matches.count)), bar: 0.9,
                       measuredOn: "\(measuredOn): \(found.count) of \(matches.count) planted themes"),
            QualityRow(section: "themes", measure: "mean document purity of the best-matching theme",
                       value: meanPurity, measuredOn: "\(measuredOn): mentions of \(matched.count) matched themes"),
            QualityRow(section: "themes", measure: "comebacks found (every episode start within one period)",
                       value: Double(comebacks.count) / Double(max(1, withComeback.count)), bar: 0.9,
                       measuredOn: "\(measuredOn): \(comebacks.count) of \(withComeback.count) planted themes with comebacks"),
            QualityRow(section: "themes", measure: "top-20 themes not made of request, courtesy or generic words",
                       value: Double(shown - junk) / Double(max(1, shown)), bar: 1.0,
                       measuredOn: "\(measuredOn): \(shown) themes"),
        ]
    }

    /// `YYYY-MM` as a month period index.
    static func monthIndex(_ label: String) -> Int? {
        let parts = label.split(separator: "-")
        guard parts.count >= 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        return y * 12 + m - 1
    }
}

extension QualityRow {
    /// The bar as printed: `≥ 0.950`, or empty when the figure has none.
    public var barText: String { bar.map { "≥ " + DuplicatesCSV.fixed3($0) } ?? "" }

    /// Whether the value meets its bar; nil when there is no bar.
    public var verdict: Bool? { bar == nil ? nil : passes }
}
