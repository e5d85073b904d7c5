/// One duplicate cluster as the report's overview shows it.
public struct DuplicateClusterOverview: Sendable, Hashable {
    public var id: String
    public var kind: DuplicateKind
    public var size: Int
    public var documents: Int
    public var sources: Int
    public var lang: Language
    /// The kept paragraph's text.
    public var snippet: String

    public init(id: String, kind: DuplicateKind, size: Int, documents: Int, sources: Int, lang: Language, snippet: String) {
        self.id = id
        self.kind = kind
        self.size = size
        self.documents = documents
        self.sources = sources
        self.lang = lang
        self.snippet = snippet
    }
}

/// `report.html`: one self-contained page (inline CSS and SVG, no scripts, no network) that shows
/// the themes that keep coming back, their timelines and the duplicates.
///
/// Every piece of archive text is HTML-escaped. The output is deterministic: the same input gives
/// the same bytes (no render time, no locale-dependent formatting).
public struct HTMLReport: Sendable {
    public var title: String
    public var themes: ThemeReport
    public var run: RunFigures
    public var dedup: DedupCounts
    /// The largest clusters, already sorted by the caller.
    public var topClusters: [DuplicateClusterOverview]
    /// The run's settings, shown sorted by name.
    public var settings: [String: String]

    /// Themes in the heatmap.
    public static let heatmapRows = 40

    public init(
        title: String, themes: ThemeReport, run: RunFigures, dedup: DedupCounts,
        topClusters: [DuplicateClusterOverview], settings: [String: String]
    ) {
        self.title = title
        self.themes = themes
        self.run = run
        self.dedup = dedup
        self.topClusters = topClusters
        self.settings = settings
    }

    /// The whole HTML document.
    public func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <main>

            """
        html += header()
        let ordered = recurringFirst()
        html += themeTable(ordered)
        html += heatmap(ordered)
        html += details(ordered)
        html += duplicates()
        html += settingsSection()
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    /// Themes shown in the tables and the heatmap, per language.
    public static let themesPerLanguage = 20

    /// The top themes of each language; those with comebacks first, then by score (rank order within a
    /// language), then id.
    public func recurringFirst() -> [Theme] {
        themes.themes.filter { $0.rank <= Self.themesPerLanguage }.sorted { a, b in
            if (a.comebacks > 0) != (b.comebacks > 0) { return a.comebacks > 0 }
            if a.score != b.score { return a.score > b.score }
            return a.id < b.id
        }
    }

    // MARK: - Sections

    private func header() -> String {
        let span: String
        if let first = themes.archiveFirst, let last = themes.archiveLast { span = "\(first.label) – \(last.label)" } else { span = "undated" }
        let languages = run.paragraphsByLanguage.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        let comebackCount = themes.themes.filter { $0.comebacks > 0 }.count
        var out = "<h1>\(Self.escape(title))</h1>\n<p class=\"lead\">Archive \(Self.escape(span)), by \(themes.granularity.rawValue)"
        out += "; a theme's episode ends after \(themes.gap) quiet period\(themes.gap == 1 ? "" : "s").</p>\n<div class=\"cards\">\n"
        out += card("\(run.documents)", "documents", "\(run.files) files")
        out += card("\(run.paragraphs)", "paragraphs", languages)
        out += card("\(dedup.removed)", "repeats set aside", "exact \(dedup.exact) · near \(dedup.near) · quote \(dedup.quote) · boilerplate \(dedup.boilerplate)")
        out += card("\(themes.themes.count)", "themes", "\(comebackCount) came back after a gap")
        out += "</div>\n"
        return out
    }

    private func card(_ value: String, _ label: String, _ note: String) -> String {
        "<div class=\"card\"><div class=\"value\">\(Self.escape(value))</div><div class=\"label\">\(Self.escape(label))</div><div class=\"note\">\(Self.escape(note))</div></div>\n"
    }

    private func themeTable(_ ordered: [Theme]) -> String {
        guard !ordered.isEmpty else {
            return "<h2>Themes</h2>\n<p class=\"empty\">No recurring themes found: no phrase recurs in enough documents from enough sources (see --min-sources).</p>\n"
        }
        var out = "<h2>Themes that keep coming back</h2>\n<p class=\"hint\">The top \(Self.themesPerLanguage) themes of each language (all of them are in themes.csv), those that came back after a gap first; each row's line shows mentions per \(themes.granularity.rawValue) over the whole archive.</p>\n"
        out += "<table class=\"themes\">\n<thead><tr><th>theme</th><th>lang</th><th>status</th><th class=\"num\">mentions</th><th class=\"num\">docs</th><th class=\"num\">clients</th><th>first – last</th><th class=\"num\">comebacks</th><th class=\"num\">longest gap</th><th>timeline</th></tr></thead>\n<tbody>\n"
        for t in ordered {
            let span = "\(t.firstSeen?.label ?? "–") – \(t.lastSeen?.label ?? "–")"
            let phrases = t.phrases.dropFirst().prefix(4).map(\.surface).joined(separator: " · ")
            out += "<tr><td><a href=\"#\(Self.escape(t.id))\">\(Self.escape(t.label))</a>"
            if !phrases.isEmpty { out += "<div class=\"phrases\">\(Self.escape(phrases))</div>" }
            out += "</td><td>\(t.lang.rawValue)</td><td><span class=\"badge \(t.status.rawValue)\">\(t.status.rawValue)</span></td>"
            out += "<td class=\"num\">\(t.mentions)</td><td class=\"num\">\(t.documents)</td><td class=\"num\">\(t.sources)</td>"
            out += "<td class=\"nowrap\">\(Self.escape(span))</td><td class=\"num\">\(t.comebacks)</td><td class=\"num\">\(t.longestGap)</td>"
            out += "<td>\(sparkline(t))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// Mentions per period over the whole archive span: one bar per period.
    public func sparkline(_ theme: Theme) -> String {
        let periods = themes.periods
        guard !periods.isEmpty else { return "" }
        let counts = counts(theme, periods)
        let peak = max(1, counts.max() ?? 1)
        let barWidth = 4, height = 22
        var svg = "<svg class=\"spark\" width=\"\(periods.count * barWidth)\" height=\"\(height)\" viewBox=\"0 0 \(periods.count * barWidth) \(height)\" role=\"img\" aria-label=\"mentions per period\">"
        for (i, c) in counts.enumerated() {
            let h = c == 0 ? 1 : max(2, c * (height - 2) / peak)
            svg += "<rect class=\"\(c == 0 ? "zero" : "bar")\" x=\"\(i * barWidth)\" y=\"\(height - h)\" width=\"\(barWidth - 1)\" height=\"\(h)\"/>"
        }
        return svg + "</svg>"
    }

    private func counts(_ theme: Theme, _ periods: [Period]) -> [Int] {
        var byIndex: [Int: Int] = [:]
        for s in theme.series { byIndex[s.period.index] = s.mentions }
        return periods.map { byIndex[$0.index] ?? 0 }
    }

    /// A theme × period grid, cell shade by mentions.
    public func heatmap(_ ordered: [Theme]) -> String {
        let periods = themes.periods
        let rows = Array(ordered.prefix(Self.heatmapRows))
        guard !rows.isEmpty, !periods.isEmpty else { return "" }
        let cell = 14, labelWidth = 230, top = 52
        let width = labelWidth + periods.count * cell + 10
        let height = top + rows.count * cell + 4
        var svg = "<h2>Theme × \(themes.granularity.rawValue)</h2>\n<div class=\"scroll\"><svg class=\"heatmap\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"heatmap of mentions\">\n"
        let labelEvery = max(1, (periods.count + 23) / 24)
        for (i, p) in periods.enumerated() where i % labelEvery == 0 {
            let x = labelWidth + i * cell + cell / 2
            svg += "<text class=\"axis\" transform=\"translate(\(x),\(top - 6)) rotate(-60)\">\(Self.escape(p.label))</text>"
        }
        svg += "\n"
        for (r, t) in rows.enumerated() {
            let y = top + r * cell
            let label = t.label.count > 30 ? String(t.label.prefix(29)) + "…" : t.label
            svg += "<text class=\"rowlabel\" x=\"\(labelWidth - 6)\" y=\"\(y + cell - 3)\">\(Self.escape(label)) (\(t.lang.rawValue))</text>"
            let values = counts(t, periods)
            let peak = max(1, values.max() ?? 1)
            for (i, v) in values.enumerated() {
                let level = v == 0 ? 0 : 1 + (v * 4 - 1) / peak
                svg += "<rect class=\"h\(level)\" x=\"\(labelWidth + i * cell)\" y=\"\(y)\" width=\"\(cell - 1)\" height=\"\(cell - 1)\"><title>\(Self.escape(t.label)) \(Self.escape(periods[i].label)): \(v)</title></rect>"
            }
            svg += "\n"
        }
        return svg + "</svg></div>\n"
    }

    private func details(_ ordered: [Theme]) -> String {
        guard !ordered.isEmpty else { return "" }
        var out = "<h2>Each theme</h2>\n"
        for t in ordered {
            out += "<details id=\"\(Self.escape(t.id))\"><summary><b>\(Self.escape(t.label))</b> <span class=\"muted\">\(t.lang.rawValue) · \(Self.escape(t.id)) · \(t.episodes.count) episode\(t.episodes.count == 1 ? "" : "s") · \(t.sources) clients</span></summary>\n"
            out += "<p class=\"phrases\">\(Self.escape(t.phrases.map(\.surface).joined(separator: " · ")))</p>\n"
            out += "<table><thead><tr><th class=\"num\">episode</th><th>start</th><th>end</th><th class=\"num\">docs</th><th class=\"num\">clients</th><th>new clients</th><th class=\"num\">gap before</th></tr></thead><tbody>\n"
            for e in t.episodes {
                out += "<tr><td class=\"num\">\(e.number)</td><td>\(Self.escape(e.start.label))</td><td>\(Self.escape(e.end.label))</td><td class=\"num\">\(e.documents)</td><td class=\"num\">\(e.sources.count)</td><td>\(Self.escape(e.newSources.joined(separator: ", ")))</td><td class=\"num\">\(e.gapBefore)</td></tr>\n"
            }
            out += "</tbody></table>\n<ul class=\"examples\">\n"
            for ex in t.examples {
                out += "<li><q>\(Self.escape(ex.snippet))</q> <span class=\"muted\">\(Self.escape(ex.date?.day10 ?? "undated")) · \(Self.escape(ex.source)) · \(Self.escape(ex.doc)) ¶\(ex.paragraph)</span></li>\n"
            }
            out += "</ul></details>\n"
        }
        return out
    }

    private func duplicates() -> String {
        var out = "<h2>Duplicates</h2>\n<p>\(dedup.paragraphsIn) paragraphs in, \(dedup.kept) kept (\(dedup.boilerplateKept) of them boilerplate), \(dedup.removed) set aside: "
        out += "exact \(dedup.exact), near \(dedup.near), quote \(dedup.quote), boilerplate \(dedup.boilerplate); \(dedup.clusters) clusters.</p>\n"
        guard !topClusters.isEmpty else { return out }
        out += "<table><thead><tr><th>cluster</th><th>kind</th><th class=\"num\">size</th><th class=\"num\">docs</th><th class=\"num\">clients</th><th>lang</th><th>text</th></tr></thead><tbody>\n"
        for c in topClusters {
            let text = c.snippet.count > 140 ? String(c.snippet.prefix(139)) + "…" : c.snippet
            out += "<tr><td>\(Self.escape(c.id))</td><td><span class=\"badge \(c.kind.rawValue)\">\(c.kind.rawValue)</span></td><td class=\"num\">\(c.size)</td><td class=\"num\">\(c.documents)</td><td class=\"num\">\(c.sources)</td><td>\(c.lang.rawValue)</td><td>\(Self.escape(text))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    private func settingsSection() -> String {
        guard !settings.isEmpty else { return "" }
        let items = settings.sorted { $0.key < $1.key }.map { "\(Self.escape($0.key)) = \(Self.escape($0.value))" }.joined(separator: " · ")
        return "<footer>recur \(RecurVersion.string) · \(items)</footer>\n"
    }

    // MARK: - Escaping and style

    /// Text as HTML character data or attribute value: `& < > " '` escaped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static let css = """
        body{margin:0;background:#f6f7f9;color:#1d2430;font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK JP","Hiragino Sans",sans-serif}
        main{max-width:1100px;margin:0 auto;padding:24px}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
        .lead,.hint,.muted{color:#5b6575}.hint{margin:0 0 8px}
        .cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
        .card{background:#fff;border:1px solid #e1e5eb;border-radius:8px;padding:10px 14px;min-width:200px;flex:1}
        .card .value{font-size:24px;font-weight:600}.card .label{font-weight:600}.card .note{color:#5b6575;font-size:12px}
        table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e1e5eb;border-radius:8px;margin:6px 0 12px}
        th,td{padding:5px 8px;border-bottom:1px solid #eef0f3;text-align:left;vertical-align:top}
        th{font-size:12px;color:#5b6575;font-weight:600;background:#fafbfc}
        .num{text-align:right;font-variant-numeric:tabular-nums}.nowrap{white-space:nowrap}
        .phrases{color:#5b6575;font-size:12px}
        a{color:#1f5fbf;text-decoration:none}a:hover{text-decoration:underline}
        .badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;background:#e8ebf0}
        .badge.recurring{background:#dff3e4;color:#17602c}.badge.rising{background:#fde8d7;color:#8a3a00}
        .badge.new{background:#e1ecfb;color:#1f4f99}.badge.steady{background:#ecebfa;color:#3f3a8f}
        .badge.fading{background:#eeeeee;color:#555}.badge.one-off{background:#f6f1e1;color:#6b5a1a}
        .badge.boilerplate{background:#f3e3e3;color:#7a2323}.badge.quote{background:#e6f0f5;color:#1d5670}
        .spark .bar{fill:#2f7de1}.spark .zero{fill:#d5dbe3}
        .scroll{overflow-x:auto;background:#fff;border:1px solid #e1e5eb;border-radius:8px;padding:6px}
        .heatmap text{font-size:11px;fill:#3a4350}.heatmap .rowlabel{text-anchor:end}
        .h0{fill:#eef1f5}.h1{fill:#c6dbf7}.h2{fill:#8db7ee}.h3{fill:#4f8fe0}.h4{fill:#1f5fbf}
        details{background:#fff;border:1px solid #e1e5eb;border-radius:8px;padding:8px 12px;margin:6px 0}
        summary{cursor:pointer}.examples{margin:6px 0 4px 18px;padding:0}.examples li{margin:3px 0}
        .empty{background:#fff;border:1px dashed #c8ced8;border-radius:8px;padding:16px}
        footer{margin:28px 0 8px;color:#5b6575;font-size:12px}
        """
}
