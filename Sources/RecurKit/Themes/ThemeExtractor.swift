import Foundation

/// Finds the client requests that keep coming back: a streaming accumulator over content paragraphs.
///
/// `add` every deduplicated content paragraph (any order; the output does not depend on it except through
/// which paragraphs exist), then `finish` once.
///
/// **Candidates.** Inside one sentence, runs of one to `maxPhraseTerms` content terms (nouns, proper nouns,
/// adjectives, verbs, unknown words) form key phrases, keyed by the terms' lemma/stem keys so that every inflected
/// form counts as one. Up to `maxSkippedStopwords` stopwords may stand between two content terms of a phrase
/// ("интеграцию с CRM" → [интеграц, crm]; "CRMとの連携" → [crm, 連携]); they are part of the surface shown, not of the
/// key. Request cues, greetings and sign-offs, numbers and symbols end a phrase and never enter one. A phrase needs a
/// noun-like term (noun, proper noun, unknown word) and a term that is not one of the language's generic words
/// (`Stopwords.genericWords`: week, question, client…); verbs and adjectives stand only inside such phrases. Finnish
/// compounds also count their head part as a one-term candidate. A paragraph counts once per candidate.
///
/// **Sentence templates.** Every sentence's term keys, numbers masked, form its template ("Отправить клиенту прайс
/// до 12.05" and "…до 30.06" are one). A template pasted into many documents (a signature line, a note heading, a
/// form's fixed text) is one voice, not many.
///
/// **Eligibility.** At least `minDocuments` documents and `minSources` sources; and (once the language has
/// `minDocumentsForShareRule` documents) at least one key in at most `maxDocumentShare` of the language's documents;
/// a one-word phrase whose word is in more than 10 documents and more than `singleWordMaxShare` of them is too broad.
///
/// **Recurrence weight** of a set of mentions: Σ over their distinct templates of `1 + ln(mentions in it)`, times
/// `cueWeight` for templates with a request cue and `nonCueWeight` for the others.
///
/// **Candidate score.** `weight × ln(1 + sources) × (1 + ln(active periods)) × idf`, idf = the largest
/// `ln(1 + N / df)` over the phrase's keys (N documents of the language, df documents containing the key).
///
/// **Themes.** Candidates in score order (ties: keys in UTF-8 order) join the theme, among those they relate to, that
/// shares most of their documents (then the earliest): the anchor's keys are a subset of theirs (a more specific phrase)
/// and no anchor key is far more common than the phrase (share above `sharedKeyMaxShare` and more than four times the
/// phrase's documents); their keys are a subset of a member phrase's keys and at least half of their documents are
/// already in the theme; they share a key with the anchor that is in at most `sharedKeyMaxShare` of the documents; or
/// their documents overlap the theme's by a Jaccard index of at least `mergeJaccard`. Otherwise they start a theme.
/// Generic words (`Stopwords.genericWords`) are never the shared key: "analytiikka tämän vuoden puolella" and
/// "kannattavuus tämän vuoden puolella" are two requests.
/// Afterwards a theme whose anchor is part of an earlier theme's phrase, with at least half of its documents in that
/// theme, is merged into it. Then themes told in other words are merged: those whose anchors' paragraphs carry alike
/// other sentences, the reasons and details around the request (`mergedByContext`: "ROMI" and "окупаемость" asked
/// for with the same "без этого сложно защищать расходы…"). The top phrase is the anchor, replaced by
/// a longer member phrase containing it when that one has at least 60 % of its documents. The label is the top
/// phrase's most frequent surface; the id hashes its sorted keys (`StableThemeID`).
///
/// **Theme score** (rank within the language, ties by id): `weight(all mentions, one per paragraph) × ln(1 + sources)
/// × (1 + ln(active periods)) × (1 + 0.5 × comebacks) × idf(top phrase)`.
public struct ThemeExtractor: Sendable {
    public let options: ThemeOptions

    // Interned strings.
    private var keyIDs: [UTF8Key: Int32] = [:]
    private var keyStrings: [String] = []
    private var wordIDs: [UTF8Key: Int32] = [:]
    private var wordStrings: [String] = []
    private var docIDs: [String: Int32] = [:]
    private var docStrings: [String] = []
    private var sourceIDs: [String: Int32] = [:]
    private var sourceStrings: [String] = []

    // One row per paragraph fed.
    private var pDoc: [Int32] = []
    private var pNumber: [Int32] = []
    private var pSource: [Int32] = []
    private var pPeriod: [Int32] = []
    private var pDate: [PackedDate] = []
    /// Every term's word id, paragraph after paragraph (`pWordStart`): most of what the extractor
    /// keeps per paragraph (4 bytes a term). Only the surfaces of the themes built read it (`span`,
    /// a `pread` a mention), so past its first 262,144 values it waits in a temporary file
    /// (`SpillingColumn`; in memory, about 26 MB for the 4 GB benchmark archive's 6.6 million terms).
    private var wordStream = SpillingColumn<Int32>(prefix: ThemeExtractor.wordFilePrefix, residentCount: ThemeExtractor.residentWords)
    /// Word ids `wordStream` keeps in memory (1 MB).
    static let residentWords = 1 << 18
    static let wordFilePrefix = "recur-theme-words"
    private var pWordStart: [Int32] = []
    /// Every sentence's template (see `templateOf`) and the position in `wordStream` of its first
    /// term, paragraph after paragraph (`pSentenceStart`): 8 bytes a sentence, where a template per
    /// term took 4 bytes a term (a sentence has about five).
    private var sentenceTemplate = ChunkedColumn<Int32>()
    private var sentenceFirstWord = ChunkedColumn<Int32>()
    private var pSentenceStart: [Int32] = []
    // Sentence templates: a sentence's term keys with numbers masked, and the documents they occur in.
    private var templateIDs: [UInt64: Int32] = [:]
    private var templateDocs: [Int32] = []
    private var templateLastDoc: [Int32] = []
    /// Example snippets of the paragraphs fed, when there is no `textOf` to read them back.
    private var snippetBytes: [UInt8] = []
    private var snippetEnds: [Int32] = []
    /// With `textOf`: every paragraph's `ThemeParagraph.textID`, 4 bytes instead of a snippet of up
    /// to 160 characters (most paragraphs counted are never shown as an example).
    private var pTextID: [Int32] = []
    private let textOf: (@Sendable (Int) -> String)?
    /// With it, documents are the caller's `ThemeParagraph.documentNumber`s and `docIDs` stays
    /// empty: a name is asked for when a theme shows its document.
    private let documentName: (@Sendable (Int) -> String)?

    private var states: [LanguageState]
    private var lexicons: [Lexicon]
    /// `Lexicon.classify` results by language, surface, key, class and stopword flag: a vocabulary is
    /// small next to the text, and classifying folds and looks up every word (at most
    /// `classifyCacheLimit` entries; past that, terms are classified afresh).
    private var classified: [ClassifiedTerm: LexiconKind] = [:]
    static let classifyCacheLimit = 1 << 18
    private var minPeriod: Int32 = .max
    private var maxPeriod: Int32 = .min
    private var undated = 0
    /// Set by `finishAdding()`, which frees the interning tables `add(_:)` needs.
    private var addingFinished = false

    static let undatedPeriod = Int32.min
    static let snippetLimit = 160

    /// - Parameters:
    ///   - options: eligibility, scoring, periods and synonyms.
    ///   - textOf: the text of a paragraph by its `ThemeParagraph.textID`, read when the paragraph
    ///     becomes an example. With it, the extractor keeps 4 bytes per paragraph for its examples
    ///     instead of their snippets, and every paragraph added must have a `textID`.
    ///   - documentName: a document's id by its `ThemeParagraph.documentNumber`, read when a theme
    ///     shows the document. With it, no document id is kept (4 bytes per counted paragraph
    ///     instead of an interned string per document), and every paragraph added must have a
    ///     `documentNumber`.
    public init(
        options: ThemeOptions = ThemeOptions(), textOf: (@Sendable (Int) -> String)? = nil,
        documentName: (@Sendable (Int) -> String)? = nil
    ) {
        self.options = options
        self.textOf = textOf
        self.documentName = documentName
        states = Language.allCases.map { _ in LanguageState() }
        lexicons = Language.allCases.map { Lexicon($0) }
    }

    /// For tests: keeps the first `count` word ids in memory instead of `residentWords`, the rest
    /// in the file 7 at a time. Call before adding anything.
    mutating func keepWordsInMemory(upTo count: Int) {
        precondition(wordStream.count == 0, "keepWordsInMemory(upTo:) after paragraphs were added")
        wordStream = SpillingColumn(prefix: Self.wordFilePrefix, residentCount: count, valuesPerWrite: 7)
    }

    /// Word ids in the temporary file (for tests).
    var wordsInFile: Int { wordStream.countInFile }

    // MARK: - Adding

    public mutating func add(_ p: ThemeParagraph) {
        precondition(!addingFinished, "ThemeExtractor.add(_:) after finishAdding()")
        let pIdx = Int32(pDoc.count)
        let doc: Int32
        if documentName != nil {
            guard let number = p.documentNumber else { preconditionFailure("ThemeParagraph.documentNumber is needed with documentName") }
            doc = Int32(clamping: number)
        } else {
            doc = Self.intern(p.doc, &docIDs, &docStrings)
        }
        let source = Self.intern(p.source, &sourceIDs, &sourceStrings)
        pDoc.append(doc)
        pNumber.append(Int32(clamping: p.paragraph))
        pSource.append(source)
        if let date = p.date {
            let period = Int32(clamping: Period(date, granularity: options.granularity).index)
            pPeriod.append(period)
            minPeriod = min(minPeriod, period)
            maxPeriod = max(maxPeriod, period)
            pDate.append(PackedDate(date))
        } else {
            pPeriod.append(Self.undatedPeriod)
            pDate.append(PackedDate(nil))
            undated += 1
        }
        pWordStart.append(Int32(clamping: wordStream.count))
        pSentenceStart.append(Int32(clamping: sentenceTemplate.count))
        if textOf != nil {
            guard let textID = p.textID else { preconditionFailure("ThemeParagraph.textID is needed with textOf") }
            pTextID.append(Int32(clamping: textID))
        } else {
            snippetBytes.append(contentsOf: Self.snippet(p.text).utf8)
            snippetEnds.append(Int32(snippetBytes.count))
        }

        let li = Self.languageIndex(p.lang)
        states[li].paragraphs += 1
        states[li].docs.insert(doc)
        guard p.lang != .other, !p.terms.isEmpty else { return }
        let lexicon = lexicons[li]
        let terms = options.synonyms.isEmpty ? p.terms : options.synonyms.apply(p.terms, language: p.lang)

        // Classify the terms.
        var kinds: [TokenKind] = []
        kinds.reserveCapacity(terms.count)
        var words: [Int32] = []
        words.reserveCapacity(terms.count)
        var paragraphKeys: [Int32] = []
        let labels = FieldLabels.labels(in: p.text)
        let isLabel = labels.isEmpty ? [] : FieldLabels.mask(surfaces: terms.map(\.surface), labels: labels)
        for (ti, term) in terms.enumerated() {
            let kind = ti < isLabel.count && isLabel[ti] ? LexiconKind.breaker : classify(term, lexicon)
            switch kind {
            case .content(let cls):
                let k = Self.intern(term.key, &keyIDs, &keyStrings)
                kinds.append(.content(k, cls, lexicon.generic.contains(term.key)))
                paragraphKeys.append(k)
            case .skip: kinds.append(.skip)
            case .cue: kinds.append(.cue)
            case .breaker: kinds.append(.breaker)
            }
            words.append(Self.intern(term.surface, &wordIDs, &wordStrings))
        }
        let firstWord = wordStream.count
        for w in words { wordStream.append(w) }

        // Phrases, sentence by sentence.
        var start = 0
        while start < terms.count {
            var end = start
            while end + 1 < terms.count && terms[end + 1].sentence == terms[start].sentence { end += 1 }
            let template = templateOf(terms[start...end], kinds: kinds[start...end], doc: doc)
            sentenceTemplate.append(template)
            sentenceFirstWord.append(Int32(clamping: firstWord + start))
            var cue = false
            for i in start...end { if case .cue = kinds[i] { cue = true; break } }
            addPhrases(kinds: kinds, words: words, range: start...end, cue: cue, paragraph: pIdx, language: li)
            if p.lang == .fi {
                for i in start...end {
                    guard case .content = kinds[i], terms[i].parts.count >= 2, let head = terms[i].parts.last else { continue }
                    guard head != terms[i].key, head.count >= 3, lexicon.isUsableHead(head) else { continue }
                    let k = Self.intern(head, &keyIDs, &keyStrings)
                    paragraphKeys.append(k)
                    states[li].record(keys: [k], start: i, length: 1, cue: cue, paragraph: pIdx)
                }
            }
            start = end + 1
        }

        // Document frequency of the paragraph's content keys.
        states[li].countDocument(keys: paragraphKeys, doc: doc, keyCount: keyStrings.count)
    }

    private mutating func classify(_ term: Term, _ lexicon: Lexicon) -> LexiconKind {
        let key = ClassifiedTerm(lang: lexicon.lang, surface: UTF8Key(term.surface), key: UTF8Key(term.key), wordClass: term.wordClass, isStopword: term.isStopword)
        if let kind = classified[key] { return kind }
        let kind = lexicon.classify(term)
        if classified.count < Self.classifyCacheLimit { classified[key] = kind }
        return kind
    }

    /// The template id of one sentence: its term keys in order, numbers and symbols masked, so that
    /// "Отправить клиенту прайс до 12.05" and "…до 30.06" are one template. Counts the document.
    private mutating func templateOf(_ terms: ArraySlice<Term>, kinds: ArraySlice<TokenKind>, doc: Int32) -> Int32 {
        var text = ""
        for (term, kind) in zip(terms, kinds) {
            // Numbers, symbols and names are masked: "до 28.01 … к коллеге (Николай)" and "до 03.02 … (Ксения)" are one template.
            if case .breaker = kind, !term.key.contains(where: { $0.isLetter }) || term.wordClass == .personName { text += "#\u{1}" } else { text += term.key + "\u{1}" }
        }
        let hash = StableHash.hash64(text, seed: 0x7465_6d70)
        let id: Int32
        if let found = templateIDs[hash] {
            id = found
        } else {
            id = Int32(templateDocs.count)
            templateIDs[hash] = id
            templateDocs.append(0)
            templateLastDoc.append(-1)
        }
        if templateLastDoc[Int(id)] != doc {
            templateLastDoc[Int(id)] = doc
            templateDocs[Int(id)] += 1
        }
        return id
    }

    /// The recurrence weight of a set of mentions: each distinct sentence template counts
    /// `1 + ln(mentions in that template)` (a sentence pasted into many documents, like a signature line or a note
    /// template, is one voice, not many), a template without a request cue `nonCueWeight` of that.
    private func recurrenceWeight(_ mentions: [UInt64]) -> Double {
        var perTemplate: [Int32: (count: Int, cue: Bool)] = [:]
        for m in mentions {
            let t = template(of: m)
            var e = perTemplate[t] ?? (0, false)
            e.count += 1
            e.cue = e.cue || MentionCode.cue(m)
            perTemplate[t] = e
        }
        var weight = 0.0
        for e in perTemplate.values.sorted(by: { ($0.count, $0.cue ? 1 : 0) < ($1.count, $1.cue ? 1 : 0) }) {
            weight += (1 + log(Double(e.count))) * (e.cue ? options.cueWeight : options.nonCueWeight)
        }
        return weight
    }

    private mutating func addPhrases(kinds: [TokenKind], words: [Int32], range: ClosedRange<Int>, cue: Bool, paragraph: Int32, language li: Int) {
        let positions = range.filter { if case .content = kinds[$0] { return true } else { return false } }
        guard !positions.isEmpty else { return }
        for (si, s) in positions.enumerated() {
            var keys: [Int32] = []
            var nominal = false
            var specific = false
            var last = s
            var pi = si
            while pi < positions.count && keys.count < min(4, max(1, options.maxPhraseTerms)) {
                let pos = positions[pi]
                if pos != s {
                    // Only stopwords, and not too many, may stand between two content terms.
                    let between = (last + 1)..<pos
                    if between.count > options.maxSkippedStopwords { break }
                    if between.contains(where: { if case .skip = kinds[$0] { return false } else { return true } }) { break }
                }
                guard case .content(let k, let cls, let generic) = kinds[pos] else { break }
                keys.append(k)
                // An adjective does not make a generic noun specific ("ближайшее время", "следующему сезону").
                specific = specific || (!generic && cls != .adjective)
                switch cls {
                case .noun, .properNoun, .other: nominal = true
                default: break
                }
                last = pos
                if nominal && specific {
                    states[li].record(keys: keys, start: s, length: pos - s + 1, cue: cue, paragraph: paragraph)
                }
                pi += 1
            }
        }
    }

    // MARK: - Finishing

    /// Frees what only `add(_:)` needs (the interning tables and the classification cache) and
    /// copies the per-paragraph columns to their exact sizes (an appended array can be up to half
    /// growth slack), one at a time (the per-term ones are chunked). `add(_:)` must not be called afterwards; the
    /// report is the same.
    public mutating func finishAdding() {
        addingFinished = true
        keyIDs = [:]
        wordIDs = [:]
        docIDs = [:]
        sourceIDs = [:]
        templateIDs = [:]
        classified = [:]
        pWordStart.shrinkToFit()
        pSentenceStart.shrinkToFit()
        pDoc.shrinkToFit()
        pNumber.shrinkToFit()
        pSource.shrinkToFit()
        pPeriod.shrinkToFit()
        pDate.shrinkToFit()
        pTextID.shrinkToFit()
        for i in states.indices { states[i].finishAdding() }
    }

    /// The themes of everything added, language by language.
    public func finish() -> ThemeReport {
        let archive = archiveSpan
        return report(builtLanguages.map { buildLanguage($0, archive: archive) })
    }

    /// Paragraphs added above which `finish(jobs:)` builds the languages one at a time: a build
    /// holds its candidates' documents and its groups (tens of MB for a language of a few hundred
    /// thousand paragraphs), and two at once would put a large archive's peak memory there.
    public static let concurrentBuildLimit = 1 << 17

    /// `finish()` with the languages' themes built by up to `jobs` tasks at once (each language's
    /// build reads the extractor's state only), through the pipeline's `OrderedParallelDriver`;
    /// the same report. Past `concurrentBuildLimit` paragraphs they are built one at a time.
    ///
    /// - Parameter concurrentUpTo: paragraphs up to which languages are built at once (tests).
    /// - Throws: only what the driver's task group may (building themes throws nothing).
    public func finish(jobs: Int, concurrentUpTo limit: Int = concurrentBuildLimit) async throws -> ThemeReport {
        let languages = builtLanguages
        guard jobs > 1, languages.count > 1, pDoc.count <= limit else { return finish() }
        let archive = archiveSpan
        var built: [LanguageThemes] = []
        try await OrderedParallelDriver(jobs: jobs).run(
            languages, makeWorker: {},
            transform: { lang, _ in self.buildLanguage(lang, archive: archive) },
            consume: { _, result in built.append(result) })
        return report(built)
    }

    /// The first and last period of the dated paragraphs added; nil when none is dated.
    private var archiveSpan: (first: Period, last: Period)? {
        minPeriod <= maxPeriod
            ? (Period(index: Int(minPeriod), granularity: options.granularity), Period(index: Int(maxPeriod), granularity: options.granularity))
            : nil
    }

    /// The languages with paragraphs, in `Language.allCases` order (the report's order).
    private var builtLanguages: [Language] {
        Language.allCases.enumerated().filter { states[$0.offset].paragraphs > 0 }.map(\.element)
    }

    /// One language's themes and summary.
    private struct LanguageThemes: Sendable {
        var themes: [Theme]
        var summary: ThemeLanguageSummary
    }

    private func buildLanguage(_ lang: Language, archive: (first: Period, last: Period)?) -> LanguageThemes {
        let state = states[Self.languageIndex(lang)]
        var summary = ThemeLanguageSummary(
            lang: lang, paragraphs: state.paragraphs, documents: state.docs.count, candidates: state.count,
            eligibleCandidates: 0, themesFound: 0, themesShown: 0)
        let themes = buildThemes(lang: lang, state: state, archive: archive, summary: &summary)
        return LanguageThemes(themes: themes, summary: summary)
    }

    /// The report of the languages' results, in the order given.
    private func report(_ built: [LanguageThemes]) -> ThemeReport {
        let archive = archiveSpan
        return ThemeReport(
            granularity: options.granularity, gap: options.rules.gap, archiveFirst: archive?.first, archiveLast: archive?.last,
            paragraphs: pDoc.count, undatedParagraphs: undated, languages: built.map(\.summary), themes: built.flatMap(\.themes))
    }

    /// A candidate's figures, computed at the end.
    private struct Scored: DocumentCarrying {
        var candidate: Int
        var keys: [String]
        var docs: [Int32]
        var sources: Int
        var score: Double
        var idf: Double
    }

    private func buildThemes(lang: Language, state: LanguageState, archive: (first: Period, last: Period)?, summary: inout ThemeLanguageSummary) -> [Theme] {
        let n = Double(max(1, state.docs.count))
        let shareRule = state.docs.count >= options.minDocumentsForShareRule
        func share(_ k: Int32) -> Double { Double(state.df(k)) / n }
        let generic = lexicons[Self.languageIndex(lang)].generic
        // A generic word ("vuosi", "месяц") links no phrases: "analytiikka tämän vuoden puolella" is not
        // "kannattavuus tämän vuoden puolella".
        func isGeneric(_ k: Int32) -> Bool { generic.contains(keyStrings[Int(k)]) }
        func idf(_ keys: [Int32]) -> Double { keys.map { log(1 + n / Double(max(1, state.df($0)))) }.max() ?? 0 }

        // 1. Eligible candidates, scored.
        var scored: [Scored] = []
        for ci in 0..<state.count where state.mentionCount(ci) >= options.minDocuments {
            let c = state.candidate(ci)
            let docs = Self.sortedUnique(c.paras.map { pDoc[Int($0)] })
            guard docs.count >= options.minDocuments else { continue }
            let sources = Self.sortedUnique(c.paras.map { pSource[Int($0)] }).count
            guard sources >= options.minSources else { continue }
            if shareRule, let rarest = c.keys.map(share).min(), rarest > options.maxDocumentShare { continue }
            // A lone word must be specific: a broad one ("реклама" in an agency's mail) stands for many requests.
            // (In a small archive every theme is a large share: the rule needs more than 10 documents.)
            if shareRule, c.keys.count == 1, state.df(c.keys[0]) > 10, share(c.keys[0]) > options.singleWordMaxShare { continue }
            let periods = Self.sortedUnique(c.paras.compactMap { pPeriod[Int($0)] == Self.undatedPeriod ? nil : pPeriod[Int($0)] }).count
            let phraseIDF = idf(c.keys)
            let score = recurrenceWeight(c.mentions) * log(1 + Double(sources)) * (1 + log(Double(max(1, periods)))) * phraseIDF
            scored.append(Scored(candidate: ci, keys: c.keys.map { keyStrings[Int($0)] }, docs: docs, sources: sources, score: score, idf: phraseIDF))
        }
        scored = Self.withoutAmbiguousWords(scored, keysOf: { state.keys($0.candidate) }, isBroad: { shareRule && state.df($0) > 10 && share($0) >= Self.ambiguousMinShare })
        summary.eligibleCandidates = scored.count
        scored.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.keys.count != b.keys.count { return a.keys.count > b.keys.count }
            return utf8Less(a.keys, b.keys)
        }

        // 2. Greedy grouping.
        typealias Group = PhraseGroup
        var groups: [Group] = []
        var groupsByKey: [Int32: [Int]] = [:]
        var groupsByDoc = GroupsByDocument()
        var groupsByMemberKey: [Int32: [Int]] = [:]
        var overlap = [Int32](repeating: 0, count: scored.count)
        var touched: [Int] = []
        for (si, s) in scored.enumerated() {
            let keys = Set(state.keys(s.candidate))
            var chosen: Int?
            var candidatesToCheck = Set<Int>()
            for k in keys { for g in groupsByKey[k] ?? [] { candidatesToCheck.insert(g) } }
            // Documents shared with each theme, counted in a reusable array (reset through `touched`).
            touched.removeAll(keepingCapacity: true)
            for d in s.docs {
                groupsByDoc.forEachGroup(of: d) { g in
                    if overlap[g] == 0 { touched.append(g) }
                    overlap[g] += 1
                }
            }
            // Jaccard ≥ j needs an overlap of at least j / (1 + j) of the candidate's documents; containment needs half.
            let j = options.mergeJaccard
            let minOverlap = min(0.5, j / (1 + j)) * Double(s.docs.count)
            for g in touched where Double(overlap[g]) >= minOverlap { candidatesToCheck.insert(g) }
            defer { for g in touched { overlap[g] = 0 } }
            // Of the themes it may join, the one sharing most documents (then the earliest).
            var bestOverlap = -1
            for g in candidatesToCheck.sorted() {
                let group = groups[g]
                let ov = Int(overlap[g])
                let anchor = group.anchorKeys
                var joins = false
                if anchor.isSubset(of: keys)
                    && anchor.allSatisfy({ share($0) <= options.sharedKeyMaxShare || state.df($0) <= 4 * s.docs.count }) {
                    // A more specific phrase of the anchor; an anchor word far more common than the phrase
                    // ("сайт" for "интеграция сайта с CRM") does not take every phrase containing it.
                    joins = true
                } else if Double(ov) >= 0.5 * Double(s.docs.count) && group.memberKeys.contains(where: { keys.isSubset(of: $0) }) {
                    joins = true
                } else if keys.contains(where: { anchor.contains($0) && !isGeneric($0) && (!shareRule || share($0) <= options.sharedKeyMaxShare) }) {
                    joins = true
                } else if ov > 0 {
                    let jaccard = Double(ov) / Double(s.docs.count + group.docs.count - ov)
                    joins = jaccard >= options.mergeJaccard
                }
                if joins && ov > bestOverlap { chosen = g; bestOverlap = ov }
            }
            if let g = chosen {
                groups[g].members.append(si)
                groups[g].memberKeys.append(keys)
                for k in keys where groupsByMemberKey[k]?.last != g { groupsByMemberKey[k, default: []].append(g) }
                for d in s.docs where groups[g].docs.insert(d).inserted { groupsByDoc.add(g, to: d) }
            } else {
                let g = groups.count
                groups.append(Group(members: [si], anchorKeys: keys, memberKeys: [keys], docs: Set(s.docs)))
                for k in keys { groupsByKey[k, default: []].append(g); groupsByMemberKey[k, default: []].append(g) }
                for d in s.docs { groupsByDoc.add(g, to: d) }
            }
        }
        // A later theme whose anchor is part of an earlier theme's phrase, with at least half of its documents
        // in that theme, joins it (its anchor came first only by score).
        var absorbed = [Bool](repeating: false, count: groups.count)
        for g in groups.indices {
            let docs = groups[g].docs
            // Only themes holding the anchor's first key in some phrase can contain the anchor.
            guard let probe = groups[g].anchorKeys.min() else { continue }
            for h in groupsByMemberKey[probe] ?? [] where h < g && !absorbed[h] {
                guard groups[h].memberKeys.contains(where: { groups[g].anchorKeys.isSubset(of: $0) }) else { continue }
                let ov = docs.reduce(0) { groups[h].docs.contains($1) ? $0 + 1 : $0 }
                guard Double(ov) >= 0.5 * Double(docs.count) else { continue }
                groups[h].members += groups[g].members
                groups[h].memberKeys += groups[g].memberKeys
                groups[h].docs.formUnion(docs)
                absorbed[g] = true
                break
            }
        }
        groups = groups.indices.filter { !absorbed[$0] }.map { groups[$0] }
        groups = mergedByContext(groups, state: state, scored: scored, documents: state.docs.count)
        summary.themesFound = groups.count

        // 3. Themes.
        var ranked: [(members: [Int], variants: [Int], id: String, score: Double)] = []
        var usedIDs = Set<String>()
        for group in groups {
            // Top phrase: the anchor, or a longer member containing it with ≥ 60 % of its documents.
            var top = group.members[0]
            var improved = true
            while improved {
                improved = false
                let topKeys = Set(state.keys(scored[top].candidate))
                var best: Int?
                for m in group.members where m != top {
                    let mk = Set(state.keys(scored[m].candidate))
                    guard mk.count > topKeys.count, topKeys.isSubset(of: mk),
                          Double(scored[m].docs.count) >= 0.6 * Double(scored[top].docs.count) else { continue }
                    if best == nil || scored[m].docs.count > scored[best!].docs.count { best = m }
                }
                if let best { top = best; improved = true }
            }
            let ordered = [top] + group.members.filter { $0 != top }
            // The score needs only counts: full themes are built for the ones shown.
            var paras: [Int32] = []
            for m in ordered { paras += state.candidate(scored[m].candidate).paras }
            paras = Self.sortedUnique(paras)
            let sources = Self.sortedUnique(paras.map { pSource[Int($0)] }).count
            let periods = Self.sortedUnique(paras.compactMap { pPeriod[Int($0)] == Self.undatedPeriod ? nil : pPeriod[Int($0)] })
            var comebacks = 0
            for i in periods.indices.dropFirst() where Int(periods[i]) - Int(periods[i - 1]) - 1 >= options.rules.gap { comebacks += 1 }
            var mentions: [UInt64] = []
            for m in ordered { mentions += state.candidate(scored[m].candidate).mentions }
            let score = Self.themeScore(weight: recurrenceWeight(Self.onePerParagraph(mentions)), sources: sources, activePeriods: periods.count, comebacks: comebacks, idf: scored[top].idf)
            var id = StableThemeID.make(lang: lang, keys: scored[top].keys)
            if usedIDs.contains(id) {
                var k = 2
                while usedIDs.contains("\(id)-\(k)") { k += 1 }
                id = "\(id)-\(k)"
            }
            usedIDs.insert(id)
            ranked.append((ordered, group.variants, id, score))
        }
        ranked.sort { a, b in a.score != b.score ? a.score > b.score : utf8Less(a.id, b.id) }
        if let top = options.top, ranked.count > top { ranked.removeLast(ranked.count - top) }
        var themes = ranked.map {
            makeTheme(lang: lang, state: state, scored: scored, members: $0.members, variants: $0.variants, id: $0.id, archive: archive)
        }
        for i in themes.indices { themes[i].rank = i + 1 }
        summary.themesShown = themes.count
        return themes
    }

    /// Phrases grouped into one theme while grouping.
    private struct PhraseGroup {
        var members: [Int]          // indices into `scored`
        var anchorKeys: Set<Int32>
        var memberKeys: [Set<Int32>]
        var docs: Set<Int32>
        /// The anchors of the groups merged into this one as the same request in other words.
        var variants: [Int] = []
    }

    /// The groups with those told in other words merged: a group joins an earlier one when the other
    /// sentences of their mention paragraphs (the reasons and details around the request: "Без этого
    /// сложно защищать расходы…", "Данные о продажах есть в 1С…") are alike.
    ///
    /// Each group's context is the sentence templates of its mention paragraphs, without the sentences
    /// its phrases occur in, weighted `paragraphs × ln(N / documents of the template)`; templates in one
    /// document only, or (under the share rule) in more than `maxDocumentShare` of the documents, are left out. Two groups are
    /// alike when the cosine of their contexts is at least `contextMergeCosine` and they share at least
    /// `contextMergeMinShared` templates. Merging is transitive (union-find, into the earliest group).
    private func mergedByContext(_ groups: [PhraseGroup], state: LanguageState, scored: [Scored], documents: Int) -> [PhraseGroup] {
        guard options.contextMergeCosine <= 1, groups.count > 1 else { return groups }
        let n = Double(max(1, documents))
        let maxDocs = documents >= options.minDocumentsForShareRule ? options.maxDocumentShare * n : .infinity
        // Contexts as template-sorted (template, weight) lists, so that every sum runs in one order.
        var vectors: [[(template: Int32, weight: Double)]] = []
        vectors.reserveCapacity(groups.count)
        for group in groups {
            var own = Set<Int32>()
            var paras: [Int32] = []
            for m in group.members.prefix(1) {
                for mention in state.candidate(scored[m].candidate).mentions {
                    let p = MentionCode.paragraph(mention)
                    paras.append(p)
                    own.insert(template(of: mention))
                }
            }
            var templates: [Int32] = []
            for p in Self.sortedUnique(paras) {
                var inParagraph: [Int32] = []
                for t in sentenceTemplates(of: p) {
                    let docs = Double(templateDocs[Int(t)])
                    if !own.contains(t), docs >= 2, docs <= maxDocs { inParagraph.append(t) }
                }
                templates += Self.sortedUnique(inParagraph)
            }
            templates.sort()
            var vector: [(template: Int32, weight: Double)] = []
            var i = 0
            while i < templates.count {
                var j = i
                while j < templates.count && templates[j] == templates[i] { j += 1 }
                vector.append((templates[i], Double(j - i) * log(n / Double(templateDocs[Int(templates[i])]))))
                i = j
            }
            let norm = vector.reduce(0) { $0 + $1.weight * $1.weight }.squareRoot()
            if norm > 0 { for k in vector.indices { vector[k].weight /= norm } }
            vectors.append(vector)
        }
        func cosine(_ a: [(template: Int32, weight: Double)], _ b: [(template: Int32, weight: Double)]) -> Double {
            var i = 0, j = 0, dot = 0.0
            while i < a.count && j < b.count {
                if a[i].template == b[j].template { dot += a[i].weight * b[j].weight; i += 1; j += 1 }
                else if a[i].template < b[j].template { i += 1 } else { j += 1 }
            }
            return dot
        }
        // Pairs sharing a template, through an inverted index (groups ascending per template).
        var groupsByTemplate: [Int32: [Int]] = [:]
        for (g, v) in vectors.enumerated() { for e in v { groupsByTemplate[e.template, default: []].append(g) } }
        var parent = Array(groups.indices)
        func root(_ g: Int) -> Int {
            var g = g
            while parent[g] != g { parent[g] = parent[parent[g]]; g = parent[g] }
            return g
        }
        for g in groups.indices {
            var shared: [Int: Int] = [:]
            for e in vectors[g] { for h in groupsByTemplate[e.template]! where h > g { shared[h, default: 0] += 1 } }
            for (h, count) in shared.sorted(by: { $0.key < $1.key }) where count >= options.contextMergeMinShared {
                guard cosine(vectors[g], vectors[h]) >= options.contextMergeCosine - 1e-12 else { continue }
                let a = root(g), b = root(h)
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var merged: [PhraseGroup] = []
        var position = [Int](repeating: -1, count: groups.count)
        for g in groups.indices {
            let r = root(g)
            if position[r] < 0 {
                position[r] = merged.count
                merged.append(groups[g])
            } else {
                let i = position[r]
                merged[i].members += groups[g].members
                merged[i].variants.append(groups[g].members[0])
                merged[i].memberKeys += groups[g].memberKeys
                merged[i].docs.formUnion(groups[g].docs)
            }
        }
        return merged
    }

    /// The candidates without the one-word ones that stand for several requests.
    ///
    /// A word is ambiguous when its two-word phrases split its documents into separate requests: the
    /// largest such phrase covers less than `ambiguousCover` of the word's documents, and another one
    /// with at least 15 % of them shares at most a fifth of its documents with the largest
    /// ("рекламе" in "сводная таблица по рекламе", "окупаемость рекламы", "площадки для рекламы";
    /// 予算 in 少額予算 and 予算申請). The phrases stay and become themes of their own.
    /// Only broad words (`isBroad`: in more than 10 documents and at least `ambiguousMinShare` of them) are tested: a
    /// narrow one such as "CRM" keeps its phrases together even when they differ ("передавать заявки
    /// в CRM", "интеграции с CRM").
    static func withoutAmbiguousWords<C>(_ scored: [C], keysOf: (C) -> [Int32], isBroad: (Int32) -> Bool) -> [C] where C: DocumentCarrying {
        var pairsByKey: [Int32: [Int]] = [:]
        for (i, s) in scored.enumerated() {
            let keys = keysOf(s)
            guard keys.count == 2, keys[0] != keys[1] else { continue }
            for k in keys { pairsByKey[k, default: []].append(i) }
        }
        var ambiguous = Set<Int>()
        for (i, s) in scored.enumerated() {
            let keys = keysOf(s)
            guard keys.count == 1, isBroad(keys[0]), let pairs = pairsByKey[keys[0]], pairs.count >= 2 else { continue }
            let total = Double(s.docs.count)
            let bySize = pairs.sorted { scored[$0].docs.count != scored[$1].docs.count ? scored[$0].docs.count > scored[$1].docs.count : $0 < $1 }
            let largest = Set(scored[bySize[0]].docs)
            guard Double(largest.count) < ambiguousCover * total else { continue }
            for j in bySize.dropFirst() {
                let other = scored[j].docs
                guard Double(other.count) >= 0.15 * total else { break }
                let shared = other.reduce(0) { largest.contains($1) ? $0 + 1 : $0 }
                if Double(shared) <= 0.2 * Double(other.count) { ambiguous.insert(i); break }
            }
        }
        return scored.enumerated().filter { !ambiguous.contains($0.offset) }.map(\.element)
    }

    /// The share of a word's documents its largest two-word phrase must cover for the word to be one request.
    static let ambiguousCover = 0.7

    /// The share of a language's documents from which a lone word is broad enough to be tested for ambiguity.
    static let ambiguousMinShare = 0.03

    /// `weight × ln(1 + sources) × (1 + ln(active periods)) × (1 + 0.5 × comebacks) × idf(top phrase)`.
    static func themeScore(weight: Double, sources: Int, activePeriods: Int, comebacks: Int, idf: Double) -> Double {
        weight * log(1 + Double(sources)) * (1 + log(Double(max(1, activePeriods)))) * (1 + 0.5 * Double(comebacks)) * idf
    }

    /// The first mention of every paragraph (a cue mention preferred), in paragraph order.
    static func onePerParagraph(_ mentions: [UInt64]) -> [UInt64] {
        var best: [Int32: UInt64] = [:]
        for m in mentions {
            let p = MentionCode.paragraph(m)
            if let b = best[p], MentionCode.cue(b) || !MentionCode.cue(m) { continue }
            best[p] = m
        }
        return best.keys.sorted().compactMap { best[$0] }
    }

    private func makeTheme(
        lang: Language, state: LanguageState, scored: [Scored], members: [Int], variants: [Int], id: String, archive: (first: Period, last: Period)?
    ) -> Theme {
        let top = scored[members[0]]
        let topCandidate = state.candidate(top.candidate)
        let joiner = lang == .ja ? "" : " "

        // Each paragraph once, with the phrase of the best member that occurs in it (by number in
        // `phraseTexts`: a theme's paragraphs are many, its wordings few).
        var phraseOf: [Int32: Int32] = [:]
        var phraseTexts: [String] = []
        var phraseNumbers: [String: Int32] = [:]
        var cueParagraphs = Set<Int32>()
        for m in members {
            let c = state.candidate(scored[m].candidate)
            for mention in c.mentions {
                let p = MentionCode.paragraph(mention)
                if MentionCode.cue(mention) { cueParagraphs.insert(p) }
                if phraseOf[p] == nil {
                    phraseOf[p] = Self.intern(span(mention).map { wordStrings[Int($0)] }.joined(separator: joiner), &phraseNumbers, &phraseTexts)
                }
            }
        }
        // The names of the theme's documents, each looked up once (they order paragraphs of one date).
        var docNames: [Int32: String] = [:]
        for p in phraseOf.keys where docNames[pDoc[Int(p)]] == nil {
            let d = pDoc[Int(p)]
            docNames[d] = documentName.map { $0(Int(d)) } ?? docStrings[Int(d)]
        }
        let paragraphs = phraseOf.keys.sorted { a, b in paragraphLess(a, b, docNames) }

        var docs = Set<Int32>(), sources = Set<Int32>()
        var byPeriod: [Int32: (mentions: Int, docs: Set<Int32>, sources: Set<Int32>)] = [:]
        var undatedMentions = 0
        var firstDate: PackedDate?, lastDate: PackedDate?
        for p in paragraphs {
            let i = Int(p)
            docs.insert(pDoc[i])
            sources.insert(pSource[i])
            let period = pPeriod[i]
            if period == Self.undatedPeriod { undatedMentions += 1; continue }
            var entry = byPeriod[period] ?? (0, [], [])
            entry.mentions += 1
            entry.docs.insert(pDoc[i])
            entry.sources.insert(pSource[i])
            byPeriod[period] = entry
            if firstDate == nil || pDate[i] < firstDate! { firstDate = pDate[i] }
            if lastDate == nil || lastDate! < pDate[i] { lastDate = pDate[i] }
        }
        let points = byPeriod.map { Timeline.Point(period: Int($0.key), mentions: $0.value.mentions, documents: $0.value.docs.count, sources: $0.value.sources.map(Int.init)) }
        let timeline = Timeline(points: points, archiveFirst: archive.map { $0.first.index } ?? 0,
                                archiveLast: archive.map { $0.last.index } ?? 0, rules: options.rules)
        let g = options.granularity
        var series: [ThemePeriodCount] = []
        if let first = timeline.first, let last = timeline.last {
            for k in first...last {
                let e = byPeriod[Int32(k)]
                series.append(ThemePeriodCount(period: Period(index: k, granularity: g), mentions: e?.mentions ?? 0,
                                               documents: e?.docs.count ?? 0, sources: e?.sources.count ?? 0))
            }
        }
        func names(_ ids: [Int]) -> [String] { ids.map { sourceStrings[$0] }.sorted(by: utf8Less) }
        let episodes = timeline.episodes.map {
            ThemeEpisode(number: $0.number, start: Period(index: $0.start, granularity: g), end: Period(index: $0.end, granularity: g),
                         activePeriods: $0.activePeriods, mentions: $0.mentions, documents: $0.documents,
                         sources: names($0.sources), newSources: names($0.newSources), gapBefore: $0.gapBefore)
        }

        // Examples: cue sentences first, then by date; distinct sources first.
        let exampleOrder = paragraphs.sorted { a, b in
            let ca = cueParagraphs.contains(a), cb = cueParagraphs.contains(b)
            return ca != cb ? ca : paragraphLess(a, b, docNames)
        }
        var examples: [Int32] = []
        var exampleSources = Set<Int32>()
        for p in exampleOrder where examples.count < options.examplesPerTheme && exampleSources.insert(pSource[Int(p)]).inserted { examples.append(p) }
        for p in exampleOrder where examples.count < options.examplesPerTheme && !examples.contains(p) { examples.append(p) }

        // The top phrase, the other wordings merged in ("ROMI" beside "окупаемость"), then the rest;
        // each surface once.
        var phrases: [ThemePhrase] = []
        var shown = Set<String>()
        for m in [members[0]] + variants + members.dropFirst() where phrases.count < options.phrasesShown {
            let s = scored[m]
            let c = state.candidate(s.candidate)
            let text = surface(of: c, joiner: joiner)
            guard shown.insert(text.lowercased()).inserted else { continue }
            phrases.append(ThemePhrase(surface: text, keys: s.keys, mentions: c.paras.count,
                                       documents: s.docs.count, sources: s.sources, score: s.score))
        }
        var allMentions: [UInt64] = []
        for m in members { allMentions += state.candidate(scored[m].candidate).mentions }
        let score = Self.themeScore(weight: recurrenceWeight(Self.onePerParagraph(allMentions)), sources: sources.count,
                                    activePeriods: timeline.activePeriods, comebacks: timeline.comebacks, idf: top.idf)

        return Theme(
            id: id, lang: lang, rank: 0, score: score, label: surface(of: topCandidate, joiner: joiner), phrases: phrases,
            mentions: paragraphs.count, documents: docs.count, sources: sources.count, undatedMentions: undatedMentions,
            firstDate: firstDate?.date, lastDate: lastDate?.date,
            firstSeen: timeline.first.map { Period(index: $0, granularity: g) }, lastSeen: timeline.last.map { Period(index: $0, granularity: g) },
            activePeriods: timeline.activePeriods, episodes: episodes, comebacks: timeline.comebacks, longestGap: timeline.longestGap,
            trend: timeline.trend, status: timeline.status, series: series,
            examples: examples.map { p in
                let i = Int(p)
                return ThemeExample(doc: docNames[pDoc[i]]!, paragraph: Int(pNumber[i]), date: pDate[i].date,
                                    source: sourceStrings[Int(pSource[i])], snippet: snippet(i))
            },
            mentionRows: mentionRows(paragraphs, phraseOf: phraseOf, phraseTexts: phraseTexts))
    }

    /// The mentions of a theme's `paragraphs` (in order), each with the phrase `phraseOf` gives it
    /// (a number in `phraseTexts`), the phrases renumbered in the order the rows first mention them.
    private func mentionRows(_ paragraphs: [Int32], phraseOf: [Int32: Int32], phraseTexts: [String]) -> ThemeMentions {
        var phrases: [String] = []
        var renumbered = [Int32](repeating: -1, count: phraseTexts.count)
        let rows = paragraphs.map { p in
            let i = Int(p)
            guard let own = phraseOf[p].map(Int.init) else { preconditionFailure("a theme's paragraph without its phrase") }
            if renumbered[own] < 0 {
                renumbered[own] = Int32(phrases.count)
                phrases.append(phraseTexts[own])
            }
            return ThemeMentions.Row(document: pDoc[i], paragraph: pNumber[i], source: pSource[i], phrase: renumbered[own], date: pDate[i])
        }
        return ThemeMentions(rows: rows, sources: sourceStrings, phrases: phrases,
                             documentName: documentName ?? { [docStrings] in docStrings[$0] })
    }

    /// Date (undated last), then document id, then paragraph number.
    private func paragraphLess(_ a: Int32, _ b: Int32, _ docNames: [Int32: String]) -> Bool {
        let i = Int(a), j = Int(b)
        if pDate[i] != pDate[j] {
            if pDate[i].isUndated != pDate[j].isUndated { return pDate[j].isUndated }
            return pDate[i] < pDate[j]
        }
        if pDoc[i] != pDoc[j] { return utf8Less(docNames[pDoc[i]]!, docNames[pDoc[j]]!) }
        if pNumber[i] != pNumber[j] { return pNumber[i] < pNumber[j] }
        return a < b
    }

    /// The sentences of paragraph `p`: their positions in `sentenceTemplate` and `sentenceFirstWord`.
    private func sentences(of p: Int32) -> Range<Int> {
        let i = Int(p)
        return Int(pSentenceStart[i])..<(i + 1 < pSentenceStart.count ? Int(pSentenceStart[i + 1]) : sentenceTemplate.count)
    }

    /// The templates of paragraph `p`'s sentences, in order.
    func sentenceTemplates(of p: Int32) -> [Int32] { sentences(of: p).map { sentenceTemplate[$0] } }

    /// The template of the sentence a mention starts in.
    private func template(of mention: UInt64) -> Int32 {
        template(ofParagraph: MentionCode.paragraph(mention), term: MentionCode.start(mention))
    }

    /// The template of the sentence that term `term` (0-based) of paragraph `p` (the `p`-th added) is in.
    func template(ofParagraph p: Int32, term: Int) -> Int32 {
        let word = Int(pWordStart[Int(p)]) + term
        // The last sentence starting at or before the word (a binary search: a paragraph of a
        // text without blank lines can hold thousands).
        let range = sentences(of: p)
        var (low, high) = (range.lowerBound, range.upperBound)
        while high - low > 1 {
            let mid = (low + high) / 2
            if Int(sentenceFirstWord[mid]) <= word { low = mid } else { high = mid }
        }
        return sentenceTemplate[low]
    }

    /// The word ids a mention covers, stopwords between included.
    private func span(_ mention: UInt64) -> [Int32] {
        let start = Int(pWordStart[Int(MentionCode.paragraph(mention))]) + MentionCode.start(mention)
        return Array(wordStream.values(in: start..<(start + MentionCode.length(mention))))
    }

    /// The most frequent surface of a candidate (ties: UTF-8 order).
    private func surface(of c: CandidateView, joiner: String) -> String {
        var counts: [[Int32]: Int] = [:]
        for m in c.mentions { counts[span(m), default: 0] += 1 }
        var best: (String, Int)?
        for (words, count) in counts {
            let s = words.map { wordStrings[Int($0)] }.joined(separator: joiner)
            if best == nil || count > best!.1 || (count == best!.1 && utf8Less(s, best!.0)) { best = (s, count) }
        }
        return best?.0 ?? c.keys.map { keyStrings[Int($0)] }.joined(separator: joiner)
    }

    private func snippet(_ i: Int) -> String {
        if let textOf { return Self.snippet(textOf(Int(pTextID[i]))) }
        let start = i == 0 ? 0 : Int(snippetEnds[i - 1])
        return String(decoding: snippetBytes[start..<Int(snippetEnds[i])], as: UTF8.self)
    }

    // MARK: - Helpers

    static func intern(_ s: String, _ ids: inout [String: Int32], _ strings: inout [String]) -> Int32 {
        if let id = ids[s] { return id }
        let id = Int32(strings.count)
        ids[s] = id
        strings.append(s)
        return id
    }

    static func intern(_ s: String, _ ids: inout [UTF8Key: Int32], _ strings: inout [String]) -> Int32 {
        let key = UTF8Key(s)
        if let id = ids[key] { return id }
        let id = Int32(strings.count)
        ids[key] = id
        strings.append(s)
        return id
    }

    static func languageIndex(_ lang: Language) -> Int { lang.ordinal }

    static func sortedUnique(_ values: [Int32]) -> [Int32] {
        var v = values.sorted()
        var w = 0
        for r in v.indices where r == 0 || v[r] != v[w - 1] {
            v[w] = v[r]
            w += 1
        }
        v.removeLast(v.count - w)
        return v
    }

    /// One line: whitespace runs become one space; at most `snippetLimit` characters (the last one "…" when cut).
    static func snippet(_ text: String) -> String {
        var text = text
        if let snippet = text.withUTF8({ snippetOfSingleScalarCharacters($0) }) { return snippet }
        return snippetByCharacters(text)
    }

    /// `snippet` on UTF-8 for text whose scalars each stand alone (`SingleScalarText`); nil at the
    /// first scalar that may join its neighbour.
    static func snippetOfSingleScalarCharacters(_ utf8: UnsafeBufferPointer<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(min(utf8.count, 4 * snippetLimit))
        var count = 0
        var pendingSpace = false
        var cut = false
        let clean = SingleScalarText.walk(utf8) { scalar, bytes in
            if SingleScalarText.isWhiteSpace(scalar) {
                pendingSpace = !out.isEmpty
                return true
            }
            if pendingSpace {
                if count + 1 >= snippetLimit { cut = true; return false }
                out.append(0x20)
                count += 1
                pendingSpace = false
            }
            if count + 1 >= snippetLimit { cut = true; return false }
            out.append(contentsOf: utf8[bytes])
            count += 1
            return true
        }
        guard clean else { return nil }
        return String(decoding: out, as: UTF8.self) + (cut ? "…" : "")
    }

    /// `snippet` character by character (any text).
    static func snippetByCharacters(_ text: String) -> String {
        var out = ""
        var count = 0
        var pendingSpace = false
        for ch in text {
            if ch.isWhitespace || ch.isNewline {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                if count + 1 >= snippetLimit { return out + "…" }
                out.append(" ")
                count += 1
                pendingSpace = false
            }
            if count + 1 >= snippetLimit {
                return out + "…"
            }
            out.append(ch)
            count += 1
        }
        return out
    }
}

// MARK: - Internal state

/// Something counted in a set of documents (sorted, unique ids).
protocol DocumentCarrying {
    var docs: [Int32] { get }
}

private enum TokenKind {
    /// A content term: its key id, class, and whether it is one of the language's generic words.
    case content(Int32, WordClass, Bool)
    case skip
    case cue
    case breaker
}

/// What `Lexicon.classify` reads of a term.
private struct ClassifiedTerm: Hashable {
    var lang: Language
    var surface: UTF8Key
    var key: UTF8Key
    var wordClass: WordClass
    var isStopword: Bool
}

private enum LexiconKind {
    case content(WordClass)
    case skip
    case cue
    case breaker
}

/// The word lists of one language and the rules that sort a term into content, skippable, cue or breaker.
private struct Lexicon: Sendable {
    let lang: Language
    let cues: Set<String>
    let courtesy: Set<String>
    let generic: Set<String>

    init(_ lang: Language) {
        self.lang = lang
        generic = Stopwords.genericWords(lang)
        cues = Stopwords.requestCues(lang)
        courtesy = Stopwords.courtesyWords(lang)
    }

    static func fold(_ s: String) -> String {
        String(s.lowercased().map { $0 == "ё" ? "е" : $0 })
    }

    /// Russian lists hold words, not Snowball stems: look the surface up. Finnish and Japanese lists hold lemmas too.
    func lookup(_ set: Set<String>, _ term: Term, _ folded: String) -> Bool {
        set.contains(folded) || (lang != .ru && set.contains(term.key))
    }

    func isStopword(_ term: Term, _ folded: String) -> Bool {
        Stopwords.contains(folded, language: lang) || (lang != .ru && Stopwords.contains(term.key, language: lang))
    }

    func classify(_ term: Term) -> LexiconKind {
        let folded = Self.fold(term.surface)
        if lookup(cues, term, folded) { return .cue }
        if lookup(courtesy, term, folded) { return .breaker }
        switch term.wordClass {
        case .numeral, .symbol, .personName: return .breaker
        default: break
        }
        if !term.key.contains(where: { $0.isLetter }) { return .breaker }
        if term.isStopword || isStopword(term, folded) { return .skip }
        switch term.wordClass {
        case .adverb, .pronoun, .function: return .skip
        default: break
        }
        if lang == .ja {
            // A lone hiragana syllable is a particle or an inflection MeCab did not tag as such.
            if term.key.unicodeScalars.count == 1, let s = term.key.unicodeScalars.first, (0x3040...0x309F).contains(s.value) { return .skip }
        } else if term.key.count < 2 {
            return .skip
        }
        return .content(term.wordClass)
    }

    func isUsableHead(_ head: String) -> Bool {
        head.contains(where: { $0.isLetter }) && !generic.contains(head) && !Stopwords.contains(head, language: lang) && !cues.contains(head) && !courtesy.contains(head)
    }
}

extension TokenKind: Sendable {}

/// One counted mention in 64 bits: paragraph row (bits 0–31), first term of the span within the paragraph
/// (bits 32–54), span length in terms (bits 55–59), in a request-cue sentence (bit 60).
enum MentionCode {
    static func make(paragraph: Int32, start: Int, length: Int, cue: Bool) -> UInt64 {
        UInt64(UInt32(bitPattern: paragraph)) | UInt64(min(start, 0x7F_FFFF)) << 32 | UInt64(min(length, 31)) << 55 | (cue ? 1 << 60 : 0)
    }
    static func paragraph(_ m: UInt64) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: m)) }
    static func start(_ m: UInt64) -> Int { Int(m >> 32 & 0x7F_FFFF) }
    static func length(_ m: UInt64) -> Int { Int(m >> 55 & 31) }
    static func cue(_ m: UInt64) -> Bool { m & (1 << 60) != 0 }
}

/// The groups each document is in, while phrases are grouped into themes: a list per document
/// linked through one array, 8 bytes a (document, group) pair and a table entry per document,
/// where a dictionary of arrays took an array (its header and growth slack) per document.
/// A document's groups come in no particular order.
struct GroupsByDocument {
    private var head: [Int32: Int32] = [:]
    private var group: [Int32] = []
    private var next: [Int32] = []

    /// Adds group `g` to document `d`'s.
    mutating func add(_ g: Int, to d: Int32) {
        group.append(Int32(g))
        next.append(head[d] ?? -1)
        head[d] = Int32(group.count - 1)
    }

    /// Calls `body` with every group of document `d`.
    func forEachGroup(of d: Int32, _ body: (Int) -> Void) {
        var e = head[d] ?? -1
        while e >= 0 {
            body(Int(group[Int(e)]))
            e = next[Int(e)]
        }
    }
}

/// Up to four key ids in 16 bytes, without a heap allocation: the candidate dictionary's key.
struct KeyQuad: Hashable, Sendable {
    var a: UInt64 = 0
    var b: UInt64 = 0

    init(_ keys: [Int32]) {
        for (i, k) in keys.prefix(4).enumerated() {
            let v = UInt64(UInt32(bitPattern: k) &+ 1)
            if i < 2 { a |= v << (32 * UInt64(i)) } else { b |= v << (32 * UInt64(i - 2)) }
        }
    }

    var keys: [Int32] {
        var out: [Int32] = []
        for v in [a & 0xFFFF_FFFF, a >> 32, b & 0xFFFF_FFFF, b >> 32] where v != 0 { out.append(Int32(bitPattern: UInt32(v - 1))) }
        return out
    }

    /// A deterministic 64-bit hash of the key (`HashIDMultiMap` keeps its low 32 bits as a tag).
    var hash64: UInt64 { StableHash.mix(a &* 0x9E37_79B9_7F4A_7C15 ^ b) }
}

/// A candidate as read at the end.
struct CandidateView {
    var keys: [Int32]
    var mentions: [UInt64]
    var paras: [Int32] { mentions.map(MentionCode.paragraph) }
}

/// Per-language counts and candidates. A candidate costs its 16-byte key (`cKeys`), 11 to 23 bytes of table slots, its
/// first mention inline (8 bytes) and a 4-byte link to a list of further mentions, which only recurring phrases get.
struct LanguageState: Sendable {
    var paragraphs = 0
    var docs = Set<Int32>()
    private var dfCounts: [Int32] = []
    private var lastDoc: [Int32] = []
    /// The candidates (their ordinals in `cKeys`) by the hash of their key, verified against
    /// `cKeys`: the deduplicator's exact-key table, which grows a 64th at a time, instead of a
    /// dictionary holding the keys a second time and doubling whole.
    private var index = HashIDMultiMap(capacityPowerOfTwo: 4)
    private var cKeys: [KeyQuad] = []
    private var cFirst: [UInt64] = []
    private var cMore: [Int32] = []
    private var moreLists: [[UInt64]] = []

    var count: Int { cKeys.count }

    /// Frees what only counting needs and copies the mention lists to their exact sizes
    /// (`ThemeExtractor.finishAdding()`).
    mutating func finishAdding() {
        index = HashIDMultiMap(capacityPowerOfTwo: 1)
        lastDoc = []
        for i in moreLists.indices { moreLists[i].shrinkToFit() }
    }

    func df(_ key: Int32) -> Int { Int(key) < dfCounts.count ? Int(dfCounts[Int(key)]) : 0 }

    func keys(_ ci: Int) -> [Int32] { cKeys[ci].keys }

    func mentionCount(_ ci: Int) -> Int { cMore[ci] < 0 ? 1 : 1 + moreLists[Int(cMore[ci])].count }

    func candidate(_ ci: Int) -> CandidateView {
        CandidateView(keys: cKeys[ci].keys, mentions: [cFirst[ci]] + (cMore[ci] < 0 ? [] : moreLists[Int(cMore[ci])]))
    }

    /// Counts `doc` once for each key (a document's paragraphs need not arrive together, but when they do not, a key
    /// seen again after another document of the same language counts again: feed documents whole for exact figures).
    mutating func countDocument(keys: [Int32], doc: Int32, keyCount: Int) {
        if dfCounts.count < keyCount {
            dfCounts += [Int32](repeating: 0, count: keyCount - dfCounts.count)
            lastDoc += [Int32](repeating: -1, count: keyCount - lastDoc.count)
        }
        for k in keys where lastDoc[Int(k)] != doc {
            lastDoc[Int(k)] = doc
            dfCounts[Int(k)] += 1
        }
    }

    /// Counts a mention of `keys`; a paragraph counts once per candidate (a later cue mention marks it as cue).
    mutating func record(keys: [Int32], start: Int, length: Int, cue: Bool, paragraph: Int32) {
        let quad = KeyQuad(keys)
        let mention = MentionCode.make(paragraph: paragraph, start: start, length: length, cue: cue)
        let hash = quad.hash64
        var found = -1
        var slot = index.firstSlot(hash)
        while let c = index.next(hash, &slot) {
            if cKeys[Int(c)] == quad { found = Int(c); break }
        }
        guard found >= 0 else {
            index.insert(hash, Int32(cKeys.count))
            cKeys.append(quad)
            cFirst.append(mention)
            cMore.append(-1)
            return
        }
        let ci = found
        let more = Int(cMore[ci])
        if more < 0 {
            if MentionCode.paragraph(cFirst[ci]) == paragraph {
                if cue { cFirst[ci] |= 1 << 60 }
                return
            }
            cMore[ci] = Int32(moreLists.count)
            moreLists.append([mention])
            return
        }
        let last = moreLists[more].count - 1
        if MentionCode.paragraph(moreLists[more][last]) == paragraph {
            if cue { moreLists[more][last] |= 1 << 60 }
            return
        }
        moreLists[more].append(mention)
    }
}

/// A `DocumentDate` in 12 bytes.
struct PackedDate: Sendable, Hashable, Comparable {
    /// `year * 10000 + month * 100 + day`; 0 when undated.
    var ymd: Int32
    /// `hour * 10000 + minute * 100 + second`; bit 30 set when the date had a time.
    var hms: Int32
    /// Minutes from UTC; `Int16.min` when unknown.
    var offset: Int16

    init(_ date: DocumentDate?) {
        guard let d = date else {
            ymd = 0; hms = 0; offset = .min
            return
        }
        ymd = Int32(clamping: d.year * 10000 + d.month * 100 + d.day)
        hms = Int32(clamping: d.hour * 10000 + d.minute * 100 + d.second) | (d.hasTime ? 1 << 30 : 0)
        offset = d.utcOffsetMinutes.map { Int16(clamping: $0) } ?? .min
    }

    var isUndated: Bool { ymd == 0 }

    var date: DocumentDate? {
        guard ymd != 0 else { return nil }
        let t = Int(hms & ~(1 << 30))
        return DocumentDate(year: Int(ymd / 10000), month: Int(ymd / 100 % 100), day: Int(ymd % 100),
                            hour: t / 10000, minute: t / 100 % 100, second: t % 100,
                            utcOffsetMinutes: offset == .min ? nil : Int(offset), hasTime: hms & (1 << 30) != 0)
    }

    static func < (a: PackedDate, b: PackedDate) -> Bool {
        (a.ymd, a.hms & ~(1 << 30)) < (b.ymd, b.hms & ~(1 << 30))
    }
}
