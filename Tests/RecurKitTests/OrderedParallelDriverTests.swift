import Foundation
@testable import RecurKit
import Testing

@Suite("The concurrency driver: order, exclusive workers, batches of small inputs")
struct OrderedParallelDriverTests {
    /// A worker that notices being used by two tasks at once.
    final class Worker: @unchecked Sendable {
        private let lock = NSLock()
        private var busy = false
        private(set) var overlaps = 0
        private(set) var uses = 0

        func use(_ body: () -> Void) {
            lock.lock()
            if busy { overlaps += 1 }
            busy = true
            uses += 1
            lock.unlock()
            body()
            lock.lock()
            busy = false
            lock.unlock()
        }
    }

    /// Weights 1...40 with a few heavy ones, the same every run.
    static let weights: [Int] = (0..<600).map { i in i % 97 == 0 ? 500 : 1 + (i &* 2_654_435_761 >> 7) % 40 }

    @Test("results reach consume in input order, each worker used by one task at a time",
          arguments: [(1, 0), (2, 0), (3, 64), (2, 100), (8, 100), (4, 1_000_000)])
    func orderAndExclusivity(jobs: Int, batchWeight: Int) async throws {
        let inputs = Array(Self.weights.enumerated())
        var workers: [Worker] = []  // makeWorker runs on the calling task
        var consumed: [Int] = []
        try await OrderedParallelDriver(jobs: jobs, batchWeight: batchWeight, maxBatchCount: 16).run(
            inputs,
            weight: { $0.element },
            makeWorker: { let w = Worker(); workers.append(w); return w },
            transform: { input, worker in
                var out = 0
                worker.use {
                    // Uneven work, so that later inputs often finish first.
                    for k in 0..<((input.offset * 7919) % 5000) { out &+= k }
                }
                return (input.offset, out)
            },
            consume: { index, output in
                #expect(index == output.0)
                consumed.append(output.0)
            })
        #expect(consumed == Array(0..<inputs.count))
        let all = workers
        #expect(all.count == jobs)
        #expect(all.allSatisfy { $0.overlaps == 0 })
        #expect(all.reduce(0) { $0 + $1.uses } == inputs.count)
    }

    @Test("inputs that arrive over time: taken only when a worker is free, results in input order", arguments: [1, 2, 4])
    func inputsOverTime(jobs: Int) async throws {
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let count = 300
        Thread.detachNewThread {
            for i in 0..<count { continuation.yield(i) }
            continuation.finish()
        }
        var inputs = stream.makeAsyncIterator()
        var workers: [Worker] = []
        var consumed: [Int] = []
        var taken = 0
        try await OrderedParallelDriver(jobs: jobs).run(
            next: {
                // Never more inputs taken than consumed plus the jobs and the results window.
                #expect(taken - consumed.count <= jobs * 9)
                let input = await inputs.next()
                if input != nil { taken += 1 }
                return input
            },
            makeWorker: { let w = Worker(); workers.append(w); return w },
            transform: { input, worker in
                var out = 0
                worker.use { for k in 0..<((input * 7919) % 5000) { out &+= k } }
                return (input, out)
            },
            consume: { index, output in
                #expect(index == output.0)
                consumed.append(output.0)
            })
        #expect(consumed == Array(0..<count))
        #expect(taken == count)
        let all = workers
        #expect(all.count == jobs && all.allSatisfy { $0.overlaps == 0 })
    }

    @Test("an error in transform ends the run with that error")
    func errorsPropagate() async {
        struct Failure: Error, Equatable { let index: Int }
        await #expect(throws: Failure(index: 123)) {
            try await OrderedParallelDriver(jobs: 2, batchWeight: 50).run(
                Array(0..<400), weight: { _ in 7 }, makeWorker: { () },
                transform: { input, _ in if input == 123 { throw Failure(index: 123) }; return input },
                consume: { _, _ in })
        }
    }

    @Test("batches: contiguous, within the weight and count limits, a heavy input alone")
    func batches() {
        var batches = InputBatches(Self.weights.makeIterator(), limit: 64, maxCount: 8, weight: { $0 })
        var all: [[Int]] = []
        while let batch = batches.next() { all.append(batch) }
        #expect(all.flatMap { $0 } == Self.weights)
        for batch in all {
            #expect(!batch.isEmpty && batch.count <= 8)
            if batch.count > 1 { #expect(batch.reduce(0, +) <= 64) }
        }
        #expect(all.filter { $0.contains(500) }.allSatisfy { $0 == [500] })
        #expect(all.count < Self.weights.count / 2)
        // Batching off: one input per batch.
        var single = InputBatches(Self.weights.makeIterator(), limit: 0, maxCount: 8, weight: { $0 })
        var count = 0
        while let batch = single.next() {
            #expect(batch.count == 1)
            count += 1
        }
        #expect(count == Self.weights.count)
    }
}
