/// Identifies a paragraph's language: ru, fi, ja, or other with its script. Mixed paragraphs get their dominant language.
///
/// How it decides, in one pass over the text's Unicode scalars:
/// - Letters are counted by script with code point ranges (Latin, Cyrillic, kana incl. half-width katakana, Han,
///   and a few common other scripts); ICU is asked only about letters of rarer scripts. Letters of URLs and
///   e-mail addresses are not counted. Kana and Han count double (a Japanese character carries about as much
///   text as two Latin letters), so a Japanese paragraph with a long product name or URL stays Japanese.
/// - Kana + Han dominant → `ja` (script "Jpan"). Han-only text without kana (Chinese) is also `ja` when Han
///   dominates: recur's archives hold no Chinese, and a kanji-only heading is far more likely Japanese.
///   Its confidence is lower.
/// - Cyrillic dominant → `ru`, unless letters specific to Ukrainian, Belarusian, Serbian, Macedonian (і ї є ґ ў
///   ђ ј љ њ ћ џ ѓ ќ ѕ) make up ≥ 2% of the Cyrillic letters, or the text looks Bulgarian (ъ frequent, no ы/э):
///   then `other` with script "Cyrl".
/// - Latin dominant → Finnish or `other`: a linear score of the letter profile (ä/ö share, double vowels,
///   letters rare in Finnish: b c f q w x z, d g weakly, å ü õ ß and accented letters strongly), Finnish
///   function words and case endings against other languages' function words and word-final consonants that
///   Finnish words do not end in, plus, when given, the share of sampled words Voikko accepts.
///   Text of at most two Latin words needs positive Finnish evidence (ä/ö, a Finnish function or courtesy word,
///   a Finnish ending, or Voikko) and nothing foreign.
/// - When Latin dominates but Cyrillic or Japanese letters make up at least a fifth of the (weighted) letters
///   and the Latin part does not look Finnish, the Latin words are taken to be brand names or code inside a
///   Russian or Japanese paragraph: the paragraph gets that language, with lower confidence.
/// - No letters → `other`, "Zyyy", confidence 0.
public struct LanguageIdentifier: Sendable {
    public init() {}

    /// Identifies `text`'s language.
    ///
    /// - Parameter isKnownFinnishWord: optional check against a Finnish morphological analyzer (Voikko), called only
    ///   for Latin-script words (of at least 3 letters) of Latin-dominant paragraphs, at most 12 words per call.
    public func identify(_ text: String, isKnownFinnishWord: ((Substring) -> Bool)? = nil) -> LanguageGuess {
        var counts = ScriptCounts()
        var latin = LatinStats()
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        var wordStart = index
        var inWord = false
        // URL / e-mail suppression: Latin letters of the current whitespace-delimited token.
        var tokenLatin = 0
        var tokenIsAddress = false
        var tokenStart = latin  // Latin word statistics before the current token, restored when it is an address
        var previous: UInt32 = 0x20

        while index < scalars.endIndex {
            let scalar = scalars[index]
            let v = scalar.value
            var latinLetter: UInt32 = 0  // lowercased Latin letter, 0 when not one
            var combining = false

            if v < 0x80 {
                if v >= 0x61 && v <= 0x7A {
                    latinLetter = v
                } else if v >= 0x41 && v <= 0x5A {
                    latinLetter = v + 0x20
                } else if v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D {
                    endToken(&counts, &latin, &tokenStart, &tokenLatin, &tokenIsAddress, inWord: &inWord, wordStart: wordStart, at: index)
                } else if v == 0x40 || (v == 0x2F && previous == 0x2F) {  // '@' or "//"
                    tokenIsAddress = true
                }
            } else if v <= 0x24F {
                if v >= 0xC0 && v != 0xD7 && v != 0xF7 {
                    latinLetter = (v >= 0xC0 && v <= 0xDE) ? v + 0x20 : v
                    if v == 0x160 || v == 0x17D { latinLetter = v + 1 }  // Š Ž
                } else if v == 0xA0 {
                    endToken(&counts, &latin, &tokenStart, &tokenLatin, &tokenIsAddress, inWord: &inWord, wordStart: wordStart, at: index)
                }
            } else if v >= 0x300 && v <= 0x36F {
                combining = true
            } else if v >= 0x400 && v <= 0x52F {
                counts.cyrillic += 1
                if (v >= 0x402 && v <= 0x40F) || (v >= 0x452 && v <= 0x45F && v != 0x45D) || v == 0x490 || v == 0x491 {
                    if v != 0x40D { counts.cyrillicNonRussian += 1 }
                } else if v == 0x44A || v == 0x42A {
                    counts.hardSign += 1
                } else if v == 0x44B || v == 0x42B || v == 0x44D || v == 0x42D {
                    counts.yeruOrE += 1
                }
            } else if v >= 0x3040 && v <= 0x30FF {
                if v != 0x30FB && v != 0x30A0 && v != 0x3040 { counts.kana += 1 }
            } else if (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0xF900 && v <= 0xFAFF)
                        || (v >= 0x20000 && v <= 0x3134F) || v == 0x3005 {
                counts.han += 1
            } else if v >= 0xFF00 && v <= 0xFFEF {
                if v >= 0xFF21 && v <= 0xFF3A {
                    latinLetter = v - 0xFF21 + 0x61
                } else if v >= 0xFF41 && v <= 0xFF5A {
                    latinLetter = v - 0xFF41 + 0x61
                } else if v >= 0xFF66 && v <= 0xFF9D {
                    counts.kana += 1
                }
            } else if v >= 0x1E00 && v <= 0x1EFF {
                latinLetter = v | 1  // foreign either way; case does not matter
            } else if (v >= 0x1C80 && v <= 0x1C8F) || (v >= 0x2DE0 && v <= 0x2DFF) || (v >= 0xA640 && v <= 0xA69F) {
                counts.cyrillic += 1
            } else if v == 0x3000 || v == 0x2028 || v == 0x2029 {
                endToken(&counts, &latin, &tokenStart, &tokenLatin, &tokenIsAddress, inWord: &inWord, wordStart: wordStart, at: index)
            } else if v >= 0x31F0 && v <= 0x31FF {
                counts.kana += 1
            } else {
                counts.addOther(scalar)
            }

            if latinLetter != 0 {
                counts.latin += 1
                tokenLatin += 1
                if !inWord {
                    inWord = true
                    wordStart = index
                }
                latin.addLetter(latinLetter)
            } else if combining {
                if inWord { latin.addCombining(v) }
            } else if inWord {
                inWord = false
                latin.endWord(range: wordStart..<index)
            }
            previous = v
            scalars.formIndex(after: &index)
        }
        endToken(&counts, &latin, &tokenStart, &tokenLatin, &tokenIsAddress, inWord: &inWord, wordStart: wordStart, at: scalars.endIndex)

        return decide(text, counts: counts, latin: &latin, isKnownFinnishWord: isKnownFinnishWord)
    }

    /// At whitespace: ends the word in progress and, when the token was a URL or e-mail address, takes its
    /// letters and words back out of the counts.
    @inline(__always)
    private func endToken(
        _ counts: inout ScriptCounts, _ latin: inout LatinStats, _ tokenStart: inout LatinStats, _ tokenLatin: inout Int,
        _ tokenIsAddress: inout Bool, inWord: inout Bool, wordStart: String.Index, at index: String.Index
    ) {
        if inWord {
            inWord = false
            latin.endWord(range: wordStart..<index)
        }
        if tokenIsAddress {
            counts.latin -= tokenLatin
            latin = tokenStart
        } else if tokenLatin > 0 {
            tokenStart = latin
        }
        tokenLatin = 0
        tokenIsAddress = false
    }

    // MARK: - Decision

    private func decide(
        _ text: String, counts: ScriptCounts, latin: inout LatinStats, isKnownFinnishWord: ((Substring) -> Bool)?
    ) -> LanguageGuess {
        let japanese = 2 * (counts.kana + counts.han)
        let (otherScript, otherCount) = counts.dominantOther()
        let total = counts.latin + counts.cyrillic + japanese + counts.otherTotal
        guard total > 0 else { return LanguageGuess(language: .other, script: "Zyyy", confidence: 0) }
        let t = Double(total)

        if japanese >= counts.latin && japanese >= counts.cyrillic && japanese >= otherCount {
            return japaneseGuess(counts, share: Double(japanese) / t)
        }
        if counts.cyrillic >= counts.latin && counts.cyrillic >= otherCount {
            return cyrillicGuess(counts, share: Double(counts.cyrillic) / t)
        }
        if otherCount > counts.latin {
            return LanguageGuess(language: .other, script: otherScript, confidence: Double(otherCount) / t)
        }

        // Latin dominant.
        let share = Double(counts.latin) / t
        let score = latin.finnishScore(text: text, isKnownFinnishWord: isKnownFinnishWord)
        if score > 0 {
            let p = 0.5 + 0.5 * score / (1 + score)
            return LanguageGuess(language: .fi, script: "Latn", confidence: share * p)
        }
        // Latin words inside a Russian or Japanese paragraph (brands, code, URLs without a scheme).
        if 5 * counts.cyrillic >= total && counts.cyrillic >= japanese {
            return cyrillicGuess(counts, share: Double(counts.cyrillic) / t * 0.8)
        }
        if 5 * japanese >= total {
            return japaneseGuess(counts, share: Double(japanese) / t * 0.8)
        }
        let p = 0.5 - 0.5 * score / (1 - score)
        return LanguageGuess(language: .other, script: "Latn", confidence: share * p)
    }

    private func japaneseGuess(_ counts: ScriptCounts, share: Double) -> LanguageGuess {
        // Han without any kana: Chinese is as likely as Japanese.
        let sureness = counts.kana > 0 ? 1.0 : 0.6
        return LanguageGuess(language: .ja, script: "Jpan", confidence: share * sureness)
    }

    private func cyrillicGuess(_ counts: ScriptCounts, share: Double) -> LanguageGuess {
        let cyr = counts.cyrillic
        if counts.cyrillicNonRussian > 0 && counts.cyrillicNonRussian * 50 >= cyr {
            return LanguageGuess(language: .other, script: "Cyrl", confidence: share)
        }
        if counts.hardSign >= 3 && counts.hardSign * 50 >= cyr && counts.yeruOrE == 0 {  // Bulgarian
            return LanguageGuess(language: .other, script: "Cyrl", confidence: share * 0.8)
        }
        // Short Cyrillic text could be any Cyrillic language; Russian is by far the likeliest here.
        let sureness = cyr >= 12 ? 1.0 : 0.8
        return LanguageGuess(language: .ru, script: "Cyrl", confidence: share * sureness)
    }
}

// MARK: - Script counts

private struct ScriptCounts {
    var latin = 0
    var cyrillic = 0
    var cyrillicNonRussian = 0
    var hardSign = 0
    var yeruOrE = 0
    var kana = 0
    var han = 0
    var otherTotal = 0
    // Common other scripts counted by range; the rest by ICU (rare, so the small array is fine).
    var greek = 0, hangul = 0, arabic = 0, hebrew = 0, thai = 0, devanagari = 0, armenian = 0, georgian = 0
    var rare: [(String, Int)] = []

    mutating func addOther(_ scalar: Unicode.Scalar) {
        let v = scalar.value
        switch v {
        case 0x370...0x3FF, 0x1F00...0x1FFF:
            if v == 0x37E || v == 0x387 || v == 0x375 || v == 0x384 || v == 0x385 { return }
            greek += 1
        case 0xAC00...0xD7A3, 0x1100...0x11FF, 0x3130...0x318F: hangul += 1
        case 0x620...0x64A, 0x66E...0x6D3, 0x6FA...0x6FF, 0x750...0x77F: arabic += 1
        case 0x5D0...0x5EA: hebrew += 1
        case 0xE01...0xE30, 0xE32...0xE33, 0xE40...0xE46: thai += 1
        case 0x904...0x939, 0x93D, 0x950, 0x958...0x961, 0x972...0x97F: devanagari += 1
        case 0x531...0x556, 0x561...0x587: armenian += 1
        case 0x10A0...0x10FF: georgian += 1
        default:
            guard v >= 0x80, scalar.properties.isAlphabetic else { return }
            let code = ICUText.scriptCode(of: scalar)
            if code.isEmpty || code == "Zyyy" || code == "Zinh" || code == "Zzzz" { return }
            if let i = rare.firstIndex(where: { $0.0 == code }) {
                rare[i].1 += 1
            } else {
                rare.append((code, 1))
            }
        }
        otherTotal += 1
    }

    func dominantOther() -> (String, Int) {
        var best = ("Zyyy", 0)
        for candidate in [("Grek", greek), ("Hang", hangul), ("Arab", arabic), ("Hebr", hebrew), ("Thai", thai),
                          ("Deva", devanagari), ("Armn", armenian), ("Geor", georgian)] + rare
        where candidate.1 > best.1 {
            best = candidate
        }
        return best
    }
}

// MARK: - Finnish evidence in Latin text

struct LatinStats {
    var letters = 0
    var words = 0
    var finnishLetters = 0      // ä ö
    var rare = 0                // b c f q w x z
    var weak = 0                // d g š ž
    var foreignLetters = 0      // å ü õ ß, accented and other non-Finnish letters
    var doubleVowels = 0
    var finnishWords = 0        // function and courtesy words
    var foreignWords = 0        // other languages' function words
    var finnishEndings = 0
    var badFinals = 0           // words ending in a consonant Finnish words do not end in
    var implausible = 0         // words that break Finnish phonotactics (see `endWord`)
    var wordForeign = false     // the current word has a letter rare in Finnish or a foreign letter
    /// The current word's letters (single scalars: combining marks are folded in or left out),
    /// in the first `wordLength` elements; the buffer is reused from word to word.
    var word: [UInt32] = []
    var wordLength = 0
    var previousLetter: UInt32 = 0
    /// Ranges of words of at least 3 letters, for the Voikko sample.
    var candidates: [Range<String.Index>] = []

    mutating func addLetter(_ l: UInt32) {
        letters += 1
        switch l {
        case 0xE4, 0xF6: finnishLetters += 1
        case 0x62, 0x63, 0x66, 0x71, 0x77, 0x78, 0x7A:
            rare += 1
            wordForeign = true
        case 0x64, 0x67, 0x161, 0x17E: weak += 1
        case 0x61...0x7A: break
        default:
            foreignLetters += 1
            wordForeign = true
        }
        if l == previousLetter && Self.isVowel(l) { doubleVowels += 1 }
        previousLetter = l
        if wordLength < word.count { word[wordLength] = l } else { word.append(l) }
        wordLength += 1
    }

    /// A combining mark inside a word (text in NFD): a + ̈ is ä, o + ̈ is ö; any other mark is foreign.
    mutating func addCombining(_ v: UInt32) {
        if v == 0x308, wordLength > 0, word[wordLength - 1] == 0x61 || word[wordLength - 1] == 0x6F {
            let umlaut: UInt32 = word[wordLength - 1] == 0x61 ? 0xE4 : 0xF6
            word[wordLength - 1] = umlaut
            finnishLetters += 1
            previousLetter = umlaut
        } else {
            foreignLetters += 1
            wordForeign = true
        }
    }

    static func isVowel(_ l: UInt32) -> Bool {
        switch l {
        case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79, 0xE4, 0xF6: return true
        default: return false
        }
    }

    mutating func endWord(range: Range<String.Index>) {
        defer {
            wordLength = 0
            previousLetter = 0
            wordForeign = false
        }
        let count = wordLength
        guard count > 0 else { return }
        words += 1
        if count >= 3 && candidates.count < 48 { candidates.append(range) }
        word.withUnsafeBufferPointer { buffer in
            let letters = UnsafeBufferPointer(rebasing: buffer[0..<count])
            if let packed = PackedWord(letters) {
                if Self.finnishFunctionWords.contains(packed) {
                    finnishWords += 1
                } else if Self.foreignFunctionWords.contains(packed) {
                    foreignWords += 1
                }
            }
            var plausible = !wordForeign
            if count >= 2 {
                switch letters[count - 1] {
                case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79, 0xE4, 0xF6, 0x6E, 0x74, 0x73, 0x6C, 0x72: break
                default:
                    badFinals += 1
                    plausible = false
                }
            }
            if plausible && count >= 2 && !Self.isPlausibleFinnish(letters) { plausible = false }
            if !plausible && count >= 2 { implausible += 1 }
            if count >= 5, Self.finnishEndingScalars.contains(where: { letters.reversed().starts(with: $0) }) {
                finnishEndings += 1
            }
        }
    }

    /// Finnish phonotactics, loosely: no word-final consonant pair, no "-ga", no ch/sh/th/ph/gh/wh/kh, and no initial
    /// consonant pair other than those of common loanwords (pr tr kr kl pl st sp sk gr br dr fr bl gl sl).
    static func isPlausibleFinnish(_ word: UnsafeBufferPointer<UInt32>) -> Bool {
        var previous: UInt32 = 0
        var position = 0
        var first: UInt32 = 0
        for l in word {
            if l == 0x68 {  // h
                switch previous {
                case 0x63, 0x73, 0x74, 0x70, 0x67, 0x77, 0x6B: return false
                default: break
                }
            }
            if position == 0 { first = l }
            if position == 1 && !isVowel(first) && !isVowel(l) {
                switch (first, l) {
                case (0x70, 0x72), (0x74, 0x72), (0x6B, 0x72), (0x6B, 0x6C), (0x70, 0x6C), (0x73, 0x74), (0x73, 0x70),
                     (0x73, 0x6B), (0x67, 0x72), (0x62, 0x72), (0x64, 0x72), (0x66, 0x72), (0x62, 0x6C), (0x67, 0x6C),
                     (0x73, 0x6C):
                    break
                default: return false
                }
            }
            previous = l
            position += 1
        }
        if position >= 3 {
            // Finnish words end in a vowel or one consonant: no "-st", "-ks", "-lt", "-nd", "-ll"; and not in
            // Estonian's comitative "-ga".
            var it = word.reversed().makeIterator()
            if let a = it.next(), let b = it.next() {
                if !isVowel(a) && !isVowel(b) { return false }
                if a == 0x61 && b == 0x67, let c = it.next(), c != 0x6E { return false }  // "-ga", not "-nga"
            }
        }
        return true
    }

    /// > 0: Finnish. Calls `isKnownFinnishWord` on at most 12 sampled words.
    mutating func finnishScore(text: String, isKnownFinnishWord: ((Substring) -> Bool)?) -> Double {
        guard letters > 0, words > 0 else { return -1 }
        var known = 0, checked = 0
        if let isKnownFinnishWord, !candidates.isEmpty {
            let n = min(12, candidates.count)
            for k in 0..<n {
                let range = candidates[k * candidates.count / n]
                checked += 1
                if isKnownFinnishWord(text[range]) { known += 1 }
            }
        }
        if words <= 2 {
            // Too little text for statistics: Finnish when every word could be Finnish and nothing is foreign.
            // ä/ö outweigh a short word shared with other languages ("et hypänne").
            let foreign = implausible > 0 || (foreignWords > 0 && finnishLetters == 0)
                || (checked > 0 && known * 2 < checked)
            return foreign ? -0.5 : 0.5
        }
        let n = Double(letters), w = Double(words)
        var score = 25 * Double(finnishLetters) / n
            + 12 * Double(doubleVowels) / n
            - 18 * Double(rare) / n
            - 15 * Double(weak) / n
            - 60 * Double(foreignLetters) / n
            + 4 * Double(finnishWords) / w
            + 3 * Double(finnishEndings) / w
            - 5 * Double(foreignWords) / w
            - 3 * Double(badFinals) / w
            + 1.2 * (1 - Double(implausible) / w)
            - 0.6
        if checked >= 2 {
            score += 5 * (Double(known) / Double(checked) - 0.55)
        }
        return score
    }

    static let finnishEndings: [String] = [
        "ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "nen", "isen", "ksi", "ään", "aan",
        "seen", "iin", "mme", "tte", "vat", "vät", "ista", "istä", "ssaan", "ssään", "kin", "kaan", "kään",
        "nsa", "nsä", "sti", "tta", "ttä", "ina", "inä", "ssa", "eita", "eitä", "lla", "uksen", "yksen",
    ]
    /// `finnishEndings` as scalars, last letter first (compared with a word's reversed letters).
    static let finnishEndingScalars: [[UInt32]] = finnishEndings.map { $0.unicodeScalars.reversed().map(\.value) }

    static let finnishFunctionWords: Set<PackedWord> = PackedWord.set([
        "ja", "on", "ei", "se", "että", "mutta", "kun", "tai", "niin", "myös", "jos", "olla", "ole", "ovat", "oli",
        "olivat", "ollut", "olleet", "olisi", "olisivat", "olen", "olet", "olemme", "olette", "en", "emme",
        "ette", "eivät", "eikä", "ettei", "kanssa", "tämä", "tämän", "tätä", "tässä", "tästä", "tähän", "nämä",
        "näiden", "näitä", "joka", "jotka", "jonka", "joita", "jota", "jossa", "josta", "johon", "jolla", "joiden",
        "mitä", "mikä", "miten", "miksi", "missä", "mistä", "mihin", "milloin", "kuka", "kuin", "vain", "jo",
        "vielä", "nyt", "sitten", "siis", "sen", "sitä", "siitä", "siihen", "siinä", "sekä", "eli", "koska",
        "vaan", "hän", "he", "me", "te", "minä", "sinä", "mä", "sä", "meidän", "teidän", "heidän", "hänen",
        "minun", "sinun", "meille", "teille", "heille", "hänelle", "minulle", "meitä", "teitä", "heitä", "ne",
        "niiden", "niitä", "näin", "noin", "kaikki", "kaikkia", "kaiken", "paljon", "enemmän", "aina", "jopa",
        "vaikka", "kuitenkin", "ennen", "jälkeen", "aikana", "yli", "alle", "kautta", "mukaan", "välillä",
        "voi", "voidaan", "voisi", "pitää", "täytyy", "hyvin", "erittäin", "kyllä", "joten", "sillä", "myöskin",
        "mukana", "ilman", "kohti", "vastaan", "luona", "takia", "vuoksi", "ainoa", "eri", "muut", "muiden",
        "muita", "jokin", "jotain", "jotakin", "mitään", "mikään", "kukaan", "ehkä", "jälleen", "taas", "tosin",
        "lisäksi", "esimerkiksi", "usein", "koko", "juuri", "melko", "aivan", "heti", "tänään", "hei", "moi",
        "kiitos", "terveisin", "ystävällisin", "hyvä", "hyvää", "päivää", "huomenta", "iltaa",
    ])

    static let foreignFunctionWords: Set<PackedWord> = PackedWord.set([
        // English
        "the", "and", "of", "to", "is", "in", "that", "it", "for", "was", "with", "as", "are", "be", "this",
        "have", "from", "by", "not", "but", "at", "we", "you", "they", "she", "his", "her", "our", "your",
        "their", "will", "would", "can", "could", "an", "or", "if", "which", "what", "there", "has", "been",
        "were", "all", "do", "does", "my", "so", "just", "about", "when", "how", "more", "one", "some", "out",
        "up", "into", "than", "then", "also", "only", "these", "those", "who", "i", "please", "thank", "thanks",
        "should", "may", "its", "us", "them", "any", "very", "here", "had",
        // German
        "der", "die", "das", "und", "ist", "nicht", "ich", "sie", "es", "ein", "eine", "einen", "dem", "den",
        "des", "mit", "von", "zu", "auf", "für", "im", "auch", "sich", "wir", "wird", "werden", "sind", "war",
        "dass", "aber", "oder", "wenn", "nach", "bei", "aus", "wie", "noch", "nur", "um", "kann", "haben", "hat",
        "können", "uns", "ihr", "ihre", "sehr", "bitte", "danke", "diese", "dieser", "einer", "zum", "zur",
        // Swedish, Norwegian, Danish
        "och", "att", "det", "som", "är", "på", "för", "med", "av", "till", "inte", "jag", "har", "om", "vi",
        "ett", "var", "så", "men", "eller", "hur", "vad", "från", "skulle", "också", "vill", "sig", "hon", "han",
        "efter", "när", "ikke", "og", "er", "af", "vara", "kan", "oss", "vår", "våra", "tack", "hej",
        // Estonian
        "ka", "see", "kui", "ning", "mis", "aga", "või", "ta", "tema", "nad", "meie", "teie", "mida", "seda",
        "selle", "kes", "juba", "veel", "kõik", "pole", "mitte", "ainult", "siin", "seal", "olen", "oled",
        "oleme", "olete", "ma", "sa", "mul", "sul", "tal", "neid", "palju", "väga", "võib", "saab", "kuid",
        "nagu", "sest", "kuidas", "miks", "nii", "meil", "teil", "neil", "oma", "kas", "ei", "üks", "ühe",
        // Spanish, Portuguese, Italian, French, Dutch
        "el", "la", "los", "las", "de", "que", "y", "un", "una", "es", "por", "con", "para", "del", "al", "lo",
        "su", "sus", "como", "más", "pero", "este", "esta", "muy", "sí", "también", "hay", "ya", "son", "está",
        "le", "les", "et", "est", "une", "des", "du", "dans", "pour", "pas", "qui", "sur", "avec", "au", "ce",
        "il", "elle", "nous", "vous", "sont", "di", "che", "è", "per", "non", "della", "sono", "gli", "het",
        "een", "van", "zijn", "niet", "wij", "ook", "maar", "voor", "dat", "o", "a", "os", "as", "em", "não",
        "uma", "da", "do", "dos", "das",
    ])
}

/// A word of at most 16 letters, each below U+0100 (ASCII and Latin-1: ä ö å õ ü ß é ...), packed
/// one byte a letter into two words: a function-word lookup without making a String.
struct PackedWord: Hashable, Sendable {
    let low: UInt64
    let high: UInt64

    /// Nil when the word is longer than 16 letters or has a letter above U+00FF (no function word is).
    init?(_ letters: UnsafeBufferPointer<UInt32>) {
        guard letters.count <= 16 else { return nil }
        var low: UInt64 = 0, high: UInt64 = 0
        for (i, l) in letters.enumerated() {
            guard l > 0, l <= 0xFF else { return nil }
            if i < 8 { low |= UInt64(l) << (8 * i) } else { high |= UInt64(l) << (8 * (i - 8)) }
        }
        self.low = low
        self.high = high
    }

    /// The packed forms of `words` (each must fit: checked when the set is built).
    static func set(_ words: [String]) -> Set<PackedWord> {
        Set(words.map { word in
            let letters = word.unicodeScalars.map(\.value)
            guard let packed = letters.withUnsafeBufferPointer({ PackedWord($0) }) else {
                preconditionFailure("function word '\(word)' does not fit a PackedWord")
            }
            return packed
        })
    }
}
