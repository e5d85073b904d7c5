import Foundation
import RecurKit

/// Bytes of a bundled fixture.
func fixture(_ name: String) throws -> [UInt8] {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        throw RecurError(.notFound, "fixture \(name) not found")
    }
    return Array(try Data(contentsOf: url))
}

/// Reads bytes as a file of the given relative path (format from its extension).
func read(
    _ bytes: [UInt8], as relativePath: String, path: String? = nil, fields: FieldMapping = FieldMapping(),
    modificationDate: DocumentDate? = nil
) -> (documents: [SourceDocument], diagnostics: [Diagnostic]) {
    let name = (relativePath as NSString).lastPathComponent
    let file = InputFile(path: path ?? relativePath, relativePath: relativePath, format: InputFile.format(forName: name))
    return DocumentReader(fields: fields).read(file, bytes: bytes, modificationDate: modificationDate)
}

func read(_ text: String, as relativePath: String, path: String? = nil, fields: FieldMapping = FieldMapping(),
          modificationDate: DocumentDate? = nil) -> (documents: [SourceDocument], diagnostics: [Diagnostic]) {
    read(Array(text.utf8), as: relativePath, path: path, fields: fields, modificationDate: modificationDate)
}
