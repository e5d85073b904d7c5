import Foundation

/// Words an analyst declares to mean the same request ("окупаемость | ROMI", "CRM | Salesforce |
/// 顧客管理システム"), counted as one word by theme extraction.
///
/// The file has one group per line, variants separated by `|`; `#` starts a comment. A variant may
/// be several words ("сквозная аналитика"). Every variant is analyzed like archive text, in each
/// language, so that all its inflected forms match; each is replaced by the group's first variant.
public struct SynonymTable: Sendable, Hashable {
    /// Per language: a variant's key sequence → the key of the group's first variant.
    private var rules: [Language: [[String]: String]] = [:]
    private var longest: [Language: Int] = [:]
    /// Per language: the first keys of the variants, to pass over most terms with one lookup.
    private var firstKeys: [Language: Set<String>] = [:]
    /// The groups as read.
    public private(set) var groups: [[String]] = []

    /// No synonyms.
    public init() {}

    /// A table from `groups` of variants, whose key sequence in a language `keysOf` gives.
    ///
    /// - Parameters:
    ///   - groups: variants, the first of each group being the one the others stand for.
    ///   - keysOf: the term keys of a variant in a language (empty when it has none).
    public init(groups: [[String]], keysOf: (String, Language) -> [String]) {
        self.groups = groups
        for lang in Language.allCases where lang != .other {
            var table: [[String]: String] = [:]
            for group in groups {
                guard let canonical = group.map({ keysOf($0, lang) }).first(where: { !$0.isEmpty }) else { continue }
                let target = canonical.joined(separator: " ")
                for variant in group {
                    let keys = keysOf(variant, lang)
                    // The first group naming a variant wins; a variant that is already the target changes nothing.
                    guard !keys.isEmpty, keys != [target], table[keys] == nil else { continue }
                    table[keys] = target
                }
            }
            rules[lang] = table
            longest[lang] = table.keys.map(\.count).max() ?? 0
            firstKeys[lang] = Set(table.keys.compactMap(\.first))
        }
    }

    /// A table whose variants `analyzer` turns into keys, like archive text.
    public init(groups: [[String]], analyzer: TextAnalyzer) {
        self.init(groups: groups) { variant, lang in analyzer.terms(variant, language: lang).map(\.key) }
    }

    /// Reads a synonym file's groups.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - path: the file, for messages.
    /// - Throws: `RecurError(.usage)` naming the file and line of a group with fewer than two variants.
    public static func parse(_ text: String, path: String) throws -> [[String]] {
        var groups: [[String]] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let variants = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            if variants.isEmpty { continue }
            guard variants.count >= 2 else {
                throw RecurError(.usage, "a synonym group needs at least two variants separated by '|': \(line.trimmingCharacters(in: .whitespaces))", path: path, line: number + 1)
            }
            groups.append(variants)
        }
        return groups
    }

    /// Whether the table has no rule.
    public var isEmpty: Bool { groups.isEmpty }

    /// `terms` with every variant replaced by one term carrying its group's key.
    ///
    /// - Parameters:
    ///   - terms: a paragraph's terms in order.
    ///   - language: the paragraph's language.
    public func apply(_ terms: [Term], language: Language) -> [Term] {
        guard let table = rules[language], !table.isEmpty, let maxLength = longest[language], let starts = firstKeys[language],
              terms.contains(where: { starts.contains($0.key) }) else { return terms }
        var out: [Term] = []
        out.reserveCapacity(terms.count)
        var i = 0
        while i < terms.count {
            guard starts.contains(terms[i].key) else {
                out.append(terms[i])
                i += 1
                continue
            }
            var matched = false
            var length = min(maxLength, terms.count - i)
            while length >= 1 && !matched {
                let span = terms[i..<(i + length)]
                if span.allSatisfy({ $0.sentence == terms[i].sentence }), let target = table[span.map(\.key)] {
                    let separator = language == .ja ? "" : " "
                    out.append(Term(key: target, surface: span.map(\.surface).joined(separator: separator),
                                    wordClass: length == 1 ? terms[i].wordClass : .noun, isStopword: false, sentence: terms[i].sentence))
                    i += length
                    matched = true
                }
                length -= 1
            }
            if !matched {
                out.append(terms[i])
                i += 1
            }
        }
        return out
    }
}
