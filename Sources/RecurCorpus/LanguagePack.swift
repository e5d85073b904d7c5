/// How a theme's life over the archive period is shaped.
public enum ThemePattern: String, Sendable, CaseIterable {
    /// The seed's life cycle: one request, weeks or months of silence, another client, silence, then more and more often.
    case recurring
    case steady
    case rising
    case fading
    /// One short burst and never again.
    case oneOff = "one-off"
}

/// One theme's phrase bank.
///
/// `nouns` hold one noun phrase per entry in the language's slot forms:
/// ru `[nom, gender (m/f/n/p), acc, gen, prep-with-preposition]`, fi `[nom, partitive, genitive, elative]`,
/// ja `[noun]`. `verbs` are infinitives (ru, fi) or 連用形 stems before たい (ja).
struct ThemeSpec: Sendable {
    var id: String
    var label: String
    var keywords: [String]
    var pattern: ThemePattern
    var nouns: [[String]]
    var verbs: [String]
    var details: [String]
    var subjects: [String]
}

/// A chatter category: subjects and sentence templates (`{slot}` placeholders).
struct ChatterCategory: Sendable {
    var subjects: [String]
    var sentences: [String]
}

/// Everything one language needs to write documents.
struct LanguagePack: Sendable {
    var lang: CorpusLanguage
    var themes: [ThemeSpec]
    /// Request sentences written by a client: `{vp}` or a noun form slot, `{ctx}`; ru also `{need}`/`{interest}`.
    var requestTemplates: [String]
    /// The same, written by the agency about a client in notes.
    var noteTemplates: [String]
    var contexts: [String]
    /// Agency remarks by life-cycle stage: first sighting (refused), comeback (refused again), adopted.
    var stageRemarks: [[String]]
    var chatter: [ChatterCategory]
    /// Agency notes about ordinary work (no theme words).
    var noteChatter: [String]
    var slots: [String: [String]]
    var greetings: [String]
    var signoffs: [String]
    /// First lines of a first contact or a new topic (no theme words).
    var openers: [String]
    /// Extra closing questions (no theme words).
    var closers: [String]
    /// "Any news about the message below?" lines of a reminder that quotes the writer's own earlier message.
    var bumpLines: [String]
    /// Lines put before a forwarded copy.
    var forwardLines: [String]
    /// Forward header: `{name}`, `{email}`, `{date}`, `{subject}`.
    var forwardHeader: String
    /// Quote attribution: `{date}`, `{time}`, `{name}`, `{email}`.
    var attribution: String
    var subjectRe: String
    var forwardSubject: String
    var legalFooters: [String]
    /// `{domain}`, `{company}`.
    var unsubscribe: [String]
    var mobileTags: [String]
    /// Web-form page parts.
    var web: WebBoilerplate
    /// Note header lines: `{client}`, `{date}`.
    var noteHeaders: [String]
    var noteKinds: [(file: String, title: String)]
    /// Short date as written in text (`{d}`, `{m}`, `{y}`, `{monthName}` ...).
    var dayFormat: @Sendable (Day) -> String
    var agencyName: String
    var agencyPerson: String
    var agencyAddress: String
}

struct WebBoilerplate: Sendable {
    var loading: String
    var nav: String
    var heading: String
    var fieldLabels: (company: String, name: String, email: String, phone: String, message: String)
    var afterForm: [String]
    var footer: [String]
    var titlePrefix: String
}

extension LanguagePack {
    static func pack(_ lang: CorpusLanguage) -> LanguagePack {
        switch lang {
        case .ru: return russian
        case .fi: return finnish
        case .ja: return japanese
        }
    }
}
