import Foundation

/// Collects the ground truth while documents are written, and writes `truth.json`.
///
/// Documents are streamed to a temporary file as they come; themes keep their document ids and
/// months in memory (small); duplicate clusters are kept in full only up to `fullDuplicateLimit`
/// paragraphs — beyond that, truth.json carries per-kind counts instead (`duplicate_counts`).
final class TruthCollector {
    struct ThemeState {
        var spec: ThemeSpec
        var lang: CorpusLanguage
        var documents: [String] = []
        var monthSources: [Int: Set<String>] = [:]
        var surfaces = Set<String>()
    }

    private struct Cluster {
        var members: [(doc: Int32, text: String)] = []
        var boilerplate = false
        var quote = false
        var near = false
    }

    let seed: UInt64
    let startYear: Int
    let fullDuplicates: Bool
    private let docsURL: URL
    private let docsHandle: FileHandle
    private var firstDoc = true
    private(set) var documentCount = 0
    private(set) var themeStates: [ThemeState]
    private var themeIndex: [String: Int] = [:]
    private var docIDs: [String] = []
    private var clusterOf: [String: Int] = [:]
    private var clusters: [Cluster] = []
    private(set) var counts: [String: Int] = ["boilerplate": 0, "exact": 0, "near": 0, "quote": 0]

    init(seed: UInt64, startYear: Int, themes: [(ThemeSpec, CorpusLanguage)], scratch: URL, fullDuplicates: Bool) throws {
        self.seed = seed
        self.startYear = startYear
        self.fullDuplicates = fullDuplicates
        docsURL = scratch
        guard FileManager.default.createFile(atPath: scratch.path, contents: nil), let h = FileHandle(forWritingAtPath: scratch.path) else {
            throw CorpusError.io("cannot write \(scratch.path)")
        }
        docsHandle = h
        themeStates = themes.map { ThemeState(spec: $0.0, lang: $0.1) }
        for (i, t) in themes.enumerated() { themeIndex[t.0.id] = i }
    }

    func add(id: String, path: String, doc: DocContent, client: Client, month: Int) throws {
        let themes = doc.themes
        var line = firstDoc ? "" : ",\n"
        firstDoc = false
        line += "    {\"date\": \(Render.jsonString(doc.moment.day.iso)), \"id\": \(Render.jsonString(id)), \"lang\": \"\(client.lang.rawValue)\", \"path\": \(Render.jsonString(path)), \"source\": \(Render.jsonString(client.id)), \"themes\": [\(themes.map(Render.jsonString).joined(separator: ", "))]}"
        try docsHandle.write(contentsOf: Data(line.utf8))
        documentCount += 1
        for t in themes {
            let i = themeIndex[t]!
            themeStates[i].documents.append(id)
            themeStates[i].monthSources[month, default: []].insert(client.id)
        }
        for m in doc.mentions { themeStates[themeIndex[m.themeID]!].surfaces.insert(m.surface) }

        // Duplicates.
        let docIndex = Int32(docIDs.count)
        if fullDuplicates { docIDs.append(id) }
        for p in doc.paragraphs {
            if p.role.isBoilerplate { counts["boilerplate"]! += 1 }
            if p.role == .quote { counts["quote"]! += 1 } else if p.near { counts["near"]! += 1 } else if p.copyOf != nil { counts["exact"]! += 1 }
            guard fullDuplicates else { continue }
            let key = p.copyOf ?? p.text
            let c: Int
            if let existing = clusterOf[key] {
                c = existing
            } else {
                c = clusters.count
                clusters.append(Cluster())
                clusterOf[key] = c
            }
            clusters[c].members.append((docIndex, p.text))
            if p.role.isBoilerplate { clusters[c].boilerplate = true }
            if p.role == .quote { clusters[c].quote = true }
            if p.near { clusters[c].near = true }
        }
    }

    func monthString(_ m: Int) -> String { "\(pad(startYear + m / 12, 4))-\(pad(m % 12 + 1, 2))" }

    /// Episodes: runs of months with documents, split where two or more calendar months in a row have none.
    func episodes(_ t: ThemeState) -> [(start: Int, end: Int, sources: [String], new: [String])] {
        let months = t.monthSources.keys.sorted()
        var out: [(start: Int, end: Int, sources: [String], new: [String])] = []
        var seen = Set<String>()
        var i = 0
        while i < months.count {
            var j = i
            while j + 1 < months.count && months[j + 1] - months[j] <= 2 { j += 1 }
            var sources = Set<String>()
            for m in months[i...j] { sources.formUnion(t.monthSources[m]!) }
            let new = sources.subtracting(seen)
            seen.formUnion(sources)
            out.append((months[i], months[j], sources.sorted(), new.sorted()))
            i = j + 1
        }
        return out
    }

    /// Writes truth.json (streaming the documents back from the scratch file).
    func finish(to url: URL) throws {
        try docsHandle.close()
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let out = FileHandle(forWritingAtPath: url.path) else {
            throw CorpusError.io("cannot write \(url.path)")
        }
        func w(_ s: String) throws { try out.write(contentsOf: Data(s.utf8)) }
        try w("{\n  \"documents\": [\n")
        if let input = FileHandle(forReadingAtPath: docsURL.path) {
            while true {
                let chunk = input.readData(ofLength: 1 << 20)
                if chunk.isEmpty { break }
                try out.write(contentsOf: chunk)
            }
            try input.close()
        }
        try FileManager.default.removeItem(at: docsURL)
        try w("\n  ],\n")
        if fullDuplicates {
            try w("  \"duplicates\": [")
            var n = 0
            for c in clusters where c.members.count >= 2 {
                n += 1
                let kind = c.near ? "near" : c.boilerplate ? "boilerplate" : c.quote ? "quote" : "exact"
                try w(n == 1 ? "\n" : ",\n")
                try w("    {\"cluster\": \"c\(pad(n, 4))\", \"kind\": \"\(kind)\", \"members\": [\n")
                try w(c.members.map { "      {\"doc\": \(Render.jsonString(docIDs[Int($0.doc)])), \"paragraph_text\": \(Render.jsonString($0.text))}" }.joined(separator: ",\n"))
                try w("\n    ]}")
            }
            try w("\n  ],\n")
        } else {
            try w("  \"duplicate_counts\": {\"boilerplate\": \(counts["boilerplate"]!), \"exact\": \(counts["exact"]!), \"near\": \(counts["near"]!), \"quote\": \(counts["quote"]!)},\n")
            try w("  \"duplicates\": [],\n")
        }
        try w("  \"generator\": {\"seed\": \(seed), \"version\": 1},\n")
        try w("  \"themes\": [\n")
        var firstTheme = true
        for t in themeStates {
            try w(firstTheme ? "" : ",\n")
            firstTheme = false
            try w("    {\n      \"documents\": [\(t.documents.map(Render.jsonString).joined(separator: ", "))],\n")
            let eps = episodes(t).map { e in
                "        {\"end\": \"\(monthString(e.end))\", \"new_sources\": [\(e.new.map(Render.jsonString).joined(separator: ", "))], \"sources\": [\(e.sources.map(Render.jsonString).joined(separator: ", "))], \"start\": \"\(monthString(e.start))\"}"
            }
            try w("      \"episodes\": [\n\(eps.joined(separator: ",\n"))\n      ],\n")
            try w("      \"id\": \(Render.jsonString(t.spec.id)),\n")
            try w("      \"keywords\": [\(t.spec.keywords.map(Render.jsonString).joined(separator: ", "))],\n")
            try w("      \"label\": \(Render.jsonString(t.spec.label)),\n")
            try w("      \"lang\": \"\(t.lang.rawValue)\",\n")
            try w("      \"pattern\": \"\(t.spec.pattern.rawValue)\"\n    }")
        }
        try w("\n  ]\n}\n")
        try out.close()
    }

    /// Number of clusters with at least two members, per kind (full mode only).
    var clusterKinds: [String: Int] {
        var out: [String: Int] = [:]
        for c in clusters where c.members.count >= 2 {
            out[c.near ? "near" : c.boilerplate ? "boilerplate" : c.quote ? "quote" : "exact", default: 0] += 1
        }
        return out
    }
}
