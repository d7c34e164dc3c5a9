// NDJSON: "Newline Delimited JSON" spec 1.0 (github.com/ndjson/ndjson-spec), with RFC 8259
// for each text; also known as JSON Lines (jsonlines.org).
//
// One JSON text per line; lines end with LF or CRLF. Deliberate choices (the spec asks a
// parser to accept `\n` and `\r\n` and says nothing more):
// - Blank and whitespace-only lines are skipped.
// - A last line without a line end is accepted when it is a complete text; one cut off in
//   the middle is a ``StreamCodecError/Code/truncated`` error.
// - A UTF-8 BOM at the very start of the stream is ignored when a JSON text follows it on the
//   first line (RFC 8259 section 8.1 allows ignoring it); a BOM with no text is an error.
// - A CR inside a line is JSON whitespace; two texts on one line are an error.
// - The record-size limit counts a line's bytes without its LF.

/// Decodes NDJSON / JSON Lines into `.json` records holding minified text.
public struct NDJSONDecoder: StreamDecoder, Sendable {
    /// The deepest JSON nesting accepted.
    public var maxDepth: Int
    private var scanned = 0 // bytes of the line in progress searched for its LF
    private(set) var nextLine = 1 // the 1-based number of the line in progress
    private var bom = LeadingBOM()
    private(set) var lineHasBOM = false // the current (first) line started with a BOM
    private var discarding = false // dropping a bad line up to its LF
    private var skim: JSONTextReader? // an oversized line being dropped is still scanned, so that
    private var skimFailed = false // the end of input can tell a cut-off text from a complete one
    private var finished = false
    private var scratch: [UInt8] = []

    /// A decoder that refuses JSON nested deeper than `maxDepth`.
    public init(maxDepth: Int = JSONLimits.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    /// The line of the record last returned, or of the line in progress.
    public var currentLine: Int? { recordLine }
    /// A line is decoded (or found bad) only once its LF has arrived.
    public var decodeTrigger: DecodeTrigger { .lineBreak }
    private var recordLine = 1

    public mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        while let end = nextLine(&input) {
            let record = try decodeLine(&input, length: end, atEnd: false)
            finishLine(&input, length: end)
            if let record { return record }
        }
        return nil
    }

    /// The length of the next complete line that is not blank, at the start of the readable
    /// bytes (blank lines before it are consumed); nil when more input is needed.
    mutating func nextLine(_ input: inout DecoderInput) -> Int? {
        while true {
            let n = input.readableCount
            if n == 0 { return nil }
            guard let skipped = bom.skip(&input) else { return nil }
            if skipped {
                lineHasBOM = true
                continue
            }
            let lineEnd: Int? = input.withReadableBytes { buf in
                ByteSearch.first(ASCII.lf, in: buf.baseAddress!.assumingMemoryBound(to: UInt8.self), from: scanned, to: buf.count)
            }
            if discarding {
                let drop = lineEnd ?? n
                if skim != nil { skimDropped(input, count: drop) }
                guard let end = lineEnd else {
                    input.consume(n)
                    scanned = 0
                    return nil
                }
                input.consume(end + 1)
                nextLine += 1
                scanned = 0
                discarding = false
                skim = nil
                continue
            }
            guard let end = lineEnd else {
                scanned = n
                recordLine = nextLine
                return nil
            }
            recordLine = nextLine
            if !lineHasBOM
                && input.withReadableBytes({
                    ByteSearch.isAllJSONWhitespace($0.baseAddress!.assumingMemoryBound(to: UInt8.self), from: 0, to: end)
                })
            {
                // A blank line is skipped, unless it is over the limit: decodeLine reports that.
                if end > input.recordLimit { return end }
                finishLine(&input, length: end)
                continue
            }
            return end
        }
    }

    mutating func finishLine(_ input: inout DecoderInput, length: Int) {
        input.consume(length + 1)
        nextLine += 1
        scanned = 0
        lineHasBOM = false
    }

    /// Drops the rest of the bad line; decoding resumes on the next line.
    public mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool {
        discarding = true
        lineHasBOM = false
        if error.code == .recordTooLarge {
            skim = JSONTextReader(maxDepth: maxDepth)
            skimFailed = false
        }
        return true
    }

    /// Scans the `count` bytes of an oversized line about to be dropped (output discarded).
    private mutating func skimDropped(_ input: DecoderInput, count: Int) {
        guard !skimFailed, count > 0 else { return }
        let result = skim!.skimAhead(input, count: count)
        if case .failure = result { skimFailed = true }
        if case .success(.complete) = result { skimFailed = true } // complete: whatever follows is not a cut-off text
    }

    public mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        if finished { return nil }
        if let record = try decode(&input) { return record }
        finished = true
        let n = input.readableCount
        if discarding, skim != nil, !skimFailed {
            // The input ended inside an oversized line that was being dropped: cut off, unless
            // what arrived of it is a complete text (a top-level number, say).
            if (try? skim!.finish(at: 0)) != true && skim!.isInsideText {
                throw StreamCodecError(
                    .truncated, "input ended inside a JSON text (a record over the limit, being skipped)",
                    line: nextLine, byteOffset: input.streamOffset)
            }
        }
        if n == 0 && lineHasBOM {
            throw StreamCodecError(
                .invalidJSON, "invalid JSON: a byte order mark with no JSON text after it", line: nextLine, byteOffset: input.streamOffset)
        }
        guard n > 0, !discarding else { return nil }
        recordLine = nextLine
        let record = try decodeLine(&input, length: n, atEnd: true)
        input.consume(n)
        return record
    }

    /// Validates the line of `length` bytes at the start of the input; nil for a blank line.
    mutating func decodeLine(_ input: inout DecoderInput, length: Int, atEnd: Bool) throws(StreamCodecError) -> Record? {
        try input.checkRecordSize(length, line: nextLine)
        scratch.removeAll(keepingCapacity: true)
        let maxDepth = self.maxDepth
        let outcome: Result<Bool, JSONScanError> = input.withReadableBytes { buf in
            let p = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
            if ByteSearch.isAllJSONWhitespace(p, from: 0, to: length) {
                if lineHasBOM {
                    return .failure(JSONScanError(kind: .invalid, reason: "a byte order mark with no JSON text after it", index: 0))
                }
                return .success(false)
            }
            return Result { () throws(JSONScanError) in
                try JSONText.minify(UnsafeBufferPointer(start: p, count: length), into: &scratch, maxDepth: maxDepth)
                return true
            }
        }
        switch outcome {
        case .success(let isRecord):
            return isRecord ? Record(kind: .json, data: scratch) : nil
        case .failure(let error):
            throw JSONTextReader.error(error, line: nextLine, byteOffset: input.streamOffset + error.index, context: .line(atEnd: atEnd))
        }
    }
}
