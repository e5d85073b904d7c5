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
        return copy.withUTF8 { ASCIIBytes.string($0, 0..<$0.count, lowercased: true) }
    }

    /// Without leading and trailing spaces, tabs and newlines.
    func ingestTrimmed() -> String {
        var copy = String(self)
        return copy.withUTF8 { bytes in
            // The trimmed bytes are ASCII: the cut never splits a scalar.
            String(decoding: UnsafeBufferPointer(rebasing: bytes[ASCIIBytes.trimmed(0..<bytes.count, in: bytes)]), as: UTF8.self)
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

/// The byte-level pieces of the helpers above, for parsers that work on ASCII bytes.
enum ASCIIBytes {
    /// Space, tab, CR or LF: what `ingestTrimmed()` trims.
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// `range` of `bytes` without its leading and trailing `isSpace` bytes.
    static func trimmed(_ range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, isSpace(bytes[lower]) { lower += 1 }
        while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// `b` with A–Z mapped to a–z.
    @inline(__always) static func lowercased(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// `bytes[range]`, ASCII, as a string; A–Z mapped to a–z when `lowercased`.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, lowercased: Bool) -> String {
        String(unsafeUninitializedCapacity: range.count) { out in
            for (i, b) in bytes[range].enumerated() { out[i] = lowercased ? Self.lowercased(b) : b }
            return range.count
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
