import Foundation
@testable import RecurKit
import RecurCorpus
import Testing

@Suite("Paragraph locations in 8 bytes: every location read back as appended")
struct ParagraphLocationsTests {
    /// In memory (the default: 2 million), none in memory, and part of them, the file written a
    /// few words at a time or in chunks: the same locations.
    @Test("ordinary, long and far paragraphs across many chunks, in memory and in the file",
          arguments: [(nil, 4096), (0, 7), (5_000, 4096), (25_000, 1_000)] as [(Int?, Int)])
    func roundTrip(resident: Int?, wordsPerWrite: Int) {
        var rng = SplitMix64(seed: 0x10CA_7105)
        var expected: [ParagraphLocations.Location] = []
        var locations = resident.map { ParagraphLocations(residentWords: $0, wordsPerWrite: wordsPerWrite) } ?? ParagraphLocations()
        var offset: UInt64 = 17
        for i in 0..<30_000 {
            var text = Int(rng.next() % 400)
            var key = Int(rng.next() % 400)
            switch rng.next() % 1000 {
            case 0: text = 65_535 + Int(rng.next() % 200_000)  // 64 KB of text or more
            case 1: key = 65_535 + Int(rng.next() % 3)
            default: break
            }
            // Twice a jump past 4 GB within a chunk (after a paragraph of gigabytes): the rest of
            // that chunk is kept whole.
            if i == 5_000 || i == 20_000 { offset += 5 << 30 }
            if i == 12_345 { text = 65_534; key = 65_534 }  // the largest that fit
            let location = ParagraphLocations.Location(textOffset: offset, textLength: text, keyLength: key)
            locations.append(location)
            expected.append(location)
            offset += UInt64(text + key + 3 + Int(rng.next() % 50))
        }
        #expect(locations.count == expected.count)
        // Those past the resident ones are in the file but for the last few not written yet.
        let unwritten = expected.count - (resident ?? expected.count)
        #expect(locations.countInFile == max(0, unwritten) / wordsPerWrite * wordsPerWrite)
        for (i, location) in expected.enumerated() { #expect(locations[i] == location) }
        let long = expected.filter { $0.textLength >= 65_535 || $0.keyLength >= 65_535 }.count
        #expect(long > 10)
        #expect(locations.wideCount >= long && locations.wideCount <= long + 2 * 4096)
    }

    @Test("an offset before its chunk's first one (never written so, but read back right)")
    func offsetBeforeBase() {
        var locations = ParagraphLocations()
        let first = ParagraphLocations.Location(textOffset: 1_000, textLength: 5, keyLength: 5)
        let earlier = ParagraphLocations.Location(textOffset: 10, textLength: 5, keyLength: 5)
        locations.append(first)
        locations.append(earlier)
        #expect(locations[0] == first && locations[1] == earlier)
    }
}
