// WHATWG HTML Living Standard, "Server-sent events", 9.2.5: the event stream grammar, written
// so that a conforming parser reads back exactly the record that was encoded.
//
// An event is written as `event:`, `id:`, `retry:` then one `data:` line per line of its
// data (split at CRLF, LF and CR, as the parser splits them) and a blank line. Output uses
// LF line ends, no BOM. What cannot be written faithfully is an error, never silent damage:
// an event type or id containing CR or LF, or an id containing NUL (the parser ignores it).

/// Encodes records as `text/event-stream`.
public struct SSEEncoder: StreamEncoder, Sendable {
    /// An encoder.
    public init() {}

    public mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) {
        switch record.kind {
        case .event:
            try writeFields(record, into: &output)
            Self.writeDataLines(record.data, into: &output)
            output.append(0x0A)
        case .json:
            Self.append("data: ", to: &output)
            output.append(contentsOf: record.data) // minified JSON holds no raw line break
            output.append(0x0A)
            output.append(0x0A)
        case .control:
            guard record.id != nil || record.retry != nil else { return }
            try writeFields(record, into: &output)
            output.append(0x0A)
        case .comment:
            // A comment with line breaks becomes one comment line per line.
            Self.writeLines(record.data, prefix: ": ", emptyLine: ":", into: &output)
        }
    }

    /// Appends a literal's bytes (no array made or retained per record).
    @inline(__always)
    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    private func writeFields(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) {
        if let event = record.event, !Self.writeField("event: ", event, whenEmpty: nil, into: &output, rejecting: { $0 == 0x0A || $0 == 0x0D }) {
            throw StreamCodecError(.unencodable, "event type \(event.debugDescription) contains a line break and cannot be written as an SSE field")
        }
        if let id = record.id, !Self.writeField("id: ", id, whenEmpty: "id\n", into: &output, rejecting: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) {
            throw StreamCodecError(.unencodable, "id \(id.debugDescription) contains a line break or NUL and cannot be written as an SSE field")
        }
        if let retry = record.retry {
            output.append(contentsOf: "retry: \(retry)\n".utf8)
        }
    }

    /// Writes `prefix`, `value` and LF (an empty value as `whenEmpty`, when given), straight from
    /// the string's UTF-8; returns false, having written nothing, when a byte of `value` is one
    /// that `rejecting` refuses.
    private static func writeField(_ prefix: StaticString, _ value: String, whenEmpty: StaticString?, into output: inout [UInt8],
                                   rejecting: (UInt8) -> Bool) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            if bytes.contains(where: rejecting) { return false }
            if bytes.isEmpty, let whenEmpty {
                append(whenEmpty, to: &output)
                return true
            }
            append(prefix, to: &output)
            output.append(contentsOf: bytes)
            output.append(0x0A)
            return true
        }
    }

    /// One `data:` line per line of `data` (an empty data gives one empty `data` line).
    static func writeDataLines(_ data: [UInt8], into output: inout [UInt8]) {
        writeLines(data, prefix: "data: ", emptyLine: "data", into: &output)
    }

    /// Writes `text` split at CRLF, LF and CR, each line as `prefix` + line + LF (an empty
    /// line as `emptyLine` + LF, which parses the same without trailing space).
    static func writeLines(_ text: [UInt8], prefix: StaticString, emptyLine: StaticString, into output: inout [UInt8]) {
        text.withUnsafeBufferPointer { buf in
            let n = buf.count
            var start = 0
            while true {
                let end: Int
                if let base = buf.baseAddress, let hit = ByteSearch.firstLineBreak(in: base, from: start, to: n) { end = hit } else { end = n }
                if end == start {
                    append(emptyLine, to: &output)
                } else {
                    append(prefix, to: &output)
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<end]))
                }
                output.append(0x0A)
                if end == n { break }
                start = end + 1
                if buf[end] == 0x0D && start < n && buf[start] == 0x0A { start += 1 }
                if start == n && end < n {
                    // A trailing line break ends with an empty line: `a\n` is "a" then "".
                    append(emptyLine, to: &output)
                    output.append(0x0A)
                    break
                }
            }
        }
    }
}
