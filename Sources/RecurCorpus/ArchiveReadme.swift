/// The README written at the root of every generated archive.
enum ArchiveReadme {
    static func text(_ s: CorpusSummary, options: CorpusOptions) -> String {
        let command = options.demo
            ? "swift run recur-corpus --demo --seed \(s.seed) --out corpora/demo --replace"
            : "swift run -c release recur-corpus --seed \(s.seed) --size \(options.targetBytes) --out DIR"
        func table(_ d: [String: Int]) -> String {
            d.keys.sorted().map { "| \($0) | \(d[$0]!) |" }.joined(separator: "\n")
        }
        var t = """
        # \(options.demo ? "Demo archive" : "Generated archive") (recur-corpus, seed \(s.seed))

        A synthetic archive of client inquiries to a marketing agency ("Kaiku Digital"), written by
        `recur-corpus` with known truth in `truth.json`. Every text was generated from phrase banks the
        team wrote for this purpose; names, companies, domains and phone numbers are invented.

        Regenerate it byte for byte:

        ```sh
        \(command)
        ```

        ## Contents

        - period \(s.period), \(s.clients) clients (sources; a client's id is its e-mail domain, used as
          sender domain, folder name and front-matter `source:` alike), \(s.documents) documents,
          \(s.files) files, \(s.bytes) bytes (this README and truth.json not counted)
        - `mail/YYYY/*.eml`: single messages, some multipart/alternative with an HTML part, in UTF-8 or
          a legacy charset (windows-1251, KOI8-R, ISO-8859-15, Shift_JIS, ISO-2022-JP, EUC-JP) declared
          in the MIME header, as quoted-printable, base64, 8bit or 7bit
        - `mail/mbox/<client>-YYYY.mbox`: three clients' mail exported as mbox (mboxrd), one per year
        - `forms/<client>/YYYY-MM-DD-form-N.html`: web-form notifications with site boilerplate
        - `notes/<client>/YYYY-MM-DD-<kind>.txt`: the agency's call and meeting notes (a few in windows-1251
          or Shift_JIS without any declaration); `.md` notes carry YAML front matter `date:` and `source:`
        - `tickets/helpdesk-export.jsonl` and `tickets/support-export.csv` (RFC 4180, CRLF, quoted multi-line
          text): ticket-system exports with fields id, date, source, subject, text

        Documents by format:

        | format | documents |
        |---|---|
        \(table(s.documentsByFormat))

        Documents by language:

        | lang | documents |
        |---|---|
        \(table(s.documentsByLanguage))

        ## Themes

        Recurring requests, following the life cycle of `corpora/seeds/ru-new-ideas-at-work.txt`: asked
        once, forgotten for months, asked again by another client, then more and more often. Each mention
        is built from a request cue × a phrase variant in the form the cue needs × a context clause.

        | theme | pattern | documents | episodes (start..end, sources, new) | phrasings |
        |---|---|---|---|---|

        """
        for th in s.themes {
            let eps = th.episodes.map { "\($0.start)..\($0.end) (\($0.sources), +\($0.newSources))" }.joined(separator: "; ")
            t += "| \(th.id) | \(th.pattern) | \(th.documents) | \(eps) | \(th.phrasings) |\n"
        }
        t += """

        ## truth.json

        - `documents`: every document with recur's id (`path`, `path#N` for the N-th mbox message,
          `path#<id>` for JSONL/CSV records), path, date, source, lang and the themes its own text mentions
          (quoted `> ` lines of a reminder do not count; a forwarded copy or a ticket copy does).
        - `themes`: label, keywords (lower-case stems, ё folded to е), designed pattern, documents, and
          episodes: runs of months with documents, split by two or more months without any; `new_sources`
          are the sources not seen in earlier episodes.
        - `duplicates`: every paragraph text that occurs more than once, as recur should split it (blank
          lines; quoted paragraphs are separated by blank lines too; line ends as `\\n`). `paragraph_text` is
          the text as written (quoted members keep their `> `). Kinds: `near` (a corrected copy is among the
          members), `boilerplate` (greetings, sign-offs, signatures, footers, web-page furniture, stock lines),
          `quote` (a paragraph quoted in a reminder), `exact` (the rest: copies in the ticket system, forwards,
          sentences that repeat by chance).
        """
        if !options.fullDuplicates {
            t += "\n- This archive is large: `duplicates` is empty and `duplicate_counts` gives the number of paragraphs\n  of each kind written (boilerplate instances, quoted, near-edited and exact copies) instead of clusters.\n"
        } else {
            t += "\n\nDuplicate clusters by kind: " + s.duplicateClusters.keys.sorted().map { "\($0) \(s.duplicateClusters[$0]!)" }.joined(separator: ", ") + ".\n"
        }
        return t
    }
}
