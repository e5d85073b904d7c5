import RecurCorpus
@testable import RecurKit
import Testing

/// A large file in a legacy charset is detected and decoded a slice at a time: the evidence and
/// the text from slices are those of the whole, wherever the slices cut.
@Suite("Charset evidence and decoding in slices")
struct IncrementalCharsetTests {
    /// Texts in the charsets recur detects, with invalid and cut-prone sequences.
    static let samples: [(name: String, bytes: [UInt8])] = {
        let russian = "Нужна интеграция с CRM. Ёлка и сквозная аналитика; регулярные созвоны по статусу.\n\n"
        let japanese = "CRM連携の見積もりをお願いします。定例会議は毎週です。🙂\n\n"
        let finnish = "Hyvää päivää, tarvitsemme CRM-integraation ja säännölliset tilannepalaverit.\n\n"
        func encoded(_ text: String, _ charset: String) -> [UInt8] { CharsetDecoder.encode(text, as: charset)! }
        var brokenUTF8 = Array(String(repeating: russian, count: 3).utf8)
        brokenUTF8.insert(0xFF, at: 40)
        brokenUTF8.append(0xD0)  // a sequence cut at the end
        var brokenCyrillic = encoded(String(repeating: russian, count: 3), "windows-1251")
        brokenCyrillic.insert(0x98, at: 20)  // a C1 byte
        return [
            ("windows-1251", encoded(String(repeating: russian, count: 4), "windows-1251")),
            ("windows-1251 with a C1 byte", brokenCyrillic),
            ("KOI8-R", encoded(String(repeating: russian, count: 4), "KOI8-R")),
            ("IBM866", encoded(String(repeating: russian, count: 4), "IBM866")),
            ("Shift_JIS", encoded(String(repeating: japanese, count: 4).replacingOccurrences(of: "🙂", with: ""), "Shift_JIS")),
            ("EUC-JP", encoded(String(repeating: japanese, count: 4).replacingOccurrences(of: "🙂", with: ""), "EUC-JP")),
            ("Shift_JIS, a sequence cut at the end", encoded(japanese.replacingOccurrences(of: "🙂", with: ""), "Shift_JIS") + [0x81]),
            ("ISO-2022-JP", encoded(String(repeating: japanese, count: 4).replacingOccurrences(of: "🙂", with: ""), "ISO-2022-JP")),
            ("windows-1252", encoded(String(repeating: finnish, count: 4), "windows-1252")),
            ("UTF-16LE with a BOM", [0xFF, 0xFE] + encoded(String(repeating: japanese + russian, count: 3), "UTF-16LE")),
            ("UTF-16BE without a BOM", encoded(String(repeating: "Plain ASCII words.\n\n", count: 40), "UTF-16BE")),
            ("UTF-8 with invalid bytes", brokenUTF8),
            ("UTF-8 with an escape", Array(("\u{1B}[1m" + String(repeating: russian, count: 3)).utf8)),
        ]
    }()

    /// `bytes` cut into slices of 1 to `maxSlice` bytes (and an empty one now and then), seeded.
    static func slices(_ bytes: [UInt8], maxSlice: Int, seed: UInt64) -> [ArraySlice<UInt8>] {
        var random = SplitMix64(seed: seed)
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            if random.chance(0.05) { result.append([]) }
            let end = min(bytes.count, start + random.int(in: 1...maxSlice))
            result.append(bytes[start..<end])
            start = end
        }
        return result
    }

    @Test("the evidence gathered from slices is that of the whole, and so is the charset detected", arguments: [1, 2, 3, 5, 17, 4096])
    func evidenceInSlices(maxSlice: Int) {
        for (name, bytes) in Self.samples {
            var whole = CharsetEvidence()
            bytes.withUnsafeBufferPointer { whole.add($0, final: true) }
            for seed in 0..<UInt64(4) {
                var sliced = CharsetEvidence()
                for slice in Self.slices(bytes, maxSlice: maxSlice, seed: seed) {
                    slice.withUnsafeBufferPointer { sliced.add($0, final: false) }
                }
                sliced.add(UnsafeBufferPointer(start: nil, count: 0), final: true)
                #expect(sliced == whole, "\(name), seed \(seed)")
            }
            let decoder = CharsetDecoder()
            #expect(bytes.withUnsafeBufferPointer { decoder.detect($0) } == decoder.detect(whole), "\(name)")
        }
        // The evidence says what it should, so that "the same" means something.
        func evidence(_ bytes: [UInt8]) -> CharsetEvidence {
            var e = CharsetEvidence()
            bytes.withUnsafeBufferPointer { e.add($0, final: true) }
            return e
        }
        let named = Dictionary(uniqueKeysWithValues: Self.samples)
        #expect(evidence(named["ISO-2022-JP"]!).hasISO2022JPEscape)
        #expect(!evidence(named["UTF-8 with an escape"]!).hasISO2022JPEscape)
        #expect(evidence(named["UTF-8 with an escape"]!).isValidUTF8)
        #expect(!evidence(named["UTF-8 with invalid bytes"]!).isValidUTF8 && evidence(named["UTF-8 with invalid bytes"]!).isMostlyUTF8)
        #expect(evidence(named["UTF-16BE without a BOM"]!).hasNUL)
        #expect(!evidence(named["windows-1251"]!).isMostlyUTF8)
    }

    @Test("the detected charsets", arguments: [
        ("windows-1251", "windows-1251"), ("KOI8-R", "KOI8-R"), ("IBM866", "IBM866"), ("Shift_JIS", "Shift_JIS"),
        ("EUC-JP", "EUC-JP"), ("ISO-2022-JP", "ISO-2022-JP"), ("windows-1252", "ISO-8859-1"),
        ("Shift_JIS, a sequence cut at the end", "Shift_JIS"), ("UTF-16BE without a BOM", "UTF-16BE"), ("UTF-8 with invalid bytes", "UTF-8"),
    ])
    func detected(sample: String, charset: String) throws {
        let bytes = try #require(Self.samples.first { $0.name == sample }?.bytes)
        #expect(bytes.withUnsafeBufferPointer { CharsetDecoder().detect($0) } == charset)
    }

    @Test("the text decoded a slice at a time is the whole text decoded at once, with the same invalid count", arguments: [1, 2, 3, 7, 4096])
    func decodedInSlices(maxSlice: Int) throws {
        let decoder = CharsetDecoder()
        for (name, bytes) in Self.samples {
            let (charset, start) = bytes.withUnsafeBufferPointer { decoder.source(of: $0) }
            let body = Array(bytes[start...])
            let whole = body.withUnsafeBufferPointer { decoder.convert($0, from: charset) }
            for seed in 0..<UInt64(3) {
                let incremental = try #require(IncrementalDecoder(charset: CharsetDecoder.icuConverterName(charset)))
                var utf8: [UInt8] = []
                for slice in Self.slices(body, maxSlice: maxSlice, seed: seed) {
                    #expect(slice.withUnsafeBufferPointer { incremental.decode($0, final: false) { utf8 += $0 } })
                }
                #expect(incremental.decode(UnsafeBufferPointer(start: nil, count: 0), final: true) { utf8 += $0 })
                #expect(String(decoding: utf8, as: UTF8.self) == whole.text, "\(name), seed \(seed)")
                #expect(incremental.invalidSequences == whole.invalidBytes, "\(name), seed \(seed)")
            }
        }
        let named = Dictionary(uniqueKeysWithValues: Self.samples)
        func decoded(_ sample: String) -> DecodedText {
            named[sample]!.withUnsafeBufferPointer { decoder.decode($0) }
        }
        #expect(decoded("Shift_JIS, a sequence cut at the end").invalidBytes == 1)
        #expect(decoded("UTF-8 with invalid bytes").invalidBytes == 2)
        #expect(decoded("UTF-16LE with a BOM").text.hasPrefix("CRM連携の見積もり"))
        #expect(decoded("UTF-16LE with a BOM").text.contains("🙂"))
        #expect(decoded("KOI8-R").text.hasPrefix("Нужна интеграция"))
    }
}

/// Random bytes, valid or not, in every charset recur detects: decoded in slices as whole.
@Suite("Charset decoding in slices, random bytes")
struct RandomSliceDecodingTests {
    /// Bytes drawn to hit the converters' edges: ASCII (runs of it too), any high byte, NULs,
    /// ISO-2022 escapes, CR/LF.
    static func randomBytes(_ random: inout SplitMix64) -> [UInt8] {
        let pieces: [[UInt8]] = [[0x1B, 0x24, 0x42], [0x1B, 0x28, 0x42], [0x1B, 0x28, 0x4A], [0x0D, 0x0A], [0xEF, 0xBB, 0xBF], [0xD8, 0x3D], [0xDE, 0x42],
                                 Array("a run of plain ASCII words, ".utf8), Array("ASCII\0with\u{1B}controls\t".utf8)]
        var bytes: [UInt8] = []
        for _ in 0..<random.int(in: 0...200) {
            switch random.int(6) {
            case 0, 1: bytes.append(UInt8(0x20 + random.int(0x5F)))
            case 2, 3: bytes.append(UInt8(0x80 + random.int(0x80)))
            case 4: bytes.append(UInt8(random.int(256)))
            default: bytes += pieces[random.int(pieces.count)]
            }
        }
        return bytes
    }

    static let charsets = ["windows-1251", "KOI8-R", "IBM866", "ISO-8859-5", "Shift_JIS", "EUC-JP", "ISO-2022-JP",
                           "UTF-16LE", "UTF-16BE", "UTF-8", "windows-1252", "ISO-8859-1"]

    @Test("the same text and invalid count as the whole, and the same evidence", arguments: charsets)
    func randomInSlices(charset: String) throws {
        var random = SplitMix64.derive(7, charset)
        let decoder = CharsetDecoder()
        var withInvalid = 0
        for round in 0..<150 {
            let bytes = Self.randomBytes(&random)
            let whole = bytes.withUnsafeBufferPointer { decoder.convert($0, from: charset) }
            if whole.invalidBytes > 0 { withInvalid += 1 }
            let incremental = try #require(IncrementalDecoder(charset: CharsetDecoder.icuConverterName(charset)))
            var utf8: [UInt8] = []
            var evidence = CharsetEvidence()
            for slice in IncrementalCharsetTests.slices(bytes, maxSlice: 1 + round % 7, seed: UInt64(round)) {
                slice.withUnsafeBufferPointer {
                    #expect(incremental.decode($0, final: false) { utf8 += $0 })
                    evidence.add($0, final: false)
                }
            }
            #expect(incremental.decode(UnsafeBufferPointer(start: nil, count: 0), final: true) { utf8 += $0 })
            evidence.add(UnsafeBufferPointer(start: nil, count: 0), final: true)
            #expect(String(decoding: utf8, as: UTF8.self) == whole.text, "\(charset), round \(round)")
            #expect(incremental.invalidSequences == whole.invalidBytes, "\(charset), round \(round)")
            var wholeEvidence = CharsetEvidence()
            bytes.withUnsafeBufferPointer { wholeEvidence.add($0, final: true) }
            #expect(evidence == wholeEvidence, "\(charset), round \(round)")
        }
        // The multi-byte charsets met invalid sequences, cut by slices among others.
        if ["Shift_JIS", "EUC-JP", "ISO-2022-JP", "UTF-16LE", "UTF-16BE", "UTF-8"].contains(charset) { #expect(withInvalid > 50) }
    }
}
