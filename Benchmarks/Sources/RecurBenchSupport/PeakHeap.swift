#if canImport(MallocInterposerSwift)
import MallocInterposerSwift
import Synchronization
#endif

/// The peak of live heap bytes (requested bytes allocated minus bytes freed) in a region, exactly:
/// an allocation hook of ordo-one's malloc interposer reads the counters after every allocation.
///
/// The interposer counts only while a benchmark's measurement is running and the benchmark asks
/// for a malloc metric (e.g. `.mallocCountTotal`), so `start()`/`stop()` must be called inside the
/// measured part of such a benchmark. Sizes are the requested ones (no allocator overhead).
/// Allocations of other threads in the same window count too: use it in single-threaded benchmarks.
/// Without the interposer (the benchmark package's `MallocInterposer` trait off) `isCounting` is false.
public enum PeakHeap {
    /// A region being measured.
    public struct Region {
        /// Live bytes by the counters at the start of the region.
        let base: Int

        /// Live heap bytes now, relative to the start of the region.
        public var live: Int { PeakHeap.liveCounter() - base }

        /// The highest live heap bytes since the start of the region, relative to its start.
        public var peak: Int { isCounting ? max(0, PeakHeap.peakCounter() - base) : 0 }

        /// Whether the interposer counted anything in the region (false when it is not loaded or
        /// the benchmark asked for no malloc metric): the figures are meaningless then.
        public var isCounting: Bool { PeakHeap.peakCounter() != Int.min }
    }

    #if canImport(MallocInterposerSwift)
    /// Largest `mallocBytes - freeBytes` seen by the hook since `start()`; `Int.min` before the first.
    private static let peak = Atomic<Int>(Int.min)

    private static let hook: MallocInterposerSwift.AllocationHook = { _ in
        // Runs inside malloc: reads and updates atomics only, never allocates.
        let live = PeakHeap.liveCounter()
        var seen = PeakHeap.peak.load(ordering: .relaxed)
        while live > seen {
            let (exchanged, original) = PeakHeap.peak.compareExchange(expected: seen, desired: live, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
    }

    /// The interposer's counters are cumulative: live = allocated - freed.
    static func liveCounter() -> Int {
        let s = MallocInterposerSwift.getStatistics()
        return s.mallocBytesCount - s.freeBytesCount
    }

    static func peakCounter() -> Int { peak.load(ordering: .relaxed) }

    /// Starts tracking the peak from the current live bytes.
    public static func start() -> Region {
        peak.store(Int.min, ordering: .relaxed)
        let region = Region(base: liveCounter())
        MallocInterposerSwift.setAllocationHook(hook)
        return region
    }

    /// Stops tracking (the region's figures stay readable until the next `start()`).
    public static func stop() {
        MallocInterposerSwift.setAllocationHook(nil)
    }
    #else
    static func liveCounter() -> Int { 0 }
    static func peakCounter() -> Int { Int.min }
    public static func start() -> Region { Region(base: 0) }
    public static func stop() {}
    #endif
}
