/// String helpers for the ingestion hot paths: header names, MIME parameters, charset names and
/// markup are ASCII almost always, and byte-level work on them skips Unicode case mapping and
/// grapheme breaking. Every function gives exactly what its general counterpart gives.
extension StringProtocol {
    /// `lowercased()`, on the bytes when the text is ASCII.
    func asciiLowercased() -> String {
        var copy = String(self)
        var isASCII = true, hasUpper = false
        copy.withUTF8 { bytes in
            for b in bytes {
                if b >= 0x80 { isASCII = false; return }
                if b >= 0x41 && b <= 0x5A { hasUpper = true }
            }
        }
        // Anything but ASCII: Unicode's mapping; lower-case ASCII already: itself.
        guard isASCII else { return copy.lowercased() }
        guard hasUpper else { return copy }
        return copy.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { out in
                for (i, b) in bytes.enumerated() { out[i] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
                return bytes.count
            }
        }
    }

    /// Without leading and trailing spaces, tabs and newlines.
    func ingestTrimmed() -> String {
        var copy = String(self)
        return copy.withUTF8 { bytes in
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
            guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
            let last = bytes.lastIndex(where: { !isSpace($0) })!
            // The trimmed bytes are ASCII: the cut never splits a scalar.
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[first...last]), as: UTF8.self)
        }
    }

    /// `trimmingCharacters(in: CharacterSet(charactersIn: set))` for a set of ASCII characters.
    func trimmingASCII(_ set: StaticString) -> String {
        let trimmed = UnsafeBufferPointer(start: set.utf8Start, count: set.utf8CodeUnitCount)
        var copy = String(self)
        return copy.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: { !trimmed.contains($0) }) else { return "" }
            let last = bytes.lastIndex(where: { !trimmed.contains($0) })!
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[first...last]), as: UTF8.self)
        }
    }
}

extension String.UTF8View {
    /// Whether byte `a` is directly followed by byte `b` somewhere.
    func containsAdjacent(_ a: UInt8, _ b: UInt8) -> Bool {
        var previous: UInt8 = 0
        for byte in self {
            if previous == a && byte == b { return true }
            previous = byte
        }
        return false
    }
}
