/// A problem with one input that did not stop the run: reported on stderr and counted in the summary.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        /// The input (or a record of it) was skipped.
        case error
        /// The input was used, but something in it was repaired or guessed.
        case warning
    }

    public var severity: Severity
    public var path: String
    /// 1-based line, where it applies.
    public var line: Int?
    /// 0-based byte offset, where it applies.
    public var byteOffset: Int?
    public var message: String

    public init(_ severity: Severity, path: String, line: Int? = nil, byteOffset: Int? = nil, _ message: String) {
        self.severity = severity
        self.path = path
        self.line = line
        self.byteOffset = byteOffset
        self.message = message
    }

    /// `path:line: error: message`, the way compilers say it.
    public var description: String {
        var location = path
        if let line { location += ":\(line)" }
        if let byteOffset { location += " (byte \(byteOffset))" }
        return "\(location): \(severity.rawValue): \(message)"
    }
}

/// An error that stops one operation, shaped like swift-nio's `FileSystemError`.
public struct RecurError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case notFound = "not-found"
        case unreadable
        case invalidInput = "invalid-input"
        case unsupported
        case textLibrary = "text-library"
        case outputFailed = "output-failed"
        case usage
    }

    public var code: Code
    public var message: String
    public var path: String?
    public var line: Int?
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, path: String? = nil, line: Int? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.underlying = underlying
    }

    public var description: String {
        var s = ""
        if let path { s += path + (line.map { ":\($0)" } ?? "") + ": " }
        s += message
        if let underlying { s += " (\(underlying))" }
        return s
    }
}
