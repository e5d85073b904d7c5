@testable import RecurKit
import RecurCorpus
import RecurTestSupport
import Testing

/// `HTMLText.convert` works on the UTF-8 bytes; these tests hold it to the scalar-by-scalar
/// implementation it replaced (kept below as `ReferenceHTMLText`, verbatim but for its name and
/// without `declaredCharset`): the same text and title for every input.
@Suite("HTMLText on UTF-8 bytes gives what the scalar implementation gave")
struct HTMLTextTests {
    static let cases: [String] = [
        "",
        " ",
        "plain text",
        "  leading and trailing  ",
        "<",
        ">",
        "&",
        "a < b > c",
        "a<b",
        "a <3 b",
        "x<",
        "x</",
        "x</>",
        "x< p>y",
        "<p>one</p><p>two</p>",
        "<P>Upper</P><DIV>Case</DIV><Br>x<BR/>y",
        "<div>a<div>b</div>c</div>",
        "<h1>Title</h1><ul><li>one<li>two</ul><ol><li>three</ol>",
        "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>",
        "line<br>break<br/>and<br />again<br><br><br>end",
        "<br><br>start",
        "<p></p><p> </p><p>x</p><p></p>",
        "<blockquote>quoted<blockquote>twice</blockquote>once</blockquote>out",
        "<blockquote><p>a</p><p>b</p></blockquote>",
        "</blockquote></blockquote>x",
        "<pre> a  b\n  c\td\r\n</pre>after\nnewline\ttab",
        "<pre><pre>x\n</pre>y\nz</pre>w\nv</pre>u\n",
        "</pre>x\ny",
        "<script>var x = 1 < 2; document.write('<p>no</p>')</script>after",
        "<SCRIPT type=\"text/javascript\">x</SCRIPT >y",
        "<style>p { color: red }</style>text",
        "<noscript>enable js</noscript>text",
        "<template><p>t</p></template>x<svg><text>s</text></svg>y<iframe src=x>f</iframe>z<object>o</object>w",
        "<script>never closed",
        "<script>x</scriptx>y",
        "<textarea>  a &amp; b\n  <p>c</p>\r\n</textarea>after",
        "<textarea>unclosed &lt;",
        "<head><title>The &amp; Title</title><meta charset=utf-8><p>in head</p><br>x</head><body>body",
        "<title>  spaced \n title\u{00A0}&nbsp; </title>text",
        "<title></title><title>second</title>",
        "<title>unclosed",
        "<head>x<textarea>ta</textarea><pre>p</pre><blockquote>q</blockquote></head>y",
        "<head><input value=\"v\"></head><input value=\"w\">",
        "<html><head></head><body><p>x</p></body></html>",
        "<!-- comment -->text<!-- another -- comment -->more",
        "a<!-->b-->c",
        "a<!--->b-->c",
        "<!-- unclosed comment",
        "<!---->x",
        "<!DOCTYPE html><html>x",
        "<![CDATA[ cdata <p> text ]]>after",
        "<?xml version=\"1.0\"?>x",
        "<!",
        "<!-",
        "<?",
        "x<!-- c -->y",
        "<p class=\"a>b\">x</p>",
        "<a href='>'>link</a>",
        "<a title=\"it's\" href='say \"hi\"'>q</a>",
        "<a href=x>y</a><a href = \"z\" >w</a>",
        "<p =\"x\">y</p>",
        "<p =>y</p>",
        "<p = >y</p>",
        "<p a=\"unclosed>y</p>z",
        "<p a='x'b='y'>z",
        "<p/>x<p / >y<br/ >z",
        "<p a/b=c>x",
        "<p\ta\n=\n'1'\r\n>x",
        "<div",
        "text<div",
        "text<div class=",
        "text<div class=\"",
        "text </div",
        "<img src=x alt=y>z",
        "<input type=text value=\"typed &amp; kept\">",
        "<input value=\"no type\">",
        "<input type=hidden value=secret><input type=SUBMIT value=Go><input type=\"Checkbox\" value=on>",
        "<input type=checKbox value=kelvin>",
        "<input value=\"   \"><input value=\"\u{00A0}\"><input value=\" \u{301}\"><input value>",
        "<input value=\"first\" value=\"second\">",
        "<input VALUE=\"upper\" TYPE=\"Text\">",
        "<input value=\"a\nb\tc\">",
        "<input type=\"&#104;idden\" value=x>",
        "&amp; &lt; &gt; &quot; &apos; &nbsp; &copy; &reg;",
        "&amp &lt &gt &quot &nbsp &copy &reg &apos &hellip",
        "&AMP; &Amp; &NBSP; &AUML; &Auml; &auml; &Ouml; &aring; &Aring; &UUML;",
        "&ampx; &ampx &amp;amp; &&amp; &; &#; &#x; &#X41; &#x41; &#65; &#065 &#65x",
        "&unknown; &toolongentityname; &abcdefghij; &abcdefghijk;",
        "&#0; &#x0; &#1114111; &#1114112; &#x110000; &#99999999999999999999; &#xD800; &#xDFFF;",
        "&#150; &#151; &#128; &#129; &#141; &#x96; &#x80; &#159; &#160; &#xa0;",
        "&#10;&#13;&#9;&#12;&#32;&#xA0;x&#10;y",
        "<pre>&#10;a&#13;&#10;b&#9;c</pre>",
        "&#x1F600; &#128512; &#x301;e",
        "&hellip;&mdash;&ndash;&laquo;&raquo;&euro;&frac12;&plusmn;&numero;&minus;&larr;&rarr;",
        "&am<p>p;",
        "a&amp",
        "a&",
        "a&#",
        "a&#x",
        "a&#12",
        "Привет, мир! <p>Съешь же ещё этих мягких французских булок</p>",
        "<p>Hyvää päivää, öljyä ja åbo. ÄÖÅ</p>",
        "<p>日本語のテキスト。</p><p>東京都</p>",
        "emoji 😀👍🏽 👨‍👩‍👧 🇫🇮",
        "e\u{301} a\u{308} \u{301}start <p>\u{301}</p>",
        "nbsp\u{00A0}\u{00A0}between \u{2009}thin\u{2003}em\u{3000}ideo\u{200B}zw\u{2028}ls\u{2029}ps\u{0085}nel\u{000B}vt\u{000C}ff",
        "\u{00A0}lead and trail\u{00A0}",
        "crlf\r\nline\r\nend\r\n",
        "cr\ronly\r",
        "<p>a\r\n</p>\r\n<p>b</p>",
        "<я>text</я> <é>x</é> <日本>y</日本>",
        "<pя>x</pя><p日>y<div-x>z<h1:a>w<h1_b>v",
        "<\u{00AA}>a<\u{00B5}b>c",
        "<a\u{00A0}href=x>y</a><p\u{3000}class=z>w",
        "<p a=\u{2003}b>x",
        "<1>x</1> <-p> <_p>",
        "x</p",
        "x<p",
        "x<p ",
        "x<p a",
        "x<p a=",
        "x<p a='",
        "x<script",
        "x<title",
        "x<textarea",
        "<p>end in tag <b",
        "<p>text</p>\n\n\n<p>more</p>\n",
        "<center>c</center><address>a</address><details><summary>s</summary>d</details>",
        "<dl><dt>t</dt><dd>d</dd></dl><form><fieldset><legend>l</legend><label>n</label><select><option>o</option></select></fieldset></form>",
        "<figure><figcaption>cap</figcaption></figure><section><article><header>h</header><nav>n</nav><aside>a</aside><main>m</main><footer>f</footer></article></section>",
        "<caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot>",
        "<h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6><h7>7</h7><hr>x<hr/>y",
        "<span>in</span>line<b>bold</b><i>it</i>",
        "<blockquotex>not</blockquotex><prex>no</prex><divx>n</divx><p2>m</p2>",
        "<bodyx>x<headx>y",
        "<br>\n<br>\n<br>",
        "<blockquote>\n<br><br>x</blockquote>",
        "<blockquote><pre>a\n\nb</pre></blockquote>",
        "\t\t<p>\t tabbed \t</p>",
        "\u{0}nul\u{1}ctl\u{7F}del",
        "<p\u{1C}a=b>x<p\u{1F}c='>'>y",
        "<p\u{0085}a='>'>x<p a=\u{0085}'>'>y",
        "<p\u{000B}a='>'>x<p\u{000C}a=\">\">y",
        "<input\u{00A0}value=\u{00A0}spaced\u{00A0}>",
        "<input value=\"\u{2003}\u{3000}\">after",
        "<input value=\"&nbsp;&#32;\">after",
        "<input value=\"&amp;\">after",
        "<input type=\"hıdden\" value=x><input type=\"HİDDEN\" value=y>",
        "<inputx value=v>",
        "<blockquote><input value=q></blockquote>",
        "<\u{212A}>kelvin</\u{212A}>",
        "<br\u{301}>x",
        "<pre\u{0085}>a\nb</pre>c\nd",
        "<p>1 &lt 2 &gt 3 &quot;q&quot; &apos 4</p>",
        "&#x110000000000; &#99999999; &#xFFFF; &#xFFFE; &#x10FFFF; &#x1; &#8;",
        "&#x96&#150&#151x",
        "&abcdefghi; &abcdefgh; &abcdefg;",
    ]

    /// Whether the two results are the same, scalar for scalar (String's `==` would take
    /// canonically equivalent texts as equal).
    fileprivate static func same(_ actual: HTMLText.Result, _ expected: ReferenceHTMLText.Result) -> Bool {
        Array(actual.text.utf8) == Array(expected.text.utf8) && actual.title.map { Array($0.utf8) } == expected.title.map { Array($0.utf8) }
    }

    static func describe(_ html: String) -> Comment {
        let actual = HTMLText.convert(html), expected = ReferenceHTMLText.convert(html)
        return "\(html.debugDescription): \(actual.text.debugDescription) / \(actual.title.debugDescription), expected \(expected.text.debugDescription) / \(expected.title.debugDescription)"
    }

    @Test("hand-written cases", arguments: HTMLTextTests.cases)
    func handWritten(_ html: String) {
        #expect(Self.same(HTMLText.convert(html), ReferenceHTMLText.convert(html)), Self.describe(html))
    }

    static let tagNames = [
        "p", "div", "li", "ul", "ol", "tr", "table", "thead", "tbody", "tfoot", "td", "th", "caption",
        "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "header", "footer", "nav",
        "aside", "main", "pre", "hr", "dl", "dt", "dd", "form", "fieldset", "legend", "figure", "figcaption",
        "address", "body", "html", "label", "select", "option", "details", "summary", "center",
        "head", "br", "title", "textarea", "input", "img", "script", "style", "noscript", "template", "svg",
        "iframe", "object", "span", "a", "b", "h7", "blockquot", "blockquotes", "figcaptions", "textareas",
        "divs", "pr", "hea", "headx", "scripts",
    ]

    @Test("every tag name the conversion knows, and near misses, in upper and lower case", arguments: HTMLTextTests.tagNames)
    func tagName(_ name: String) {
        for variant in [name, name.uppercased(), name.prefix(1).uppercased() + name.dropFirst()] {
            for html in [
                "a<\(variant)>b</\(variant)>c<\(variant)/>d", "<head>a<\(variant) value=v>b</\(variant)>c</head>d",
                "x<\(variant)>y", "x</\(variant)>y", "<pre>a\n<\(variant)>\nb</\(variant)>c\n</pre>",
                "<blockquote>a<\(variant)>b<\(variant)>c</\(variant)>d</blockquote>",
            ] {
                #expect(Self.same(HTMLText.convert(html), ReferenceHTMLText.convert(html)), Self.describe(html))
            }
        }
    }

    @Test("every named character reference, with and without ';', in other cases")
    func namedEntities() {
        for name in ReferenceHTMLText.namedEntities.keys.sorted() {
            for variant in [name, name.uppercased(), name.lowercased(), name.prefix(1).uppercased() + name.dropFirst()] {
                for text in ["&\(variant);", "&\(variant)", "a&\(variant)b", "&\(variant);;", "&\(variant)1;", "<p>&\(variant)</p>"] {
                    #expect(Array(HTMLText.decodeEntities(text).utf8) == Array(ReferenceHTMLText.decodeEntities(text).utf8), "\(text)")
                    #expect(Self.same(HTMLText.convert(text), ReferenceHTMLText.convert(text)), Self.describe(text))
                }
            }
        }
    }

    @Test("every numeric character reference below 0x3100, decimal and hex")
    func numericEntities() {
        var mismatches = 0
        for value in Array(0..<0x3100) + [0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFD, 0x1F600, 0x10FFFF, 0x110000] {
            for text in ["&#\(value);", "&#x\(String(value, radix: 16));", "<pre>&#X\(String(value, radix: 16, uppercase: true))x"] {
                if Array(HTMLText.decodeEntities(text).utf8) != Array(ReferenceHTMLText.decodeEntities(text).utf8)
                    || !Self.same(HTMLText.convert(text), ReferenceHTMLText.convert(text)) {
                    mismatches += 1
                    if mismatches <= 5 { Issue.record(Self.describe(text)) }
                }
            }
        }
        #expect(mismatches == 0)
    }

    static let fragments: [String] = [
        "<p>", "</P>", "<br/>", "<br>", "<BR>", "<script>x<y</script>", "<script>", "</script>", "<style>a{}</style>",
        "<noscript>n</noscript>", "<textarea>t\n a</textarea>", "<title>T &amp; t</title>", "<title>", "</title>",
        "&amp;", "&amp", "&lt;", "&gt", "&quot;", "&#x41;", "&#65;", "&#150;", "&#x96;", "&#0;", "&#xD800;", "&#10;",
        "&#13;", "&nbsp", "&nbsp;", "&NBSP;", "&auml;", "&Auml;", "&hellip;", "&copy", "&foo;", "&#", "&#x",
        "<!-- c -->", "<!--", "-->", "<!DOCTYPE html>", "<![CDATA[x]]>", "<?php ?>", "<pre> a  b\n</pre>", "<pre>",
        "</pre>", "<blockquote>", "</blockquote>", "<head>", "</head>", "<body>", "<input value='v'>",
        "<input type=hidden value=h>", "<input type=text value=\" t \">", "<img src=x>", "<td>", "</tr>", "<li>",
        "<h1>", "</h1>", "ä", "ö", "å", "Ä", "я", "Привет", "日本", "語", "😀", "👍🏽", "e\u{301}", "\u{301}",
        "\u{00A0}", "\u{2009}", "\u{3000}", "\u{2028}", "\u{0085}", " ", "  ", "\n", "\r\n", "\r", "\t", "\u{000C}",
        "<", ">", "&", "#", ";", "\"", "'", "=", "/", "!", "?", "-", "x", "<a href='>'>", "<a href=\">\">",
        "<a b=c>", "</a>", "<div", "</div>", "<div>", "<DIV class=\"x\">", "<p =x>", "<я>", "<é", "</я>",
        "<p/>", "< p>", "</ p>",
    ]

    /// Up to 39 of `fragments` and runs of letters and digits, at random.
    static func randomFragments(_ rng: inout SplitMix64) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var html = ""
        let count = Int(rng.next() % 40)
        for _ in 0..<count {
            if rng.next() % 4 == 0 {
                for _ in 0..<(1 + rng.next() % 6) { html.append(letters[Int(rng.next() % UInt64(letters.count))]) }
            } else {
                html += fragments[Int(rng.next() % UInt64(fragments.count))]
            }
        }
        return html
    }

    /// Fewer than `limit` of `characters`, at random.
    static func randomCharacters(_ rng: inout SplitMix64, limit: UInt64) -> String {
        var html = ""
        for _ in 0..<(rng.next() % limit) { html += characters[Int(rng.next() % UInt64(characters.count))] }
        return html
    }

    @Test("random strings of HTML fragments")
    func randomized() {
        var rng = SplitMix64(seed: 0x5EED_1234_ABCD_0001)
        var mismatches = 0
        for _ in 0..<4000 {
            let html = Self.randomFragments(&rng)
            if !Self.same(HTMLText.convert(html), ReferenceHTMLText.convert(html)) {
                mismatches += 1
                if mismatches <= 5 { Issue.record(Self.describe(html)) }
            }
        }
        #expect(mismatches == 0)
    }

    /// Single characters that markup, references and text are made of.
    static let characters: [String] = [
        "<", "<", ">", ">", "/", "!", "?", "-", "-", "&", "&", "#", "x", "X", ";", "=", "'", "\"", "a", "P", "b", "r",
        "p", "e", "1", "9", "A", "f", ":", "_", " ", " ", "\n", "\r", "\t", "\u{000B}", "\u{000C}", "\u{001C}",
        "\u{00A0}", "\u{0085}", "\u{2003}", "\u{3000}", "ä", "я", "日", "😀", "\u{301}", "\u{00AA}", "\u{212A}", "ǅ",
    ]

    @Test("random strings of markup characters")
    func randomCharacters() {
        var rng = SplitMix64(seed: 0xC0FF_EE00_0000_0042)
        var mismatches = 0
        for _ in 0..<6000 {
            let html = Self.randomCharacters(&rng, limit: 24)
            if !Self.same(HTMLText.convert(html), ReferenceHTMLText.convert(html))
                || Array(HTMLText.decodeEntities(html).utf8) != Array(ReferenceHTMLText.decodeEntities(html).utf8)
                || Array(HTMLText.collapse(html).utf8) != Array(ReferenceHTMLText.collapse(html).utf8) {
                mismatches += 1
                if mismatches <= 5 { Issue.record(Self.describe(html)) }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("collapse and decodeEntities on their own", arguments: HTMLTextTests.cases)
    func helpers(_ html: String) {
        #expect(Array(HTMLText.collapse(html).utf8) == Array(ReferenceHTMLText.collapse(html).utf8), "\(html.debugDescription)")
        #expect(Array(HTMLText.decodeEntities(html).utf8) == Array(ReferenceHTMLText.decodeEntities(html).utf8), "\(html.debugDescription)")
    }
}


// MARK: - The implementation before the UTF-8 rewrite, as the reference

fileprivate enum ReferenceHTMLText {
    struct Result {
        var text: String
        var title: String?
    }

    private static let blockTags: Set<String> = [
        "p", "div", "li", "ul", "ol", "tr", "table", "thead", "tbody", "tfoot", "td", "th", "caption",
        "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "header", "footer", "nav",
        "aside", "main", "pre", "hr", "dl", "dt", "dd", "form", "fieldset", "legend", "figure", "figcaption",
        "address", "body", "html", "label", "select", "option", "details", "summary", "center",
    ]
    private static let skippedInputTypes: Set<String> = [
        "hidden", "submit", "button", "reset", "image", "password", "file", "checkbox", "radio",
    ]

    /// Converts HTML source to text.
    static func convert(_ html: String) -> Result {
        let s = Array(html.unicodeScalars)
        let n = s.count
        var out = Builder()
        var title: String? = nil
        var inHead = false
        var preDepth = 0
        var i = 0

        func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
            (c.value >= 0x41 && c.value <= 0x5A) ? Unicode.Scalar(c.value + 32) ?? c : c
        }
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || (c.value >= 0x30 && c.value <= 0x39) || c == "-" || c == ":" || c == "_"
        }
        /// Index of the end of `</name` (case-insensitive) at or after `from`, and the index after its '>'.
        func findClose(_ name: String, from: Int) -> (start: Int, after: Int) {
            let target = Array(("</" + name).unicodeScalars)
            var j = from
            while j + target.count <= n {
                var match = true
                for k in 0..<target.count where lower(s[j + k]) != target[k] { match = false; break }
                if match {
                    var e = j + target.count
                    while e < n && s[e] != ">" { e += 1 }
                    return (j, min(e + 1, n))
                }
                j += 1
            }
            return (n, n)
        }

        var raw = String.UnicodeScalarView()
        func flushRaw() {
            guard !raw.isEmpty else { return }
            if !inHead {
                for scalar in decodeEntities(String(raw)).unicodeScalars { out.text(scalar, pre: preDepth > 0) }
            }
            raw = String.UnicodeScalarView()
        }

        while i < n {
            let c = s[i]
            guard c == "<", i + 1 < n else {
                raw.append(c)
                i += 1
                continue
            }
            let next = s[i + 1]
            if next == "!" || next == "?" { flushRaw() }
            // Comments, doctype, processing instructions.
            if next == "!" {
                if i + 3 < n, s[i + 2] == "-", s[i + 3] == "-" {
                    var j = i + 4
                    while j + 2 < n && !(s[j] == "-" && s[j + 1] == "-" && s[j + 2] == ">") { j += 1 }
                    i = min(j + 3, n)
                } else {
                    var j = i + 2
                    while j < n && s[j] != ">" { j += 1 }
                    i = min(j + 1, n)
                }
                continue
            }
            if next == "?" {
                var j = i + 2
                while j < n && s[j] != ">" { j += 1 }
                i = min(j + 1, n)
                continue
            }
            let closing = next == "/"
            var j = closing ? i + 2 : i + 1
            guard j < n, s[j].properties.isAlphabetic else {
                raw.append(c)
                i += 1
                continue
            }
            flushRaw()
            var name = ""
            while j < n, isNameChar(s[j]) { name.unicodeScalars.append(lower(s[j])); j += 1 }
            // Attributes up to '>' (quoted values may contain '>').
            var attributes: [String: String] = [:]
            while j < n && s[j] != ">" {
                if s[j].properties.isWhitespace || s[j] == "/" { j += 1; continue }
                var key = ""
                while j < n, !s[j].properties.isWhitespace, s[j] != "=", s[j] != ">", s[j] != "/" || key.isEmpty {
                    key.unicodeScalars.append(lower(s[j])); j += 1
                }
                while j < n, s[j].properties.isWhitespace { j += 1 }
                var value = ""
                if j < n, s[j] == "=" {
                    j += 1
                    while j < n, s[j].properties.isWhitespace { j += 1 }
                    if j < n, s[j] == "\"" || s[j] == "'" {
                        let quote = s[j]
                        j += 1
                        while j < n, s[j] != quote { value.unicodeScalars.append(s[j]); j += 1 }
                        j += 1
                    } else {
                        while j < n, !s[j].properties.isWhitespace, s[j] != ">" { value.unicodeScalars.append(s[j]); j += 1 }
                    }
                }
                if !key.isEmpty && attributes[key] == nil { attributes[key] = decodeEntities(value) }
                if key.isEmpty { j += 1 }
            }
            i = min(j + 1, n)

            if closing {
                switch name {
                case "head": inHead = false
                case "pre": preDepth = max(0, preDepth - 1); out.paragraphBreak()
                case "blockquote": out.paragraphBreak(); out.quoteDepth = max(0, out.quoteDepth - 1)
                default: if blockTags.contains(name) { out.paragraphBreak() }
                }
                continue
            }
            switch name {
            case "script", "style", "noscript", "template", "svg", "iframe", "object":
                i = findClose(name, from: i).after
            case "title":
                let close = findClose("title", from: i)
                let raw = String(String.UnicodeScalarView(s[i..<close.start]))
                let t = collapse(decodeEntities(raw))
                if title == nil && !t.isEmpty { title = t }
                i = close.after
            case "textarea":
                let close = findClose("textarea", from: i)
                let raw = decodeEntities(String(String.UnicodeScalarView(s[i..<close.start])))
                out.paragraphBreak()
                for scalar in raw.unicodeScalars { out.text(scalar, pre: true) }
                out.paragraphBreak()
                i = close.after
            case "head": inHead = true
            case "body": inHead = false; out.paragraphBreak()
            case "br": if !inHead { out.lineBreak() }
            case "pre": preDepth += 1; out.paragraphBreak()
            case "blockquote": out.paragraphBreak(); out.quoteDepth += 1
            case "input":
                let type = attributes["type"]?.asciiLowercased() ?? "text"
                if !inHead, !skippedInputTypes.contains(type), let value = attributes["value"],
                   !value.allSatisfy(\.isWhitespace) {
                    out.paragraphBreak()
                    for scalar in value.unicodeScalars { out.text(scalar, pre: false) }
                    out.paragraphBreak()
                }
            case "img":
                break
            default:
                if blockTags.contains(name) && !inHead { out.paragraphBreak() }
            }
        }
        flushRaw()
        return Result(text: out.finish(), title: title)
    }

    /// Runs of spaces (incl. NBSP, tabs) become one space; the ends are trimmed.
    static func collapse(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for c in text.unicodeScalars {
            if c == " " || c == "\t" || c == "\u{00A0}" || c == "\n" || c == "\r" || c == "\u{000C}" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(c)
            }
        }
        return String(out)
    }

    /// Accumulates lines and paragraph breaks.
    private struct Builder {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var quoteDepth = 0

        mutating func text(_ c: Unicode.Scalar, pre: Bool) {
            if c == "\r" { return }
            if c == "\n" {
                if pre { lineBreak() } else { current.append(" ") }
                return
            }
            current.append(c == "\t" && !pre ? " " : c)
        }

        /// Ends the current line; with nothing on it, a second break makes a blank line.
        mutating func lineBreak() {
            let line = ReferenceHTMLText.collapse(String(current))
            current = String.UnicodeScalarView()
            if line.isEmpty {
                if let last = lines.last, !last.isEmpty { lines.append("") }
            } else {
                lines.append(String(repeating: "> ", count: quoteDepth) + line)
            }
        }

        mutating func paragraphBreak() {
            flush()
            if let last = lines.last, !last.isEmpty { lines.append("") }
        }

        mutating func flush() {
            let line = ReferenceHTMLText.collapse(String(current))
            current = String.UnicodeScalarView()
            if !line.isEmpty { lines.append(String(repeating: "> ", count: quoteDepth) + line) }
        }

        mutating func finish() -> String {
            flush()
            while let last = lines.last, last.isEmpty { lines.removeLast() }
            return lines.joined(separator: "\n")
        }
    }

    // MARK: - Entities

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "laquo": "«", "raquo": "»", "mdash": "—", "ndash": "–", "hellip": "…", "copy": "©", "reg": "®",
        "trade": "™", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "bdquo": "„", "sbquo": "‚",
        "bull": "•", "middot": "·", "euro": "€", "deg": "°", "times": "×", "shy": "\u{00AD}", "thinsp": "\u{2009}",
        "ensp": "\u{2002}", "emsp": "\u{2003}", "zwnj": "\u{200C}", "zwj": "\u{200D}", "sect": "§", "para": "¶",
        "auml": "ä", "ouml": "ö", "aring": "å", "Auml": "Ä", "Ouml": "Ö", "Aring": "Å", "uuml": "ü", "Uuml": "Ü",
        "eacute": "é", "egrave": "è", "agrave": "à", "ccedil": "ç", "szlig": "ß", "numero": "№", "minus": "−",
        "larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓", "pound": "£", "yen": "¥", "cent": "¢", "iexcl": "¡",
        "iquest": "¿", "frac12": "½", "plusmn": "±",
    ]

    /// Decodes named and numeric character references; unknown ones stay as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.unicodeScalars.contains("&") else { return text }
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            guard s[i] == "&" else { out.append(s[i]); i += 1; continue }
            var j = i + 1
            if j < s.count, s[j] == "#" {
                j += 1
                var hex = false
                if j < s.count, s[j] == "x" || s[j] == "X" { hex = true; j += 1 }
                var value: UInt32 = 0
                var digits = 0
                while j < s.count, let d = hexValue(s[j]), hex || d < 10 {
                    if value < 0x110000 { value = value * (hex ? 16 : 10) + d }
                    digits += 1
                    j += 1
                }
                guard digits > 0 else { out.append(s[i]); i += 1; continue }
                if j < s.count, s[j] == ";" { j += 1 }
                let scalar: Unicode.Scalar
                if value == 0 || value >= 0x110000 {
                    scalar = "\u{FFFD}"
                } else if (0x80...0x9F).contains(value), let mapped = windows1252C1(value) {
                    scalar = mapped  // browsers read &#150; as windows-1252
                } else {
                    scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                }
                out.append(scalar)
                i = j
                continue
            }
            var name = ""
            while j < s.count, j - i <= 10, s[j].isASCII, s[j].properties.isAlphabetic || (0x30...0x39).contains(s[j].value) {
                name.unicodeScalars.append(s[j])
                j += 1
            }
            if j < s.count, s[j] == ";", let replacement = namedEntities[name] ?? namedEntities[name.lowercased()] {
                out.append(contentsOf: replacement.unicodeScalars)
                i = j + 1
            } else if let replacement = namedEntities[name], ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"].contains(name) {
                out.append(contentsOf: replacement.unicodeScalars)  // legacy forms without ';'
                i = j
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: return c.value - 0x30
        case 0x41...0x46: return c.value - 0x41 + 10
        case 0x61...0x66: return c.value - 0x61 + 10
        default: return nil
        }
    }

    private static func windows1252C1(_ value: UInt32) -> Unicode.Scalar? {
        let table: [UInt32: Unicode.Scalar] = [
            0x80: "€", 0x82: "‚", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x89: "‰", 0x8B: "‹",
            0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—", 0x99: "™", 0x9B: "›",
        ]
        return table[value]
    }
}
