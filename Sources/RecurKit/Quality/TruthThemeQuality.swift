import Foundation

/// Theme extraction measured from recur's output files (`themes.csv`, `mentions.csv`, `episodes.csv`)
/// against a generated archive's `truth.json`.
///
/// **Matching.** Every planted theme whose pattern is not `one-off` is matched to one recur theme among
/// the top `top` themes of its language (rank = order within the language in `themes.csv`): the one whose
/// mention documents (`mentions.csv`) hold the most of the planted theme's documents; ties go to the better
/// rank. A planted theme none of whose documents is mentioned by a top theme stays unmatched.
/// - **purity** = share of the recur theme's mention documents that belong to the planted theme;
/// - **coverage** = share of the planted theme's documents among the recur theme's mention documents.
///
/// **Theme recall** = planted themes matched with purity ≥ 0.8 (*found*) / planted themes that are not
/// one-off. **Mean purity** is over the matched ones.
///
/// **Comeback detection** is over the planted themes with a comeback (two or more truth episodes): a
/// comeback is found when the theme is found and, for every truth episode start, one of the recur theme's
/// episodes (`episodes.csv`) starts within one period (month) of it.
///
/// **No junk**: a top theme is junk when every word of its label is a stopword, courtesy word or request
/// cue of its language (`Stopwords`; Japanese labels are split into listed words greedily, longest first,
/// and must be covered by them entirely), or when more than half of its mentions are in paragraphs that
/// are members of truth boilerplate clusters (footers, signatures, greetings; this needs the paragraph
/// texts of `paragraphs.jsonl`).
public enum ThemeTruthQuality {
    /// The bars of issue 5.
    public static let recallBar = 0.9
    public static let comebackBar = 0.9
    public static let purityBar = 0.8

    /// One planted theme and the recur theme that matches it best.
    public struct Match: Sendable, Hashable {
        public var planted: String
        public var lang: String
        public var pattern: String
        public var plantedDocuments: Int
        /// The matched recur theme; nil when no top theme mentions any planted document.
        public var themeID: String?
        public var label: String?
        /// 1-based rank within the language; 0 when unmatched.
        public var rank: Int
        /// Planted documents among the recur theme's mention documents.
        public var overlap: Int
        public var themeDocuments: Int
        public var purity: Double
        public var coverage: Double
        /// Matched with purity ≥ 0.8.
        public var found: Bool
        /// The truth's episode starts (`YYYY-MM`).
        public var truthStarts: [String]
        /// The matched theme's episode starts.
        public var recurStarts: [String]
        /// nil when no comeback is planted; else whether every truth episode start has a recur episode
        /// start within one month (whatever the purity).
        public var episodesAligned: Bool?
        /// nil when no comeback is planted; else `found && episodesAligned`.
        public var comebackFound: Bool?
    }

    /// A top theme that fails the no-junk check.
    public struct Junk: Sendable, Hashable {
        public var themeID: String
        public var label: String
        public var lang: String
        public var rank: Int
        /// Why: "label of stopwords, courtesy words or request cues" and/or "n of m mentions in boilerplate".
        public var reasons: [String]
    }

    /// Everything measured.
    public struct Report: Sendable {
        /// The printable figures (section `themes`).
        public var rows: [QualityRow]
        /// Per planted theme that is not one-off, in truth order.
        public var matches: [Match]
        /// Top themes that fail the no-junk check, by language then rank.
        public var junk: [Junk]

        /// The per-theme matches as a Markdown table.
        public var matchesMarkdown: String {
            var out = "| planted theme | pattern | recur theme | label | rank | purity | coverage | truth episode starts | recur episode starts | comeback found |\n"
            out += "|---|---|---|---|---:|---:|---:|---|---|---|\n"
            func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
            for m in matches {
                let comeback = m.comebackFound.map { $0 ? "yes" : "no" } ?? "–"
                out += "| \(m.planted) | \(m.pattern) | \(m.themeID ?? "–") | \(cell(m.label ?? "–")) | \(m.rank) | "
                    + "\(DuplicatesCSV.fixed3(m.purity)) | \(DuplicatesCSV.fixed3(m.coverage)) | \(m.truthStarts.joined(separator: " ")) | "
                    + "\(m.recurStarts.joined(separator: " ")) | \(comeback) |\n"
            }
            return out
        }
    }

    /// Measures the theme outputs against the truth.
    ///
    /// - Parameters:
    ///   - truth: the archive's `truth.json`.
    ///   - themesCSV, mentionsCSV, episodesCSV: the rows of recur's files (periods must be months).
    ///   - paragraphs: recur's paragraph texts (`paragraphs.jsonl`, or `recur normalize` output) for the
    ///     boilerplate part of the no-junk check; empty skips that part.
    ///   - top: how many themes per language count.
    ///   - measuredOn: what was run, for the rows' "measured on" column.
    /// - Throws: `RecurError(.invalidInput)` naming the row when an episode start is not a month
    ///   (`YYYY-MM`), or the truth theme whose episode start is not one.
    public static func measure(
        truth: DemoTruth, themesCSV: [RecurOutputs.ThemeRow], mentionsCSV: [RecurOutputs.MentionRow],
        episodesCSV: [RecurOutputs.EpisodeRow], paragraphs: [RecurOutputs.Paragraph] = [], top: Int = 20,
        measuredOn: String = "themes.csv, mentions.csv, episodes.csv vs truth.json"
    ) throws -> Report {
        var mentionDocs: [String: Set<String>] = [:]
        var mentionsByTheme: [String: [RecurOutputs.MentionRow]] = [:]
        for m in mentionsCSV {
            mentionDocs[m.themeID, default: []].insert(m.doc)
            mentionsByTheme[m.themeID, default: []].append(m)
        }
        var starts: [String: [(label: String, month: Int)]] = [:]
        for e in episodesCSV.sorted(by: { $0.themeID != $1.themeID ? $0.themeID < $1.themeID : $0.episode < $1.episode }) {
            guard let month = monthIndex(e.start) else {
                throw RecurError(.invalidInput, "episode start \"\(e.start)\" is not a month (YYYY-MM); measure an analysis run with --period month",
                                 path: e.location.isEmpty ? "episodes.csv" : e.location)
            }
            starts[e.themeID, default: []].append((e.start, month))
        }
        let topThemes = themesCSV.filter { $0.rank <= top }

        // Match every planted theme that is not one-off.
        var matches: [Match] = []
        for planted in truth.themes where planted.pattern != "one-off" {
            let plantedDocs = Set(planted.documents)
            var truthMonths: [Int] = []
            for e in planted.episodes {
                guard let m = monthIndex(e.start) else {
                    throw RecurError(.invalidInput, "truth theme \(planted.id): episode start \"\(e.start)\" is not a month (YYYY-MM)")
                }
                truthMonths.append(m)
            }
            var best: (theme: RecurOutputs.ThemeRow, overlap: Int)?
            for theme in topThemes where theme.lang == planted.lang {
                let overlap = mentionDocs[theme.id, default: []].intersection(plantedDocs).count
                guard overlap > 0 else { continue }
                if let b = best, overlap < b.overlap || (overlap == b.overlap && theme.rank >= b.theme.rank) { continue }
                best = (theme, overlap)
            }
            let hasComeback = planted.episodes.count > 1
            var match = Match(
                planted: planted.id, lang: planted.lang, pattern: planted.pattern, plantedDocuments: plantedDocs.count,
                themeID: nil, label: nil, rank: 0, overlap: 0, themeDocuments: 0, purity: 0, coverage: 0, found: false,
                truthStarts: planted.episodes.map(\.start), recurStarts: [],
                episodesAligned: hasComeback ? false : nil, comebackFound: hasComeback ? false : nil)
            if let best {
                let docs = mentionDocs[best.theme.id, default: []]
                let recurStarts = starts[best.theme.id] ?? []
                match.themeID = best.theme.id
                match.label = best.theme.label
                match.rank = best.theme.rank
                match.overlap = best.overlap
                match.themeDocuments = docs.count
                match.purity = Double(best.overlap) / Double(max(1, docs.count))
                match.coverage = Double(best.overlap) / Double(max(1, plantedDocs.count))
                match.found = match.purity >= purityBar - 1e-9
                match.recurStarts = recurStarts.map(\.label)
                if hasComeback {
                    let aligned = truthMonths.allSatisfy { t in recurStarts.contains { abs($0.month - t) <= 1 } }
                    match.episodesAligned = aligned
                    match.comebackFound = aligned && match.found
                }
            }
            matches.append(match)
        }

        // No junk among the top themes.
        var boilerplateText = Set<String>()
        for cluster in truth.duplicates where cluster.kind == "boilerplate" {
            for member in cluster.members { boilerplateText.insert(member.doc + "\u{1}" + TruthText.matchKey(member.paragraphText)) }
        }
        var paragraphText: [DedupTruthQuality.ParagraphRef: String] = [:]
        for p in paragraphs { paragraphText[.init(doc: p.doc, paragraph: p.paragraph)] = TruthText.matchKey(p.text) }
        let lexicon = JunkLexicon()
        var junk: [Junk] = []
        for theme in topThemes {
            var reasons: [String] = []
            if lexicon.isFunctionWordsOnly(theme.label, lang: theme.lang) {
                reasons.append("label of stopwords, courtesy words or request cues")
            }
            if !paragraphs.isEmpty {
                let mentions = mentionsByTheme[theme.id] ?? []
                let inBoilerplate = mentions.filter { m in
                    guard let key = paragraphText[.init(doc: m.doc, paragraph: m.paragraph)] else { return false }
                    return boilerplateText.contains(m.doc + "\u{1}" + key)
                }.count
                if !mentions.isEmpty && inBoilerplate * 2 > mentions.count {
                    reasons.append("\(inBoilerplate) of \(mentions.count) mentions in truth boilerplate")
                }
            }
            if !reasons.isEmpty { junk.append(Junk(themeID: theme.id, label: theme.label, lang: theme.lang, rank: theme.rank, reasons: reasons)) }
        }

        // The printable rows.
        let found = matches.filter(\.found)
        let matched = matches.filter { $0.themeID != nil }
        let withComeback = matches.filter { $0.comebackFound != nil }
        let comebacks = withComeback.filter { $0.comebackFound == true }
        func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }
        func perLanguage(_ items: [Match], _ hit: (Match) -> Bool) -> String {
            var langs: [String] = []
            for m in items where !langs.contains(m.lang) { langs.append(m.lang) }
            return langs.map { l in
                let mine = items.filter { $0.lang == l }
                return "\(l) \(mine.filter(hit).count)/\(mine.count)"
            }.joined(separator: ", ")
        }
        let rows = [
            QualityRow(section: "themes", measure: "theme recall (planted recurring themes in the top \(top) of their language, purity ≥ 0.8)",
                       value: matches.isEmpty ? 1 : Double(found.count) / Double(matches.count), bar: recallBar,
                       measuredOn: "\(measuredOn): \(found.count) of \(matches.count) planted themes that are not one-off (\(perLanguage(matches, \.found)))"),
            QualityRow(section: "themes", measure: "mean document purity of the best-matching themes",
                       value: mean(matched.map(\.purity)),
                       measuredOn: "\(measuredOn): mention documents of \(matched.count) matched themes"),
            QualityRow(section: "themes", measure: "mean coverage of the planted themes' documents",
                       value: mean(matched.map(\.coverage)),
                       measuredOn: "\(measuredOn): \(matched.count) matched themes"),
            QualityRow(section: "themes", measure: "comebacks found (theme found, every truth episode start within one month)",
                       value: withComeback.isEmpty ? 1 : Double(comebacks.count) / Double(withComeback.count), bar: comebackBar,
                       measuredOn: "\(measuredOn): \(comebacks.count) of \(withComeback.count) planted themes with comebacks (\(perLanguage(withComeback) { $0.comebackFound == true }))"),
            QualityRow(section: "themes", measure: "top-\(top) themes not made of stopwords, courtesy words, request cues or boilerplate",
                       value: topThemes.isEmpty ? 1 : Double(topThemes.count - junk.count) / Double(topThemes.count), bar: 1.0,
                       measuredOn: "\(measuredOn): \(topThemes.count) themes"
                           + (junk.isEmpty ? "" : "; junk: " + junk.map { "\($0.lang) #\($0.rank) \($0.label)" }.joined(separator: ", "))
                           + (paragraphs.isEmpty ? "; boilerplate check skipped (no paragraph texts)" : "")),
        ]
        return Report(rows: rows, matches: matches, junk: junk)
    }

    /// Reads the files of an analyze output folder and measures.
    ///
    /// - Throws: `RecurError` naming the file (and line) that is missing or malformed.
    public static func measure(truthPath: String, outputDirectory: String, top: Int = 20) throws -> Report {
        let truth = try DemoTruth.load(path: truthPath)
        let dir = outputDirectory
        return try measure(
            truth: truth, themesCSV: try RecurOutputs.ThemeRow.load(path: dir + "/themes.csv"),
            mentionsCSV: try RecurOutputs.MentionRow.load(path: dir + "/mentions.csv"),
            episodesCSV: try RecurOutputs.EpisodeRow.load(path: dir + "/episodes.csv"),
            paragraphs: try RecurOutputs.Paragraph.load(path: dir + "/paragraphs.jsonl"), top: top,
            measuredOn: "\(dir)/themes.csv, mentions.csv, episodes.csv vs \(truthPath)")
    }

    /// `YYYY-MM` as a month count; nil for anything else.
    public static func monthIndex(_ label: String) -> Int? {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return nil }
        return y * 12 + m - 1
    }
}

/// Stopwords, courtesy words and request cues of each language, for telling a label made only of them.
struct JunkLexicon {
    private let icu = try? ICUText()
    private var words: [String: Set<String>] = [:]
    private var longest: [String: Int] = [:]

    init() {
        for lang in [Language.ru, .fi, .ja] {
            let set = Stopwords.list(lang).union(Stopwords.requestCues(lang)).union(Stopwords.courtesyWords(lang))
            words[lang.rawValue] = set
            longest[lang.rawValue] = set.map(\.count).max() ?? 0
        }
    }

    /// Whether every word of `label` is a listed word of `lang` (Japanese: the label is covered entirely
    /// by listed words). A label without any word counts as junk too.
    func isFunctionWordsOnly(_ label: String, lang: String) -> Bool {
        guard let set = words[lang] else { return false }
        let tokens: [String]
        if let icu {
            tokens = icu.words(label).map { icu.normalize($0, .key) }
        } else {
            tokens = label.split { !($0.isLetter || $0.isNumber) }.map { String($0.lowercased().map { $0 == "ё" ? "е" : $0 }) }
        }
        let contentTokens = tokens.filter { !$0.isEmpty }
        guard !contentTokens.isEmpty else { return true }
        if lang == "ja" { return contentTokens.allSatisfy { covered(Array($0), by: set, longest: longest[lang] ?? 0) } }
        return contentTokens.allSatisfy { set.contains($0) }
    }

    /// Whether `chars` splits entirely into words of `set` (word break by dynamic programming).
    private func covered(_ chars: [Character], by set: Set<String>, longest: Int) -> Bool {
        guard !chars.isEmpty else { return true }
        var reach = Array(repeating: false, count: chars.count + 1)
        reach[0] = true
        for i in 0..<chars.count where reach[i] {
            for n in 1...max(1, min(longest, chars.count - i)) where set.contains(String(chars[i..<(i + n)])) {
                reach[i + n] = true
            }
        }
        return reach[chars.count]
    }
}
