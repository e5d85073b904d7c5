import CRecurICU
import Foundation

/// Text decoded from bytes, with what it was decoded from.
public struct DecodedText: Sendable, Hashable {
    public var text: String
    /// The charset name recur reports (`UTF-8`, `windows-1251`, `Shift_JIS`, ...).
    public var encoding: String
    /// Invalid or unmappable byte sequences that became U+FFFD.
    public var invalidBytes: Int
}

/// Detects a byte stream's charset and converts it to Unicode with ICU.
///
/// Detection order: a forced encoding, a byte-order mark, a declared charset (MIME,
/// HTML meta), valid UTF-8, ISO-2022-JP escapes, UTF-16 without BOM, then a scored choice
/// among the legacy charsets recur supports (Cyrillic by Russian letter statistics,
/// Japanese by validity and kana share, Latin by the C1 range).
public struct CharsetDecoder: Sendable {
    /// When set, every input is decoded with this charset and nothing is detected.
    public var forcedEncoding: String?

    public init(forcedEncoding: String? = nil) {
        self.forcedEncoding = forcedEncoding
    }

    /// Whether ICU has a converter for `name`.
    public static func isKnown(_ name: String) -> Bool { recur_icu_charset_known(name) != 0 }

    /// Decodes `bytes`, detecting their charset unless one is forced or declared.
    ///
    /// - Parameters:
    ///   - bytes: the raw bytes.
    ///   - declared: a charset the container declared (MIME `charset=`, HTML `<meta charset>`), if any.
    public func decode(_ bytes: [UInt8], declared: String? = nil) -> DecodedText {
        bytes.withUnsafeBufferPointer { decode($0, declared: declared) }
    }

    public func decode(_ bytes: UnsafeBufferPointer<UInt8>, declared: String? = nil) -> DecodedText {
        let (charset, start) = source(of: bytes, declared: declared)
        return convert(UnsafeBufferPointer(rebasing: bytes[start...]), from: charset)
    }

    /// Where the text of `bytes` starts when `decode(bytes, declared: declared)` would be those
    /// bytes themselves, valid UTF-8 passed through (after a UTF-8 byte-order mark), reported as
    /// `UTF-8`; nil when it would convert them. Lets a large file be read from its own bytes
    /// instead of a decoded copy of them.
    public func passThroughUTF8Start(_ bytes: UnsafeBufferPointer<UInt8>, declared: String? = nil) -> Int? {
        let (charset, start) = source(of: bytes, declared: declared)
        guard Self.icuConverterName(charset) == "UTF-8", Self.isValidUTF8(UnsafeBufferPointer(rebasing: bytes[start...])) else { return nil }
        return start
    }

    /// The charset `decode` (with the charset an HTML page declares, if any) would convert the
    /// bytes `evidence` was gathered from (all of them), and where their text starts: for a large
    /// file, read in slices.
    func source(of evidence: CharsetEvidence, declared: String? = nil) -> (charset: String, start: Int) {
        evidence.head.withUnsafeBufferPointer { source(of: $0, declared: declared) { detect(evidence) } }
    }

    /// The charset `decode` converts `bytes` from, and where the text starts (after a byte-order
    /// mark): a forced encoding, a byte-order mark, a declared charset, else the detected one.
    ///
    /// - Parameter detected: detects the charset (of `bytes` when nil).
    func source(
        of bytes: UnsafeBufferPointer<UInt8>, declared: String? = nil, detected: (() -> String)? = nil
    ) -> (charset: String, start: Int) {
        if let forced = forcedEncoding { return (forced, 0) }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return ("UTF-8", 3) }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return ("UTF-16LE", 2) }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return ("UTF-16BE", 2) }
        if let declared = declared.flatMap(Self.canonicalName), declared != "US-ASCII" {
            // A declared UTF-8 that is not valid UTF-8 is still decoded as UTF-8 (with U+FFFD):
            // the declaration is the better witness than a guess.
            if Self.isKnown(declared) { return (declared, 0) }
        }
        return (detected?() ?? detect(bytes), 0)
    }

    /// Names the charset of `bytes` (no BOM handling; see `decode`).
    public func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var evidence = CharsetEvidence()
        evidence.add(bytes, final: true, keepingHead: false)
        return detect(evidence, head: UnsafeBufferPointer(rebasing: bytes.prefix(CharsetEvidence.headSize)))
    }

    /// Names the charset of the bytes `evidence` was gathered from (no BOM handling; see `decode`).
    func detect(_ evidence: CharsetEvidence) -> String {
        evidence.head.withUnsafeBufferPointer { detect(evidence, head: $0) }
    }

    /// `detect(_:)` with `head`, the evidence's first bytes, at hand.
    private func detect(_ evidence: CharsetEvidence, head: UnsafeBufferPointer<UInt8>) -> String {
        let (highBytes, c1) = (evidence.highBytes, evidence.c1)
        if highBytes == 0 {
            if evidence.hasISO2022JPEscape { return "ISO-2022-JP" }
            if let utf16 = Self.utf16WithoutBOM(head, count: evidence.byteCount) { return utf16 }
            return "UTF-8"
        }
        if evidence.isValidUTF8 { return "UTF-8" }
        if let utf16 = Self.utf16WithoutBOM(head, count: evidence.byteCount) { return utf16 }
        // UTF-8 with a few broken bytes (a cut sequence at the end, a stray byte): still UTF-8, with the
        // bad bytes replaced and reported, rather than the whole text read as a legacy charset.
        if evidence.isMostlyUTF8 { return "UTF-8" }

        // Our own scores choose; ICU's detector (which runs every recognizer it has: most of the
        // time of a detection) is asked only when they leave it open whether the bytes are Japanese.
        var icuSaysJapanese: Bool?
        func japaneseByICU() -> Bool {
            if let known = icuSaysJapanese { return known }
            let found = Self.icuCandidates(head).contains { $0.confidence >= 30 && ["Shift_JIS", "EUC-JP", "ISO-2022-JP"].contains($0.name) }
            icuSaysJapanese = found
            return found
        }
        var best: (name: String, score: Double)? = nil
        for name in ["windows-1251", "KOI8-R", "IBM866", "ISO-8859-5"] {
            let decoded = convert(head, from: name)
            let score = Self.russianScore(decoded.text)
            if best == nil || score > best!.score { best = (name, score) }
        }
        let cyrillic = best!
        // Japanese: the legal multi-byte decoding with fewer invalid sequences and more kana.
        var japanese: (name: String, score: Double)? = nil
        for name in ["Shift_JIS", "EUC-JP"] {
            let decoded = convert(head, from: name)
            let score = Self.japaneseScore(decoded)
            if japanese == nil || score > japanese!.score { japanese = (name, score) }
        }
        // Latin-1 text has lone accented letters inside ASCII words; Cyrillic and Japanese text
        // has whole words of high bytes.
        let meanHighRun = Double(highBytes) / Double(max(evidence.highRuns, 1))
        if meanHighRun < 1.8 && (highBytes < 4 || !japaneseByICU()) {
            return c1 > 0 ? "windows-1252" : "ISO-8859-1"
        }
        if let japanese, japanese.score >= cyrillic.score,
           japanese.score > 0.5 || (japanese.score > 0.2 && japaneseByICU()) {
            return japanese.name
        }
        if cyrillic.score > 0.5 { return cyrillic.name }
        return c1 > 0 ? "windows-1252" : "ISO-8859-1"
    }

    /// Converts bytes from a named charset; unknown names fall back to UTF-8 with the name kept for the message.
    public func convert(_ bytes: UnsafeBufferPointer<UInt8>, from name: String) -> DecodedText {
        let icuName = Self.icuConverterName(name)
        if icuName == "UTF-8", Self.isValidUTF8(bytes) {
            return DecodedText(text: String(decoding: bytes, as: UTF8.self), encoding: "UTF-8", invalidBytes: 0)
        }
        var utf8: [UInt8] = []
        guard let decoder = IncrementalDecoder(charset: icuName),
              decoder.decode(bytes, final: true, { utf8.append(contentsOf: $0) })
        else {
            // Never crash on a converter problem: decode as UTF-8 with replacement characters.
            let text = String(decoding: bytes, as: UTF8.self)
            let bad = text.unicodeScalars.reduce(0) { $0 + ($1 == "\u{FFFD}" ? 1 : 0) }
            return DecodedText(text: text, encoding: "UTF-8", invalidBytes: bad)
        }
        return DecodedText(text: String(decoding: utf8, as: UTF8.self), encoding: name, invalidBytes: decoder.invalidSequences)
    }

    /// Encodes text into a charset (for writing legacy-encoded archives and test fixtures).
    ///
    /// Characters the charset lacks become its substitution character. Returns nil when ICU has no such converter.
    public static func encode(_ text: String, as name: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { utf8 -> [UInt8]? in
            var result: UnsafeMutablePointer<CChar>?
            var length: Int32 = 0
            let status = utf8.withMemoryRebound(to: CChar.self) {
                recur_icu_from_utf8(icuConverterName(name), $0.baseAddress, Int32($0.count), &result, &length)
            }
            guard status == 0, let result else { return nil }
            defer { recur_icu_free(result) }
            return result.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                Array(UnsafeBufferPointer(start: $0, count: Int(length)))
            }
        }
    }

    /// Maps common aliases to the names recur reports (`cp1251` → `windows-1251`, `sjis` → `Shift_JIS`).
    public static func canonicalName(_ raw: String) -> String? {
        let name = raw.trimmingASCII(" \t\"'").asciiLowercased()
        if name.isEmpty { return nil }
        switch name {
        case "utf8", "utf-8": return "UTF-8"
        case "us-ascii", "ascii", "ansi_x3.4-1968": return "US-ASCII"
        case "cp1251", "windows-1251", "win-1251", "x-cp1251": return "windows-1251"
        case "cp1252", "windows-1252": return "windows-1252"
        case "koi8-r", "koi8r": return "KOI8-R"
        case "ibm866", "cp866", "866": return "IBM866"
        case "iso-8859-5", "iso8859-5": return "ISO-8859-5"
        case "iso-8859-1", "latin1", "iso8859-1", "latin-1": return "ISO-8859-1"
        case "iso-8859-15", "latin9", "iso8859-15": return "ISO-8859-15"
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji": return "Shift_JIS"
        case "cp932", "windows-31j", "ms932": return "CP932"
        case "euc-jp", "eucjp", "x-euc-jp": return "EUC-JP"
        case "iso-2022-jp", "csiso2022jp": return "ISO-2022-JP"
        case "utf-16le": return "UTF-16LE"
        case "utf-16be": return "UTF-16BE"
        case "utf-16": return "UTF-16"
        default: return raw.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
        }
    }

    /// The ICU converter used for a reported name. Shift_JIS is read as CP932, its superset in practice.
    static func icuConverterName(_ name: String) -> String {
        switch name {
        case "Shift_JIS", "CP932": return "windows-31j"
        case "ISO-8859-1": return "windows-1252"  // browsers do the same; C1 bytes are never controls in mail
        default: return name
        }
    }

    // MARK: - Heuristics

    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 { i += 1; continue }
            let length = utf8SequenceLength(bytes, at: i)
            if length == 0 { return false }
            i += length
        }
        return true
    }

    /// The length of the well-formed multi-byte UTF-8 sequence starting at `i` (whose byte is ≥ 0x80), 0 when
    /// there is none (a stray continuation byte, an overlong or surrogate form, a sequence cut short).
    @inline(__always)
    static func utf8SequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b = bytes[i]
        let need: Int
        if b >= 0xC2 && b <= 0xDF { need = 1 } else if b >= 0xE0 && b <= 0xEF { need = 2 } else if b >= 0xF0 && b <= 0xF4 { need = 3 } else { return 0 }
        if i + need >= bytes.count { return 0 }
        for k in 1...need where bytes[i + k] & 0xC0 != 0x80 { return 0 }
        if (b == 0xE0 && bytes[i + 1] < 0xA0) || (b == 0xED && bytes[i + 1] > 0x9F)
            || (b == 0xF0 && bytes[i + 1] < 0x90) || (b == 0xF4 && bytes[i + 1] > 0x8F) { return 0 }
        return need + 1
    }

    /// UTF-16 without a BOM shows as NUL bytes on one side of most ASCII characters.
    ///
    /// - Parameters:
    ///   - bytes: the text's first bytes (4 KB are looked at), or all of them.
    ///   - count: how many bytes the whole text has (`bytes.count` when nil).
    static func utf16WithoutBOM(_ bytes: UnsafeBufferPointer<UInt8>, count: Int? = nil) -> String? {
        guard (count ?? bytes.count) >= 4, (count ?? bytes.count) % 2 == 0 else { return nil }
        var evenZeros = 0, oddZeros = 0
        let limit = min(bytes.count, 4096)
        var i = 0
        while i + 1 < limit {
            if bytes[i] == 0 { evenZeros += 1 }
            if bytes[i + 1] == 0 { oddZeros += 1 }
            i += 2
        }
        let pairs = limit / 2
        if oddZeros * 10 > pairs * 3 && evenZeros * 10 < pairs { return "UTF-16LE" }
        if evenZeros * 10 > pairs * 3 && oddZeros * 10 < pairs { return "UTF-16BE" }
        return nil
    }

    static func icuCandidates(_ bytes: UnsafeBufferPointer<UInt8>) -> [(name: String, confidence: Int)] {
        let slot = 32, maxCount = 8
        var names = [CChar](repeating: 0, count: slot * maxCount)
        var confidences = [Int32](repeating: 0, count: maxCount)
        let sample = UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, 64 * 1024)])
        let n = sample.withMemoryRebound(to: CChar.self) {
            recur_icu_detect($0.baseAddress, Int32($0.count), &names, Int32(slot), &confidences, Int32(maxCount))
        }
        guard n > 0 else { return [] }
        return (0..<Int(n)).map { i in
            let name = names[(i * slot)..<((i + 1) * slot)].prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            return (String(decoding: name, as: UTF8.self), Int(confidences[i]))
        }
    }

    /// Relative frequencies (per mille) of Russian lowercase letters.
    static let russianFrequency: [Unicode.Scalar: Double] = [
        "о": 109.7, "е": 84.5, "а": 80.1, "и": 73.5, "н": 67.0, "т": 62.6, "с": 54.7, "р": 47.3,
        "в": 45.4, "л": 44.0, "к": 34.9, "м": 32.1, "д": 29.8, "п": 28.1, "у": 26.2, "я": 20.1,
        "ы": 19.0, "ь": 17.4, "г": 17.0, "з": 16.5, "б": 15.9, "ч": 14.4, "й": 12.1, "х": 9.7,
        "ж": 9.4, "ш": 7.3, "ю": 6.4, "ц": 4.8, "щ": 3.6, "э": 3.2, "ф": 2.6, "ъ": 0.4, "ё": 0.4,
    ]

    /// How much decoded text looks like Russian: letter frequencies and case shape, about 0...1.
    static func russianScore(_ text: String) -> Double {
        var letters = 0, lower = 0, other = 0
        var weight = 0.0
        var previousLower = false
        var caseBreaks = 0
        cyrillicLetters.withUnsafeBufferPointer { table in
            for s in text.unicodeScalars {
                let offset = s.value &- 0x0400
                if offset < 0x100 {
                    letters += 1
                    let letter = table[Int(offset)]
                    if letter.isLowercase { lower += 1 }
                    if !letter.isLowercase && previousLower { caseBreaks += 1 }
                    previousLower = letter.isLowercase
                    weight += letter.frequency
                } else {
                    previousLower = false
                    if s.value >= 0x80 { other += 1 }
                }
            }
        }
        guard letters > 0 else { return 0 }
        let frequencyFit = weight / Double(letters) / 60.0  // about 1 for Russian text
        let lowerShare = Double(lower) / Double(letters)
        let letterShare = Double(letters) / Double(letters + other)
        let breaks = Double(caseBreaks) / Double(letters)
        return frequencyFit * 0.5 + lowerShare * 0.3 + letterShare * 0.2 - breaks * 2
    }

    /// Per scalar of the Cyrillic block (U+0400–U+04FF): whether it is lowercase, and the Russian
    /// frequency of its lowercase form (`russianScore`, which runs on every candidate decoding of
    /// every undeclared legacy document, read them from here instead of the Unicode properties).
    static let cyrillicLetters: [(isLowercase: Bool, frequency: Double)] = (0x0400...0x04FF).map { value in
        let s = Unicode.Scalar(UInt32(value))!
        let folded = s.properties.lowercaseMapping.unicodeScalars.first ?? s
        return (s.properties.isLowercase, russianFrequency[folded] ?? 0)
    }

    /// How much decoded text looks like Japanese: valid, with kana, about 0...1.
    static func japaneseScore(_ decoded: DecodedText) -> Double {
        var kana = 0, han = 0, total = 0, halfwidth = 0, symbols = 0
        for s in decoded.text.unicodeScalars where s.value >= 0x80 {
            total += 1
            switch s.value {
            case 0x3040...0x30FF: kana += 1
            case 0x4E00...0x9FFF, 0x3400...0x4DBF: han += 1
            case 0x3000...0x303F, 0xFF01...0xFF5E: han += 1
            case 0xFF61...0xFF9F: halfwidth += 1
            // JIS X 0208 symbols common in Japanese mail: box drawing (signature rules), arrows,
            // geometric shapes, general punctuation (※, ‥).
            case 0x2500...0x257F, 0x2190...0x21FF, 0x25A0...0x25FF, 0x2010...0x203F: symbols += 1
            default: break
            }
        }
        guard total > 0 else { return 0 }
        let invalidShare = Double(decoded.invalidBytes) / Double(max(total, 1))
        return (Double(kana) * 1.0 + Double(han) * 0.8 + Double(symbols) * 0.6 + Double(halfwidth) * 0.2) / Double(total) - invalidShare * 3
    }
}
