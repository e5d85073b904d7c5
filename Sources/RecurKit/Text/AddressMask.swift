/// Blanks out e-mail addresses and web addresses before words are analyzed: their pieces
/// ("info", "example", "jp", "www") are not words of the request.
enum AddressMask {
    /// `text` with every e-mail address and `http://`, `https://` or `www.` address replaced by spaces.
    static func masking(_ text: String) -> String {
        var text = text
        // Most paragraphs hold no address: they are scanned in place and returned as they are.
        let ranges = text.withUTF8 { addressRanges($0) }
        guard !ranges.isEmpty else { return text }
        var bytes = Array(text.utf8)
        for range in ranges {
            for j in range { bytes[j] = UInt8(ascii: " ") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The byte ranges of the addresses in `bytes`, in order, not overlapping.
    ///
    /// A range ends where the previous one was masked: bytes before `masked` count as the spaces
    /// they become (an address never reaches back into the one before it).
    static func addressRanges(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var masked = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "@") {
                var start = i
                while start > masked, isLocalPart(bytes[start - 1]) { start -= 1 }
                var end = i + 1
                while end < bytes.count, isHostChar(bytes[end]) { end += 1 }
                // Trailing dots and hyphens end the sentence, not the address.
                while end > i + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
                if start < i, end > i + 1, bytes[(i + 1)..<end].contains(UInt8(ascii: ".")) {
                    ranges.append(start..<end)
                    masked = end
                    i = end
                    continue
                }
            } else if b | 0x20 == UInt8(ascii: "h") || b | 0x20 == UInt8(ascii: "w"), startsURL(bytes, at: i, after: masked) {
                var end = i
                while end < bytes.count, isURLChar(bytes[end]) { end += 1 }
                while end > i, isURLTrailer(bytes[end - 1]) { end -= 1 }
                ranges.append(i..<end)
                masked = end
                i = end
                continue
            }
            i += 1
        }
        return ranges
    }

    /// Whether `https://`, `http://` or `www.` (any case) starts at `i`, not inside a longer run of URL characters.
    private static func startsURL(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, after masked: Int) -> Bool {
        if i > masked, isURLChar(bytes[i - 1]) { return false }
        for prefix in ["https://", "http://", "www."] where bytes.count - i >= prefix.utf8.count {
            if zip(prefix.utf8, bytes[i...]).allSatisfy({ a, b in a == (b | (b >= 65 && b <= 90 ? 0x20 : 0)) }) { return true }
        }
        return false
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
    }

    private static func isLocalPart(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "%") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
    }

    private static func isHostChar(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }

    /// Printable ASCII except spaces, quotes and angle brackets.
    private static func isURLChar(_ b: UInt8) -> Bool {
        b > 0x20 && b < 0x7F && b != UInt8(ascii: "\"") && b != UInt8(ascii: "<") && b != UInt8(ascii: ">")
    }

    /// Punctuation that ends the sentence after a web address rather than the address.
    private static func isURLTrailer(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ".") || b == UInt8(ascii: ",") || b == UInt8(ascii: ")") || b == UInt8(ascii: ":")
    }
}
