// Type erasure for decoders chosen at run time (from the format registry), so one driver type
// serves every format. The per-byte loops stay inside the concrete decoder; only one dynamic
// call per record is added.

/// A decoder chosen at run time: what a ``FormatRegistry`` makes for a format name, so one
/// ``DecodingDriver`` type serves every format (`DecodingDriver<AnyStreamDecoder>`).
///
/// The built-in SSE and NDJSON decoders are kept as their concrete types, so the converter's
/// fast lane reaches them without a dynamic call per record.
public struct AnyStreamDecoder: StreamDecoder, Sendable {
    // The SSE and NDJSON decoders do not conform to DirectDecoding: a second caller of their
    // direct paths stops the compiler from inlining them into the lane (measured 3 to 5 % more
    // instructions per record); any other decoder with a direct path (DirectDecoding) is reached
    // through one dynamic call per record.
    // The decoder in use is `kind`'s; the others stay empty placeholders. Stored as plain
    // values, not optionals or enum payloads: a method called through `sse!` or an enum payload
    // works on a copy of the decoder (measured: a 257-byte copy per record for SSE, and a
    // retain and release per record for the existential), while a stored property is used in
    // place.
    private enum Kind { case sse, ndjson, direct, other }
    private let kind: Kind
    private var sse: SSEDecoder
    private var ndjson: NDJSONDecoder
    private var direct: any DirectDecoding
    private var other: any StreamDecoder

    /// Wraps `base`.
    public init(_ base: any StreamDecoder) {
        sse = SSEDecoder()
        ndjson = NDJSONDecoder()
        other = IdleDecoder()
        direct = IdleDecoder()
        if let decoder = base as? SSEDecoder {
            kind = .sse
            sse = decoder
        } else if let decoder = base as? NDJSONDecoder {
            kind = .ndjson
            ndjson = decoder
        } else if let decoder = base as? any DirectDecoding {
            kind = .direct
            direct = decoder
        } else {
            kind = .other
            other = base
        }
    }

    /// The wrapped decoder.
    public var base: any StreamDecoder {
        switch kind {
        case .sse: sse
        case .ndjson: ndjson
        case .direct: direct
        case .other: other
        }
    }

    /// The SSE decoder's line counts (``SSEDecoder/fieldLineCount``, ``SSEDecoder/ignoredLineCount``);
    /// nil when this is not the SSE decoder.
    var sseLineCounts: SSELineCounts? {
        kind == .sse
            ? SSELineCounts(
                fields: sse.fieldLineCount, ignored: sse.ignoredLineCount,
                firstFieldOffset: sse.firstFieldLineOffset, firstIgnoredOffset: sse.firstIgnoredLineOffset) : nil
    }

    /// Which loop of the fast lane this decoder takes: the built-in SSE and NDJSON decoders each
    /// get the loop specialised for them (their direct paths inlined into it; one loop for all
    /// three measured 3 to 5 % more instructions per record), every other decoder the loop
    /// through ``decodeDirect(_:into:lane:)``.
    enum LaneSlot { case sse, ndjson, other }
    var laneSlot: LaneSlot {
        switch kind {
        case .sse: .sse
        case .ndjson: .ndjson
        case .direct, .other: .other
        }
    }

    /// Calls `body` on the SSE decoder in place; nil when this is not one.
    @inline(__always)
    mutating func withSSE<R>(_ body: (inout SSEDecoder) throws(StreamCodecError) -> R?) throws(StreamCodecError) -> R? {
        if kind != .sse { return nil }
        return try body(&sse)
    }

    /// Calls `body` on the NDJSON decoder in place; nil when this is not one.
    @inline(__always)
    mutating func withNDJSON<R>(_ body: (inout NDJSONDecoder) throws(StreamCodecError) -> R?) throws(StreamCodecError) -> R? {
        if kind != .ndjson { return nil }
        return try body(&ndjson)
    }

    /// The fast lane's step: the decoder's direct path (``DirectDecoding``); a decoder without one
    /// decodes its next record, and a `.json` record's text is written between the framing (what
    /// the data-mode transform, which passes JSON records on, and the encoder would write).
    @inline(__always)
    mutating func decodeDirect(_ input: inout DecoderInput, into output: inout [UInt8], lane: LaneSettings) throws(StreamCodecError)
        -> DirectResult?
    {
        switch kind {
        case .direct: return try direct.decodeDirect(&input, into: &output, lane: lane)
        case .sse, .ndjson, .other:
            // (The SSE and NDJSON slots have loops of their own, see ``laneSlot``; here they would
            // still be right, record by record.)
            guard let record = try decode(&input) else { return nil }
            guard record.kind == .json else { return .record(record) }
            lane.framing.write(record.data, into: &output)
            return .written
        }
    }

    public mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        switch kind {
        case .sse: try sse.decode(&input)
        case .ndjson: try ndjson.decode(&input)
        case .direct: try direct.decode(&input)
        case .other: try other.decode(&input)
        }
    }

    public mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        switch kind {
        case .sse: try sse.decodeLast(&input)
        case .ndjson: try ndjson.decodeLast(&input)
        case .direct: try direct.decodeLast(&input)
        case .other: try other.decodeLast(&input)
        }
    }

    public var heldByteCount: Int {
        switch kind {
        case .sse: sse.heldByteCount
        case .ndjson: ndjson.heldByteCount
        case .direct: direct.heldByteCount
        case .other: other.heldByteCount
        }
    }

    public var decodeTrigger: DecodeTrigger {
        switch kind {
        case .sse, .ndjson: .lineBreak
        case .direct: direct.decodeTrigger
        case .other: other.decodeTrigger
        }
    }

    public var currentLine: Int? {
        switch kind {
        case .sse: sse.currentLine
        case .ndjson: ndjson.currentLine
        case .direct: direct.currentLine
        case .other: other.currentLine
        }
    }

    public mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool {
        switch kind {
        case .sse: sse.skipBadRecord(&input, after: error)
        case .ndjson: ndjson.skipBadRecord(&input, after: error)
        case .direct: direct.skipBadRecord(&input, after: error)
        case .other: other.skipBadRecord(&input, after: error)
        }
    }
}
