// The converter's fast lanes: which specialised loop a conversion can take. The loops themselves
// run in Converter.drain; each decoder's shortcut must equal its general path (the agreement
// tests: SSEFastLaneTests, JSONLineFastPathTests).

/// Specialised loops for the commonest conversions, which write each record's minified text
/// straight into the output instead of building a record (measured: see Docs/Performance.md).
/// They give exactly what the general path gives: a record the fast JSON path does not accept
/// (invalid data, the done marker, empty data, SSE control blocks) takes the general path.
enum Lane {
    case general
    /// SSE in data mode to a JSON format: each event's data between prefix and suffix; an
    /// event whose data is the done marker takes the general path.
    case sseData(prefix: ShortBytes, suffix: ShortBytes, doneMarker: ShortBytes?, maxDepth: Int)
    /// NDJSON to a JSON format or to SSE (data mode): each line between prefix and suffix.
    case ndjson(prefix: ShortBytes, suffix: ShortBytes)
    /// Any other decoder to a JSON format or to SSE (data mode): each `.json` record's text
    /// between prefix and suffix, as the data-mode transform (which passes JSON records on) and
    /// the encoder would write it, without them; other records take the general path.
    case jsonRecords(prefix: ShortBytes, suffix: ShortBytes)

    static func choose(decoder: AnyStreamDecoder, options: ConversionOptions, transforms: [any RecordTransform], encoder: any StreamEncoder,
                       doneMarker: [UInt8]?) -> Lane {
        // Only the plain data-mode chain: one DataModeTransform, no filters or framing.
        guard options.mode == .data, transforms.count == 1, transforms[0] is DataModeTransform else { return .general }
        let framing: (prefix: ShortBytes, suffix: ShortBytes)
        switch encoder {
        case is JSONLinesEncoder: framing = (ShortBytes([])!, ShortBytes([0x0A])!)
        case is JSONSeqEncoder: framing = (ShortBytes([0x1E])!, ShortBytes([0x0A])!)
        case is SSEEncoder where !decoder.isSSE: framing = (ShortBytes(Array("data: ".utf8))!, ShortBytes([0x0A, 0x0A])!)
        default: return .general
        }
        if decoder.isSSE && !(encoder is SSEEncoder) {
            var marker: ShortBytes?
            if let doneMarker {
                // A custom done marker longer than eight bytes: the general path compares it.
                guard let short = ShortBytes(doneMarker) else { return .general }
                marker = short
            }
            return .sseData(prefix: framing.prefix, suffix: framing.suffix, doneMarker: marker, maxDepth: options.codec.maxDepth)
        }
        if decoder.isNDJSON {
            return .ndjson(prefix: framing.prefix, suffix: framing.suffix)
        }
        return .jsonRecords(prefix: framing.prefix, suffix: framing.suffix)
    }
}
