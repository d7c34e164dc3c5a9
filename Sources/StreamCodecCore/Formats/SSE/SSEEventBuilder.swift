// WHATWG HTML Living Standard, "Server-sent events", 9.2.6 "Interpreting an event stream"
// (https://html.spec.whatwg.org/multipage/server-sent-events.html): each line is a comment
// (it starts with ':'), a field (`name: value`: data, event, id, retry; any other name is
// ignored) or blank; a blank line dispatches the event the block's fields built.
//
// The builder knows nothing of line ends or reads: it is given whole lines (see
// ``SSELineReader``). Deliberate choices where the spec is silent about a non-browser consumer
// are listed in SSEDecoder.swift.

/// The block in progress: the spec's data buffer, event type buffer and last event ID buffer,
/// plus the block's own id and retry (each record keeps the fields its block set), and dispatch.
struct SSEEventBuilder: Sendable {
    /// What interpreting a line, or dispatching, produced. Its fields stay readable in the
    /// builder until ``clearDispatched()``.
    enum Step { case event, control, comment }

    // The block's fields, kept as the raw bytes received: UTF-8 is checked (and repaired) once
    // per event, when a record is built, and not at all on the fast lane that validates the data
    // as JSON (valid JSON is valid UTF-8, so the repair could change nothing there).
    /// The data buffer: each `data` line's value followed by LF.
    private(set) var data: [UInt8] = []
    /// `data` was handed out: clear it before the next block's data (kept, not cleared, so the
    /// record built from it can share its storage).
    private var dataIsStale = false
    /// The data buffer is not the empty string.
    private(set) var hasData = false
    private var eventType: [UInt8] = []
    private var hasEventType = false
    private var blockID: [UInt8] = []
    private var hasBlockID = false
    private var blockRetry: String?
    /// The block has a line other than a comment.
    private(set) var hasFields = false
    /// The fields above describe a dispatched block (readable until the next step).
    private var justDispatched = false
    /// The text of the last kept comment.
    private var comment: [UInt8] = []
    /// The spec's last event ID buffer (it outlives blocks).
    private var lastEventIDBytes: [UInt8] = []
    /// The last event's type and its string, reused while the type repeats.
    private var lastEventType: (bytes: [UInt8], string: String) = ([], "")

    // The block's extent, for the record limit and error lines.
    /// The bytes of the block's lines so far (comments included, line ends not).
    var size = 0
    /// The line the block started on.
    var startLine = 1

    // What the lines were (see ``SSEDecoder/ignoredLineCount``).
    private(set) var ignoredLineCount = 0
    private(set) var fieldLineCount = 0
    private(set) var firstFieldLineOffset: Int?
    private(set) var firstIgnoredLineOffset: Int?

    /// The spec's last event ID buffer as a string.
    var lastEventID: String { String(decoding: lastEventIDBytes, as: UTF8.self) }

    /// Sets a block to be empty: no data, no event type, no id or retry of its own, nothing
    /// counted against the limit. The one reset, after a dispatch (once the dispatched fields
    /// were read) and when a bad block is dropped.
    ///
    /// Only what is set is cleared (hot path: the fast lane dispatches every block through here,
    /// and clearing an array that is already empty still costs a uniqueness check and a release).
    /// The bytes behind a flag that is false are never read, and the next field's value replaces
    /// them; a data buffer without data is empty or stale already.
    @inline(__always)
    mutating func reset() {
        if hasEventType {
            eventType.removeAll(keepingCapacity: true)
            hasEventType = false
        }
        if hasBlockID {
            blockID.removeAll(keepingCapacity: true)
            hasBlockID = false
        }
        if blockRetry != nil { blockRetry = nil }
        if hasData {
            hasData = false
            dataIsStale = true
        }
        size = 0
        hasFields = false
        justDispatched = false
    }

    /// Forgets the block dispatched last, whose fields stay readable until the next step.
    @inline(__always)
    mutating func clearDispatched() {
        if justDispatched { reset() }
    }

    /// Interprets one complete, non-blank line `p[0..<length]` that started at stream offset
    /// `lineStart`: a comment (returned as `.comment` when `keepComments`) or a field.
    mutating func interpret(_ p: UnsafePointer<UInt8>, length: Int, lineStart: Int, keepComments: Bool) -> Step? {
        if p[0] == ASCII.colon { // a comment
            guard keepComments else { return nil }
            var start = 1
            if start < length && p[start] == ASCII.space { start += 1 }
            comment.removeAll(keepingCapacity: true)
            comment.append(contentsOf: UnsafeBufferPointer(start: p + start, count: length - start))
            return .comment
        }
        hasFields = true
        let colon = ByteSearch.first(ASCII.colon, in: p, from: 0, to: length)
        let nameEnd = colon ?? length
        var valueStart = colon.map { $0 + 1 } ?? length
        if valueStart < length && p[valueStart] == ASCII.space { valueStart += 1 }
        let value = UnsafeBufferPointer(start: p + valueStart, count: length - valueStart)
        switch nameEnd {
        case 4 where p[0] == 0x64 && p[1] == 0x61 && p[2] == 0x74 && p[3] == 0x61: // data
            if dataIsStale {
                data.removeAll(keepingCapacity: true)
                dataIsStale = false
            }
            data.append(contentsOf: value)
            data.append(ASCII.lf)
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
            countIgnoredLines(1, at: lineStart) // any other field is ignored
            return nil
        }
        countFieldLines(1, at: lineStart)
        return nil
    }

    /// The spec's "dispatch the event", at a blank line: `.event` when the data buffer is not
    /// empty, `.control` for a block that set only an id or retry, nil otherwise. The dispatched
    /// fields stay readable until ``clearDispatched()``.
    @inline(__always)
    mutating func dispatch() -> Step? {
        size = 0
        // Hot path: a block of comments only (or one the fast lane wrote itself) set nothing: no
        // data, type, id or retry can exist without a field line.
        guard hasFields else { return nil }
        hasFields = false
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
        reset()
        return nil
    }

    /// True when the block set something a dispatch would report (data, a type, an id, a retry).
    var setsSomething: Bool { hasData || hasEventType || hasBlockID || blockRetry != nil }

    /// Counts `count` lines naming a known field, the first of them at stream offset `offset`.
    @inline(__always)
    mutating func countFieldLines(_ count: Int, at offset: Int) {
        fieldLineCount += count
        if firstFieldLineOffset == nil { firstFieldLineOffset = offset }
    }

    /// Counts `count` lines naming no known field, the first of them at stream offset `offset`.
    mutating func countIgnoredLines(_ count: Int, at offset: Int) {
        ignoredLineCount += count
        if firstIgnoredLineOffset == nil { firstIgnoredLineOffset = offset }
    }

    /// The record for what a step produced, its text UTF-8-decoded with U+FFFD for ill-formed
    /// sequences (WHATWG "UTF-8 decode"). Joined lines repair as the lines would one by one:
    /// LF cannot be part of a multi-byte sequence. (`mutating` though it changes nothing but the
    /// event type's cache: called from `decode`, a non-mutating method got a copy of the
    /// decoder each record.)
    mutating func record(for step: Step) -> Record {
        switch step {
        case .event:
            let text = UTF8Check.isValidText(data) ? data : Array(String(decoding: data, as: UTF8.self).utf8)
            return Record(
                kind: .event, data: text, event: hasEventType ? eventTypeString() : nil,
                id: hasBlockID ? Self.string(blockID) : nil, retry: blockRetry)
        case .control:
            return Record(kind: .control, data: [], id: hasBlockID ? Self.string(blockID) : nil, retry: blockRetry)
        case .comment:
            return Record(kind: .comment, data: Array(String(decoding: comment, as: UTF8.self).utf8))
        }
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

    /// True when `line` names one of the fields that have an effect (data, event, id, retry).
    static func namesKnownField(_ line: UnsafeRawBufferPointer) -> Bool {
        let end = line.firstIndex(of: ASCII.colon) ?? line.count
        let name = line[0..<end]
        return name.elementsEqual("data".utf8) || name.elementsEqual("event".utf8) || name.elementsEqual("id".utf8)
            || name.elementsEqual("retry".utf8)
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
