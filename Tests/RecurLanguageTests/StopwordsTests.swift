import RecurKit
import Testing

@Suite("Stopwords")
struct StopwordsTests {
    static let languages: [Language] = [.ru, .fi, .ja]

    @Test(arguments: languages)
    func listsHaveTheirSize(_ language: Language) {
        let minimum = [Language.ru: 330, .fi: 240, .ja: 190][language]!
        #expect(Stopwords.list(language).count >= minimum, "\(language): \(Stopwords.list(language).count)")
        #expect(Stopwords.requestCues(language).count >= 10)
        #expect(Stopwords.courtesyWords(language).count >= 10)
    }

    @Test(arguments: languages)
    func requestCuesAreNeverStopwords(_ language: Language) {
        let overlap = Stopwords.list(language).intersection(Stopwords.requestCues(language))
        #expect(overlap.isEmpty, "\(overlap)")
        for cue in Stopwords.requestCues(language) { #expect(!Stopwords.contains(cue, language: language)) }
    }

    @Test(arguments: languages)
    func courtesyWordsAreStopwords(_ language: Language) {
        #expect(Stopwords.courtesyWords(language).isSubset(of: Stopwords.list(language)))
    }

    @Test(arguments: languages)
    func keysAreFolded(_ language: Language) {
        for key in Stopwords.list(language).union(Stopwords.requestCues(language)) {
            #expect(key == key.lowercased(), "\(key)")
            #expect(!key.contains("ё"), "\(key)")
            #expect(!key.contains(" "), "\(key)")
        }
    }

    @Test func knownEntries() {
        for word in ["и", "в", "не", "что", "все", "ее", "был", "быть", "которые", "здравствуйте", "уважением", "свой"] {
            #expect(Stopwords.contains(word, language: .ru), "\(word)")
        }
        for word in ["нужно", "нужен", "хотим", "подскажите", "можно", "интересует"] {
            #expect(!Stopwords.contains(word, language: .ru), "\(word)")
            #expect(Stopwords.requestCues(.ru).contains(word), "\(word)")
        }
        for word in ["клиент", "сайт", "отчет", "реклама"] { #expect(!Stopwords.contains(word, language: .ru)) }

        for word in ["ja", "on", "olla", "se", "tämä", "joka", "minä", "myös", "että", "kanssa", "terveisin", "kiitos"] {
            #expect(Stopwords.contains(word, language: .fi), "\(word)")
        }
        for word in ["haluaisimme", "tarvitsemme", "voisitteko", "kiinnostaa"] {
            #expect(!Stopwords.contains(word, language: .fi))
            #expect(Stopwords.requestCues(.fi).contains(word))
        }
        for word in ["asiakas", "verkkosivu", "raportti"] { #expect(!Stopwords.contains(word, language: .fi)) }

        for word in ["は", "が", "を", "です", "ます", "する", "こと", "これ", "。", "よろしく", "ござる"] {
            #expect(Stopwords.contains(word, language: .ja), "\(word)")
        }
        for word in ["お願い", "したい", "検討", "ください"] {
            #expect(!Stopwords.contains(word, language: .ja))
            #expect(Stopwords.requestCues(.ja).contains(word))
        }
        for word in ["顧客", "広告", "サイト"] { #expect(!Stopwords.contains(word, language: .ja)) }

        #expect(Stopwords.list(.other).isEmpty)
        #expect(!Stopwords.contains("the", language: .other))
    }
}
