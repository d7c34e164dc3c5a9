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

    /// What one step of the parser produced. Its fields stay in the decoder until the next step.
    enum Step { case event, control, comment }

    /// The decoder's settings.
    public var options: Options

    // Line splitting.
    private var bomChecked = false
    private var skipLF = false      // the last line ended with CR: a following LF belongs to it
    // Where LF and CR were found or ruled out, as stream positions: a partial line is never
    // searched twice, however many reads it takes to arrive.
    private var lfSearch = ForwardByteSearch(0x0A)
    private var crSearch = ForwardByteSearch(0x0D)
    private var nextLine = 1        // 1-based number of the next line to read
    private var finished = false

    // The block in progress (the spec's data buffer and event type buffer, plus our own), kept
    // as the raw bytes received: UTF-8 is checked (and repaired) once per event, when a record
    // is built, and not at all on the fast path that validates the data as JSON (valid JSON is
    // valid UTF-8, so the repair could change nothing there).
    private(set) var data: [UInt8] = []
    private var dataIsStale = false // `data` was handed out; clear it before the next block's data
    private var hasData = false     // the data buffer is not the empty string
    private var eventType: [UInt8] = []
    private var hasEventType = false
    private var blockID: [UInt8] = []
    private var hasBlockID = false
    private var blockRetry: String?
    private var blockBytes = 0
    private var blockStartLine = 1
    private var blockHasFields = false   // the block has a line other than a comment
    private var justDispatched = false   // the fields above describe a dispatched block
    private var comment: [UInt8] = []    // the text of the last kept comment
    private var discardingBlock = false  // dropping an oversized block up to its blank line
    private var discardingMidLine = false // ... and part of its current line was already dropped
    private var lastEventIDBytes: [UInt8] = []
    private var lastEventType: (bytes: [UInt8], string: String) = ([], "")
    private var pendingRecord: Record?

    /// Lines that are not a comment, not blank and do not name a field the spec knows (`data`,
    /// `event`, `id`, `retry`): the spec ignores them, and so does this decoder, but a stream
    /// made only of such lines is not SSE at all (NDJSON, a JSON error body, HTML, binary data
    /// read as SSE). An unterminated last line counts too.
    public private(set) var ignoredLineCount = 0
    /// Lines that name a field the spec knows (`data`, `event`, `id`, `retry`).
    public private(set) var fieldLineCount = 0
    /// The stream offsets where the first such lines started (nil: none yet), so a decision
    /// about "the first 64 KiB" does not depend on how the input was split.
    public private(set) var firstFieldLineOffset: Int?
    /// The stream offset where the first ignored line started (nil: none yet).
    public private(set) var firstIgnoredLineOffset: Int?

    /// The spec's last event ID buffer: the id a browser would report for the next event.
    public var lastEventID: String { String(decoding: lastEventIDBytes, as: UTF8.self) }

    /// A decoder with `options`.
    public init(options: Options = Options()) {
        self.options = options
    }

    public var heldByteCount: Int { blockBytes }
    /// Events, control blocks and kept comments all end at a line break.
    public var decodeTrigger: DecodeTrigger { .lineBreak }
    public var currentLine: Int? { blockStartLine }

    public mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        guard let step = try step(&input) else { return nil }
        return record(for: step)
    }

    /// Parses lines until a block is dispatched (or a comment kept), or more input is needed.
    mutating func step(_ input: inout DecoderInput) throws(StreamCodecError) -> Step? {
        clearDispatchedBlock()
        while true {
            let n = input.readableCount
            if n == 0 { return nil }
            if !bomChecked {
                // One leading U+FEFF (EF BB BF) is ignored; wait until it is known.
                guard let skip = BOM.skipLength(input) else { return nil }
                input.consume(skip)
                bomChecked = true
                continue
            }
            if skipLF {
                skipLF = false
                if input.withReadableBytes({ $0[0] }) == 0x0A { input.consume(1); continue }
            }
            let base = input.streamOffset
            let found: (end: Int, byte: UInt8)? = input.withReadableBytes { buf in
                let p = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
                guard let i = firstLineBreak(p, from: 0, to: buf.count, base: base) else { return nil }
                return (i, p[i])
            }
            guard let (end, terminator) = found else {
                if discardingBlock {
                    input.consume(n)
                    discardingMidLine = true
                    return nil
                }
                if blockBytes == 0 { blockStartLine = nextLine }
                return nil
            }
            let step = try processLine(&input, length: end)
            input.consume(end + 1)
            nextLine += 1
            skipLF = terminator == 0x0D
            if let step { return step }
        }
    }

    /// Clears the fields of the block dispatched last, which stay readable until the next step.
    @inline(__always)
    private mutating func clearDispatchedBlock() {
        guard justDispatched else { return }
        justDispatched = false
        eventType.removeAll(keepingCapacity: true); hasEventType = false
        blockID.removeAll(keepingCapacity: true); hasBlockID = false
        blockRetry = nil
    }

    /// The index of the first CR or LF in `p[from..<end]` (`p[0]` at stream position `base`):
    /// libc's memchr for each, and what a search learnt is kept, so each byte is searched about
    /// once whichever line end the stream uses.
    @inline(__always)
    private mutating func firstLineBreak(_ p: UnsafePointer<UInt8>, from: Int, to end: Int, base: Int) -> Int? {
        let lf = lfSearch.first(in: p, from: from, to: end, base: base)
        return crSearch.first(in: p, from: from, to: lf ?? end, base: base) ?? lf
    }

    /// The record for what `step` produced, its text UTF-8-decoded with U+FFFD for ill-formed
    /// sequences (WHATWG "UTF-8 decode"). Joined lines repair as the lines would one by one:
    /// LF cannot be part of a multi-byte sequence. (`mutating` though it changes nothing: called
    /// from `decode`, a non-mutating method got a 257-byte copy of the decoder each record.)
    mutating func record(for step: Step) -> Record {
        switch step {
        case .event:
            let text = UTF8Check.isValidText(data) ? data : Array(String(decoding: data, as: UTF8.self).utf8)
            return Record(kind: .event, data: text, event: hasEventType ? eventTypeString() : nil,
                          id: hasBlockID ? Self.string(blockID) : nil, retry: blockRetry)
        case .control:
            return Record(kind: .control, data: [], id: hasBlockID ? Self.string(blockID) : nil, retry: blockRetry)
        case .comment:
            return Record(kind: .comment, data: Array(String(decoding: comment, as: UTF8.self).utf8))
        }
    }

    /// The converter's fast lane for data mode to a JSON format: the next event's data,
    /// validated and minified straight into `output` between `prefix` and `suffix`
    /// (`.written`). Anything else (empty data, the done marker, data that the fast path does not
    /// accept, control blocks, comments) comes back as its record for the ordinary path. Valid
    /// JSON is valid UTF-8, so skipping the UTF-8 repair cannot change an accepted text. Nil:
    /// more input is needed.
    mutating func decodeDirect(_ input: inout DecoderInput, into output: inout [UInt8], prefix: ShortBytes, suffix: ShortBytes,
                               doneMarker: ShortBytes?, maxDepth: Int) throws(StreamCodecError) -> DirectResult? {
        if let written = try singleLineEvent(&input, into: &output, prefix: prefix, suffix: suffix, doneMarker: doneMarker, maxDepth: maxDepth) {
            return written
        }
        guard let step = try step(&input) else { return nil }
        if step == .event && !data.isEmpty && !data.withUnsafeBufferPointer({ doneMarker?.equals($0) ?? false }) {
            let mark = output.count
            JSONFastPath.reserve(&output, adding: prefix.count + data.count + suffix.count)
            prefix.append(to: &output)
            let accepted = data.withUnsafeBufferPointer { buf in
                JSONFastPath.minify(buf.baseAddress!, count: buf.count, maxDepth: maxDepth, into: &output)
            }
            if accepted {
                suffix.append(to: &output)
                return .written
            }
            output.removeSubrange(mark...)
        }
        return .record(record(for: step))
    }

    /// The commonest events, `data: TEXT` LF LF and `event: NAME` LF `data: TEXT` LF LF, with
    /// nothing before them in their block, validated and minified straight from the input
    /// without joining the data into the data buffer: exactly what `step` then `decodeDirect`
    /// would write (in data mode the event type does not reach the output), with the same line
    /// numbers. Nil, with nothing consumed, for anything else (including a block over the
    /// record limit, whose error the ordinary path reports).
    @inline(__always)
    private mutating func singleLineEvent(_ input: inout DecoderInput, into output: inout [UInt8], prefix: ShortBytes, suffix: ShortBytes,
                                          doneMarker: ShortBytes?, maxDepth: Int) throws(StreamCodecError) -> DirectResult? {
        guard bomChecked && !skipLF && blockBytes == 0 && !blockHasFields && !hasData && !discardingBlock
        else { return nil }
        let n = input.readableCount
        guard n >= 8 else { return nil }
        let base = input.streamOffset
        // The block's lines: (bytes they take, their count, where the data value starts and ends).
        let block: (size: Int, lines: Int, valueStart: Int, valueEnd: Int)? = input.withReadableBytes { buf in
            let p = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var start = 0, lines = 1
            if p[0] == 0x65 && n > 6 && p[1] == 0x76 && p[2] == 0x65 && p[3] == 0x6E && p[4] == 0x74 && p[5] == 0x3A { // "event:"
                guard let end = firstLineBreak(p, from: 0, to: n, base: base), p[end] == 0x0A else { return nil }
                start = end + 1
                lines = 2
                guard n - start >= 8 else { return nil }
            }
            let d = p + start
            guard d[0] == 0x64 && d[1] == 0x61 && d[2] == 0x74 && d[3] == 0x61 && d[4] == 0x3A else { return nil } // "data:"
            guard let end = firstLineBreak(p, from: start, to: n, base: base), end + 1 < n,
                  p[end] == 0x0A && p[end + 1] == 0x0A else { return nil }
            return (end - lines + 1, lines, start + (d[5] == 0x20 ? 6 : 5), end)
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
        // As `step` leaves things after dispatching this block.
        clearDispatchedBlock()
        blockStartLine = nextLine
        nextLine += block.lines + 1
        fieldLineCount += block.lines
        if firstFieldLineOffset == nil { firstFieldLineOffset = input.streamOffset }
        input.consume(block.valueEnd + 2)
        return .written
    }

    private static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The event type as a string; the same type as the last event's reuses its string (streams
    /// repeat a few types, and a type of 16 bytes or more would otherwise cost an allocation).
    private mutating func eventTypeString() -> String {
        if eventType != lastEventType.bytes {
            lastEventType = (eventType, Self.string(eventType))
        }
        return lastEventType.string
    }

    public mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        if let record = pendingRecord { pendingRecord = nil; return record }
        if finished { return nil }
        if let record = try decode(&input) { return record }
        finished = true
        let partial = input.readableCount
        if discardingBlock {
            // The input ended inside a block being dropped: still an unterminated block.
            if options.incompleteBlock == .error {
                throw StreamCodecError(.truncated, "input ended inside an event block (no blank line after it)",
                                       line: blockStartLine, byteOffset: input.streamOffset + partial)
            }
            return nil
        }
        // A block is in progress when it has field lines, or the unterminated last line is one
        // (comment-only blocks have no effect, so ending after them is a clean end).
        let partialIsField = partial > 0 && input.withReadableBytes { $0[0] } != 0x3A
        let partialIsComment = partial > 0 && !partialIsField
        if partialIsField && options.incompleteBlock != .dispatch { // (dispatch processes the line, which counts it)
            if input.withReadableBytes({ Self.namesKnownField($0) }) {
                fieldLineCount += 1
                if firstFieldLineOffset == nil { firstFieldLineOffset = input.streamOffset }
            } else {
                ignoredLineCount += 1
                if firstIgnoredLineOffset == nil { firstIgnoredLineOffset = input.streamOffset }
            }
        }
        guard blockHasFields || partialIsField || (partialIsComment && options.incompleteBlock == .dispatch) else {
            blockBytes = 0
            return nil
        }
        switch options.incompleteBlock {
        case .discard:
            let partialSetsSomething = partialIsField && input.withReadableBytes { Self.namesKnownField($0) }
            if hasData || hasEventType || hasBlockID || blockRetry != nil || partialSetsSomething {
                input.warn("input ended inside an event block (no blank line after it): block discarded; to keep it, use --eof dispatch", line: blockStartLine)
            }
            return nil
        case .error:
            throw StreamCodecError(.truncated, "input ended inside an event block (no blank line after it)",
                                   line: blockStartLine, byteOffset: input.streamOffset + partial)
        case .dispatch:
            // The unterminated last line counts as a line, then the block is dispatched as
            // if a blank line followed. A kept comment on that line comes out first.
            var lineRecord: Record?
            if partial > 0 {
                lineRecord = try processLine(&input, length: partial).map { record(for: $0) }
                input.consume(partial)
            }
            let event = try dispatch(&input).map { record(for: $0) }
            if let lineRecord { pendingRecord = event; return lineRecord }
            return event
        }
    }

    /// Drops the oversized block in progress; decoding resumes after its blank line.
    public mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool {
        eventType.removeAll(keepingCapacity: true); hasEventType = false
        blockID.removeAll(keepingCapacity: true); hasBlockID = false
        blockRetry = nil; blockBytes = 0; hasData = false; blockHasFields = false
        dataIsStale = true
        discardingBlock = true
        return true
    }

    /// Processes one complete line of `length` bytes at the start of the readable bytes.
    private mutating func processLine(_ input: inout DecoderInput, length: Int) throws(StreamCodecError) -> Step? {
        if discardingBlock {
            // The blank line that ends the dropped block; not the end of a line partly dropped.
            if length == 0 && !discardingMidLine { discardingBlock = false }
            discardingMidLine = false
            return nil
        }
        if length == 0 { return try dispatch(&input) }
        if blockBytes == 0 { blockStartLine = nextLine }
        blockBytes += length
        try input.checkRecordSize(blockBytes, line: blockStartLine)
        let keepComments = options.keepComments
        let lineStart = input.streamOffset
        return input.withReadableBytes { buf -> Step? in
            let p = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
            if p[0] == 0x3A { // ':' starts a comment
                guard keepComments else { return nil }
                var start = 1
                if start < length && p[start] == 0x20 { start += 1 }
                comment.removeAll(keepingCapacity: true)
                comment.append(contentsOf: UnsafeBufferPointer(start: p + start, count: length - start))
                return .comment
            }
            blockHasFields = true
            let colon = ByteSearch.first(0x3A, in: p, from: 0, to: length)
            let nameEnd = colon ?? length
            var valueStart = colon.map { $0 + 1 } ?? length
            if valueStart < length && p[valueStart] == 0x20 { valueStart += 1 }
            let value = UnsafeBufferPointer(start: p + valueStart, count: length - valueStart)
            switch nameEnd {
            case 4 where p[0] == 0x64 && p[1] == 0x61 && p[2] == 0x74 && p[3] == 0x61: // data
                if dataIsStale { data.removeAll(keepingCapacity: true); dataIsStale = false }
                data.append(contentsOf: value)
                data.append(0x0A)
                hasData = true
            case 5 where p[0] == 0x65 && p[1] == 0x76 && p[2] == 0x65 && p[3] == 0x6E && p[4] == 0x74: // event
                eventType.removeAll(keepingCapacity: true)
                eventType.append(contentsOf: value)
                hasEventType = true
            case 2 where p[0] == 0x69 && p[1] == 0x64: // id
                if ByteSearch.first(0x00, in: p, from: valueStart, to: length) == nil {
                    lastEventIDBytes.removeAll(keepingCapacity: true)
                    lastEventIDBytes.append(contentsOf: value)
                    blockID.removeAll(keepingCapacity: true)
                    blockID.append(contentsOf: value)
                    hasBlockID = true
                }
            case 5 where p[0] == 0x72 && p[1] == 0x65 && p[2] == 0x74 && p[3] == 0x72 && p[4] == 0x79: // retry
                if let value = Self.parseDigits(p, from: valueStart, to: length) { blockRetry = value }
            default:
                ignoredLineCount += 1 // any other field is ignored
                if firstIgnoredLineOffset == nil { firstIgnoredLineOffset = lineStart }
                return nil
            }
            fieldLineCount += 1
            if firstFieldLineOffset == nil { firstFieldLineOffset = lineStart }
            return nil
        }
    }

    /// The spec's "dispatch the event", at a blank line. The dispatched fields stay readable
    /// until the next step.
    private mutating func dispatch(_ input: inout DecoderInput) throws(StreamCodecError) -> Step? {
        blockBytes = 0
        blockHasFields = false
        if hasData {
            hasData = false
            data.removeLast() // the data buffer always ends with the LF appended after its last line
            dataIsStale = true
            justDispatched = true
            return .event
        }
        if hasBlockID || blockRetry != nil {
            justDispatched = true
            return .control
        }
        // Nothing dispatched: the event type buffer is reset now (the spec), not at the next step.
        eventType.removeAll(keepingCapacity: true)
        hasEventType = false
        return nil
    }

    /// True when `line` names one of the fields that have an effect (data, event, id, retry).
    private static func namesKnownField(_ line: UnsafeRawBufferPointer) -> Bool {
        let end = line.firstIndex(of: 0x3A) ?? line.count
        let name = line[0..<end]
        return name.elementsEqual("data".utf8) || name.elementsEqual("event".utf8) || name.elementsEqual("id".utf8) || name.elementsEqual("retry".utf8)
    }

    /// A `retry` value: only ASCII digits (at least one), as its digits without leading zeros.
    private static func parseDigits(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> String? {
        guard from < to else { return nil }
        var first = -1
        for i in from..<to {
            let d = p[i] &- 0x30
            guard d < 10 else { return nil }
            if first < 0 && d != 0 { first = i }
        }
        if first < 0 { return "0" }
        return String(decoding: UnsafeBufferPointer(start: p + first, count: to - first), as: UTF8.self)
    }
}

/// How many lines of an SSE input named a known field, and how many the spec ignores (see
/// ``SSEDecoder/ignoredLineCount``).
public struct SSELineCounts: Sendable, Equatable {
    /// Lines naming `data`, `event`, `id` or `retry`.
    public var fields: Int
    /// Lines that are not blank, not a comment and name no known field.
    public var ignored: Int
    /// Counts as the decoder keeps them.
    public init(fields: Int, ignored: Int, firstFieldOffset: Int? = nil, firstIgnoredOffset: Int? = nil) {
        self.fields = fields
        self.ignored = ignored
        self.firstFieldOffset = firstFieldOffset
        self.firstIgnoredOffset = firstIgnoredOffset
    }
    /// Where the first field line and the first ignored line started (stream offsets).
    public var firstFieldOffset: Int?
    /// Where the first ignored line started (a stream offset), nil when there was none.
    public var firstIgnoredOffset: Int?
    /// Ignored lines and not one field: the input is not SSE.
    public var looksLikeSomethingElse: Bool { fields == 0 && ignored > 0 }
    /// Ignored lines and not one field among the lines that started in the first `window`
    /// bytes (decided once every such line is complete: see ``Converter/currentInputOffset``).
    public func looksLikeSomethingElse(within window: Int) -> Bool {
        guard let ignored = firstIgnoredOffset, ignored < window else { return false }
        return (firstFieldOffset ?? Int.max) >= window
    }
}
