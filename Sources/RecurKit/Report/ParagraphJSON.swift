/// The JSON-lines form of a paragraph that `recur normalize` prints and `paragraphs.jsonl` holds.
public enum ParagraphJSON {
    /// Renders one paragraph as a JSON object (no newline). Keys always in the same order.
    public static func render(_ paragraph: AnalyzedParagraph, of document: SourceDocument, extra: ((inout JSONObjectWriter) -> Void)? = nil) -> [UInt8] {
        var json = JSONObjectWriter()
        json.field("doc", document.id)
        json.field("paragraph", paragraph.index)
        json.field("line", paragraph.line)
        json.field("source", document.source)
        json.field("date", document.date?.iso8601)
        json.field("date_origin", document.dateOrigin.rawValue)
        json.field("lang", paragraph.analysis.language.rawValue)
        json.field("script", paragraph.analysis.script)
        json.field("text", paragraph.text)
        json.field("key", paragraph.analysis.key)
        json.field("terms", paragraph.termKeys)
        if paragraph.isQuote { json.field("quote", true) }
        if paragraph.isSignature { json.field("signature", true) }
        extra?(&json)
        return json.finish()
    }
}

/// `recur normalize`'s output for one input file: its paragraphs' JSON lines, rendered on the
/// worker that analyzed them (`DocumentSink`). The consumer only copies the bytes out, and a large
/// export costs a worker a few MB (`SpillingBuffer`) instead of its analyzed documents.
public struct ParagraphLines: DocumentSink {
    private(set) var buffer = SpillingBuffer()
    private var line: [UInt8] = []

    public init() {}

    public mutating func add(_ document: AnalyzedDocument) {
        line.removeAll(keepingCapacity: true)
        for paragraph in document.paragraphs {
            line.append(contentsOf: ParagraphJSON.render(paragraph, of: document.document))
            line.append(0x0A)
        }
        buffer.append(line)
    }

    public mutating func append(contentsOf other: ParagraphLines) throws {
        try buffer.append(contentsOf: other.buffer)
    }

    /// Writes the lines to `output`, in the order the documents were added.
    ///
    /// - Throws: `RecurError(.outputFailed)` when the spill file cannot be read or the output written.
    public func write(to output: LineOutput) throws {
        try buffer.forEachSpilledChunk(folder: TemporaryFile.defaultFolder) { try output.write($0) }
        try output.write(buffer.bytes[...])
    }
}
