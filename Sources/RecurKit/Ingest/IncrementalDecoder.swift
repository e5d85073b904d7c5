import CRecurICU

/// Converts text that comes in pieces from a charset to UTF-8 with ICU: one converter whose state
/// carries a sequence cut by a piece's end over to the next, so that the pieces give the same text
/// as the whole would. One per reader; not for sharing across threads.
final class IncrementalDecoder {
    private let decoder: OpaquePointer
    /// The largest piece handed to ICU at once: its lengths are 32-bit, and its buffers (UTF-16,
    /// then UTF-8) grow to a few times a piece.
    static let maxPiece = 1 << 20

    /// A decoder from `charset` (ICU's converter name); nil when ICU has no such converter.
    init?(charset: String) {
        var status: Int32 = 0
        guard let decoder = recur_icu_decoder_open(charset, &status) else { return nil }
        self.decoder = decoder
    }

    deinit { recur_icu_decoder_close(decoder) }

    /// Invalid or unmappable sequences replaced by U+FFFD so far.
    var invalidSequences: Int { Int(recur_icu_decoder_invalid(decoder)) }

    /// Converts the next `bytes` (`final` for the last), handing the UTF-8 to `body` in one call or
    /// more (nothing for bytes that only begin a sequence).
    ///
    /// - Returns: false when ICU fails (the text from there on is lost).
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        var start = 0
        repeat {
            let end = min(bytes.count, start + Self.maxPiece)
            var utf8: UnsafePointer<CChar>?
            var length: Int32 = 0
            let status = recur_icu_decoder_convert(
                decoder, bytes.baseAddress.map { UnsafeRawPointer($0 + start).assumingMemoryBound(to: CChar.self) },
                Int32(end - start), final && end == bytes.count ? 1 : 0, &utf8, &length)
            guard status == 0 else { return false }
            if let utf8, length > 0 {
                utf8.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { body(UnsafeBufferPointer(start: $0, count: Int(length))) }
            }
            start = end
        } while start < bytes.count
        return true
    }
}
