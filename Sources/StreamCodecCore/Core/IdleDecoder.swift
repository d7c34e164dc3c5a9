// The decoder that does nothing.

/// A decoder that consumes nothing and produces nothing, not even at the end of input: the
/// placeholder in the slots of an ``AnyStreamDecoder`` not in use, and the decoder of an input
/// whose format auto-detection has not chosen yet (the converter replaces it then).
struct IdleDecoder: StreamDecoder {
    mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? { nil }
    mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? { nil }
}

extension IdleDecoder: DirectDecoding {
    mutating func decodeDirect(_ input: inout DecoderInput, into output: inout [UInt8], lane: LaneSettings) throws(StreamCodecError)
        -> DirectResult?
    { nil }
}
