import CRecurICU

/// Per-worker ICU state: normalizer buffers and reusable word and sentence break iterators.
///
/// Not thread-safe: one instance belongs to one task at a time (the pipeline hands each
/// worker its own). Opening iterators per paragraph is more than twice as slow.
public final class ICUText {
    private let handle: OpaquePointer

    /// Opens the per-worker ICU state.
    ///
    /// - Throws: `RecurError` with code `.textLibrary` when ICU cannot open an iterator.
    public init() throws {
        var status: Int32 = 0
        guard let handle = recur_icu_text_open(&status) else {
            throw RecurError(.textLibrary, "ICU could not open its break iterators (error \(status))")
        }
        self.handle = handle
    }

    deinit { recur_icu_text_close(handle) }

    public enum NormalizationMode: Int32, Sendable {
        case nfkc = 0
        case nfkcCasefold = 1
        /// recur's matching key: invisible and control characters dropped, every space one ' ',
        /// NFKC case folding, ё folded to е; ä, ö, å and kana are kept.
        case key = 2
    }

    /// Normalizes `text` in the given mode.
    public func normalize(_ text: String, _ mode: NormalizationMode = .key) -> String {
        var text = text
        return text.withUTF8 { normalize(utf8: $0, mode) }
    }

    /// Normalizes UTF-8 bytes in the given mode.
    public func normalize(utf8: UnsafeBufferPointer<UInt8>, _ mode: NormalizationMode = .key) -> String {
        var result: UnsafePointer<CChar>?
        let n = utf8.withMemoryRebound(to: CChar.self) { chars in
            recur_icu_normalize(handle, mode.rawValue, chars.baseAddress, Int32(chars.count), &result)
        }
        guard n > 0, let result else { return "" }
        return result.withMemoryRebound(to: UInt8.self, capacity: Int(n)) {
            String(decoding: UnsafeBufferPointer(start: $0, count: Int(n)), as: UTF8.self)
        }
    }

    /// What ICU's word break says a segment is.
    public enum WordKind: Int32, Sendable {
        case none = 0, number, letter, kana, ideographic
    }

    /// Calls `body` with the UTF-8 byte range and kind of every word segment of `utf8`.
    ///
    /// Spaces and punctuation are skipped (kind `.none`) unless `includeNone` is set.
    public func forEachWord(
        in utf8: UnsafeBufferPointer<UInt8>, includeNone: Bool = false, _ body: (Range<Int>, WordKind) -> Void
    ) {
        let status = utf8.withMemoryRebound(to: CChar.self) {
            recur_icu_words_set(handle, $0.baseAddress, Int32($0.count))
        }
        guard status == 0 else { return }
        var start: Int32 = 0, end: Int32 = 0, kind: Int32 = 0
        while recur_icu_words_next(handle, &start, &end, &kind) != 0 {
            let k = WordKind(rawValue: kind) ?? .none
            if k == .none && !includeNone { continue }
            body(Int(start)..<Int(end), k)
        }
    }

    /// Calls `body` with the UTF-8 byte range of every sentence of `utf8`.
    public func forEachSentence(in utf8: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        let status = utf8.withMemoryRebound(to: CChar.self) {
            recur_icu_sentences_set(handle, $0.baseAddress, Int32($0.count))
        }
        guard status == 0 else { return }
        var start: Int32 = 0, end: Int32 = 0
        while recur_icu_sentences_next(handle, &start, &end) != 0 {
            body(Int(start)..<Int(end))
        }
    }

    /// The word segments of `text` as strings (letters, numbers, kana, ideographs; no spaces or punctuation).
    public func words(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { buffer in
            var out: [String] = []
            forEachWord(in: buffer) { range, _ in
                out.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self))
            }
            return out
        }
    }

    /// The sentences of `text`.
    public func sentences(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { buffer in
            var out: [String] = []
            forEachSentence(in: buffer) { range in
                out.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self))
            }
            return out
        }
    }

    /// ICU's version, e.g. "72.1".
    public static var version: String { String(cString: recur_icu_version()) }

    /// The ISO 15924 short name of the scalar's script, e.g. "Latn", "Cyrl", "Hani".
    public static func scriptCode(of scalar: Unicode.Scalar) -> String {
        var buffer = [CChar](repeating: 0, count: 16)
        let n = recur_icu_script_code(scalar.value, &buffer, 16)
        return String(decoding: buffer[0..<Int(max(n, 0))].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
