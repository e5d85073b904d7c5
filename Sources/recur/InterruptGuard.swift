#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Ends a run cleanly on SIGINT or SIGTERM: the temporary output files are removed, the previous
/// outputs stay as they were, stderr says so, and the exit status is 128 + the signal number.
///
/// While the outputs are being renamed into place (`whileCommitting`), a signal waits, so that a
/// folder never holds a mix of old and new outputs.
enum InterruptGuard {
    /// Installs the handlers for a run writing `names` into `folder`.
    ///
    /// - Parameters:
    ///   - folder: the output folder.
    ///   - names: the output files' names (their temporary files are `.NAME.tmp-PID` beside them).
    static func install(folder: String, names: [String]) {
        let pid = getpid()
        let paths = names.map { "\(folder)/.\($0).tmp-\(pid)" }
        let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: paths.count)
        for (i, path) in paths.enumerated() { list[i] = strdup(path) }
        interruptState.temporaryPaths = list
        interruptState.temporaryCount = paths.count
        interruptState.message = strdup("recur: interrupted; nothing in \(folder) was replaced (the previous outputs are untouched)\n")
        signal(SIGINT, handleInterrupt)
        signal(SIGTERM, handleInterrupt)
    }

    /// Runs `body` (renaming outputs into place) with signals held until it returns.
    static func whileCommitting<T>(_ body: () throws -> T) rethrows -> T {
        committing.store(true, ordering: .sequentiallyConsistent)
        defer {
            committing.store(false, ordering: .sequentiallyConsistent)
            let signal = pendingSignal.exchange(0, ordering: .sequentiallyConsistent)
            if signal != 0 {
                let note = "recur: interrupted after the outputs were written\n"
                _ = note.withCString { write(2, $0, strlen($0)) }
                _exit(128 + signal)
            }
        }
        return try body()
    }
}

/// What the signal handler needs, set up before it is installed and only read by it.
private struct InterruptState {
    var temporaryPaths: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    var temporaryCount = 0
    var message: UnsafeMutablePointer<CChar>?
}

nonisolated(unsafe) private var interruptState = InterruptState()
private let committing = Atomic<Bool>(false)
private let pendingSignal = Atomic<Int32>(0)

/// The handler: only async-signal-safe calls (unlink, write, _exit).
private func handleInterrupt(_ signal: Int32) {
    if committing.load(ordering: .sequentiallyConsistent) {
        pendingSignal.store(signal, ordering: .sequentiallyConsistent)
        return
    }
    if let paths = interruptState.temporaryPaths {
        for i in 0..<interruptState.temporaryCount { if let p = paths[i] { unlink(p) } }
    }
    if let message = interruptState.message { write(2, message, strlen(message)) }
    _exit(128 + signal)
}
