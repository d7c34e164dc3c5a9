// Raw text output (`text/plain; charset=utf-8`), for people and for shell pipelines: each JSON
// record's value as itself, not as JSON. A JSON string (RFC 8259 section 7) is written unescaped
// as UTF-8; any other value (number, object, array, true, false, null) as its minified JSON
// text. After each record comes the separator (none by default), so the output of a record is
// complete the moment the record arrives: with `-t text --pick /choices/0/delta/content` the
// answer types itself out.
//
// Deliberate choices:
// - The separator follows every record (it terminates, like the LF of NDJSON), so with "\n" the
//   last line ends with a line feed too.
// - A string holding a lone surrogate escape (`"\ud83d"`), which UTF-8 cannot carry, is written
//   with U+FFFD in its place (as jq -r does): text output is for reading, not a lossless format.
// - Only JSON records can be written (the data mode or --envelope makes them from SSE).

/// Writes each JSON record's value raw: strings unescaped to UTF-8, other values as minified JSON.
///
/// ```swift
/// var encoder = TextEncoder(separator: "\n")
/// var out: [UInt8] = []
/// try encoder.encode(try Record.json(#""caf\u00e9""#), into: &out)   // out == "café\n"
/// ```
public struct TextEncoder: StreamEncoder, Sendable {
    /// Written after each record (UTF-8).
    public var separator: [UInt8]

    /// An encoder writing `separator` after each record (`""`: nothing).
    public init(separator: String = "") {
        self.separator = Array(separator.utf8)
    }

    public mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) {
        guard record.kind == .json else { throw JSONLinesEncoder.notJSON(record) }
        let data = record.data
        if data.first == 0x22 {
            data.withUnsafeBufferPointer { Self.appendUnescaped($0, into: &output) }
        } else {
            output.append(contentsOf: data)
        }
        output.append(contentsOf: separator)
    }

    /// Appends the contents of the valid JSON string literal `literal` (quotes included) as
    /// UTF-8, a lone surrogate escape as U+FFFD.
    static func appendUnescaped(_ literal: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let end = literal.count - 1
        var i = 1
        var run = 1 // start of the bytes to copy as they are
        while i < end {
            if literal[i] != 0x5C {
                i += 1
                continue
            } // Hot path: text without escapes is copied in runs
            output.append(contentsOf: UnsafeBufferPointer(rebasing: literal[run..<i]))
            let e = literal[i + 1]
            i += 2
            switch e {
            case 0x62: output.append(0x08)
            case 0x66: output.append(0x0C)
            case 0x6E: output.append(0x0A)
            case 0x72: output.append(0x0D)
            case 0x74: output.append(0x09)
            case 0x75:
                var scalar = hex4(literal, i)
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate pairs with an immediately following escaped low surrogate.
                    if i + 6 <= end, literal[i] == 0x5C, literal[i + 1] == 0x75 {
                        let low = hex4(literal, i + 2)
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                output.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
            default: output.append(e) // \" \\ \/
            }
            run = i
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: literal[run..<end]))
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[at + k]
            let d: UInt8 = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10
            v = v << 4 | UInt32(d)
        }
        return v
    }
}
