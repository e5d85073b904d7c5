import RecurKit

/// Builds the HTML report from an analysis.
enum ReportPage {
    static func render(_ analysis: ArchiveAnalysis, title: String, settings: [String: String]) -> String {
        guard let themes = analysis.themes else { return "" }
        return HTMLReport(
            title: title, themes: themes, run: analysis.run, dedup: analysis.dedup.counts,
            topClusters: topClusters(analysis), settings: settings
        ).render()
    }

    /// The 15 largest duplicate clusters, largest first, then by cluster id.
    static func topClusters(_ analysis: ArchiveAnalysis) -> [DuplicateClusterOverview] {
        let dedup = analysis.dedup
        return dedup.clusters.sorted { ($0.size, $1.id) > ($1.size, $0.id) }.prefix(15).map { cluster in
            let kind: DuplicateKind = cluster.isBoilerplate ? .boilerplate
                : dedup.memberIDs(of: cluster).first { !dedup.isKept($0) }.flatMap(dedup.kind(of:)) ?? .exact
            let kept = analysis.paragraph(cluster.keptID)
            return DuplicateClusterOverview(
                id: cluster.id, kind: kind, size: cluster.size, documents: cluster.documentCount,
                sources: cluster.sourceCount, lang: kept.paragraph.analysis.language, snippet: kept.paragraph.text)
        }
    }
}
