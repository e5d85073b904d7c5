/// Wall-clock timing for the benchmark executables that run without the malloc interposer
/// (`dedup-compare`, `analyzer-baseline`).
public enum BenchClock {
    /// Runs `body` and returns its value and the seconds it took.
    public static func timed<T>(_ body: () -> T) -> (T, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = body()
        let d = start.duration(to: clock.now)
        return (value, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }

    /// The median of `values` (not empty).
    public static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
