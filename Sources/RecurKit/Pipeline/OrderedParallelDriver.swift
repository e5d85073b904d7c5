/// Hands a non-Sendable worker (native handles, caches) from task to task.
///
/// Sound because the driver gives each box to exactly one running task at a time and
/// takes it back with that task's result: the worker is never touched concurrently.
final class WorkerLease<Worker>: @unchecked Sendable {
    let worker: Worker
    init(_ worker: Worker) { self.worker = worker }
}

/// The pipeline's one concurrency driver.
///
/// Runs `transform` over the inputs with at most `jobs` in flight, each on a worker of its
/// own, and hands the results to `consume` in input order, so that what is written is the
/// same for any number of jobs. Shaped like swift-nio's `ParallelDirCopy`: a task group
/// with a bounded number of children, results re-ordered by input index.
///
/// Consecutive small inputs can go to one child task together (`batchWeight`): every task
/// costs thread wake-ups, which for an archive of many small files (34 k files of 1.5 kB on
/// average in the 50 MB benchmark slice) were a tenth of the run's CPU time.
public struct OrderedParallelDriver: Sendable {
    /// How many inputs are transformed at once (at least 1).
    public var jobs: Int

    /// How much input (in `weight` units, e.g. bytes) one child task takes at most before it
    /// stops taking more; 0: one input per task.
    public var batchWeight: Int

    /// The most inputs one child task takes.
    public var maxBatchCount: Int

    /// - Parameters:
    ///   - jobs: inputs (or batches of them) transformed at once.
    ///   - batchWeight: consecutive inputs share a task while their weights add up to less than
    ///     this (an input at or over it goes alone); 0 turns batching off.
    ///   - maxBatchCount: the most inputs in one task.
    public init(jobs: Int, batchWeight: Int = 0, maxBatchCount: Int = 64) {
        self.jobs = max(1, jobs)
        self.batchWeight = max(0, batchWeight)
        self.maxBatchCount = max(1, maxBatchCount)
    }

    /// Transforms every input and consumes the results in input order.
    ///
    /// - Parameters:
    ///   - inputs: the inputs, read lazily on the calling task.
    ///   - weight: an input's weight for batching (e.g. its size in bytes); unused without `batchWeight`.
    ///   - makeWorker: creates one worker per job (called `jobs` times, up front).
    ///   - transform: runs on a child task with exclusive use of a worker.
    ///   - consume: runs on the calling task, once per input, in input order.
    /// - Throws: what `makeWorker`, `transform` or `consume` throws; the remaining tasks are cancelled.
    public func run<Input: Sendable, Output: Sendable, Worker>(
        _ inputs: some Sequence<Input>,
        weight: @escaping (Input) -> Int = { _ in 1 },
        makeWorker: () throws -> Worker,
        transform: @escaping @Sendable (Input, Worker) async throws -> Output,
        consume: (Int, Output) throws -> Void
    ) async throws {
        var batches = InputBatches(inputs.makeIterator(), limit: batchWeight, maxCount: maxBatchCount, weight: weight)
        try await run(nextBatch: { batches.next() }, makeWorker: makeWorker, transform: transform, consume: consume)
    }

    /// `run(_:weight:makeWorker:transform:consume:)` over inputs that arrive over time: `next`
    /// gives the next one, waiting for it, and nil at the end (one input per task).
    ///
    /// - Parameter next: called on the calling task, only when a worker is free for the input.
    public func run<Input: Sendable, Output: Sendable, Worker>(
        next: () async throws -> Input?,
        makeWorker: () throws -> Worker,
        transform: @escaping @Sendable (Input, Worker) async throws -> Output,
        consume: (Int, Output) throws -> Void
    ) async throws {
        try await run(nextBatch: { try await next().map { [$0] } }, makeWorker: makeWorker, transform: transform, consume: consume)
    }

    /// The driver's loop: batches from `nextBatch` (nil at the end) transformed on `jobs` workers.
    private func run<Input: Sendable, Output: Sendable, Worker>(
        nextBatch: () async throws -> [Input]?,
        makeWorker: () throws -> Worker,
        transform: @escaping @Sendable (Input, Worker) async throws -> Output,
        consume: (Int, Output) throws -> Void
    ) async throws {
        var leases: [WorkerLease<Worker>] = []
        for _ in 0..<jobs { leases.append(WorkerLease(try makeWorker())) }

        try await withThrowingTaskGroup(of: (Int, [Output], WorkerLease<Worker>).self) { group in
            var nextBatchNumber = 0
            var nextBatchToConsume = 0
            var consumed = 0
            var exhausted = false
            var finished: [Int: [Output]] = [:]

            // Results waiting for a slower earlier batch are bounded too: a worker stays idle
            // rather than run further ahead than `window` batches.
            let window = jobs * 8
            func startIdle() async throws {
                while !exhausted, nextBatchNumber - nextBatchToConsume < window, let lease = leases.popLast() {
                    guard let batch = try await nextBatch() else {
                        leases.append(lease)
                        exhausted = true
                        return
                    }
                    let number = nextBatchNumber
                    nextBatchNumber += 1
                    group.addTask {
                        var outputs: [Output] = []
                        outputs.reserveCapacity(batch.count)
                        for input in batch {
                            try Task.checkCancellation()
                            outputs.append(try await transform(input, lease.worker))
                        }
                        return (number, outputs, lease)
                    }
                }
            }

            try await startIdle()
            while let (number, outputs, lease) = try await group.next() {
                finished[number] = outputs
                leases.append(lease)
                while let ready = finished.removeValue(forKey: nextBatchToConsume) {
                    for output in ready {
                        try consume(consumed, output)
                        consumed += 1
                    }
                    nextBatchToConsume += 1
                }
                try await startIdle()
            }
        }
    }
}

/// Consecutive inputs cut into batches: each batch takes one input, then more while their weights
/// add up to no more than `limit` and it holds fewer than `maxCount` (`limit` 0: one input each).
/// An input heavier than what is left starts the next batch.
struct InputBatches<Base: IteratorProtocol> {
    private var base: Base
    private var lookahead: Base.Element?
    let limit: Int
    let maxCount: Int
    private let weight: (Base.Element) -> Int

    init(_ base: Base, limit: Int, maxCount: Int, weight: @escaping (Base.Element) -> Int) {
        self.base = base
        self.limit = limit
        self.maxCount = max(1, maxCount)
        self.weight = weight
        lookahead = self.base.next()
    }

    /// The next batch; nil when the inputs are exhausted.
    mutating func next() -> [Base.Element]? {
        guard let first = lookahead else { return nil }
        var batch = [first]
        lookahead = base.next()
        guard limit > 0 else { return batch }
        var total = weight(first)
        while total < limit, batch.count < maxCount, let next = lookahead {
            let w = weight(next)
            if total + w > limit { break }
            batch.append(next)
            total += w
            lookahead = base.next()
        }
        return batch
    }
}
