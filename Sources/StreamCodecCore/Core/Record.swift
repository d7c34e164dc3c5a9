// The one value every format decodes into and encodes from.
//
// A record is either an event of an event stream (WHATWG HTML "Server-sent events": data,
// event type, id, retry), one JSON text of a JSON format (RFC 8259), a comment line, or a
// control block (an SSE block that set `id` or `retry` but dispatched no event).

/// One unit of a stream, shared by all formats.
///
/// Decoders produce records and encoders consume them, so N decoders and M encoders give
/// every N x M conversion. The fields an SSE block set are kept as that block set them, so
/// nothing is lost until a transform decides to drop it.
///
/// ```swift
/// let event = Record.event(data: "hello", event: "greeting", id: "1")
/// let json = try Record.json(validating: Array(#"{ "a": 1 }"#.utf8))   // data == {"a":1}
/// ```
public struct Record: Sendable, Hashable {
    /// What a record stands for.
    public enum Kind: Sendable, Hashable {
        /// A dispatched SSE event. `data` is its data (UTF-8 text, lines joined by LF).
        case event
        /// One JSON text. `data` is its minified UTF-8 text, validated against RFC 8259.
        case json
        /// An SSE block that set `id` and/or `retry` but dispatched no event.
        case control
        /// An SSE comment line; `data` is the text after the colon (one leading space removed).
        case comment
    }

    /// What this record stands for.
    public var kind: Kind
    /// The payload: event data, a minified JSON text, or comment text (UTF-8).
    public internal(set) var data: [UInt8]
    /// The SSE event type this block set with an `event` field, or `nil` when it set none
    /// (a browser then reports the type `message`).
    public var event: String?
    /// The id this block set with an `id` field (`""` is the reset), or `nil` when it set none.
    public var id: String?
    /// The reconnection time in milliseconds this block set with a `retry` field, or `nil`:
    /// its decimal digits without leading zeros, of any length (WHATWG keeps any run of ASCII
    /// digits, so nothing is clamped to 64 bits). See ``RetryDigits``.
    public var retry: String?
    /// The typed headers of an AWS event stream message, in wire order, or nil for a record that
    /// did not come from one (see ``AWSEventStreamDecoder``). Kept so that the envelope and the
    /// aws-eventstream encoder write the message back byte for byte; an array, so a record
    /// without headers pays one word for it.
    public var headers: [EventStreamHeader]?

    init(
        kind: Kind, data: [UInt8], event: String? = nil, id: String? = nil, retry: String? = nil,
        headers: [EventStreamHeader]? = nil
    ) {
        self.kind = kind
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry
        self.headers = headers
    }

    /// An AWS event stream message: its headers in wire order and its payload. The event type
    /// is the value of its `:event-type` string header.
    public static func message(headers: [EventStreamHeader], payload: some Sequence<UInt8>) -> Record {
        Record(kind: .event, data: Array(payload), event: headers.string(named: ":event-type"), headers: headers)
    }

    /// An SSE event. `data` may contain line breaks; an encoder writes one `data:` line each.
    public static func event(data: some Sequence<UInt8>, event: String? = nil, id: String? = nil, retry: String? = nil) -> Record {
        Record(kind: .event, data: Array(data), event: event, id: id, retry: retry)
    }

    /// An SSE event with text data.
    public static func event(data: String, event: String? = nil, id: String? = nil, retry: String? = nil) -> Record {
        Record(kind: .event, data: Array(data.utf8), event: event, id: id, retry: retry)
    }

    /// An SSE event with text data and a reconnection time in milliseconds.
    public static func event(data: String, event: String? = nil, id: String? = nil, retry milliseconds: UInt64) -> Record {
        Record(kind: .event, data: Array(data.utf8), event: event, id: id, retry: String(milliseconds))
    }

    /// An SSE block that only sets the last event id and/or the reconnection time (the SSE
    /// encoder writes its fields in the next event's block unless told otherwise: see
    /// ``SSEEncoder/ControlBlocks``).
    public static func control(id: String? = nil, retry: String? = nil) -> Record {
        Record(kind: .control, data: [], id: id, retry: retry)
    }

    /// A control record with a reconnection time in milliseconds.
    public static func control(id: String? = nil, retry milliseconds: UInt64) -> Record {
        Record(kind: .control, data: [], id: id, retry: String(milliseconds))
    }

    /// An SSE comment (without its leading colon).
    public static func comment(_ text: String) -> Record {
        Record(kind: .comment, data: Array(text.utf8))
    }

    /// A JSON record: validates `text` strictly against RFC 8259 and stores it minified.
    ///
    /// - Throws: ``StreamCodecError`` with code ``StreamCodecError/Code/invalidJSON`` when
    ///   `text` is not exactly one JSON text (surrounding whitespace allowed).
    /// - Complexity: O(n) in the length of `text`.
    public static func json(validating text: some Sequence<UInt8>, maxDepth: Int = JSONLimits.defaultMaxDepth) throws(StreamCodecError)
        -> Record
    {
        let bytes = Array(text)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        try JSONText.minify(bytes, into: &out, maxDepth: maxDepth)
        return Record(kind: .json, data: out)
    }

    /// A JSON record from text (see ``json(validating:maxDepth:)``).
    public static func json(_ text: String, maxDepth: Int = JSONLimits.defaultMaxDepth) throws(StreamCodecError) -> Record {
        try json(validating: text.utf8, maxDepth: maxDepth)
    }

    /// `data` as a Swift string.
    public var text: String { String(decoding: data, as: UTF8.self) }
}

extension Record: CustomStringConvertible {
    public var description: String {
        var parts = ["\(kind)"]
        if let event { parts.append("event=\(event.debugDescription)") }
        if let id { parts.append("id=\(id.debugDescription)") }
        if let retry { parts.append("retry=\(retry)") }
        if let headers { parts.append("headers=\(headers.count)") }
        if kind != .control { parts.append("data=\(text.debugDescription)") }
        return "Record(" + parts.joined(separator: " ") + ")"
    }
}
