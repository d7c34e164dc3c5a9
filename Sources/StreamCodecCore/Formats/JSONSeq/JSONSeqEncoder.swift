// RFC 7464 "JavaScript Object Notation (JSON) Text Sequences", section 2.2: each JSON text
// written as RS, the text, LF.

/// Encodes `.json` records as RFC 7464 JSON text sequences: RS, the minified text, LF.
public struct JSONSeqEncoder: StreamEncoder, Sendable {
    /// An encoder.
    public init() {}

    public mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) {
        guard record.kind == .json else { throw JSONLinesEncoder.notJSON(record) }
        output.append(0x1E)
        output.append(contentsOf: record.data)
        output.append(0x0A)
    }
}

extension JSONSeqEncoder: FramingEncoder {
    /// RS, the text, LF.
    static var recordFraming: RecordFraming { RecordFraming(prefix: [0x1E], suffix: [0x0A]) }
}
