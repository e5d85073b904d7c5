import CVoikko

/// Finnish morphology through libvoikko: base forms, word classes and compound parts.
///
/// One instance belongs to one thread at a time (a Voikko handle is not thread-safe).
public final class VoikkoAnalyzer {
    private let handle: OpaquePointer

    /// One analysis of a word.
    public struct Analysis: Sendable, Hashable {
        public var baseForm: String
        /// Voikko's CLASS: nimisana, laatusana, teonsana, seikkasana, asemosana, nimi, paikannimi, ...
        public var voikkoClass: String
        /// Compound parts' base forms (derivational suffixes joined to their part); empty for a simple word.
        public var compoundParts: [String]

        public var wordClass: WordClass {
            switch voikkoClass {
            case "nimisana": return .noun
            case "laatusana", "nimisana_laatusana": return .adjective
            case "teonsana", "kieltosana": return voikkoClass == "kieltosana" ? .function : .verb
            case "seikkasana": return .adverb
            case "asemosana": return .pronoun
            case "etunimi", "sukunimi": return .personName
            case "nimi", "paikannimi": return .properNoun
            case "lukusana": return .numeral
            case "suhdesana", "sidesana", "huudahdussana": return .function
            case "lyhenne": return .noun
            default: return .other
            }
        }
    }

    /// Opens Voikko's Finnish dictionary.
    ///
    /// - Throws: `RecurError(.textLibrary)` when Voikko or its Finnish dictionary (Debian: voikko-fi) is missing.
    public init() throws {
        var error: UnsafePointer<CChar>?
        guard let handle = voikkoInit(&error, "fi", nil) else {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            throw RecurError(.textLibrary, "Voikko could not open its Finnish dictionary: \(message) (install voikko-fi)")
        }
        self.handle = handle
    }

    deinit { voikkoTerminate(handle) }

    /// Whether Voikko's speller accepts the word.
    public func knows(_ word: some StringProtocol) -> Bool {
        voikkoSpellCstr(handle, String(word)) == 1  // VOIKKO_SPELL_OK
    }

    /// All of Voikko's analyses of one word, in Voikko's order.
    public func analyze(_ word: String) -> [Analysis] {
        guard let list = voikkoAnalyzeWordCstr(handle, word) else { return [] }
        defer { voikko_free_mor_analysis(list) }
        var out: [Analysis] = []
        var i = 0
        while let analysis = list[i] {
            i += 1
            func value(_ key: String) -> String? {
                guard let v = voikko_mor_analysis_value_cstr(analysis, key) else { return nil }
                defer { voikko_free_mor_analysis_value_cstr(v) }
                return String(cString: v)
            }
            guard let base = value("BASEFORM") else { continue }
            out.append(Analysis(
                baseForm: base, voikkoClass: value("CLASS") ?? "",
                compoundParts: Self.compoundParts(value("WORDBASES") ?? "")))
        }
        return out
    }

    /// The analysis to use for `word` when Voikko offers several.
    ///
    /// Voikko lists analyses in no useful order (`mainoskanavana` comes first as *mainos+kana+vana*,
    /// `kertoa` as the noun *kerto*). Prefers, in turn: the fewest compound parts (a lexicalized
    /// compound over an accidental split), a base form equal to the word itself (a dictionary form
    /// is more likely than a homograph inflected into it), then Voikko's order.
    ///
    /// - Parameter word: the word as written.
    /// - Returns: nil when Voikko does not know the word.
    public func preferredAnalysis(_ word: String) -> Analysis? {
        let analyses = analyze(word)
        guard analyses.count > 1 else { return analyses.first }
        let lowered = word.lowercased()
        return analyses.enumerated().min { a, b in
            let pa = max(1, a.element.compoundParts.count), pb = max(1, b.element.compoundParts.count)
            if pa != pb { return pa < pb }
            let da = a.element.baseForm.lowercased() == lowered, db = b.element.baseForm.lowercased() == lowered
            if da != db { return da }
            return a.offset < b.offset
        }?.element
    }

    /// Parses WORDBASES (`+kansan(kansa)+edusta(edustaa)+ja(+ja)`) into compound parts (`kansa`, `edustaja`).
    ///
    /// WORDBASES is a run of `surface(base)` segments, a `+` before those that start a morpheme; a base
    /// starting with `+` is a derivational suffix, joined to the part before it by surface
    /// (`+asiakas(asiakas)+kannat(kantaa)ta(+taa)+vu(+a)+us(+us)` → `asiakas`, `kannattavuus`).
    static func compoundParts(_ wordBases: String) -> [String] {
        // (surface, base) pairs, in order.
        var segments: [(surface: String, base: String)] = []
        var rest = Substring(wordBases)
        while !rest.isEmpty {
            if rest.first == "+" { rest = rest.dropFirst() }
            guard let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") else { break }
            segments.append((String(rest[..<open]), String(rest[rest.index(after: open)..<close])))
            rest = rest[rest.index(after: close)...]
        }
        var parts: [(surface: String, base: String)] = []
        for segment in segments {
            if segment.base.hasPrefix("+"), let last = parts.popLast() {
                let joined = last.surface + segment.surface
                parts.append((joined, joined))
            } else {
                parts.append(segment)
            }
        }
        return parts.count > 1 ? parts.map(\.base) : []
    }
}
