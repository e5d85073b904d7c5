import Foundation
import RecurKit
import RecurTestSupport
import Testing

@testable import RecurCorpus

/// Files under `root` (relative paths, sorted), hidden files included.
func listFiles(_ root: URL) -> [String] {
    guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    var out: [String] = []
    let base = root.standardizedFileURL.path
    for case let url as URL in e {
        if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            out.append(String(url.standardizedFileURL.path.dropFirst(base.count + 1)))
        }
    }
    return out.sorted()
}

func temporaryFolder(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("recur-corpus-\(name)-\(UUID().uuidString)")
    return url
}

/// Two folders hold the same files with the same bytes.
func sameTree(_ a: URL, _ b: URL) -> (Bool, String) {
    let fa = listFiles(a), fb = listFiles(b)
    if fa != fb { return (false, "file lists differ: \(Set(fa).symmetricDifference(fb).sorted().prefix(5))") }
    for f in fa {
        let da = FileManager.default.contents(atPath: a.appendingPathComponent(f).path)
        let db = FileManager.default.contents(atPath: b.appendingPathComponent(f).path)
        if da != db { return (false, "\(f) differs") }
    }
    return (true, "")
}

struct Truth {
    var json: [String: Any]
    var documents: [[String: Any]] { json["documents"] as? [[String: Any]] ?? [] }
    var themes: [[String: Any]] { json["themes"] as? [[String: Any]] ?? [] }
    var duplicates: [[String: Any]] { json["duplicates"] as? [[String: Any]] ?? [] }

    init(_ root: URL) throws {
        let data = try Data(contentsOf: root.appendingPathComponent("truth.json"))
        json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

func monthNumber(_ ym: String) -> Int {
    let parts = ym.split(separator: "-").compactMap { Int($0) }
    return parts[0] * 12 + parts[1] - 1
}

@Suite("Corpus generator")
struct CorpusGeneratorTests {
    @Test("The same seed writes the same bytes; another seed writes another archive")
    func determinism() throws {
        let a = temporaryFolder("a"), b = temporaryFolder("b"), c = temporaryFolder("c")
        defer { for u in [a, b, c] { try? FileManager.default.removeItem(at: u) } }
        _ = try CorpusGenerator.generate(CorpusOptions(seed: 7, targetBytes: 400_000), into: a)
        _ = try CorpusGenerator.generate(CorpusOptions(seed: 7, targetBytes: 400_000), into: b)
        _ = try CorpusGenerator.generate(CorpusOptions(seed: 8, targetBytes: 400_000), into: c)
        let (same, why) = sameTree(a, b)
        #expect(same, "\(why)")
        let (alsoSame, _) = sameTree(a, c)
        #expect(!alsoSame)
    }

    @Test("Regenerating the demo reproduces corpora/demo byte for byte")
    func demoReproduces() throws {
        let demo = TestPaths.packageRoot.appendingPathComponent("corpora/demo")
        guard FileManager.default.fileExists(atPath: demo.appendingPathComponent("truth.json").path) else { return }
        let out = temporaryFolder("demo")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try CorpusGenerator.generate(CorpusOptions(seed: 2024, demo: true), into: out)
        let (same, why) = sameTree(demo, out)
        #expect(same, "corpora/demo is stale (\(why)); regenerate with: swift run recur-corpus --demo --seed 2024 --out corpora/demo --replace")
    }

    @Test("Legacy-encoded text round-trips through RecurKit's decoder", arguments: [
        ("windows-1251", CorpusLanguage.ru), ("KOI8-R", .ru), ("ISO-8859-15", .fi),
        ("Shift_JIS", .ja), ("EUC-JP", .ja), ("ISO-2022-JP", .ja),
    ])
    func legacyRoundTrip(charset: String, lang: CorpusLanguage) throws {
        let pack = LanguagePack.pack(lang)
        var texts = pack.greetings + pack.signoffs + pack.legalFooters + pack.bumpLines + pack.noteChatter
        for t in pack.themes { texts += t.details + t.verbs + t.nouns.map { $0[0] } }
        for c in pack.chatter { texts += c.sentences }
        let text = texts.map { Legacy.fit($0, charset) }.joined(separator: "\n\n")
        let bytes = try #require(Legacy.encode(text, charset))
        #expect(bytes.count > 0 && bytes != Array(text.utf8))
        let decoded = CharsetDecoder().decode(bytes, declared: charset)
        #expect(decoded.invalidBytes == 0)
        #expect(decoded.text == text)
    }

    @Test("MIME helpers: base64 and quoted-printable")
    func mime() {
        #expect(MIME.base64(Array("Man".utf8)) == "TWFu")
        #expect(MIME.base64(Array("Ma".utf8)) == "TWE=")
        #expect(MIME.quotedPrintable(Array("a=b \n-- ".utf8), newline: "\r\n") == "a=3Db=20\r\n--=20")
        let long = MIME.quotedPrintable(Array(String(repeating: "ä", count: 40).utf8), newline: "\n")
        #expect(long.split(separator: "\n").allSatisfy { $0.count <= 76 })
    }

    @Test("A 2 MB archive: size on target, truth consistent, themes recur")
    func sizedArchiveAndTruth() throws {
        let out = temporaryFolder("2mb")
        defer { try? FileManager.default.removeItem(at: out) }
        let target = 2_000_000
        let summary = try CorpusGenerator.generate(CorpusOptions(seed: 11, targetBytes: target), into: out)
        let files = listFiles(out).filter { $0 != "truth.json" && $0 != "README.md" }
        var total = 0
        for f in files { total += (try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(f).path)[.size] as? Int) ?? 0 }
        #expect(abs(total - target) < target / 10, "wrote \(total) bytes for a target of \(target)")
        #expect(total == summary.bytes)
        #expect(files.count > 500 && files.count < 5000)
        for ext in ["eml", "mbox", "html", "txt", "md", "jsonl", "csv"] {
            #expect(files.contains { $0.hasSuffix("." + ext) }, "no .\(ext) file")
        }

        let truth = try Truth(out)
        #expect(truth.documents.count == summary.documents)
        let paths = Set(files)
        var ids = Set<String>()
        for d in truth.documents {
            let path = d["path"] as? String ?? ""
            #expect(paths.contains(path), "\(path) missing")
            ids.insert(d["id"] as? String ?? "")
        }
        #expect(ids.count == truth.documents.count, "document ids are not unique")
        for d in truth.duplicates {
            for m in d["members"] as? [[String: Any]] ?? [] { #expect(ids.contains(m["doc"] as? String ?? "")) }
        }
        #expect(!truth.duplicates.isEmpty)

        var comebacks = 0
        for t in truth.themes {
            let id = t["id"] as? String ?? ""
            let episodes = t["episodes"] as? [[String: Any]] ?? []
            #expect(!episodes.isEmpty, "\(id) has no episode")
            for pair in zip(episodes, episodes.dropFirst()) {
                let gap = monthNumber(pair.1["start"] as! String) - monthNumber(pair.0["end"] as! String) - 1
                #expect(gap >= 2, "\(id): episodes only \(gap) months apart")
            }
            if episodes.count >= 2 { comebacks += 1 }
            for doc in t["documents"] as? [String] ?? [] { #expect(ids.contains(doc)) }
        }
        #expect(comebacks >= 5, "only \(comebacks) themes come back after a quiet gap")
        for t in summary.themes { #expect(t.phrasings >= 4, "\(t.id) has only \(t.phrasings) phrasings") }
    }

    @Test("Mail bodies decode to the truth's paragraphs")
    func mailBodiesDecode() throws {
        let out = temporaryFolder("mail")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try CorpusGenerator.generate(CorpusOptions(seed: 3, targetBytes: 300_000), into: out)
        // Every legacy single-part e-mail: decode its declared charset and transfer encoding by hand.
        var checked = 0
        for f in listFiles(out) where f.hasSuffix(".eml") {
            let bytes = try #require(FileManager.default.contents(atPath: out.appendingPathComponent(f).path))
            let text = String(decoding: bytes, as: UTF8.self)
            guard !text.contains("multipart/"), text.contains("Content-Transfer-Encoding: base64") else { continue }
            guard let cs = text.range(of: "charset=\"")
                .map({ String(text[$0.upperBound...].prefix { $0 != "\"" }) }), cs != "UTF-8" else { continue }
            let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
            let raw = try #require(Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: "")))
            let decoded = CharsetDecoder().decode(Array(raw), declared: cs)
            #expect(decoded.invalidBytes == 0, "\(f)")
            #expect(!decoded.text.contains("\u{FFFD}") && !decoded.text.contains("?\u{1A}"), "\(f)")
            checked += 1
        }
        #expect(checked > 0)
    }
}

@Suite("Corpus encodings as recur detects them")
struct CorpusDetectionTests {
    @Test("Undeclared legacy notes (windows-1251, Shift_JIS) are detected by RecurKit's decoder")
    func undeclaredNotes() throws {
        let out = temporaryFolder("notes")
        defer { try? FileManager.default.removeItem(at: out) }
        let options = CorpusOptions(seed: 2024, demo: true)
        _ = try CorpusGenerator.generate(options, into: out)
        let clients = ClientRoster.make(seed: 2024, count: options.clientCount, months: options.months)
        var expected: [String: String] = [:]
        for c in clients { if let cs = c.noteCharset { expected[c.id] = cs } }
        var checked = 0, right = 0
        var wrong: [String] = []
        for f in listFiles(out) where f.hasPrefix("notes/") && f.hasSuffix(".txt") {
            let folder = String(f.split(separator: "/")[1])
            guard let cs = expected[folder] else { continue }
            let bytes = try #require(FileManager.default.contents(atPath: out.appendingPathComponent(f).path))
            let decoded = CharsetDecoder().decode(Array(bytes))
            checked += 1
            if decoded.encoding == cs || (cs == "Shift_JIS" && decoded.encoding == "CP932") { right += 1 } else { wrong.append("\(f): \(decoded.encoding)") }
        }
        #expect(checked > 0)
        #expect(right * 10 >= checked * 9, "detected \(right) of \(checked): \(wrong.prefix(5))")
    }
}
