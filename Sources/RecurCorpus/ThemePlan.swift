/// A theme's schedule over the archive: mentions per month, which clients raise it, and its life-cycle stage.
struct ThemePlan: Sendable {
    var spec: ThemeSpec
    var lang: CorpusLanguage
    var counts: [Int]
    /// Clients who may raise the theme in each month (first ones first: they have not raised it yet).
    var clientsByMonth: [[Int]]
    /// Life-cycle stage per month: 0 first sighting, 1 comeback, 2 adopted.
    var stageByMonth: [Int]

    static func make(spec: ThemeSpec, lang: CorpusLanguage, months n: Int, scale: Double, clients: [Client], seed: UInt64) -> ThemePlan {
        var rng = SplitMix64.derive(seed, "theme:" + spec.id)
        let u = Double(n) / 24.0
        let gs = max(1.0, u.squareRoot())
        var runs: [(start: Int, end: Int, base: Double, top: Double)] = []
        func scaled(_ r: ClosedRange<Int>) -> Int { max(1, Int((Double(rng.int(in: r)) * gs).rounded())) }

        switch spec.pattern {
        case .recurring:
            let a = rng.int(in: 0...max(1, Int(2 * u)))
            runs.append((a, a, 1, 1))
            let gaps: [ClosedRange<Int>] = [5...7, 3...5, 3...4, 3...3]
            var burst = 1.0
            var k = 0
            while true {
                let gap = max(3, scaled(gaps[min(k, gaps.count - 1)]))
                let start = runs.last!.end + 1 + gap
                if start >= n - 1 { break }
                let length = max(1, Int((burst * gs).rounded()))
                if start + length + 3 + 3 >= n || k >= 6 {
                    runs.append((start, n - 1, 1.2, 4.5))
                    break
                }
                runs.append((start, start + length - 1, 1, 1.6))
                burst *= 2
                k += 1
            }
        case .steady:
            let s = rng.int(in: 0...max(1, Int(2 * u)))
            runs.append((s, n - 1, 1.6 + rng.unit(), 1.6 + rng.unit()))
        case .rising:
            var mainStart = Int(Double(n) * (0.35 + rng.unit() * 0.1))
            if rng.chance(0.6) {
                let early = rng.int(in: 0...max(1, Int(3 * u)))
                runs.append((early, early, 1, 1))
                mainStart = max(mainStart, early + 4)
            }
            runs.append((mainStart, n - 1, 0.7, 5.0))
        case .fading:
            let s = rng.int(in: 0...max(1, Int(u)))
            let e = Int(Double(n) * (0.55 + rng.unit() * 0.12))
            runs.append((s, e, 4.0, 0.8))
        case .oneOff:
            let s = Int(Double(n) * (0.25 + rng.unit() * 0.5))
            let length = max(1, Int((Double(rng.int(in: 1...2)) * gs).rounded()))
            runs.append((s, min(n - 1, s + length - 1), 2.5, 2.5))
        }

        var counts = [Int](repeating: 0, count: n)
        var clientsByMonth = [[Int]](repeating: [], count: n)
        var stage = [Int](repeating: 2, count: n)
        let pool = rng.shuffled(clients.filter { $0.lang == lang }.map(\.index))
        var next = 0
        var seen: [Int] = []
        func takeNew(_ month: Int) -> Int? {
            var tries = 0
            while tries < pool.count {
                let c = pool[next % pool.count]
                next += 1
                tries += 1
                let client = clients[c]
                if client.firstMonth <= month && month <= client.lastMonth && (next <= pool.count || !seen.contains(c)) { return c }
            }
            return nil
        }
        let perRunNew = max(1, Int(scale.rounded()))
        for (ri, run) in runs.enumerated() {
            var active: [Int] = []
            let newCount = ri == 0 ? perRunNew : perRunNew * rng.int(in: 1...2)
            for _ in 0..<newCount { if let c = takeNew(run.start) { active.append(c) } }
            if ri > 0 && !seen.isEmpty {
                for c in rng.sample(seen, rng.int(in: 0...2)) where !active.contains(c) { active.append(c) }
            }
            seen.append(contentsOf: active.filter { !seen.contains($0) })
            let length = run.end - run.start + 1
            for m in run.start...run.end {
                let t = length == 1 ? 0 : Double(m - run.start) / Double(length - 1)
                let intensity = (run.base + (run.top - run.base) * t) * scale
                var c = max(1, rng.poisson(intensity))
                if spec.pattern == .oneOff { c = max((4 + length - 1) / length, c) }
                if runs.count > 1 && ri == 0 && run.start == run.end && spec.pattern != .steady { c = max(1, Int(scale.rounded())) }
                counts[m] = c
                // Long runs pick up new clients as they go: the request spreads.
                if m > run.start && (m - run.start) % 3 == 0 && spec.pattern != .fading && spec.pattern != .oneOff {
                    for _ in 0..<perRunNew { if let c = takeNew(m) { active.insert(c, at: 0); if !seen.contains(c) { seen.append(c) } } }
                }
                clientsByMonth[m] = active.filter { clients[$0].firstMonth <= m && m <= clients[$0].lastMonth }
                if clientsByMonth[m].isEmpty, let c = takeNew(m) { clientsByMonth[m] = [c] }
                switch spec.pattern {
                case .recurring, .rising: stage[m] = ri == 0 ? 0 : (ri == runs.count - 1 ? 2 : 1)
                case .oneOff: stage[m] = 0
                case .steady, .fading: stage[m] = 2
                }
            }
        }
        return ThemePlan(spec: spec, lang: lang, counts: counts, clientsByMonth: clientsByMonth, stageByMonth: stage)
    }
}

/// One rendered theme mention: the sentence and the surface phrase that carries the theme.
struct Mention: Sendable {
    var themeID: String
    var sentence: String
    var surface: String
}

enum MentionWriter {
    /// Builds one mention from a template × a phrase variant (in the form the template needs) × a context clause.
    static func render(_ spec: ThemeSpec, pack: LanguagePack, note: Bool, variant: Int, rng: inout SplitMix64) -> Mention {
        let template = rng.pick(note ? pack.noteTemplates : pack.requestTemplates)
        var ctx = rng.pick(pack.contexts)
        var s = template
        var surface = ""
        if s.contains("{vp}") || s.contains("{vstem}") {
            surface = spec.verbs[variant % spec.verbs.count]
            s = s.replacingOccurrences(of: "{vp}", with: surface).replacingOccurrences(of: "{vstem}", with: surface)
        } else {
            let n = spec.nouns[variant % spec.nouns.count]
            switch pack.lang {
            case .ru:
                let g = n[1]
                let need = ["m": "Нужен", "f": "Нужна", "n": "Нужно", "p": "Нужны"][g] ?? "Нужна"
                let interest = g == "p" ? "интересуют" : "интересует"
                for (slot, form) in [("{nom}", n[0]), ("{acc}", n[2]), ("{gen}", n[3]), ("{prep}", n[4])] where s.contains(slot) {
                    surface = form
                    s = s.replacingOccurrences(of: slot, with: form)
                }
                s = s.replacingOccurrences(of: "{need}", with: need).replacingOccurrences(of: "{needl}", with: need.lowercased())
                s = s.replacingOccurrences(of: "{interestl}", with: interest)
            case .fi:
                for (slot, form) in [("{nom}", n[0]), ("{par}", n[1]), ("{gen}", n[2]), ("{ela}", n[3])] where s.contains(slot) {
                    surface = form
                    s = s.replacingOccurrences(of: slot, with: form)
                }
                if s.contains("{Gen}") {
                    surface = n[2]
                    s = s.replacingOccurrences(of: "{Gen}", with: capitalizedFirst(n[2]))
                }
            case .ja:
                surface = n[0]
                s = s.replacingOccurrences(of: "{noun}", with: n[0])
            }
        }
        if pack.lang == .ja && !template.hasPrefix("{ctx}") { ctx = "" }
        s = s.replacingOccurrences(of: "{ctx}", with: ctx)
        return Mention(themeID: spec.id, sentence: capitalizedFirst(s), surface: surface)
    }
}

func capitalizedFirst(_ s: String) -> String {
    guard let f = s.first else { return s }
    return f.uppercased() + s.dropFirst()
}
