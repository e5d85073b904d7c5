/// Restores the stem of Russian nouns whose genitive plural has a fleeting vowel.
///
/// Snowball leaves "заявок", "площадок", "ошибок" whole, while "заявки", "площадки", "ошибки" stem
/// to "заявк", "площадк", "ошибк": one request counted as two. When Snowball stripped nothing and
/// the word ends in a consonant followed by "ок" or "ек", the vowel is dropped ("заявок" → "заявк");
/// after a vowel, "ек" is "й" + "к" ("настроек" → "настройк", like "настройки" → "настройк").
/// Nouns whose "о"/"е" is not fleeting ("человек", "поток", "урок") are listed as exceptions.
enum RussianFleetingVowel {
    /// Words of at least this many letters are considered: shorter ones are mostly roots ("срок", "бок").
    static let minimumLetters = 5

    private static let vowels: Set<Character> = ["а", "е", "и", "о", "у", "ы", "э", "ю", "я"]

    /// Nouns ending in consonant + "ок"/"ек" whose vowel stays in every form.
    private static let exceptions: Set<String> = [
        "человек", "восток", "поток", "приток", "исток", "отток", "урок", "порок", "пророк", "упрек", "намек",
        "бросок", "рывок", "скачок", "знаток", "игрок", "каток", "виток", "брелок", "станок",
    ]

    /// The stem to use for `word` (lower-cased, ё folded) given Snowball's `stem`.
    static func adjust(stem: String, word: String) -> String {
        guard stem == word, word.count >= minimumLetters, !exceptions.contains(word) else { return stem }
        let chars = Array(word)
        let n = chars.count
        guard chars[n - 1] == "к", chars[n - 2] == "о" || chars[n - 2] == "е" else { return stem }
        let before = chars[n - 3]
        if vowels.contains(before) {
            // "настроек" → "настройк", "копеек" → "копейк".
            return chars[n - 2] == "е" ? String(chars[..<(n - 2)]) + "йк" : stem
        }
        guard before != "ь", before != "й" else { return stem }
        return String(chars[..<(n - 2)]) + "к"
    }
}
