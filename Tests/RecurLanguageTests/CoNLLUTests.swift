import Foundation
import RecurKit
import RecurTestSupport
import Testing

@Suite("CoNLL-U")
struct CoNLLUTests {
    static let sample = """
    # newdoc id = x
    # sent_id = s1
    # text = Vámonos al mar.
    1-2\tVámonos\t_\t_\t_\t_\t_\t_\t_\t_
    1\tVamos\tir\tVERB\t_\t_\t0\troot\t_\t_
    2\tnos\tnosotros\tPRON\t_\t_\t1\tobj\t_\t_
    3-4\tal\t_\t_\t_\t_\t_\t_\t_\t_
    3\ta\ta\tADP\t_\t_\t5\tcase\t_\t_
    4\tel\tel\tDET\t_\t_\t5\tdet\t_\t_
    5\tmar\tmar\tNOUN\t_\t_\t1\tobl\t_\tSpaceAfter=No
    5.1\tgo\tgo\tVERB\t_\t_\t_\t_\t0:root\t_
    6\t.\t.\tPUNCT\t_\t_\t1\tpunct\t_\t_

    # sent_id = s2
    1\tHyvää\thyvä\tADJ\t_\t_\t2\tamod\t_\t_
    2\tpäivää\tpäivä\tNOUN\t_\t_\t0\troot\t_\tSpaceAfter=No
    3\t!\t!\tPUNCT\t_\t_\t2\tpunct\t_\tSpaceAfter=No|Foo=Bar

    """

    @Test func parsesSentencesTokensAndText() throws {
        let sentences = CoNLLU.parse(Self.sample)
        try #require(sentences.count == 2)
        #expect(sentences[0].sentID == "s1")
        #expect(sentences[0].text == "Vámonos al mar.")
        #expect(sentences[0].tokens.map(\.form) == ["Vamos", "nos", "a", "el", "mar", "."])
        #expect(sentences[0].tokens.map(\.id) == [1, 2, 3, 4, 5, 6])
        #expect(sentences[0].tokens[1] == CoNLLUToken(id: 2, form: "nos", lemma: "nosotros", upos: "PRON"))
        #expect(sentences[1].sentID == "s2")
        #expect(sentences[1].text == "Hyvää päivää!")
        #expect(sentences[1].tokens.map(\.lemma) == ["hyvä", "päivä", "!"])
    }

    @Test func handlesCRLFAndMissingFinalBlankLine() {
        let crlf = Self.sample.replacingOccurrences(of: "\n", with: "\r\n").trimmingCharacters(in: .whitespacesAndNewlines)
        let sentences = CoNLLU.parse(crlf)
        #expect(sentences.count == 2)
        #expect(sentences.last?.text == "Hyvää päivää!")
        #expect(sentences.first?.tokens.last?.upos == "PUNCT")
    }

    @Test func emptyInput() {
        #expect(CoNLLU.parse("").isEmpty)
        #expect(CoNLLU.parse("\n\n").isEmpty)
    }

    @Test func missingFileThrows() {
        #expect(throws: (any Error).self) { try CoNLLU.read(path: "/nonexistent/x.conllu") }
    }

    @Test(arguments: ["ru_gsd-ud-dev.conllu", "fi_tdt-ud-dev.conllu", "ja_gsd-ud-dev.conllu"])
    func readsTheDevTreebanks(_ name: String) throws {
        guard let url = TestPaths.shared("data/ud-dev/" + name) else { return }
        let sentences = try CoNLLU.read(path: url.path)
        let content = try String(contentsOf: url, encoding: .utf8)
        let expected = content.components(separatedBy: "\n").filter { $0.hasPrefix("# text =") }.count
        #expect(sentences.count == expected)
        #expect(sentences.allSatisfy { !$0.tokens.isEmpty && !$0.text.isEmpty && $0.sentID != nil })
    }
}
