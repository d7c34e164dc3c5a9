import StreamCodec
// Docs/Formats.md, "Envelope mode (--envelope): lossless SSE <-> JSON", "The envelope schema",
// SSE to JSON: each SSE block becomes one JSON object.
//   event   string   the block had an `event` field (`""` for an empty `event:`)
//   id      string   the block had an `id` field the parser accepted (`""` the reset; NUL: absent)
//   retry   integer  the block had a valid `retry` field
//   data    string   the block dispatched an event: the data exactly, lines joined by LF
//   data    object/array  with `--envelope-data json`, when the data is one JSON object or array
//   comment string   `--comments`, one object per comment line, the text after `:` less one space
// A block that sets id and/or retry but dispatches no event is an object without `data`. Keys are
// written in the order event, id, retry, data. Every input is converted whole, one byte at a
// time, at random splits and cut in two at every offset, through the public Converter.
import Testing

private func envelope(
    comments: Bool = false, data: EnvelopeWrapTransform.DataEncoding = .string,
    _ more: (inout ConversionOptions) -> Void = { _ in }
) -> ConversionOptions {
    conversionOptions {
        $0.mode = .envelope
        $0.codec.keepComments = comments
        $0.envelopeData = data
        more(&$0)
    }
}

/// SSE to envelope NDJSON, every way; the run must succeed without warnings.
private func wrap(
    _ sse: String, _ options: ConversionOptions = envelope(), to target: String = "ndjson",
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String] {
    try wrap(u8(sse), options, to: target, sourceLocation: sourceLocation)
}

private func wrap(
    _ sse: [UInt8], _ options: ConversionOptions = envelope(), to target: String = "ndjson",
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String] {
    let run = try convertAllWays(sse, from: "sse", to: target, options: options, sourceLocation: sourceLocation)
    #expect(run.error == nil, "\(run)", sourceLocation: sourceLocation)
    #expect(run.warnings.isEmpty, "\(run)", sourceLocation: sourceLocation)
    #expect(run.skippedCount == 0, sourceLocation: sourceLocation)
    return run.lines
}

@Suite("Envelope mode: SSE to JSON objects")
struct LosslessEnvelopeWrapTests {
    // "SSE to JSON, --envelope | block -> object" (the direction table).
    @Test("a block with event, id and data becomes {event, id, data}, as in the direction table")
    func tableExample() throws {
        #expect(try wrap("event: delta\nid: 7\ndata: hi\n\n") == [#"{"event":"delta","id":"7","data":"hi"}"#])
    }

    @Test("event, id and retry are present only when the block itself set them; type and id do not carry over to the next block")
    func fieldsOnlyWhenSet() throws {
        let sse = "event: a\nid: 1\nretry: 10\ndata: x\n\ndata: y\n\nid: 2\ndata: z\n\nevent: b\ndata: w\n\nretry: 20\ndata: v\n\n"
        #expect(
            try wrap(sse) == [
                #"{"event":"a","id":"1","retry":10,"data":"x"}"#,
                #"{"data":"y"}"#,
                #"{"id":"2","data":"z"}"#,
                #"{"event":"b","data":"w"}"#,
                #"{"retry":20,"data":"v"}"#,
            ])
    }

    @Test("keys come in the order event, id, retry, data whatever the order of the fields in the block")
    func keyOrder() throws {
        #expect(try wrap("data: a\nretry: 5\nid: 3\nevent: e\n\n") == [#"{"event":"e","id":"3","retry":5,"data":"a"}"#])
        #expect(try wrap("retry: 5\ndata: a\nevent: e\n\n") == [#"{"event":"e","retry":5,"data":"a"}"#])
    }

    @Test("the last of repeated fields in one block wins")
    func repeatedFields() throws {
        #expect(
            try wrap("event: a\nevent: b\nid: 1\nid: 2\nretry: 1\nretry: 2\ndata: x\n\n") == [
                #"{"event":"b","id":"2","retry":2,"data":"x"}"#
            ])
    }

    @Test("an id holding NUL is ignored by the parser, so it is absent (and a block with only such an id writes nothing)")
    func idWithNUL() throws {
        #expect(try wrap("id: a\u{0}b\ndata: x\n\n") == [#"{"data":"x"}"#])
        #expect(try wrap("id: a\u{0}b\n\n") == [])
        // An accepted id earlier in the same block stays.
        #expect(try wrap("id: 5\nid: \u{0}\ndata: x\n\n") == [#"{"id":"5","data":"x"}"#])
    }

    @Test("an empty id is the reset and is written as \"\" (id, id: and id:<space> alike)", arguments: ["id", "id:", "id: "])
    func emptyID(line: String) throws {
        #expect(try wrap("id: 1\n\n\(line)\ndata: x\n\n") == [#"{"id":"1"}"#, #"{"id":"","data":"x"}"#])
        #expect(try wrap("\(line)\n\n") == [#"{"id":""}"#])
    }

    @Test("an empty event: is written as \"\", and event without data writes nothing")
    func emptyEventType() throws {
        #expect(try wrap("event:\ndata: x\n\n") == [#"{"event":"","data":"x"}"#])
        #expect(try wrap("event: only\n\nevent\n\n") == [])
    }

    @Test(
        "retry is present only for a valid value (ASCII digits); junk and empty values are ignored; a value beyond 64 bits is kept exactly")
    func retryRules() throws {
        #expect(
            try wrap("retry: 12a\ndata: x\n\nretry:\ndata: y\n\nretry: -1\ndata: z\n\nretry: 0042\ndata: w\n\n") == [
                #"{"data":"x"}"#, #"{"data":"y"}"#, #"{"data":"z"}"#, #"{"retry":42,"data":"w"}"#,
            ])
        #expect(try wrap("retry: 99999999999999999999999\ndata: x\n\n") == [#"{"retry":99999999999999999999999,"data":"x"}"#])
        #expect(
            try wrap("retry: 18446744073709551616\ndata: x\n\nretry: 000\ndata: y\n\n")
                == [#"{"retry":18446744073709551616,"data":"x"}"#, #"{"retry":0,"data":"y"}"#])
    }

    // "A block that sets id and/or retry but dispatches no event (empty data) becomes an object
    // with no data (a control record)."
    @Test("blocks with only id and/or retry become control objects without data, as in the direction table")
    func controlRecords() throws {
        #expect(try wrap("id: 8\nretry: 500\n\n") == [#"{"id":"8","retry":500}"#])
        #expect(try wrap("id: 9\n\nretry: 7\n\n") == [#"{"id":"9"}"#, #"{"retry":7}"#])
        // The event type of a block that dispatches nothing is not part of a control object.
        #expect(try wrap("event: e\nid: 3\n\n") == [#"{"id":"3"}"#])
        // Control blocks ended by CR line ends.
        #expect(try wrap("retry: 1\rid: x\r\r") == [#"{"id":"x","retry":1}"#])
    }

    @Test("data: (empty) dispatches an event with data \"\"")
    func emptyData() throws {
        #expect(try wrap("data:\n\ndata\n\nevent: e\ndata: \n\n") == [#"{"data":""}"#, #"{"data":""}"#, #"{"event":"e","data":""}"#])
    }

    @Test("data lines are joined by LF, whatever line ends the input used; empty data lines are kept")
    func dataJoinedByLF() throws {
        let expected = [#"{"data":"a\n\nb\n"}"#]
        #expect(try wrap("data: a\ndata:\ndata: b\ndata\n\n") == expected)
        #expect(try wrap("data: a\r\ndata:\r\ndata: b\r\ndata\r\n\r\n") == expected)
        #expect(try wrap("data: a\rdata:\rdata: b\rdata\r\r") == expected)
        #expect(try wrap("data: a\rdata:\r\ndata: b\ndata\r\n\r") == expected)
    }

    @Test("data is the text exactly: one space after the colon removed, quotes, backslashes and control characters escaped, Unicode kept")
    func dataExactly() throws {
        #expect(try wrap("data:  two\n\n") == [#"{"data":" two"}"#])
        #expect(try wrap("data:none\n\n") == [#"{"data":"none"}"#])
        #expect(try wrap("data: \"q\" \\ \t\u{0}\u{1F}\u{7F}\n\n") == ["{\"data\":\"\\\"q\\\" \\\\ \\t\\u0000\\u001f\u{7F}\"}"])
        #expect(try wrap("data: 日本語 😀 \u{2028}\n\n") == ["{\"data\":\"日本語 😀 \u{2028}\"}"])
        #expect(try wrap("data: {\"a\": 1}\n\n") == [#"{"data":"{\"a\": 1}"}"#])
    }

    @Test("invalid UTF-8 in data becomes U+FFFD (maximal subparts) before it is written as a JSON string")
    func invalidUTF8() throws {
        let sse: [UInt8] = u8("data: a") + [0xFF, 0xE2, 0x82] + u8("b") + [0xED, 0xA0, 0x80] + u8("\n\n")
        // FF -> one U+FFFD; E2 82 (a truncated 3-byte sequence) -> one; ED A0 80 (a surrogate) -> three.
        #expect(try wrap(sse) == ["{\"data\":\"a\u{FFFD}\u{FFFD}b\u{FFFD}\u{FFFD}\u{FFFD}\"}"])
    }

    @Test("unknown fields and a second BOM do not show in the envelope; the leading BOM is ignored")
    func unknownFields() throws {
        #expect(try wrap("\u{FEFF}foo: 1\ndata: x\nDATA: y\n\u{FEFF}data: z\n\n") == [#"{"data":"x"}"#])
    }

    @Test(
        "with --comments each comment line becomes {\"comment\": ...} in input order, one leading space removed; blocks come at their blank line"
    )
    func comments() throws {
        let sse = ": one\ndata: a\n:two\n:\n\n:  three\n: keep-alive\r\n"
        #expect(
            try wrap(sse, envelope(comments: true)) == [
                #"{"comment":"one"}"#, #"{"comment":"two"}"#, #"{"comment":""}"#, #"{"data":"a"}"#,
                #"{"comment":" three"}"#, #"{"comment":"keep-alive"}"#,
            ])
    }

    @Test("without --comments, comment lines leave no trace")
    func commentsDropped() throws {
        #expect(try wrap(": one\ndata: a\n: two\n\n: three\n") == [#"{"data":"a"}"#])
    }

    @Test("a comment with quotes, backslashes, control characters or invalid UTF-8 is a valid JSON string")
    func commentEscaping() throws {
        let sse: [UInt8] = u8(": \"x\"\\\t") + [0xFF] + u8("\n")
        #expect(try wrap(sse, envelope(comments: true)) == ["{\"comment\":\"\\\"x\\\"\\\\\\t\u{FFFD}\"}"])
    }

    // "SSE to JSON, --envelope --envelope-data json | JSON object/array data embedded".
    @Test("--envelope-data json embeds data that is one JSON object or array, minified")
    func embedsObjectsAndArrays() throws {
        let options = envelope(data: .json)
        #expect(try wrap("data: {\"t\": \"hi\"}\n\n", options) == [#"{"data":{"t":"hi"}}"#])
        #expect(
            try wrap("event: e\nid: 1\ndata: [1, 2,\ndata:  {\"a\" : null}]\n\n", options) == [
                #"{"event":"e","id":"1","data":[1,2,{"a":null}]}"#
            ])
        #expect(
            try wrap("data: {\"html\": \"\\u003c\", \"big\": 18446744073709551617, \"x\": 1.0E+2}\n\n", options)
                == [#"{"data":{"html":"\u003c","big":18446744073709551617,"x":1.0E+2}}"#])
        #expect(try wrap("data: []\n\ndata: {}\n\n", options) == [#"{"data":[]}"#, #"{"data":{}}"#])
    }

    @Test(
        "--envelope-data json keeps as a string: a JSON string, number or literal, invalid JSON, two texts, and empty data",
        arguments: [
            ("data: \"s\"\n\n", #"{"data":"\"s\""}"#),
            ("data: 12\n\n", #"{"data":"12"}"#),
            ("data: true\n\n", #"{"data":"true"}"#),
            ("data: null\n\n", #"{"data":"null"}"#),
            ("data: {bad\n\n", #"{"data":"{bad"}"#),
            ("data: {\"a\":1,}\n\n", #"{"data":"{\"a\":1,}"}"#),
            ("data: {} {}\n\n", #"{"data":"{} {}"}"#),
            ("data: [1]x\n\n", #"{"data":"[1]x"}"#),
            ("data: hello\n\n", #"{"data":"hello"}"#),
            ("data:\n\n", #"{"data":""}"#),
            ("data: [DONE]\n\n", #"{"data":"[DONE]"}"#),
        ])
    func keepsOtherDataAsString(sse: String, expected: String) throws {
        #expect(try wrap(sse, envelope(data: .json)) == [expected])
    }

    @Test("--envelope-data json keeps as a string an object nested deeper than the depth limit")
    func embedsOnlyWithinDepth() throws {
        let options = envelope(data: .json) { $0.codec.maxDepth = 2 }
        #expect(try wrap("data: [[1]]\n\ndata: [[[1]]]\n\n", options) == [#"{"data":[[1]]}"#, #"{"data":"[[[1]]]"}"#])
    }

    @Test("every JSON output format carries the same envelopes", arguments: ["stream-json", "json-seq", "json-array"])
    func otherJSONFormats(target: String) throws {
        let run = try convertAllWays("event: e\ndata: a\n\nid: 1\n\n", from: "sse", to: target, options: envelope())
        #expect(run.error == nil)
        let records = [#"{"event":"e","data":"a"}"#, #"{"id":"1"}"#]
        switch target {
        case "json-seq": #expect(run.text == records.map { "\u{1E}\($0)\n" }.joined())
        case "json-array": #expect(run.text == "[\n" + records.joined(separator: ",\n") + "\n]\n")
        default: #expect(run.text == records.map { $0 + "\n" }.joined())
        }
    }

    @Test("[DONE] is ordinary data in envelope mode: the output does not stop")
    func doneIsData() throws {
        let run = try convertAllWays("data: [DONE]\n\ndata: 2\n\n", from: "sse", to: "ndjson", options: envelope())
        #expect(run.error == nil)
        #expect(!run.isStopped)
        #expect(run.lines == [#"{"data":"[DONE]"}"#, #"{"data":"2"}"#])
    }
}
