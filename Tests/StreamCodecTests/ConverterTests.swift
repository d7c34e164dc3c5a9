import StreamCodec
// Converter in data mode (the default mapping), per the contract:
// - SSE -> JSON format: each event's data must be one JSON text -> one minified record;
//   data exactly `[DONE]` stops the output successfully (later input ignored); events with
//   empty data skipped; event/id/retry, comments and control records dropped.
// - JSON -> SSE: `data: <json>` + blank line.  JSON -> JSON: validated + minified.
// - SSE -> SSE: events and control records pass with their fields; comments dropped; LF
//   line ends, no BOM.
// Everything before an error is in the output. All inputs are fed with every chunking.
import Testing

private func converter(_ from: String, _ to: String, doneMarker: String? = "[DONE]") -> () throws -> Converter {
    {
        var options = ConversionOptions()
        options.doneMarker = doneMarker
        return try Converter(from: from, to: to, options: options)
    }
}

@Suite("Converter: data mode")
struct ConverterTests {
    // MARK: SSE -> JSON

    @Test("SSE -> NDJSON: each event's data becomes one minified JSON line", arguments: ["ndjson", "stream-json"])
    func sseToJSON(target: String) throws {
        let input = "data: {\"a\": 1}\n\ndata: [1,\ndata:  2]\n\ndata: \"s\"\r\n\r\ndata: 12345678901234567890\n\n"
        let result = try convertEveryWay(input, converter("sse", target))
        #expect(result.error == nil)
        #expect(result.text == "{\"a\":1}\n[1,2]\n\"s\"\n12345678901234567890\n")
        #expect(!result.isStopped)
    }

    @Test("SSE -> JSON: event type, id, retry, comments and control blocks are dropped")
    func sseToJSONDropsFields() throws {
        let input = ": hi\nevent: e\nid: 1\nretry: 5\ndata: 1\n\nid: 2\n\nretry: 3\n\n: bye\n\ndata: 2\n\n"
        let result = try convertEveryWay(input, converter("sse", "ndjson"))
        #expect(result.error == nil)
        #expect(result.text == "1\n2\n")
    }

    @Test("SSE -> JSON: events with empty data are skipped")
    func emptyDataSkipped() throws {
        let result = try convertEveryWay("data:\n\ndata\n\nevent: ping\ndata: \n\ndata: 3\n\n", converter("sse", "ndjson"))
        #expect(result.error == nil)
        #expect(result.text == "3\n")
    }

    @Test("SSE -> JSON: data exactly [DONE] stops the output successfully; later input, even invalid, is ignored")
    func doneStops() throws {
        let input = "data: 1\n\ndata: [DONE]\n\ndata: 2\n\ndata: not json\n\ndata: {"
        let result = try convertEveryWay(input, converter("sse", "ndjson"))
        #expect(result.error == nil)
        #expect(result.text == "1\n")
        #expect(result.isStopped)
        #expect(result.warnings.isEmpty) // the unterminated block after [DONE] was never read

        var c = try converter("sse", "ndjson")()
        var out: [UInt8] = []
        try c.convert(u8("data: [DONE]\n\n"), into: &out)
        #expect(c.isStopped)
        try c.convert(u8("data: 5\n\n"), into: &out)
        try c.convert(u8("garbage\n\n"), into: &out)
        try c.finish(into: &out)
        #expect(out.isEmpty)
    }

    @Test(
        "SSE -> JSON: only data exactly [DONE] stops; with no done marker it is ordinary (invalid) JSON",
        arguments: [
            "data: [DONE] \n\n", "data: [done]\n\n", "data:  [DONE]\n\n", "data: [DONE]\ndata:\n\n",
        ])
    func notExactlyDone(input: String) throws {
        let result = try convertEveryWay(input, converter("sse", "ndjson"))
        #expect(!result.isStopped)
        #expect(result.error?.code == .invalidJSON)
    }

    @Test("SSE -> JSON with the done marker disabled: [DONE] is invalid JSON")
    func noDoneMarker() throws {
        let result = try convertEveryWay("data: 1\n\ndata: [DONE]\n\n", converter("sse", "ndjson", doneMarker: nil))
        #expect(result.text == "1\n")
        #expect(result.error?.code == .invalidJSON)
        #expect(!result.isStopped)
    }

    @Test(
        "SSE -> JSON: non-JSON data is an error on the event's first line; everything before it is in the output",
        arguments: [
            ("data: 1\n\ndata: nope\n\ndata: 2\n\n", 3),
            ("data: 1\n\n\n\nevent: x\ndata: {\"a\":}\n\n", 5),
            ("data: 1\r\n\r\ndata: 1 2\r\n\r\n", 3),
            ("data: 1\n\ndata: {\ndata: \"a\": [1,]}\n\n", 3),
        ])
    func invalidData(input: String, line: Int) throws {
        let result = try convertEveryWay(input, converter("sse", "ndjson"))
        #expect(result.text == "1\n")
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == line)
    }

    @Test("SSE -> JSON: JSON nesting in data beyond maxDepth is .nestingTooDeep")
    func dataDepth() throws {
        let result = try convertEveryWay("data: [[]]\n\ndata: [[[]]]\n\n") {
            var options = ConversionOptions()
            options.codec.maxDepth = 2
            return try Converter(from: "sse", to: "ndjson", options: options)
        }
        #expect(result.text == "[[]]\n")
        #expect(result.error?.code == .nestingTooDeep)
    }

    @Test("SSE -> JSON: a discarded unterminated block is reported as a warning, not an error")
    func warningAtEnd() throws {
        let result = try convertEveryWay("data: 1\n\ndata: 2", converter("sse", "ndjson"))
        #expect(result.error == nil)
        #expect(result.text == "1\n")
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.line == 3)
    }

    // MARK: JSON -> SSE, JSON -> JSON

    @Test(
        "JSON -> SSE: each text becomes `data: <minified json>` and a blank line",
        arguments: [
            ("ndjson", "{ \"a\" : [1, 2] }\n\n\"x\"\r\n3"),
            ("stream-json", "{ \"a\" :\n [1, 2] }\n\"x\" 3"),
        ])
    func jsonToSSE(source: String, input: String) throws {
        let result = try convertEveryWay(u8(input), converter(source, "sse"))
        #expect(result.error == nil)
        #expect(result.text == "data: {\"a\":[1,2]}\n\ndata: \"x\"\n\ndata: 3\n\n")
    }

    @Test(
        "JSON -> JSON: validated and minified; an invalid text stops with everything before it written",
        arguments: [
            ("ndjson", "stream-json", "{ \"a\" : 1 }\n[ ]\n[1,]\n2\n", 3),
            ("ndjson", "ndjson", "{ \"a\" : 1 }\n[ ]\n[1,]\n2\n", 3),
            ("stream-json", "ndjson", "{ \"a\" : 1 }[ ]\n[1,] 2", 2),
        ])
    func jsonToJSON(source: String, target: String, input: String, line: Int) throws {
        let result = try convertEveryWay(u8(input), converter(source, target))
        #expect(result.text == "{\"a\":1}\n[]\n")
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == line)
    }

    @Test("JSON -> JSON: a [DONE]-like string is ordinary JSON")
    func doneInJSON() throws {
        let result = try convertEveryWay("\"[DONE]\"\n1\n", converter("ndjson", "ndjson"))
        #expect(result.text == "\"[DONE]\"\n1\n")
        #expect(!result.isStopped)
    }

    @Test("JSON input ending inside a text is .truncated after the complete texts")
    func truncatedJSON() throws {
        let result = try convertEveryWay("1\n{\"a\":", converter("ndjson", "sse"))
        #expect(result.text == "data: 1\n\n")
        #expect(result.error?.code == .truncated)
    }

    // MARK: SSE -> SSE

    @Test(
        "SSE -> SSE: events keep event, id and retry, control blocks' fields go into the next event's block; comments are dropped; LF, no BOM"
    )
    func sseToSSE() throws {
        let input: [UInt8] =
            [0xEF, 0xBB, 0xBF]
            + u8(
                ": hello\r\nevent: e\r\nid: 7\r\nretry: 10\r\ndata: a\r\ndata: b\r\n\r\n: c\rid: 8\r\rid\n\nretry: 1\n\ndata:\n\ndata:  x\n\n"
            )
        let result = try convertEveryWay(input, converter("sse", "sse"))
        #expect(result.error == nil)
        #expect(result.text == "event: e\nid: 7\nretry: 10\ndata: a\ndata: b\n\nid\nretry: 1\ndata\n\ndata:  x\n\n")
        #expect(!result.output.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(!result.output.contains(0x0D))
    }

    @Test("SSE -> SSE does not stop at [DONE]: the marker only ends JSON output")
    func sseToSSEDone() throws {
        let result = try convertEveryWay("data: [DONE]\n\ndata: after\n\n", converter("sse", "sse"))
        #expect(result.text == "data: [DONE]\n\ndata: after\n\n")
        #expect(!result.isStopped)
    }

    @Test("SSE -> SSE: ill-formed UTF-8 is repaired to U+FFFD by the decoder, so it re-encodes")
    func sseToSSEInvalidUTF8() throws {
        // Invalid UTF-8 is repaired by the decoder (U+FFFD), so re-encoding always succeeds.
        let result = try convertEveryWay(u8("data: a") + [0xFF] + u8("\n\n"), converter("sse", "sse"))
        #expect(result.error == nil)
        #expect(result.text == "data: a\u{FFFD}\n\n")
    }

    // MARK: Converter mechanics

    @Test("every record a call completes is in the output when the call returns")
    func outputIsImmediate() throws {
        var c = try Converter(from: "sse", to: "ndjson")
        var out: [UInt8] = []
        try c.convert(u8("data: 1\n\ndata: 2"), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1\n")
        try c.convert(u8("\r\r"), into: &out) // CR CR completes the event without more input
        #expect(String(decoding: out, as: UTF8.self) == "1\n2\n")
        #expect(c.recordCount == 2)
    }

    @Test("when a call throws, the output holds every record before the bad one from the same chunk")
    func outputBeforeErrorSameChunk() throws {
        var c = try Converter(from: "ndjson", to: "sse")
        var out: [UInt8] = []
        #expect(throws: StreamCodecError.self) { try c.convert(u8("1\n2\nx\n3\n"), into: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "data: 1\n\ndata: 2\n\n")
    }

    @Test("a record the target cannot encode is .unencodable with its line")
    func unencodableRecord() throws {
        // No default path produces one, so use the generic converter without transforms.
        var d = Converter(makeDecoder: { SSEDecoder() }, transforms: [], encoder: JSONLinesEncoder())
        var out: [UInt8] = []
        do {
            try d.convert(u8("\n\ndata: x\n\n"), into: &out)
            Issue.record("an event cannot be written as a JSON line")
        } catch {
            #expect(error.code == .unencodable)
            #expect(error.line == 3)
        }
    }

    /// Records the `line` each record reaches a transform with.
    struct LineRecorder: RecordTransform {
        var lines: [Int?] = []
        mutating func apply(_ record: inout Record, line: Int?) throws(StreamCodecError) -> TransformAction {
            lines.append(line)
            throw StreamCodecError(.invalidInput, "seen", line: line) // report it through the error
        }
    }

    /// The line the first record reaches a transform with.
    private static func firstLine(_ input: String, _ makeDecoder: @escaping () -> any StreamDecoder) -> Int? {
        var c = Converter(makeDecoder: makeDecoder, transforms: [LineRecorder()], encoder: JSONLinesEncoder())
        var out: [UInt8] = []
        do {
            try c.convert(u8(input), into: &out)
            try c.finish(into: &out)
        } catch {
            return error.line
        }
        return nil
    }

    // RecordTransform.apply: "`line` is where it started in the input, when known."
    @Test(
        "a transform gets the line where the record started (SSE, stream+json)",
        arguments: [
            ("sse", "\n\ndata: x\n\n", 3),
            ("sse", "\n: c\ndata: x\r\n\r\n", 2),
            ("stream-json", "\n\n  {\n}\n", 3),
            ("stream-json", "\n\n  7\n", 3),
            ("ndjson", "\n\n  {}", 3), // a last line without LF
        ])
    func transformLine(format: String, input: String, line: Int) throws {
        let make = try #require(FormatRegistry.standard.format(named: format)?.makeDecoder)
        #expect(Self.firstLine(input) { make(CodecOptions()) } == line)
    }

    @Test("a transform gets the line where an NDJSON record started, also when its LF has arrived")
    func transformLineNDJSON() throws {
        #expect(Self.firstLine("\n\n  {}\n") { NDJSONDecoder() } == 3)
        #expect(Self.firstLine("\n\n  {}\r\n5\n") { NDJSONDecoder() } == 3)
    }

    @Test("several inputs into one output: each is decoded separately by a fresh decoder")
    func severalInputs() throws {
        var c = try Converter(from: "sse", to: "ndjson")
        var out: [UInt8] = []
        try c.convert(u8("data: 1\n\ndata: 2"), into: &out) // unterminated: discarded at its end
        try c.finishInput(into: &out)
        let warnings = c.takeWarnings()
        c.startNextInput()
        try c.convert(u8("\n\ndata: 3\n\n"), into: &out) // the blank lines do not complete "2"
        try c.finish(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1\n3\n")
        #expect(warnings.count == 1)
    }
}
