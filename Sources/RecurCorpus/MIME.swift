/// Transfer encodings and header words for the e-mail writers.
enum MIME {
    private static let b64 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let hex = Array("0123456789ABCDEF".utf8)

    static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 4 / 3 + 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = (UInt32(bytes[i]) << 16) | (UInt32(bytes[i + 1]) << 8) | UInt32(bytes[i + 2])
            out += [b64[Int(n >> 18)], b64[Int((n >> 12) & 63)], b64[Int((n >> 6) & 63)], b64[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [b64[Int(n >> 18)], b64[Int((n >> 12) & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = (UInt32(bytes[i]) << 16) | (UInt32(bytes[i + 1]) << 8)
            out += [b64[Int(n >> 18)], b64[Int((n >> 12) & 63)], b64[Int((n >> 6) & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64 body lines of at most 76 characters.
    static func base64Lines(_ bytes: [UInt8], newline: String) -> String {
        let s = Array(base64(bytes).utf8)
        var lines: [String] = []
        var i = 0
        while i < s.count {
            lines.append(String(decoding: s[i..<min(s.count, i + 76)], as: UTF8.self))
            i += 76
        }
        return lines.joined(separator: newline)
    }

    /// Quoted-printable (RFC 2045) of text already encoded in its charset, line by line (`\n` separated in `bytes`).
    static func quotedPrintable(_ bytes: [UInt8], newline: String) -> String {
        var lines: [String] = []
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            var out: [UInt8] = []
            var width = 0
            let arr = Array(line)
            for (k, b) in arr.enumerated() {
                let last = k == arr.count - 1
                var piece: [UInt8]
                if (b >= 33 && b <= 126 && b != UInt8(ascii: "=")) || ((b == 32 || b == 9) && !last) {
                    piece = [b]
                } else {
                    piece = [UInt8(ascii: "="), hex[Int(b >> 4)], hex[Int(b & 15)]]
                }
                if width + piece.count > 75 {
                    out += [UInt8(ascii: "=")]
                    out += Array(newline.utf8)
                    width = 0
                }
                out += piece
                width += piece.count
            }
            lines.append(String(decoding: out, as: UTF8.self))
        }
        return lines.joined(separator: newline)
    }

    /// An RFC 2047 header value: plain when ASCII, else base64 encoded words of whole characters.
    static func headerWord(_ text: String, charset: String, newline: String = "\r\n") -> String {
        if text.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) { return text }
        var words: [String] = []
        var chunk = ""
        func flush() {
            if chunk.isEmpty { return }
            let bytes = Legacy.encode(chunk, charset) ?? Array(chunk.utf8)
            words.append("=?\(charset)?B?\(base64(bytes))?=")
            chunk = ""
        }
        for ch in text {
            let candidate = chunk + String(ch)
            if (Legacy.encode(candidate, charset)?.count ?? candidate.utf8.count) > 39 { flush() }
            chunk.append(ch)
        }
        flush()
        return words.joined(separator: newline + " ")
    }
}
