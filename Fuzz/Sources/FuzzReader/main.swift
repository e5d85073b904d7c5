import FuzzDriver
import RecurKit

/// One libFuzzer target for every reader: the first byte picks the format (text, Markdown with front
/// matter, HTML, e-mail, mbox, JSONL, CSV, or sniffed), the rest is the file. Charset detection and
/// conversion, MIME, base64/quoted-printable, HTML entities, front matter and dates all run.
let fuzzOne: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data, size > 0 else { return 0 }
    let formats: [DocumentFormat?] = [.text, .markdown, .html, .email, .mbox, .jsonl, .csv, nil]
    let format = formats[Int(data[0]) % formats.count]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let file = InputFile(path: "fuzz", relativePath: "fuzz/2024-01-02-input", format: format)
    let (documents, _) = DocumentReader().read(file, bytes: bytes, modificationDate: nil)
    for document in documents { _ = ParagraphSplitter.split(document.text) }
    return 0
}

runFuzzer(fuzzOne)
