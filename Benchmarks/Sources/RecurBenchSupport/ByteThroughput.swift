import Benchmark

public extension BenchmarkMetric {
    /// Input bytes processed per second, shown in thousands ("bytes/s (K)": 19512 is 19.5 MB/s,
    /// 1 MB = 1,000,000 bytes; in M the table would round to whole MB/s).
    ///
    /// ordo-one's `.throughput` counts iterations per second and its scaling factors are powers of
    /// ten, so a pass over a corpus of N bytes cannot be scaled to bytes with it; this metric is
    /// recorded by `Benchmark.measureBytes` from the same clock reading instead.
    static let bytesPerSecond = BenchmarkMetric.custom("bytes/s", polarity: .prefersLarger, useScalingFactor: false)

    /// Items (words, morphemes, paragraphs, rows: the benchmark's name says which) processed per
    /// second, in thousands; recorded by `Benchmark.measure(bytes:items:peakHeap:_:)` like `.bytesPerSecond`.
    static let itemsPerSecond = BenchmarkMetric.custom("items/s", polarity: .prefersLarger, useScalingFactor: false)

    /// The exact peak of live heap bytes during the measured part, above what was live at its
    /// start, in thousands ("peak heap (K)": 1500 is 1.5 MB); see `PeakHeap`. Needs a malloc
    /// metric (`.mallocCountTotal`) in the same benchmark, which turns the interposer's counting on.
    static let peakHeap = BenchmarkMetric.custom("peak heap", polarity: .prefersSmaller, useScalingFactor: false)
}

public extension Benchmark.Configuration {
    /// Wall clock, iterations per second, bytes per second (in K) and the given extra metrics.
    static func bytes(
        _ extra: [BenchmarkMetric] = [], maxDuration: Duration = .seconds(10), maxIterations: Int = 25,
        warmupIterations: Int = 1
    ) -> Benchmark.Configuration {
        Benchmark.Configuration(
            metrics: [.wallClock, .throughput, .bytesPerSecond] + extra,
            units: units,
            warmupIterations: warmupIterations,
            maxDuration: maxDuration,
            maxIterations: maxIterations)
    }

    /// Wall clock, iterations per second, items per second (in K) and the given extra metrics.
    static func items(
        _ extra: [BenchmarkMetric] = [], maxDuration: Duration = .seconds(10), maxIterations: Int = 25,
        warmupIterations: Int = 1
    ) -> Benchmark.Configuration {
        Benchmark.Configuration(
            metrics: [.wallClock, .throughput, .itemsPerSecond] + extra,
            units: units,
            warmupIterations: warmupIterations,
            maxDuration: maxDuration,
            maxIterations: maxIterations)
    }

    /// The rates and the peak heap in thousands.
    private static var units: [BenchmarkMetric: BenchmarkUnits] {
        [.bytesPerSecond: .kilo, .itemsPerSecond: .kilo, .peakHeap: .kilo]
    }
}

public extension Benchmark {
    /// Runs `body` as the measured part of the iteration and records `bytes / elapsed` as
    /// `.bytesPerSecond`. Everything before and after the call is outside the measurement.
    @inline(__always)
    func measureBytes<T>(_ bytes: Int, _ body: () throws -> T) rethrows -> T {
        try measure(bytes: bytes, body)
    }

    /// Runs `body` as the measured part of the iteration and records `bytes / elapsed` as
    /// `.bytesPerSecond` and `items / elapsed` as `.itemsPerSecond` (each when given; the
    /// configuration must list the metric), and with `peakHeap` the peak of live heap bytes
    /// during `body` as `.peakHeap` (see `PeakHeap`; its allocation hook costs a few atomic
    /// operations per allocation, inside the measurement). Everything before and after the call is
    /// outside the measurement.
    @inline(__always)
    func measure<T>(bytes: Int? = nil, items: Int? = nil, peakHeap: Bool = false, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        startMeasurement()
        let region = peakHeap ? PeakHeap.start() : nil
        let start = clock.now
        let result = try body()
        let elapsed = start.duration(to: clock.now)
        let peak = region.map { $0.isCounting ? $0.peak : -1 }
        if peakHeap { PeakHeap.stop() }
        stopMeasurement()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if seconds > 0 {
            if let bytes { measurement(.bytesPerSecond, Int((Double(bytes) / seconds).rounded())) }
            if let items { measurement(.itemsPerSecond, Int((Double(items) / seconds).rounded())) }
        }
        // The interposer does not count during warm-up iterations.
        if let peak, currentIteration >= configuration.warmupIterations {
            if peak < 0 {
                error("the malloc interposer counted nothing: no peak heap (add .mallocCountTotal)")
            } else {
                measurement(.peakHeap, peak)
            }
        }
        return result
    }
}
