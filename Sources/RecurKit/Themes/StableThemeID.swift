/// Theme ids that survive reruns and a growing archive: derived from the theme's content only.
public enum StableThemeID {
    /// FNV-1a 64 of UTF-8 bytes (fixed constants; never Swift's per-process seeded `Hasher`).
    public static func fnv1a64(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }

    /// `<lang>-` + 8 lower-case hex digits: the high and low halves of FNV-1a 64, xor-folded, over the keys sorted
    /// by their UTF-8 bytes and joined with U+001F.
    public static func make(lang: Language, keys: [String]) -> String {
        let joined = keys.sorted(by: utf8Less).joined(separator: "\u{1F}")
        let h = fnv1a64(joined)
        let folded = UInt32(truncatingIfNeeded: h ^ (h >> 32))
        let hex = String(folded, radix: 16)
        return "\(lang.rawValue)-" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}

/// Byte-wise UTF-8 order: the same on every platform and independent of Unicode collation.
@inline(__always)
func utf8Less(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}

/// Lexicographic order of key sequences, element by element in UTF-8 order.
func utf8Less(_ a: [String], _ b: [String]) -> Bool {
    for (x, y) in zip(a, b) where x != y { return utf8Less(x, y) }
    return a.count < b.count
}
