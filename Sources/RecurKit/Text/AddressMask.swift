/// Blanks out e-mail addresses and web addresses before words are analyzed: their pieces
/// ("info", "example", "jp", "www") are not words of the request.
enum AddressMask {
    /// `text` with every e-mail address and `http://`, `https://` or `www.` address replaced by spaces.
    static func masking(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "@")) || bytes.contains(UInt8(ascii: "/")) || bytes.contains(UInt8(ascii: ".")) else {
            return text
        }
        var changed = false
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "@") {
                var start = i
                while start > 0, isLocalPart(bytes[start - 1]) { start -= 1 }
                var end = i + 1
                while end < bytes.count, isHostChar(bytes[end]) { end += 1 }
                // Trailing dots and hyphens end the sentence, not the address.
                while end > i + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
                if start < i, end > i + 1, bytes[(i + 1)..<end].contains(UInt8(ascii: ".")) {
                    blank(&bytes, start..<end)
                    changed = true
                    i = end
                    continue
                }
            } else if startsURL(bytes, at: i) {
                var end = i
                while end < bytes.count, isURLChar(bytes[end]) { end += 1 }
                while end > i, [UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ")"), UInt8(ascii: ":")].contains(bytes[end - 1]) { end -= 1 }
                blank(&bytes, i..<end)
                changed = true
                i = end
                continue
            }
            i += 1
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    private static func blank(_ bytes: inout [UInt8], _ range: Range<Int>) {
        for j in range { bytes[j] = UInt8(ascii: " ") }
    }

    private static func startsURL(_ bytes: [UInt8], at i: Int) -> Bool {
        if i > 0, isURLChar(bytes[i - 1]) { return false }
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
}
