// WHATWG HTML Living Standard, "Server-sent events": 9.2.5 "Parsing an event stream" and
// 9.2.6 "Interpreting an event stream" (https://html.spec.whatwg.org/multipage/server-sent-events.html).
//
// The stream is UTF-8 decoded with U+FFFD for ill-formed sequences; one leading BOM is
// ignored at the start of the stream only. Lines end with CRLF, LF or CR; a CR at the end
// of one read and an LF at the start of the next are one line end, and a line ended by CR
// is processed at once (the LF is not waited for). Lines are split on the raw bytes before
// decoding, which gives the same result: CR, LF and ':' are ASCII, and the UTF-8 decoder
// never swallows an ASCII byte into an ill-formed sequence.
//
// Deliberate, documented choices where the spec is silent about a non-browser consumer:
// - Each record keeps the fields its own block set (event type, id, retry) rather than the
//   browser's resolved values; ``SSEDecoder/lastEventID`` gives the resolved last event id.
// - A block that sets `id` or `retry` but dispatches no event becomes a `.control` record.
// - `retry` with an empty value is ignored; any run of ASCII digits is kept exactly, however
//   long, as its decimal digits without leading zeros (`007` is `7`; see `Record.retry`).
// - At end of input an unterminated block is discarded (the spec), with a warning; the
//   ``IncompleteRecordPolicy`` can dispatch it or make it an error instead.
// - The record-size limit counts the bytes of a block's lines (comments included, line
//   ends not), from its first line to the blank line that ends it.

/// Decodes `text/event-stream` into `.event` (and `.control`, `.comment`) records.
public struct SSEDecoder: StreamDecoder, Sendable {
    /// What to do with a block that the end of input leaves without its blank line: the
    /// shared ``IncompleteRecordPolicy`` (this name is kept for source compatibility).
    public typealias IncompleteBlockPolicy = IncompleteRecordPolicy

    /// Decoder settings.
    public struct Options: Sendable {
        /// Return comment lines as `.comment` records (otherwise they are dropped).
        public var keepComments = false
        /// What to do with an unterminated block at end of input.
        public var incompleteBlock: IncompleteRecordPolicy = .discard
        /// Settings: comments kept or dropped, and the unterminated final block's fate.
        public init(keepComments: Bool = false, incompleteBlock: IncompleteRecordPolicy = .discard) {
            self.keepComments = keepComments
            self.incompleteBlock = incompleteBlock
        }
    }

    /// What one step of the parser produced. Its fields stay in the builder until the next step.
    typealias Step = SSEEventBuilder.Step

    /// The decoder's settings.
    public var options: Options

    /// 9.2.5: the stream as lines.
    var reader = SSELineReader()
    /// 9.2.6: the lines as fields, and the dispatch.
    var builder = SSEEventBuilder()
    private var finished = false
    private var discardingBlock = false // dropping an oversized block up to its blank line
    /// An oversized block is being dropped (the fast lane leaves that to the general path).
    var isDiscardingBlock: Bool { discardingBlock }
    private var discardingMidLine = false // ... and part of its current line was already dropped
    private var pendingRecord: Record?

    /// The data buffer of the block in progress or dispatched last.
    var data: [UInt8] { builder.data }

    /// Lines that are not a comment, not blank and do not name a field the spec knows (`data`,
    /// `event`, `id`, `retry`): the spec ignores them, and so does this decoder, but a stream
    /// made only of such lines is not SSE at all (NDJSON, a JSON error body, HTML, binary data
    /// read as SSE). An unterminated last line counts too.
    public var ignoredLineCount: Int { builder.ignoredLineCount }
    /// Lines that name a field the spec knows (`data`, `event`, `id`, `retry`).
    public var fieldLineCount: Int { builder.fieldLineCount }
    /// The stream offsets where the first such lines started (nil: none yet), so a decision
    /// about "the first 64 KiB" does not depend on how the input was split.
    public var firstFieldLineOffset: Int? { builder.firstFieldLineOffset }
    /// The stream offset where the first ignored line started (nil: none yet).
    public var firstIgnoredLineOffset: Int? { builder.firstIgnoredLineOffset }

    /// The spec's last event ID buffer: the id a browser would report for the next event.
    public var lastEventID: String { builder.lastEventID }

    /// A decoder with `options`.
    public init(options: Options = Options()) {
        self.options = options
    }

    public var heldByteCount: Int { builder.size }
    /// Events, control blocks and kept comments all end at a line break.
    public var decodeTrigger: DecodeTrigger { .lineBreak }
    public var currentLine: Int? { builder.startLine }

    public mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        guard let step = try step(&input) else { return nil }
        return builder.record(for: step)
    }

    /// Parses lines until a block is dispatched (or a comment kept), or more input is needed.
    mutating func step(_ input: inout DecoderInput) throws(StreamCodecError) -> Step? {
        builder.clearDispatched()
        while let line = reader.nextLine(&input) {
            let step = try processLine(&input, length: line.length)
            reader.finishLine(&input, line)
            if let step { return step }
        }
        // No line end in what has arrived (or nothing arrived, or the BOM is not decided yet).
        let n = input.readableCount
        guard n > 0 && reader.isBOMDecided else { return nil }
        if discardingBlock {
            input.consume(n)
            discardingMidLine = true
            return nil
        }
        if builder.size == 0 { builder.startLine = reader.lineNumber }
        return nil
    }

    /// The record for what `step` produced (see ``SSEEventBuilder/record(for:)``).
    mutating func record(for step: Step) -> Record { builder.record(for: step) }

    public mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        if let record = pendingRecord {
            pendingRecord = nil
            return record
        }
        if finished { return nil }
        if let record = try decode(&input) { return record }
        finished = true
        let partial = input.readableCount
        if discardingBlock {
            // The input ended inside a block being dropped: still an unterminated block.
            if options.incompleteBlock == .error {
                throw StreamCodecError(
                    .truncated, "input ended inside an event block (no blank line after it)",
                    line: builder.startLine, byteOffset: input.streamOffset + partial)
            }
            return nil
        }
        // A block is in progress when it has field lines, or the unterminated last line is one
        // (comment-only blocks have no effect, so ending after them is a clean end).
        let partialIsField = partial > 0 && input.withReadableBytes { $0[0] } != ASCII.colon
        let partialIsComment = partial > 0 && !partialIsField
        let partialNamesField = partialIsField && input.withReadableBytes { SSEEventBuilder.namesKnownField($0) }
        if partialIsField && options.incompleteBlock != .dispatch { // (dispatch processes the line, which counts it)
            if partialNamesField {
                builder.countFieldLines(1, at: input.streamOffset)
            } else {
                builder.countIgnoredLines(1, at: input.streamOffset)
            }
        }
        guard builder.hasFields || partialIsField || (partialIsComment && options.incompleteBlock == .dispatch) else {
            builder.size = 0
            return nil
        }
        switch options.incompleteBlock {
        case .discard:
            if builder.setsSomething || partialNamesField {
                input.warn(
                    "input ended inside an event block (no blank line after it): block discarded; to keep it, use --eof dispatch",
                    line: builder.startLine)
            }
            return nil
        case .error:
            throw StreamCodecError(
                .truncated, "input ended inside an event block (no blank line after it)",
                line: builder.startLine, byteOffset: input.streamOffset + partial)
        case .dispatch:
            // The unterminated last line counts as a line, then the block is dispatched as
            // if a blank line followed. A kept comment on that line comes out first.
            var lineRecord: Record?
            if partial > 0 {
                lineRecord = try processLine(&input, length: partial).map { builder.record(for: $0) }
                input.consume(partial)
            }
            let event = builder.dispatch().map { builder.record(for: $0) }
            if let lineRecord {
                pendingRecord = event
                return lineRecord
            }
            return event
        }
    }

    /// Drops the oversized block in progress; decoding resumes after its blank line.
    public mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool {
        builder.reset()
        discardingBlock = true
        return true
    }

    /// Processes one complete line of `length` bytes at the start of the readable bytes: the
    /// record limit and the dropping of an oversized block here, the line's meaning in the builder.
    private mutating func processLine(_ input: inout DecoderInput, length: Int) throws(StreamCodecError) -> Step? {
        if discardingBlock {
            // The blank line that ends the dropped block; not the end of a line partly dropped.
            if length == 0 && !discardingMidLine { discardingBlock = false }
            discardingMidLine = false
            return nil
        }
        if length == 0 { return builder.dispatch() }
        if builder.size == 0 { builder.startLine = reader.lineNumber }
        builder.size += length
        try input.checkRecordSize(builder.size, line: builder.startLine)
        let keepComments = options.keepComments
        let lineStart = input.streamOffset
        return input.withReadableBytes { buf in
            builder.interpret(
                buf.baseAddress!.assumingMemoryBound(to: UInt8.self), length: length, lineStart: lineStart, keepComments: keepComments)
        }
    }
}
