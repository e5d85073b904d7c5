/// What a paragraph is, for the duplicate truth (boilerplate or content) and for the writers.
enum ParagraphRole: Sendable {
    case greeting, opener, body, request, closer, signoff, mobile, signature, legal, unsubscribe
    case bump, forwardLine, forwardHeader, attribution, quote
    case noteHeader, remark, web, formField

    /// Repeated by habit or by software rather than written for the occasion.
    var isBoilerplate: Bool {
        switch self {
        case .greeting, .opener, .closer, .signoff, .mobile, .signature, .legal, .unsubscribe, .bump, .forwardLine, .remark, .web, .formField:
            return true
        default:
            return false
        }
    }
}

struct Paragraph: Sendable {
    var text: String
    var role: ParagraphRole
    /// For a quoted paragraph: the text it quotes. For a near copy: the text it was edited from.
    var copyOf: String? = nil
    var near = false
}

/// One document before it is written: its paragraphs exactly as recur should read them.
struct DocContent: Sendable {
    var client: Int
    var moment: Moment
    var channel: Channel
    var subject: String
    var paragraphs: [Paragraph]
    var mentions: [Mention]
    /// Charset the bytes will be written in.
    var charset: String
    var messageID: String = ""
    var inReplyTo: String? = nil
    /// Kept for follow-ups (bumps, forwards, ticket copies).
    var isFollowUp = false

    var themes: [String] { Array(Set(mentions.map(\.themeID))).sorted() }
}

/// Writes documents' paragraphs in a client's voice.
struct Composer {
    let clients: [Client]

    func fill(_ template: String, client: Client, day: Day, rng: inout SplitMix64) -> String {
        guard template.contains("{") else { return template }
        let pack = LanguagePack.pack(client.lang)
        var s = template
        let later = day + rng.int(in: 2...20)
        let (_, m, _) = day.civil
        for slot in ["{date}", "{num}", "{phone}", "{colleague}", "{month}", "{monthabl}"] where s.contains(slot) {
            let value: String
            switch slot {
            case "{date}": value = dateInText(later, lang: client.lang)
            case "{num}": value = String(rng.int(in: 100...99999))
            case "{phone}": value = client.phone
            case "{colleague}": value = client.colleague
            case "{month}": value = pack.slots["month"]![(m + 10) % 12]
            default: value = pack.slots["monthabl"]![(m + 10) % 12]
            }
            s = s.replacingOccurrences(of: slot, with: value)
        }
        for (name, values) in pack.slots.sorted(by: { $0.key < $1.key }) {
            let lower = "{\(name)}"
            let upper = "{\(capitalizedFirst(name))}"
            if s.contains(lower) { s = s.replacingOccurrences(of: lower, with: rng.pick(values)) }
            if s.contains(upper) { s = s.replacingOccurrences(of: upper, with: capitalizedFirst(rng.pick(values))) }
        }
        return s
    }

    /// A request or chatter message from a client (e-mail, form message or ticket).
    func message(client c: Int, moment: Moment, channel: Channel, mentions: [Mention], themeDetails: [[String]], rng: inout SplitMix64) -> DocContent {
        let client = clients[c]
        let pack = LanguagePack.pack(client.lang)
        var ps: [Paragraph] = []
        let formal = channel == .email
        if channel != .form || rng.chance(0.5) {
            if client.lang == .ja && formal {
                ps.append(Paragraph(text: "\(pack.agencyName)\n\(pack.agencyPerson)様", role: .greeting))
                ps.append(Paragraph(text: "\(client.greeting)\n\(client.short)の\(client.person.last)です。", role: .greeting))
            } else {
                ps.append(Paragraph(text: client.greeting, role: .greeting))
            }
        }
        if rng.chance(mentions.isEmpty ? 0.15 : 0.3) {
            let opener = rng.pick(pack.openers).replacingOccurrences(of: "{first}", with: client.person.first).replacingOccurrences(of: "{short}", with: client.short)
            ps.append(Paragraph(text: opener, role: .opener))
        }
        var subject: String
        if mentions.isEmpty {
            let cat = rng.pick(pack.chatter)
            subject = fill(rng.pick(cat.subjects), client: client, day: moment.day, rng: &rng)
            let sentences = rng.sample(cat.sentences, rng.int(in: 2...4))
            var i = 0
            while i < sentences.count {
                let take = min(sentences.count - i, rng.int(in: 1...2))
                let sep = client.lang == .ja ? "" : " "
                let text = sentences[i..<(i + take)].map { fill($0, client: client, day: moment.day, rng: &rng) }.joined(separator: sep)
                ps.append(Paragraph(text: text, role: .body))
                i += take
            }
        } else {
            subject = ""
            for (k, mention) in mentions.enumerated() {
                let details = rng.sample(themeDetails[k], rng.int(in: 0...2))
                let sep = client.lang == .ja ? "" : " "
                ps.append(Paragraph(text: ([mention.sentence] + details).joined(separator: sep), role: .request))
            }
            if rng.chance(0.35) {
                let cat = rng.pick(pack.chatter)
                ps.append(Paragraph(text: fill(rng.pick(cat.sentences), client: client, day: moment.day, rng: &rng), role: .body))
            }
        }
        if rng.chance(mentions.isEmpty ? 0.2 : 0.45) { ps.append(Paragraph(text: rng.pick(pack.closers), role: .closer)) }
        if channel == .email || (channel == .ticket && rng.chance(0.3)) {
            let name = client.lang == .ja ? nil : (rng.chance(0.7) ? client.person.first : client.person.full)
            ps.append(Paragraph(text: name.map { "\(client.signoff)\n\($0)" } ?? client.signoff, role: .signoff))
        }
        if channel == .email {
            if let tag = client.mobileTag, rng.chance(client.mobileShare) {
                ps.append(Paragraph(text: tag, role: .mobile))
            } else if let sig = client.signature {
                ps.append(Paragraph(text: sig, role: .signature))
            }
            if let legal = client.legalFooter { ps.append(Paragraph(text: legal, role: .legal)) }
            if let unsub = client.unsubscribe { ps.append(Paragraph(text: unsub, role: .unsubscribe)) }
        }
        let charset = channel == .email ? client.charset : "UTF-8"
        return DocContent(client: c, moment: moment, channel: channel, subject: subject, paragraphs: ps, mentions: mentions, charset: charset)
    }

    /// An agency note about a client (plain text or Markdown).
    func note(client c: Int, moment: Moment, channel: Channel, mentions: [Mention], stages: [Int], themeDetails: [[String]], rng: inout SplitMix64) -> DocContent {
        let client = clients[c]
        let pack = LanguagePack.pack(client.lang)
        var ps: [Paragraph] = []
        let day = dateInText(moment.day, lang: client.lang)
        if channel == .textNote {
            let header = rng.pick(pack.noteHeaders).replacingOccurrences(of: "{client}", with: client.short).replacingOccurrences(of: "{date}", with: day)
            ps.append(Paragraph(text: header, role: .noteHeader))
        }
        let sep = client.lang == .ja ? "" : " "
        for (k, mention) in mentions.enumerated() {
            var text = mention.sentence
            if let d = rng.sample(themeDetails[k], 1).first, rng.chance(0.5) { text += sep + d }
            ps.append(Paragraph(text: text, role: .request))
            let remarks = pack.stageRemarks[min(2, stages[k])]
            ps.append(Paragraph(text: rng.pick(remarks), role: .remark))
        }
        let items = rng.sample(pack.noteChatter, rng.int(in: mentions.isEmpty ? 2...4 : 0...2)).map { fill($0, client: client, day: moment.day, rng: &rng) }
        if !items.isEmpty {
            if channel == .markdownNote && items.count > 1 {
                ps.append(Paragraph(text: items.map { "- " + $0 }.joined(separator: "\n"), role: .body))
            } else {
                for item in items { ps.append(Paragraph(text: item, role: .body)) }
            }
        }
        let title = pack.noteKinds[rng.int(pack.noteKinds.count)].title
        let charset = channel == .textNote ? (client.noteCharset ?? "UTF-8") : "UTF-8"
        return DocContent(client: c, moment: moment, channel: channel, subject: title + " " + client.short, paragraphs: ps, mentions: mentions, charset: charset)
    }

    /// "Any news about my message below?" quoting the client's own earlier e-mail.
    func bump(of parent: DocContent, moment: Moment, rng: inout SplitMix64) -> DocContent {
        let client = clients[parent.client]
        let pack = LanguagePack.pack(client.lang)
        var ps: [Paragraph] = []
        if client.lang == .ja { ps.append(Paragraph(text: "\(pack.agencyPerson)様", role: .greeting)) }
        ps.append(Paragraph(text: client.greeting, role: .greeting))
        ps.append(Paragraph(text: rng.pick(pack.bumpLines), role: .bump))
        let name = client.lang == .ja ? nil : client.person.first
        ps.append(Paragraph(text: name.map { "\(client.signoff)\n\($0)" } ?? client.signoff, role: .signoff))
        ps.append(Paragraph(text: attribution(parent, client: client), role: .attribution))
        for p in parent.paragraphs where p.role != .signature && p.role != .legal && p.role != .unsubscribe && p.role != .mobile {
            let quoted = p.text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n")
            ps.append(Paragraph(text: quoted, role: .quote, copyOf: p.text))
        }
        var doc = DocContent(client: parent.client, moment: moment, channel: .email, subject: pack.subjectRe + parent.subject, paragraphs: ps, mentions: [], charset: parent.charset)
        doc.inReplyTo = parent.messageID
        doc.isFollowUp = true
        return doc
    }

    /// The client sends an earlier e-mail again with small edits.
    func forward(of parent: DocContent, moment: Moment, rng: inout SplitMix64) -> DocContent {
        let client = clients[parent.client]
        let pack = LanguagePack.pack(client.lang)
        var ps: [Paragraph] = [Paragraph(text: rng.pick(pack.forwardLines), role: .forwardLine)]
        let header = pack.forwardHeader
            .replacingOccurrences(of: "{name}", with: client.person.full)
            .replacingOccurrences(of: "{email}", with: "\(client.person.email)@\(client.id)")
            .replacingOccurrences(of: "{date}", with: "\(dateInText(parent.moment.day, lang: client.lang)) \(parent.moment.hhmm)")
            .replacingOccurrences(of: "{subject}", with: parent.subject)
        ps.append(Paragraph(text: header, role: .forwardHeader))
        var edited = false
        for p in parent.paragraphs {
            var copy = Paragraph(text: p.text, role: p.role, copyOf: p.text)
            if !edited && (p.role == .request || (p.role == .body && !parent.paragraphs.contains { $0.role == .request })) && p.text.count >= 40 {
                copy.text = NearEdit.apply(p.text, lang: client.lang, rng: &rng)
                copy.near = copy.text != p.text
                edited = true
            }
            ps.append(copy)
        }
        var doc = DocContent(client: parent.client, moment: moment, channel: .email, subject: pack.forwardSubject + parent.subject, paragraphs: ps, mentions: parent.mentions, charset: parent.charset)
        doc.isFollowUp = true
        return doc
    }

    /// The same request pasted into the ticket system: content paragraphs copied exactly.
    func ticketCopy(of parent: DocContent, moment: Moment) -> DocContent {
        let ps = parent.paragraphs.filter { [.greeting, .opener, .body, .request, .closer].contains($0.role) }
            .map { Paragraph(text: $0.text, role: $0.role, copyOf: $0.text) }
        var doc = DocContent(client: parent.client, moment: moment, channel: .ticket, subject: parent.subject, paragraphs: ps, mentions: parent.mentions, charset: "UTF-8")
        doc.isFollowUp = true
        return doc
    }

    func attribution(_ parent: DocContent, client: Client) -> String {
        let pack = LanguagePack.pack(client.lang)
        let date: String
        switch client.lang {
        case .ru:
            let (y, m, d) = parent.moment.day.civil
            date = "\(d) \(russianMonthGenitive[m - 1]) \(y) г."
        case .fi:
            date = ["su", "ma", "ti", "ke", "to", "pe", "la"][parent.moment.day.weekday] + " " + dateInText(parent.moment.day, lang: .fi)
        case .ja:
            let (y, m, d) = parent.moment.day.civil
            date = "\(y)年\(m)月\(d)日(\(["日", "月", "火", "水", "木", "金", "土"][parent.moment.day.weekday]))"
        }
        let time = client.lang == .fi ? parent.moment.hhmm.replacingOccurrences(of: ":", with: ".") : parent.moment.hhmm
        return pack.attribution
            .replacingOccurrences(of: "{date}", with: date)
            .replacingOccurrences(of: "{time}", with: time)
            .replacingOccurrences(of: "{name}", with: client.person.full)
            .replacingOccurrences(of: "{email}", with: "\(client.person.email)@\(client.id)")
    }
}

func dateInText(_ day: Day, lang: CorpusLanguage) -> String { LanguagePack.pack(lang).dayFormat(day) }

/// Small edits that keep a paragraph a near duplicate of its original (the theme phrase is never touched).
enum NearEdit {
    static func apply(_ text: String, lang: CorpusLanguage, rng: inout SplitMix64) -> String {
        switch lang {
        case .ja:
            let additions = ["急ぎで恐縮ですが、ご検討ください。", "なお、詳細は追ってご連絡します。", "社内でも確認済みです。"]
            return text + rng.pick(additions)
        case .ru, .fi:
            let fillers = lang == .ru ? ["ещё", "также", "обязательно", "по возможности"] : ["myös", "ehdottomasti", "mielellään", "vielä"]
            let additions = lang == .ru ? [" Это довольно срочно.", " Детали можем обсудить по телефону.", " Спасибо заранее."] : [" Asia on melko kiireellinen.", " Yksityiskohdista voimme sopia puhelimessa.", " Kiitos jo etukäteen."]
            if rng.chance(0.5) { return text + rng.pick(additions) }
            var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            if words.count < 6 { return text + rng.pick(additions) }
            // Insert a filler word into the last sentence's middle, away from the mention at the start.
            let at = words.count - 1 - rng.int(max(1, words.count / 3))
            words.insert(rng.pick(fillers), at: max(1, at))
            return words.joined(separator: " ")
        }
    }
}
