// The converter's fast lane: whether a conversion can take it, and with what settings. Its loop
// is in Converter.drain: each step asks the decoder for its direct path, which writes a record's
// validated text straight into the output between the encoder's framing (FramingEncoder) and
// hands back anything else as a record for the general path. The SSE and NDJSON decoders' direct
// paths are reached through their slots in AnyStreamDecoder (inlined); any other decoder opts in
// with DirectDecoding; a decoder without one still takes the lane, its JSON records written
// between the framing. Every direct path must equal the general path (the agreement tests:
// SSEFastLaneTests, JSONLineFastPathTests, DataModeAgreementTests, RecordFramingTests).

/// Whether a conversion runs the fast lane (measured: see Docs/Performance.md). It gives exactly
/// what the general path gives: a record the direct path does not accept (invalid data, the done
/// marker, empty data, SSE control blocks) takes the general path.
enum Lane {
    case general
    /// Each record's minified text between the encoder's framing.
    case direct(LaneSettings)

    /// The lane for a conversion: only the plain data-mode chain (one ``DataModeTransform``, no
    /// filters, pick or framing transforms, no end events or conditions) to an encoder with a fixed framing, and never from events to
    /// events (an event keeps its type and id there, which the framing does not write).
    static func choose(
        source: Format.Family, target: Format.Family, options: ConversionOptions, transforms: [any RecordTransform],
        encoder: any StreamEncoder, doneMarker: [UInt8]?
    ) -> Lane {
        guard options.mode == .data, transforms.count == 1, transforms[0] is DataModeTransform else { return .general }
        // End events and conditions look at every record (StreamEnd).
        guard options.endEvents.isEmpty && options.endWhen.isEmpty else { return .general }
        if source == .eventStream && target == .eventStream { return .general }
        guard let framing = RecordFraming.of(encoder) else { return .general }
        var marker: ShortBytes?
        if source == .eventStream, let doneMarker {
            // A custom done marker longer than eight bytes: the general path compares it.
            guard let short = ShortBytes(doneMarker) else { return .general }
            marker = short
        }
        return .direct(LaneSettings(framing: framing, doneMarker: marker, maxDepth: options.codec.maxDepth))
    }
}

/// What a direct path needs to know: the framing to write around each text, the done marker (an
/// SSE event whose data it is takes the general path, which ends the output there), and the
/// nesting limit of the JSON validation.
struct LaneSettings {
    let framing: RecordFraming
    let doneMarker: ShortBytes?
    let maxDepth: Int
}

/// A decoder with a direct path for the fast lane: instead of building its next record, it
/// validates and minifies the record's text straight into `output` between `lane.framing`
/// (`.written`), or hands the record back (`.record`) when the path does not take it; nil when
/// more input is needed. Must equal the general path: `decode` then ``DataModeTransform`` then
/// the encoder, byte for byte, line for line, error for error.
protocol DirectDecoding: StreamDecoder {
    mutating func decodeDirect(_ input: inout DecoderInput, into output: inout [UInt8], lane: LaneSettings) throws(StreamCodecError)
        -> DirectResult?
}
