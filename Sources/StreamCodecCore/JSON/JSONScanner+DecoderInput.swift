// The JSON scanner over a decoder's buffered input, shared by the decoders of JSON streams
// (stream+json, JSON text sequences, streamed arrays, and NDJSON's skipping of oversized lines).

extension JSONScanner {
    /// Scans `input`'s readable bytes from `start` up to `end` (all of them by default),
    /// appending the minified text to `output`.
    mutating func scan(
        _ input: DecoderInput, from start: Int = 0, upTo end: Int? = nil,
        into output: inout [UInt8]
    ) -> Result<Outcome, JSONScanError> {
        input.withReadableBytes { buf in
            let p = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let stop = end ?? buf.count
            return Result { () throws(JSONScanError) in try scan(p, from: start, to: stop, into: &output) }
        }
    }
}

extension JSONScanner {
    /// Scans the record in progress, which starts at `input`'s first readable byte, from `start`
    /// but never past one byte beyond the record limit: whether a record is too large, and which
    /// error a bad one gets, then depend only on its first limit + 1 bytes, never on how the input
    /// was split into reads. Returns the outcome, where scanning stopped, and whether the text
    /// went past the limit (the caller records `stop` as scanned, then reports it too large).
    ///
    /// A text that starts at the first readable byte and is complete on its line (its LF has
    /// arrived) is validated by the non-resumable fast path instead, with the same outcome (see
    /// ``DecoderInput/fastTextOnLine(maxDepth:endingAtDelimiter:into:)``; `elementOfArray`: a `,`
    /// or `]` may end the line).
    mutating func scanRecord(
        _ input: DecoderInput, from start: Int, elementOfArray: Bool = false,
        into output: inout [UInt8]
    ) -> (outcome: Result<Outcome, JSONScanError>, stop: Int, overLimit: Bool) {
        if start == 0 && !isInsideText,
            let end = input.fastTextOnLine(maxDepth: maxDepth, endingAtDelimiter: elementOfArray, into: &output)
        {
            return (.success(.complete(end: end)), end, false)
        }
        let stop = Swift.min(input.readableCount, input.recordLimit + 1)
        let outcome = scan(input, from: start, upTo: stop, into: &output)
        if case .success(.needMore) = outcome, stop == input.recordLimit + 1 { return (outcome, stop, true) }
        return (outcome, stop, false)
    }
}

extension DecoderInput {
    /// Consumes the JSON whitespace (space, tab, CR, LF) at the start of the readable bytes.
    /// Returns how many bytes and how many LF bytes it consumed, and the byte after them (nil
    /// when the readable bytes are used up).
    @discardableResult
    mutating func skipJSONWhitespace() -> (count: Int, lineFeeds: Int, next: UInt8?) {
        let (skip, lineFeeds, next) = withReadableBytes { buf -> (Int, Int, UInt8?) in
            var i = 0
            var lfs = 0
            while i < buf.count {
                let c = buf[i]
                if c == 0x0A { lfs += 1 } else if !(c == 0x20 || c == 0x0D || c == 0x09) { break }
                i += 1
            }
            return (i, lfs, i < buf.count ? buf[i] : nil)
        }
        consume(skip)
        return (skip, lineFeeds, next)
    }
}

extension DecoderInput {
    /// The commonest case in the JSON stream formats, a text complete on its line: when the
    /// readable bytes start with a JSON text, then optional whitespace, then an LF that has
    /// arrived, appends its minified text to `output` with the non-resumable fast path and
    /// returns where the text ends (as the scanner's `.complete` would). Nil, with nothing
    /// appended, in every other case (no LF yet, the line longer than the record limit, a text
    /// that is not exactly one valid JSON text on that line): the resumable scanner then decides,
    /// so results and errors do not change, only their speed.
    ///
    /// With `endingAtDelimiter` (an element of a streamed array), a `,` or `]` that ends the line
    /// (whitespace aside) is not part of the text. That is exact: when the line without it is one
    /// complete text, the delimiter cannot belong to the text (a complete text followed by `,` or
    /// `]` is no longer one text).
    func fastTextOnLine(maxDepth: Int, endingAtDelimiter: Bool = false, into output: inout [UInt8]) -> Int? {
        withReadableBytes { buf in
            let p = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
            guard let lf = ByteSearch.first(0x0A, in: p, from: 0, to: buf.count), lf > 0 else { return nil }
            var end = lf
            if endingAtDelimiter {
                var last = lf - 1
                while last > 0 && (p[last] == 0x20 || p[last] == 0x09 || p[last] == 0x0D) { last -= 1 }
                if p[last] == 0x2C || p[last] == 0x5D { end = last }
            }
            guard end > 0, end <= recordLimit else { return nil }
            let mark = output.count
            guard JSONFastPath.minify(p, count: end, maxDepth: maxDepth, into: &output) else {
                output.removeSubrange(mark...)
                return nil
            }
            while p[end - 1] == 0x20 || p[end - 1] == 0x09 || p[end - 1] == 0x0D { end -= 1 } // the text ends here
            return end
        }
    }
}
