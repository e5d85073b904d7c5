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
final class FileReadAhead: Sendable {
    private let files: InputFileList
    private let maxFilesAhead: Int
    private let maxBytesAhead: Int
    private let maxBytesPerFile: Int
    private let adviseFile: @Sendable (InputFile, Int) -> Int
    /// Files the consumer is done with (a prefix of `files`).
    private let consumed = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    /// Set by the read-ahead thread before it sleeps; whoever clears it wakes the thread.
    private let sleeping = Atomic<Bool>(false)
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
    init(
        _ files: InputFileList, maxFilesAhead: Int = 16_384, maxBytesAhead: Int = 64 << 20, maxBytesPerFile: Int = 8 << 20,
        advise: @escaping @Sendable (InputFile, Int) -> Int = FileReadAhead.advise
    ) {
        self.files = files
        self.adviseFile = advise
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
        consumed.store(count, ordering: .releasing)
        if sleeping.exchange(false, ordering: .acquiringAndReleasing) { wake.signal() }
    }

    /// Stops the read-ahead and waits for its thread to end. Call once.
    func stop() {
        stopped.store(true, ordering: .releasing)
        if sleeping.exchange(false, ordering: .acquiringAndReleasing) { wake.signal() }
        done.wait()
    }

    /// The thread's loop: advise the next file while the window allows, else sleep until the
    /// consumer moves on.
    private func readAhead() {
        // Sizes advised of the files from `front` to `next`, in a ring.
        var sizes = [Int](repeating: 0, count: maxFilesAhead)
        var front = 0, next = 0, bytesAhead = 0
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
                let size = adviseFile(files[next], maxBytesPerFile)
                sizes[next % maxFilesAhead] = size
                bytesAhead += size
                next += 1
                continue
            }
            sleeping.store(true, ordering: .releasing)
            // Checked again after announcing the sleep: a consumer that moved on before it saw the flag.
            if self.consumed.load(ordering: .acquiring) != consumed || stopped.load(ordering: .acquiring) {
                if sleeping.exchange(false, ordering: .acquiringAndReleasing) { continue }
            }
            wake.wait()
        }
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
