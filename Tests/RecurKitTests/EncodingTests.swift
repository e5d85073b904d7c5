import Foundation
import Testing
import RecurKit
import RecurTestSupport

@Suite("Charset detection and conversion")
struct EncodingTests {
    @Test("every folder of ../shared/data/encodings is detected", .enabled(if: TestPaths.shared("data/encodings") != nil))
    func sharedEncodings() throws {
        let rows = try EncodingQuality.measure(directory: TestPaths.shared("data/encodings")!.path)
        #expect(rows.count >= 13)
        for row in rows {
            #expect(row.accuracy >= 0.9, "\(row.truth): \(row.correct)/\(row.files), missed \(row.misses)")
        }
        let total = rows.reduce(0) { $0 + $1.files }
        let correct = rows.reduce(0) { $0 + $1.correct }
        #expect(Double(correct) / Double(total) >= 0.97)
    }

    static let russian = "Здравствуйте! Хотим подключить сквозную аналитику и интеграцию с CRM. Подскажите, пожалуйста, сроки и стоимость работ. Съешь же ещё этих мягких французских булок."
    static let japanese = "いつもお世話になっております。CRMとの連携を検討していただけますでしょうか。来月の定例ミーティングでご相談したいです。"
    static let finnish = "Hei! Haluaisimme CRM-integraation verkkokauppaan. Voisitteko lähettää tarjouksen ensi viikolla? Ystävällisin terveisin, Päivi Hämäläinen"

    @Test("short legacy-encoded inquiries are detected and decoded exactly", arguments: [
        (russian, "windows-1251"), (russian, "KOI8-R"), (russian, "IBM866"), (russian, "ISO-8859-5"),
        (japanese, "Shift_JIS"), (japanese, "EUC-JP"), (japanese, "ISO-2022-JP"),
        (finnish, "ISO-8859-1"), (finnish, "windows-1252"),
        (russian, "UTF-8"), (japanese, "UTF-8"),
    ])
    func roundTrip(text: String, charset: String) throws {
        let bytes = try #require(CharsetDecoder.encode(text, as: charset))
        let decoded = CharsetDecoder().decode(bytes)
        #expect(EncodingQuality.equivalent(decoded.encoding, charset), "detected \(decoded.encoding)")
        #expect(decoded.text == text)
        #expect(decoded.invalidBytes == 0)
    }

    @Test("byte-order marks decide UTF-8 and UTF-16", arguments: ["UTF-16LE", "UTF-16BE"])
    func byteOrderMarks(charset: String) throws {
        let body = try #require(CharsetDecoder.encode(Self.japanese, as: charset))
        let bom: [UInt8] = charset == "UTF-16LE" ? [0xFF, 0xFE] : [0xFE, 0xFF]
        let decoded = CharsetDecoder().decode(bom + body)
        #expect(decoded.encoding == charset)
        #expect(decoded.text == Self.japanese)
        let utf8 = CharsetDecoder().decode([0xEF, 0xBB, 0xBF] + Array(Self.russian.utf8))
        #expect(utf8.text == Self.russian)
    }

    @Test("a forced encoding wins over detection")
    func forced() throws {
        let bytes = try #require(CharsetDecoder.encode(Self.russian, as: "KOI8-R"))
        let decoded = CharsetDecoder(forcedEncoding: "windows-1251").decode(bytes)
        #expect(decoded.encoding == "windows-1251")
        #expect(decoded.text != Self.russian)
    }

    @Test("invalid bytes become U+FFFD and are counted, never a crash")
    func invalidBytes() {
        // valid UTF-8 Cyrillic, then a cut multi-byte sequence, a lone continuation byte and NUL
        var bytes = Array("Привет, мир ".utf8)
        bytes += [0xD0, 0x20, 0x80, 0x00, 0x41]
        let decoded = CharsetDecoder(forcedEncoding: "UTF-8").decode(bytes)
        #expect(decoded.invalidBytes == 2)
        #expect(decoded.text.hasPrefix("Привет, мир "))
        #expect(decoded.text.unicodeScalars.filter { $0 == "\u{FFFD}" }.count == 2)
        // a multi-byte sequence cut at the end of the input
        let cut = CharsetDecoder(forcedEncoding: "UTF-8").decode(Array("日本".utf8) + [0xE8, 0xAA])
        #expect(cut.invalidBytes >= 1)
        #expect(cut.text.hasPrefix("日本"))
        // odd-length UTF-16
        let odd = CharsetDecoder(forcedEncoding: "UTF-16LE").decode([0x41, 0x00, 0x42])
        #expect(odd.text.hasPrefix("A"))
        #expect(odd.invalidBytes >= 1)
    }

    @Test("a declared charset is used")
    func declared() throws {
        let bytes = try #require(CharsetDecoder.encode(Self.russian, as: "KOI8-R"))
        let decoded = CharsetDecoder().decode(bytes, declared: "koi8-r")
        #expect(decoded.encoding == "KOI8-R")
        #expect(decoded.text == Self.russian)
    }
}

@Suite("Japanese mail with a ruled signature")
struct RuledSignatureTests {
    @Test("EUC-JP and Shift_JIS text with box-drawing rules is detected as Japanese, not IBM866", arguments: ["EUC-JP", "Shift_JIS"])
    func ruledSignature(charset: String) throws {
        let text = "いつも大変お世話になっております。\n藤本製菓の小林です。\n\n資料を拝受いたしました。\n\n━━━━━━━━━━━━━━━━\n藤本製菓株式会社　経営企画室\n小林 健太\nTEL: 052-4967-6690\n━━━━━━━━━━━━━━━━\n"
        let bytes = try #require(CharsetDecoder.encode(text, as: charset))
        let decoded = CharsetDecoder().decode(bytes)
        #expect(EncodingQuality.equivalent(decoded.encoding, charset), "\(decoded.encoding)")
        #expect(decoded.text == text)
    }
}
