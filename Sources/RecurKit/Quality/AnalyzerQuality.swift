/// Quality of the language analyzers against Universal Dependencies gold annotation.
public enum AnalyzerQuality {
    /// One measured figure.
    public struct Figure: Sendable, Hashable {
        public var name: String
        public var measuredOn: String
        public var value: Double
        public var bar: Double?
        public var count: Int

        public var meetsBar: Bool { bar.map { value >= $0 } ?? true }
    }

    /// Japanese word segmentation F1 of MeCab against the gold tokens of a CoNLL-U file.
    ///
    /// Tokens are compared as character spans of the sentence with spaces removed.
    public static func japaneseSegmentationF1(_ sentences: [CoNLLUSentence], analyzer: TextAnalyzer) -> (f1: Double, precision: Double, recall: Double) {
        var goldTotal = 0, predictedTotal = 0, matched = 0
        for sentence in sentences {
            let gold = spans(sentence.tokens.map(\.form))
            let text = sentence.tokens.map(\.form).joined()
            let predicted = spans(analyzer.japaneseSegments(text))
            goldTotal += gold.count
            predictedTotal += predicted.count
            matched += gold.intersection(predicted).count
        }
        let precision = predictedTotal == 0 ? 0 : Double(matched) / Double(predictedTotal)
        let recall = goldTotal == 0 ? 0 : Double(matched) / Double(goldTotal)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return (f1, precision, recall)
    }

    private struct Span: Hashable { var start: Int; var end: Int }

    private static func spans(_ tokens: [String]) -> Set<Span> {
        var out = Set<Span>()
        var position = 0
        for token in tokens {
            let length = token.unicodeScalars.filter { !$0.properties.isWhitespace }.count
            if length == 0 { continue }
            out.insert(Span(start: position, end: position + length))
            position += length
        }
        return out
    }

    /// Share of Finnish words whose key equals the key of their gold lemma (compound marks `#` removed).
    ///
    /// Punctuation, numbers and symbols are left out, as is every word whose gold lemma is `_`.
    public static func finnishLemmaAccuracy(_ sentences: [CoNLLUSentence], analyzer: TextAnalyzer) -> (accuracy: Double, count: Int) {
        var total = 0, correct = 0
        for sentence in sentences {
            for token in sentence.tokens where countsForLemmas(token) {
                let gold = analyzer.key(token.lemma.replacingOccurrences(of: "#", with: "").replacingOccurrences(of: "|", with: ""))
                let predicted = analyzer.terms(token.form, language: .fi).first?.key ?? ""
                total += 1
                if predicted == gold { correct += 1 }
            }
        }
        return (total == 0 ? 0 : Double(correct) / Double(total), total)
    }

    /// Share of Russian words whose stem key equals the stem key of their gold lemma.
    public static func russianStemAgreement(_ sentences: [CoNLLUSentence], analyzer: TextAnalyzer) -> (accuracy: Double, count: Int) {
        var total = 0, correct = 0
        for sentence in sentences {
            for token in sentence.tokens where countsForLemmas(token) {
                let predicted = analyzer.terms(token.form, language: .ru).first?.key ?? ""
                let gold = analyzer.terms(token.lemma, language: .ru).first?.key ?? ""
                total += 1
                if predicted == gold { correct += 1 }
            }
        }
        return (total == 0 ? 0 : Double(correct) / Double(total), total)
    }

    private static func countsForLemmas(_ token: CoNLLUToken) -> Bool {
        !["PUNCT", "NUM", "SYM", "X"].contains(token.upos) && token.lemma != "_" && !token.form.isEmpty
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
