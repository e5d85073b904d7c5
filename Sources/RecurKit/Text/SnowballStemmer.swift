import CStemmer

/// A Snowball stemmer (libstemmer). One instance belongs to one thread at a time.
public final class SnowballStemmer {
    private let stemmer: OpaquePointer

    /// Opens the stemmer for a Snowball algorithm name ("russian", "finnish", "english").
    ///
    /// - Throws: `RecurError(.textLibrary)` when libstemmer has no such algorithm.
    public init(algorithm: String) throws {
        guard let stemmer = sb_stemmer_new(algorithm, "UTF_8") else {
            throw RecurError(.textLibrary, "libstemmer has no '\(algorithm)' stemmer")
        }
        self.stemmer = stemmer
    }

    deinit { sb_stemmer_delete(stemmer) }

    /// Stems one lowercase word.
    public func stem(_ word: String) -> String {
        var word = word
        return word.withUTF8 { buffer -> String in
            guard let stemmed = sb_stemmer_stem(stemmer, buffer.baseAddress, Int32(buffer.count)) else { return String(decoding: buffer, as: UTF8.self) }
            let n = Int(sb_stemmer_length(stemmer))
            return String(decoding: UnsafeBufferPointer(start: stemmed, count: n), as: UTF8.self)
        }
    }
}
