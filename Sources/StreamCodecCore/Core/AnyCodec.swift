// Type erasure for codecs chosen at run time (from the format registry), so one driver type
// serves every format. The per-byte loops stay inside the concrete codec; only one dynamic
// call per record is added.

/// A decoder of any type.
///
/// The built-in SSE and NDJSON decoders are kept as their concrete types, so the converter's
/// fast lanes reach them without a dynamic cast per record.
public struct AnyStreamDecoder: StreamDecoder, Sendable {
    // Exactly one of these is set. Optionals (not an enum) so that `sse!.decode(&input)`
    // mutates in place: moving a payload out of an enum would copy the decoder's buffers.
    private var sse: SSEDecoder?
    private var ndjson: NDJSONDecoder?
    private var other: (any StreamDecoder)?

    public init(_ base: any StreamDecoder) {
        if let decoder = base as? SSEDecoder {
            sse = decoder
        } else if let decoder = base as? NDJSONDecoder {
            ndjson = decoder
        } else {
            other = base
        }
    }

    /// Which built-in decoder this is, for the converter's fast lanes.
    var isSSE: Bool { sse != nil }
    var isNDJSON: Bool { ndjson != nil }

    /// The wrapped decoder.
    public var base: any StreamDecoder { sse ?? ndjson ?? other! }

    /// Calls `body` on the SSE decoder in place; nil when this is not one.
    @inline(__always)
    mutating func withSSE<R>(_ body: (inout SSEDecoder) throws(StreamCodecError) -> R) throws(StreamCodecError) -> R? {
        if sse == nil { return nil }
        return try body(&sse!)
    }

    /// Calls `body` on the NDJSON decoder in place; nil when this is not one.
    @inline(__always)
    mutating func withNDJSON<R>(_ body: (inout NDJSONDecoder) throws(StreamCodecError) -> R) throws(StreamCodecError) -> R? {
        if ndjson == nil { return nil }
        return try body(&ndjson!)
    }

    public mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        if sse != nil { return try sse!.decode(&input) }
        if ndjson != nil { return try ndjson!.decode(&input) }
        return try other!.decode(&input)
    }

    public mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        if sse != nil { return try sse!.decodeLast(&input) }
        if ndjson != nil { return try ndjson!.decodeLast(&input) }
        return try other!.decodeLast(&input)
    }

    public var heldByteCount: Int { sse?.heldByteCount ?? ndjson?.heldByteCount ?? other!.heldByteCount }
    public var decodeTrigger: DecodeTrigger { sse != nil || ndjson != nil ? .lineBreak : other!.decodeTrigger }
    public var currentLine: Int? { sse != nil ? sse!.currentLine : ndjson != nil ? ndjson!.currentLine : other!.currentLine }

    public mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool {
        if sse != nil { return sse!.skipBadRecord(&input, after: error) }
        if ndjson != nil { return ndjson!.skipBadRecord(&input, after: error) }
        return other!.skipBadRecord(&input, after: error)
    }
}

/// A decoder that never produces anything: the placeholder while a wrapped decoder is being
/// mutated in place.
struct EmptyDecoder: StreamDecoder {
    mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? { nil }
}

/// An encoder of any type.
public struct AnyStreamEncoder: StreamEncoder, Sendable {
    public var base: any StreamEncoder
    public init(_ base: any StreamEncoder) { self.base = base }
    public mutating func start(into output: inout [UInt8]) throws(StreamCodecError) { try base.start(into: &output) }
    public mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) { try base.encode(record, into: &output) }
    public mutating func finish(into output: inout [UInt8]) throws(StreamCodecError) { try base.finish(into: &output) }
}
