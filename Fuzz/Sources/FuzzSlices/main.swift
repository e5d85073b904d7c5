import FuzzDriver
@testable import RecurKit
#if canImport(Glibc)
import Glibc
#endif

/// A plain-text, Markdown or HTML file read in slices (`DocumentReader.readTextInSlices`) against
/// the same file read whole: any difference in the document, its paragraphs or the diagnostics traps.
/// The first byte picks the format and a forced charset (mostly none), the second the slice size
/// (1 to 64 bytes) and the longest paragraph kept whole (16 to 271 bytes); the rest is the file, written into one unlinked temporary file reused for
/// every input.
let scratchFile: Int32 = {
    var template = Array("/tmp/recur-fuzz-slices-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { fatalError("mkstemp: \(errno)") }
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    return fd
}()

let fuzzOne: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data, size > 1 else { return 0 }
    let forced: [String?] = [nil, nil, nil, "windows-1251", "Shift_JIS", "UTF-16LE", "ISO-2022-JP"]
    let formats: [DocumentFormat] = [.text, .markdown, .html, .html]
    let format = formats[Int(data[0] & 3)]
    var reader = DocumentReader(decoder: CharsetDecoder(forcedEncoding: forced[Int(data[0] >> 2) % forced.count]))
    let sliceSize = 1 + Int(data[1]) % 64
    // Paragraphs of more than 16 to 271 bytes are cut into pieces: the cuts are compared too.
    reader.maxParagraphBytes = 16 + Int(data[1])
    let bytes = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    let fd = scratchFile
    let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    guard written == bytes.count, ftruncate(fd, off_t(bytes.count)) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
        fatalError("cannot write the scratch file")
    }

    let file = InputFile(path: "fuzz", relativePath: "fuzz/2024-01-02-input", format: format)
    var document: SourceDocument?
    var paragraphs: [RawParagraph] = []
    guard let sliced = reader.readTextInSlices(
        file, fd: fd, modificationDate: nil, sliceSize: sliceSize,
        document: { document = $0 }, paragraphs: { paragraphs += $0 })
    else { return 0 }
    var documents: [SourceDocument] = []
    let diagnostics = reader.read(file, bytes: bytes, modificationDate: nil) { documents.append($0) }
    var whole = documents.first
    let split = whole.map { ParagraphSplitter.split($0.text, maxParagraphBytes: reader.maxParagraphBytes) } ?? []
    whole?.text = ""
    if document != whole { fatalError("document differs: \(String(describing: document)) vs \(String(describing: whole))") }
    if paragraphs != split { fatalError("paragraphs differ: \(paragraphs) vs \(split)") }
    if sliced != diagnostics { fatalError("diagnostics differ: \(sliced) vs \(diagnostics)") }
    return 0
}

runFuzzer(fuzzOne)
