import RecurKit

/// Builds the HTML report from an analysis (placeholder until the report renderer lands).
enum ReportPage {
    static func render(_ analysis: ArchiveAnalysis, title: String, settings: [String: String]) -> String {
        "<!doctype html><title>recur</title><p>report pending</p>"
    }
}
