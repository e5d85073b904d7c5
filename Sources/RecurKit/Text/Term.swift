/// What kind of word a term is, as far as the analyzer knows.
public enum WordClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// `personName`: a first or family name (MeCab 人名, Voikko etunimi/sukunimi); names sign letters, they do not
    /// say what a request is about.
    case noun, properNoun = "propn", personName = "person", verb, adjective = "adj", adverb = "adv", numeral = "num"
    case pronoun = "pron", function, symbol, other

    /// Nouns, proper nouns, adjectives and verbs: the words a request's topic is made of.
    public var isContent: Bool {
        switch self {
        case .noun, .properNoun, .adjective, .verb, .other: return true
        default: return false
        }
    }
}

/// One word of a paragraph after analysis.
public struct Term: Sendable, Hashable {
    /// The matching key: a lemma (Voikko, MeCab) or a stem (Snowball), NFKC case-folded, ё folded to е.
    public var key: String
    /// The word as written.
    public var surface: String
    public var wordClass: WordClass
    /// A function word, greeting or other word on the language's stopword list.
    public var isStopword: Bool
    /// Keys of a compound's parts where the analyzer split it (Finnish), else empty.
    public var parts: [String]
    /// 0-based sentence of the paragraph the term is in.
    public var sentence: Int

    public init(key: String, surface: String, wordClass: WordClass, isStopword: Bool, parts: [String] = [], sentence: Int) {
        self.key = key
        self.surface = surface
        self.wordClass = wordClass
        self.isStopword = isStopword
        self.parts = parts
        self.sentence = sentence
    }
}
