/// RFC 4180 text read into records, for tools and tests that read recur's own CSV outputs.
public enum CSVRecords {
    /// Parses CSV text (a leading byte order mark is skipped).
    ///
    /// - Returns: every record's fields and the 1-based line it starts on.
    /// - Throws: `RecurError(.malformedInput)` at the first quoted field that never closes.
    public static func parse(_ text: String, path: String = "-") throws -> [(fields: [String], line: Int)] {
        var text = text
        return try text.withUTF8 { all in
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            var parser = CSVParser(all.starts(with: bom) ? UnsafeBufferPointer(rebasing: all[3...]) : all)
            var out: [(fields: [String], line: Int)] = []
            while let row = parser.next() {
                switch row {
                case .record(let fields, let line): out.append((fields, line))
                case .unbalancedQuote(let line): throw RecurError(.invalidInput, "line \(line): a quoted field never closes", path: path)
                }
            }
            return out
        }
    }
}
