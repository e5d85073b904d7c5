import Foundation
import RecurKit

/// Paths shared by the test targets.
public enum TestPaths {
    /// The package root (found from this file's location).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `../shared` beside the package, or nil when it is absent (tests that need it skip).
    public static let shared: URL? = {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("README.md").path) ? url : nil
    }()

    /// A file or folder under `../shared`, or nil when it is absent.
    public static func shared(_ relative: String) -> URL? {
        guard let url = shared?.appendingPathComponent(relative),
              FileManager.default.fileExists(atPath: url.path) else { return nil }
        return url
    }

    /// The bundled seed documents.
    public static var seeds: URL { packageRoot.appendingPathComponent("corpora/seeds") }
}
