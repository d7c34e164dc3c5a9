// RFC 8259 JSON texts read out of a stream whose framing (RFC 7464 RS, NDJSON lines, the
// stream+json separator rules, a streamed array's commas) belongs to a decoder. The reader owns
// what the JSON stream formats share: the resumable scanner, the scratch buffer a record's text
// is minified into, line counting, the record-limit scan, skimming an oversized text to its
// end without keeping it, and the one mapping from the scanner's errors to the library's.

/// The JSON texts of a stream, one at a time, for a decoder that owns only its framing grammar.
struct JSONTextReader: Sendable {
    /// The scanner of the text in progress (or of a value being skimmed).
    private(set) var scanner: JSONScanner
    /// Bytes of the text in progress already scanned (a partial text is never rescanned).
    private var scanned = 0
    /// The line of the next unconsumed byte.
    private(set) var line = 1
    /// The line where the text in progress started.
    private(set) var textLine = 1
    /// The minified text in progress, or of the record returned last.
    private var scratch: [UInt8] = []
    /// `scratch` was handed out in a record: clear it before the next text (not at once, so the
    /// record shares its storage).
    private var scratchIsStale = false
    /// Where skimmed text goes (emptied after each scan).
    private var sink: [UInt8] = []

    /// A reader whose scanner refuses JSON nested deeper than `maxDepth`.
    init(maxDepth: Int) {
        scanner = JSONScanner(maxDepth: maxDepth)
    }

    /// The scanner is inside a text (or a skimmed value).
    var isInsideText: Bool { scanner.isInsideText }
    /// The line of the byte the scanner reached in the text in progress.
    var lineInText: Int { textLine + scanner.newlines }
    /// The line of the byte the scanner reached in a value being skimmed.
    var lineInSkim: Int { line + scanner.newlines }

    // MARK: Between texts

    /// Consumes JSON whitespace, counting its lines; returns how many bytes it consumed and the
    /// byte after them (nil when the readable bytes are used up).
    @inline(__always)
    mutating func skipWhitespace(_ input: inout DecoderInput) -> (count: Int, next: UInt8?) {
        let (count, lineFeeds, next) = input.skipJSONWhitespace()
        line += lineFeeds
        return (count, next)
    }

    /// Consumes the first `count` readable bytes, which are not part of a text, counting their lines.
    mutating func drop(_ count: Int, of input: inout DecoderInput) {
        line += input.withReadableBytes { buf in buf[0..<count].reduce(0) { $0 + ($1 == ASCII.lf ? 1 : 0) } }
        input.consume(count)
    }

    /// Counts `lineFeeds` lines a decoder consumed itself (a framing byte, a resync scan).
    mutating func countLines(_ lineFeeds: Int) {
        line += lineFeeds
    }

    // MARK: One text

    /// Starts a text at the first readable byte (`resetScanner`: after a value that was not a
    /// whole text, such as an array's opening bracket).
    @inline(__always)
    mutating func beginText(resetScanner: Bool = false) {
        if resetScanner { scanner.reset() }
        scanner.newlines = 0
        textLine = line
        scanned = 0
        if scratchIsStale {
            scratch.removeAll(keepingCapacity: true)
            scratchIsStale = false
        }
    }

    /// Where scanning the text in progress got to.
    enum Progress {
        /// The text continues past the readable bytes.
        case needMore
        /// The text ends before readable index `end`.
        case complete(end: Int)
        /// The text is not valid JSON (map it with ``error(_:line:byteOffset:context:)``).
        case failed(JSONScanError)
    }

    /// Scans the text in progress, never past one byte beyond the record limit, so that whether a
    /// text is too large, and which error a bad one gets, depend only on its first limit + 1
    /// bytes, never on how the input was split into reads (`elementOfArray`: a `,` or `]` may end
    /// the line). Throws ``StreamCodecError/Code/recordTooLarge`` past the limit.
    @inline(__always)
    mutating func scanText(_ input: DecoderInput, elementOfArray: Bool = false) throws(StreamCodecError) -> Progress {
        let (outcome, stop, overLimit) = scanner.scanRecord(input, from: scanned, elementOfArray: elementOfArray, into: &scratch)
        if overLimit {
            scanned = stop
            throw DecoderInput.tooLarge(limit: input.recordLimit, line: textLine, offset: input.streamOffset)
        }
        switch outcome {
        case .failure(let error): return .failed(error)
        case .success(.needMore):
            scanned = stop
            return .needMore
        case .success(.complete(let end)): return .complete(end: end)
        }
    }

    /// The record of the complete text that ends before readable index `end`, checked against
    /// the record limit, and the text consumed.
    @inline(__always)
    mutating func takeText(_ input: inout DecoderInput, end: Int) throws(StreamCodecError) -> Record {
        try input.checkRecordSize(end, line: textLine)
        input.consume(end)
        line += scanner.newlines
        scanned = 0
        scratchIsStale = true
        return Record(kind: .json, data: scratch)
    }

    /// The last byte of the text that ends before readable index `end`.
    func lastByte(of input: DecoderInput, end: Int) -> UInt8 {
        input.withReadableBytes { $0[end - 1] }
    }

    // MARK: Dropping a bad text

    /// An oversized text still arriving: drops what was scanned of it; ``skim(_:)`` scans the rest.
    mutating func dropScanned(_ input: inout DecoderInput) {
        drop(input: &input, upTo: scanned)
    }

    /// An oversized text that is complete before readable index `end`: drops it whole.
    mutating func dropText(_ input: inout DecoderInput, end: Int) {
        drop(input: &input, upTo: end)
    }

    /// Consumes the text's first `count` bytes, counting their lines, and forgets its scratch.
    private mutating func drop(input: inout DecoderInput, upTo count: Int) {
        input.consume(count)
        line += scanner.newlines
        forgetText()
    }

    /// Forgets the text in progress (an invalid one the decoder resynchronises after).
    mutating func abandonText() {
        scanner.reset()
        forgetText()
    }

    /// The one reset of a text's bookkeeping.
    private mutating func forgetText() {
        scanner.newlines = 0
        scanned = 0
        scratch.removeAll(keepingCapacity: true)
        scratchIsStale = false
    }

    /// What skimming got to.
    enum Skim {
        /// The value continues; every readable byte was consumed, the last one is `last` (0: none).
        case needMore(last: UInt8)
        /// The value ended with byte `last` (0: it ended before the first readable byte) and was consumed.
        case complete(last: UInt8)
        /// The value is invalid; nothing was consumed (the error's indices are readable indices).
        case failed(JSONScanError)
    }

    /// Scans a value that is not kept (an oversized text, or a part of a document outside the
    /// records), consuming it as it goes and counting its lines.
    mutating func skim(_ input: inout DecoderInput) -> Skim {
        let outcome = scanner.scan(input, into: &sink)
        sink.removeAll(keepingCapacity: true)
        switch outcome {
        case .failure(let error):
            return .failed(error)
        case .success(.needMore):
            let n = input.readableCount
            let last = n > 0 ? input.withReadableBytes { $0[n - 1] } : 0
            input.consume(n)
            line += scanner.newlines
            scanner.newlines = 0
            return .needMore(last: last)
        case .success(.complete(let end)):
            let last = end > 0 ? input.withReadableBytes { $0[end - 1] } : 0
            input.consume(end)
            line += scanner.newlines
            scanner.newlines = 0
            return .complete(last: last)
        }
    }

    /// Scans the first `count` readable bytes of a value that is not kept, without consuming them
    /// (for a decoder whose framing consumes the bytes, as NDJSON drops an oversized line).
    mutating func skimAhead(_ input: DecoderInput, count: Int) -> Result<JSONScanner.Outcome, JSONScanError> {
        let outcome = scanner.scan(input, upTo: count, into: &sink)
        sink.removeAll(keepingCapacity: true)
        return outcome
    }

    /// After a skim failed: consumes the readable bytes before `index`, counting the lines the
    /// scanner saw.
    mutating func dropSkimmed(_ input: inout DecoderInput, upTo index: Int) {
        input.consume(index)
        line += scanner.newlines
        scanner.newlines = 0
    }

    /// At the end of input: true when a top-level number was pending and is now complete, false
    /// when no text had started; throws when a text was cut off.
    mutating func finish(at index: Int) throws(JSONScanError) -> Bool {
        try scanner.finish(at: index)
    }

    /// Continues skimming the rest of a document after a nested array (`path`: one entry per
    /// open container, true for an object).
    mutating func resumeAfterValue(inside path: [Bool]) {
        scanner.resumeAfterValue(inside: path)
        scanner.newlines = 0
    }

    /// Sets the scanner to read a new value from the start (a value being skipped).
    mutating func resetScanner() {
        scanner.reset()
    }

    // MARK: Errors

    /// Where a scanner error happened, which decides what a cut-off text means.
    enum Context {
        /// In a stream: a cut-off text is truncated input.
        case stream
        /// In an NDJSON line: a text cut off by the line end is invalid; by the end of input
        /// (`atEnd`), truncated input.
        case line(atEnd: Bool)
        /// A value complete in memory (an event's data, a record's text): the scanner's reason
        /// alone, which the caller puts into its own message.
        case value
    }

    /// The one mapping from the scanner's errors to ``StreamCodecError``: invalid JSON, nesting
    /// too deep, or a text cut off, at `line` and stream offset `byteOffset`.
    static func error(_ error: JSONScanError, line: Int?, byteOffset: Int?, context: Context = .stream) -> StreamCodecError {
        switch error.kind {
        case .invalid, .tooDeep:
            let code: StreamCodecError.Code = error.kind == .tooDeep ? .nestingTooDeep : .invalidJSON
            if case .value = context { return StreamCodecError(code, error.reason, line: line, byteOffset: byteOffset) }
            return StreamCodecError(code, "invalid JSON: " + error.reason, line: line, byteOffset: byteOffset)
        case .truncated:
            switch context {
            case .stream, .line(atEnd: true):
                return StreamCodecError(.truncated, "input ended inside a JSON text", line: line, byteOffset: byteOffset)
            case .line(atEnd: false):
                return StreamCodecError(
                    .invalidJSON, "invalid JSON: the JSON text on this line is incomplete", line: line, byteOffset: byteOffset)
            case .value:
                return StreamCodecError(.invalidJSON, error.reason, line: line, byteOffset: byteOffset)
            }
        }
    }
}
