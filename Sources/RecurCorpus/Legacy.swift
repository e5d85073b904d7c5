import CRecurICU
import RecurKit

/// Text in legacy charsets through the ICU shim (the same converters recur reads them with).
enum Legacy {
    /// ICU's converter for a charset name as declared in the archive (Shift_JIS is written as CP932, as it is read).
    static func icuName(_ charset: String) -> String {
        switch charset {
        case "Shift_JIS", "CP932": return "windows-31j"
        default: return charset
        }
    }

    /// UTF-8 text to bytes in `charset`; nil when ICU has no such converter.
    static func encode(_ text: String, _ charset: String) -> [UInt8]? {
        if charset == "UTF-8" { return Array(text.utf8) }
        var text = text
        return text.withUTF8 { utf8 -> [UInt8]? in
            var result: UnsafeMutablePointer<CChar>?
            var length: Int32 = 0
            let status = utf8.withMemoryRebound(to: CChar.self) {
                recur_icu_from_utf8(icuName(charset), $0.baseAddress, Int32($0.count), &result, &length)
            }
            guard status == 0, let result else { return nil }
            defer { recur_icu_free(result) }
            return result.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                Array(UnsafeBufferPointer(start: $0, count: Int(length)))
            }
        }
    }

    /// Whether `text` survives a round trip through `charset` as recur decodes it.
    static func fits(_ text: String, _ charset: String) -> Bool {
        if charset == "UTF-8" { return true }
        guard let bytes = encode(text, charset) else { return false }
        return CharsetDecoder().decode(bytes, declared: charset).text == text
    }

    private static let fallbacks: [(String, String)] = [
        ("«", "\""), ("»", "\""), ("—", "-"), ("–", "-"), ("№", "N"), ("…", "..."), ("’", "'"), ("“", "\""), ("”", "\""), ("€", "EUR"),
    ]

    /// Rewrites typographic characters the charset lacks, as the writer's old mail program would have.
    static func fit(_ text: String, _ charset: String) -> String {
        if charset == "UTF-8" || fits(text, charset) { return text }
        var s = text
        for (from, to) in fallbacks { s = s.replacingOccurrences(of: from, with: to) }
        return s
    }
}
