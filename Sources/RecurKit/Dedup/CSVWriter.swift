/// RFC 4180 CSV text, UTF-8, deterministic: a field is quoted when it contains a comma, a double
/// quote, CR or LF (double quotes doubled inside); other fields are written as they are.
public enum CSVRow {
    /// True when `field` must be quoted.
    public static func needsQuoting(_ field: String) -> Bool {
        var field = field
        return field.withUTF8 { needsQuoting($0) }
    }

    /// `needsQuoting` on UTF-8 bytes.
    static func needsQuoting(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in utf8 where b <= UInt8(ascii: ",") {
            if b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D { return true }
        }
        return false
    }

    /// `value` with a leading `'` when it starts with `=`, `+`, `-`, `@`, tab or CR, so that
    /// spreadsheet programs show archive text instead of running it as a formula.
    public static func neutralizingFormula(_ value: String) -> String {
        switch value.unicodeScalars.first {
        case "=", "+", "-", "@", "\t", "\r": return "'" + value
        default: return value
        }
    }

    /// Appends one field given as UTF-8 (quoted when needed) to `out`; with `guardingFormula`,
    /// as `neutralizingFormula` would change it first (the characters it looks for are ASCII, so
    /// the first byte tells).
    static func appendField(_ utf8: UnsafeBufferPointer<UInt8>, guardingFormula: Bool, to out: inout [UInt8]) {
        var guarded = false
        if guardingFormula, let first = utf8.first {
            switch first {
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: guarded = true
            default: break
            }
        }
        guard needsQuoting(utf8) else {
            if guarded { out.append(UInt8(ascii: "'")) }
            out.append(contentsOf: utf8)
            return
        }
        out.append(UInt8(ascii: "\""))
        if guarded { out.append(UInt8(ascii: "'")) }
        for b in utf8 {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends one field (quoted when needed) to `out`.
    public static func appendField(_ field: String, to out: inout [UInt8]) {
        var field = field
        field.withUTF8 { utf8 in
            guard needsQuoting(utf8) else {
                out.append(contentsOf: utf8)
                return
            }
            out.append(UInt8(ascii: "\""))
            for b in utf8 {
                if b == UInt8(ascii: "\"") { out.append(b) }
                out.append(b)
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Appends a row of fields and the line ending to `out`.
    public static func append(_ fields: [String], to out: inout [UInt8], lineEnding: CSVWriter.LineEnding = .lf) {
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendField(f, to: &out)
        }
        out.append(contentsOf: lineEnding.bytes)
    }

    /// One row as a string, with its line ending.
    public static func line(_ fields: [String], lineEnding: CSVWriter.LineEnding = .lf) -> String {
        var out: [UInt8] = []
        append(fields, to: &out, lineEnding: lineEnding)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Builds a CSV file in memory: optional UTF-8 byte order mark (for spreadsheet programs), then rows.
public struct CSVWriter: Sendable {
    public enum LineEnding: Sendable {
        /// `\n` (recur's default).
        case lf
        /// `\r\n`, as RFC 4180 writes it.
        case crlf

        var bytes: [UInt8] { self == .lf ? [0x0A] : [0x0D, 0x0A] }
    }

    public private(set) var bytes: [UInt8] = []
    public let lineEnding: LineEnding

    public init(bom: Bool = false, lineEnding: LineEnding = .lf) {
        self.lineEnding = lineEnding
        if bom { bytes = [0xEF, 0xBB, 0xBF] }
    }

    public mutating func row(_ fields: [String]) {
        CSVRow.append(fields, to: &bytes, lineEnding: lineEnding)
    }

    /// Appends one field of the current row, after a comma unless it is the row's first, without
    /// making an array of the row's fields (`row(_:)` for hot loops).
    ///
    /// - Parameter guardingFormula: as if the field had gone through `CSVRow.neutralizingFormula`.
    mutating func field(_ value: String, first: Bool = false, guardingFormula: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        var value = value
        value.withUTF8 { CSVRow.appendField($0, guardingFormula: guardingFormula, to: &bytes) }
    }

    /// Appends a field of digits (no quoting needed), after a comma unless it is the row's first.
    mutating func field(_ value: Int, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
        }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// Ends the current row.
    mutating func endRow() {
        if lineEnding == .crlf { bytes.append(0x0D) }
        bytes.append(0x0A)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The bytes written so far, emptying the writer (to write a long file piece by piece).
    public mutating func takeBytes() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }
}
