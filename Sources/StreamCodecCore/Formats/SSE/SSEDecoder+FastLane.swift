// The SSE decoder's shortcuts for the converter's fast lane (Driver/Lane.swift).
//
// RULE: every path here must equal the general path (`step`, then the record, then
// ``DataModeTransform``, then the encoder), byte for byte, line for line, error for error, for
// any split of the input. Anything it does not take comes back as the general path's record.
// Checked by SSEFastLaneTests and DataModeAgreementTests (whole, one byte at a time and at
// random split points).

extension SSEDecoder {
    /// The converter's fast lane for data mode to a JSON format: the next event's data,
    /// validated and minified straight into `output` between `prefix` and `suffix`
    /// (`.written`). Anything else (empty data, the done marker, data that the fast path does not
    /// accept, control blocks, comments) comes back as its record for the ordinary path. Valid
    /// JSON is valid UTF-8, so skipping the UTF-8 repair cannot change an accepted text. Nil:
    /// more input is needed. (One caller, Converter.drain, so that it is inlined there.)
    mutating func decodeDirect(
        _ input: inout DecoderInput, into output: inout [UInt8], prefix: ShortBytes, suffix: ShortBytes,
        doneMarker: ShortBytes?, maxDepth: Int
    ) throws(StreamCodecError) -> DirectResult? {
        if let written = singleLineEvent(&input, into: &output, prefix: prefix, suffix: suffix, doneMarker: doneMarker, maxDepth: maxDepth)
        {
            return written
        }
        guard let step = try step(&input) else { return nil }
        if step == .event && !builder.data.isEmpty && !builder.data.withUnsafeBufferPointer({ doneMarker?.equals($0) ?? false }) {
            let mark = output.count
            JSONFastPath.reserve(&output, adding: prefix.count + builder.data.count + suffix.count)
            prefix.append(to: &output)
            let accepted = builder.data.withUnsafeBufferPointer { buf in
                JSONFastPath.minify(buf.baseAddress!, count: buf.count, maxDepth: maxDepth, into: &output)
            }
            if accepted {
                suffix.append(to: &output)
                return .written
            }
            output.removeSubrange(mark...)
        }
        return .record(builder.record(for: step))
    }

    /// Hot path: the commonest events, `data: TEXT` LF LF and `event: NAME` LF `data: TEXT` LF LF,
    /// with nothing before them in their block, validated and minified straight from the input
    /// without joining the data into the data buffer. The lines are read here rather than by the
    /// line reader (the duplication is the point: one memchr per line, no copy of the data), then
    /// the block goes through the builder's dispatch as the general path's would: exactly what
    /// `step` then `decodeDirect` would write (in data mode the event type does not reach the
    /// output), with the same line numbers and line counts. Nil, with nothing consumed, for
    /// anything else (including a block over the record limit, whose error the general path
    /// reports).
    @inline(__always)
    private mutating func singleLineEvent(
        _ input: inout DecoderInput, into output: inout [UInt8], prefix: ShortBytes, suffix: ShortBytes,
        doneMarker: ShortBytes?, maxDepth: Int
    ) -> DirectResult? {
        guard reader.isAtLineStart && builder.size == 0 && !builder.hasFields && !builder.hasData && !isDiscardingBlock
        else { return nil }
        let n = input.readableCount
        guard n >= 8 else { return nil }
        let base = input.streamOffset
        // The block's lines: (bytes they take, their count, where the data value starts and ends).
        let block: (size: Int, lines: Int, valueStart: Int, valueEnd: Int)? = input.withReadableBytes { buf in
            let p = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var start = 0
            var lines = 1
            if p[0] == 0x65 && n > 6 && p[1] == 0x76 && p[2] == 0x65 && p[3] == 0x6E && p[4] == 0x74 && p[5] == ASCII.colon { // "event:"
                guard let end = reader.firstLineBreak(p, from: 0, to: n, base: base), p[end] == ASCII.lf else { return nil }
                start = end + 1
                lines = 2
                guard n - start >= 8 else { return nil }
            }
            let d = p + start
            guard d[0] == 0x64 && d[1] == 0x61 && d[2] == 0x74 && d[3] == 0x61 && d[4] == ASCII.colon else { return nil } // "data:"
            guard let end = reader.firstLineBreak(p, from: start, to: n, base: base), end + 1 < n,
                p[end] == ASCII.lf && p[end + 1] == ASCII.lf
            else { return nil }
            return (end - lines + 1, lines, start + (d[5] == ASCII.space ? 6 : 5), end)
        }
        guard let block, block.size <= input.recordLimit else { return nil }
        let mark = output.count
        prefix.append(to: &output)
        let accepted = input.withReadableBytes { buf in
            let p = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let value = UnsafeBufferPointer(start: p + block.valueStart, count: block.valueEnd - block.valueStart)
            if value.isEmpty { return false }
            if let doneMarker, doneMarker.equals(value) { return false }
            return JSONFastPath.minify(p + block.valueStart, count: value.count, maxDepth: maxDepth, into: &output)
        }
        guard accepted else {
            output.removeSubrange(mark...)
            return nil
        }
        suffix.append(to: &output)
        // The block as the general path leaves it: its field lines counted, then its dispatch
        // (the data was written here, not buffered, so the builder dispatches nothing).
        builder.clearDispatched()
        builder.startLine = reader.lineNumber
        builder.countFieldLines(block.lines, at: input.streamOffset)
        _ = builder.dispatch()
        reader.skipLines(block.lines + 1)
        input.consume(block.valueEnd + 2)
        return .written
    }
}
