// Type erasure for encoders chosen at run time (from the format registry).

/// An encoder of any type.
struct AnyStreamEncoder: StreamEncoder, Sendable {
    var base: any StreamEncoder
    init(_ base: any StreamEncoder) { self.base = base }
    mutating func start(into output: inout [UInt8]) throws(StreamCodecError) { try base.start(into: &output) }
    mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) { try base.encode(record, into: &output) }
    mutating func finish(into output: inout [UInt8]) throws(StreamCodecError) { try base.finish(into: &output) }
}
