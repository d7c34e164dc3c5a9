// The encoder protocol: append the bytes of one record to an output buffer.

/// Turns records into bytes of one format.
///
/// ``encode(_:into:)`` appends the bytes of one record; ``start(into:)`` and
/// ``finish(into:)`` write what comes before the first and after the last record (the `[`
/// and `]` of a JSON array, for example) and do nothing by default.
public protocol StreamEncoder: Sendable {
    /// Appends what comes before the first record.
    mutating func start(into output: inout [UInt8]) throws(StreamCodecError)
    /// Appends the bytes of `record`.
    mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError)
    /// Appends what comes after the last record.
    mutating func finish(into output: inout [UInt8]) throws(StreamCodecError)
}

extension StreamEncoder {
    public mutating func start(into output: inout [UInt8]) throws(StreamCodecError) {}
    public mutating func finish(into output: inout [UInt8]) throws(StreamCodecError) {}
}
