// WHATWG HTML Living Standard, "Server-sent events", 9.2.5: the event stream grammar, written
// so that a conforming parser reads back exactly the record that was encoded.
//
// An event is written as `event:`, `id:`, `retry:` then one `data:` line per line of its
// data (split at CRLF, LF and CR, as the parser splits them) and a blank line. Output uses
// LF line ends, no BOM. What cannot be written faithfully is an error, never silent damage:
// an event type or id containing CR or LF, an id containing NUL (the parser ignores it), a
// retry that is not a run of ASCII digits.
//
// Output rules for real clients (Docs/Formats.md, "SSE output rules"; Docs/Clients.md shows
// the clients): every block the encoder writes has a `data:` line, because SDKs parse each
// block they see as an event and fail on one without data (the OpenAI Python SDK raises
// JSONDecodeError on `retry: 3000` alone). So by default a `.control` record (an `id` and/or
// `retry` with no event) writes nothing itself: its fields go into the next event's block, where
// a client ends with the same last event id and reconnection time when that event arrives (a
// field the event sets itself wins, as it would have overridden the earlier one). Fields that no
// event follows are dropped at the end (their only effect would be on a client reconnecting after
// the stream ended). `ControlBlocks.standalone` writes them as blocks of their own instead.

/// Encodes records as `text/event-stream`.
public struct SSEEncoder: StreamEncoder, Sendable {
    /// Where the fields of a `.control` record (an id and/or retry without an event) go.
    public enum ControlBlocks: String, Sendable, CaseIterable {
        /// Into the next event's block (the default): no block without `data:` is written.
        case merge
        /// A block of their own (`id: 7` and a blank line), as the input had it; some clients
        /// (the OpenAI SDKs among them) fail on such a block.
        case standalone
    }

    /// Where control records' fields go.
    public var controlBlocks: ControlBlocks
    private var heldID: String?
    private var heldRetry: String?

    /// An encoder; `controlBlocks` says where the fields of control records go.
    public init(controlBlocks: ControlBlocks = .merge) {
        self.controlBlocks = controlBlocks
    }

    public mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) {
        switch record.kind {
        case .event:
            try writeFields(event: record.event, id: record.id ?? heldID, retry: record.retry ?? heldRetry, into: &output)
            heldID = nil
            heldRetry = nil
            Self.writeDataLines(record.data, into: &output)
            output.append(0x0A)
        case .json:
            if heldID != nil || heldRetry != nil {
                try writeFields(event: nil, id: heldID, retry: heldRetry, into: &output)
                heldID = nil
                heldRetry = nil
            }
            Self.append("data: ", to: &output)
            output.append(contentsOf: record.data) // minified JSON holds no raw line break
            output.append(0x0A)
            output.append(0x0A)
        case .control:
            guard record.id != nil || record.retry != nil else { return }
            switch controlBlocks {
            case .standalone:
                try writeFields(event: nil, id: record.id, retry: record.retry, into: &output)
                output.append(0x0A)
            case .merge:
                var scratch: [UInt8] = [] // checks the fields now, so an error names this record
                try writeFields(event: nil, id: record.id, retry: record.retry, into: &scratch)
                if let id = record.id { heldID = id }
                if let retry = record.retry { heldRetry = retry }
            }
        case .comment:
            // A comment with line breaks becomes one comment line per line.
            Self.writeLines(record.data, prefix: ": ", emptyLine: ":", into: &output)
        }
    }

    /// A heartbeat: bytes that keep an idle connection open and that clients do not report as
    /// an event of the stream. With no name, one comment line, `:\n`, with no blank line after
    /// it: a blank line would end a block, and decoders that keep the last event id across blocks
    /// (the OpenAI Python SDK's, httpx-sse) dispatch an empty event for a blank line once an id was
    /// set, on which the SDK fails. The comment line simply joins the next block.
    ///
    /// With a name (for proxies that strip comments), an event of that type whose data is a JSON
    /// object naming it, `event: NAME\ndata: {"type":"NAME"}\n\n`: exactly the `ping` event of
    /// Anthropic's API when NAME is `ping`. A browser's EventSource fires it only for a listener
    /// of that type and Anthropic's SDK skips `ping`; a client that parses every event's data as
    /// JSON does not fail on it, but clients that hand every event to the caller report it (the
    /// OpenAI SDK as an extra chunk): Docs/Clients.md. The name must be non-empty and hold no CR,
    /// LF or NUL.
    public static func heartbeat(event name: String? = nil) throws(StreamCodecError) -> [UInt8] {
        guard let name else { return Array(":\n".utf8) }
        guard !name.isEmpty, !name.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) else {
            throw StreamCodecError(.invalidOptions, "heartbeat event name \(name.debugDescription) must be non-empty without CR, LF or NUL")
        }
        var out: [UInt8] = []
        append("event: ", to: &out)
        out.append(contentsOf: name.utf8)
        append("\ndata: {\"type\":", to: &out)
        JSONString.append(name.utf8, to: &out)
        append("}\n\n", to: &out)
        return out
    }

    /// Appends a literal's bytes (no array made or retained per record).
    @inline(__always)
    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    private func writeFields(event: String?, id: String?, retry: String?, into output: inout [UInt8]) throws(StreamCodecError) {
        if let event, !Self.writeField("event: ", event, whenEmpty: nil, into: &output, rejecting: { $0 == 0x0A || $0 == 0x0D }) {
            throw StreamCodecError(
                .unencodable, "event type \(event.debugDescription) contains a line break and cannot be written as an SSE field")
        }
        if let id, !Self.writeField("id: ", id, whenEmpty: "id\n", into: &output, rejecting: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) {
            throw StreamCodecError(
                .unencodable, "id \(id.debugDescription) contains a line break or NUL and cannot be written as an SSE field")
        }
        if let retry {
            guard let digits = RetryDigits.canonical(retry) else {
                throw StreamCodecError(
                    .unencodable,
                    "retry \(retry.debugDescription) is not a run of ASCII digits (milliseconds) and cannot be written as an SSE field")
            }
            Self.append("retry: ", to: &output)
            output.append(contentsOf: digits.utf8)
            output.append(0x0A)
        }
    }

    /// Writes `prefix`, `value` and LF (an empty value as `whenEmpty`, when given), straight from
    /// the string's UTF-8; returns false, having written nothing, when a byte of `value` is one
    /// that `rejecting` refuses.
    private static func writeField(
        _ prefix: StaticString, _ value: String, whenEmpty: StaticString?, into output: inout [UInt8],
        rejecting: (UInt8) -> Bool
    ) -> Bool {
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
                if let base = buf.baseAddress, let hit = ByteSearch.firstLineBreak(in: base, from: start, to: n) {
                    end = hit
                } else {
                    end = n
                }
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

extension SSEEncoder: FramingEncoder {
    /// `data: `, the text, a blank line. Only while no control record's fields are held for the
    /// next event (``ControlBlocks/merge``): the fast lanes run on JSON input in data mode, which
    /// has no control records.
    static var recordFraming: RecordFraming { RecordFraming(prefix: Array("data: ".utf8), suffix: [0x0A, 0x0A]) }
}
