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
            // A lone surrogate becomes U+FFFD, so the decoding cannot fail.
            data.withUnsafeBufferPointer { try? JSONString.appendDecoded($0, 0..<$0.count, to: &output, loneSurrogates: .replace) }
        } else {
            output.append(contentsOf: data)
        }
        output.append(contentsOf: separator)
    }
}
