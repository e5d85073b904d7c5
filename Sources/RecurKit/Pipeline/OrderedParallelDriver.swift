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
public struct OrderedParallelDriver: Sendable {
    /// How many inputs are transformed at once (at least 1).
    public var jobs: Int

    public init(jobs: Int) {
        self.jobs = max(1, jobs)
    }

    /// Transforms every input and consumes the results in input order.
    ///
    /// - Parameters:
    ///   - inputs: the inputs, read lazily on the calling task.
    ///   - makeWorker: creates one worker per job (called `jobs` times, up front).
    ///   - transform: runs on a child task with exclusive use of a worker.
    ///   - consume: runs on the calling task, once per input, in input order.
    /// - Throws: what `makeWorker`, `transform` or `consume` throws; the remaining tasks are cancelled.
    public func run<Input: Sendable, Output: Sendable, Worker>(
        _ inputs: some Sequence<Input>,
        makeWorker: () throws -> Worker,
        transform: @escaping @Sendable (Input, Worker) throws -> Output,
        consume: (Int, Output) throws -> Void
    ) async throws {
        var leases: [WorkerLease<Worker>] = []
        for _ in 0..<jobs { leases.append(WorkerLease(try makeWorker())) }

        try await withThrowingTaskGroup(of: (Int, Output, WorkerLease<Worker>).self) { group in
            var iterator = inputs.makeIterator()
            var nextIndex = 0
            var nextToConsume = 0
            var finished: [Int: Output] = [:]

            func startNext(with lease: WorkerLease<Worker>) -> Bool {
                guard let input = iterator.next() else { return false }
                let index = nextIndex
                nextIndex += 1
                group.addTask {
                    try Task.checkCancellation()
                    return (index, try transform(input, lease.worker), lease)
                }
                return true
            }

            // Results waiting for a slower earlier input are bounded too: a worker stays idle
            // rather than run further ahead than `window` inputs.
            let window = jobs * 8
            var exhausted = false
            func startIdle() {
                while !exhausted, nextIndex - nextToConsume < window, let lease = leases.popLast() {
                    if !startNext(with: lease) {
                        leases.append(lease)
                        exhausted = true
                    }
                }
            }

            startIdle()
            while let (index, output, lease) = try await group.next() {
                finished[index] = output
                leases.append(lease)
                while let ready = finished.removeValue(forKey: nextToConsume) {
                    try consume(nextToConsume, ready)
                    nextToConsume += 1
                }
                startIdle()
            }
        }
    }
}
