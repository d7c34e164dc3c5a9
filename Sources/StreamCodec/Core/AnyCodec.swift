// Type erasure for codecs chosen at run time (from the format registry), so one driver type
// serves every format. The per-byte loops stay inside the concrete codec; only one dynamic
// call per record is added.

/// A decoder of any type.
public struct AnyStreamDecoder: StreamDecoder {
    public var base: any StreamDecoder
    public init(_ base: any StreamDecoder) { self.base = base }
    public mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? { try base.decode(&input) }
    public mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? { try base.decodeLast(&input) }
    public var heldByteCount: Int { base.heldByteCount }
    public var currentLine: Int? { base.currentLine }
    public mutating func skipBadRecord(_ input: inout DecoderInput) -> Bool { base.skipBadRecord(&input) }
}

/// An encoder of any type.
public struct AnyStreamEncoder: StreamEncoder {
    public var base: any StreamEncoder
    public init(_ base: any StreamEncoder) { self.base = base }
    public mutating func start(into output: inout [UInt8]) throws(StreamCodecError) { try base.start(into: &output) }
    public mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) { try base.encode(record, into: &output) }
    public mutating func finish(into output: inout [UInt8]) throws(StreamCodecError) { try base.finish(into: &output) }
}
