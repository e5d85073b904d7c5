/// Text whose scalars each form a character (grapheme cluster) of their own: Latin, Greek,
/// Cyrillic, kana, CJK ideographs, full-width forms. Most archive text is made of them, and on it
/// character-level work (collapsing white space, cutting at N characters) can run on UTF-8 bytes
/// without grapheme breaking. Callers fall back to `Character` iteration for any other text.
enum SingleScalarText {
    /// Calls `body` with every scalar of `utf8` and its byte range, in order, until `body` returns
    /// false or the text ends.
    ///
    /// A scalar is passed only after `standsAlone` accepted it, so the characters `body` has seen
    /// are complete even when it stops: the scalar it stops at does not extend them.
    /// - Returns: false when a scalar that does not stand alone was met first (the caller takes
    ///   the general path); true otherwise.
    static func walk(_ utf8: UnsafeBufferPointer<UInt8>, _ body: (UInt32, Range<Int>) -> Bool) -> Bool {
        var i = 0
        while i < utf8.count {
            let lead = utf8[i]
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            var scalar = UInt32(lead)
            switch length {
            case 2: scalar = (scalar & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F)
            case 3: scalar = (scalar & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F)
            case 4: return false  // beyond the Basic Multilingual Plane: emoji and their modifiers
            default: break
            }
            guard standsAlone(scalar) else { return false }
            if !body(scalar, i..<i + length) { return true }
            i += length
        }
        return true
    }

    /// Whether `scalar` is always a character by itself: it never extends the one before it and
    /// nothing in these ranges extends it.
    @inline(__always)
    static func standsAlone(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0..<0x300,               // C0, ASCII, Latin-1, Latin Extended, IPA, spacing modifiers
             0x370..<0x483,            // Greek, Cyrillic up to the combining Cyrillic marks
             0x48A..<0x530,            // Cyrillic, Cyrillic Supplement
             0x2010..<0x2028,          // dashes, quotes, bullets, ellipsis
             0x3000..<0x302A,          // CJK symbols up to the ideographic tone marks
             0x3030..<0x3099,          // CJK symbols, hiragana up to the combining voiced marks
             0x309B..<0x3100,          // (semi-)voiced sound marks, katakana
             0x4E00..<0xA000,          // CJK unified ideographs
             0xFF01..<0xFF9E:          // full-width forms, half-width katakana up to its sound marks
            return true
        default:
            return false
        }
    }

    /// Unicode's White_Space property, for the scalars `standsAlone` accepts.
    @inline(__always)
    static func isWhiteSpace(_ scalar: UInt32) -> Bool {
        (0x09...0x0D).contains(scalar) || scalar == 0x20 || scalar == 0x85 || scalar == 0xA0 || scalar == 0x3000
    }
}
