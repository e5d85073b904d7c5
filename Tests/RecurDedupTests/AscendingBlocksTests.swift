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

    @Test("the runs of the deduplicator give back every paragraph's document, source and index, with and without the index, in memory and read back from their file",
          arguments: [false, true])
    func dedupRuns(spilled: Bool) {
        var runs = spilled ? DedupRuns.spilling(residentCount: 100, valuesPerWrite: 7) : DedupRuns()
        var state: UInt64 = 3
        var id: Int32 = 0
        var truth: [(document: Int32, source: Int32, paragraph: Int32)] = []
        // More runs than a column chunk holds (4,096), and paragraph indices that skip now and
        // then (a paragraph with an empty key is not fed): a run ends there.
        for document in 0..<9000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var paragraph: Int32 = 0
            for _ in 0..<Int32((state >> 33) % 12) {
                if (state >> 20) % 5 == 0 { paragraph += 1 }
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                runs.add(id: id, document: Int32(document), source: Int32(document % 7), paragraph: paragraph)
                truth.append((Int32(document), Int32(document % 7), paragraph))
                id += 1
                paragraph += 1
            }
        }
        #expect(runs.count > ChunkedColumn<Int32>.chunkSize * 2)
        // Spilled: all but the first 100 runs (and those not yet written, fewer than 7) are in the file.
        #expect(runs.countInFile == (spilled ? runs.count - 100 - (runs.count - 100) % 7 : 0))
        let indexed = runs.indexed(idCount: Int(id))
        #expect(indexed.count == runs.count && indexed.countInFile == 0)
        for i in 0..<Int(id) {
            let t = truth[i]
            #expect(indexed.location(i) == (t.document, t.paragraph), "id \(i)")
            #expect(indexed.documentAndSource(i) == (t.document, t.source), "id \(i)")
            if !spilled { #expect(runs.location(i) == (t.document, t.paragraph), "id \(i)") }
        }
    }

    @Test("a chunked column is searched and walked as the array of its values", arguments: [0, 1, 4095, 4096, 4097, 12_345])
    func chunkedColumn(count: Int) {
        let (values, ids) = Self.runs(count: count, maxRun: 4, seed: UInt64(count) &+ 5)
        var column = ChunkedColumn<Int32>()
        for v in values { column.append(v) }
        #expect(Array(column) == values)
        #expect(column.array == values)
        guard !values.isEmpty else { return }
        let blocks = AscendingBlocks(column, idCount: ids)
        for id in stride(from: 0, to: ids + 70, by: 3) {
            let expected = values.lastIndex(atMost: id)
            #expect(column.lastIndex(atMost: id) == expected, "id \(id)")
            #expect(blocks.lastIndex(in: column, atMost: id) == expected, "id \(id)")
        }
    }

    @Test("near similarities: a near member's own, 1 for every other id, across chunks")
    func nearSimilarities() {
        var near = NearSimilarities()
        var expected: [Int: Float] = [:]
        var id = 0
        for i in 0..<10_000 {
            id += 1 + i % 4
            let similarity = 0.8 + Float(i % 200) / 1000
            near.append(Int32(id), similarity)
            expected[id] = similarity
        }
        for i in 0...id + 2 {
            #expect(near.similarity(of: i) == expected[i] ?? 1, "id \(i)")
        }
        #expect(near.bytes >= 10_000 * 8)
    }
}
