import Foundation

/// Duplicate detection measured from recur's output files (`duplicates.csv` and the paragraph listings)
/// against a generated archive's `truth.json`.
///
/// **Locating truth members.** The truth names a duplicate member by its document and its text; recur's
/// files name paragraphs by document and index. Every member is looked up among recur's paragraphs of the
/// same document whose `TruthText.matchKey` (spaces collapsed, quote markers dropped) equals the member's;
/// each recur paragraph stands for at most one member. Paragraphs missing from the listings given (for
/// instance when only the kept paragraphs of `paragraphs.jsonl` are at hand) are taken from the snippets of
/// `duplicates.csv`: a snippet cut at 80 characters must begin the member's text, a shorter one equal it. Members found nowhere are
/// counted as *not located* and left out of both figures.
///
/// **Recall of a truth kind** (the cluster kinds of `truth.json`: exact, near, boilerplate, quote). A truth
/// cluster with `n` located members holds `n − 1` planted repeats: the cluster is fully found when recur
/// folds every member but one into another member of the same cluster, whichever one recur keeps (its
/// first occurrence by date and input order may differ from the generator's). Recall = members recur set
/// aside (a `duplicates.csv` row, any kind) whose kept paragraph lies in the member's own truth cluster,
/// divided by the planted repeats, over all truth clusters of that kind.
///
/// **Precision of a recur kind** (the `kind` column). Of the rows that set a paragraph aside as a repeat
/// of another (the kept boilerplate paragraph's own row asserts no pair and is left out), the share whose
/// paragraph and kept paragraph lie in one truth cluster, whatever the truth cluster's kind. Rows with a
/// document the truth does not cover (such as the archive's README) are left out and counted.
///
/// **Kind agreement.** A truth cluster's kind names the cluster, not each member: a near cluster holds
/// verbatim copies and an edited one, a quote cluster holds the original and its quoted copies. Each
/// member therefore has an *expected* kind: `quote` when its text is quoted (`>`), else `boilerplate`
/// in a boilerplate cluster, else `near` when its text differs from the cluster's first member, else
/// `exact`. Kind agreement is the share of correct rows whose recur kind is the expected kind of their
/// paragraph; the full table is `confusion`.
public enum DedupTruthQuality {
    /// The bars of issue 4: precision and recall of exact duplicates 1.0; near duplicates precision 0.98 and
    /// recall 0.95. Boilerplate and quotes have no bar.
    public static let precisionBars: [String: Double] = ["exact": 1.0, "near": 0.98]
    public static let recallBars: [String: Double] = ["exact": 1.0, "near": 0.95]
    /// The kinds in report order.
    public static let kinds = ["exact", "near", "boilerplate", "quote"]

    /// A paragraph by document and 0-based index, as recur's files name it.
    public struct ParagraphRef: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var doc: String
        public var paragraph: Int

        public init(doc: String, paragraph: Int) {
            self.doc = doc
            self.paragraph = paragraph
        }

        public static func < (a: ParagraphRef, b: ParagraphRef) -> Bool {
            a.doc != b.doc ? utf8Less(a.doc, b.doc) : a.paragraph < b.paragraph
        }

        public var description: String { "\(doc)#\(paragraph)" }
    }

    /// Recall of one truth kind.
    public struct RecallFigure: Sendable, Hashable {
        public var kind: String
        public var clusters: Int
        /// Members in the truth, located or not.
        public var members: Int
        public var notLocated: Int
        /// Planted repeats among located members (located members minus one per cluster).
        public var repeats: Int
        public var found: Int
        /// found / repeats; 1 when there are none.
        public var recall: Double { repeats == 0 ? 1 : Double(found) / Double(repeats) }
    }

    /// Precision of one recur kind.
    public struct PrecisionFigure: Sendable, Hashable {
        public var kind: String
        /// Rows setting a paragraph aside, in documents the truth covers.
        public var rows: Int
        public var correct: Int
        /// Rows left out because a document is not in the truth.
        public var outsideTruth: Int
        /// correct / rows; 1 when there are none.
        public var precision: Double { rows == 0 ? 1 : Double(correct) / Double(rows) }
    }

    /// A planted repeat recur did not fold into its truth cluster.
    public struct Miss: Sendable, Hashable {
        public var cluster: String
        public var kind: String
        public var member: ParagraphRef
        /// What recur did with it: nil when it kept the paragraph, else the kept paragraph it points to.
        public var keptInstead: ParagraphRef?
        /// `TextSimilarity` of the member and `keptInstead`; for a member recur kept, its highest similarity to
        /// another located member of its truth cluster. nil when a text is not at hand.
        public var similarity: Double?
        public var text: String
    }

    /// Pairs outside the truth's clusters, split by how alike their texts are (`TextSimilarity`,
    /// computed here, not taken from recur): unplanted repeats the generator's templates make
    /// (a sentence with another date or number) against pairs that are really different.
    public struct Breakdown: Sendable, Hashable {
        /// The same text once spaces and quote markers are set aside.
        public var identical = 0
        /// Jaccard similarity at or above the threshold.
        public var similar = 0
        /// Below the threshold.
        public var dissimilar = 0
        /// A text not at hand (only a snippet).
        public var unknown = 0

        mutating func add(_ similarity: Double?, threshold: Double) {
            guard let similarity else { unknown += 1; return }
            if similarity >= 1 { identical += 1 } else if similarity >= threshold - 1e-9 { similar += 1 } else { dissimilar += 1 }
        }

        var total: Int { identical + similar + dissimilar + unknown }

        /// The non-zero counts, e.g. `161 text Jaccard ≥ 0.800, 1 identical text`.
        func describe(threshold: Double) -> String {
            [(identical, "identical text"), (similar, "text Jaccard ≥ \(DuplicatesCSV.fixed3(threshold))"),
             (dissimilar, "text Jaccard below \(DuplicatesCSV.fixed3(threshold))"), (unknown, "texts not at hand")]
                .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        }
    }

    /// Everything measured.
    public struct Report: Sendable {
        /// The printable figures (section `dedup`).
        public var rows: [QualityRow]
        public var recall: [RecallFigure]
        public var precision: [PrecisionFigure]
        /// Expected kind → recur kind → correct rows.
        public var confusion: [String: [String: Int]]
        /// Rows of `duplicates.csv` whose pair is not in one truth cluster, in file order.
        public var falsePositives: [RecurOutputs.DuplicateRow]
        /// Planted repeats recur missed, by truth cluster order.
        public var misses: [Miss]
        /// Members located through a `duplicates.csv` snippet rather than a full paragraph text.
        public var locatedBySnippet: Int
        /// Per recur kind: the false positives by text similarity.
        public var falsePositiveTexts: [String: Breakdown]
        /// Per truth kind: the misses recur folded into another cluster's paragraph, by their similarity to it.
        public var foldedMissTexts: [String: Breakdown]
        /// Per truth kind: the misses recur kept, by their highest similarity to another member of their cluster
        /// (below the threshold: an edit too large for a near duplicate by definition).
        public var keptMissTexts: [String: Breakdown]
    }

    /// Measures `duplicates.csv` rows against the truth.
    ///
    /// - Parameters:
    ///   - truth: the archive's `truth.json`; it must list its clusters (`duplicates`), not only counts.
    ///   - duplicatesCSV: the rows of `duplicates.csv`.
    ///   - allParagraphs: recur's paragraphs with their texts: ideally every paragraph (`recur normalize`
    ///     output), else the kept ones of `paragraphs.jsonl` (the rest are then located by snippet).
    ///   - measuredOn: what was run, for the rows' "measured on" column.
    public static func measure(
        truth: DemoTruth, duplicatesCSV: [RecurOutputs.DuplicateRow], allParagraphs: [RecurOutputs.Paragraph],
        measuredOn: String = "duplicates.csv vs truth.json", threshold: Double = 0.8
    ) -> Report {
        // recur's paragraphs per document: full texts first, snippets for paragraphs listed nowhere else.
        struct Candidate {
            var ref: ParagraphRef
            var key: String
            var fromSnippet: Bool
            /// Only the first characters are known: the text must start with `key`.
            var isPrefix: Bool
        }
        var byDoc: [String: [Candidate]] = [:]
        var listed = Set<ParagraphRef>()
        var fullText: [ParagraphRef: RecurOutputs.Paragraph] = [:]
        for p in allParagraphs {
            let ref = ParagraphRef(doc: p.doc, paragraph: p.paragraph)
            guard listed.insert(ref).inserted else { continue }
            fullText[ref] = p
            byDoc[p.doc, default: []].append(Candidate(ref: ref, key: TruthText.matchKey(p.text), fromSnippet: false, isPrefix: false))
        }
        for row in duplicatesCSV {
            let ref = ParagraphRef(doc: row.doc, paragraph: row.paragraph)
            guard listed.insert(ref).inserted else { continue }
            let key = TruthText.matchKey(row.snippet)
            // A snippet shorter than the cut is the whole paragraph.
            let cut = row.snippet.count >= DuplicatesCSV.snippetLength - 1
            if !key.isEmpty { byDoc[row.doc, default: []].append(Candidate(ref: ref, key: key, fromSnippet: true, isPrefix: cut)) }
        }
        for doc in byDoc.keys {
            // Whole texts before prefixes; longer prefixes first.
            byDoc[doc]?.sort { a, b in a.isPrefix != b.isPrefix ? !a.isPrefix : (a.key.count != b.key.count ? a.key.count > b.key.count : a.ref < b.ref) }
        }

        // Locate every truth member; each recur paragraph stands for one member at most.
        var clusterOf: [ParagraphRef: Int] = [:]
        var expectedKind: [ParagraphRef: String] = [:]
        var located: [[ParagraphRef]] = Array(repeating: [], count: truth.duplicates.count)
        var memberTexts: [ParagraphRef: String] = [:]
        var notLocated = Array(repeating: 0, count: truth.duplicates.count)
        var bySnippet = 0
        for (c, cluster) in truth.duplicates.enumerated() {
            let originalKey = cluster.members.first.map { TruthText.matchKey($0.paragraphText) } ?? ""
            for member in cluster.members {
                let key = TruthText.matchKey(member.paragraphText)
                let hit = byDoc[member.doc]?.first { cand in
                    clusterOf[cand.ref] == nil && (cand.isPrefix ? key.hasPrefix(cand.key) : cand.key == key)
                }
                guard let hit else {
                    notLocated[c] += 1
                    continue
                }
                if hit.fromSnippet { bySnippet += 1 }
                clusterOf[hit.ref] = c
                located[c].append(hit.ref)
                memberTexts[hit.ref] = member.paragraphText
                expectedKind[hit.ref] = TruthText.isQuoted(member.paragraphText) ? "quote"
                    : cluster.kind == "boilerplate" ? "boilerplate"
                    : (cluster.kind == "near" && key != originalKey) ? "near" : "exact"
            }
        }

        // What recur set aside, and where it points.
        let truthDocs = Set(truth.documents.map(\.id))
        var keptOf: [ParagraphRef: ParagraphRef] = [:]
        for row in duplicatesCSV where !row.isKeptRow {
            keptOf[ParagraphRef(doc: row.doc, paragraph: row.paragraph)] = ParagraphRef(doc: row.keptDoc, paragraph: row.keptParagraph)
        }

        func similarity(_ a: ParagraphRef, _ b: ParagraphRef) -> Double? {
            guard let x = fullText[a], let y = fullText[b] else { return nil }
            return TextSimilarity.jaccard(x, y)
        }

        // Recall per truth kind.
        var recall: [String: RecallFigure] = [:]
        var foldedMissTexts: [String: Breakdown] = [:]
        var keptMissTexts: [String: Breakdown] = [:]
        var misses: [Miss] = []
        for (c, cluster) in truth.duplicates.enumerated() {
            var figure = recall[cluster.kind] ?? RecallFigure(kind: cluster.kind, clusters: 0, members: 0, notLocated: 0, repeats: 0, found: 0)
            figure.clusters += 1
            figure.members += cluster.members.count
            figure.notLocated += notLocated[c]
            figure.repeats += max(0, located[c].count - 1)
            var unfolded: [ParagraphRef] = []
            for ref in located[c] {
                if let kept = keptOf[ref], clusterOf[kept] == c { figure.found += 1 } else { unfolded.append(ref) }
            }
            // One unfolded member per cluster stands for it (preferably one recur keeps); the others are misses.
            let ordered = unfolded.sorted { a, b in (keptOf[a] == nil) != (keptOf[b] == nil) ? keptOf[a] == nil : a < b }
            for ref in ordered.dropFirst() {
                let sim: Double?
                if let kept = keptOf[ref] {
                    sim = similarity(ref, kept)
                    foldedMissTexts[cluster.kind, default: Breakdown()].add(sim, threshold: threshold)
                } else {
                    let others = located[c].filter { $0 != ref }.compactMap { similarity(ref, $0) }
                    sim = others.count == located[c].count - 1 ? others.max() : nil
                    keptMissTexts[cluster.kind, default: Breakdown()].add(sim, threshold: threshold)
                }
                misses.append(Miss(cluster: cluster.cluster, kind: cluster.kind, member: ref, keptInstead: keptOf[ref], similarity: sim,
                                   text: memberTexts[ref] ?? ""))
            }
            recall[cluster.kind] = figure
        }

        // Precision per recur kind, and kind agreement.
        var precision: [String: PrecisionFigure] = [:]
        var confusion: [String: [String: Int]] = [:]
        var falsePositives: [RecurOutputs.DuplicateRow] = []
        var falsePositiveTexts: [String: Breakdown] = [:]
        for row in duplicatesCSV where !row.isKeptRow {
            var figure = precision[row.kind] ?? PrecisionFigure(kind: row.kind, rows: 0, correct: 0, outsideTruth: 0)
            defer { precision[row.kind] = figure }
            guard truthDocs.contains(row.doc), truthDocs.contains(row.keptDoc) else {
                figure.outsideTruth += 1
                continue
            }
            figure.rows += 1
            let ref = ParagraphRef(doc: row.doc, paragraph: row.paragraph)
            let kept = ParagraphRef(doc: row.keptDoc, paragraph: row.keptParagraph)
            if let c = clusterOf[ref], clusterOf[kept] == c {
                figure.correct += 1
                confusion[expectedKind[ref] ?? "exact", default: [:]][row.kind, default: 0] += 1
            } else {
                falsePositives.append(row)
                falsePositiveTexts[row.kind, default: Breakdown()].add(similarity(ref, kept), threshold: threshold)
            }
        }

        // The printable rows.
        var rows: [QualityRow] = []
        let allKinds = kinds + Set(precision.keys).union(recall.keys).subtracting(kinds).sorted()
        for kind in allKinds {
            if let p = precision[kind] {
                rows.append(QualityRow(
                    section: "dedup", measure: "\(kind) precision", value: p.precision, bar: precisionBars[kind],
                    measuredOn: "\(measuredOn): \(p.rows) \(kind) rows, \(p.rows - p.correct) not in one truth cluster"
                        + (falsePositiveTexts[kind].map { " (\($0.describe(threshold: threshold)))" } ?? "")
                        + (p.outsideTruth > 0 ? "; \(p.outsideTruth) rows outside the truth's documents left out" : "")))
            } else if precisionBars[kind] != nil {
                rows.append(QualityRow(section: "dedup", measure: "\(kind) precision", value: 1, bar: precisionBars[kind],
                                       measuredOn: "\(measuredOn): no \(kind) rows"))
            }
            if let r = recall[kind] {
                rows.append(QualityRow(
                    section: "dedup", measure: "\(kind) recall", value: r.recall, bar: recallBars[kind],
                    measuredOn: "\(measuredOn): \(r.repeats) planted repeats in \(r.clusters) truth \(kind) clusters, \(r.repeats - r.found) missed"
                        + (r.repeats > r.found ? " (" + [
                            keptMissTexts[kind].map { "\($0.total) kept, best match in their cluster: \($0.describe(threshold: threshold))" },
                            foldedMissTexts[kind].map { "\($0.total) folded into another cluster's paragraph: \($0.describe(threshold: threshold))" },
                        ].compactMap { $0 }.joined(separator: "; ") + ")" : "")
                        + (r.notLocated > 0 ? "; \(r.notLocated) of \(r.members) members not located in recur's paragraphs" : "")))
            }
        }
        let correct = confusion.values.reduce(0) { $0 + $1.values.reduce(0, +) }
        let agreeing = confusion.reduce(0) { $0 + ($1.value[$1.key] ?? 0) }
        rows.append(QualityRow(
            section: "dedup", measure: "kind agreement of correct duplicates",
            value: correct == 0 ? 1 : Double(agreeing) / Double(correct),
            measuredOn: "\(measuredOn): \(correct) rows in one truth cluster, kind as expected for the member (quoted → quote, edited → near)"))
        let members = recall.values.reduce(0) { $0 + $1.members }
        let missing = recall.values.reduce(0) { $0 + $1.notLocated }
        rows.append(QualityRow(
            section: "dedup", measure: "truth duplicate members located in recur's paragraphs",
            value: members == 0 ? 1 : Double(members - missing) / Double(members),
            measuredOn: "\(measuredOn): \(members) members of \(truth.duplicates.count) clusters"
                + (bySnippet > 0 ? ", \(bySnippet) by the 80-character snippet only" : "")))
        return Report(
            rows: rows, recall: allKinds.compactMap { recall[$0] }, precision: allKinds.compactMap { precision[$0] },
            confusion: confusion, falsePositives: falsePositives, misses: misses, locatedBySnippet: bySnippet,
            falsePositiveTexts: falsePositiveTexts, foldedMissTexts: foldedMissTexts, keptMissTexts: keptMissTexts)
    }

    /// Reads the files and measures.
    ///
    /// - Parameters:
    ///   - truthPath: `truth.json`.
    ///   - outputDirectory: a `recur dedup` or `recur analyze` output folder (`duplicates.csv`, `paragraphs.jsonl`).
    ///   - allParagraphsPath: optional `recur normalize` JSON lines of the same archive (every paragraph);
    ///     without it the set-aside paragraphs are located by their snippets.
    /// - Throws: `RecurError` naming the file (and line) that is missing or malformed, or when the truth
    ///   lists only per-kind counts.
    public static func measure(truthPath: String, outputDirectory: String, allParagraphsPath: String? = nil) throws -> Report {
        let truth = try DemoTruth.load(path: truthPath)
        guard !truth.duplicates.isEmpty || truth.duplicateCounts == nil else {
            throw RecurError(.invalidInput, "the truth lists only duplicate counts, not clusters (archive generated without full duplicates)", path: truthPath)
        }
        let rows = try RecurOutputs.DuplicateRow.load(path: outputDirectory + "/duplicates.csv")
        var paragraphs = try RecurOutputs.Paragraph.load(path: outputDirectory + "/paragraphs.jsonl")
        if let allParagraphsPath { paragraphs = try RecurOutputs.Paragraph.load(path: allParagraphsPath) + paragraphs }
        return measure(truth: truth, duplicatesCSV: rows, allParagraphs: paragraphs,
                       measuredOn: "\(outputDirectory)/duplicates.csv vs \(truthPath)")
    }
}

/// How alike two of recur's paragraphs are, computed independently of the deduplicator: Jaccard
/// similarity of the character n-gram sets of their matching keys (`key`, else the lower-cased text;
/// quote markers and space runs set aside). n = 5, or 3 when either paragraph is Japanese and shorter
/// than 60 characters (recur's defaults).
public enum TextSimilarity {
    public static func jaccard(_ a: RecurOutputs.Paragraph, _ b: RecurOutputs.Paragraph) -> Double {
        let x = TruthText.matchKey(a.key ?? a.text.lowercased()), y = TruthText.matchKey(b.key ?? b.text.lowercased())
        if x == y { return 1 }
        let shortJapanese = [(a, x), (b, y)].contains { $0.0.lang == "ja" && $0.1.unicodeScalars.count < 60 }
        return jaccard(x, y, n: shortJapanese ? 3 : 5)
    }

    /// Jaccard similarity of the sets of character (Unicode scalar) n-grams; a text of n or fewer is one gram.
    public static func jaccard(_ a: String, _ b: String, n: Int) -> Double {
        func grams(_ s: String) -> Set<String> {
            let scalars = Array(s.unicodeScalars)
            guard n > 0, scalars.count > n else { return [s] }
            var out = Set<String>()
            for i in 0...(scalars.count - n) { out.insert(String(String.UnicodeScalarView(scalars[i..<(i + n)]))) }
            return out
        }
        let x = grams(a), y = grams(b)
        let union = x.union(y).count
        return union == 0 ? 1 : Double(x.intersection(y).count) / Double(union)
    }
}
