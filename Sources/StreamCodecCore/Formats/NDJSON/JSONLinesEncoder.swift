// NDJSON spec 1.0 (and Spring's `application/stream+json` writer): each JSON text minified,
// followed by LF.

/// Encodes `.json` records one per line (NDJSON, JSON Lines, stream+json).
public struct JSONLinesEncoder: StreamEncoder, Sendable {
    /// An encoder.
    public init() {}

    public mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) {
        guard record.kind == .json else { throw JSONLinesEncoder.notJSON(record) }
        output.append(contentsOf: record.data)
        output.append(0x0A)
    }

    static func notJSON(_ record: Record) -> StreamCodecError {
        StreamCodecError(
            .unencodable,
            "a \(record.kind) record cannot be written to a JSON format as it is; convert it first (data mode or the envelope transform)")
    }
}

extension JSONLinesEncoder: FramingEncoder {
    /// The text, then LF.
    static var recordFraming: RecordFraming { RecordFraming(prefix: [], suffix: [0x0A]) }
}
