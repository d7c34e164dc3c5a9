// Envelope mode: a lossless mapping between SSE records and JSON objects.
//
// SSE to JSON, one object per block:
//   {"event":"delta","id":"7","retry":3000,"data":"..."}
//   - "data": the event's data exactly (lines joined by LF), for every dispatched event; with
//     the `.json` data encoding it holds the JSON value itself when the data is a JSON object
//     or array.
//   - "retry": a JSON number with exactly the block's digits (leading zeros removed), however
//     long: a reader that keeps big integers exact (jq 1.7, Python's json) gets them back.
//   - "event", "id", "retry": each present only when the block set that field; an `id` the
//     parser ignored (it held NUL) is absent, an empty id is "" (the reset).
//   - A block that set only `id` and/or `retry` (no event dispatched) has no "data".
//   - A kept comment line is {"comment":"..."}.
//   - An AWS event stream message (a record with headers) is
//     {"event":":event-type's value","headers":[{"name","type","value"}...],"data":"..."}, with
//     "data_base64" in place of "data" when the payload is not UTF-8 (EventStreamHeader+Envelope).
// JSON to SSE: each record must be such an object, with only those keys.

/// SSE records to JSON envelope objects.
public struct EnvelopeWrapTransform: RecordTransform, Sendable {
    /// How the event data is written in the "data" member: the option type
    /// ``ConversionOptions/EnvelopeData`` (this name is kept for source compatibility).
    public typealias DataEncoding = ConversionOptions.EnvelopeData

    /// How event data is put in the envelope's `data` member.
    public var dataEncoding: DataEncoding
    /// Nesting limit for JSON found in event data (``ConversionOptions/EnvelopeData/json``).
    public var maxDepth: Int
    private var scratch: [UInt8] = []

    /// A transform that wraps events as envelope objects.
    public init(dataEncoding: DataEncoding = .string, maxDepth: Int = JSONLimits.defaultMaxDepth) {
        self.dataEncoding = dataEncoding
        self.maxDepth = maxDepth
    }

    public mutating func apply(_ record: inout Record, line: Int?) throws(StreamCodecError) -> TransformAction {
        var out: [UInt8] = [0x7B]
        func key(_ name: String) {
            if out.count > 1 { out.append(0x2C) }
            out.append(0x22)
            out.append(contentsOf: name.utf8)
            out.append(0x22)
            out.append(0x3A)
        }
        switch record.kind {
        case .json:
            return .pass
        case .comment:
            key("comment")
            JSONString.append(record.data, to: &out)
        case .event, .control:
            if let event = record.event {
                key("event")
                JSONString.append(event.utf8, to: &out)
            }
            if let headers = record.headers {
                key("headers")
                EventStreamHeader.appendJSON(headers, to: &out)
                if !UTF8Check.isValidText(record.data) {
                    key("data_base64")
                    out.append(0x22)
                    Base64.encode(record.data, into: &out)
                    out.append(0x22)
                    out.append(0x7D)
                    record = Record(kind: .json, data: out)
                    return .pass
                }
            }
            if let id = record.id {
                key("id")
                JSONString.append(id.utf8, to: &out)
            }
            if let retry = record.retry {
                guard let digits = RetryDigits.canonical(retry) else {
                    throw StreamCodecError(
                        .unencodable, "retry \(retry.debugDescription) is not a run of ASCII digits (milliseconds)", line: line)
                }
                key("retry")
                out.append(contentsOf: digits.utf8) // a JSON number with exactly these digits
            }
            if record.kind == .event {
                key("data")
                if dataEncoding == .json, let json = embeddable(record.data) {
                    out.append(contentsOf: json)
                } else {
                    JSONString.append(record.data, to: &out)
                }
            }
        }
        out.append(0x7D)
        record = Record(kind: .json, data: out)
        return .pass
    }

    /// The minified data when it is one JSON object or array.
    private mutating func embeddable(_ data: [UInt8]) -> [UInt8]? {
        guard let first = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }),
            first == 0x7B || first == 0x5B
        else { return nil }
        scratch.removeAll(keepingCapacity: true)
        do { try JSONText.minify(data, into: &scratch, maxDepth: maxDepth) } catch { return nil }
        return scratch
    }
}

/// JSON envelope objects to SSE records.
public struct EnvelopeUnwrapTransform: RecordTransform, Sendable {
    /// A transform that unwraps envelope objects into SSE records.
    public init() {}

    public mutating func apply(_ record: inout Record, line: Int?) throws(StreamCodecError) -> TransformAction {
        guard record.kind == .json else { return .pass }
        let result: Result<Record?, StreamCodecError> = record.data.withUnsafeBufferPointer { text in
            Result { () throws(StreamCodecError) in try Self.unwrap(text, line: line) }
        }
        guard let unwrapped = try result.get() else { return .skip }
        record = unwrapped
        return .pass
    }

    static func unwrap(_ text: UnsafeBufferPointer<UInt8>, line: Int?) throws(StreamCodecError) -> Record? {
        func fail(_ message: String) -> StreamCodecError {
            StreamCodecError(.invalidInput, "envelope: " + message, line: line)
        }
        guard let members = JSONObjectReader.members(of: text) else {
            throw fail("expected a JSON object with \"data\", \"event\", \"id\", \"retry\" or \"comment\", found \(Self.kind(of: text[0]))")
        }
        var data: [UInt8]?
        var event: String?
        var id: String?
        var retry: String?
        var comment: [UInt8]?
        var headers: [EventStreamHeader]?
        var seen: Set<String> = []
        func string(_ range: Range<Int>, _ name: String) throws(StreamCodecError) -> [UInt8] {
            guard text[range.lowerBound] == 0x22 else {
                throw fail("\"\(name)\" must be a string, found \(Self.kind(of: text[range.lowerBound]))")
            }
            do { return try JSONString.decode(text, range) } catch {
                throw fail("\"\(name)\" holds a lone surrogate escape, which UTF-8 cannot carry")
            }
        }
        for member in members {
            guard let keyBytes = member.key else { throw fail("a key holds a lone surrogate escape") }
            let key = String(decoding: keyBytes, as: UTF8.self)
            guard seen.insert(key).inserted else { throw fail("duplicate key \"\(key)\"") }
            let range = member.value
            switch key {
            case "data":
                if text[range.lowerBound] == 0x22 {
                    data = try string(range, key)
                } else {
                    data = Array(text[range]) // non-string data: its minified JSON text
                }
            case "event": event = String(decoding: try string(range, key), as: UTF8.self)
            case "id":
                if text[range.lowerBound] == 0x22 {
                    id = String(decoding: try string(range, key), as: UTF8.self)
                } else if let n = Self.integerText(text, range) {
                    id = n
                } else {
                    throw fail("\"id\" must be a string or an integer")
                }
            case "retry":
                guard let digits = Self.integerText(text, range), let exact = RetryDigits.canonical(digits) else {
                    throw fail("\"retry\" must be a non-negative integer (milliseconds)")
                }
                retry = exact // any number of digits, kept exactly
            case "comment": comment = try string(range, key)
            case "headers":
                switch EventStreamHeader.parseJSON(text, range) {
                case .success(let parsed): headers = parsed
                case .failure(let problem): throw fail(problem.message)
                }
            case "data_base64":
                guard let bytes = Base64.decode(try string(range, key)) else {
                    throw fail("\"data_base64\" must be Base64 (RFC 4648, padded)")
                }
                data = bytes
            default:
                throw fail("unknown key \"\(key)\" (allowed: data, event, id, retry, comment; headers, data_base64 for aws-eventstream)")
            }
        }
        if let comment {
            guard seen.count == 1 else { throw fail("a \"comment\" record has no other keys") }
            return Record(kind: .comment, data: comment)
        }
        if seen.contains("data") && seen.contains("data_base64") {
            throw fail("\"data\" and \"data_base64\" together: a record has one payload")
        }
        if let headers {
            guard id == nil, retry == nil else { throw fail("an aws-eventstream record (\"headers\") has no \"id\" or \"retry\"") }
            return Record(kind: .event, data: data ?? [], event: event ?? headers.string(named: ":event-type"), headers: headers)
        }
        if seen.contains("data_base64") { throw fail("\"data_base64\" needs \"headers\" (it carries an aws-eventstream payload)") }
        if let data { return Record(kind: .event, data: data, event: event, id: id, retry: retry) }
        if event != nil { throw fail("\"event\" without \"data\": an event type alone dispatches nothing") }
        if id == nil && retry == nil { return nil }
        return Record(kind: .control, data: [], id: id, retry: retry)
    }

    /// The digits of an integer value (`-`, fraction or exponent: nil).
    static func integerText(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String? {
        guard !range.isEmpty, text[range].allSatisfy({ $0 &- 0x30 < 10 }) else { return nil }
        return String(decoding: text[range], as: UTF8.self)
    }

    static func kind(of first: UInt8) -> String {
        switch first {
        case 0x7B: return "an object"
        case 0x5B: return "an array"
        case 0x22: return "a string"
        case 0x74, 0x66: return "a boolean"
        case 0x6E: return "null"
        default: return "a number"
        }
    }
}
