/// A paragraph after normalization, language identification and analysis.
public struct AnalyzedText: Sendable, Hashable {
    /// The matching key of the whole paragraph (see `ICUText.NormalizationMode.key`).
    public var key: String
    public var language: Language
    /// ISO 15924 script of the paragraph's dominant letters.
    public var script: String
    public var terms: [Term]
}

/// Turns paragraphs into keys, languages and terms with ICU, MeCab, Voikko and Snowball.
///
/// Holds one of each native handle and a per-word cache, so one instance belongs to one
/// worker at a time; the pipeline gives every worker its own.
public final class TextAnalyzer {
    public let icu: ICUText
    private let mecab: MeCabTagger
    private let voikko: VoikkoAnalyzer
    private let russianStemmer: SnowballStemmer
    private let finnishStemmer: SnowballStemmer
    /// Snowball stems of Russian first names.
    private let russianNameStems: Set<String>
    private let identifier = LanguageIdentifier()

    /// A word's analysis, cached by its surface form per language.
    private struct WordResult {
        var key: String
        var wordClass: WordClass
        var isStopword: Bool
        var parts: [String]
    }

    /// One cache per language, by `Language.ordinal`.
    private var caches = [[UTF8Key: WordResult]](repeating: [:], count: Language.allCases.count)
    /// `analyze`'s results for recent paragraphs, by text.
    private var recentAnalyses: RecentResults<AnalyzedText>
    /// The memo's estimated bytes per generation unless `init` says otherwise (the README gives
    /// the measurements behind it: `analyzer-baseline --memo-bytes`).
    public static let defaultAnalysisMemoBytes = 1 << 20
    /// `analyze` calls answered by the memo.
    public private(set) var memoHits = 0
    /// `isKnownFinnishWord`'s answers by word.
    private var knownFinnishWords: [UTF8Key: Bool] = [:]
    /// The Japanese cache key being built (reused).
    private var japaneseKeyBytes: [UInt8] = []
    /// Entries per language before a cache is cleared (vocabularies are small next to corpora).
    private let cacheLimit: Int

    /// Opens every native handle.
    ///
    /// - Parameters:
    ///   - cacheLimit: words per language in the word caches before they are cleared.
    ///   - analysisMemoBytes: the estimated bytes per generation of the memo of recent paragraphs' analyses.
    /// - Throws: `RecurError(.textLibrary)` when a library or dictionary is missing.
    public init(cacheLimit: Int = 300_000, analysisMemoBytes: Int = TextAnalyzer.defaultAnalysisMemoBytes) throws {
        recentAnalyses = RecentResults(budget: analysisMemoBytes)
        icu = try ICUText()
        mecab = try MeCabTagger()
        voikko = try VoikkoAnalyzer()
        russianStemmer = try SnowballStemmer(algorithm: "russian")
        finnishStemmer = try SnowballStemmer(algorithm: "finnish")
        russianNameStems = Set(StopwordsRussian.firstNames.split(whereSeparator: \.isWhitespace).map { [russianStemmer] in
            russianStemmer.stem(String($0).replacingOccurrences(of: "ё", with: "е"))
        })
        self.cacheLimit = cacheLimit
    }

    /// The matching key of `text`.
    public func key(_ text: String) -> String { icu.normalize(text, .key) }

    /// Whether Voikko knows `word` as a Finnish word (one of the language identifier's signals).
    ///
    /// Cached per word: the identifier samples up to 12 words of every Latin-script paragraph, and
    /// Voikko's spell check of each took a sixth of a `--jobs 1` run's time uncached.
    public func isKnownFinnishWord(_ word: Substring) -> Bool {
        let key = UTF8Key(String(word))
        return Self.lookUp(key, in: &knownFinnishWords, limit: cacheLimit) { voikko.knows(key.string) }
    }

    /// Identifies the language of `text` (Voikko helps tell Finnish from other Latin-script text).
    public func identify(_ text: String) -> LanguageGuess {
        identifier.identify(text, isKnownFinnishWord: { [unowned self] word in isKnownFinnishWord(word) })
    }

    /// Normalizes, identifies and analyzes one paragraph.
    ///
    /// A paragraph seen recently (`recentAnalyses`) is answered from memory: archives repeat
    /// paragraphs word for word (signatures, footers, quoted replies), and the answer is the same
    /// either way.
    public func analyze(_ text: String) -> AnalyzedText {
        if let hit = recentAnalyses.lookup(text) {
            memoHits += 1
            return hit
        }
        let guess = identify(text)
        let result = AnalyzedText(key: key(text), language: guess.language, script: guess.script, terms: terms(text, language: guess.language))
        recentAnalyses.insert(text, result, cost: Self.memoCost(text: text, result))
        return result
    }

    /// Analyses memoized by `analyze` (held by the analyzer, so by one worker).
    var memoizedAnalyses: Int { recentAnalyses.count }

    /// What memoizing `result` for `text` holds, estimated: both strings, the terms and their surfaces
    /// (their keys and parts are shared with the word caches), and the dictionary's slot.
    static func memoCost(text: String, _ result: AnalyzedText) -> Int {
        var cost = 96 + text.utf8.count + result.key.utf8.count + result.terms.count * MemoryLayout<Term>.stride
        for term in result.terms where term.surface.utf8.count > 15 { cost += term.surface.utf8.count + 32 }
        return cost
    }

    /// The terms of `text` analyzed as `language`, in order, with their sentence numbers.
    public func terms(_ text: String, language: Language) -> [Term] {
        var text = AddressMask.masking(text)
        var out: [Term] = []
        text.withUTF8 { buffer in
            var sentence = 0
            icu.forEachSentence(in: buffer) { range in
                let slice = UnsafeBufferPointer(rebasing: buffer[range])
                if language == .ja {
                    japaneseTerms(slice, sentence: sentence, into: &out)
                } else {
                    wordTerms(slice, language: language, sentence: sentence, into: &out)
                }
                sentence += 1
            }
        }
        return out
    }

    /// Every morpheme surface MeCab finds in `text`.
    func mecabSurfaces(_ text: String) -> [String] { mecab.morphemes(text).map(\.surface) }

    // MARK: - Per language

    private func japaneseTerms(_ utf8: UnsafeBufferPointer<UInt8>, sentence: Int, into out: inout [Term]) {
        var keyBytes = japaneseKeyBytes
        japaneseKeyBytes = []
        defer { japaneseKeyBytes = keyBytes }
        mecab.forEachNode(in: utf8) { range, feature in
            let surface = UnsafeBufferPointer(rebasing: utf8[range])
            // The cache key is IPADIC's feature up to 原形 (and the surface when 原形 is missing):
            // everything the result depends on, read in place, so that the result is the same whichever
            // occurrence filled the cache (the outputs must not depend on --jobs) and a hit makes no
            // string but the key's.
            keyBytes.removeAll(keepingCapacity: true)
            keyBytes.append(contentsOf: feature)
            if MeCabTagger.Morpheme.featureLacksBaseForm(feature) {
                keyBytes.append(0x1F)
                keyBytes.append(contentsOf: surface)
            }
            let result = cached(String(decoding: keyBytes, as: UTF8.self), .ja) {
                let m = MeCabTagger.Morpheme(surface: String(decoding: surface, as: UTF8.self), range: range, feature: feature)
                let wordClass = m.wordClass
                let key = wordClass == .symbol ? "" : icu.normalize(m.baseForm, .key)
                guard !key.isEmpty, key.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) else {
                    return WordResult(key: "", wordClass: .symbol, isStopword: true, parts: [])
                }
                return WordResult(key: key, wordClass: wordClass, isStopword: Stopwords.contains(key, language: .ja), parts: [])
            }
            if result.key.isEmpty { return }
            out.append(Term(
                key: result.key, surface: String(decoding: surface, as: UTF8.self), wordClass: result.wordClass,
                isStopword: result.isStopword, sentence: sentence))
        }
    }

    private func wordTerms(_ utf8: UnsafeBufferPointer<UInt8>, language: Language, sentence: Int, into out: inout [Term]) {
        var previousEnd = -2
        icu.forEachWord(in: utf8) { range, kind in
            defer { previousEnd = range.upperBound }
            // Finnish case endings after a colon (CRM:ään, 2024:ssä) belong to the word before them.
            if language == .fi, range.lowerBound == previousEnd + 1, utf8[previousEnd] == UInt8(ascii: ":") { return }
            let surface = String(decoding: UnsafeBufferPointer(rebasing: utf8[range]), as: UTF8.self)
            let result = cached(surface, language) { analyzeWord(surface, kind: kind, language: language) }
            if result.key.isEmpty { return }
            out.append(Term(key: result.key, surface: surface, wordClass: result.wordClass, isStopword: result.isStopword, parts: result.parts, sentence: sentence))
        }
    }

    private func analyzeWord(_ surface: String, kind: ICUText.WordKind, language: Language) -> WordResult {
        let folded = icu.normalize(surface, .key)
        if folded.isEmpty { return WordResult(key: "", wordClass: .symbol, isStopword: true, parts: []) }
        if kind == .number {
            return WordResult(key: folded, wordClass: .numeral, isStopword: false, parts: [])
        }
        switch language {
        case .ru:
            if Stopwords.contains(folded, language: .ru) {
                return WordResult(key: folded, wordClass: .function, isStopword: true, parts: [])
            }
            let stem = RussianFleetingVowel.adjust(stem: russianStemmer.stem(folded), word: folded)
            let isName = surface.first?.isUppercase == true && russianNameStems.contains(stem)
            return WordResult(key: stem, wordClass: isName ? .personName : RussianWordClass.guess(folded), isStopword: false, parts: [])
        case .fi:
            return finnishWord(surface, folded: folded)
        case .ja, .other:
            // Japanese runs through MeCab; this is for words of other languages: ICU's word and case folding.
            let stop = language == .ja ? Stopwords.contains(folded, language: .ja) : false
            return WordResult(key: folded, wordClass: .other, isStopword: stop, parts: [])
        }
    }

    /// Voikko's preferred analysis (`VoikkoAnalyzer.preferredAnalysis`); hyphenated and colon-suffixed forms (`CRM-integraatiota`, `CRM:ään`)
    /// analyzed by their last part; Snowball for words Voikko does not know.
    private func finnishWord(_ surface: String, folded: String) -> WordResult {
        if let analysis = voikko.preferredAnalysis(surface) {
            let key = icu.normalize(analysis.baseForm, .key)
            return WordResult(
                key: key, wordClass: analysis.wordClass, isStopword: Stopwords.contains(key, language: .fi),
                parts: analysis.compoundParts.map { icu.normalize($0, .key) })
        }
        if let colon = surface.firstIndex(of: ":") {
            // an abbreviation with a case ending: CRM:ään → crm
            let head = icu.normalize(String(surface[..<colon]), .key)
            return WordResult(key: head, wordClass: .noun, isStopword: false, parts: [])
        }
        if let hyphen = surface.lastIndex(of: "-"), hyphen != surface.startIndex {
            let head = String(surface[..<hyphen])
            let tail = String(surface[surface.index(after: hyphen)...])
            if let analysis = voikko.preferredAnalysis(tail) {
                let headKey = icu.normalize(head, .key)
                let tailKey = icu.normalize(analysis.baseForm, .key)
                return WordResult(key: headKey + "-" + tailKey, wordClass: analysis.wordClass, isStopword: false, parts: [headKey, tailKey])
            }
        }
        if Stopwords.contains(folded, language: .fi) {
            return WordResult(key: folded, wordClass: .function, isStopword: true, parts: [])
        }
        return WordResult(key: finnishStemmer.stem(folded), wordClass: .other, isStopword: false, parts: [])
    }

    private func cached(_ surface: String, _ language: Language, _ compute: () -> WordResult) -> WordResult {
        Self.lookUp(UTF8Key(surface), in: &caches[language.ordinal], limit: cacheLimit, compute)
    }

    /// `cache[key]`, computed and stored when missing; a cache of `limit` entries is cleared first.
    private static func lookUp<Value>(_ key: UTF8Key, in cache: inout [UTF8Key: Value], limit: Int, _ compute: () -> Value) -> Value {
        if let hit = cache[key] { return hit }
        let result = compute()
        if cache.count >= limit { cache = [:] }
        cache[key] = result
        return result
    }
}

extension TextAnalyzer {
    /// MeCab's segmentation of Japanese text: every morpheme's surface, symbols included.
    public func japaneseSegments(_ text: String) -> [String] {
        mecabSurfaces(text)
    }
}
