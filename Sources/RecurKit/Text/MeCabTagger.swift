import CMeCab

/// Japanese segmentation and part of speech through MeCab with IPADIC.
///
/// One instance belongs to one thread at a time (a MeCab tagger and its lattice are not thread-safe).
public final class MeCabTagger {
    private let tagger: OpaquePointer

    /// One morpheme: its surface, IPADIC part of speech and base form.
    public struct Morpheme: Sendable, Hashable {
        public var surface: String
        /// 品詞 (e.g. 名詞, 動詞, 助詞).
        public var partOfSpeech: String
        /// 品詞細分類1 (e.g. 一般, サ変接続, 非自立, 固有名詞).
        public var subclass: String
        /// 品詞細分類2 (e.g. 人名, 組織, 地域).
        public var subclass2: String = ""
        /// 原形, or the surface when the dictionary has none (unknown words).
        public var baseForm: String
        /// UTF-8 byte range of the surface in the analyzed text.
        public var range: Range<Int>

        public var wordClass: WordClass {
            // The fields are the dictionary's own bytes: compared as bytes (String's `==` would
            // normalize every non-ASCII operand).
            func equals(_ field: String, _ literal: StaticString) -> Bool {
                field.utf8.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
            }
            let pos = partOfSpeech
            if equals(pos, "名詞") {
                if equals(subclass, "固有名詞") { return equals(subclass2, "人名") ? .personName : .properNoun }
                if equals(subclass, "代名詞") { return .pronoun }
                if equals(subclass, "数") { return .numeral }
                if equals(subclass, "非自立") || equals(subclass, "接尾") { return .function }
                return .noun
            }
            if equals(pos, "動詞") { return equals(subclass, "非自立") ? .function : .verb }
            if equals(pos, "形容詞") || equals(pos, "形容動詞") { return .adjective }
            if equals(pos, "副詞") { return .adverb }
            if equals(pos, "助詞") || equals(pos, "助動詞") || equals(pos, "連体詞") || equals(pos, "接続詞")
                || equals(pos, "感動詞") || equals(pos, "フィラー") || equals(pos, "接頭詞") {
                return .function
            }
            if equals(pos, "記号") { return .symbol }
            return .other
        }
    }

    /// Opens a tagger with the system dictionary (Debian: mecab-ipadic-utf8).
    ///
    /// - Throws: `RecurError(.textLibrary)` when MeCab or its dictionary is missing.
    public init() throws {
        if let tagger = mecab_new2("") {
            self.tagger = tagger
            return
        }
        for dictionary in ["/var/lib/mecab/dic/ipadic-utf8", "/usr/lib/x86_64-linux-gnu/mecab/dic/ipadic-utf8"] {
            if let tagger = mecab_new2("-d \(dictionary)") {
                self.tagger = tagger
                return
            }
        }
        let message = mecab_strerror(nil).map { String(cString: $0) } ?? "unknown error"
        throw RecurError(.textLibrary, "MeCab could not open a dictionary: \(message) (install mecab-ipadic-utf8)")
    }

    deinit { mecab_destroy(tagger) }

    /// Calls `body` for every morpheme of UTF-8 text, in order.
    public func forEachMorpheme(in utf8: UnsafeBufferPointer<UInt8>, _ body: (Morpheme) -> Void) {
        guard utf8.count > 0, let base = utf8.baseAddress else { return }
        let start = UnsafeRawPointer(base)
        var node = base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
            mecab_sparse_tonode2(tagger, $0, utf8.count)
        }
        while let current = node {
            let n = current.pointee
            node = UnsafePointer(n.next)
            if n.stat == MECAB_BOS_NODE || n.stat == MECAB_EOS_NODE { continue }
            guard let surfacePointer = n.surface else { continue }
            let offset = UnsafeRawPointer(surfacePointer) - start
            let length = Int(n.length)
            guard offset >= 0, offset + length <= utf8.count else { continue }
            let surface = String(decoding: UnsafeBufferPointer(rebasing: utf8[offset..<(offset + length)]), as: UTF8.self)
            // The feature is IPADIC's CSV (品詞,細分類1,細分類2,細分類3,活用型,活用形,原形,...), split on
            // its bytes: the fields are read in place and only the four used become strings.
            var pos = "", sub = "", sub2 = "", baseForm = ""
            if let feature = n.feature {
                // Read up to the end of 原形 only (the readings after it are not needed): no strlen.
                // (UInt8 may alias the C string's CChar bytes: same size, signedness variants.)
                let bytes = UnsafeRawPointer(feature).assumingMemoryBound(to: UInt8.self)
                var field = 0, fieldStart = 0, i = 0
                while true {
                    let b = bytes[i]
                    if b == 0 || b == UInt8(ascii: ",") {
                        let value = UnsafeBufferPointer(start: bytes + fieldStart, count: i - fieldStart)
                        switch field {
                        case 0: pos = String(decoding: value, as: UTF8.self)
                        case 1: sub = String(decoding: value, as: UTF8.self)
                        case 2: sub2 = String(decoding: value, as: UTF8.self)
                        case 6 where !(value.count == 1 && value[0] == UInt8(ascii: "*")):
                            baseForm = String(decoding: value, as: UTF8.self)
                        default: break
                        }
                        if b == 0 || field == 6 { break }
                        field += 1
                        fieldStart = i + 1
                    }
                    i += 1
                }
            }
            if baseForm.isEmpty { baseForm = surface }
            body(Morpheme(surface: surface, partOfSpeech: pos, subclass: sub, subclass2: sub2, baseForm: baseForm, range: offset..<(offset + length)))
        }
    }

    /// The morphemes of `text`.
    public func morphemes(_ text: String) -> [Morpheme] {
        var text = text
        return text.withUTF8 { buffer in
            var out: [Morpheme] = []
            forEachMorpheme(in: buffer) { out.append($0) }
            return out
        }
    }
}
