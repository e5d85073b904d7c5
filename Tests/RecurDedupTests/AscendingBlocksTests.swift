@testable import RecurKit
import Testing

@Suite("Coarse index over ascending ids (AscendingBlocks)")
struct AscendingBlocksTests {
    /// Ascending first ids of `count` runs of 0–`maxRun` ids each (zero-length runs repeat a value,
    /// as documents without paragraphs do), and the id count they cover.
    static func runs(count: Int, maxRun: Int, seed: UInt64) -> ([Int32], Int) {
        var state = seed
        var values: [Int32] = []
        var next = 0
        for _ in 0..<count {
            values.append(Int32(next))
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            next += Int((state >> 33) % UInt64(maxRun + 1))
        }
        return (values, next)
    }

    @Test("finds what the plain binary search finds, for every id", arguments: [
        (1, 5), (3, 1), (100, 3), (1000, 9), (500, 200), (2000, 0),
    ])
    func matchesBinarySearch(count: Int, maxRun: Int) {
        let (values, ids) = Self.runs(count: count, maxRun: maxRun, seed: UInt64(count * 31 + maxRun))
        let blocks = AscendingBlocks(values, idCount: ids)
        for id in 0..<max(ids, 1) + 70 {
            #expect(blocks.lastIndex(in: values, atMost: id) == values.lastIndex(atMost: id), "id \(id)")
        }
    }

    @Test("the runs of the deduplicator answer the same with and without the index")
    func dedupRuns() {
        var runs = DedupRuns()
        var state: UInt64 = 3
        var id: Int32 = 0
        for document in 0..<3000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for paragraph in 0..<Int32((state >> 33) % 12) {
                runs.add(id: id, document: Int32(document), source: Int32(document % 7), paragraph: paragraph)
                id += 1
            }
        }
        let indexed = runs.indexed(idCount: Int(id))
        for i in 0..<Int(id) {
            #expect(indexed.location(i) == runs.location(i))
            #expect(indexed.documentAndSource(i) == runs.documentAndSource(i))
        }
    }
}
