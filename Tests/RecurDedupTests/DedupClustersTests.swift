@testable import RecurKit
import Testing

@Suite("DedupClusters")
struct DedupClustersTests {
    /// What is appended is what is read back, the boilerplate flag apart from the source count,
    /// and the id from the position with the width given.
    @Test(arguments: [6, 7])
    func packedRoundTrip(idWidth: Int) {
        var clusters = DedupClusters(capacity: 3, idWidth: idWidth)
        clusters.append(keptID: 0, size: 2, isBoilerplate: false, documentCount: 2, sourceCount: 1)
        clusters.append(keptID: 7, size: 1_000_000, isBoilerplate: true, documentCount: 999_999, sourceCount: Int(Int32.max))
        clusters.append(keptID: Int(Int32.max) - 1, size: 3, isBoilerplate: true, documentCount: 1, sourceCount: 0)
        let pad = String(repeating: "0", count: idWidth - 1)
        #expect(Array(clusters) == [
            DedupCluster(id: "c\(pad)1", keptID: 0, size: 2, isBoilerplate: false, documentCount: 2, sourceCount: 1, ordinal: 0),
            DedupCluster(id: "c\(pad)2", keptID: 7, size: 1_000_000, isBoilerplate: true, documentCount: 999_999,
                         sourceCount: Int(Int32.max), ordinal: 1),
            DedupCluster(id: "c\(pad)3", keptID: Int(Int32.max) - 1, size: 3, isBoilerplate: true, documentCount: 1,
                         sourceCount: 0, ordinal: 2),
        ])
        #expect(clusters.keptID(1) == 7 && clusters.size(1) == 1_000_000)
    }

    /// Ids are padded to the width and grow past it.
    @Test func idsPastTheirWidth() {
        var clusters = DedupClusters(capacity: 12, idWidth: 1)
        for k in 0..<12 { clusters.append(keptID: k, size: 2, isBoilerplate: false, documentCount: 1, sourceCount: 1) }
        #expect(clusters.map(\.id).suffix(4) == ["c9", "c10", "c11", "c12"])
    }
}
