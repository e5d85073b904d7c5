import Foundation
import RecurKit
import Testing

@Suite("Reading a file document by document")
struct StreamingReadTests {
    /// A JSONL export with a malformed line, a date far in the future and a blank line, and a CSV
    /// export with a quoted field over two lines and a row of the wrong width.
    static let files: [(name: String, text: String)] = [
        ("tickets/export.jsonl", """
            {"id": "1", "date": "2024-03-01", "source": "alfa.ru", "text": "Нужна интеграция с CRM."}
            {"id": "2", "date": "2999-01-01", "source": "beta.ru", "text": "Päivämäärä on tulevaisuudessa."}
            {"id": "3", "date": "2024-03-02"
            
            {"id": "4", "date": "2024-03-03", "source": "gamma.ru", "text": "CRMとの連携をお願いします。"}
            """),
        ("tickets/export.csv", #"""
            id,date,source,text
            1,2024-03-01,alfa.ru,"Первая строка
            и вторая, с запятой"
            2,2024-03-02,beta.ru
            3,2999-05-05,gamma.ru,"Текст с ""кавычками"""
            """#),
    ]

    @Test("documents come one by one, the same and in the same order as read whole; diagnostics alike", arguments: files.indices)
    func sameAsWhole(_ index: Int) {
        let (name, text) = Self.files[index]
        let file = InputFile(path: name, relativePath: name, format: InputFile.format(forName: name))
        let reader = DocumentReader()
        let whole = reader.read(file, bytes: Array(text.utf8), modificationDate: nil)
        var streamed: [SourceDocument] = []
        let diagnostics = reader.read(file, bytes: Array(text.utf8), modificationDate: nil) { streamed.append($0) }
        #expect(streamed == whole.documents)
        #expect(diagnostics == whole.diagnostics)
        #expect(streamed.count == 3 || streamed.count == 2)
        // The far-future date is dropped with a warning after the parser's error, as before streaming.
        #expect(streamed.allSatisfy { ($0.date?.year ?? 0) < 2999 })
        #expect(diagnostics.count == 2)
        #expect(diagnostics.first?.severity == .error)
        #expect(diagnostics.last?.message.contains("lies in the future") == true)
    }

    @Test("a file of white space only is reported once, streamed or not")
    func blankFile() {
        let file = InputFile(path: "notes/blank.txt", relativePath: "notes/blank.txt", format: .text)
        var count = 0
        let diagnostics = DocumentReader().read(file, bytes: Array(" \n\t\n".utf8), modificationDate: nil) { _ in count += 1 }
        #expect(diagnostics.map(\.message) == ["no text in this file (only white space)"])
        #expect(count <= 1)
    }
}
