/// The theme CSV files: RFC 4180, UTF-8, `\n` line ends, deterministic order.
///
/// Cells starting with `=`, `+`, `-`, `@`, tab or CR get a leading `'` so that spreadsheet programs do not run them
/// as formulas, unless `rawCSV` is set. `excelBOM` starts the file with a UTF-8 byte order mark.
public struct ThemeCSV: Sendable {
    public var excelBOM: Bool
    public var rawCSV: Bool

    public init(excelBOM: Bool = false, rawCSV: Bool = false) {
        self.excelBOM = excelBOM
        self.rawCSV = rawCSV
    }

    public static let themesHeader = ["theme_id", "label", "lang", "phrases", "mentions", "documents", "sources", "first_seen",
                                      "last_seen", "active_periods", "episodes", "comebacks", "longest_gap", "trend", "status", "example"]
    public static let trendsHeader = ["period", "theme_id", "label", "mentions", "documents", "sources"]
    public static let episodesHeader = ["theme_id", "episode", "start", "end", "documents", "sources", "new_sources", "gap_before"]
    public static let mentionsHeader = ["theme_id", "doc", "paragraph", "date", "source", "phrase"]

    /// One row per theme, by language then rank.
    public func themes(_ report: ThemeReport) -> [UInt8] {
        var out = start(Self.themesHeader)
        for t in Self.ordered(report.themes) {
            row([t.id, t.label, t.lang.rawValue, t.phrases.map(\.surface).joined(separator: " | "), String(t.mentions),
                 String(t.documents), String(t.sources), t.firstSeen?.label ?? "", t.lastSeen?.label ?? "",
                 String(t.activePeriods), String(t.episodes.count), String(t.comebacks), String(t.longestGap),
                 t.trend.rawValue, t.status.rawValue, t.examples.first?.snippet ?? ""], &out)
        }
        return out
    }

    /// One row per theme and period from its first to its last period, zeros included.
    public func trends(_ report: ThemeReport) -> [UInt8] {
        var out = start(Self.trendsHeader)
        for t in Self.ordered(report.themes) {
            for s in t.series {
                row([s.period.label, t.id, t.label, String(s.mentions), String(s.documents), String(s.sources)], &out)
            }
        }
        return out
    }

    /// One row per theme episode, numbered from 1.
    public func episodes(_ report: ThemeReport) -> [UInt8] {
        var out = start(Self.episodesHeader)
        for t in Self.ordered(report.themes) {
            for e in t.episodes {
                row([t.id, String(e.number), e.start.label, e.end.label, String(e.documents), String(e.sources.count),
                     e.newSources.joined(separator: " | "), String(e.gapBefore)], &out)
            }
        }
        return out
    }

    /// One row per counted mention, by theme, then date (undated last), document and paragraph.
    public func mentions(_ report: ThemeReport) -> [UInt8] {
        var out: [UInt8] = []
        mentions(report) { out += $0 }
        return out
    }

    /// `mentions(_:)` piece by piece (about 64 KB at a time): the largest theme file, one row per
    /// mention, need not be held whole.
    public func mentions(_ report: ThemeReport, emit: ([UInt8]) throws -> Void) rethrows {
        var out = start(Self.mentionsHeader)
        for t in Self.ordered(report.themes) {
            for m in t.mentionRows {
                row([t.id, m.doc, String(m.paragraph), m.date?.iso8601 ?? "", m.source, m.phrase], &out)
                if out.count >= 1 << 16 {
                    try emit(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        try emit(out)
    }

    /// Themes by language, then rank (the order of every file).
    public static func ordered(_ themes: [Theme]) -> [Theme] {
        themes.sorted { a, b in a.lang != b.lang ? a.lang < b.lang : (a.rank != b.rank ? a.rank < b.rank : utf8Less(a.id, b.id)) }
    }

    // MARK: - Cells

    /// A cell as written: neutralized against formula injection unless `rawCSV`.
    public func cell(_ value: String) -> String { rawCSV ? value : CSVRow.neutralizingFormula(value) }

    private func start(_ header: [String]) -> [UInt8] {
        var out: [UInt8] = excelBOM ? [0xEF, 0xBB, 0xBF] : []
        row(header, &out)
        return out
    }

    private func row(_ fields: [String], _ out: inout [UInt8]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            CSVRow.appendField(cell(f), to: &out)
        }
        out.append(0x0A)
    }
}
