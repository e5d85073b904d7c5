/// One deduplicated content paragraph, as the pipeline feeds it to `ThemeExtractor`.
public struct ThemeParagraph: Sendable {
    public var doc: String
    public var paragraph: Int
    public var source: String
    /// nil: not placed in time (counted in the theme's `undatedMentions`, not in any period).
    public var date: DocumentDate?
    public var lang: Language
    /// The original text, for examples.
    public var text: String
    /// In order, with sentence numbers.
    public var terms: [Term]
    /// What `textOf` (`ThemeExtractor.init(options:textOf:documentName:)`) reads `text` back by; nil without it.
    public var textID: Int?
    /// The document as a number, for an extractor given `documentName` (which names it); else nil.
    public var documentNumber: Int?

    public init(
        doc: String, paragraph: Int, source: String, date: DocumentDate?, lang: Language, text: String, terms: [Term],
        textID: Int? = nil, documentNumber: Int? = nil
    ) {
        self.textID = textID
        self.documentNumber = documentNumber
        self.doc = doc
        self.paragraph = paragraph
        self.source = source
        self.date = date
        self.lang = lang
        self.text = text
        self.terms = terms
    }
}

/// Settings of theme extraction and recurrence.
public struct ThemeOptions: Sendable, Hashable {
    public var granularity: PeriodGranularity = .month
    /// Episodes, trend and status thresholds (`rules.gap`: quiet periods that split episodes).
    public var rules = Timeline.Rules()
    /// A theme needs at least this many distinct sources (clients).
    public var minSources = 2
    /// A theme needs at least this many distinct documents.
    public var minDocuments = 2
    /// Content terms per phrase (1...4).
    public var maxPhraseTerms = 4
    /// Stopwords a phrase may skip between two of its content terms ("интеграция [с] CRM", "CRM[との]連携").
    public var maxSkippedStopwords = 2
    /// A phrase whose every key is in more than this share of the language's documents cannot be a theme.
    public var maxDocumentShare = 0.3
    /// The share rule applies only once a language has this many documents (tiny archives have no background).
    public var minDocumentsForShareRule = 20
    /// A one-word phrase can be a theme only when its word is in at most this share of the language's documents.
    public var singleWordMaxShare = 0.08
    /// How much a sentence template weighs in a score when it carries a request cue...
    public var cueWeight = 2.0
    /// ...and when it does not.
    public var nonCueWeight = 0.5
    /// A candidate sharing a key with a theme's anchor joins it when that key is in at most this share of the
    /// language's documents (any key while the share rule does not apply).
    public var sharedKeyMaxShare = 0.1
    /// A candidate joins a theme whose documents it overlaps by at least this Jaccard index.
    public var mergeJaccard = 0.5
    /// Themes whose mention paragraphs carry alike other sentences (cosine of their sentence-template
    /// contexts at least this, above 1: never) are one request told in other words ("ROMI", "окупаемость").
    public var contextMergeCosine = 0.9
    /// ...when they share at least this many of those sentence templates.
    public var contextMergeMinShared = 3
    /// Themes kept per language (nil: all).
    public var top: Int? = 50
    /// Phrases listed per theme.
    public var phrasesShown = 5
    /// Example paragraphs kept per theme.
    public var examplesPerTheme = 3
    /// Variants counted as one word (`--synonyms`).
    public var synonyms = SynonymTable()

    public var gap: Int {
        get { rules.gap }
        set { rules.gap = max(1, newValue) }
    }

    public init() {}
}

/// Everything theme extraction found, in output order: themes by language, then rank.
public struct ThemeReport: Sendable {
    public var granularity: PeriodGranularity
    public var gap: Int
    /// The archive's first and last period over all dated paragraphs fed (nil when none was dated).
    public var archiveFirst: Period?
    public var archiveLast: Period?
    public var paragraphs: Int
    public var undatedParagraphs: Int
    public var languages: [ThemeLanguageSummary]
    public var themes: [Theme]

    /// All periods of the archive, first to last.
    public var periods: [Period] {
        guard let archiveFirst, let archiveLast else { return [] }
        return Period.all(from: archiveFirst, through: archiveLast)
    }
}

public struct ThemeLanguageSummary: Sendable, Hashable {
    public var lang: Language
    public var paragraphs: Int
    public var documents: Int
    /// Distinct candidate phrases seen.
    public var candidates: Int
    /// Candidates that met the source, document and commonness rules.
    public var eligibleCandidates: Int
    /// Themes formed (before `top`).
    public var themesFound: Int
    public var themesShown: Int
}

public struct Theme: Sendable, Hashable {
    /// `ru-` + 8 hex digits of FNV-1a 64 over the top phrase's sorted keys: stable between runs.
    public var id: String
    public var lang: Language
    /// 1-based within the language.
    public var rank: Int
    public var score: Double
    /// The top phrase's most frequent surface.
    public var label: String
    /// Top phrases, best first (at most `phrasesShown`).
    public var phrases: [ThemePhrase]
    /// Paragraphs that mention the theme (a paragraph counts once).
    public var mentions: Int
    public var documents: Int
    public var sources: Int
    public var undatedMentions: Int
    public var firstDate: DocumentDate?
    public var lastDate: DocumentDate?
    public var firstSeen: Period?
    public var lastSeen: Period?
    public var activePeriods: Int
    public var episodes: [ThemeEpisode]
    public var comebacks: Int
    public var longestGap: Int
    public var trend: Timeline.Trend
    public var status: Timeline.Status
    /// One entry per period from `firstSeen` to `lastSeen`, zeros included.
    public var series: [ThemePeriodCount]
    public var examples: [ThemeExample]
    /// One per counted mention, ordered by date (undated last), doc, paragraph (made from `mentionRows`).
    public var mentionList: [ThemeMention] { Array(mentionRows) }
    /// The mentions as kept: compact, their document names read when asked for.
    public var mentionRows: ThemeMentions
}

/// A theme's mentions, kept compact: per mention its document by number, paragraph, date, source
/// and phrase by number in 28 bytes, instead of a `ThemeMention` with its strings (about 150 bytes
/// and a document name each: on a 4 GB archive the mention lists were the largest part of the
/// theme report). A document's id is read (`documentName`) when its mention is asked for.
public struct ThemeMentions: RandomAccessCollection, Sendable, Hashable {
    struct Row: Sendable, Hashable {
        var document: Int32
        var paragraph: Int32
        var source: Int32
        var phrase: Int32
        var date: PackedDate
    }

    var rows: [Row]
    /// Source names by `Row.source` (the extractor's table, shared by every theme).
    var sources: [String]
    /// Distinct phrases of this theme by `Row.phrase`.
    var phrases: [String]
    /// A document's id by `Row.document`.
    let documentName: @Sendable (Int) -> String

    public var startIndex: Int { 0 }
    public var endIndex: Int { rows.count }

    public subscript(_ i: Int) -> ThemeMention {
        let r = rows[i]
        return ThemeMention(doc: documentName(Int(r.document)), paragraph: Int(r.paragraph), date: r.date.date,
                            source: sources[Int(r.source)], phrase: phrases[Int(r.phrase)])
    }

    /// Equal when they list the same mentions (document names compared, not numbers).
    public static func == (a: ThemeMentions, b: ThemeMentions) -> Bool { a.elementsEqual(b) }

    public func hash(into hasher: inout Hasher) { hasher.combine(count) }
}

public struct ThemePhrase: Sendable, Hashable {
    /// The most frequent surface as written.
    public var surface: String
    public var keys: [String]
    public var mentions: Int
    public var documents: Int
    public var sources: Int
    public var score: Double
}

public struct ThemePeriodCount: Sendable, Hashable {
    public var period: Period
    public var mentions: Int
    public var documents: Int
    public var sources: Int
}

public struct ThemeEpisode: Sendable, Hashable {
    public var number: Int
    public var start: Period
    public var end: Period
    public var activePeriods: Int
    public var mentions: Int
    public var documents: Int
    public var sources: [String]
    public var newSources: [String]
    public var gapBefore: Int
}

public struct ThemeExample: Sendable, Hashable {
    public var doc: String
    public var paragraph: Int
    public var date: DocumentDate?
    public var source: String
    /// One line, at most 160 characters.
    public var snippet: String
}

public struct ThemeMention: Sendable, Hashable {
    public var doc: String
    public var paragraph: Int
    public var date: DocumentDate?
    public var source: String
    /// The phrase as written in that paragraph.
    public var phrase: String
}
