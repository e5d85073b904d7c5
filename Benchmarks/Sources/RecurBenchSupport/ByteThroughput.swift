import Benchmark

public extension BenchmarkMetric {
    /// Input bytes processed per second, shown in thousands ("bytes/s (K)": 19512 is 19.5 MB/s,
    /// 1 MB = 1,000,000 bytes; in M the table would round to whole MB/s).
    ///
    /// ordo-one's `.throughput` counts iterations per second and its scaling factors are powers of
    /// ten, so a pass over a corpus of N bytes cannot be scaled to bytes with it; this metric is
    /// recorded by `Benchmark.measureBytes` from the same clock reading instead.
    static let bytesPerSecond = BenchmarkMetric.custom("bytes/s", polarity: .prefersLarger, useScalingFactor: false)
}

public extension Benchmark.Configuration {
    /// Wall clock, iterations per second, bytes per second (in K) and the given extra metrics.
    static func bytes(
        _ extra: [BenchmarkMetric] = [], maxDuration: Duration = .seconds(10), maxIterations: Int = 25,
        warmupIterations: Int = 1
    ) -> Benchmark.Configuration {
        Benchmark.Configuration(
            metrics: [.wallClock, .throughput, .bytesPerSecond] + extra,
            units: [.bytesPerSecond: .kilo],
            warmupIterations: warmupIterations,
            maxDuration: maxDuration,
            maxIterations: maxIterations)
    }
}

public extension Benchmark {
    /// Runs `body` as the measured part of the iteration and records `bytes / elapsed` as
    /// `.bytesPerSecond`. Everything before and after the call is outside the measurement.
    @inline(__always)
    func measureBytes<T>(_ bytes: Int, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        startMeasurement()
        let start = clock.now
        let result = try body()
        let elapsed = start.duration(to: clock.now)
        stopMeasurement()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if seconds > 0 { measurement(.bytesPerSecond, Int((Double(bytes) / seconds).rounded())) }
        return result
    }
}
