/// How a client's mail client writes a message body.
enum TransferEncoding: String, Sendable {
    case quotedPrintable = "quoted-printable"
    case base64
    case eightBit = "8bit"
    case sevenBit = "7bit"
}

/// The channels a document can arrive by.
enum Channel: Int, Sendable, CaseIterable {
    case email, form, textNote, markdownNote, ticket
}

struct Person: Sendable {
    var first: String
    var last: String
    var full: String  // as written in the language's order
    var email: String  // local part
}

/// One client of the agency: one source in recur's sense (its id is its e-mail domain everywhere).
struct Client: Sendable {
    var index: Int
    var id: String  // e-mail domain, lowercased; also the folder name and the front-matter source
    var lang: CorpusLanguage
    var company: String  // legal name as written
    var short: String  // everyday name
    var slug: String  // first label of the domain, for file names
    var person: Person
    var colleague: String
    var title: String
    var phone: String
    // Writing habits.
    var greeting: String
    var signoff: String
    var signature: String?
    var legalFooter: String?
    var unsubscribe: String?
    var mobileTag: String?
    var mobileShare: Double
    var charset: String
    var transfer: TransferEncoding
    var htmlAlternative: Bool
    var usesMbox: Bool
    /// Charset of the agency's plain-text notes about this client (old notes saved by a Windows editor), nil = UTF-8.
    var noteCharset: String?
    var channelWeights: [Double]
    var activity: Double
    var firstMonth: Int
    var lastMonth: Int
    var quietMonths: Set<Int>
}

private struct BaseClient {
    var domain: String
    var company: String
    var short: String
}

enum ClientRoster {
    private static let ru: [BaseClient] = [
        .init(domain: "stroymarket.ru", company: "ООО «СтройМаркет»", short: "СтройМаркет"),
        .init(domain: "teplodom-spb.ru", company: "ООО «ТеплоДом»", short: "ТеплоДом"),
        .init(domain: "vkusnoteka.ru", company: "Кафе «Вкуснотека»", short: "Вкуснотека"),
        .init(domain: "avtoprokat-ural.ru", company: "ООО «АвтоПрокат Урал»", short: "АвтоПрокат Урал"),
        .init(domain: "mebelgrad.ru", company: "ООО «МебельГрад»", short: "МебельГрад"),
        .init(domain: "klinika-zdorovie.ru", company: "Клиника «Здоровье+»", short: "Здоровье+"),
        .init(domain: "fitnes-atlant.ru", company: "Фитнес-клуб «Атлант»", short: "Атлант"),
        .init(domain: "kniga-i-kofe.ru", company: "ИП Сорокина, «Книга и кофе»", short: "Книга и кофе"),
        .init(domain: "optika-vzglyad.ru", company: "ООО «Оптика Взгляд»", short: "Оптика Взгляд"),
        .init(domain: "ecofermer.ru", company: "ООО «ЭкоФермер»", short: "ЭкоФермер"),
        .init(domain: "yurburo-pravo.ru", company: "Юридическое бюро «Право»", short: "Право"),
        .init(domain: "tur-sever.ru", company: "Турагентство «Север»", short: "Север"),
        .init(domain: "igrushki-radost.ru", company: "Магазин игрушек «Радость»", short: "Радость"),
        .init(domain: "santehprom.ru", company: "АО «СантехПром»", short: "СантехПром"),
        .init(domain: "cvetochnaya-lavka.ru", company: "«Цветочная лавка»", short: "Цветочная лавка"),
        .init(domain: "shkola-lingva.ru", company: "Языковая школа «Лингва»", short: "Лингва"),
        .init(domain: "remont-master.ru", company: "ООО «Ремонт-Мастер»", short: "Ремонт-Мастер"),
        .init(domain: "agrotech-volga.ru", company: "ООО «АгроТех Волга»", short: "АгроТех Волга"),
    ]
    private static let fi: [BaseClient] = [
        .init(domain: "kahvila-aalto.fi", company: "Kahvila Aalto Oy", short: "Kahvila Aalto"),
        .init(domain: "rakennus-virtanen.fi", company: "Rakennus Virtanen Oy", short: "Rakennus Virtanen"),
        .init(domain: "lahden-kukka.fi", company: "Lahden Kukka Ky", short: "Lahden Kukka"),
        .init(domain: "pohjola-sport.fi", company: "Pohjola Sport Oy", short: "Pohjola Sport"),
        .init(domain: "hammaslaakari-hymy.fi", company: "Hammaslääkäriasema Hymy Oy", short: "Hymy"),
        .init(domain: "kirjakauppa-sivu.fi", company: "Kirjakauppa Sivu", short: "Sivu"),
        .init(domain: "saunatalo.fi", company: "Saunatalo Oy", short: "Saunatalo"),
        .init(domain: "mokkilomat.fi", company: "Mökkilomat Oy", short: "Mökkilomat"),
        .init(domain: "tilitoimisto-luku.fi", company: "Tilitoimisto Luku Oy", short: "Luku"),
        .init(domain: "kotileipomo-ruis.fi", company: "Kotileipomo Ruis", short: "Ruis"),
        .init(domain: "autokoulu-ajoon.fi", company: "Autokoulu Ajoon Oy", short: "Ajoon"),
    ]
    private static let ja: [BaseClient] = [
        .init(domain: "sakura-kogyo.co.jp", company: "さくら工業株式会社", short: "さくら工業"),
        .init(domain: "yamato-shokuhin.co.jp", company: "大和食品株式会社", short: "大和食品"),
        .init(domain: "hikari-dental.jp", company: "ひかり歯科クリニック", short: "ひかり歯科"),
        .init(domain: "tokyo-realty.co.jp", company: "東京リアルティ株式会社", short: "東京リアルティ"),
        .init(domain: "minato-hotel.jp", company: "みなとホテル", short: "みなとホテル"),
        .init(domain: "kaze-design.jp", company: "株式会社風デザイン", short: "風デザイン"),
        .init(domain: "fujimoto-seika.co.jp", company: "藤本製菓株式会社", short: "藤本製菓"),
        .init(domain: "aoba-juku.jp", company: "青葉塾", short: "青葉塾"),
        .init(domain: "midori-clinic.jp", company: "みどりクリニック", short: "みどりクリニック"),
        .init(domain: "kyoto-kimono.jp", company: "京都きもの館", short: "京都きもの館"),
        .init(domain: "nishida-denki.co.jp", company: "西田電機株式会社", short: "西田電機"),
    ]

    // Name parts for clients beyond the base forty (large archives).
    private static let ruStems: [(String, String)] = [("Строй", "stroy"), ("Тепло", "teplo"), ("Авто", "avto"), ("Мебель", "mebel"), ("Эко", "eko"), ("Агро", "agro"), ("Техно", "tehno"), ("Зоо", "zoo"), ("Вело", "velo"), ("Сад", "sad"), ("Дом", "dom"), ("Хлеб", "hleb")]
    private static let ruEnds: [(String, String)] = [("Маркет", "market"), ("Сервис", "servis"), ("Торг", "torg"), ("Центр", "centr"), ("Мастер", "master"), ("Групп", "grupp"), ("Лайн", "layn"), ("Плюс", "plus")]
    private static let fiStems: [(String, String)] = [("Koivu", "koivu"), ("Järvi", "jarvi"), ("Kallio", "kallio"), ("Metsä", "metsa"), ("Ranta", "ranta"), ("Lumi", "lumi"), ("Tähti", "tahti"), ("Kivi", "kivi"), ("Laine", "laine"), ("Aalto", "aalto")]
    private static let fiEnds: [(String, String)] = [("Rakennus", "rakennus"), ("Kahvila", "kahvila"), ("Auto", "auto"), ("Sisustus", "sisustus"), ("Kukka", "kukka"), ("Matkat", "matkat"), ("Konepaja", "konepaja"), ("Hammas", "hammas")]
    private static let jaStems: [(String, String)] = [("さくら", "sakura"), ("みどり", "midori"), ("あおい", "aoi"), ("ひかり", "hikari"), ("やまと", "yamato"), ("つばさ", "tsubasa"), ("こだま", "kodama"), ("はるか", "haruka")]
    private static let jaEnds: [(String, String)] = [("工業", "kogyo"), ("食品", "shokuhin"), ("不動産", "fudosan"), ("商事", "shoji"), ("製作所", "seisakusho"), ("建設", "kensetsu"), ("電機", "denki"), ("物産", "bussan")]
    private static let cities = ["", "-spb", "-msk", "-nsk", "-ekb", "-kzn", "-perm", "-tula"]

    private static let ruMale = [("Иван", "ivan"), ("Алексей", "aleksey"), ("Дмитрий", "dmitriy"), ("Сергей", "sergey"), ("Андрей", "andrey"), ("Павел", "pavel"), ("Михаил", "mikhail"), ("Николай", "nikolay")]
    private static let ruFemale = [("Анна", "anna"), ("Ольга", "olga"), ("Елена", "elena"), ("Наталья", "natalya"), ("Татьяна", "tatyana"), ("Марина", "marina"), ("Ксения", "ksenia"), ("Юлия", "yulia")]
    private static let ruLast = [("Петров", "petrov"), ("Смирнов", "smirnov"), ("Кузнецов", "kuznetsov"), ("Соколов", "sokolov"), ("Волков", "volkov"), ("Морозов", "morozov"), ("Лебедев", "lebedev"), ("Козлов", "kozlov"), ("Новиков", "novikov"), ("Орлов", "orlov")]
    private static let fiFirst = [("Laura", "laura"), ("Mikko", "mikko"), ("Anna", "anna"), ("Juha", "juha"), ("Timo", "timo"), ("Hanna", "hanna"), ("Jukka", "jukka"), ("Katja", "katja"), ("Antti", "antti"), ("Riikka", "riikka"), ("Ville", "ville"), ("Päivi", "paivi")]
    private static let fiLast = [("Virtanen", "virtanen"), ("Korhonen", "korhonen"), ("Nieminen", "nieminen"), ("Mäkinen", "makinen"), ("Hämäläinen", "hamalainen"), ("Laine", "laine"), ("Heikkinen", "heikkinen"), ("Koskinen", "koskinen"), ("Järvinen", "jarvinen"), ("Lehtonen", "lehtonen")]
    private static let jaLast = [("田中", "tanaka"), ("佐藤", "sato"), ("高橋", "takahashi"), ("伊藤", "ito"), ("渡辺", "watanabe"), ("山本", "yamamoto"), ("中村", "nakamura"), ("小林", "kobayashi"), ("加藤", "kato"), ("吉田", "yoshida")]
    private static let jaFirst = [("一郎", "ichiro"), ("花子", "hanako"), ("健太", "kenta"), ("美咲", "misaki"), ("翔", "sho"), ("由美", "yumi"), ("大輔", "daisuke"), ("恵", "megumi")]

    private static let ruTitles = ["маркетолог", "руководитель отдела маркетинга", "коммерческий директор", "менеджер по рекламе", "директор", "владелец"]
    private static let fiTitles = ["markkinointipäällikkö", "toimitusjohtaja", "myyntipäällikkö", "yrittäjä", "markkinointikoordinaattori"]
    private static let jaTitles = ["営業部", "マーケティング部", "広報部", "経営企画室", "販売促進課"]

    /// The clients of an archive: the forty base clients (18 ru, 11 fi, 11 ja) and, for large archives, more in the same proportions.
    static func make(seed: UInt64, count: Int, months: Int) -> [Client] {
        var bases: [(BaseClient, CorpusLanguage)] = []
        // Interleave languages so that every prefix of the list keeps the proportions.
        var r = 0, f = 0, j = 0
        while r < ru.count || f < fi.count || j < ja.count {
            if r < ru.count { bases.append((ru[r], .ru)); r += 1 }
            if r < ru.count && r % 2 == 0 { bases.append((ru[r], .ru)); r += 1 }
            if f < fi.count { bases.append((fi[f], .fi)); f += 1 }
            if j < ja.count { bases.append((ja[j], .ja)); j += 1 }
        }
        var used = Set(bases.map { $0.0.domain })
        var extra = 0
        while bases.count < count {
            let lang: CorpusLanguage = [.ru, .ru, .fi, .ru, .ja, .fi, .ja][extra % 7]
            let n = extra / 7
            var base: BaseClient
            switch lang {
            case .ru:
                let s = ruStems[n % ruStems.count], e = ruEnds[(n / ruStems.count) % ruEnds.count]
                let city = cities[(n / (ruStems.count * ruEnds.count)) % cities.count]
                let name = s.0 + e.0.lowercased()
                base = BaseClient(domain: "\(s.1)\(e.1)\(city).ru", company: "ООО «\(name)»", short: name)
            case .fi:
                let s = fiStems[n % fiStems.count], e = fiEnds[(n / fiStems.count) % fiEnds.count]
                base = BaseClient(domain: "\(e.1)-\(s.1).fi", company: "\(e.0) \(s.0) Oy", short: "\(e.0) \(s.0)")
            case .ja:
                let s = jaStems[n % jaStems.count], e = jaEnds[(n / jaStems.count) % jaEnds.count]
                base = BaseClient(domain: "\(s.1)-\(e.1).co.jp", company: "\(s.0)\(e.0)株式会社", short: "\(s.0)\(e.0)")
            }
            var domain = base.domain
            var k = 2
            while used.contains(domain) {
                let dot = domain.firstIndex(of: ".")!
                domain = String(base.domain[..<dot]) + "-\(k)" + String(base.domain[dot...])
                k += 1
            }
            base.domain = domain
            used.insert(domain)
            bases.append((base, lang))
            extra += 1
        }
        var positions: [CorpusLanguage: Int] = [:]
        var clients: [Client] = []
        for (i, b) in bases.prefix(count).enumerated() {
            let position = positions[b.1, default: 0]
            positions[b.1] = position + 1
            clients.append(makeClient(seed: seed, index: i, position: position, base: b.0, lang: b.1, months: months))
        }
        return clients
    }

    private static func makeClient(seed: UInt64, index: Int, position: Int, base: BaseClient, lang: CorpusLanguage, months: Int) -> Client {
        var rng = SplitMix64.derive(seed, "client", UInt64(index))
        let pack = LanguagePack.pack(lang)
        let slug = String(base.domain.split(separator: ".").first!)
        let person: Person
        let colleague: String
        let title: String
        let phone: String
        switch lang {
        case .ru:
            let female = rng.chance(0.5)
            let first = rng.pick(female ? ruFemale : ruMale)
            let last = rng.pick(ruLast)
            let lastName = female ? last.0 + "а" : last.0
            let lastLatin = female ? last.1 + "a" : last.1
            let local = rng.pick(["\(first.1)", "\(first.1).\(lastLatin)", "\(first.1.prefix(1)).\(lastLatin)", "\(lastLatin)", "marketing"])
            person = Person(first: first.0, last: lastName, full: "\(first.0) \(lastName)", email: local)
            colleague = rng.pick(female ? ruMale : ruFemale).0
            title = rng.pick(ruTitles)
            phone = "+7 (\(rng.pick(["495", "812", "343", "383", "843", "846"]))) \(rng.int(in: 100...999))-\(pad(rng.int(100), 2))-\(pad(rng.int(100), 2))"
        case .fi:
            let first = rng.pick(fiFirst)
            let last = rng.pick(fiLast)
            let local = rng.pick(["\(first.1)", "\(first.1).\(last.1)", "\(first.1).\(last.1)", "info", "myynti"])
            person = Person(first: first.0, last: last.0, full: "\(first.0) \(last.0)", email: local)
            colleague = rng.pick(fiFirst).0
            title = rng.pick(fiTitles)
            phone = "0\(rng.pick(["40", "44", "50", "9"])) \(rng.int(in: 100...999)) \(rng.int(in: 1000...9999))"
        case .ja:
            let first = rng.pick(jaFirst)
            let last = rng.pick(jaLast)
            let local = rng.pick(["\(last.1)", "\(last.1).\(first.1)", "\(first.1.prefix(1)).\(last.1)", "info"])
            person = Person(first: first.0, last: last.0, full: "\(last.0) \(first.0)", email: local)
            colleague = rng.pick(jaLast).0
            title = rng.pick(jaTitles)
            phone = "0\(rng.pick(["3", "6", "52", "75", "92"]))-\(rng.int(in: 1000...9999))-\(rng.int(in: 1000...9999))"
        }
        let greeting = rng.pick(pack.greetings).replacingOccurrences(of: "{agent}", with: pack.agencyPerson)
        let signoff = rng.pick(pack.signoffs)
        var signature: String? = nil
        if lang == .ja || rng.chance(0.6) {
            switch lang {
            case .ru:
                signature = "-- \n\(person.full)\n\(title.prefix(1).uppercased() + title.dropFirst())\n\(base.company)\n\(phone) | \(base.domain)"
            case .fi:
                signature = "-- \n\(person.full)\n\(title.prefix(1).uppercased() + title.dropFirst())\n\(base.company)\npuh. \(phone)\nwww.\(base.domain)"
            case .ja:
                let rule = String(repeating: "━", count: rng.pick([16, 20, 24]))
                signature = "\(rule)\n\(base.company)　\(title)\n\(person.full)\nTEL: \(phone)\nMail: \(person.email)@\(base.domain)\n\(rule)"
            }
        }
        let legal = rng.chance(0.3) ? rng.pick(pack.legalFooters) : nil
        let unsub = rng.chance(0.12)
            ? rng.pick(pack.unsubscribe).replacingOccurrences(of: "{domain}", with: base.domain).replacingOccurrences(of: "{company}", with: base.short)
            : nil
        let mobile = rng.chance(0.35) ? rng.pick(pack.mobileTags) : nil

        // Charsets: a fixed share of clients on legacy mail programs, so that every encoding is present.
        var charset = "UTF-8"
        var transfer: TransferEncoding = rng.pick([.quotedPrintable, .base64, .eightBit, .quotedPrintable])
        switch (lang, position % (lang == .ru ? 18 : 11)) {
        case (.ru, 1): charset = "windows-1251"; transfer = .quotedPrintable
        case (.ru, 4): charset = "KOI8-R"; transfer = .eightBit
        case (.ru, 7): charset = "windows-1251"; transfer = .base64
        case (.ru, 12): charset = "KOI8-R"; transfer = .quotedPrintable
        case (.ru, 15): charset = "windows-1251"; transfer = .eightBit
        case (.fi, 2): charset = "ISO-8859-15"; transfer = .quotedPrintable
        case (.fi, 6): charset = "ISO-8859-15"; transfer = .eightBit
        case (.ja, 1): charset = "Shift_JIS"; transfer = .base64
        case (.ja, 4): charset = "ISO-2022-JP"; transfer = .sevenBit
        case (.ja, 6): charset = "EUC-JP"; transfer = .eightBit
        case (.ja, 9): charset = "Shift_JIS"; transfer = .quotedPrintable
        default: break
        }
        let html = charset == "UTF-8" && rng.chance(0.35)
        let usesMbox = position == 0  // one per language: stroymarket.ru, kahvila-aalto.fi, sakura-kogyo.co.jp
        var noteCharset: String? = nil
        if lang == .ru && (position == 2 || position == 9) { noteCharset = "windows-1251" }
        if lang == .ja && position == 7 { noteCharset = "Shift_JIS" }
        let email = 0.5 + rng.unit() * 0.35
        let weights = [email, 0.06 + rng.unit() * 0.1, 0.1 + rng.unit() * 0.1, 0.05 + rng.unit() * 0.08, 0.1 + rng.unit() * 0.15]
        let activity = 0.4 + rng.unit() * 1.6
        // Some clients join later or leave early; everyone has a few quiet months.
        var first = 0, last = months - 1
        if index >= 8 && rng.chance(0.3) { first = rng.int(months / 3) }
        if index >= 8 && rng.chance(0.2) { last = months - 1 - rng.int(months / 4) }
        var quiet = Set<Int>()
        for _ in 0..<rng.int(in: 0...max(1, months / 10)) { quiet.insert(rng.int(months)) }
        return Client(
            index: index, id: base.domain, lang: lang, company: base.company, short: base.short, slug: slug,
            person: person, colleague: colleague, title: title, phone: phone,
            greeting: greeting, signoff: signoff, signature: signature, legalFooter: legal, unsubscribe: unsub,
            mobileTag: mobile, mobileShare: mobile == nil ? 0 : 0.2 + rng.unit() * 0.5,
            charset: charset, transfer: transfer, htmlAlternative: html, usesMbox: usesMbox, noteCharset: noteCharset,
            channelWeights: weights, activity: activity, firstMonth: first, lastMonth: last, quietMonths: quiet)
    }
}
