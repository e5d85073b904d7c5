/// A word class for Russian words from their endings alone, for the analyzer that has no
/// Russian dictionary (Snowball only stems).
///
/// Only confident patterns are classified; the rest stays `.other` and counts as noun-like:
/// - verbs: infinitives (`-ть`, `-ти`, `-чь`, reflexive `-ться`, `-тись`), imperatives
///   (`-ите`), second person (`-ешь`, `-ишь`), third person plural (`-ют`, `-ят`), reflexive
///   past (`-ался`, `-ились`, …); non-reflexive past and `-ете`/`-йте` are left out because too
///   many nouns end that way (недели, канала, сайте);
/// - adjectives and participles: the long endings (`-ый`, `-ая`, `-ого`, `-ыми`, …) on words of
///   at least five letters.
enum RussianWordClass {
    private static let verbEndings = ["ться", "тись", "ть", "ти", "чь", "ите", "ешь", "ишь", "ют", "ят"]
    private static let pastEndings = ["алось", "илось", "ался", "ился", "ались", "ились"]
    private static let adjectiveEndings = ["ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его", "ому", "ему", "ыми", "ими", "ых", "их", "ую", "юю"]
    /// Frequent nouns and pronoun-like words the endings would misclassify.
    private static let exceptions: Set<String> = [
        "путь", "мать", "дочь", "ночь", "помощь", "мощь", "часть", "власть", "новость", "область", "сеть", "роль",
        "почта", "сети", "части", "новости", "области", "ссылки", "статьи", "кампании", "компании", "стоимость",
        "ответ", "ответы", "отчёт", "отчет", "счёт", "счет", "совет", "бюджет", "проект", "контекст", "клиент",
        "доступ", "запуск", "сайт", "канал", "материал", "материалы", "сигнал", "портал", "журнал", "финал", "анализ",
        "другой", "какой", "такой", "который", "каждый", "любой", "самый", "весь", "свой", "мой", "твой", "наш",
        "ваш", "чей", "память", "рабочий", "город", "год", "день", "ли", "или", "сами", "были", "лишь",
    ]

    /// The guessed class of a lower-cased, ё-folded Russian word.
    static func guess(_ word: String) -> WordClass {
        if exceptions.contains(word) { return .other }
        let letters = word.count
        if letters >= 4, verbEndings.contains(where: { word.hasSuffix($0) }) {
            let nounLike = ["ость", "ости", "есть", "ность", "сети", "знать"].contains(where: { word.hasSuffix($0) })
            return nounLike ? .other : .verb
        }
        if letters >= 5, pastEndings.contains(where: { word.hasSuffix($0) }) { return .verb }
        if letters >= 5, adjectiveEndings.contains(where: { word.hasSuffix($0) }) { return .adjective }
        return .other
    }
}
