// RFC 6901 (JSON Pointer) section 4, evaluation, as ConversionOptions.pick applies it to each
// record: the value at the pointer replaces the record; a record in which the pointer names
// nothing is skipped and counted (Converter.pickMissingCount). Escapes ~0 and ~1 (section 3),
// array indexes without leading zeros and `-` (section 4), every JSON output, every split.
import Testing

@testable import StreamCodecCore

@Suite("Pick: each record becomes the value at a JSON Pointer (RFC 6901)")
struct PickTransformTests {
    /// Picks `pointer` from the JSON text `json` alone (nil: named nothing).
    static func pick(_ pointer: String, _ json: String) throws -> String? {
        var transform = PickTransform(pointer: try JSONPointer(pointer))
        var record = try Record.json(json)
        switch try transform.apply(&record, line: nil) {
        case .pass: return record.text
        case .skip:
            #expect(transform.missingCount == 1)
            return nil
        default:
            Issue.record("unexpected action")
            return nil
        }
    }

    static let document = #"{"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8}"#

    // RFC 6901 section 5's example document and its pointers, with the values it lists.
    @Test(
        "RFC 6901 section 5: every pointer of the example evaluates to its listed value",
        arguments: [
            ("/foo", #"["bar","baz"]"#), ("/foo/0", #""bar""#), ("/", "0"), ("/a~1b", "1"), ("/c%d", "2"),
            ("/e^f", "3"), ("/g|h", "4"), (#"/i\j"#, "5"), (#"/k"l"#, "6"), ("/ ", "7"), ("/m~0n", "8"),
        ])
    func rfcExamples(pointer: String, value: String) throws {
        #expect(try Self.pick(pointer, Self.document) == value)
    }

    @Test(
        "Array indexes: digits without a leading zero, within the array; `-` and anything else name nothing",
        arguments: [
            ("/a/0", "10"), ("/a/2", "[30]"), ("/a/2/0", "30"), ("/a/3", nil), ("/a/-", nil), ("/a/01", nil),
            ("/a/+1", nil), ("/a/x", nil), ("/a/ 1", nil), ("/e/0", nil), ("/e/-", nil),
        ] as [(String, String?)])
    func arrayIndexes(pointer: String, value: String?) throws {
        #expect(try Self.pick(pointer, #"{"a": [10, {"b": 20}, [30]], "e": []}"#) == value)
    }

    @Test(
        "Missing members, scalars and empty objects name nothing; the empty pointer is the whole record",
        arguments: [
            ("/x", #"{"a":1}"#, nil), ("/a/b", #"{"a":1}"#, nil), ("/a", "{}", nil), ("/a", "[1]", nil),
            ("/a", #""a""#, nil), ("", #"{"a":1}"#, #"{"a":1}"#), ("/a", #"{"a":null}"#, "null"),
        ] as [(String, String, String?)])
    func missing(pointer: String, json: String, value: String?) throws {
        #expect(try Self.pick(pointer, json) == value)
    }

    @Test("Keys compare by their decoded characters, escaped or not; with a key twice, the last member counts")
    func keys() throws {
        #expect(try Self.pick("/a~1b", #"{"a\/b": 1}"#) == "1")
        #expect(try Self.pick("/é", #"{"\u00e9": 2}"#) == "2")
        #expect(try Self.pick("/😀", #"{"\ud83d\ude00": 3}"#) == "3")
        #expect(try Self.pick("/k", #"{"k": 1, "j": {"k": 9}, "k": 2}"#) == "2")
        #expect(try Self.pick("/k", #"{"kk": 1, "k\u0000": 2}"#) == nil)
        // Strings holding brackets, quotes and commas do not disturb the walk.
        #expect(try Self.pick("/b/1", #"{"a": "}],\"[{", "b": ["x,]", {"c": "]}"}]}"#) == #"{"c":"]}"}"#)
    }

    @Test(
        "An invalid pointer is an invalidOptions error naming what is wrong",
        arguments: ["a", "/~", "/a~2", "~1"])
    func invalidPointer(text: String) {
        #expect(throws: StreamCodecError.self) { _ = try JSONPointer(text) }
    }

    static let openAI = """
        data: {"choices":[{"delta":{"role":"assistant"}}]}

        data: {"choices":[{"delta":{"content":"Hé"}}]}

        data: {"choices":[{"delta":{"content":"llo \\"😀\\"\\n"}}]}

        data: {"choices":[],"usage":{"total_tokens":3}}

        data: [DONE]


        """

    @Test(
        "SSE to every JSON output: picked values framed by the output format, the same for every split",
        arguments: [
            ("ndjson", "\"Hé\"\n\"llo \\\"😀\\\"\\n\"\n"), ("stream-json", "\"Hé\"\n\"llo \\\"😀\\\"\\n\"\n"),
            ("json-seq", "\u{1E}\"Hé\"\n\u{1E}\"llo \\\"😀\\\"\\n\"\n"), ("json-array", "[\n\"Hé\",\n\"llo \\\"😀\\\"\\n\"\n]\n"),
            ("text", "Hé" + "llo \"😀\"\n"),
        ])
    func everyJSONOutput(to: String, expected: String) throws {
        var options = ConversionOptions()
        options.pick = try JSONPointer("/choices/0/delta/content")
        var missing: Int?
        let result = try convertEveryWay(Self.openAI) {
            try Converter(from: "sse", to: to, options: options)
        }
        #expect(result.error == nil && result.warnings.isEmpty, "\(result)")
        #expect(result.text == expected)
        var converter = try Converter(from: "sse", to: to, options: options)
        var out: [UInt8] = []
        try converter.convert(u8(Self.openAI), into: &out)
        try converter.finish(into: &out)
        missing = converter.pickMissingCount
        #expect(missing == 2, "the role delta and the usage chunk")
        #expect(converter.skippedCount == 0, "not bad records")
        #expect(converter.recordCount == 2)
    }

    @Test("JSON input, auto-detected input and envelope mode pick too")
    func otherInputs() throws {
        var options = ConversionOptions()
        options.pick = try JSONPointer("/n")
        let ndjson = try convertEveryWay("{\"n\":1}\n{\"m\":2}\n{\"n\":[3]}\n") {
            try Converter(from: "ndjson", to: "ndjson", options: options)
        }
        #expect(ndjson.text == "1\n[3]\n")
        let detected = try convertEveryWay("[{\"n\":\"a\"},{\"n\":{\"x\":null}}]") {
            try Converter(from: "auto", to: "text", options: options)
        }
        #expect(detected.text == "a{\"x\":null}")
        options.mode = .envelope
        options.pick = try JSONPointer("/event")
        let envelope = try convertEveryWay("event: a\ndata: x\n\ndata: y\n\nevent: b\ndata: z\n\n") {
            try Converter(from: "sse", to: "ndjson", options: options)
        }
        #expect(envelope.text == "\"a\"\n\"b\"\n")
    }

    @Test("pick needs a JSON output: with SSE output it is an invalidOptions error naming ConversionOptions.pick")
    func sseOutputRejected() throws {
        var options = ConversionOptions()
        options.pick = try JSONPointer("/a")
        #expect {
            _ = try Converter(from: "ndjson", to: "sse", options: options)
        } throws: { error in
            let e = error as? StreamCodecError
            return e?.code == .invalidOptions && e?.option == "pick" && e?.message.contains("ConversionOptions.pick") == true
        }
    }

    @Test("A pick is on the general path and gives the same records as picking from the fast lane's output")
    func agreesWithUnpicked() throws {
        var input = ""
        for i in 0..<300 { input += i % 3 == 0 ? "data: {\"x\":\(i)}\n\n" : "data: {\"v\":{\"k\":[\(i),\"s\(i)\"]}}\n\n" }
        let plain = try convert(u8(input)) { try Converter(from: "sse", to: "ndjson") }
        var expected = ""
        for line in plain.text.split(separator: "\n") {
            let record = try Record.json(String(line))
            if let value = try JSONPointer("/v/k/1").value(in: record.data) { expected += String(decoding: value, as: UTF8.self) + "\n" }
        }
        var options = ConversionOptions()
        options.pick = try JSONPointer("/v/k/1")
        let picked = try convertEveryWay(input, chunkings: [.bytewise(input.utf8.count), .randomCuts(input.utf8.count, seed: 7)]) {
            try Converter(from: "sse", to: "ndjson", options: options)
        }
        #expect(picked.text == expected)
        #expect(expected.split(separator: "\n").count == 200)
    }
}
