/// A paragraph's language as far as recur cares: the three archive languages, and everything else.
///
/// Ordered as declared (ru < fi < ja < other), so reports list the archive languages first.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case ru, fi, ja, other

    /// The position in `allCases` (declaration order), for tables indexed by language.
    var ordinal: Int {
        switch self {
        case .ru: return 0
        case .fi: return 1
        case .ja: return 2
        case .other: return 3
        }
    }

    public static func < (lhs: Language, rhs: Language) -> Bool { lhs.ordinal < rhs.ordinal }
}

/// The result of `LanguageIdentifier.identify`.
public struct LanguageGuess: Sendable, Hashable {
    public var language: Language
    /// Dominant script as ISO 15924: "Cyrl", "Latn", "Jpan" (kana and/or Han), "Hang", "Grek", "Arab", ...;
    /// "Zyyy" when the text has no letters.
    public var script: String
    /// 0...1: how sure the guess is (0 for text without letters).
    public var confidence: Double

    public init(language: Language, script: String, confidence: Double) {
        self.language = language
        self.script = script
        self.confidence = confidence
    }
}
