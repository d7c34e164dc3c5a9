// A top-level JSON array (RFC 8259 section 5) written element by element, so that a reader that
// parses the array incrementally gets each element the moment it is encoded.

/// Encodes records as one JSON array, element by element: `[`, then each element on its own
/// line (a comma before every element but the first), then `]`. Each element's bytes are
/// written as it comes; an empty stream gives `[]`.
public struct JSONArrayEncoder: StreamEncoder, Sendable {
    private var count = 0
    /// An encoder.
    public init() {}

    public mutating func start(into output: inout [UInt8]) throws(StreamCodecError) {
        output.append(0x5B)
    }

    public mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) {
        guard record.kind == .json else { throw JSONLinesEncoder.notJSON(record) }
        if count > 0 { output.append(0x2C) }
        output.append(0x0A)
        output.append(contentsOf: record.data)
        count += 1
    }

    public mutating func finish(into output: inout [UInt8]) throws(StreamCodecError) {
        if count > 0 { output.append(0x0A) }
        output.append(0x5D)
        output.append(0x0A)
    }
}
