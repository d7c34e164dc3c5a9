// AWS event stream encoding (`application/vnd.amazon.eventstream`), writing: the message
// layout is in AWSEventStreamDecoder.swift.
//
// What each record becomes:
// - A record with ``Record/headers`` (read from an event stream, or from an envelope that
//   carries them): those headers in their order and types, and the data as the payload, so a
//   message comes back byte for byte. When the record's event type differs from its
//   `:event-type` header (a transform renamed it), the header takes the new value.
// - Any other event or JSON record: the headers AWS services send with an event,
//   `:event-type` (the record's event type; `message`, the SSE default, when it has none),
//   `:content-type` (`application/json` for a JSON record) and `:message-type` `event`, then the
//   data as the payload.
// Deliberate choices: SSE comments and control blocks (an `id` or `retry` alone) have no place
// in this encoding and are left out; an event's `id` and `retry` are not written either.
// A header or payload too large for its length field is an error (`cannot encode`).

/// Encodes records as `application/vnd.amazon.eventstream` messages.
public struct AWSEventStreamEncoder: StreamEncoder, Sendable {
    private var message: [UInt8] = []

    /// An encoder.
    public init() {}

    public mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) {
        switch record.kind {
        case .comment, .control: return
        case .event, .json: break
        }
        var headers = record.headers ?? Self.defaultHeaders(for: record)
        if record.headers != nil, let event = record.event,
            let k = headers.firstIndex(where: { $0.name == ":event-type" }), headers[k].stringValue != event
        {
            headers[k].value = .string(event)
        }
        try Self.append(headers: headers, payload: record.data, to: &output, scratch: &message)
    }

    /// The headers of an event that did not come from an event stream.
    static func defaultHeaders(for record: Record) -> [EventStreamHeader] {
        var headers = [EventStreamHeader(":event-type", .string(record.event ?? "message"))]
        if record.kind == .json { headers.append(EventStreamHeader(":content-type", .string("application/json"))) }
        headers.append(EventStreamHeader(":message-type", .string("event")))
        return headers
    }

    /// Appends one message.
    static func append(headers: [EventStreamHeader], payload: [UInt8], to output: inout [UInt8], scratch: inout [UInt8])
        throws(StreamCodecError)
    {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: repeatElement(0, count: AWSEventStreamDecoder.preludeSize))
        for header in headers {
            if let problem = header.wireProblem() { throw StreamCodecError(.unencodable, "aws-eventstream: " + problem) }
            header.append(to: &scratch)
        }
        let headersLength = scratch.count - AWSEventStreamDecoder.preludeSize
        let total = scratch.count + payload.count + 4
        guard total <= Int(UInt32.max) else {
            throw StreamCodecError(.unencodable, "aws-eventstream: a message of \(total) bytes does not fit its 32-bit total length")
        }
        scratch.append(contentsOf: payload)
        func put(_ v: UInt32, at k: Int) {
            scratch[k] = UInt8(v >> 24)
            scratch[k + 1] = UInt8(truncatingIfNeeded: v >> 16)
            scratch[k + 2] = UInt8(truncatingIfNeeded: v >> 8)
            scratch[k + 3] = UInt8(truncatingIfNeeded: v)
        }
        put(UInt32(total), at: 0)
        put(UInt32(headersLength), at: 4)
        put(scratch.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<8])) }, at: 8)
        let crc = scratch.withUnsafeBytes { CRC32.checksum($0) }
        output.append(contentsOf: scratch)
        for shift in [24, 16, 8, 0] { output.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
    }
}
