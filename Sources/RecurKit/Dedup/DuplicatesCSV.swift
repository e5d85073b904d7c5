/// `duplicates.csv` (cells that would start a spreadsheet formula get a leading `'`): one row per non-kept paragraph, and for boilerplate clusters also the kept
/// paragraph (kind `boilerplate`, similarity 1), sorted by cluster id, then feeding order
/// (document date, then input order; the kept row comes first).
public enum DuplicatesCSV {
    public static let header = [
        "cluster_id", "kind", "similarity", "kept_doc", "kept_paragraph", "doc", "paragraph", "lang", "snippet",
    ]

    /// Characters of the snippet column.
    public static let snippetLength = 80

    /// Renders the file.
    ///
    /// - Parameters:
    ///   - rawCSV: write text cells as they are, without the guard against spreadsheet formulas.
    ///   - snippet: the original text of paragraph `id` (only called for rows written);
    ///     it is collapsed to one line and cut to its first 80 characters here.
    public static func render(
        result: DedupResult, bom: Bool = false, rawCSV: Bool = false, lineEnding: CSVWriter.LineEnding = .lf,
        snippet: (Int) -> String
    ) -> [UInt8] {
        var out: [UInt8] = []
        render(result: result, bom: bom, rawCSV: rawCSV, lineEnding: lineEnding, snippet: snippet) { out += $0 }
        return out
    }

    /// Renders the file piece by piece (about 64 KB at a time), so that it need not be held in memory.
    ///
    /// - Parameters: as `render(result:bom:rawCSV:lineEnding:snippet:)`, and `emit`, called with each piece in order.
    /// - Throws: what `emit` throws.
    public static func render(
        result: DedupResult, bom: Bool = false, rawCSV: Bool = false, lineEnding: CSVWriter.LineEnding = .lf,
        snippet: (Int) -> String, emit: ([UInt8]) throws -> Void
    ) rethrows {
        try render(result: result, bom: bom, rawCSV: rawCSV, lineEnding: lineEnding,
                   documentAndText: { (result.location($0).doc, snippet($0)) }, emit: emit)
    }

    /// `render(result:bom:rawCSV:lineEnding:snippet:emit:)` with the row's document id and snippet
    /// text from one call (the pipeline reads both from the paragraph store with one `pread`).
    ///
    /// - Parameters:
    ///   - documentAndText: the document id of paragraph `id` (as `result.location(id).doc`)
    ///     and its original text (or enough of its start for the snippet), for rows written.
    ///   - rowsWritten: called with the rows written so far, at the start and with every piece
    ///     emitted (of `rowCount(result)` in all).
    public static func render(
        result: DedupResult, bom: Bool = false, rawCSV: Bool = false, lineEnding: CSVWriter.LineEnding = .lf,
        documentAndText: (Int) -> (doc: String, text: String), emit: ([UInt8]) throws -> Void,
        rowsWritten: (Int) -> Void = { _ in }
    ) rethrows {
        var csv = CSVWriter(bom: bom, lineEnding: lineEnding)
        csv.row(header)
        var rows = 0
        rowsWritten(0)
        // Spans of 256 members: a cluster of a million copies of a footer is written piece by piece too.
        for span in rowSpans(result, membersPerSpan: 256) {
            rows += appendRows(of: span, result: result, rawCSV: rawCSV, documentAndText: documentAndText, to: &csv)
            if csv.bytes.count >= 1 << 16 {
                try emit(csv.takeBytes())
                rowsWritten(rows)
            }
        }
        try emit(csv.takeBytes())
        rowsWritten(rows)
    }

    /// `render(result:bom:rawCSV:lineEnding:documentAndText:emit:rowsWritten:)` with the rows
    /// formatted by `jobs` tasks at once, a span of 4,096 members each (`rowSpans`), and emitted
    /// in order: the same bytes, in pieces of a few hundred KB. With large archives this file is the longest
    /// output to write (a row per repeated paragraph, each read back from the store).
    ///
    /// - Parameter documentAndText: called from several tasks at once.
    public static func render(
        result: DedupResult, bom: Bool = false, rawCSV: Bool = false, lineEnding: CSVWriter.LineEnding = .lf,
        jobs: Int, membersPerSpan: Int = 4096, documentAndText: @escaping @Sendable (Int) -> (doc: String, text: String),
        emit: ([UInt8]) throws -> Void, rowsWritten: (Int) -> Void = { _ in }
    ) async throws {
        guard jobs > 1 else {
            try render(result: result, bom: bom, rawCSV: rawCSV, lineEnding: lineEnding,
                       documentAndText: documentAndText, emit: emit, rowsWritten: rowsWritten)
            return
        }
        var head = CSVWriter(bom: bom, lineEnding: lineEnding)
        head.row(header)
        try emit(head.takeBytes())
        rowsWritten(0)
        var rows = 0
        try await OrderedParallelDriver(jobs: jobs).run(
            rowSpans(result, membersPerSpan: membersPerSpan), makeWorker: {},
            transform: { span, _ in
                var csv = CSVWriter(bom: false, lineEnding: lineEnding)
                let count = appendRows(of: span, result: result, rawCSV: rawCSV, documentAndText: documentAndText, to: &csv)
                return (csv.takeBytes(), count)
            },
            consume: { _, piece in
                try emit(piece.0)
                rows += piece.1
                rowsWritten(rows)
            })
    }

    /// A stretch of the clusters' members in file order: from member `startMember` of cluster
    /// `startCluster` to member `endMember` (exclusive) of cluster `lastCluster`, whole clusters between.
    struct RowSpan: Sendable, Equatable {
        var startCluster: Int
        var startMember: Int
        var lastCluster: Int
        var endMember: Int
    }

    /// The members of every cluster, in file order, cut into spans of `membersPerSpan` (the last
    /// one shorter): a span may hold many small clusters or part of a large one, so that no piece
    /// of the file grows with the largest cluster.
    static func rowSpans(_ result: DedupResult, membersPerSpan: Int) -> [RowSpan] {
        let perSpan = max(1, membersPerSpan)
        var spans: [RowSpan] = []
        var startCluster = 0, startMember = 0, taken = 0
        // Sizes only: no cluster (and its id) is made here.
        for c in result.clusters.indices {
            let size = result.clusters.size(c)
            var m = 0
            while m < size {
                let take = min(size - m, perSpan - taken)
                m += take
                taken += take
                guard taken == perSpan else { continue }
                spans.append(RowSpan(startCluster: startCluster, startMember: startMember, lastCluster: c, endMember: m))
                taken = 0
                (startCluster, startMember) = m == size ? (c + 1, 0) : (c, m)
            }
        }
        if taken > 0, let last = result.clusters.indices.last {
            spans.append(RowSpan(startCluster: startCluster, startMember: startMember,
                                 lastCluster: last, endMember: result.clusters.size(last)))
        }
        return spans
    }

    /// Appends the rows of the members in `span` to `csv`; returns how many.
    private static func appendRows(
        of span: RowSpan, result: DedupResult, rawCSV: Bool, documentAndText: (Int) -> (doc: String, text: String),
        to csv: inout CSVWriter
    ) -> Int {
        var rows = 0
        for c in span.startCluster...span.lastCluster {
            let cluster = result.clusters[c]
            let members = (c == span.startCluster ? span.startMember : 0)..<(c == span.lastCluster ? span.endMember : cluster.size)
            rows += appendRows(of: cluster, members: members, result: result, rawCSV: rawCSV, documentAndText: documentAndText, to: &csv)
        }
        return rows
    }

    /// Appends the rows of `cluster`'s members at positions `members` (in `memberIDs(of:)`) to `csv`; returns how many.
    private static func appendRows(
        of cluster: DedupCluster, members: Range<Int>, result: DedupResult, rawCSV: Bool,
        documentAndText: (Int) -> (doc: String, text: String), to csv: inout CSVWriter
    ) -> Int {
        let kept = result.location(cluster.keptID)
        var rows = 0
        for id in result.memberIDs(of: cluster, at: members) {
            let kind: DuplicateKind
            let similarity: Double
            if id == cluster.keptID {
                guard cluster.isBoilerplate else { continue }
                kind = .boilerplate
                similarity = 1
            } else {
                // The kind and similarity only: `member(_:)` would also read the member's cluster back.
                guard let memberKind = result.kind(of: id) else { continue }
                kind = memberKind
                similarity = Double(result.similarity(of: id))
            }
            let here = result.place(id)
            let (doc, text) = documentAndText(id)
            // The columns of `header`, field by field (the same bytes as `csv.row` of the strings).
            csv.field(cluster.id, first: true)
            csv.field(kind.rawValue)
            csv.field(similarity == 1 ? "1.000" : fixed3(similarity))
            csv.field(kept.doc, guardingFormula: !rawCSV)
            csv.field(kept.paragraph)
            csv.field(doc, guardingFormula: !rawCSV)
            csv.field(here.paragraph)
            csv.field(here.lang.rawValue)
            csv.field(oneLine(text, limit: snippetLength), guardingFormula: !rawCSV)
            csv.endRow()
            rows += 1
        }
        return rows
    }

    /// The rows `render` writes for `result` (the header apart): every paragraph that is not kept,
    /// and the kept one of every boilerplate cluster.
    public static func rowCount(_ result: DedupResult) -> Int {
        result.counts.removed + result.counts.boilerplateKept
    }

    /// Renders and writes the file atomically.
    public static func write(
        result: DedupResult, to path: String, bom: Bool = false, snippet: (Int) -> String
    ) throws {
        try AtomicOutputFile.write(render(result: result, bom: bom, snippet: snippet), to: path)
    }

    /// `x` with exactly three decimals (`1.000`, `0.857`), the same on every platform.
    public static func fixed3(_ x: Double) -> String {
        guard x.isFinite else { return "0.000" }
        let scaled = Int64((abs(x) * 1000).rounded())
        let whole = scaled / 1000
        let fraction = String(scaled % 1000)
        return (x < 0 && scaled != 0 ? "-" : "") + String(whole) + "."
            + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Whitespace runs (spaces, tabs, line breaks, U+2028...) collapsed to one space, trimmed, and
    /// cut to `limit` characters (grapheme clusters, never inside one).
    public static func oneLine(_ text: String, limit: Int) -> String {
        var text = text
        if let line = text.withUTF8({ oneLineOfSingleScalarCharacters($0, limit: limit) }) { return line }
        return oneLineByCharacters(text, limit: limit)
    }

    /// `oneLine` character by character (any text).
    static func oneLineByCharacters(_ text: String, limit: Int) -> String {
        var out = ""
        var count = 0
        var pendingSpace = false
        for ch in text {
            if ch.isWhitespace || ch.isNewline {
                pendingSpace = count > 0
                continue
            }
            if pendingSpace {
                if count + 1 >= limit { break }
                out.append(" ")
                count += 1
                pendingSpace = false
            }
            out.append(ch)
            count += 1
            if count >= limit { break }
        }
        return out
    }

    /// `oneLine` on UTF-8 without grapheme breaking, for text whose scalars each form a character of
    /// their own (`SingleScalarText`); nil as soon as a scalar that may join its neighbour is met,
    /// and the caller takes the general path. Same result, a fraction of the time.
    static func oneLineOfSingleScalarCharacters(_ utf8: UnsafeBufferPointer<UInt8>, limit: Int) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(min(utf8.count, limit * 4))
        var count = 0
        var pendingSpace = false
        let clean = SingleScalarText.walk(utf8) { scalar, bytes in
            // Reached with the scalar after the last one kept standing alone: the cut is clean.
            if count >= limit { return false }
            if SingleScalarText.isWhiteSpace(scalar) {
                pendingSpace = count > 0
                return true
            }
            if pendingSpace {
                if count + 1 >= limit { return false }
                out.append(0x20)
                count += 1
                pendingSpace = false
            }
            out.append(contentsOf: utf8[bytes])
            count += 1
            return true
        }
        return clean ? String(decoding: out, as: UTF8.self) : nil
    }
}
