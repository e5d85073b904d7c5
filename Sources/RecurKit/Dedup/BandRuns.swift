import Foundation

/// The older entries of a `BandIndex`, on disk: sorted runs, so that the band tables in memory stay
/// the same size however many paragraphs an archive indexes.
///
/// When the tables in memory are full, their entries become a run: per band, the entries as
/// 8-byte words (the key's mixed tag above the value), sorted, in a temporary file. Memory keeps,
/// per band of every run, a byte per entry (a fingerprint: the 8 bits of the mixed tag under its
/// bucket bits) and a 4-byte offset per bucket of about 12 entries: about 1.3 bytes an entry, 26
/// an indexed paragraph with 20 bands, where the tables take 125–250. A lookup finds the bucket
/// and the entries whose fingerprint matches in memory and reads only those (one `pread`), so a
/// band holding nothing under the key costs a read only when one of the 8–16 fingerprints of its
/// bucket matches by chance (at most 16 in 256).
///
/// Two runs of the same level are merged into one of the next (streamed, a chunk at a time), so a
/// lookup consults at most about log2(spills) runs; the space of merged runs is given back to the
/// file system (`FALLOC_FL_PUNCH_HOLE`) where it can be.
///
/// `collect` is safe from several threads at once; `add` and merging run on one thread while no
/// lookup does (the deduplicator's).
final class BandRuns: @unchecked Sendable {
    /// One band of one run. Its memory is allocated by `BandWriter.finish()` and freed by the
    /// `BandRuns` holding it, so that a lookup reads it without reference counting.
    struct Band {
        /// Where its entries start in the file.
        var offset: Int
        var count: Int
        /// log2 of the buckets: a key's bucket is its mixed tag's top `bucketBits` bits.
        var bucketBits: Int
        /// Per bucket, the index of its first entry (one more than the buckets: the end).
        var starts: UnsafeMutableBufferPointer<UInt32>
        /// Per entry, the 8 bits of its mixed tag under the bucket bits.
        var fingerprints: UnsafeMutableBufferPointer<UInt8>

        var bytes: Int { starts.count * 4 + fingerprints.count }

        func deallocate() {
            starts.deallocate()
            fingerprints.deallocate()
        }
    }

    struct Run {
        /// Merges of spills it holds: two runs of the same level make one of the next.
        var level: Int
        var bands: [Band]
    }

    /// The file's name in the temporary folder (until it is unlinked at once) and in errors.
    static let fileName = "recur-bands"
    private let file: SpillFile
    private let bandsPerRun: Int
    private var runs: [Run] = [] {
        didSet { flat = runs.flatMap(\.bands) }
    }
    /// Every run's bands, run after run (what a lookup reads).
    private var flat: [Band] = []

    /// Runs on disk (each merged from one or more spills).
    var runCount: Int { runs.count }
    /// Entries per chunk of reading and writing while merging (32 KB).
    private let chunkEntries: Int

    /// nil (with `errno` set) when the file cannot be made in `folder`.
    init?(bands: Int, folder: String = TemporaryFile.defaultFolder, chunkEntries: Int = 4096) {
        bandsPerRun = bands
        guard let file = SpillFile(in: folder, prefix: Self.fileName) else { return nil }
        self.file = file
        self.chunkEntries = max(1, chunkEntries)
    }

    deinit { for band in flat { band.deallocate() } }

    /// Heap bytes of the fingerprints and bucket starts.
    var bytes: Int { flat.reduce(0) { $0 + $1.bytes } }

    /// Bytes written to the file (merged runs' space included, even when given back).
    var fileBytes: Int { file.size }

    /// A 64-bit entry: the mixed tag above the value.
    @inline(__always) static func entry(mixed: UInt32, value: Int32) -> UInt64 {
        UInt64(mixed) << 32 | UInt64(UInt32(bitPattern: value))
    }

    /// Bucket bits for `count` entries: buckets of 8 to 16 entries (none below 16 entries), and
    /// at least 8 mixed-tag bits left under them for the fingerprint.
    static func bucketBits(count: Int) -> Int {
        var bits = 0
        while bits < 23 && (count >> bits) >= 16 { bits += 1 }
        return bits
    }

    @inline(__always) static func bucket(_ mixed: UInt32, bits: Int) -> Int { bits == 0 ? 0 : Int(mixed >> UInt32(31 - bits)) }

    @inline(__always) static func fingerprint(_ mixed: UInt32, bits: Int) -> UInt8 { UInt8(truncatingIfNeeded: mixed >> UInt32(23 - bits)) }

    /// Adds a run of level 0, `entries(b)` giving band `b`'s entries sorted
    /// ascending (asked for one band at a time, so that only one band's are held at once), then
    /// merges runs of equal level. False (and nothing added) when the file cannot be written; a
    /// merge that cannot be written leaves the runs as they were (lookups then consult one more).
    func add(_ entries: (Int) -> [UInt64]) -> Bool {
        var run = Run(level: 0, bands: [])
        for b in 0..<bandsPerRun {
            let sorted = entries(b)
            var writer = BandWriter(count: sorted.count, offset: file.size)
            sorted.withUnsafeBufferPointer { writer.take($0) }
            guard sorted.withUnsafeBytes({ file.append($0) }) else {
                for band in run.bands { band.deallocate() }
                return false
            }
            run.bands.append(writer.finish())
        }
        runs.append(run)
        while runs.count >= 2 && runs[runs.count - 1].level == runs[runs.count - 2].level,
              let merged = merged(runs[runs.count - 2], runs[runs.count - 1]) {
            let old = runs[runs.count - 2].bands + runs[runs.count - 1].bands
            runs.removeLast(2)
            runs.append(merged)
            for band in old {
                band.giveBack(file)
                band.deallocate()
            }
        }
        return true
    }

    /// Builds one band's fingerprints and bucket starts as its sorted entries go by.
    private struct BandWriter {
        private let offset: Int, count: Int, bits: Int
        private var starts: [UInt32] = []
        private var fingerprints: [UInt8] = []
        private var bucket = 0

        init(count: Int, offset: Int) {
            (self.offset, self.count) = (offset, count)
            bits = BandRuns.bucketBits(count: count)
            starts.reserveCapacity((1 << bits) + 1)
            starts.append(0)
            fingerprints.reserveCapacity(count)
        }

        mutating func take(_ entries: UnsafeBufferPointer<UInt64>) {
            for e in entries {
                let mixed = UInt32(truncatingIfNeeded: e >> 32)
                let b = BandRuns.bucket(mixed, bits: bits)
                while bucket < b {
                    starts.append(UInt32(fingerprints.count))
                    bucket += 1
                }
                fingerprints.append(BandRuns.fingerprint(mixed, bits: bits))
            }
        }

        /// Closes the buckets after the last entry; the band's memory is the caller's to free.
        mutating func finish() -> Band {
            precondition(fingerprints.count == count, "a band run's entries are not the count announced")
            while starts.count < (1 << bits) + 1 { starts.append(UInt32(count)) }
            let band = Band(
                offset: offset, count: count, bucketBits: bits,
                starts: .allocate(capacity: starts.count), fingerprints: .allocate(capacity: count))
            _ = band.starts.initialize(from: starts)
            _ = band.fingerprints.initialize(from: fingerprints)
            return band
        }
    }

    /// Runs `a` and `b` merged into one of the next level, band by band, streamed; nil when the
    /// file cannot be written.
    private func merged(_ a: Run, _ b: Run) -> Run? {
        var merged = Run(level: a.level + 1, bands: [])
        for band in 0..<a.bands.count {
            let (x, y) = (a.bands[band], b.bands[band])
            var writer = BandWriter(count: x.count + y.count, offset: file.size)
            var left = ChunkReader(file: file, band: x, chunk: chunkEntries)
            var right = ChunkReader(file: file, band: y, chunk: chunkEntries)
            var out: [UInt64] = []
            out.reserveCapacity(chunkEntries)
            var failed = false
            func flush() -> Bool {
                out.withUnsafeBufferPointer { writer.take($0) }
                defer { out.removeAll(keepingCapacity: true) }
                return out.withUnsafeBytes { file.append($0) }
            }
            while true {
                let l = left.peek(), r = right.peek()
                guard l != nil || r != nil else { break }
                if let l, r == nil || l < r! { out.append(l); left.advance() } else { out.append(r!); right.advance() }
                if out.count == chunkEntries, !flush() { failed = true; break }
            }
            guard !failed, out.isEmpty || flush() else {
                for band in merged.bands { band.deallocate() }
                return nil
            }
            merged.bands.append(writer.finish())
        }
        return merged
    }

    /// Reads a band's entries in order, a chunk at a time.
    private struct ChunkReader {
        let file: SpillFile
        let band: Band
        let chunk: Int
        private var buffer: [UInt64] = []
        private var position = 0
        private var next = 0

        init(file: SpillFile, band: Band, chunk: Int) {
            self.file = file
            self.band = band
            self.chunk = chunk
        }

        mutating func peek() -> UInt64? {
            if position == buffer.count {
                guard next < band.count else { return nil }
                let n = min(chunk, band.count - next)
                buffer.removeAll(keepingCapacity: true)
                buffer.append(contentsOf: repeatElement(0, count: n))
                buffer.withUnsafeMutableBytes { file.readBack(into: $0, at: band.offset + next * 8, name: BandRuns.fileName) }
                next += n
                position = 0
            }
            return buffer[position]
        }

        mutating func advance() { position += 1 }
    }

    /// Appends to `out` the values stored in band `band` under mixed tag `mixed`, in every run.
    ///
    /// - Returns: whether any was found.
    func collect(band: Int, mixed: UInt32, into out: inout [Int32]) -> Bool {
        var found = false
        let (flat, stride) = (self.flat, bandsPerRun)
        for r in 0..<flat.count / stride {
            let b = flat[r * stride + band]
            let bucket = Self.bucket(mixed, bits: b.bucketBits)
            let fp = Self.fingerprint(mixed, bits: b.bucketBits)
            // Sorted entries: within the bucket the fingerprints ascend.
            let fps = b.fingerprints
            var l = Int(b.starts[bucket]), h = Int(b.starts[bucket + 1])
            let end = h
            while l < h { let m = (l + h) >> 1; if fps[m] < fp { l = m + 1 } else { h = m } }
            let lo = l
            h = end
            while l < h { let m = (l + h) >> 1; if fps[m] <= fp { l = m + 1 } else { h = m } }
            let hi = l
            guard lo < hi else { continue }
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: min(hi - lo, 512)) { buffer in
                var start = lo
                while start < hi {
                    let n = min(buffer.count, hi - start)
                    let chunk = UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
                    file.readBack(into: UnsafeMutableRawBufferPointer(chunk), at: b.offset + start * 8, name: BandRuns.fileName)
                    for e in chunk where UInt32(truncatingIfNeeded: e >> 32) == mixed {
                        out.append(Int32(bitPattern: UInt32(truncatingIfNeeded: e)))
                        found = true
                    }
                    start += n
                }
            }
        }
        return found
    }
}

extension BandRuns.Band {
    /// Gives the file system back the space of these entries (merged into another run).
    /// (`fallocate` is looked up at run time: Swift's Glibc module does not export it.)
    func giveBack(_ file: SpillFile) {
        #if os(Linux)
        typealias Fallocate = @convention(c) (Int32, Int32, off_t, off_t) -> Int32
        let punchHoleKeepingSize: Int32 = 0x02 | 0x01  // FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE in <linux/falloc.h>
        if count > 0, let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "fallocate") {
            _ = unsafeBitCast(symbol, to: Fallocate.self)(file.fd, punchHoleKeepingSize, off_t(offset), off_t(count * 8))
        }
        #endif
    }
}
