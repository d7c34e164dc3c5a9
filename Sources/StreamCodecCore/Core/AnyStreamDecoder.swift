// Type erasure for decoders chosen at run time (from the format registry), so one driver type
// serves every format. The per-byte loops stay inside the concrete decoder; only one dynamic
// call per record is added.

/// A decoder chosen at run time: what a ``FormatRegistry`` makes for a format name, so one
/// ``DecodingDriver`` type serves every format (`DecodingDriver<AnyStreamDecoder>`).
///
/// The built-in SSE and NDJSON decoders are kept as their concrete types, so the converter's
/// fast lanes reach them without a dynamic cast per record.
public struct AnyStreamDecoder: StreamDecoder, Sendable {
    // The decoder in use is `kind`'s; the other two stay empty placeholders. Stored as plain
    // values, not optionals or enum payloads: a method called through `sse!` or an enum payload
    // works on a copy of the decoder (measured: a 257-byte copy per record for SSE, and a
    // retain and release per record for the existential), while a stored property is used in
    // place.
    private enum Kind { case sse, ndjson, other }
    private let kind: Kind
    private var sse: SSEDecoder
    private var ndjson: NDJSONDecoder
    private var other: any StreamDecoder

    /// Wraps `base`.
    public init(_ base: any StreamDecoder) {
        sse = SSEDecoder()
        ndjson = NDJSONDecoder()
        other = IdleDecoder()
        if let decoder = base as? SSEDecoder {
            kind = .sse
            sse = decoder
        } else if let decoder = base as? NDJSONDecoder {
            kind = .ndjson
            ndjson = decoder
        } else {
            kind = .other
            other = base
        }
    }

    /// Which built-in decoder this is, for the converter's fast lanes.
    var isSSE: Bool { kind == .sse }
    var isNDJSON: Bool { kind == .ndjson }

    /// The wrapped decoder.
    public var base: any StreamDecoder {
        switch kind {
        case .sse: sse
        case .ndjson: ndjson
        case .other: other
        }
    }

    /// The SSE decoder's line counts (``SSEDecoder/fieldLineCount``, ``SSEDecoder/ignoredLineCount``);
    /// nil when this is not the SSE decoder.
    var sseLineCounts: SSELineCounts? {
        kind == .sse ? SSELineCounts(fields: sse.fieldLineCount, ignored: sse.ignoredLineCount,
                                     firstFieldOffset: sse.firstFieldLineOffset, firstIgnoredOffset: sse.firstIgnoredLineOffset) : nil
    }

    /// Calls `body` on the SSE decoder in place; nil when this is not one.
    @inline(__always)
    mutating func withSSE<R>(_ body: (inout SSEDecoder) throws(StreamCodecError) -> R) throws(StreamCodecError) -> R? {
        if kind != .sse { return nil }
        return try body(&sse)
    }

    /// Calls `body` on the NDJSON decoder in place; nil when this is not one.
    @inline(__always)
    mutating func withNDJSON<R>(_ body: (inout NDJSONDecoder) throws(StreamCodecError) -> R) throws(StreamCodecError) -> R? {
        if kind != .ndjson { return nil }
        return try body(&ndjson)
    }

    public mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        switch kind {
        case .sse: try sse.decode(&input)
        case .ndjson: try ndjson.decode(&input)
        case .other: try other.decode(&input)
        }
    }

    public mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        switch kind {
        case .sse: try sse.decodeLast(&input)
        case .ndjson: try ndjson.decodeLast(&input)
        case .other: try other.decodeLast(&input)
        }
    }

    public var heldByteCount: Int {
        switch kind {
        case .sse: sse.heldByteCount
        case .ndjson: ndjson.heldByteCount
        case .other: other.heldByteCount
        }
    }

    public var decodeTrigger: DecodeTrigger { kind == .other ? other.decodeTrigger : .lineBreak }

    public var currentLine: Int? {
        switch kind {
        case .sse: sse.currentLine
        case .ndjson: ndjson.currentLine
        case .other: other.currentLine
        }
    }

    public mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool {
        switch kind {
        case .sse: sse.skipBadRecord(&input, after: error)
        case .ndjson: ndjson.skipBadRecord(&input, after: error)
        case .other: other.skipBadRecord(&input, after: error)
        }
    }
}
