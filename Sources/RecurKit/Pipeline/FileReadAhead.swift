import Foundation
import Synchronization

/// Asks the kernel to read the input files into the page cache a little ahead of the workers
/// (`posix_fadvise(POSIX_FADV_WILLNEED)`), on a thread of its own.
///
/// On an archive that is not in the page cache yet (the usual case: a folder of mail read once),
/// a worker that opens its next file otherwise waits for the disk with a core idle (the 1 GB
/// benchmark archive, cold: 124.6 s without it, 86.3 s with it; README). The advice only starts reads; it never
/// blocks a worker and holds no memory of the process (the pages are the kernel's cache). It keeps
/// at most `maxFilesAhead` files and `maxBytesAhead` bytes ahead of the files consumed, and
/// advises at most `maxBytesPerFile` of one file (a large export is read in slices later anyway).
/// What it cannot open it skips: the worker reading the file reports the problem.
///
/// An archive already in the page cache (a second run, or files just written) gains nothing from
/// the advice, which still costs an `open`, a `posix_fadvise` and a `close` per file (about 3 % of
/// the CPU time of `recur analyze` on the 50 MB benchmark slice). So every `probeEvery`-th file is
/// first checked (`isCached`): when its first page is cached, it and the files up to the next
/// check are passed over without advice.
final class FileReadAhead: Sendable {
    private let files: InputFileList
    private let maxFilesAhead: Int
    private let maxBytesAhead: Int
    private let maxBytesPerFile: Int
    private let adviseFile: @Sendable (InputFile, Int) -> Int
    private let probeFile: @Sendable (InputFile) -> Bool
    private let probeEvery: Int
    /// Files the consumer is done with (a prefix of `files`).
    private let consumed = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    /// Set by the read-ahead thread before it sleeps; whoever clears it wakes the thread.
    private let sleeping = Atomic<Bool>(false)
    /// The consumed count that wakes the sleeping thread: with its file window full, a sixteenth
    /// of the window must be consumed first, so that a consumer close behind does not wake it
    /// for every file.
    private let wakeAt = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading ahead from the first file.
    ///
    /// - Parameters:
    ///   - files: the files in the order they will be read.
    ///   - maxFilesAhead: files advised beyond those consumed, at most.
    ///   - maxBytesAhead: bytes advised beyond those consumed, at most (one file may pass it).
    ///   - maxBytesPerFile: of one file, at most this much is advised.
    ///   - advise: gives the advice for a file and at most that many bytes, and returns the bytes
    ///     it counts against `maxBytesAhead` (tests watch the order with their own).
    ///   - probeEvery: every this many files (by position), one is probed first.
    ///   - probe: whether a file is in the page cache already; when true, it and the next
    ///     `probeEvery` − 1 files get no advice.
    init(
        _ files: InputFileList, maxFilesAhead: Int = 16_384, maxBytesAhead: Int = 64 << 20, maxBytesPerFile: Int = 8 << 20,
        advise: @escaping @Sendable (InputFile, Int) -> Int = FileReadAhead.advise,
        probeEvery: Int = 32, probe: @escaping @Sendable (InputFile) -> Bool = FileReadAhead.isCached
    ) {
        self.files = files
        self.adviseFile = advise
        self.probeFile = probe
        self.probeEvery = max(1, probeEvery)
        self.maxFilesAhead = max(1, maxFilesAhead)
        self.maxBytesAhead = maxBytesAhead
        self.maxBytesPerFile = maxBytesPerFile
        let thread = Thread { [self] in
            readAhead()
            done.signal()
        }
        thread.name = "recur-read-ahead"
        thread.start()
    }

    /// Tells the read-ahead that the first `count` files are done with (`count` never decreases).
    func consumed(_ count: Int) {
        consumed.store(count, ordering: .sequentiallyConsistent)
        guard count >= wakeAt.load(ordering: .sequentiallyConsistent) else { return }
        if sleeping.exchange(false, ordering: .sequentiallyConsistent) { wake.signal() }
    }

    /// Stops the read-ahead and waits for its thread to end. Call once.
    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        if sleeping.exchange(false, ordering: .sequentiallyConsistent) { wake.signal() }
        done.wait()
    }

    /// The thread's loop: advise the next file while the window allows, else sleep until the
    /// consumer moves on.
    private func readAhead() {
        // Sizes advised of the files from `front` to `next`, in a ring.
        var sizes = [Int](repeating: 0, count: maxFilesAhead)
        var front = 0, next = 0, bytesAhead = 0
        // Files passed over without advice: the last probe found its file cached, up to here.
        var cachedUntil = 0
        while !stopped.load(ordering: .acquiring) && next < files.count {
            let consumed = consumed.load(ordering: .acquiring)
            while front < min(consumed, next) {
                bytesAhead -= sizes[front % maxFilesAhead]
                front += 1
            }
            if next < consumed {
                // The consumer got past the read-ahead (files already cached are read quickly).
                next = consumed
                front = consumed
                bytesAhead = 0
                continue
            }
            if next - front < maxFilesAhead && bytesAhead < maxBytesAhead {
                if next % probeEvery == 0, probeFile(files[next]) { cachedUntil = next + probeEvery }
                let size = next < cachedUntil ? 0 : adviseFile(files[next], maxBytesPerFile)
                sizes[next % maxFilesAhead] = size
                bytesAhead += size
                next += 1
                continue
            }
            let filesWindowFull = next - front >= maxFilesAhead
            let threshold = front + (filesWindowFull ? max(1, maxFilesAhead / 16) : 1)
            wakeAt.store(threshold, ordering: .sequentiallyConsistent)
            sleeping.store(true, ordering: .sequentiallyConsistent)
            // Checked again after announcing the sleep: a consumer that got there before it saw the flag.
            if self.consumed.load(ordering: .sequentiallyConsistent) >= threshold || stopped.load(ordering: .sequentiallyConsistent) {
                if sleeping.exchange(false, ordering: .sequentiallyConsistent) { continue }
            }
            wake.wait()
        }
    }

    /// Whether the first page of `file` is in the page cache (`mincore` of a one-page mapping);
    /// false when that cannot be told (standard input, an empty or unreadable file, or a file the
    /// kernel does not report on: one the process neither owns nor may write).
    static func isCached(_ file: InputFile) -> Bool {
        guard file.path != "-", file.byteCount > 0 else { return false }
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let map = mmap(nil, page, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { return false }
        defer { munmap(map, page) }
        var resident: UInt8 = 0
        return mincore(map, page, &resident) == 0 && resident & 1 != 0
    }

    /// Advises the kernel to read the start of `file`, `maxBytes` at most; returns the bytes
    /// advised (0 when it could not be opened, or for standard input).
    static func advise(_ file: InputFile, maxBytes: Int) -> Int {
        guard file.path != "-" else { return 0 }
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let length = min(file.byteCount, maxBytes)
        #if os(Linux)
        _ = posix_fadvise(fd, 0, off_t(length), POSIX_FADV_WILLNEED)
        #endif
        return max(length, 1)
    }
}
