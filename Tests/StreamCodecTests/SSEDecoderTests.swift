import StreamCodec
// SSEDecoder against WHATWG HTML Living Standard, "Server-sent events":
//   9.2.5 "Parsing an event stream" (the grammar, UTF-8 decoding, BOM, line ends) and
//   9.2.6 "Interpreting an event stream" (fields, dispatch), plus the project's decided
// extensions (control records, kept comments, end-of-input policies).
// Every input goes through `decodeEveryWay`: the same records must come out whatever the split.
import Testing

/// Decodes `input` as SSE with every chunking; returns the records etc. of the whole input.
@discardableResult
private func sse(
    _ input: [UInt8], _ options: SSEDecoder.Options = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> (Decoded, SSEDecoder) {
    decodeEveryWay(input, sourceLocation: sourceLocation) { SSEDecoder(options: options) }
}

@discardableResult
private func sse(
    _ input: String, _ options: SSEDecoder.Options = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> (Decoded, SSEDecoder) {
    sse(u8(input), options, sourceLocation: sourceLocation)
}

private let keepComments = SSEDecoder.Options(keepComments: true)

@Suite("SSE decoder: 9.2.5 Parsing an event stream")
struct SSEParsingTests {
    // 9.2.5: "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."

    @Test("one leading BOM is ignored, also when it is split across reads")
    func leadingBOM() {
        // decodeEveryWay also feeds EF | BB BF and EF BB | BF.
        let (result, _) = sse([0xEF, 0xBB, 0xBF] + u8("data: x\n\n"))
        #expect(result.records == [.event(data: "x")])
        #expect(result.error == nil)
    }

    @Test("a BOM split as EF | BB BF across two appends is still ignored")
    func leadingBOMExplicitSplit() throws {
        var driver = DecodingDriver(decoder: SSEDecoder())
        driver.append([0xEF])
        #expect(try driver.next() == nil)
        driver.append([0xBB, 0xBF] + u8("data: x\n\n"))
        #expect(try driver.next() == .event(data: "x"))
    }

    @Test("a second BOM is not stripped: '\\u{FEFF}data: x' is an unknown field, so no event")
    func secondBOMStays() {
        let (result, _) = sse([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + u8("data: x\n\ndata: y\n\n"))
        #expect(result.records == [.event(data: "y")])
    }

    @Test("a BOM at the start of a later line is part of that line, not ignored")
    func laterBOMStays() {
        let (result, _) = sse(u8("data: a\n\n") + [0xEF, 0xBB, 0xBF] + u8("data: b\n\n"))
        #expect(result.records == [.event(data: "a")])
    }

    @Test("an incomplete BOM (EF BB) is not ignored: it makes the first field name unknown")
    func partialBOMIsNotABOM() {
        let (result, _) = sse([0xEF, 0xBB] + u8("data: x\n\ndata: y\n\n"))
        #expect(result.records == [.event(data: "y")])
    }

    // 9.2.5 grammar: end-of-line = ( cr lf / cr / lf )

    @Test(
        "lines may end with LF, CRLF or CR, mixed in one stream",
        arguments: [
            ("data: a\ndata: b\n\n", ["a\nb"]),
            ("data: a\r\ndata: b\r\n\r\n", ["a\nb"]),
            ("data: a\rdata: b\r\r", ["a\nb"]),
            ("data: a\r\ndata: b\rdata: c\n\n", ["a\nb\nc"]),
            ("data: a\n\rdata: b\n\n", ["a", "b"]), // LF then CR: two line ends, the CR line is blank
        ])
    func lineEnds(input: String, expected: [String]) {
        let (result, _) = sse(input)
        #expect(result.records == expected.map { .event(data: $0) })
    }

    @Test("CR at the end of one read and LF at the start of the next are one line end, not two")
    func crThenLFAcrossReads() throws {
        // If CR and LF were two line ends, the LF would be a blank line dispatching "a" alone.
        var driver = DecodingDriver(decoder: SSEDecoder())
        var records: [Record] = []
        for piece in ["data: a\r", "\n", "data: b\r\n\r\n"] {
            driver.append(u8(piece))
            while let record = try? driver.next() { records.append(record) }
        }
        #expect(records == [.event(data: "a\nb")])
        // And through every other split too.
        let (result, _) = sse("data: a\r\ndata: b\r\n\r\n")
        #expect(result.records == [.event(data: "a\nb")])
    }

    @Test("CR CR dispatches at once: the event comes out without more input and without finishInput")
    func crCRDispatchesImmediately() throws {
        var driver = DecodingDriver(decoder: SSEDecoder())
        driver.append(u8("data: x\r\r"))
        #expect(try driver.next() == .event(data: "x"))
        #expect(try driver.next() == nil)

        // The same when the second CR arrives alone.
        var split = DecodingDriver(decoder: SSEDecoder())
        split.append(u8("data: y\r"))
        #expect(try split.next() == nil)
        split.append(u8("\r"))
        #expect(try split.next() == .event(data: "y"))
    }

    @Test("a CR at the end of a read followed by a read starting with CR is a line end then a blank line")
    func crThenCRAcrossReads() throws {
        var driver = DecodingDriver(decoder: SSEDecoder())
        driver.append(u8("data: a\r"))
        #expect(try driver.next() == nil)
        driver.append(u8("\rdata: b\n\n"))
        #expect(try driver.next() == .event(data: "a"))
        #expect(try driver.next() == .event(data: "b"))
    }

    // 9.2.5: "Streams must be decoded using the UTF-8 decode algorithm" (U+FFFD replacement,
    // maximal subparts, as the WHATWG Encoding Standard's UTF-8 decoder).

    @Test(
        "ill-formed UTF-8 is replaced by U+FFFD per maximal subpart",
        arguments: [
            // (bytes after "data: ", expected data)
            ([0xE4, 0xB8, 0x78], "\u{FFFD}x"), // truncated 3-byte sequence: one U+FFFD, then x
            ([0xF0, 0x80], "\u{FFFD}\u{FFFD}"), // F0 needs 90..BF next: two replacements
            ([0xFF], "\u{FFFD}"),
            ([0x80, 0x61], "\u{FFFD}a"), // stray continuation byte
            ([0xC0, 0x80], "\u{FFFD}\u{FFFD}"), // overlong NUL
            ([0xED, 0xA0, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}"), // UTF-8-encoded surrogate
            ([0xF4, 0x90, 0x80, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"), // above U+10FFFF
            ([0xE4, 0xB8], "\u{FFFD}"), // cut off by the end of the line
            ([0x61, 0xF0, 0x9F, 0x98, 0x62], "a\u{FFFD}b"),
            ([0xF0, 0x9F, 0x98, 0xF0, 0x9F, 0x98, 0x80], "\u{FFFD}\u{1F600}"), // cut-off 4-byte, then a whole one
            ([0xE0, 0xA0, 0xC0], "\u{FFFD}\u{FFFD}"), // valid 2-byte prefix, then a bad lead
            ([0xC2, 0x41], "\u{FFFD}A"),
            ([0xF4, 0x8F, 0xBF, 0x41], "\u{FFFD}A"),
            ([0xE0, 0x80], "\u{FFFD}\u{FFFD}"), // E0 needs A0..BF next
            ([0xEF, 0xBF, 0xBF], "\u{FFFF}"), // a noncharacter is well-formed
        ] as [([UInt8], String)])
    func invalidUTF8(bytes: [UInt8], expected: String) {
        let (result, _) = sse(u8("data: ") + bytes + u8("\n\n"))
        #expect(result.records.map(\.text) == [expected])
        #expect(result.records.first?.data == u8(expected))
    }

    @Test("ill-formed UTF-8 in event type, id and comments is replaced too")
    func invalidUTF8InOtherFields() {
        let input = u8("event: e") + [0xFF] + u8("\nid: i") + [0xC3] + u8("\n:c") + [0x80] + u8("\ndata: x\n\n")
        let (result, decoder) = sse(input, keepComments)
        #expect(result.records == [.comment("c\u{FFFD}"), .event(data: "x", event: "e\u{FFFD}", id: "i\u{FFFD}")])
        #expect(decoder.lastEventID == "i\u{FFFD}")
    }

    @Test("a 4-byte character split across reads comes out intact")
    func emojiSplitAcrossReads() throws {
        let input = u8("data: a\u{1F600}b\n\n")
        let (result, _) = sse(input) // includes every two-piece split, i.e. inside the emoji
        #expect(result.records == [.event(data: "a\u{1F600}b")])
        var driver = DecodingDriver(decoder: SSEDecoder())
        driver.append(u8("data: a") + [0xF0, 0x9F])
        #expect(try driver.next() == nil)
        driver.append([0x98, 0x80] + u8("b\n\n"))
        #expect(try driver.next()?.text == "a\u{1F600}b")
    }

    @Test("a stream without any line end dispatches nothing until input ends")
    func noLineEnd() throws {
        var driver = DecodingDriver(decoder: SSEDecoder(options: .init(incompleteBlock: .dispatch)))
        driver.append(u8("data: x"))
        #expect(try driver.next() == nil)
        driver.finishInput()
        #expect(try driver.next() == .event(data: "x"))
        #expect(try driver.next() == nil)
    }
}

@Suite("SSE decoder: 9.2.6 Interpreting an event stream")
struct SSEInterpretingTests {
    // "If the line starts with a U+003A COLON character (:) -- Ignore the line."

    @Test("comment lines are ignored and do not end a block")
    func commentsIgnored() {
        let (result, _) = sse(": hello\ndata: a\n:\n: more\ndata: b\n\n")
        #expect(result.records == [.event(data: "a\nb")])
    }

    @Test("a block of comments only dispatches nothing")
    func commentOnlyBlock() {
        let (result, _) = sse(": x\n\n:\n\ndata: y\n\n")
        #expect(result.records == [.event(data: "y")])
    }

    @Test(
        "with keepComments, a comment is a .comment record: the text after ':' with ONE leading space removed",
        arguments: [
            (": hello", "hello"),
            (":hello", "hello"),
            (":  two", " two"),
            (":", ""),
            (": ", ""),
            ("::x", ":x"),
        ])
    func keptComments(line: String, expected: String) {
        let (result, _) = sse(line + "\n\n", keepComments)
        #expect(result.records == [.comment(expected)])
    }

    @Test("with keepComments, comments come out in order with the events around them")
    func keptCommentsOrder() {
        let (result, _) = sse(": first\ndata: a\n: inside\ndata: b\n\n: last\n\n", keepComments)
        #expect(result.records == [.comment("first"), .comment("inside"), .event(data: "a\nb"), .comment("last")])
    }

    // "If the line contains a U+003A COLON character: collect the characters before the first
    // colon as the field name, after it as the value; if value starts with a U+0020 SPACE
    // character, remove it." / "Otherwise ... the whole line as the field name, and the empty
    // string as the field value."

    @Test(
        "exactly one space after the colon is removed",
        arguments: [
            ("data:x", "x"),
            ("data: x", "x"),
            ("data:  x", " x"),
            ("data:   x ", "  x "),
            ("data:\tx", "\tx"), // only U+0020 is removed
            ("data: a:b: c", "a:b: c"), // only the first colon splits
        ])
    func oneSpaceRemoved(line: String, expected: String) {
        let (result, _) = sse(line + "\n\n")
        #expect(result.records == [.event(data: expected)])
    }

    @Test("a field without a colon has the whole line as its name and an empty value")
    func fieldWithoutColon() {
        #expect(sse("data\n\n").0.records == [.event(data: "")])
        #expect(sse("data\ndata\n\n").0.records == [.event(data: "\n")])
        #expect(sse("event\ndata: x\n\n").0.records == [.event(data: "x", event: "")])
        #expect(sse("id\n\n").0.records == [.control(id: "")])
        #expect(sse("retry\n\n").0.records == []) // empty value is not a number: ignored
    }

    @Test(
        "unknown and differently-cased field names are ignored",
        arguments: [
            "foo: bar\ndata: x\n\n",
            "Data: y\ndata: x\n\n",
            "data : y\ndata: x\n\n",
            " data: y\ndata: x\n\n",
            "dat: y\ndata: x\n\n",
            "datas: y\ndata: x\n\n",
            "EVENT: y\ndata: x\n\n",
            "ID: 7\ndata: x\n\n",
        ])
    func unknownFields(input: String) {
        let (result, decoder) = sse(input)
        #expect(result.records == [.event(data: "x")])
        #expect(decoder.lastEventID == "")
    }

    @Test("a block of unknown fields only dispatches nothing")
    func unknownOnly() {
        #expect(sse("foo: bar\nbaz\n\n").0.records == [])
    }

    // "data": append the value, then a single U+000A LINE FEED, to the data buffer.
    // Dispatch: "If the data buffer's last character is a U+000A LINE FEED, remove it."

    @Test(
        "data lines are joined with LF, and exactly one trailing LF is removed",
        arguments: [
            ("data: a\ndata: b\ndata: c\n\n", "a\nb\nc"),
            ("data: a\ndata:\ndata: b\n\n", "a\n\nb"),
            ("data: a\ndata:\n\n", "a\n"),
            ("data:\ndata: a\n\n", "\na"),
            ("data:\ndata:\n\n", "\n"),
            ("data:\n\n", ""),
            ("data: \n\n", ""),
        ])
    func dataJoining(input: String, expected: String) {
        #expect(sse(input).0.records == [.event(data: expected)])
    }

    @Test("a blank line with an empty data buffer dispatches no event")
    func emptyDataBufferNoEvent() {
        #expect(sse("\n\n\r\n\r").0.records == [])
        #expect(sse("event: x\n\n").0.records == [])
        #expect(sse("event: x\n\ndata: y\n\n").0.records == [.event(data: "y")]) // type reset too
    }

    // "event": set the event type buffer. Dispatch resets it to the empty string.

    @Test("the event type is the one this block set, nil when none, and is reset after each block")
    func eventTypePerBlock() {
        let (result, _) = sse("event: a\ndata: 1\n\ndata: 2\n\nevent: b\nevent: c\ndata: 3\n\nevent:\ndata: 4\n\n")
        #expect(
            result.records == [
                .event(data: "1", event: "a"),
                .event(data: "2"),
                .event(data: "3", event: "c"), // the last one set wins
                .event(data: "4", event: ""),
            ])
    }

    // "id": "If the field value does not contain U+0000 NULL, then set the last event ID
    // buffer to the field value. Otherwise, ignore the field."

    @Test("an id containing NUL is ignored, keeping the previous last event id")
    func idWithNUL() {
        let (result, decoder) = sse("id: 1\ndata: a\n\nid: 2\u{0}x\ndata: b\n\nid: \u{0}\n\n")
        #expect(result.records == [.event(data: "a", id: "1"), .event(data: "b")])
        #expect(decoder.lastEventID == "1")
    }

    @Test("the id is the one this block set; the last event id persists across blocks")
    func lastEventIDPersists() {
        let (result, decoder) = sse("id: 1\ndata: a\n\ndata: b\n\nid: 2\nid: 3\ndata: c\n\ndata: d\n\n")
        #expect(
            result.records == [
                .event(data: "a", id: "1"),
                .event(data: "b"),
                .event(data: "c", id: "3"),
                .event(data: "d"),
            ])
        #expect(decoder.lastEventID == "3")
    }

    @Test("an empty id resets the last event id and is reported as \"\"")
    func emptyIDResets() {
        let (result, decoder) = sse("id: 5\ndata: a\n\nid:\ndata: b\n\n")
        #expect(result.records == [.event(data: "a", id: "5"), .event(data: "b", id: "")])
        #expect(decoder.lastEventID == "")
        let (afterBare, bareDecoder) = sse("id: 5\n\nid\n\n")
        #expect(afterBare.records == [.control(id: "5"), .control(id: "")])
        #expect(bareDecoder.lastEventID == "")
    }

    @Test("an id keeps spaces after the first removed one, and colons")
    func idValueKeepsText() {
        let (result, decoder) = sse("id:  a:b \ndata: x\n\n")
        #expect(result.records == [.event(data: "x", id: " a:b ")])
        #expect(decoder.lastEventID == " a:b ")
    }

    // "retry": "If the field value consists of only ASCII digits, then interpret the field
    // value as an integer in base ten, and set the event stream's reconnection time to that
    // integer. Otherwise, ignore the field." (Empty is ignored; the digits are kept exactly,
    // however long, without leading zeros: Record.retry is the decimal text.)

    @Test(
        "retry is set only by a non-empty value of ASCII digits",
        arguments: [
            ("retry: 1000", "1000" as String?),
            ("retry:0", "0"),
            ("retry: 000", "0"),
            ("retry: 007", "7"),
            ("retry: 18446744073709551615", "18446744073709551615"),
            ("retry: 18446744073709551616", "18446744073709551616"), // beyond 64 bits: kept exactly
            ("retry: 99999999999999999999999999999999", "99999999999999999999999999999999"),
            ("retry:", nil),
            ("retry", nil),
            ("retry: ", nil),
            ("retry:  5", nil), // the second space is part of the value
            ("retry: 5 ", nil),
            ("retry: -5", nil),
            ("retry: +5", nil),
            ("retry: 1.5", nil),
            ("retry: 1e3", nil),
            ("retry: 0x10", nil),
            ("retry: \u{0663}", nil), // ARABIC-INDIC DIGIT THREE is not an ASCII digit
        ] as [(String, String?)])
    func retryValues(line: String, expected: String?) {
        let (result, _) = sse(line + "\ndata: x\n\n")
        #expect(result.records == [.event(data: "x", retry: expected)])
    }

    @Test("a block setting only retry yields a control record; the retry is not carried to the next block")
    func retryControl() {
        let (result, _) = sse("retry: 10\n\ndata: x\n\nretry: 1\nretry: oops\ndata: y\n\n")
        #expect(result.records == [.control(retry: 10), .event(data: "x"), .event(data: "y", retry: 1)])
    }

    @Test("a block that sets id and/or retry but no data is a control record (its event type is dropped)")
    func controlRecords() {
        let (result, decoder) = sse("id: 1\n\nid: 2\nretry: 3\nevent: e\n\nevent: only\n\nretry: x\n\n")
        #expect(result.records == [.control(id: "1"), .control(id: "2", retry: 3)])
        #expect(result.records.allSatisfy { $0.kind == .control && $0.data.isEmpty })
        #expect(decoder.lastEventID == "2")
    }

    @Test("events carry their fields and the data buffer is not shared between events")
    func consecutiveEvents() {
        let (result, _) = sse("event: t\nid: 9\nretry: 50\ndata: long data\n\ndata: s\n\n")
        #expect(result.records == [.event(data: "long data", event: "t", id: "9", retry: 50), .event(data: "s")])
        #expect(result.records.map(\.kind) == [.event, .event])
    }

    @Test("several blank lines between blocks dispatch nothing extra")
    func blankLinesBetween() {
        #expect(sse("\n\ndata: a\n\n\n\n\r\n\rdata: b\n\n\n").0.records == [.event(data: "a"), .event(data: "b")])
    }
}

@Suite("SSE decoder: end of input")
struct SSEEndOfInputTests {
    // 9.2.6: "Once the end of the file is reached, any pending data must be discarded. (If
    // the file ends in the middle of an event, before the final empty line, the incomplete
    // event is not dispatched.)" -- the default; .dispatch and .error are the project's options.

    @Test(
        "default: an unterminated block is discarded with one warning naming its first line",
        arguments: [
            "data: a\n\ndata: b",
            "data: a\n\ndata: b\n",
            "data: a\n\nevent: x\ndata: b\r\n",
            "data: a\n\nid: 7\n",
        ])
    func discard(input: String) {
        let (result, _) = sse(input)
        #expect(result.records == [.event(data: "a")])
        #expect(result.error == nil)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.line == 3)
    }

    @Test("default: a stream ending right after a blank line gives no warning")
    func cleanEnd() {
        let (result, _) = sse("data: a\n\n")
        #expect(result.warnings.isEmpty)
        #expect(sse("").0 == Decoded())
    }

    @Test(
        ".dispatch: the partial last line is processed, then the block is dispatched",
        arguments: [
            ("data: a\n\ndata: b", Record.event(data: "b")),
            ("data: a\n\ndata: b\n", .event(data: "b")),
            ("data: a\n\nevent: x\ndata: b\nid: 3", .event(data: "b", event: "x", id: "3")),
            ("data: a\n\ndata: b\ndata", .event(data: "b\n")),
            ("data: a\n\nretry: 4", .control(retry: 4)),
        ])
    func dispatch(input: String, last: Record) {
        let (result, _) = sse(input, .init(incompleteBlock: .dispatch))
        #expect(result.records == [.event(data: "a"), last])
        #expect(result.error == nil)
        #expect(result.warnings.isEmpty)
    }

    @Test(".dispatch with keepComments: a comment on the partial last line comes out before the event")
    func dispatchKeptComment() {
        let (result, _) = sse("data: b\n: tail", .init(keepComments: true, incompleteBlock: .dispatch))
        #expect(result.records == [.comment("tail"), .event(data: "b")])
    }

    @Test(".dispatch: a block without data dispatches nothing")
    func dispatchNoData() {
        let (result, _) = sse("data: a\n\nevent: x", .init(incompleteBlock: .dispatch))
        #expect(result.records == [.event(data: "a")])
    }

    @Test(".error: an unterminated block is a .truncated error after the complete events")
    func fail() {
        let (result, _) = sse("data: a\n\ndata: b\ndata: c", .init(incompleteBlock: .error))
        #expect(result.records == [.event(data: "a")])
        #expect(result.error?.code == .truncated)
        #expect(result.error?.line == 3)
    }

    @Test(".error: a stream ending after a blank line is not an error")
    func failCleanEnd() {
        let (result, _) = sse("data: a\n\n", .init(incompleteBlock: .error))
        #expect(result.records == [.event(data: "a")])
        #expect(result.error == nil)
    }
}

// The project's end-of-input rule: a block is "in progress" at end of input only when it has a
// field line (or the unterminated last line is a field line); comments alone have no effect.
@Suite("SSE decoder: what counts as an unterminated block at end of input")
struct SSEUnterminatedBlockTests {
    @Test(
        "a stream ending on comment lines after its last event ends cleanly under every policy",
        arguments: SSEDecoder.IncompleteBlockPolicy.allCases)
    func commentsAfterLastEvent(policy: SSEDecoder.IncompleteBlockPolicy) {
        for input in ["data: a\n\n: ping\n", "data: a\n\n: ping\n: pong\r\n", "data: a\n\n:"] {
            let (result, _) = sse(input, .init(incompleteBlock: policy))
            #expect(result.error == nil, "\(policy) \(input.debugDescription)")
            #expect(result.warnings.isEmpty, "\(policy) \(input.debugDescription)")
            #expect(result.texts == ["a"])
        }
    }

    @Test("a kept comment on an unterminated last line comes out under .dispatch only")
    func keptPartialComment() {
        let dispatched = sse(": bye", .init(keepComments: true, incompleteBlock: .dispatch)).0
        #expect(dispatched.records == [Record.comment("bye")])
        let discarded = sse(": bye", .init(keepComments: true, incompleteBlock: .discard)).0
        #expect(discarded.records.isEmpty && discarded.warnings.isEmpty && discarded.error == nil)
    }

    @Test("an unterminated block with a field line is discarded with a warning, or an error under .error")
    func fieldLineInProgress() {
        for input in ["data: a\n\ndata: b\n", "data: a\n\nid: 7", "data: a\n\nevent: x\n: c\n"] {
            let discarded = sse(input).0
            #expect(discarded.texts == ["a"])
            #expect(discarded.warnings.count == 1, "\(input.debugDescription)")
            let failed = sse(input, .init(incompleteBlock: .error)).0
            #expect(failed.error?.code == .truncated, "\(input.debugDescription)")
        }
    }

    @Test("an unknown field at the end is discarded silently, terminated or not (it has no effect)")
    func unknownFieldAtEnd() {
        for input in ["data: a\n\nfoo: bar\n", "data: a\n\nfoo: bar"] {
            let result = sse(input).0
            #expect(result.texts == ["a"])
            #expect(result.warnings.isEmpty, "\(input.debugDescription)")
        }
    }
}
