import Foundation

/// One word line of a CoNLL-U sentence.
public struct CoNLLUToken: Sendable, Hashable {
    public var id: Int
    public var form: String
    public var lemma: String
    public var upos: String

    public init(id: Int, form: String, lemma: String, upos: String) {
        self.id = id
        self.form = form
        self.lemma = lemma
        self.upos = upos
    }
}

/// One sentence of a CoNLL-U file.
public struct CoNLLUSentence: Sendable, Hashable {
    public var sentID: String?
    public var text: String
    public var tokens: [CoNLLUToken]

    public init(sentID: String?, text: String, tokens: [CoNLLUToken]) {
        self.sentID = sentID
        self.text = text
        self.tokens = tokens
    }
}

/// A reader of the CoNLL-U format of Universal Dependencies treebanks.
public enum CoNLLU {
    /// Parses CoNLL-U: `# sent_id`, `# text` comments, word lines (10 tab-separated columns); multiword-token range
    /// lines (1-2) and empty nodes (1.1) are skipped (their words are the following lines). When `# text` is missing,
    /// text = forms joined with spaces honouring SpaceAfter=No in MISC. Lines with fewer than 4 columns are ignored.
    public static func parse(_ content: String) -> [CoNLLUSentence] {
        var sentences: [CoNLLUSentence] = []
        var sentID: String?
        var text: String?
        var tokens: [CoNLLUToken] = []
        var builtText = ""
        var started = false

        func flush() {
            if started && (!tokens.isEmpty || text != nil) {
                sentences.append(CoNLLUSentence(sentID: sentID, text: text ?? builtText, tokens: tokens))
            }
            sentID = nil
            text = nil
            tokens = []
            builtText = ""
            started = false
        }

        content.enumerateLinesFast { rawLine in
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                flush()
                return
            }
            started = true
            if line.hasPrefix("#") {
                let comment = line.dropFirst().drop(while: { $0 == " " })
                if let value = value(of: "sent_id", in: comment) {
                    sentID = value
                } else if let value = value(of: "text", in: comment) {
                    text = value
                }
                return
            }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 4, let id = Int(columns[0]) else { return }  // skips "1-2" and "1.1"
            let form = String(columns[1])
            tokens.append(CoNLLUToken(id: id, form: form, lemma: String(columns[2]), upos: String(columns[3])))
            builtText += form
            let misc = columns.count >= 10 ? columns[9] : ""
            if !misc.split(separator: "|").contains("SpaceAfter=No") { builtText += " " }
        }
        flush()
        // Built texts end with the space after their last word.
        return sentences.map { sentence in
            var sentence = sentence
            while sentence.text.hasSuffix(" ") { sentence.text.removeLast() }
            return sentence
        }
    }

    /// Reads and parses a CoNLL-U file.
    ///
    /// - Throws: `RecurError(.unreadable)` when the file cannot be read as UTF-8.
    public static func read(path: String) throws -> [CoNLLUSentence] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RecurError(.unreadable, "cannot read CoNLL-U file \(path)")
        }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// `key = value` of a comment, or nil when the comment is about another key.
    private static func value(of key: String, in comment: Substring) -> String? {
        guard comment.hasPrefix(key) else { return nil }
        let rest = comment.dropFirst(key.count).drop(while: { $0 == " " })
        guard rest.first == "=" else { return nil }
        return String(rest.dropFirst().drop(while: { $0 == " " }))
    }
}

extension String {
    /// Calls `body` with every line, split on U+000A scalars (a CR before it is left to the caller;
    /// "\r\n" is one Character, so splitting Characters would miss it).
    fileprivate func enumerateLinesFast(_ body: (Substring) -> Void) {
        for line in unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            body(Substring(line))
        }
    }
}
