import FuzzDriver
import RecurKit

/// Date parsing on arbitrary text (RFC 2822 headers, ISO 8601, dotted and Japanese dates) and dates in paths.
let fuzzOne: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = DateParser.parse(text)
    _ = DateParser.dateInPath(text)
    return 0
}

runFuzzer(fuzzOne)
