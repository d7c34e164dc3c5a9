// The NDJSON decoder's shortcut for the converter's fast lane (Driver/Lane.swift).
//
// RULE: this path must equal the general path (`decode`, then ``DataModeTransform``, then the
// encoder), byte for byte, line for line, error for error, for any split of the input: a line
// the fast validator does not accept goes through `decodeLine` as the general path's would.
// Checked by JSONLineFastPathTests and DataModeAgreementTests (whole, one byte at a time and at
// random split points).

extension NDJSONDecoder {
    /// Hot path: the converter's fast lane: the next line, validated and minified straight into `output`
    /// between `prefix` and `suffix` (`.written`), or, when the fast path does not accept it, the
    /// record the ordinary path makes of it (which throws for invalid JSON). Nil: more input is
    /// needed. (One caller, Converter.drain, so that it is inlined there.)
    mutating func decodeDirect(_ input: inout DecoderInput, into output: inout [UInt8], prefix: ShortBytes, suffix: ShortBytes)
        throws(StreamCodecError) -> DirectResult?
    {
        while let end = nextLine(&input) {
            if !lineHasBOM {
                try input.checkRecordSize(end, line: nextLine)
                let mark = output.count
                JSONFastPath.reserve(&output, adding: prefix.count + end + suffix.count)
                prefix.append(to: &output)
                let accepted = input.withReadableBytes { buf in
                    JSONFastPath.minify(buf.baseAddress!.assumingMemoryBound(to: UInt8.self), count: end, maxDepth: maxDepth, into: &output)
                }
                if accepted {
                    suffix.append(to: &output)
                    finishLine(&input, length: end)
                    return .written
                }
                output.removeSubrange(mark...)
            }
            let record = try decodeLine(&input, length: end, atEnd: false)
            finishLine(&input, length: end)
            if let record { return .record(record) }
        }
        return nil
    }
}
