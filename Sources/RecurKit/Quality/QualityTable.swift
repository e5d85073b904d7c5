/// One line of the quality report: a figure, the bar it must meet, and what it was measured on.
public struct QualityRow: Sendable, Hashable {
    public var section: String
    public var measure: String
    public var value: Double
    /// The lowest acceptable value; nil for figures without a bar.
    public var bar: Double?
    public var measuredOn: String

    public init(section: String, measure: String, value: Double, bar: Double? = nil, measuredOn: String) {
        self.section = section
        self.measure = measure
        self.value = value
        self.bar = bar
        self.measuredOn = measuredOn
    }

    /// Whether the value meets its bar (true when there is none).
    public var passes: Bool { bar.map { value >= $0 - 1e-9 } ?? true }
}

/// The quality report as a Markdown table (the README quotes it as printed).
public enum QualityTable {
    /// Renders the rows, plus a last line counting the bars met.
    public static func markdown(_ rows: [QualityRow], skipped: [String]) -> String {
        var out = "| stage | measure | value | bar | measured on |\n|---|---|---:|---|---|\n"
        for r in rows {
            let bar = r.bar.map { "≥ " + DuplicatesCSV.fixed3($0) + (r.passes ? " ✓" : " ✗") } ?? ""
            out += "| \(r.section) | \(r.measure) | \(DuplicatesCSV.fixed3(r.value)) | \(bar) | \(r.measuredOn) |\n"
        }
        let withBars = rows.filter { $0.bar != nil }
        out += "\n\(withBars.filter(\.passes).count) of \(withBars.count) bars met.\n"
        for s in skipped { out += "skipped: \(s)\n" }
        return out
    }
}
