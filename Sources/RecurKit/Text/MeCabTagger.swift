import CMeCab
import Foundation

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

        public init(surface: String, partOfSpeech: String, subclass: String, subclass2: String = "", baseForm: String, range: Range<Int>) {
            self.surface = surface
            self.partOfSpeech = partOfSpeech
            self.subclass = subclass
            self.subclass2 = subclass2
            self.baseForm = baseForm
            self.range = range
        }

        /// A morpheme from its surface and its IPADIC feature up to 原形 (`MeCabTagger.forEachNode`):
        /// the four fields used become strings; 原形 is the surface when the dictionary has none (`*`).
        init(surface: String, range: Range<Int>, feature: UnsafeBufferPointer<UInt8>) {
            func field(_ k: Int) -> String {
                Self.field(k, of: feature).map { String(decoding: UnsafeBufferPointer(rebasing: feature[$0]), as: UTF8.self) } ?? ""
            }
            self.init(
                surface: surface, partOfSpeech: field(0), subclass: field(1), subclass2: field(2),
                baseForm: Self.featureLacksBaseForm(feature) ? surface : field(6), range: range)
        }

        /// The byte range of field `k` (0-based) of a comma-separated feature, nil when it has fewer fields.
        static func field(_ k: Int, of feature: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
            var start = 0, index = 0
            for i in 0...feature.count where i == feature.count || feature[i] == UInt8(ascii: ",") {
                if index == k { return start..<i }
                index += 1
                start = i + 1
            }
            return nil
        }

        /// Whether 原形 is missing or `*` in a feature as `forEachNode` gives it (the surface stands for it).
        static func featureLacksBaseForm(_ feature: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let base = field(6, of: feature) else { return true }
            return base.isEmpty || (base.count == 1 && feature[base.lowerBound] == UInt8(ascii: "*"))
        }

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

    /// Opens a tagger with the system dictionary (Debian: mecab-ipadic-utf8), on the process's one
    /// MeCab model: every tagger shares its dictionary mapping, so that each worker's (and each
    /// helper's, for a large file) costs a tagger, not another mapping of a 49 MB dictionary.
    ///
    /// - Throws: `RecurError(.textLibrary)` when MeCab or its dictionary is missing.
    public init() throws {
        let model = try Self.model.acquire()
        guard let tagger = mecab_model_new_tagger(model) else {
            let message = mecab_strerror(nil).map { String(cString: $0) } ?? "unknown error"
            Self.model.release()
            throw RecurError(.textLibrary, "MeCab could not make a tagger: \(message)")
        }
        self.tagger = tagger
    }

    deinit {
        mecab_destroy(tagger)
        Self.model.release()
    }

    /// The process's MeCab model (the dictionary and its settings): thread-safe, shared by every
    /// tagger, opened for the first and closed with the last. A run's analyzers are gone once
    /// reading ends, and so is the dictionary's mapping: some 28 MB of its pages stayed resident
    /// through deduplication, themes and outputs while the model was kept for the whole process.
    private static let model = SharedModel()

    private final class SharedModel: @unchecked Sendable {
        /// Guards `model` and `users`.
        private let lock = NSLock()
        /// The open model, and the taggers using it.
        private var model: OpaquePointer?
        private var users = 0

        /// The model, opened when no tagger holds it; one more user.
        func acquire() throws -> OpaquePointer {
            lock.lock()
            defer { lock.unlock() }
            let open = try model ?? Self.open()
            model = open
            users += 1
            return open
        }

        /// One user less; the last closes the model.
        func release() {
            lock.lock()
            defer { lock.unlock() }
            users -= 1
            if users == 0, let open = model {
                mecab_model_destroy(open)
                model = nil
            }
        }

        private static func open() throws -> OpaquePointer {
            for argument in ["", "-d /var/lib/mecab/dic/ipadic-utf8", "-d /usr/lib/x86_64-linux-gnu/mecab/dic/ipadic-utf8"] {
                if let model = mecab_model_new2(argument) { return model }
            }
            let message = mecab_strerror(nil).map { String(cString: $0) } ?? "unknown error"
            throw RecurError(.textLibrary, "MeCab could not open a dictionary: \(message) (install mecab-ipadic-utf8)")
        }
    }

    /// Calls `body` for every morpheme of UTF-8 text, in order.
    public func forEachMorpheme(in utf8: UnsafeBufferPointer<UInt8>, _ body: (Morpheme) -> Void) {
        forEachNode(in: utf8) { range, feature in
            body(Morpheme(surface: String(decoding: UnsafeBufferPointer(rebasing: utf8[range]), as: UTF8.self), range: range, feature: feature))
        }
    }

    /// Calls `body` for every morpheme of UTF-8 text, in order, with the byte range of its surface
    /// in `utf8` and its IPADIC feature up to the end of 原形 (`品詞,細分類1,細分類2,細分類3,活用型,活用形,原形`;
    /// fewer fields when the dictionary gives fewer), in place: nothing is copied.
    func forEachNode(in utf8: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, UnsafeBufferPointer<UInt8>) -> Void) {
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
            var feature = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            if let pointer = n.feature {
                // Up to the end of 原形 only (the readings after it are not needed): no strlen.
                // (UInt8 may alias the C string's CChar bytes: same size, signedness variants.)
                let bytes = UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self)
                var commas = 0, i = 0
                while bytes[i] != 0 {
                    if bytes[i] == UInt8(ascii: ",") {
                        commas += 1
                        if commas == 7 { break }
                    }
                    i += 1
                }
                feature = UnsafeBufferPointer(start: bytes, count: i)
            }
            body(offset..<(offset + length), feature)
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
