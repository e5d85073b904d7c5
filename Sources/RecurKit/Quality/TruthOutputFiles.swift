import Foundation

/// recur's own output files read back, for measuring them against a generated archive's truth
/// (`DedupTruthQuality`, `ThemeTruthQuality`).
///
/// CSV files are read as RFC 4180 with `CSVRecords` (quoted fields, doubled quotes, line breaks inside
/// quotes, CRLF, a leading byte order mark); columns are found by their header name, so their order does
/// not matter and extra columns are ignored. Every error names the file and the line.
public enum RecurOutputs {
    /// A CSV file with a header row, its records addressable by column name.
    public struct Table: Sendable {
        /// One data record.
        public struct Record: Sendable {
            /// The fields in file order.
            public var fields: [String]
            /// The 1-based line the record starts on.
            public var line: Int
        }

        /// The file's name in error messages.
        public var path: String
        /// The header row.
        public var header: [String]
        /// The data records (blank lines skipped).
        public var records: [Record]
        private var columns: [String: Int]

        /// Parses CSV text whose first record is a header naming at least `required` columns.
        ///
        /// - Throws: `RecurError(.invalidInput)` naming `path` (and the line) when the text is empty, a
        ///   required column is missing, a quoted field never closes, or a record has more or fewer
        ///   fields than the header.
        public init(text: String, path: String, required: [String]) throws {
            self.path = path
            var parsed = try CSVRecords.parse(text, path: path)[...]
            // A blank line parses as one empty field.
            parsed = parsed.filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }[...]
            guard let first = parsed.popFirst() else {
                throw RecurError(.invalidInput, "empty CSV file: expected a header row with \(required.joined(separator: ","))", path: path)
            }
            header = first.fields
            var columns: [String: Int] = [:]
            for (i, name) in header.enumerated() where columns[name] == nil { columns[name] = i }
            self.columns = columns
            let missing = required.filter { columns[$0] == nil }
            guard missing.isEmpty else {
                throw RecurError(.invalidInput, "the header lacks column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) "
                                 + "(it has \(header.joined(separator: ",")))", path: path, line: first.line)
            }
            records = []
            for r in parsed {
                guard r.fields.count == header.count else {
                    throw RecurError(.invalidInput, "\(r.fields.count) fields where the header has \(header.count)", path: path, line: r.line)
                }
                records.append(Record(fields: r.fields, line: r.line))
            }
        }

        /// Reads and parses a CSV file (UTF-8).
        ///
        /// - Throws: `RecurError(.unreadable)` when the file cannot be read, else as `init(text:path:required:)`.
        public static func load(path: String, required: [String]) throws -> Table {
            try Table(text: try RecurOutputs.readText(path), path: path, required: required)
        }

        /// The field of `record` in `column`, with the formula guard recur's writers add (a `'` before
        /// `=`, `+`, `-`, `@`, tab or CR) taken off. Empty when the column is absent.
        public func value(_ record: Record, _ column: String) -> String {
            guard let i = columns[column], i < record.fields.count else { return "" }
            return RecurOutputs.unguarded(record.fields[i])
        }

        /// The field as a whole number.
        ///
        /// - Throws: `RecurError(.invalidInput)` naming the file, line and column when it is not one.
        public func int(_ record: Record, _ column: String) throws -> Int {
            let text = value(record, column)
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw RecurError(.invalidInput, "column \(column) holds \"\(text)\", not a whole number", path: path, line: record.line)
            }
            return n
        }

        /// Where `record` is, as `path:line`.
        public func location(_ record: Record) -> String { "\(path):\(record.line)" }
    }

    /// One row of `duplicates.csv`: paragraph `doc`/`paragraph` set aside as a repeat of the kept paragraph
    /// (for boilerplate clusters also a row for the kept paragraph itself, pointing to itself).
    public struct DuplicateRow: Sendable, Hashable {
        public var clusterID: String
        public var kind: String
        public var similarity: Double
        public var keptDoc: String
        public var keptParagraph: Int
        public var doc: String
        public var paragraph: Int
        public var lang: String
        /// The paragraph's first 80 characters on one line.
        public var snippet: String
        /// `path:line` of the row.
        public var location: String

        public init(clusterID: String, kind: String, similarity: Double = 1, keptDoc: String, keptParagraph: Int,
                    doc: String, paragraph: Int, lang: String = "", snippet: String = "", location: String = "") {
            self.clusterID = clusterID
            self.kind = kind
            self.similarity = similarity
            self.keptDoc = keptDoc
            self.keptParagraph = keptParagraph
            self.doc = doc
            self.paragraph = paragraph
            self.lang = lang
            self.snippet = snippet
            self.location = location
        }

        /// Whether the row is a kept paragraph listed with its boilerplate cluster rather than a repeat.
        public var isKeptRow: Bool { doc == keptDoc && paragraph == keptParagraph }

        public static let columns = ["cluster_id", "kind", "similarity", "kept_doc", "kept_paragraph", "doc", "paragraph", "lang", "snippet"]

        /// Parses `duplicates.csv` text.
        ///
        /// - Throws: `RecurError(.invalidInput)` naming `path` and the line of a malformed row.
        public static func parse(csv text: String, path: String = "duplicates.csv") throws -> [DuplicateRow] {
            let table = try Table(text: text, path: path, required: columns)
            return try table.records.map { r in
                let similarityText = table.value(r, "similarity")
                guard let similarity = Double(similarityText) else {
                    throw RecurError(.invalidInput, "column similarity holds \"\(similarityText)\", not a number", path: path, line: r.line)
                }
                return DuplicateRow(
                    clusterID: table.value(r, "cluster_id"), kind: table.value(r, "kind"), similarity: similarity,
                    keptDoc: table.value(r, "kept_doc"), keptParagraph: try table.int(r, "kept_paragraph"),
                    doc: table.value(r, "doc"), paragraph: try table.int(r, "paragraph"), lang: table.value(r, "lang"),
                    snippet: table.value(r, "snippet"), location: table.location(r))
            }
        }

        /// Reads `duplicates.csv`.
        public static func load(path: String) throws -> [DuplicateRow] { try parse(csv: try readText(path), path: path) }
    }

    /// One row of `themes.csv`, with its rank within its language (the file's order).
    public struct ThemeRow: Sendable, Hashable {
        public var id: String
        public var label: String
        public var lang: String
        /// The top phrases (the `phrases` column split at ` | `).
        public var phrases: [String]
        /// 1-based position among the themes of the same language, in file order.
        public var rank: Int
        public var location: String

        public init(id: String, label: String, lang: String, phrases: [String] = [], rank: Int, location: String = "") {
            self.id = id
            self.label = label
            self.lang = lang
            self.phrases = phrases
            self.rank = rank
            self.location = location
        }

        public static let columns = ["theme_id", "label", "lang", "phrases"]

        /// Parses `themes.csv` text; ranks are counted per language in file order.
        public static func parse(csv text: String, path: String = "themes.csv") throws -> [ThemeRow] {
            let table = try Table(text: text, path: path, required: columns)
            var ranks: [String: Int] = [:]
            var seen = Set<String>()
            return try table.records.map { r in
                let id = table.value(r, "theme_id"), lang = table.value(r, "lang")
                guard !id.isEmpty else { throw RecurError(.invalidInput, "empty theme_id", path: path, line: r.line) }
                guard seen.insert(id).inserted else {
                    throw RecurError(.invalidInput, "theme \(id) is listed twice", path: path, line: r.line)
                }
                ranks[lang, default: 0] += 1
                let phrases = table.value(r, "phrases").components(separatedBy: " | ").filter { !$0.isEmpty }
                return ThemeRow(id: id, label: table.value(r, "label"), lang: lang, phrases: phrases,
                                rank: ranks[lang] ?? 0, location: table.location(r))
            }
        }

        /// Reads `themes.csv`.
        public static func load(path: String) throws -> [ThemeRow] { try parse(csv: try readText(path), path: path) }
    }

    /// One row of `episodes.csv`.
    public struct EpisodeRow: Sendable, Hashable {
        public var themeID: String
        public var episode: Int
        /// Period labels as written (`2024-03` for months).
        public var start: String
        public var end: String
        public var location: String

        public init(themeID: String, episode: Int, start: String, end: String, location: String = "") {
            self.themeID = themeID
            self.episode = episode
            self.start = start
            self.end = end
            self.location = location
        }

        public static let columns = ["theme_id", "episode", "start", "end"]

        /// Parses `episodes.csv` text.
        public static func parse(csv text: String, path: String = "episodes.csv") throws -> [EpisodeRow] {
            let table = try Table(text: text, path: path, required: columns)
            return try table.records.map { r in
                EpisodeRow(themeID: table.value(r, "theme_id"), episode: try table.int(r, "episode"),
                           start: table.value(r, "start"), end: table.value(r, "end"), location: table.location(r))
            }
        }

        /// Reads `episodes.csv`.
        public static func load(path: String) throws -> [EpisodeRow] { try parse(csv: try readText(path), path: path) }
    }

    /// One row of `mentions.csv`: a counted mention of a theme in a paragraph.
    public struct MentionRow: Sendable, Hashable {
        public var themeID: String
        public var doc: String
        public var paragraph: Int
        public var location: String

        public init(themeID: String, doc: String, paragraph: Int, location: String = "") {
            self.themeID = themeID
            self.doc = doc
            self.paragraph = paragraph
            self.location = location
        }

        public static let columns = ["theme_id", "doc", "paragraph"]

        /// Parses `mentions.csv` text.
        public static func parse(csv text: String, path: String = "mentions.csv") throws -> [MentionRow] {
            let table = try Table(text: text, path: path, required: columns)
            return try table.records.map { r in
                MentionRow(themeID: table.value(r, "theme_id"), doc: table.value(r, "doc"),
                           paragraph: try table.int(r, "paragraph"), location: table.location(r))
            }
        }

        /// Reads `mentions.csv`.
        public static func load(path: String) throws -> [MentionRow] { try parse(csv: try readText(path), path: path) }
    }

    /// One line of `paragraphs.jsonl` (kept paragraphs, with `cluster_size`) or of `recur normalize`'s
    /// JSON lines (every paragraph). Only the fields the truth measures need are read.
    public struct Paragraph: Sendable, Hashable, Decodable {
        public var doc: String
        public var paragraph: Int
        public var text: String
        public var key: String?
        public var lang: String?
        /// Members of the paragraph's duplicate cluster (1 when it has none); absent in `recur normalize` output.
        public var clusterSize: Int?

        enum CodingKeys: String, CodingKey {
            case doc, paragraph, text, key, lang
            case clusterSize = "cluster_size"
        }

        public init(doc: String, paragraph: Int, text: String, key: String? = nil, lang: String? = nil, clusterSize: Int? = nil) {
            self.doc = doc
            self.paragraph = paragraph
            self.text = text
            self.key = key
            self.lang = lang
            self.clusterSize = clusterSize
        }

        /// Parses JSON lines (blank lines skipped; a leading byte order mark ignored).
        ///
        /// - Throws: `RecurError(.invalidInput)` naming `path` and the line that is not a paragraph object.
        public static func parse(jsonl text: String, path: String = "paragraphs.jsonl") throws -> [Paragraph] {
            var out: [Paragraph] = []
            let decoder = JSONDecoder()
            var lineNumber = 0
            var body = Substring(text)
            if body.first == "\u{FEFF}" { body = body.dropFirst() }
            for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNumber += 1
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty { continue }
                do {
                    out.append(try decoder.decode(Paragraph.self, from: Data(trimmed.utf8)))
                } catch {
                    throw RecurError(.invalidInput, "not a paragraph record: \(DemoTruth.explain(error))", path: path, line: lineNumber)
                }
            }
            return out
        }

        /// Reads a JSON-lines file.
        public static func load(path: String) throws -> [Paragraph] { try parse(jsonl: try readText(path), path: path) }
    }

    /// A file's text as UTF-8.
    ///
    /// - Throws: `RecurError(.unreadable)` naming the file.
    static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RecurError(.unreadable, "cannot read the file", path: path)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A cell with the spreadsheet-formula guard (`'` before `=`, `+`, `-`, `@`, tab, CR) taken off.
    public static func unguarded(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let next = cell.unicodeScalars.dropFirst().first,
              ["=", "+", "-", "@", "\t", "\r"].contains(next) else { return cell }
        return String(cell.dropFirst())
    }
}

/// How truth texts and recur's paragraphs are compared.
public enum TruthText {
    /// A paragraph's text reduced to what both the generator's truth and recur's outputs keep:
    /// whitespace runs (line breaks included) collapsed to one space, and quote markers (`>` at the start
    /// of a word, also `> >`) dropped. One-line snippets of quoted text (`> a > b`) reduce like the text.
    public static func matchKey(_ text: String) -> String {
        var words: [Substring] = []
        for word in text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }) {
            let rest = word.drop { $0 == ">" }
            if !rest.isEmpty { words.append(rest) }
        }
        return words.joined(separator: " ")
    }

    /// Whether the text is quoted e-mail text (its first non-blank character is `>`).
    public static func isQuoted(_ text: String) -> Bool {
        text.first { !($0.isWhitespace || $0.isNewline) } == ">"
    }
}
