/// One document of the archive as ingestion found it: an e-mail, a note, a form post, a JSONL/CSV record.
public struct SourceDocument: Sendable, Hashable {
    /// A stable id: the relative path, plus `#N` for the N-th record of a multi-document file
    /// (mbox message, JSONL line, CSV row) or the record's own id field where it has one.
    public var id: String
    /// The file the document came from, as given on the command line (or `-` for standard input).
    public var path: String
    /// 1-based line in `path` where the document starts, for records of multi-document files.
    public var line: Int?
    public var format: DocumentFormat
    public var date: DocumentDate?
    public var dateOrigin: DateOrigin
    /// The client: sender domain, front-matter `source:`, a record field, or the parent folder name.
    public var source: String
    public var title: String?
    /// The document's text, decoded to Unicode, with block structure as blank lines.
    public var text: String
    /// The charset the bytes were decoded from (`UTF-8`, `windows-1251`, ...).
    public var encoding: String
    /// Bytes that could not be decoded and became U+FFFD.
    public var invalidBytes: Int

    public init(
        id: String, path: String, line: Int? = nil, format: DocumentFormat, date: DocumentDate?,
        dateOrigin: DateOrigin, source: String, title: String? = nil, text: String,
        encoding: String = "UTF-8", invalidBytes: Int = 0
    ) {
        self.id = id
        self.path = path
        self.line = line
        self.format = format
        self.date = date
        self.dateOrigin = dateOrigin
        self.source = source
        self.title = title
        self.text = text
        self.encoding = encoding
        self.invalidBytes = invalidBytes
    }
}

/// The input formats recur reads.
public enum DocumentFormat: String, Sendable, Hashable, CaseIterable, Codable {
    case text, markdown, html, email, mbox, jsonl, csv
}

/// Where a document's date came from, so that guessed dates can be told from real ones.
public enum DateOrigin: String, Sendable, Hashable, Codable {
    /// The e-mail `Date:` header.
    case header
    /// Markdown front matter `date:`.
    case frontMatter = "front-matter"
    /// A JSONL/CSV field.
    case field
    /// A `YYYY-MM-DD` in the file's path.
    case path
    /// The file's modification time (a fallback; flagged in outputs).
    case modificationTime = "mtime"
    /// No date could be found.
    case none
}

/// A civil date and time as written in the document (the writer's local time), with its UTC offset when known.
public struct DocumentDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// Offset from UTC in minutes, when the source gave one.
    public var utcOffsetMinutes: Int?
    /// False when only a day was known.
    public var hasTime: Bool

    public init(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
        utcOffsetMinutes: Int? = nil, hasTime: Bool = false
    ) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.utcOffsetMinutes = utcOffsetMinutes
        self.hasTime = hasTime
    }

    /// `YYYY-MM-DD`.
    public var day10: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// ISO 8601: the day alone, or the local date-time with its offset.
    public var iso8601: String {
        guard hasTime else { return day10 }
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        var s = "\(day10)T\(pad(hour)):\(pad(minute)):\(pad(second))"
        if let offset = utcOffsetMinutes {
            if offset == 0 { s += "Z" } else {
                let sign = offset < 0 ? "-" : "+"
                s += "\(sign)\(pad(abs(offset) / 60)):\(pad(abs(offset) % 60))"
            }
        }
        return s
    }

    public var description: String { iso8601 }

    public static func < (a: DocumentDate, b: DocumentDate) -> Bool {
        (a.year, a.month, a.day, a.hour, a.minute, a.second) < (b.year, b.month, b.day, b.hour, b.minute, b.second)
    }
}
