import Foundation
@testable import RecurKit
import RecurCorpus
import Synchronization
import Testing

@Suite("Spilling columns: values past the resident ones go to a file and come back as appended")
struct SpillingColumnTests {
    /// Appends `count` pseudo-random values and returns them.
    private static func filled<Value: BitwiseCopyable & Sendable>(
        _ column: inout SpillingColumn<Value>, count: Int, _ make: (UInt64) -> Value
    ) -> [Value] {
        var rng = SplitMix64(seed: 0x5911_1C01)
        var values: [Value] = []
        for _ in 0..<count {
            let value = make(rng.next())
            column.append(value)
            values.append(value)
        }
        return values
    }

    @Test("read back by index and in order, 32-bit values",
          arguments: [(0, 1), (0, 7), (3, 5), (10_000, 4_096), (20_000, 7), (30_000, 7)] as [(Int, Int)])
    func int32(resident: Int, perWrite: Int) {
        var column = SpillingColumn<Int32>(prefix: "recur-test", residentCount: resident, valuesPerWrite: perWrite)
        let values = Self.filled(&column, count: 20_000) { Int32(truncatingIfNeeded: $0) }
        #expect(column.count == values.count)
        let pastResident = max(0, values.count - resident)
        #expect(column.countInFile == pastResident / perWrite * perWrite)
        #expect(!column.fileFailed)
        for i in stride(from: 0, to: values.count, by: 7) { #expect(column[i] == values[i]) }
        var seen: [Int32] = []
        var indexes = 0
        column.forEach { i, value in
            if i == seen.count { indexes += 1 }
            seen.append(value)
        }
        #expect(seen == values)
        #expect(indexes == values.count)
    }

    @Test("stretches read as they are walked: in memory, in the file, not yet written, and across",
          arguments: [(0, 7), (1_000, 512), (30_000, 7)] as [(Int, Int)])
    func stretches(resident: Int, perWrite: Int) {
        var column = SpillingColumn<Int32>(prefix: "recur-test", residentCount: resident, valuesPerWrite: perWrite)
        let values = Self.filled(&column, count: 40_003) { Int32(truncatingIfNeeded: $0) }
        let written = resident + column.countInFile
        let ranges = [0..<0, 0..<values.count, 0..<1, 3..<900, 995..<1_010, 999..<17_000, 16_384..<16_385,
                      written - 3..<values.count, 20_000..<36_500, values.count - 1..<values.count]
        for range in ranges where range.lowerBound >= 0 {
            #expect(Array(column.values(in: range)) == Array(values[range]), "\(range)")
        }
        // Two walks of one stretch at once, each with its own buffer.
        let stretch = column.values(in: 5_000..<40_000)
        var a = stretch.makeIterator(), b = stretch.makeIterator()
        var same = 0
        while let x = a.next(), let y = b.next() { if x == y { same += 1 } }
        #expect(same == 35_000)
    }

    @Test("one-byte values over more than one read of 64 KB")
    func bytes() {
        var column = SpillingColumn<UInt8>(prefix: "recur-test", residentCount: 100, valuesPerWrite: 1_000)
        let values = Self.filled(&column, count: 200_123) { UInt8(truncatingIfNeeded: $0) }
        #expect(column.countInFile == 200_000)
        var seen: [UInt8] = []
        column.forEach { _, value in seen.append(value) }
        #expect(seen == values)
        #expect(column[150_000] == values[150_000] && column[200_122] == values[200_122])
    }

    @Test("read from several threads at once (the output tasks read the store's locations together)")
    func concurrentReads() {
        var column = SpillingColumn<UInt64>(prefix: "recur-test", residentCount: 1_000, valuesPerWrite: 512)
        let values = Self.filled(&column, count: 50_000) { $0 }
        let frozen = column
        let mismatches = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            var rng = SplitMix64(seed: UInt64(thread + 1))
            for _ in 0..<20_000 {
                let i = Int(rng.next() % UInt64(values.count))
                if frozen[i] != values[i] { mismatches.add(1, ordering: .relaxed) }
            }
        }
        #expect(column.countInFile > 40_000)
        #expect(mismatches.load(ordering: .relaxed) == 0)
    }

    @Test("a folder that cannot be written: the values stay in memory, none lost")
    func unwritableFolder() {
        var column = SpillingColumn<UInt64>(folder: "/nonexistent-recur-folder", prefix: "recur-test", residentCount: 2, valuesPerWrite: 3)
        let values = Self.filled(&column, count: 50) { $0 }
        #expect(column.fileFailed)
        #expect(column.countInFile == 0)
        #expect((0..<50).map { column[$0] } == values)
        var seen: [UInt64] = []
        column.forEach { _, value in seen.append(value) }
        #expect(seen == values)
    }
}
