/// What `CharsetDecoder.detect` decides from, gathered from bytes that may come in slices: byte
/// counts over the whole text, how much of it is valid UTF-8, and its first 64 KB (the sample the
/// letter scores and ICU's detector read).
///
/// Gathered from slices, it is the same as from the whole text at once (a UTF-8 sequence or an
/// escape cut by a slice's end is completed by the next), so that a large file is detected as it
/// would be read whole.
struct CharsetEvidence: Equatable {
    /// How many first bytes `head` keeps.
    static let headSize = 64 * 1024

    /// The first `headSize` bytes.
    private(set) var head: [UInt8] = []
    private(set) var byteCount = 0
    /// Bytes ≥ 0x80; runs of them; those in the C1 range (0x80–0x9F).
    private(set) var highBytes = 0, highRuns = 0, c1 = 0
    private(set) var hasNUL = false
    /// An ISO-2022-JP escape into JIS X 0208 (ESC $ B or ESC $ @).
    private(set) var hasISO2022JPEscape = false
    /// Well-formed multi-byte UTF-8 sequences, and the bytes they hold.
    private var utf8Sequences = 0, utf8SequenceBytes = 0
    /// A byte ≥ 0x80 that starts no well-formed UTF-8 sequence.
    private var sawInvalidUTF8 = false
    private var previousHigh = false
    /// Bytes of an ISO-2022-JP escape seen so far (ESC, then $).
    private var escape = 0
    /// The start of a UTF-8 sequence cut by the last slice's end (at most 3 bytes).
    private var cut: [UInt8] = []

    /// All of it valid UTF-8.
    var isValidUTF8: Bool { !sawInvalidUTF8 }

    /// At least 90 % of the bytes ≥ 0x80 form valid UTF-8 sequences, with at least four of them.
    var isMostlyUTF8: Bool { utf8Sequences >= 4 && utf8SequenceBytes * 10 >= highBytes * 9 }

    /// Gathers the next `bytes`; `final` when they are the last.
    ///
    /// - Parameter keepingHead: false leaves `head` empty (for a caller that holds all the bytes).
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool, keepingHead: Bool = true) {
        if keepingHead, head.count < Self.headSize { head += bytes.prefix(Self.headSize - head.count) }
        byteCount += bytes.count
        countBytes(bytes)
        if cut.isEmpty {
            cut = Array(bytes[walkUTF8(bytes, final: final)...])
        } else {
            // The cut sequence with what follows it: at most 3 + 3 bytes decide it.
            let joined = cut + bytes.prefix(3)
            let resumeAt = joined.withUnsafeBufferPointer { walkUTF8($0, final: final && bytes.count <= 3, below: cut.count) }
            if resumeAt < cut.count {
                cut = Array(joined[resumeAt...])  // all of `bytes` too: only fewer than 3 stop a walk here
            } else {
                let rest = UnsafeBufferPointer(rebasing: bytes[(resumeAt - cut.count)...])
                let end = walkUTF8(rest, final: final)
                cut = Array(rest[end...])
            }
        }
    }

    /// Counts high bytes, their runs, C1 bytes, NULs and ISO-2022-JP escapes.
    private mutating func countBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        // One pass of counts (branch-free), and another over the slice only when it holds a NUL or
        // an escape, or an escape was cut by its start: both are rare in text.
        var (high, runs, c1, previousHigh) = (0, 0, 0, previousHigh)
        var rare: UInt8 = 0
        for b in bytes {
            let isHigh = b >= 0x80
            high &+= isHigh ? 1 : 0
            runs &+= isHigh && !previousHigh ? 1 : 0
            c1 &+= b &- 0x80 < 0x20 ? 1 : 0
            previousHigh = isHigh
            rare |= (b == 0 ? 1 : 0) | (b == 0x1B ? 1 : 0)
        }
        highBytes += high
        highRuns += runs
        self.c1 += c1
        self.previousHigh = previousHigh
        if rare != 0 || escape != 0 {
            for b in bytes { noteNULAndEscape(b) }
        }
    }

    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Notes a NUL, and follows an escape: ESC, then `$`, then `B` or `@`.
    @inline(__always)
    private mutating func noteNULAndEscape(_ b: UInt8) {
        if b == 0 { hasNUL = true }
        if b == 0x1B {
            escape = 1
        } else if escape == 1 {
            escape = b == 0x24 ? 2 : 0
        } else if escape == 2 {
            if b == 0x42 || b == 0x40 { hasISO2022JPEscape = true }
            escape = 0
        }
    }

    /// Walks the UTF-8 sequences starting in `bytes` before `below` (all when nil), counting them:
    /// where the walk stopped, before a sequence that may go on past the end unless `final`.
    private mutating func walkUTF8(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool, below: Int? = nil) -> Int {
        let limit = below ?? bytes.count
        var i = 0
        while i < limit {
            if bytes[i] < 0x80 {
                // Eight ASCII bytes at a time.
                if limit - i >= 8, UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self) & Self.highBits == 0 {
                    i &+= 8
                } else {
                    i &+= 1
                }
                continue
            }
            // A sequence is at most 4 bytes: one that starts within 3 of the end may be cut.
            if !final, bytes.count - i < 4 { return i }
            let length = CharsetDecoder.utf8SequenceLength(bytes, at: i)
            if length == 0 {
                sawInvalidUTF8 = true
                i += 1
            } else {
                utf8Sequences += 1
                utf8SequenceBytes += length
                i += length
            }
        }
        return i
    }
}
