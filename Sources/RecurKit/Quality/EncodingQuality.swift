import Foundation

/// Charset detection accuracy on folders of files whose folder name is their true encoding.
public enum EncodingQuality {
    public struct Row: Sendable, Hashable {
        public var truth: String
        public var files: Int
        public var correct: Int
        /// Files detected as something else, with what it was.
        public var misses: [String]
        public var accuracy: Double { files == 0 ? 0 : Double(correct) / Double(files) }
    }

    /// Charsets that decode the same text for the files recur meets, counted as a correct detection:
    /// CP932 is the superset of Shift_JIS that Windows writes; windows-1252 differs from
    /// ISO-8859-1 only in the C1 range, which ISO-8859-1 text never uses for printing.
    public static func equivalent(_ detected: String, _ truth: String) -> Bool {
        func family(_ name: String) -> String {
            switch name.uppercased() {
            case "SHIFT_JIS", "CP932", "WINDOWS-31J": return "SJIS"
            case "ISO-8859-1", "WINDOWS-1252", "ISO-8859-15": return "LATIN"
            case "UTF-8", "UTF-8-SIG": return "UTF-8"
            case "ISO-8859-5-RUSSIAN", "ISO-8859-5": return "ISO-8859-5"
            case "WINDOWS-1251-RUSSIAN", "WINDOWS-1251": return "WINDOWS-1251"
            default: return name.uppercased()
            }
        }
        return family(detected) == family(truth)
    }

    /// Detects every file under `directory`/<encoding>/ and compares with the folder name.
    public static func measure(directory: String, decoder: CharsetDecoder = CharsetDecoder()) throws -> [Row] {
        let fm = FileManager.default
        var rows: [Row] = []
        for folder in try fm.contentsOfDirectory(atPath: directory).sorted() {
            var isDirectory: ObjCBool = false
            let folderPath = directory + "/" + folder
            guard fm.fileExists(atPath: folderPath, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            var row = Row(truth: folder, files: 0, correct: 0, misses: [])
            for name in try fm.contentsOfDirectory(atPath: folderPath).sorted() where !name.hasPrefix(".") {
                guard let data = fm.contents(atPath: folderPath + "/" + name) else { continue }
                let decoded = decoder.decode([UInt8](data))
                row.files += 1
                if equivalent(decoded.encoding, folder) { row.correct += 1 } else { row.misses.append("\(name)→\(decoded.encoding)") }
            }
            rows.append(row)
        }
        return rows
    }
}

extension EncodingQuality {
    /// Charset detection on the text/plain parts of the e-mails under `directory` (recursively), each
    /// detected from its bytes alone and compared with the charset the part declares. Parts declared
    /// US-ASCII or without a declaration are left out.
    ///
    /// - Returns: one row per declared charset, sorted by name.
    public static func measureDeclaredMail(directory: String, decoder: CharsetDecoder = CharsetDecoder()) -> [Row] {
        var rows: [String: Row] = [:]
        for file in InputWalker.collect([directory]).files where file.format == .email {
            guard let data = FileManager.default.contents(atPath: file.path) else { continue }
            var parser = MIMEParser(decoder: decoder, path: file.path)
            parser.ignoresDeclaredCharsets = true
            for part in parser.parseMessage(Array(data)[...]).parts where !part.isHTML {
                guard let declared = part.declared.flatMap(CharsetDecoder.canonicalName), declared.uppercased() != "US-ASCII" else { continue }
                var row = rows[declared] ?? Row(truth: declared, files: 0, correct: 0, misses: [])
                row.files += 1
                if equivalent(part.encoding, declared) { row.correct += 1 } else { row.misses.append("\(file.relativePath): \(part.encoding)") }
                rows[declared] = row
            }
        }
        return rows.values.sorted { $0.truth < $1.truth }
    }
}
