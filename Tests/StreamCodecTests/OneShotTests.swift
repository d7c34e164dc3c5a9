import StreamCodec
// The one-shot helpers: a whole buffer converted, or its records listed, in one call, the end
// of input included.
import Testing

@Suite("One-shot helpers")
struct OneShotTests {
    @Test("Converting a whole buffer gives what a converter fed piece by piece gives, the final line without LF included")
    func convertWholeBuffer() throws {
        let input = u8("{\"a\": 1}\n{\"b\": [1, 2]}\n{\"c\": \"last, no LF\"}")
        let once = try Converter.convert(input, from: "ndjson", to: "sse")
        var converter = try Converter(from: "ndjson", to: "sse")
        var streamed: [UInt8] = []
        for byte in input { try converter.convert([byte], into: &streamed) }
        try converter.finish(into: &streamed)
        #expect(once == streamed)
        #expect(String(decoding: once, as: UTF8.self) == "data: {\"a\":1}\n\ndata: {\"b\":[1,2]}\n\ndata: {\"c\":\"last, no LF\"}\n\n")
    }

    @Test("Converting a whole buffer writes the output format's framing, and auto-detects the input")
    func convertFramingAndAuto() throws {
        let out = try Converter.convert(u8("data: {\"a\":1}\n\ndata: [DONE]\n\n"), from: "auto", to: "json-array")
        #expect(String(decoding: out, as: UTF8.self).filter { !$0.isWhitespace } == "[{\"a\":1}]")
    }

    @Test("Converting a whole buffer throws the first bad record's error, with its line")
    func convertThrows() {
        #expect {
            _ = try Converter.convert(u8("{\"a\":1}\n{\"a\":}\n"), from: "ndjson", to: "sse")
        } throws: { error in
            (error as? StreamCodecError)?.code == .invalidJSON && (error as? StreamCodecError)?.line == 2
        }
        #expect(throws: StreamCodecError.self) { _ = try Converter.convert(u8(""), from: "yaml", to: "sse") }
    }

    @Test("All records of a buffer include the one the end of input completes")
    func recordsOfBuffer() throws {
        let records = try NDJSONDecoder().records(in: u8("{\"a\":1}\n{\"a\":2}"))
        #expect(records.map(\.text) == ["{\"a\":1}", "{\"a\":2}"])
        let events = try SSEDecoder().records(in: u8("event: greeting\ndata: hello\n\ndata: cut off"))
        #expect(events.map(\.text) == ["hello"]) // the unterminated block is discarded, as the spec says
        #expect(events.first?.event == "greeting")
    }

    @Test("All records of a buffer by format name, with the codec options")
    func recordsByFormatName() throws {
        var options = CodecOptions()
        options.keepComments = true
        let records = try FormatRegistry.standard.records(in: u8(": hi\ndata: x\n\n"), format: "text/event-stream", options: options)
        #expect(records.map(\.kind) == [.comment, .event])
        #expect(throws: StreamCodecError.self) { _ = try FormatRegistry.standard.records(in: u8("x"), format: "csv") }
    }

    @Test("All records of a buffer respect the record limit")
    func recordsLimit() {
        #expect {
            _ = try NDJSONDecoder().records(in: u8("[\"\(String(repeating: "x", count: 200))\"]\n"), maxRecordBytes: 100)
        } throws: { error in
            (error as? StreamCodecError)?.code == .recordTooLarge
        }
    }
}
