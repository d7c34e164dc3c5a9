import StreamCodec
import Testing

// WHATWG HTML "Server-sent events" 9.2.6 "Interpreting an event stream", checked on the event
// builder alone (whole lines in, steps and records out), then composed with the line reader and
// fed whole, one byte at a time and at random split points.
@testable import StreamCodecCore

/// Interprets `line` (not blank) as the builder's next line.
@discardableResult
private func interpret(_ builder: inout SSEEventBuilder, _ line: String, keepComments: Bool = false, at offset: Int = 0) -> SSEEventBuilder
    .Step?
{
    let bytes = u8(line)
    return bytes.withUnsafeBufferPointer {
        builder.interpret($0.baseAddress!, length: bytes.count, lineStart: offset, keepComments: keepComments)
    }
}

/// The records a block of lines gives: each line interpreted, then the dispatch of a blank line.
private func block(_ lines: [String], into builder: inout SSEEventBuilder, keepComments: Bool = false) -> [Record] {
    builder.clearDispatched()
    var records: [Record] = []
    for line in lines {
        if let step = interpret(&builder, line, keepComments: keepComments) { records.append(builder.record(for: step)) }
    }
    if let step = builder.dispatch() { records.append(builder.record(for: step)) }
    return records
}

private func block(_ lines: [String], keepComments: Bool = false) -> [Record] {
    var builder = SSEEventBuilder()
    return block(lines, into: &builder, keepComments: keepComments)
}

/// Just the line reader and the builder, with no record limit: what the spec's two algorithms
/// give together (the decoder adds the limit and the end-of-input policy).
private struct ReaderAndBuilder: StreamDecoder {
    var reader = SSELineReader()
    var builder = SSEEventBuilder()
    var currentLine: Int? { builder.startLine }

    mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        builder.clearDispatched()
        while let line = reader.nextLine(&input) {
            var step: SSEEventBuilder.Step?
            if line.length == 0 {
                step = builder.dispatch()
            } else {
                let offset = input.streamOffset
                step = input.withReadableBytes {
                    builder.interpret(
                        $0.baseAddress!.assumingMemoryBound(to: UInt8.self), length: line.length, lineStart: offset, keepComments: true)
                }
            }
            reader.finishLine(&input, line)
            if let step { return builder.record(for: step) }
        }
        return nil
    }

    mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? { try decode(&input) }
}

@Suite("SSEEventBuilder: 9.2.6 fields and dispatch")
struct SSEEventBuilderTests {
    @Test("data lines join with LF; the last LF is removed at dispatch")
    func dataJoins() {
        let records = block(["data: a", "data: b", "data"])
        #expect(records.count == 1)
        #expect(records.first?.data == u8("a\nb\n"))
    }

    @Test("only one space after the colon is removed; a line without a colon is a field with an empty value")
    func valueSpace() {
        #expect(block(["data:  two"]).first?.data == u8(" two"))
        #expect(block(["data:x"]).first?.data == u8("x"))
        #expect(block(["data"]).first?.data == [])
        #expect(block(["data"]).first?.kind == .event) // the data buffer is "" plus LF: not empty, so dispatched
    }

    @Test("a block with no data dispatches nothing, and its event type does not leak into the next block")
    func eventTypeReset() {
        var builder = SSEEventBuilder()
        #expect(block(["event: first"], into: &builder).isEmpty)
        let next = block(["data: x"], into: &builder)
        #expect(next.first?.event == nil)
        #expect(block(["event: ping", "data: y"], into: &builder).first?.event == "ping")
        #expect(block(["data: z"], into: &builder).first?.event == nil) // the one reset cleared it
    }

    @Test("id sets the last event ID, which outlives its block; an id holding NUL is ignored")
    func lastEventID() {
        var builder = SSEEventBuilder()
        #expect(block(["id: 7", "data: a"], into: &builder).first?.id == "7")
        #expect(builder.lastEventID == "7")
        #expect(block(["data: b"], into: &builder).first?.id == nil) // the record keeps its own block's id
        #expect(builder.lastEventID == "7")
        _ = block(["id: a\u{0}b", "data: c"], into: &builder)
        #expect(builder.lastEventID == "7")
        _ = block(["id", "data: d"], into: &builder) // an empty id resets the buffer
        #expect(builder.lastEventID == "")
    }

    @Test("retry: ASCII digits only, kept as written without leading zeros; anything else ignored")
    func retry() {
        #expect(block(["retry: 007"]).first?.retry == "7")
        #expect(block(["retry: 000"]).first?.retry == "0")
        #expect(block(["retry: 12a"]).isEmpty)
        #expect(block(["retry:"]).isEmpty)
        #expect(block(["retry: 99999999999999999999999"]).first?.retry == "99999999999999999999999")
    }

    @Test("a block with only id or retry is a control record")
    func control() {
        let records = block(["id: 3", "retry: 10"])
        #expect(records.first?.kind == .control)
        #expect(records.first?.id == "3" && records.first?.retry == "10")
    }

    @Test("comments: dropped, or kept with one leading space removed; they do not make a block")
    func comments() {
        #expect(block([": hi"]).isEmpty)
        let kept = block([":  hi", ":"], keepComments: true)
        #expect(kept.map(\.kind) == [.comment, .comment])
        #expect(kept.map(\.data) == [u8(" hi"), []])
        var builder = SSEEventBuilder()
        interpret(&builder, ": x")
        #expect(!builder.hasFields)
    }

    @Test("unknown fields are ignored but counted, with the offset of the first; known ones counted apart")
    func counts() {
        var builder = SSEEventBuilder()
        interpret(&builder, "foo: bar", at: 10)
        interpret(&builder, "Data: x", at: 20) // names are case-sensitive
        interpret(&builder, "data: x", at: 30)
        interpret(&builder, "event: e", at: 40)
        #expect(builder.ignoredLineCount == 2 && builder.firstIgnoredLineOffset == 10)
        #expect(builder.fieldLineCount == 2 && builder.firstFieldLineOffset == 30)
        #expect(builder.hasFields)
    }

    @Test("reset empties the block (data, type, id, retry, size) but keeps the last event ID and the counts")
    func oneReset() {
        var builder = SSEEventBuilder()
        interpret(&builder, "id: 1")
        interpret(&builder, "event: e")
        interpret(&builder, "data: d")
        builder.size = 20
        builder.reset()
        #expect(!builder.hasData && !builder.hasFields && !builder.setsSomething && builder.size == 0)
        #expect(builder.lastEventID == "1")
        #expect(builder.fieldLineCount == 3)
        #expect(builder.dispatch() == nil)
        interpret(&builder, "data: new")
        #expect(builder.dispatch() == .event)
        #expect(builder.data == u8("new")) // nothing of the dropped block's data
    }

    @Test("the dispatched block's fields stay readable until clearDispatched")
    func readableUntilCleared() {
        var builder = SSEEventBuilder()
        interpret(&builder, "event: e")
        interpret(&builder, "data: d")
        #expect(builder.dispatch() == .event)
        #expect(builder.record(for: .event).event == "e")
        builder.clearDispatched()
        interpret(&builder, "data: next")
        #expect(builder.dispatch() == .event)
        #expect(builder.record(for: .event).event == nil)
    }

    @Test(
        "reader and builder together give the decoder's records, whole, byte by byte and at random splits",
        arguments: [
            "data: a\n\n",
            "\u{FEFF}event: e\r\ndata: 1\r\ndata: 2\r\n\r\n",
            "data: x\r\rdata: y\n\n: c\n\nid: 5\n\nretry: 010\r\n\r\n",
            "data\n\ndata:\n\nevent: only\n\ndata: \u{FEFF}z\n\n",
            "foo\nbar: baz\ndata: é€😀\n\n",
            "data: no blank line at the end\n",
        ])
    func composedEveryWay(input: String) {
        let (composed, _) = decodeEveryWay(input) { ReaderAndBuilder() }
        let (decoder, _) = decodeEveryWay(input) { SSEDecoder(options: .init(keepComments: true)) }
        #expect(composed.records == decoder.records)
        #expect(composed.error == nil)
    }
}
