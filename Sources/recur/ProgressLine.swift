import Foundation
import RecurKit

/// A one-line progress display on stderr, redrawn in place, for runs that take more than a moment.
///
/// Shown only when stderr is a terminal and `--quiet` is not given: nothing of it reaches a
/// file, a pipe or a CI log. Diagnostics clear the line first (`clear()`); the next update redraws it.
/// Safe to call from any task (the output phase reports from the task writing `duplicates.csv`):
/// its state and its writes are under one lock.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let enabled: Bool
    /// How long a run goes before the line appears: a second, or `RECUR_PROGRESS_AFTER` seconds (tests use 0).
    private let delay: Duration
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var stageStart: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?
    private var lastStep: String?
    private var shown = false

    /// - Parameter quiet: `--quiet`: never show anything.
    init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) == 1
        delay = .milliseconds(Int((Double(ProcessInfo.processInfo.environment["RECUR_PROGRESS_AFTER"] ?? "") ?? 1) * 1000))
        start = clock.now
        stageStart = start
    }

    /// Redraws the reading figures (at most four times a second, once the run has taken a moment).
    func update(_ figures: RunFigures) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = clock.now
        guard now - start >= delay else { return }
        if let lastDrawn, now - lastDrawn < .milliseconds(250) { return }
        lastDrawn = now
        draw("recur: reading " + figures.progressLine(elapsed: ArchiveAnalysis.seconds(now - start)))
    }

    /// Shows the stage that has started, when the run has already taken a moment.
    func stage(_ name: String) {
        lock.lock()
        defer { lock.unlock() }
        stageStart = clock.now
        guard enabled, clock.now - start >= delay else { return }
        draw("recur: \(name)…")
    }

    /// Redraws a stage's progress: items done of all, rate and time left since the stage began
    /// (a step's first call at once, then at most four times a second).
    func step(_ name: String, done: Int, total: Int, unit: String = "paragraphs") {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = clock.now
        guard now - start >= delay else { return }
        if name == lastStep, let lastDrawn, now - lastDrawn < .milliseconds(250) { return }
        lastStep = name
        lastDrawn = now
        let elapsed = ArchiveAnalysis.seconds(now - stageStart)
        draw("recur: " + ProgressText.step(name, done: done, of: total, unit: unit, elapsed: elapsed))
    }

    /// Removes the line (before a diagnostic or the closing lines).
    func clear() {
        lock.lock()
        defer { lock.unlock() }
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }

    private func draw(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        shown = true
    }
}
