import StreamCodec
// Docs/Formats.md, "Every direction, with an example" and ConversionOptions:
// JSON to SSE, data mode: each record becomes `data: <minified JSON>` + blank line, and
// - `eventName` (--event tok): every event gets `event: tok`;
// - `eventFromKey` (--event-from type): the type is this top-level STRING member; records without
//   it get no event line; a member of another type is ignored;
// - `idFromKey` (--id-from id): the id is this top-level string or integer member; other types
//   are an error;
// - `sequentialIDs` (--ids): ids 1, 2, 3, ...;
// `retry` (--retry N) and `appendDone` (--done) apply to any SSE output: `retry: N` once, in the
// first event's block (never a block of its own: Docs/Formats.md, "SSE output rules"; with no
// event at all nothing), and a final `data: [DONE]` event (the done marker), also for an empty
// input. N is a run of ASCII digits of any length, written without leading zeros.
// `onlyEvents` (--only-event) keeps SSE input events of the given types (`message` for events
// without a type). An option that does not apply to the formats is a usage error
// (`.invalidOptions`) saying why.
import Testing

/// JSON (NDJSON unless told) to SSE in data mode with `configure`, every way.
private func toSSE(
    _ input: String, from source: String = "ndjson", _ configure: (inout ConversionOptions) -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> LosslessRun {
    try convertAllWays(input, from: source, to: "sse", options: conversionOptions(configure), sourceLocation: sourceLocation)
}

@Suite("Field mapping and framing (JSON to SSE, data mode)")
struct LosslessFieldMappingTests {
    @Test("without options each record becomes data: <minified JSON> and a blank line")
    func plain() throws {
        let run = try toSSE("{\"a\": 1}\n[1, 2]\n\"s\"\n", { _ in })
        #expect(run.error == nil)
        #expect(run.text == "data: {\"a\":1}\n\ndata: [1,2]\n\ndata: \"s\"\n\n")
    }

    // "JSON to SSE, --event tok | fixed event type".
    @Test("eventName gives every event that type, as in the direction table")
    func eventName() throws {
        let run = try toSSE("{\"a\":1}\n{\"type\":\"x\"}\n", { $0.eventName = "tok" })
        #expect(run.error == nil)
        #expect(run.text == "event: tok\ndata: {\"a\":1}\n\nevent: tok\ndata: {\"type\":\"x\"}\n\n")
    }

    // "JSON to SSE, --event-from type --id-from id | type and id from members".
    @Test("eventFromKey and idFromKey take the type and id from top-level members, as in the direction table")
    func tableExample() throws {
        let run = try toSSE(
            "{\"type\":\"ping\",\"id\":3}\n",
            {
                $0.eventFromKey = "type"
                $0.idFromKey = "id"
            })
        #expect(run.error == nil)
        #expect(run.text == "event: ping\nid: 3\ndata: {\"type\":\"ping\",\"id\":3}\n\n")
    }

    @Test("eventFromKey: a record without the member, a non-object record and a non-string member get no event line")
    func eventFromKeyOnlyStrings() throws {
        let input = """
            {"type":"a","v":1}
            {"v":2}
            [1]
            {"type":5}
            {"type":null}
            {"type":{"x":"y"}}
            {"inner":{"type":"nested"}}
            {"type":"","v":3}
            {"type":"\\u00fc\\ud83d\\ude00"}

            """
        let run = try toSSE(input, { $0.eventFromKey = "type" })
        #expect(run.error == nil)
        #expect(run.warnings.isEmpty)
        #expect(
            run.text == """
                event: a
                data: {"type":"a","v":1}

                data: {"v":2}

                data: [1]

                data: {"type":5}

                data: {"type":null}

                data: {"type":{"x":"y"}}

                data: {"inner":{"type":"nested"}}

                event:\u{20}
                data: {"type":"","v":3}

                event: ü😀
                data: {"type":"\\u00fc\\ud83d\\ude00"}


                """)
    }

    @Test("eventFromKey: a member whose key is spelled with escapes is the same key")
    func eventFromKeyEscapedKey() throws {
        let run = try toSSE("{\"t\\u0079pe\":\"x\"}\n", { $0.eventFromKey = "type" })
        #expect(run.text == "event: x\ndata: {\"t\\u0079pe\":\"x\"}\n\n")
    }

    @Test("idFromKey: a string or integer member is the id; a record without it gets no id line")
    func idFromKey() throws {
        let input = "{\"id\":\"abc\"}\n{\"id\":42}\n{\"id\":-7}\n{\"id\":12345678901234567890123}\n{\"x\":1}\n{\"id\":\"\"}\n[\"id\"]\n"
        let run = try toSSE(input, { $0.idFromKey = "id" })
        #expect(run.error == nil)
        #expect(
            run.text == """
                id: abc
                data: {"id":"abc"}

                id: 42
                data: {"id":42}

                id: -7
                data: {"id":-7}

                id: 12345678901234567890123
                data: {"id":12345678901234567890123}

                data: {"x":1}

                id
                data: {"id":""}

                data: ["id"]


                """)
    }

    @Test(
        "idFromKey: a member of another type is an error on the record's line; the records before it are written",
        arguments: ["1.5", "1e3", "true", "null", "{}", "[1]", "-0.5"])
    func idFromKeyWrongType(value: String) throws {
        let run = try toSSE("{\"id\":1}\n{\"id\":\(value)}\n{\"id\":3}\n", { $0.idFromKey = "id" })
        #expect(run.text == "id: 1\ndata: {\"id\":1}\n\n")
        #expect(run.error?.code == .invalidInput)
        #expect(run.error?.line == 2)
        #expect(run.error?.message.contains("\"id\"") == true, "\(run)")
    }

    @Test("a type or id from a member that SSE cannot carry (CR, LF, NUL in an id, a lone surrogate) is an error")
    func unencodableMembers() throws {
        for record in [
            #"{"type":"a\nb"}"#, #"{"type":"a\rb"}"#, #"{"id":"a\nb"}"#, #"{"id":"a\u0000b"}"#,
            #"{"type":"\ud800"}"#, #"{"id":"\udc00"}"#,
        ] {
            let run = try toSSE(
                "{\"v\":0}\n" + record + "\n",
                {
                    $0.eventFromKey = "type"
                    $0.idFromKey = "id"
                })
            #expect(run.text == "data: {\"v\":0}\n\n", "\(record)")
            #expect(run.error != nil, "\(record): \(run)")
            #expect(run.error?.line == 2, "\(record): \(run)")
        }
    }

    // "JSON to SSE, --ids | ids 1, 2, 3".
    @Test("sequentialIDs numbers the events 1, 2, 3 from the first record, as in the direction table")
    func sequentialIDs() throws {
        let run = try toSSE("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n", { $0.sequentialIDs = true })
        #expect(run.error == nil)
        #expect(run.text == "id: 1\ndata: {\"a\":1}\n\nid: 2\ndata: {\"a\":2}\n\nid: 3\ndata: {\"a\":3}\n\n")
    }

    @Test("eventName and sequentialIDs apply to every JSON input format", arguments: ["stream-json", "json-seq", "json-array"])
    func otherInputs(source: String) throws {
        let input: String
        switch source {
        case "json-seq": input = "\u{1E}{\"a\":1}\n\u{1E}2\n"
        case "json-array": input = "[{\"a\":1},2]"
        default: input = "{\"a\":1} 2\n"
        }
        let run = try toSSE(
            input, from: source,
            {
                $0.eventName = "e"
                $0.sequentialIDs = true
            })
        #expect(run.error == nil)
        #expect(run.text == "event: e\nid: 1\ndata: {\"a\":1}\n\nevent: e\nid: 2\ndata: 2\n\n")
    }

    // "JSON to SSE, --retry 3000 --done | framing".
    @Test("retry is announced once, in the first event's block, and appendDone ends with data: [DONE], as in the direction table")
    func framing() throws {
        let run = try toSSE(
            "{\"a\":1}\n{\"a\":2}\n",
            {
                $0.retry = "3000"
                $0.appendDone = true
            })
        #expect(run.error == nil)
        #expect(run.text == "retry: 3000\ndata: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n")
        let withIDs = try toSSE(
            "{\"a\":1}\n",
            {
                $0.retry = "10"
                $0.sequentialIDs = true
                $0.eventName = "e"
            })
        #expect(withIDs.text == "event: e\nid: 1\nretry: 10\ndata: {\"a\":1}\n\n")
    }

    @Test("with no event at all, retry writes nothing; with appendDone it rides on the done event")
    func framingEmptyInput() throws {
        #expect(try toSSE("", { $0.appendDone = true }).text == "data: [DONE]\n\n")
        #expect(try toSSE("", { $0.retry = "0" }).text == "")
        #expect(
            try toSSE(
                "\n\n",
                {
                    $0.retry = "5"
                    $0.appendDone = true
                }
            ).text == "retry: 5\ndata: [DONE]\n\n")
    }

    @Test("retry digits are kept exactly, however long; leading zeros are dropped; anything else is an invalid option")
    func retryDigits() throws {
        let long = "123456789012345678901234567890123456789012345678901234567890"
        #expect(try toSSE("1\n", { $0.retry = long }).text == "retry: \(long)\ndata: 1\n\n")
        #expect(try toSSE("1\n", { $0.retry = "0030" }).text == "retry: 30\ndata: 1\n\n")
        for bad in ["", "1.5", "-1", " 1", "1e3", "abc", "\u{0663}"] {
            do {
                var converter = try Converter(from: "ndjson", to: "sse", options: conversionOptions { $0.retry = bad })
                var out: [UInt8] = []
                try converter.finish(into: &out)
                Issue.record("retry \(bad.debugDescription) accepted: \(String(decoding: out, as: UTF8.self).debugDescription)")
            } catch {
                #expect(error.code == .invalidOptions, "\(bad.debugDescription): \(error)")
            }
        }
    }

    @Test("SSE to SSE: an input event's own retry wins over --retry (it set the later value), as before")
    func ownRetryWins() throws {
        let run = try convertAllWays(
            "retry: 7\ndata: a\n\ndata: b\n\n", from: "sse", to: "sse", options: conversionOptions { $0.retry = "10" })
        #expect(run.text == "retry: 7\ndata: a\n\ndata: b\n\n")
    }

    @Test("appendDone writes the custom done marker")
    func appendCustomMarker() throws {
        let run = try toSSE(
            "1\n",
            {
                $0.appendDone = true
                $0.doneMarker = "END"
            })
        #expect(run.text == "data: 1\n\ndata: END\n\n")
    }

    @Test("retry and appendDone apply to SSE to SSE and to envelope output as well")
    func framingOtherSSEOutputs() throws {
        let sse = try convertAllWays(
            "data: a\n\n", from: "sse", to: "sse",
            options: conversionOptions {
                $0.retry = "10"
                $0.appendDone = true
            })
        #expect(sse.error == nil)
        #expect(sse.text == "retry: 10\ndata: a\n\ndata: [DONE]\n\n")
        let env = try convertAllWays(
            "{\"data\":\"a\"}\n", from: "ndjson", to: "sse",
            options: conversionOptions {
                $0.mode = .envelope
                $0.retry = "10"
                $0.appendDone = true
            })
        #expect(env.error == nil)
        #expect(env.text == "retry: 10\ndata: a\n\ndata: [DONE]\n\n")
    }

    // "SSE to JSON, --only-event a | other types dropped".
    @Test("onlyEvents keeps only events of the given types; an event without a type (or with an empty one) is a message")
    func onlyEvents() throws {
        let input = "event: a\ndata: 1\n\nevent: b\ndata: 2\n\ndata: 3\n\nevent:\ndata: 4\n\nevent: message\ndata: 5\n\n"
        let onlyA = try convertAllWays(input, from: "sse", to: "ndjson", options: conversionOptions { $0.onlyEvents = ["a"] })
        #expect(onlyA.error == nil)
        #expect(onlyA.text == "1\n")
        let messages = try convertAllWays(input, from: "sse", to: "ndjson", options: conversionOptions { $0.onlyEvents = ["message"] })
        #expect(messages.text == "3\n4\n5\n")
        let two = try convertAllWays(input, from: "sse", to: "ndjson", options: conversionOptions { $0.onlyEvents = ["b", "message"] })
        #expect(two.text == "2\n3\n4\n5\n")
        let none = try convertAllWays(input, from: "sse", to: "ndjson", options: conversionOptions { $0.onlyEvents = ["zzz"] })
        #expect(none.error == nil && none.text == "")
    }

    @Test("onlyEvents filters SSE to SSE and envelope output the same way, keeping the fields of what passes")
    func onlyEventsOtherOutputs() throws {
        let input = "event: a\nid: 1\ndata: x\n\nevent: b\ndata: y\n\ndata: z\n\n"
        let sse = try convertAllWays(input, from: "sse", to: "sse", options: conversionOptions { $0.onlyEvents = ["a", "message"] })
        #expect(sse.text == "event: a\nid: 1\ndata: x\n\ndata: z\n\n")
        let env = try convertAllWays(
            input, from: "sse", to: "ndjson",
            options: conversionOptions {
                $0.mode = .envelope
                $0.onlyEvents = ["b"]
            })
        #expect(env.text == "{\"event\":\"b\",\"data\":\"y\"}\n")
    }

    // MARK: Options that do not apply

    struct Misuse: Sendable, CustomTestStringConvertible {
        var from: String
        var to: String
        var option: String
        var configure: @Sendable (inout ConversionOptions) -> Void
        var testDescription: String { "\(option) with -f \(from) -t \(to)" }
    }

    static let misuses: [Misuse] = [
        // SSE output only.
        Misuse(from: "ndjson", to: "ndjson", option: "retry") { $0.retry = "1" },
        Misuse(from: "sse", to: "ndjson", option: "appendDone") { $0.appendDone = true },
        Misuse(from: "ndjson", to: "json-seq", option: "eventName") { $0.eventName = "e" },
        Misuse(from: "json-array", to: "ndjson", option: "eventFromKey") { $0.eventFromKey = "t" },
        Misuse(from: "ndjson", to: "stream-json", option: "idFromKey") { $0.idFromKey = "id" },
        Misuse(from: "ndjson", to: "json-array", option: "sequentialIDs") { $0.sequentialIDs = true },
        // JSON input only.
        Misuse(from: "sse", to: "sse", option: "eventName") { $0.eventName = "e" },
        Misuse(from: "sse", to: "sse", option: "eventFromKey") { $0.eventFromKey = "t" },
        Misuse(from: "sse", to: "sse", option: "idFromKey") { $0.idFromKey = "id" },
        Misuse(from: "sse", to: "sse", option: "sequentialIDs") { $0.sequentialIDs = true },
        // SSE input only.
        Misuse(from: "ndjson", to: "sse", option: "onlyEvents") { $0.onlyEvents = ["a"] },
        Misuse(from: "ndjson", to: "sse", option: "requireDone") { $0.requireDone = true },
        Misuse(from: "json-seq", to: "ndjson", option: "codec.keepComments") { $0.codec.keepComments = true },
        // Envelope mode converts between the families.
        Misuse(from: "sse", to: "sse", option: "mode") { $0.mode = .envelope },
        Misuse(from: "ndjson", to: "json-seq", option: "mode") { $0.mode = .envelope },
        Misuse(from: "ndjson", to: "sse", option: "eventName") {
            $0.mode = .envelope
            $0.eventName = "e"
        },
        Misuse(from: "ndjson", to: "sse", option: "sequentialIDs") {
            $0.mode = .envelope
            $0.sequentialIDs = true
        },
        Misuse(from: "sse", to: "ndjson", option: "nonJSON") {
            $0.mode = .envelope
            $0.nonJSON = .string
        },
        // Data mode.
        Misuse(from: "sse", to: "ndjson", option: "codec.keepComments") { $0.codec.keepComments = true },
        Misuse(from: "sse", to: "ndjson", option: "envelopeData") { $0.envelopeData = .json },
        // A done marker is needed.
        Misuse(from: "sse", to: "ndjson", option: "requireDone") {
            $0.requireDone = true
            $0.doneMarker = nil
        },
        Misuse(from: "ndjson", to: "sse", option: "appendDone") {
            $0.appendDone = true
            $0.doneMarker = nil
        },
    ]

    @Test(
        "an option that does not apply to the formats is an invalidOptions error naming its ConversionOptions property, in library terms (no CLI flag)",
        arguments: misuses)
    func invalidOptions(misuse: Misuse) {
        var options = ConversionOptions()
        misuse.configure(&options)
        do {
            _ = try Converter(from: misuse.from, to: misuse.to, options: options)
            Issue.record("\(misuse.testDescription) was accepted")
        } catch {
            #expect(error.code == .invalidOptions)
            #expect(error.option == misuse.option, "\(error)")
            #expect(error.message.contains("ConversionOptions.\(misuse.option)"), "\(error.message)")
            #expect(!error.message.contains("--"), "a CLI flag in a library error: \(error.message)")
        }
    }

    @Test("the same options are accepted where they apply")
    func validOptions() throws {
        let valid: [(String, String, (inout ConversionOptions) -> Void)] = [
            (
                "ndjson", "sse",
                {
                    $0.retry = "1"
                    $0.appendDone = true
                    $0.eventName = "e"
                    $0.idFromKey = "id"
                    $0.eventFromKey = "t"
                }
            ),
            ("json-array", "sse", { $0.sequentialIDs = true }),
            (
                "sse", "sse",
                {
                    $0.retry = "1"
                    $0.appendDone = true
                    $0.onlyEvents = ["a"]
                    $0.requireDone = true
                    $0.codec.keepComments = true
                }
            ),
            (
                "sse", "ndjson",
                {
                    $0.mode = .envelope
                    $0.codec.keepComments = true
                    $0.envelopeData = .json
                    $0.requireDone = true
                }
            ),
            (
                "ndjson", "sse",
                {
                    $0.mode = .envelope
                    $0.retry = "1"
                    $0.appendDone = true
                }
            ),
            (
                "sse", "ndjson",
                {
                    $0.nonJSON = .string
                    $0.doneMarker = nil
                    $0.onlyEvents = ["x"]
                }
            ),
        ]
        for (from, to, configure) in valid {
            #expect(throws: Never.self, "-f \(from) -t \(to)") {
                _ = try Converter(from: from, to: to, options: conversionOptions(configure))
            }
        }
    }
}
