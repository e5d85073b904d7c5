import ArgumentParser
import Foundation
import RecurCorpus

struct RecurCorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recur-corpus",
        abstract: "Writes a synthetic client-inquiry archive (ru, fi, ja) with known truth, for testing recur.",
        discussion: """
        The archive holds e-mails (.eml, some in windows-1251, KOI8-R, ISO-8859-15, Shift_JIS,
        ISO-2022-JP or EUC-JP), mbox exports, web-form pages (.html), notes (.txt, .md) and two
        ticket exports (.jsonl, .csv), about forty clients over 2024-2025 (longer for big sizes),
        with recurring request themes, noise and duplicates. truth.json lists every document, the
        themes with their episodes and comebacks, and the duplicate paragraphs.

        The same seed always writes the same bytes.

        Examples:
          recur-corpus --demo --seed 2024 --out corpora/demo --replace   # the committed demo archive
          recur-corpus --seed 7 --size 50MB --out /tmp/archive-50mb      # a bigger archive
          recur-corpus --seed 7 --size 1GB --out /data/archive-1gb       # streaming; truth keeps counts only
        """
    )

    @Option(help: "Seed of the archive; the same seed writes the same bytes.")
    var seed: UInt64 = 2024

    @Option(help: ArgumentHelp("Folder to write into. Must be empty or absent (see --replace).", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Archive size to aim for (within a few percent), e.g. 1MB, 50MB, 1GB, 500KB (1MB = 1,000,000 bytes; MiB/GiB also accepted).", valueName: "size"))
    var size: String?

    @Flag(help: "Write the committed demo archive (2024-01..2025-12, 40 clients, about 1.6 MB).")
    var demo = false

    @Flag(help: "Delete the contents of --out first if it is not empty.")
    var replace = false

    func validate() throws {
        if demo && size != nil { throw ValidationError("--demo has a fixed size; leave out --size.") }
        if let size, Self.parseSize(size) == nil { throw ValidationError("Cannot read size '\(size)'; write e.g. 2MB, 50MB or 1GB.") }
    }

    static func parseSize(_ text: String) -> Int? {
        let s = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Double)] = [("KIB", 1024), ("MIB", 1_048_576), ("GIB", 1_073_741_824), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("K", 1000), ("M", 1_000_000), ("G", 1_000_000_000), ("B", 1)]
        for (suffix, factor) in units where s.hasSuffix(suffix) {
            guard let v = Double(s.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), v > 0 else { return nil }
            return Int(v * factor)
        }
        guard let v = Int(s), v > 0 else { return nil }
        return v
    }

    func run() throws {
        let url = URL(fileURLWithPath: out)
        let fm = FileManager.default
        if let items = try? fm.contentsOfDirectory(atPath: url.path), !items.isEmpty {
            guard replace else {
                throw ValidationError("\(out) is not empty; choose another folder or pass --replace to delete its contents first.")
            }
            for item in items.sorted() { try fm.removeItem(at: url.appendingPathComponent(item)) }
        }
        let options = CorpusOptions(seed: seed, targetBytes: size.flatMap(Self.parseSize) ?? CorpusOptions.demoBytes, demo: demo)
        let s = try CorpusGenerator.generate(options, into: url)
        var lines = ["wrote \(s.documents) documents in \(s.files) files, \(s.bytes) bytes, to \(out) (period \(s.period), \(s.clients) clients)"]
        lines.append("files: " + s.filesByFormat.keys.sorted().map { "\($0) \(s.filesByFormat[$0]!)" }.joined(separator: ", "))
        lines.append("documents: " + s.documentsByFormat.keys.sorted().map { "\($0) \(s.documentsByFormat[$0]!)" }.joined(separator: ", "))
        lines.append("themes: \(s.themes.count), with a comeback after 2+ quiet months: \(s.themes.filter { $0.comebacks > 0 }.count)")
        print(lines.joined(separator: "\n"))
    }
}

RecurCorpusCommand.main()
