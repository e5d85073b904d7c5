import Foundation

/// Language identification accuracy on the Universal Dependencies dev treebanks and on Latin-script
/// sentences in languages other than Finnish.
public struct LanguageIDQuality: Sendable {
    public struct Row: Sendable {
        public var expected: Language
        public var corpus: String
        public var total: Int
        public var correct: Int
        public var accuracy: Double
        /// Sentences of fewer than 3 words among `total` (included in the counts), and how many of them were right.
        public var short: Int
        public var shortCorrect: Int
        /// Up to 20 misidentified texts, each as "guess: text".
        public var misses: [String]

        public init(expected: Language, corpus: String, total: Int, correct: Int, short: Int = 0, shortCorrect: Int = 0,
                    misses: [String] = []) {
            self.expected = expected
            self.corpus = corpus
            self.total = total
            self.correct = correct
            self.accuracy = total == 0 ? 0 : Double(correct) / Double(total)
            self.short = short
            self.shortCorrect = shortCorrect
            self.misses = misses
        }
    }

    /// The treebanks `measure` looks for, with the language their sentences are in.
    public static let treebanks: [(file: String, language: Language)] = [
        ("ru_gsd-ud-dev.conllu", .ru),
        ("fi_tdt-ud-dev.conllu", .fi),
        ("ja_gsd-ud-dev.conllu", .ja),
    ]

    /// Identifies every sentence of the ru/fi/ja dev treebanks found in `udDirectory` (each sentence's text, all
    /// sentences including those of fewer than 3 words, which are also counted apart in `short`) and returns
    /// per-language accuracy, then one row (expected `.other`, corpus "latin-non-finnish samples") for
    /// `latinNonFinnishSamples`. Treebanks that are absent are left out.
    public static func measure(
        udDirectory: String, identifier: LanguageIdentifier, isKnownFinnishWord: ((Substring) -> Bool)?
    ) throws -> [Row] {
        var rows: [Row] = []
        for (file, language) in treebanks {
            let path = udDirectory + "/" + file
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let sentences = try CoNLLU.read(path: path)
            var total = 0, correct = 0, short = 0, shortCorrect = 0
            var misses: [String] = []
            for sentence in sentences {
                let guess = identifier.identify(sentence.text, isKnownFinnishWord: isKnownFinnishWord)
                let right = guess.language == language
                let isShort = sentence.tokens.filter { $0.upos != "PUNCT" }.count < 3
                total += 1
                if right { correct += 1 }
                if isShort {
                    short += 1
                    if right { shortCorrect += 1 }
                }
                if !right && misses.count < 200 { misses.append("\(guess.language.rawValue): \(sentence.text)") }
            }
            let corpus = file.replacingOccurrences(of: ".conllu", with: "")
            rows.append(Row(expected: language, corpus: corpus, total: total, correct: correct, short: short,
                            shortCorrect: shortCorrect, misses: misses))
        }
        var correct = 0
        var misses: [String] = []
        for sample in latinNonFinnishSamples {
            let guess = identifier.identify(sample, isKnownFinnishWord: isKnownFinnishWord)
            if guess.language == .other { correct += 1 } else { misses.append("\(guess.language.rawValue): \(sample)") }
        }
        rows.append(Row(expected: .other, corpus: "latin-non-finnish samples", total: latinNonFinnishSamples.count,
                        correct: correct, misses: misses))
        return rows
    }

    /// Latin-script sentences in English, German, Swedish, Estonian and Spanish (written for recur), none Finnish:
    /// the identifier should call every one of them `other`.
    public static let latinNonFinnishSamples: [String] = [
        // English
        "We would like to know whether your agency can also handle our social media channels next year.",
        "Thank you for the quick reply, the proposal looks good and we will discuss it with the board on Monday.",
        "Could you please send us the updated price list and the terms of delivery for the Helsinki office?",
        "The client asked again for a monthly report with all the numbers in one place.",
        "Our website needs a new landing page before the summer campaign starts.",
        "Please find attached the invoice for March, payable within fourteen days.",
        "I am not sure the budget allows a second video this quarter, but let us talk about it.",
        "Best regards from the whole team, and see you at the fair in Tampere!",
        // German
        "Wir möchten gerne wissen, ob Ihre Agentur auch die Betreuung unserer Kanäle übernehmen kann.",
        "Vielen Dank für Ihr Angebot, wir werden es nächste Woche im Team besprechen.",
        "Können Sie uns bitte die aktuelle Preisliste und die Lieferbedingungen zusenden?",
        "Der Kunde hat schon wieder nach einem monatlichen Bericht mit allen Zahlen gefragt.",
        "Unsere Webseite braucht vor dem Sommer eine neue Startseite für die Kampagne.",
        "Die Rechnung für März finden Sie im Anhang, zahlbar innerhalb von vierzehn Tagen.",
        "Ich bin mir nicht sicher, ob das Budget ein zweites Video in diesem Quartal erlaubt.",
        "Mit freundlichen Grüßen aus Berlin und bis bald auf der Messe in Tampere.",
        // Swedish
        "Vi skulle vilja veta om er byrå också kan ta hand om våra sociala medier nästa år.",
        "Tack för det snabba svaret, förslaget ser bra ut och vi diskuterar det med styrelsen på måndag.",
        "Kan ni skicka oss den uppdaterade prislistan och leveransvillkoren för kontoret i Helsingfors?",
        "Kunden frågade igen efter en månadsrapport med alla siffror på ett ställe.",
        "Vår webbplats behöver en ny startsida innan sommarkampanjen börjar.",
        "Bifogat finns fakturan för mars, att betalas inom fjorton dagar.",
        "Jag är inte säker på att budgeten räcker till en andra video det här kvartalet.",
        "Med vänliga hälsningar från hela teamet, vi ses på mässan i Åbo!",
        // Estonian
        "Me sooviksime teada, kas teie agentuur saab järgmisel aastal ka meie sotsiaalmeedia kanaleid hallata.",
        "Aitäh kiire vastuse eest, pakkumine tundub hea ja arutame seda esmaspäeval juhatusega.",
        "Kas te saaksite meile saata uuendatud hinnakirja ja tarnetingimused Tallinna kontori jaoks?",
        "Klient küsis jälle igakuist aruannet, kus kõik numbrid oleksid ühes kohas.",
        "Meie veebileht vajab enne suvekampaaniat uut avalehte.",
        "Manuses on märtsi arve, mis tuleb tasuda neljateistkümne päeva jooksul.",
        "Ma ei ole kindel, et eelarve lubab selles kvartalis teist videot teha.",
        "Parimate soovidega kogu meeskonnalt ja kohtumiseni messil!",
        // Spanish
        "Nos gustaría saber si su agencia también puede encargarse de nuestras redes sociales el próximo año.",
        "Gracias por la rápida respuesta, la propuesta nos parece bien y la hablaremos con la dirección el lunes.",
        "¿Podrían enviarnos la lista de precios actualizada y las condiciones de entrega para la oficina?",
        "El cliente volvió a pedir un informe mensual con todas las cifras en un solo lugar.",
        "Nuestra página web necesita una nueva portada antes de que empiece la campaña de verano.",
        "Adjuntamos la factura de marzo, que debe pagarse en un plazo de catorce días.",
        "No estoy seguro de que el presupuesto permita un segundo vídeo este trimestre.",
        "Un cordial saludo de todo el equipo y nos vemos en la feria de Tampere.",
    ]
}
