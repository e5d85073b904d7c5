/// recur's exit codes, the one place they are defined.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Everything was read and written.
    case success = 0
    /// The run failed: nothing new was written (previous outputs are untouched).
    case failure = 1
    /// The run finished, but some inputs or records were skipped (see stderr). With `--strict` this is a failure.
    case inputsSkipped = 2
    /// The command line was wrong.
    case usage = 64
    /// Stopped by SIGINT (128 + 2): nothing new was written, previous outputs are untouched.
    case interrupted = 130
    /// Stopped by SIGTERM (128 + 15): as for SIGINT.
    case terminated = 143
}
