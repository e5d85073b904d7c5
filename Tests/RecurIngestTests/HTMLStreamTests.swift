@testable import RecurKit
import RecurCorpus
import RecurTestSupport
import Testing

/// `HTMLText.Stream` converts a page a stretch at a time: wherever the stretches are cut (inside a
/// tag, a quoted attribute, a comment, a `<script>`, a character reference or a UTF-8 sequence),
/// the text and title are those of `HTMLText.convert` of the whole page.
@Suite("HTML converted a stretch at a time gives what the whole page gives")
struct HTMLStreamTests {
    /// The text and title of `html` fed in stretches of the given sizes (cycled).
    static func streamed(_ html: String, cuts: [Int]) -> (text: String, title: String?) {
        let bytes = Array(html.utf8)
        var stream = HTMLText.Stream()
        var text: [UInt8] = []
        var at = 0, k = 0
        while at < bytes.count {
            let end = min(bytes.count, at + max(1, cuts[k % cuts.count]))
            text += bytes[at..<end].withUnsafeBufferPointer { stream.feed($0, final: false) }
            at = end
            k += 1
        }
        text += [UInt8]().withUnsafeBufferPointer { stream.feed($0, final: true) }
        return (String(decoding: text, as: UTF8.self), stream.title)
    }

    static let cutPatterns: [[Int]] = [[1], [2], [3], [5], [7, 1, 2], [64], [4096]]

    static func check(_ html: String) -> Bool {
        let whole = HTMLText.convert(html)
        return cutPatterns.allSatisfy { cuts in
            let part = streamed(html, cuts: cuts)
            return Array(part.text.utf8) == Array(whole.text.utf8) && part.title == whole.title
        }
    }

    @Test("the hand-written cases", arguments: HTMLTextTests.cases)
    func cases(_ html: String) {
        #expect(Self.check(html), "\(HTMLTextTests.describe(html))")
    }

    @Test("pages that hold every construct, cut everywhere")
    func pages() {
        let page = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>Заявка &amp; интеграция</title>
            <style>p { color: red } /* </p> */</style><script>if (a < b) document.write("<p>no</p>")</script></head>
            <body><!-- a comment with <p>tags</p> and -- dashes --><h1>Нужна интеграция</h1>
            <p class='x' data-y=">">Сквозная аналитика&nbsp;и&#160;отчёты &hellip; &#x41;&#65; &amp</p>
            <blockquote><p>Цитата</p><blockquote>вложенная</blockquote></blockquote>
            <pre>  строка 1
              строка 2</pre><textarea>поле
            формы</textarea><input type=text value="значение"><input type=hidden value=h>
            <?xml version="1.0"?><ul><li>один<li>два</ul><br><br>日本語の段落です。😀 e\u{301}\u{00A0}\u{3000}конец
            a < b and c > d <3 <я>буквы</я> <title>second title</title></body></html>
            """
        #expect(Self.check(page))
        #expect(HTMLText.convert(page).title == "Заявка & интеграция")
        // Pages that end inside something: a comment, a script, a tag, an attribute, a reference.
        for end in ["<!-- open", "<script>never closed", "<p class='open", "<title>open", "<", "</", "&am", "<!", "<?x", "<textarea>x"] {
            #expect(Self.check(page + end), "\(end)")
        }
    }

    @Test("random strings of HTML fragments and of markup characters, cut at random")
    func randomized() {
        var rng = SplitMix64(seed: 0x57EA_4D11_0000_0001)
        var mismatches = 0
        for round in 0..<3000 {
            let html = round % 2 == 0 ? HTMLTextTests.randomFragments(&rng) : HTMLTextTests.randomCharacters(&rng, limit: 30)
            let cuts = (0..<5).map { _ in 1 + Int(rng.next() % 9) }
            let whole = HTMLText.convert(html)
            let part = Self.streamed(html, cuts: cuts)
            if Array(part.text.utf8) != Array(whole.text.utf8) || part.title != whole.title {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(HTMLTextTests.describe(html)) cuts \(cuts)") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("a long page is held a stretch at a time: what waits stays small")
    func heldSmall() {
        var stream = HTMLText.Stream()
        let paragraph = Array("<p>Нужна интеграция с CRM и сквозная аналитика, как договорились.</p>\n".utf8)
        var text = 0
        for _ in 0..<20_000 {
            text += paragraph.withUnsafeBufferPointer { stream.feed($0, final: false) }.count
            #expect(stream.pendingCount < 2 * paragraph.count)
        }
        #expect(text > 20_000 * 50)
    }
}

