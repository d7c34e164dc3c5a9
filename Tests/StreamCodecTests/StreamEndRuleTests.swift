// Stream ends (Driver/StreamEnd.swift, Docs/CLI.md "Stream ends"): the done marker, end events
// (ConversionOptions.endEvents), end conditions (ConversionOptions.endWhen: RFC 6901 pointer and
// an RFC 8259 value, compared minified) and the provider presets. An end record is converted,
// then the output ends (the rest of that input is not read); under requireDone an input without
// any of its ends fails with missingEnd. Every case whole, byte at a time and at random splits.
import Testing

@testable import StreamCodecCore

@Suite("Stream ends: markers, end events, end conditions, presets")
struct StreamEndRuleTests {
    static func options(_ change: (inout ConversionOptions) throws -> Void) rethrows -> ConversionOptions {
        var options = ConversionOptions()
        try change(&options)
        return options
    }

    static let anthropic =
        "event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"Hi\"}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
    static let afterEnd = "event: late\ndata: {\"late\":true}\n\ndata: not json at all\n\n"

    @Test(
        "An end event is converted, then the output ends: what follows is not read (not even bad data)",
        arguments: ["ndjson", "sse", "json-array"])
    func endEventStops(to: String) throws {
        let options = Self.options {
            $0.endEvents = ["message_stop"]
            $0.requireDone = true
        }
        let result = try convertEveryWay(Self.anthropic + Self.afterEnd) { try Converter(from: "sse", to: to, options: options) }
        #expect(result.error == nil, "\(result)")
        #expect(result.isStopped)
        #expect(result.text.contains("message_stop"))
        #expect(!result.text.contains("late"))
    }

    @Test("requireDone: an input cut before its end event fails with missingEnd, naming the ends, after every record")
    func endEventRequired() throws {
        let options = Self.options {
            $0.endEvents = ["message_stop"]
            $0.requireDone = true
        }
        let cut = String(Self.anthropic.dropLast(48))
        let result = try convertEveryWay(cut) { try Converter(from: "sse", to: "ndjson", options: options) }
        #expect(result.error?.code == .missingEnd, "\(result)")
        #expect(result.error?.message.contains("[DONE] or event message_stop") == true, "\(result)")
        #expect(result.text == "{\"type\":\"message_start\"}\n{\"type\":\"content_block_delta\",\"delta\":{\"text\":\"Hi\"}}\n")
    }

    @Test("The marker still ends the stream when end events are configured")
    func markerTogether() throws {
        let options = Self.options {
            $0.endEvents = ["message_stop"]
            $0.requireDone = true
        }
        let result = try convertEveryWay("data: [1]\n\ndata: [DONE]\n\ndata: [2]\n\n") {
            try Converter(from: "sse", to: "ndjson", options: options)
        }
        #expect(result.error == nil && result.text == "[1]\n" && result.isStopped, "\(result)")
    }

    @Test("An end event that a filter drops still ends the stream (--only-event with an end)")
    func filteredEnd() throws {
        let options = Self.options {
            $0.endEvents = ["message_stop"]
            $0.requireDone = true
            $0.onlyEvents = ["content_block_delta"]
            $0.pick = try? JSONPointer("/delta/text")
        }
        let result = try convertEveryWay(Self.anthropic + Self.afterEnd) { try Converter(from: "sse", to: "text", options: options) }
        #expect(result.error == nil && result.text == "Hi" && result.isStopped, "\(result)")
    }

    static let ollama =
        "{\"message\":{\"content\":\"a\"},\"done\":false}\n{\"message\":{\"content\":\"b\"},\"done\" : true ,\"total\":1}\n{\"after\":1}\n"

    @Test(
        "An end condition on NDJSON: the done record is written, then --done's [DONE] right after it",
        arguments: [false, true])
    func endWhenNDJSON(append: Bool) throws {
        let options = Self.options {
            $0.endWhen = [try! EndCondition("/done=true")]
            $0.appendDone = append
            $0.requireDone = true
        }
        let result = try convertEveryWay(Self.ollama) { try Converter(from: "ndjson", to: "sse", options: options) }
        #expect(result.error == nil, "\(result)")
        #expect(
            result.text == "data: {\"message\":{\"content\":\"a\"},\"done\":false}\n\n"
                + "data: {\"message\":{\"content\":\"b\"},\"done\":true,\"total\":1}\n\n" + (append ? "data: [DONE]\n\n" : ""))
    }

    @Test(
        "The converter stops at the end record: the rest of the chunk is not converted, later chunks are ignored, finish() writes the ending"
    )
    func stopsMidChunk() throws {
        let options = Self.options {
            $0.endWhen = [try! EndCondition("/done=true")]
            $0.appendDone = true
        }
        var converter = try Converter(from: "ndjson", to: "sse", options: options)
        var out: [UInt8] = []
        try converter.convert(u8(Self.ollama), into: &out)
        #expect(converter.isStopped && converter.sawEnd)
        #expect(!String(decoding: out, as: UTF8.self).contains("after"))
        try converter.convert(u8("{\"more\":1}\n"), into: &out)
        try converter.finish(into: &out)
        #expect(String(decoding: out, as: UTF8.self).hasSuffix("\"total\":1}\n\ndata: [DONE]\n\n"))
    }

    @Test("requireDone with an end condition: JSON input without the done record fails with missingEnd naming it (no [DONE] for JSON)")
    func endWhenRequired() throws {
        let options = Self.options {
            $0.endWhen = [try! EndCondition("/done=true")]
            $0.requireDone = true
        }
        let cut = "{\"done\":false}\n{\"done\":\"true\"}\n{\"done\":1}\n"
        let result = try convertEveryWay(cut) { try Converter(from: "ndjson", to: "ndjson", options: options) }
        #expect(result.error?.code == .missingEnd, "\(result)")
        #expect(result.error?.message == "the input ended without /done=true: the stream may have been cut off", "\(result)")
        #expect(result.text == "{\"done\":false}\n{\"done\":\"true\"}\n{\"done\":1}\n")
    }

    @Test(
        "End conditions compare minified JSON, strings by their characters, numbers as written",
        arguments: [
            ("/a={ \"b\" : [1, 2] }", "{\"a\":{\"b\":[1,2]}}", true), ("/a={\"b\":[1,2]}", "{\"a\":{\"b\":[2,1]}}", false),
            ("/t=\"A\"", "{\"t\":\"\\u0041\"}", true), ("/t=\"\\u0041\"", "{\"t\":\"A\"}", true),
            ("/t=\"A\"", "{\"t\":\"a\"}", false), ("/n=1", "{\"n\":1.0}", false), ("/n=1", "{\"n\":1}", true),
            ("/x=null", "{\"x\":null}", true), ("/x=null", "{}", false), ("/0/k=true", "[{\"k\":true}]", true),
            ("/a=b=1", "{\"a=b\":1}", true), ("/s=\"x=y\"", "{\"s\":\"x=y\"}", true), ("=3", "3", true),
        ])
    func conditions(text: String, json: String, matches: Bool) throws {
        let condition = try EndCondition(text)
        #expect(condition.matches(try Record.json(json)) == matches)
        #expect(condition.matches(.event(data: json)) == matches, "an event whose data is JSON")
    }

    @Test(
        "A malformed end condition is an invalidOptions error saying what is wrong",
        arguments: ["/done", "/done=", "/done=yes", "done=true", "/a~2=1"])
    func malformed(text: String) {
        #expect(throws: StreamCodecError.self) { _ = try EndCondition(text) }
    }

    @Test("An end condition on SSE events: data that is not JSON never matches, JSON data does")
    func endWhenOnEvents() throws {
        let options = Self.options {
            $0.endWhen = [try! EndCondition("/type=\"response.completed\"")]
            $0.requireDone = true
            $0.nonJSON = .string
        }
        let result = try convertEveryWay("data: hello\n\ndata: {\"type\":\"response.completed\"}\n\ndata: [9]\n\n") {
            try Converter(from: "sse", to: "ndjson", options: options)
        }
        #expect(result.error == nil && result.text == "\"hello\"\n{\"type\":\"response.completed\"}\n", "\(result)")
    }

    @Test("Each input has its own end: after one ends, the next is read whole and needs its own")
    func perInput() throws {
        let options = Self.options {
            $0.endWhen = [try! EndCondition("/done=true")]
            $0.requireDone = true
        }
        var converter = try Converter(from: "ndjson", to: "ndjson", options: options)
        var out: [UInt8] = []
        try converter.convert(u8("{\"done\":true}\n[1]\n"), into: &out)
        try converter.finishInput(into: &out)
        converter.startNextInput()
        #expect(!converter.sawEnd)
        try converter.convert(u8("[2]\n{\"done\":true}\n"), into: &out)
        try converter.finishInput(into: &out)
        converter.startNextInput()
        try converter.convert(u8("[3]\n"), into: &out)
        #expect(throws: StreamCodecError.self) { try converter.finish(into: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "{\"done\":true}\n[2]\n{\"done\":true}\n[3]\n")
    }

    @Test("Options: end events need SSE input; requireDone on JSON input needs an end condition; requireDone needs some end")
    func planRules() throws {
        func rejected(_ from: String, _ change: (inout ConversionOptions) -> Void) -> String? {
            var options = ConversionOptions()
            change(&options)
            do {
                _ = try Converter(from: from, to: "ndjson", options: options)
                return nil
            } catch { return error.option }
        }
        #expect(rejected("ndjson") { $0.endEvents = ["x"] } == "endEvents")
        #expect(rejected("ndjson") { $0.requireDone = true } == "requireDone")
        #expect(
            rejected("ndjson") {
                $0.requireDone = true
                $0.endWhen = [try! EndCondition("/d=1")]
            } == nil)
        #expect(
            rejected("sse") {
                $0.requireDone = true
                $0.doneMarker = nil
            } == "requireDone")
        #expect(
            rejected("sse") {
                $0.requireDone = true
                $0.doneMarker = nil
                $0.endEvents = ["x"]
            } == nil)
        #expect(
            rejected("json-array") {
                $0.requireDone = true
                $0.endsAtClose = true
            } == nil)
    }

    @Test("End rules take the general path (they see every record); without them the lane is kept")
    func lane() throws {
        var converter = try Converter(from: "sse", to: "ndjson", options: Self.options { $0.endEvents = ["x"] })
        var out: [UInt8] = []
        try converter.convert(u8("data: [1]\n\nevent: x\ndata: [2]\n\ndata: [3]\n\n"), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "[1]\n[2]\n")
        let options = ConversionOptions()
        let lane = Lane.choose(
            source: .eventStream, target: .json, options: options,
            transforms: try ConversionPlan.transforms(from: .eventStream, to: .json, options: options),
            encoder: JSONLinesEncoder(), doneMarker: Array("[DONE]".utf8))
        if case .general = lane { Issue.record("the plain conversion takes the lane") }
        var ended = options
        ended.endWhen = [try EndCondition("/d=1")]
        let general = Lane.choose(
            source: .eventStream, target: .json, options: ended,
            transforms: try ConversionPlan.transforms(from: .eventStream, to: .json, options: ended),
            encoder: JSONLinesEncoder(), doneMarker: Array("[DONE]".utf8))
        if case .direct = general { Issue.record("an end condition must take the general path") }
    }

    @Test("Presets: what each adds to the options")
    func presets() throws {
        #expect(Self.options { StreamEndPreset.anthropic.apply(to: &$0) }.endEvents == ["message_stop"])
        #expect(
            Self.options { StreamEndPreset.responses.apply(to: &$0) }.endEvents == [
                "response.completed", "response.failed", "response.incomplete",
            ])
        #expect(
            Self.options {
                StreamEndPreset.ollama.apply(to: &$0)
                StreamEndPreset.ollama.apply(to: &$0)
            }.endWhen == [try EndCondition("/done=true")])
        #expect(
            Self.options {
                $0.doneMarker = nil
                StreamEndPreset.openai.apply(to: &$0)
            }.doneMarker == "[DONE]")
        #expect(Self.options { StreamEndPreset.gemini.apply(to: &$0) }.endsAtClose)
    }

    /// The fixture `name`'s input.
    static func fixture(_ name: String, _ file: String) throws -> [UInt8] { try Fixtures.bytes(name, file) }

    @Test(
        "Presets on the recorded fixtures: the whole stream passes requireDone, the stream cut at every record boundary before the end fails",
        arguments: [
            ("openai-chat", "sse", StreamEndPreset.openai), ("anthropic-messages", "sse", .anthropic),
            ("ollama-chat", "ndjson", .ollama),
        ])
    func presetsOnFixtures(name: String, from: String, preset: StreamEndPreset) throws {
        let input = try Self.fixture(name, "input.\(from)")
        var options = Self.options {
            preset.apply(to: &$0)
            $0.requireDone = true
        }
        let whole = try convertEveryWay(input, chunkings: [.bytewise(input.count), .randomCuts(input.count, seed: 5)]) {
            try Converter(from: from, to: "ndjson", options: options)
        }
        #expect(whole.error == nil && whole.isStopped, "\(whole)")
        // Cut at each record boundary (a blank line for SSE, a line feed for NDJSON) before the end.
        let boundary: [UInt8] = from == "sse" ? [0x0A, 0x0A] : [0x0A]
        var cuts: [Int] = []
        var i = 0
        while i + boundary.count <= input.count {
            if Array(input[i..<(i + boundary.count)]) == boundary { cuts.append(i + boundary.count) }
            i += 1
        }
        #expect(cuts.count > 3)
        options.onError = .fail
        for cut in cuts.dropLast() {
            let result = convert(Array(input[..<cut])) { try! Converter(from: from, to: "ndjson", options: options) }
            #expect(result.error?.code == .missingEnd, "cut at \(cut): \(result)")
            #expect(whole.text.hasPrefix(result.text), "every record before the cut is written")
        }
    }

    @Test("gemini: no marker, the closing is the end; a JSON array cut inside still fails (truncated)")
    func gemini() throws {
        let input = try Self.fixture("gemini-stream", "input.json-array")
        let options = Self.options {
            StreamEndPreset.gemini.apply(to: &$0)
            $0.requireDone = true
        }
        let whole = try convertEveryWay(input, chunkings: [.bytewise(input.count)]) {
            try Converter(from: "json-array", to: "ndjson", options: options)
        }
        #expect(whole.error == nil, "\(whole)")
        let cut = convert(Array(input.dropLast(3))) { try! Converter(from: "json-array", to: "ndjson", options: options) }
        #expect(cut.error?.code == .truncated, "\(cut)")
    }
}
