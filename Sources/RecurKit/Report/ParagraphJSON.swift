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
