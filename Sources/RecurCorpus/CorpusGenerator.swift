import Foundation

/// What to generate.
public struct CorpusOptions: Sendable {
    public var seed: UInt64
    /// Archive bytes to aim for (truth.json and README.md not counted).
    public var targetBytes: Int
    /// The committed demo archive: 2024-01 .. 2025-12, forty clients, about 1.6 MB.
    public var demo: Bool

    public static let demoBytes = 1_600_000

    public init(seed: UInt64, targetBytes: Int = CorpusOptions.demoBytes, demo: Bool = false) {
        self.seed = seed
        self.targetBytes = demo ? CorpusOptions.demoBytes : targetBytes
        self.demo = demo
    }

    /// Years covered: two for small archives, growing slowly with size (up to twenty), always ending 2025-12.
    var years: Int {
        if demo || targetBytes <= 4_000_000 { return 2 }
        let factor = Double(targetBytes) / 2_000_000
        return min(20, max(2, Int((2 * _powd(factor, 0.35)).rounded())))
    }

    var months: Int { years * 12 }
    var startYear: Int { 2026 - years }
    var expectedDocuments: Double { Double(targetBytes) / 900 }
    var clientCount: Int { max(40, Int(expectedDocuments / (Double(months) * 5))) }
    var themeScale: Double { max(1, expectedDocuments / Double(months) / 85) }
    /// Full duplicate clusters in truth.json up to this size; counts per kind above it.
    var fullDuplicates: Bool { targetBytes <= 64_000_000 }
}

/// What was generated.
public struct CorpusSummary: Sendable {
    public struct ThemeSummary: Sendable {
        public var id: String
        public var lang: String
        public var pattern: String
        public var documents: Int
        public var episodes: [(start: String, end: String, sources: Int, newSources: Int)]
        public var phrasings: Int
        /// Episodes after the first that start after two or more quiet months.
        public var comebacks: Int { max(0, episodes.count - 1) }
    }

    public var seed: UInt64
    public var period: String
    public var clients: Int
    public var documents: Int
    public var bytes: Int
    public var files: Int
    public var filesByFormat: [String: Int]
    public var documentsByFormat: [String: Int]
    public var documentsByLanguage: [String: Int]
    public var legacyEncoded: [String: Int]
    public var themes: [ThemeSummary]
    public var duplicateClusters: [String: Int]
    public var duplicateParagraphs: [String: Int]
}

private struct FollowUp {
    enum Kind { case bump, forward, ticket }
    var kind: Kind
    var parent: DocContent
}

private struct Event {
    var day: Day
    var minute: Int
    var client: Int
    var themes: [Int]
    var seq: Int
    var followUp: FollowUp?
}

/// Generates an archive of client inquiries with known truth, streaming file by file.
public enum CorpusGenerator {
    public static let version = 1

    public static func generate(_ options: CorpusOptions, into root: URL) throws -> CorpusSummary {
        var state = try Run(options: options, root: root)
        return try state.run()
    }
}

private struct Run {
    let options: CorpusOptions
    let root: URL
    let clients: [Client]
    let plans: [ThemePlan]
    let composer: Composer
    let writer: ArchiveWriter
    let truth: TruthCollector
    var rng: SplitMix64
    var pending: [Int: [Event]] = [:]
    var seq = 0
    var documents = 0
    var primaries = 0
    var followUps = 0
    var documentsByFormat: [String: Int] = [:]
    var documentsByLanguage: [String: Int] = [:]
    var legacy: [String: Int] = [:]
    var nameCounters: [String: Int] = [:]
    var counterDay = -1
    var formNumber = 1000
    var mentionCounts: [Int: Int] = [:]
    var jsonlNumber = 10000
    var csvNumber = 5000
    let lastDay: Day

    init(options: CorpusOptions, root: URL) throws {
        self.options = options
        self.root = root
        let months = options.months
        clients = ClientRoster.make(seed: options.seed, count: options.clientCount, months: months)
        var plans: [ThemePlan] = []
        for lang in CorpusLanguage.allCases.sorted(by: { ["ru": 0, "fi": 1, "ja": 2][$0.rawValue]! < ["ru": 0, "fi": 1, "ja": 2][$1.rawValue]! }) {
            for spec in LanguagePack.pack(lang).themes {
                plans.append(ThemePlan.make(spec: spec, lang: lang, months: months, scale: options.themeScale, clients: clients, seed: options.seed))
            }
        }
        self.plans = plans
        composer = Composer(clients: clients)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        writer = ArchiveWriter(root: root)
        truth = try TruthCollector(
            seed: options.seed, startYear: options.startYear, themes: plans.map { ($0.spec, $0.lang) },
            scratch: root.appendingPathComponent(".truth-documents.tmp"), fullDuplicates: options.fullDuplicates)
        rng = SplitMix64.derive(options.seed, "run")
        lastDay = Day(2025, 12, 31)
    }

    func monthIndex(_ day: Day) -> Int {
        let (y, m, _) = day.civil
        return (y - options.startYear) * 12 + m - 1
    }

    mutating func workingMinute() -> Int {
        let r = rng.unit()
        if r < 0.85 { return 540 + rng.int(540) }
        if r < 0.93 { return 1080 + rng.int(300) }
        return 420 + rng.int(120)
    }

    mutating func run() throws -> CorpusSummary {
        let months = options.months
        // Month weights: how busy each month is (clients active, holidays, quiet months).
        var season: [[Double]] = []  // [lang][month] mean day weight
        for lang in [CorpusLanguage.ru, .fi, .ja] {
            var row: [Double] = []
            for m in 0..<months {
                let y = options.startYear + m / 12, mo = m % 12 + 1
                let n = Day.daysInMonth(y, mo)
                var s = 0.0
                for d in 1...n { s += WorkCalendar.activity(lang, Day(y, mo, d)) }
                row.append(s / Double(n) * 30)
            }
            season.append(row)
        }
        func langRow(_ l: CorpusLanguage) -> Int { l == .ru ? 0 : l == .fi ? 1 : 2 }
        func clientWeight(_ c: Client, _ m: Int) -> Double {
            if m < c.firstMonth || m > c.lastMonth { return 0 }
            return c.activity * season[langRow(c.lang)][m] * (c.quietMonths.contains(m) ? 0.03 : 1)
        }
        var monthWeights: [Double] = []
        for m in 0..<months { monthWeights.append(clients.reduce(0) { $0 + clientWeight($1, m) }) }

        for m in 0..<months {
            let y = options.startYear + m / 12, mo = m % 12 + 1
            let first = Day(y, mo, 1)
            let n = Day.daysInMonth(y, mo)
            var dayCumulative: [[Double]] = []
            for lang in [CorpusLanguage.ru, .fi, .ja] {
                var acc = 0.0
                dayCumulative.append((0..<n).map { d in acc += WorkCalendar.activity(lang, first + d); return acc })
            }
            func pickDay(_ lang: CorpusLanguage) -> Day {
                let cum = dayCumulative[langRow(lang)]
                let x = rng.unit() * cum.last!
                var lo = 0, hi = cum.count - 1
                while lo < hi { let mid = (lo + hi) / 2; if cum[mid] > x { hi = mid } else { lo = mid + 1 } }
                return first + lo
            }

            // Theme mentions this month.
            var events: [Event] = []
            for (pi, plan) in plans.enumerated() where plan.counts[m] > 0 {
                let candidates = plan.clientsByMonth[m]
                guard !candidates.isEmpty else { continue }
                for k in 0..<plan.counts[m] {
                    let c = k == 0 || (k < candidates.count && rng.chance(0.7)) ? candidates[min(k, candidates.count - 1)] : rng.pick(candidates)
                    seq += 1
                    events.append(Event(day: pickDay(clients[c].lang), minute: workingMinute(), client: c, themes: [pi], seq: seq))
                }
            }
            // Now and then one message raises two themes of its language.
            var merged: [Event] = []
            var used = Set<Int>()
            for (i, e) in events.enumerated() where !used.contains(i) {
                var e = e
                if rng.chance(0.1), let j = events.indices.first(where: { $0 > i && !used.contains($0) && plans[events[$0].themes[0]].lang == plans[e.themes[0]].lang && events[$0].themes[0] != e.themes[0] }) {
                    used.insert(j)
                    e.themes.append(events[j].themes[0])
                }
                merged.append(e)
            }
            events = merged

            // Ordinary chatter: as much as keeps the archive on course for its target size.
            let remaining = Double(options.targetBytes - writer.bytesWritten)
            let remainingWeight = monthWeights[m...].reduce(0, +)
            let monthBytes = remaining * monthWeights[m] / max(remainingWeight, 1e-9)
            let average = documents > 30 ? Double(writer.bytesWritten) / Double(documents) : 900
            let f = primaries > 30 ? Double(followUps) / Double(primaries) : 0.08
            var pendingHere = 0
            for d in 0..<n { pendingHere += pending[(first + d).index]?.count ?? 0 }
            let chatter = max(0, Int(((monthBytes / average - Double(pendingHere)) / (1 + f) - Double(events.count)).rounded()))
            var cumulative: [Double] = []
            var acc = 0.0
            for c in clients { acc += clientWeight(c, m); cumulative.append(acc) }
            if acc > 0 {
                for _ in 0..<chatter {
                    let x = rng.unit() * acc
                    var lo = 0, hi = cumulative.count - 1
                    while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > x { hi = mid } else { lo = mid + 1 } }
                    seq += 1
                    events.append(Event(day: pickDay(clients[lo].lang), minute: workingMinute(), client: lo, themes: [], seq: seq))
                }
            }
            var byDay: [Int: [Event]] = [:]
            for e in events { byDay[e.day.index, default: []].append(e) }
            for d in 0..<n {
                let day = first + d
                var todays = (byDay[day.index] ?? []) + (pending.removeValue(forKey: day.index) ?? [])
                todays.sort { ($0.minute, $0.client, $0.seq) < ($1.minute, $1.client, $1.seq) }
                for e in todays { try process(e, month: m) }
            }
        }
        try writer.closeAll()
        try truth.finish(to: root.appendingPathComponent("truth.json"))
        let summary = makeSummary()
        try writer.write("README.md", Array(ArchiveReadme.text(summary, options: options).utf8), counted: false)
        return summary
    }

    mutating func nextName(_ key: String) -> Int {
        let n = (nameCounters[key] ?? 0) + 1
        nameCounters[key] = n
        return n
    }

    mutating func process(_ e: Event, month: Int) throws {
        if e.day.index != counterDay {
            nameCounters.removeAll(keepingCapacity: true)
            counterDay = e.day.index
        }
        let client = clients[e.client]
        let pack = LanguagePack.pack(client.lang)
        var docRNG = SplitMix64.derive(options.seed, "doc", UInt64(e.seq))
        let moment = Moment(day: e.day, minute: e.minute)
        var doc: DocContent
        if let f = e.followUp {
            switch f.kind {
            case .bump: doc = composer.bump(of: f.parent, moment: moment, rng: &docRNG)
            case .forward: doc = composer.forward(of: f.parent, moment: moment, rng: &docRNG)
            case .ticket: doc = composer.ticketCopy(of: f.parent, moment: moment)
            }
        } else {
            let channel = Channel(rawValue: docRNG.weighted(client.channelWeights))!
            let note = channel == .textNote || channel == .markdownNote
            var mentions: [Mention] = []
            for t in e.themes {
                mentionCounts[t, default: 0] += 1
                mentions.append(MentionWriter.render(plans[t].spec, pack: pack, note: note, variant: mentionCounts[t]! + t, rng: &docRNG))
            }
            let details = e.themes.map { plans[$0].spec.details }
            if note {
                doc = composer.note(client: e.client, moment: moment, channel: channel, mentions: mentions, stages: e.themes.map { plans[$0].stageByMonth[month] }, themeDetails: details, rng: &docRNG)
            } else {
                doc = composer.message(client: e.client, moment: moment, channel: channel, mentions: mentions, themeDetails: details, rng: &docRNG)
                if let first = e.themes.first, doc.subject.isEmpty {
                    doc.subject = docRNG.pick(plans[first].spec.subjects)
                }
            }
        }
        if doc.charset != "UTF-8" {
            for i in doc.paragraphs.indices {
                doc.paragraphs[i].text = Legacy.fit(doc.paragraphs[i].text, doc.charset)
                if let c = doc.paragraphs[i].copyOf { doc.paragraphs[i].copyOf = Legacy.fit(c, doc.charset) }
            }
            doc.subject = Legacy.fit(doc.subject, doc.charset)
        }
        if doc.channel == .form { doc.paragraphs = formPage(doc, client: client) }
        doc.messageID = "\(e.day.iso.replacingOccurrences(of: "-", with: ""))\(pad(e.minute / 60, 2))\(pad(e.minute % 60, 2)).\(String(docRNG.next() & 0xFFFF_FFFF, radix: 16))@\(client.id)"

        let (y, _, _) = e.day.civil
        let id: String
        let path: String
        let format: String
        switch doc.channel {
        case .email:
            if client.usesMbox {
                path = "mail/mbox/\(client.id)-\(y).mbox"
                let number = try writer.append(path, Render.mboxMessage(doc, client: client, rng: &docRNG))
                id = "\(path)#\(number)"
                format = "mbox"
            } else {
                path = "mail/\(y)/\(e.day.iso)-\(client.slug)-\(nextName("eml|\(client.slug)")).eml"
                id = path
                try writer.write(path, Render.email(doc, client: client, newline: "\r\n", rng: &docRNG))
                format = "eml"
            }
            if doc.charset != "UTF-8" { legacy[doc.charset, default: 0] += 1 }
        case .form:
            formNumber += 1
            path = "forms/\(client.id)/\(e.day.iso)-form-\(nextName("form|\(client.id)")).html"
            id = path
            try writer.write(path, Render.form(doc, client: client, number: formNumber))
            format = "html"
        case .textNote, .markdownNote:
            let kind = pack.noteKinds.first { doc.subject.hasPrefix($0.title) }?.file ?? "notes"
            let ext = doc.channel == .textNote ? "txt" : "md"
            let k = nextName("note|\(client.id)|\(kind)")
            path = "notes/\(client.id)/\(e.day.iso)-\(kind)\(k > 1 ? "-\(k)" : "").\(ext)"
            id = path
            try writer.write(path, doc.channel == .textNote ? Render.textNote(doc) : Render.markdownNote(doc, client: client))
            format = ext
            if doc.charset != "UTF-8" { legacy[doc.charset, default: 0] += 1 }
        case .ticket:
            let date = moment.iso8601(offset: WorkCalendar.utcOffset(client.lang, e.day))
            let text = Render.text(doc)
            if docRNG.chance(0.55) {
                jsonlNumber += 1
                path = "tickets/helpdesk-export.jsonl"
                let ticket = "HD-\(jsonlNumber)"
                try writer.append(path, Render.jsonlRecord(id: ticket, date: date, source: client.id, subject: doc.subject, text: text))
                id = "\(path)#\(ticket)"
                format = "jsonl"
            } else {
                csvNumber += 1
                path = "tickets/support-export.csv"
                let ticket = "SR-\(csvNumber)"
                try writer.append(path, Render.csvRecord([ticket, date, client.id, doc.subject, text]), header: Render.csvRecord(["id", "date", "source", "subject", "text"]))
                id = "\(path)#\(ticket)"
                format = "csv"
            }
        }
        try truth.add(id: id, path: path, doc: doc, client: client, month: month)
        documents += 1
        documentsByFormat[format, default: 0] += 1
        documentsByLanguage[client.lang.rawValue, default: 0] += 1
        if e.followUp == nil { primaries += 1 } else { followUps += 1 }

        // Follow-ups: the same request in the ticket system, a reminder quoting it, a corrected copy.
        guard e.followUp == nil, doc.channel == .email || doc.channel == .form else { return }
        let themed = !doc.mentions.isEmpty
        if docRNG.chance(doc.channel == .form ? 0.12 : (themed ? 0.15 : 0.04)) {
            let later = docRNG.chance(0.6) ? 0 : 1
            let minute = later == 0 ? min(e.minute + 5 + docRNG.int(120), 1439) : workingMinute()
            schedule(Event(day: e.day + later, minute: minute, client: e.client, themes: [], seq: 0, followUp: FollowUp(kind: .ticket, parent: doc)))
        }
        guard doc.channel == .email else { return }
        let r = docRNG.unit()
        if r < (themed ? 0.12 : 0.04) {
            schedule(Event(day: e.day + docRNG.int(in: 3...12), minute: workingMinute(), client: e.client, themes: [], seq: 0, followUp: FollowUp(kind: .bump, parent: doc)))
        } else if r < (themed ? 0.19 : 0.055) {
            schedule(Event(day: e.day + docRNG.int(in: 2...10), minute: workingMinute(), client: e.client, themes: [], seq: 0, followUp: FollowUp(kind: .forward, parent: doc)))
        }
    }

    mutating func schedule(_ event: Event) {
        var e = event
        let wd = e.day.weekday
        if (wd == 0 || wd == 6) && rng.chance(0.85) { e.day = e.day + (wd == 6 ? 2 : 1) }
        guard e.day <= lastDay else { return }
        seq += 1
        e.seq = seq
        pending[e.day.index, default: []].append(e)
    }

    /// A web-form notification page: site boilerplate, the form fields, the message.
    func formPage(_ doc: DocContent, client: Client) -> [Paragraph] {
        let web = LanguagePack.pack(client.lang).web
        var ps: [Paragraph] = [
            Paragraph(text: web.nav, role: .web),
            Paragraph(text: web.loading, role: .web),
            Paragraph(text: web.heading, role: .web),
            Paragraph(text: "\(web.fieldLabels.company): \(client.company)", role: .formField),
            Paragraph(text: "\(web.fieldLabels.name): \(client.person.full)", role: .formField),
            Paragraph(text: "\(web.fieldLabels.email): \(client.person.email)@\(client.id)", role: .formField),
            Paragraph(text: "\(web.fieldLabels.phone): \(client.phone)", role: .formField),
        ]
        for p in doc.paragraphs { ps.append(Paragraph(text: p.text.replacingOccurrences(of: "\n", with: " "), role: p.role, copyOf: p.copyOf, near: p.near)) }
        ps += web.afterForm.map { Paragraph(text: $0, role: .web) }
        ps += web.footer.map { Paragraph(text: $0, role: .web) }
        return ps
    }

    func makeSummary() -> CorpusSummary {
        let themes = truth.themeStates.map { t in
            CorpusSummary.ThemeSummary(
                id: t.spec.id, lang: t.lang.rawValue, pattern: t.spec.pattern.rawValue, documents: t.documents.count,
                episodes: truth.episodes(t).map { (truth.monthString($0.start), truth.monthString($0.end), $0.sources.count, $0.new.count) },
                phrasings: t.surfaces.count)
        }
        return CorpusSummary(
            seed: options.seed, period: "\(options.startYear)-01 .. 2025-12", clients: clients.count, documents: documents,
            bytes: writer.bytesWritten, files: writer.filesByFormat.values.reduce(0, +), filesByFormat: writer.filesByFormat,
            documentsByFormat: documentsByFormat, documentsByLanguage: documentsByLanguage, legacyEncoded: legacy, themes: themes,
            duplicateClusters: truth.clusterKinds, duplicateParagraphs: truth.counts)
    }
}
