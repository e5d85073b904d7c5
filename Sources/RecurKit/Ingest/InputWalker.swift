import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How JSONL/CSV fields map to document fields (`--id-field` etc.).
public struct FieldMapping: Sendable, Hashable {
    public var id: String
    public var date: String
    public var source: String
    public var text: String

    public init(id: String = "id", date: String = "date", source: String = "source", text: String = "text") {
        self.id = id
        self.date = date
        self.source = source
        self.text = text
    }
}

/// One input file found by the walker.
public struct InputFile: Sendable, Hashable {
    /// As displayed in messages: the path as given or joined (`corpora/seeds/ru-x.txt`), `-` for standard input.
    public var path: String
    /// Relative to the root argument it was found under (the file name itself for a file argument); used for ids.
    public var relativePath: String
    /// By extension; nil when unknown (the reader then sniffs the content).
    public var format: DocumentFormat?
    /// Size when the walk saw it (0 for standard input), for progress and time estimates.
    public var byteCount: Int

    public init(path: String, relativePath: String, format: DocumentFormat?, byteCount: Int = 0) {
        self.path = path
        self.relativePath = relativePath
        self.format = format
        self.byteCount = byteCount
    }

    /// The file's name: its relative path after the last `/`.
    public var name: Substring {
        let utf8 = relativePath.utf8
        guard let slash = utf8.lastIndex(of: UInt8(ascii: "/")) else { return relativePath[...] }
        return relativePath[utf8.index(after: slash)...]
    }

    /// The format a file name's extension names, or nil.
    public static func format(forName name: String) -> DocumentFormat? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "txt", "text": return .text
        case "md", "markdown": return .markdown
        case "html", "htm": return .html
        case "eml": return .email
        case "mbox": return .mbox
        case "jsonl", "ndjson": return .jsonl
        case "csv": return .csv
        default: return nil
        }
    }
}

public enum InputWalker {
    /// Expands paths into input files: directories recursively (in byte-wise order of relative paths),
    /// files as given, "-" for standard input.
    ///
    /// Hidden files and folders (dot-names) inside directories are skipped; symbolic links are followed
    /// but no real directory is entered twice, so link loops end. Missing paths, unreadable folders and
    /// files with unknown extensions inside folders are reported as diagnostics; nothing throws.
    /// A file named explicitly with an unknown extension is kept with `format == nil` (the reader sniffs it).
    public static func collect(_ paths: [String]) -> (files: InputFileList, diagnostics: [Diagnostic]) {
        var files = InputFileList()
        var diagnostics: [Diagnostic] = []
        for path in paths {
            if path == "-" {
                files.appendStandardInput()
                continue
            }
            switch kind(of: path) {
            case .missing:
                diagnostics.append(Diagnostic(.error, path: path, "no such file or directory"))
            case .other:
                diagnostics.append(Diagnostic(.warning, path: path, "skipped: not a regular file or directory"))
            case .file(let size):
                let name = (path as NSString).lastPathComponent
                files.appendGivenFile(path: path, format: InputFile.format(forName: name), byteCount: size)
            case .directory:
                let rootID = files.addRoot(path)
                let start = files.count
                var visited: Set<String> = []
                walk(root: path, rootID: rootID, relative: "", visited: &visited, into: &files, diagnostics: &diagnostics)
                if files.count == start {
                    diagnostics.append(Diagnostic(.warning, path: path, "no input files in this folder (.txt, .md, .html, .eml, .mbox, .jsonl, .csv)"))
                }
            }
        }
        return (files, diagnostics)
    }

    private static func walk(
        root: String, rootID: Int32, relative: String, visited: inout Set<String>, into found: inout InputFileList,
        diagnostics: inout [Diagnostic]
    ) {
        let directory = InputFileList.join(root, relative)
        let real = realPath(directory) ?? directory
        guard visited.insert(real).inserted else {
            diagnostics.append(Diagnostic(.warning, path: directory, "skipped: directory already visited (symbolic link loop)"))
            return
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            diagnostics.append(Diagnostic(.error, path: directory, "cannot read directory"))
            return
        }
        if !relative.isEmpty, !entries.contains(where: { !$0.hasPrefix(".") }) {
            diagnostics.append(Diagnostic(.warning, path: directory, "empty folder"))
        }
        // Each child with what it is, sorted by its name with a "/" after a folder's: then a
        // depth-first walk lists the files in byte-wise order of their whole relative paths
        // ("a-b/w.csv" before "a/x.txt", as '-' < '/'), so the list needs no sorting afterwards.
        var children: [(name: String, relative: String, path: String, kind: Kind, sortKey: [UInt8])] = []
        for name in entries where !name.hasPrefix(".") {
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            let childPath = InputFileList.join(root, childRelative)
            let kind = kind(of: childPath)
            var sortKey = Array(name.utf8)
            if case .directory = kind { sortKey.append(UInt8(ascii: "/")) }
            children.append((name, childRelative, childPath, kind, sortKey))
        }
        children.sort { $0.sortKey.lexicographicallyPrecedes($1.sortKey) }
        for (name, childRelative, childPath, kind, _) in children {
            switch kind {
            case .directory:
                walk(root: root, rootID: rootID, relative: childRelative, visited: &visited, into: &found, diagnostics: &diagnostics)
            case .file(let size):
                if let format = InputFile.format(forName: name) {
                    found.appendFile(root: rootID, relativePath: childRelative, format: format, byteCount: size)
                } else {
                    diagnostics.append(Diagnostic(.warning, path: childPath, "skipped: unknown extension"))
                }
            case .missing:
                diagnostics.append(Diagnostic(.warning, path: childPath, "skipped: broken symbolic link"))
            case .other:
                diagnostics.append(Diagnostic(.warning, path: childPath, "skipped: not a regular file or directory"))
            }
        }
    }

    private enum Kind { case file(size: Int), directory, other, missing }

    /// What `path` is, following symbolic links.
    private static func kind(of path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file(size: Int(info.st_size))
        default: return .other
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
