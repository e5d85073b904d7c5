import FuzzDriver
import RecurKit

/// Charset detection and conversion on arbitrary bytes, with and without a declared charset (the
/// first byte picks one), and the round trip back for the legacy charsets recur writes tests in.
let fuzzOne: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data, size > 0 else { return 0 }
    let declared: [String?] = [nil, "UTF-8", "windows-1251", "KOI8-R", "Shift_JIS", "EUC-JP", "ISO-2022-JP", "UTF-16LE", "bogus-charset"]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let decoded = CharsetDecoder().decode(bytes, declared: declared[Int(data[0]) % declared.count])
    _ = CharsetDecoder.encode(decoded.text, as: decoded.encoding)
    return 0
}

runFuzzer(fuzzOne)
