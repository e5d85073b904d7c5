import RecurKit

/// Russian terms made the way the pipeline makes them (Snowball stems, stopwords by surface), for tests that run
/// before or without `TextAnalyzer`.
final class RussianTerms {
    let stemmer: SnowballStemmer

    init() throws { stemmer = try SnowballStemmer(algorithm: "russian") }

    func terms(_ text: String) -> [Term] {
        var out: [Term] = []
        var sentence = 0
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            let folded = String(word.lowercased().map { $0 == "ё" ? "е" : $0 })
            let isNumber = folded.allSatisfy(\.isNumber)
            let stop = Stopwords.contains(folded, language: .ru)
            out.append(Term(key: isNumber ? folded : stemmer.stem(folded), surface: word,
                            wordClass: isNumber ? .numeral : (stop ? .function : .noun),
                            isStopword: stop, sentence: sentence))
            word = ""
        }
        for ch in text {
            if ch.isLetter || ch.isNumber {
                word.append(ch)
            } else {
                flush()
                if ch == "." || ch == "!" || ch == "?" { sentence += 1 }
            }
        }
        flush()
        // Renumber sentences densely from 0.
        var seen: [Int: Int] = [:]
        for i in out.indices {
            let s = out[i].sentence
            if seen[s] == nil { seen[s] = seen.count }
            out[i].sentence = seen[s]!
        }
        return out
    }

    func paragraph(doc: String, source: String, date: DocumentDate?, _ text: String, paragraph: Int = 1) -> ThemeParagraph {
        ThemeParagraph(doc: doc, paragraph: paragraph, source: source, date: date, lang: .ru, text: text, terms: terms(text))
    }
}

func day(_ y: Int, _ m: Int, _ d: Int) -> DocumentDate { DocumentDate(year: y, month: m, day: d) }

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
