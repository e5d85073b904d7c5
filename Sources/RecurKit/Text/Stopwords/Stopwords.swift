/// Hand-curated stopword, request-cue and courtesy-word lists for Russian, Finnish and Japanese
/// (see README.md beside this file for how they were made).
///
/// All keys are recur matching keys: NFKC case-folded, ё folded to е (`ICUText.NormalizationMode.key`).
/// The three lists of a language are kept apart on purpose:
/// - `list` / `contains`: function words (pronouns, prepositions and postpositions, conjunctions, particles,
///   auxiliaries, pronominal adverbs) **plus** the courtesy words, since neither says what a request is about.
/// - `requestCues`: words that mark a paragraph as asking for something ("нужно", "haluaisimme", "お願い").
///   They are never stopwords, so a later stage can see them.
/// - `courtesyWords`: greetings and sign-offs, also exported alone so a stage can recognise a paragraph that is
///   nothing but a greeting.
///
/// Russian and Japanese lists hold surface forms and dictionary forms (MeCab/IPADIC base forms for Japanese);
/// Finnish lists hold surface forms and Voikko base forms. Russian lists are words, not Snowball stems: look up a
/// Russian word's case-folded surface form, not its stem.
public enum Stopwords {
    /// Whether `key` (an NFKC-casefolded word or lemma, with ё already folded to е) is a stopword in `language`.
    public static func contains(_ key: String, language: Language) -> Bool {
        switch language {
        case .ru: return russian.contains(key)
        case .fi: return finnish.contains(key)
        case .ja: return japanese.contains(key)
        case .other: return false
        }
    }

    /// The stopwords of `language` (function words and courtesy words); empty for `.other`.
    public static func list(_ language: Language) -> Set<String> {
        switch language {
        case .ru: return russian
        case .fi: return finnish
        case .ja: return japanese
        case .other: return []
        }
    }

    /// Words and lemmas that mark a request ("we would like", "could you", "please consider"); never stopwords.
    public static func requestCues(_ language: Language) -> Set<String> {
        switch language {
        case .ru: return russianCues
        case .fi: return finnishCues
        case .ja: return japaneseCues
        case .other: return []
        }
    }

    /// Greeting, thanks and sign-off words (also part of `list`).
    public static func courtesyWords(_ language: Language) -> Set<String> {
        switch language {
        case .ru: return russianCourtesy
        case .fi: return finnishCourtesy
        case .ja: return japaneseCourtesy
        case .other: return []
        }
    }

    // MARK: - Built once

    static let russianCourtesy = keys(StopwordsRussian.courtesy)
    static let finnishCourtesy = keys(StopwordsFinnish.courtesy)
    static let japaneseCourtesy = keys(StopwordsJapanese.courtesy)
    static let russianCues = keys(StopwordsRussian.requestCues)
    static let finnishCues = keys(StopwordsFinnish.requestCues)
    static let japaneseCues = keys(StopwordsJapanese.requestCues)
    static let russian = keys(StopwordsRussian.functionWords).union(russianCourtesy).subtracting(russianCues)
    static let finnish = keys(StopwordsFinnish.functionWords).union(finnishCourtesy).subtracting(finnishCues)
    static let japanese = keys(StopwordsJapanese.functionWords).union(japaneseCourtesy).subtracting(japaneseCues)

    /// Splits a whitespace-separated list and turns each entry into a matching key the way the pipeline does.
    static func keys(_ list: String) -> Set<String> {
        let icu = try? ICUText()
        var out = Set<String>()
        for entry in list.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            let raw = String(entry)
            var key = icu?.normalize(raw, .key) ?? raw.lowercased()
            if icu == nil { key = String(key.map { $0 == "ё" ? "е" : $0 }) }
            if !key.isEmpty { out.insert(key) }
        }
        return out
    }
}

extension Stopwords {
    /// Words too general to name a request on their own: time (week, month, Monday), the exchange
    /// itself (question, client, company, letter) and filler nouns. They may stand inside a theme's
    /// phrase ("отчёт за месяц") but a phrase of nothing but them is never a theme.
    ///
    /// Russian entries are Snowball stems (the keys the analyzer gives Russian words); Finnish
    /// entries are Voikko base forms; Japanese entries are MeCab base forms.
    public static func genericWords(_ language: Language) -> Set<String> {
        switch language {
        case .ru: return russianGeneric
        case .fi: return finnishGeneric
        case .ja: return japaneseGeneric
        case .other: return []
        }
    }

    static let russianGeneric = keys("""
        врем ден дн недел месяц квартал год лет сезон утр вечер обед час минут раз сегодн завтр вчер раньш позж давн недавн редк
        понедельник вторник сред четверг пятниц суббот воскресен выходн
        январ феврал март апрел ма июн июл август сентябр октябр ноябр декабр
        начал конц конец част половин числ дат срок период момент
        вопрос компан клиент коллег имя письм сообщен почт звонок ответ информац дел тем руководств собственник
        образ способ вариант случа пункт момент ситуац результат работ
        """)
    static let finnishGeneric = keys("""
        aika päivä viikko kuukausi kuu vuosi kerta hetki tunti minuutti klo aamu ilta
        maanantai tiistai keskiviikko torstai perjantai lauantai sunnuntai viikonloppu
        tammikuu helmikuu maaliskuu huhtikuu toukokuu kesäkuu heinäkuu elokuu syyskuu lokakuu marraskuu joulukuu
        kevät kesä syksy talvi alku loppu osa puoli
        kysymys asia yritys asiakas apu loma viesti sähköposti puhelu vastaus tieto tapa kohta tilanne työ
        pari muutama
        kesäloma talviloma joululoma lomakausi vuodenvaihde alkuvuosi loppuvuosi
        """)
    static let japaneseGeneric = keys("""
        件 対応 確認 担当 会社 様 方 時 日 月 週 年 今回 次回 今月 来月 先月 今週 来週 以前 先日 本日 明日
        株式会社 有限会社 御社 弊社 貴社
        年内 今期 来期 前期 上期 下期 年度 今年度 来年度 年末 月末 期末 年始 週明け
        幸い 考え 連絡 内容 予定 状況 こと もの ため 場合 お知らせ 送付 返信 メール 電話 資料 ところ 形 点 前 後
        """)
}
