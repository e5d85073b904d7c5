import Foundation

/// The labels of form fields and forwarded headers in a paragraph ("Nimi: Anna", "Aihe: Tarjous",
/// "名前：山田", "Заметки по клиенту:"), whose words say where a value is, not what is asked.
///
/// A label is the text before the first colon of a line (after list markers), of one or two words,
/// at most 32 characters, without digits: "10:15" and "Встреча 12.05: обсудили" are not labels.
enum FieldLabels {
    static let maxWords = 2
    static let maxCharacters = 32

    /// The labels of `text`, lower-cased, spaces removed (for matching against term surfaces).
    static func labels(in text: String) -> [String] {
        // Without either colon scalar there is no label (a scalar scan, far cheaper than a string search).
        guard text.unicodeScalars.contains(where: { $0 == ":" || $0 == "：" }) else { return [] }
        var out: [String] = []
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.drop { $0.isWhitespace || "-*•>#".contains($0) }
            guard let colon = line.firstIndex(where: { $0 == ":" || $0 == "：" }) else { continue }
            let label = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard !label.isEmpty, label.count <= maxCharacters,
                  label.split(separator: " ").count <= maxWords,
                  !label.contains(where: \.isNumber),
                  label.contains(where: \.isLetter) else { continue }
            let key = String(label.lowercased().filter { !$0.isWhitespace })
            if !out.contains(key) { out.append(key) }
        }
        return out
    }

    /// Which of `surfaces` (a paragraph's terms in order) spell one of `labels`, as a mask.
    static func mask(surfaces: [String], labels: [String]) -> [Bool] {
        var mask = [Bool](repeating: false, count: surfaces.count)
        guard !labels.isEmpty else { return mask }
        let lowered = surfaces.map { $0.lowercased() }
        for i in lowered.indices {
            for label in labels where label.hasPrefix(lowered[i]) {
                var spelled = ""
                var j = i
                while j < lowered.count, spelled.count < label.count {
                    spelled += lowered[j]
                    j += 1
                }
                if spelled == label { for k in i..<j { mask[k] = true } }
            }
        }
        return mask
    }
}
