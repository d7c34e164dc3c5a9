import StreamCodec
// A format defined only here -- length-prefixed records: a 4-byte big-endian payload length,
// then the payload (an event's data) -- plugs into the same registry, DecodingDriver and
// Converter as the built-in formats, without any change to the library.
import Testing

/// Decodes `length(4, big-endian) + payload` frames into `.event` records.
struct LengthPrefixedDecoder: StreamDecoder {
    var frames = 0
    mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        guard input.readableCount >= 4 else { return nil }
        let length = input.withReadableBytes { b in Int(b[0]) << 24 | Int(b[1]) << 16 | Int(b[2]) << 8 | Int(b[3]) }
        try input.checkRecordSize(4 + length, line: nil) // known from the header: fail early
        guard input.readableCount >= 4 + length else { return nil }
        let payload = input.withReadableBytes { Array($0[4..<4 + length]) }
        input.consume(4 + length)
        frames += 1
        return .event(data: payload)
    }
    // decodeLast: the protocol's default (leftover bytes are .truncated).
}

/// Encodes events (and JSON texts) as length-prefixed frames; other records carry nothing.
struct LengthPrefixedEncoder: StreamEncoder {
    mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) {
        switch record.kind {
        case .event, .json: output += LengthPrefixed.frame(record.data)
        case .control, .comment: return
        }
    }
}

enum LengthPrefixed {
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        let n = payload.count
        return [UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + payload
    }
    static func frame(_ payload: String) -> [UInt8] { frame(u8(payload)) }

    static let format = Format(
        name: "length-prefixed", aliases: ["lp"], mimeTypes: ["application/x-length-prefixed"],
        family: .eventStream, summary: "4-byte big-endian length + payload",
        makeDecoder: { _ in LengthPrefixedDecoder() }, makeEncoder: { _ in LengthPrefixedEncoder() })

    static var registry: FormatRegistry {
        var registry = FormatRegistry.standard
        registry.register(format)
        return registry
    }
}

@Suite("Pluggability: a format defined in the test")
struct PluggabilityTests {
    @Test("the test format is found by name, alias and MIME type with parameters; not in the standard registry")
    func registered() {
        let registry = LengthPrefixed.registry
        #expect(registry.format(named: "length-prefixed")?.name == "length-prefixed")
        #expect(registry.format(named: "LP")?.name == "length-prefixed")
        #expect(registry.format(named: "Application/X-Length-Prefixed; version=1")?.name == "length-prefixed")
        #expect(registry.format(named: "sse")?.name == "sse") // the standard ones are still there
        #expect(FormatRegistry.standard.format(named: "lp") == nil)
    }

    @Test("its decoder runs in DecodingDriver like any other: same frames whatever the split")
    func decoderThroughDriver() {
        let input = LengthPrefixed.frame("hello") + LengthPrefixed.frame("") + LengthPrefixed.frame("a\nb")
        let (result, decoder) = decodeEveryWay(input) { LengthPrefixedDecoder() }
        #expect(result.records == [.event(data: "hello"), .event(data: ""), .event(data: "a\nb")])
        #expect(decoder.frames == 3)
    }

    @Test("a cut-off frame is .truncated by the protocol's default decodeLast")
    func truncated() {
        let (result, _) = decodeEveryWay(LengthPrefixed.frame("ok") + Array(LengthPrefixed.frame("cut").prefix(5))) {
            LengthPrefixedDecoder()
        }
        #expect(result.texts == ["ok"])
        #expect(result.error?.code == .truncated)
    }

    @Test("the driver's record limit applies to it too")
    func limit() {
        let input = LengthPrefixed.frame("1234") + LengthPrefixed.frame("12345")
        let ok = decodeEveryWay(LengthPrefixed.frame("1234"), maxRecordBytes: 8, compareErrorOffsets: false) { LengthPrefixedDecoder() }.0
        #expect(ok.texts == ["1234"])
        let over = decodeEveryWay(input, maxRecordBytes: 8, compareErrorOffsets: false) { LengthPrefixedDecoder() }.0
        #expect(over.texts == ["1234"])
        #expect(over.error?.code == .recordTooLarge)
        // A header claiming 1 GiB fails at once instead of waiting for (and buffering) it.
        let (huge, _) = decode([0x40, 0, 0, 0, 1, 2, 3], finish: false) { LengthPrefixedDecoder() }
        #expect(huge.error?.code == .recordTooLarge)
    }

    @Test("SSE -> length-prefixed through Converter, looked up by MIME type with parameters, any split")
    func fromSSE() throws {
        let registry = LengthPrefixed.registry
        let input = "data: one\n\n: comment\nid: 1\n\nevent: e\ndata: two\ndata: lines\n\ndata:\n\n"
        let result = try convertEveryWay(input) {
            try Converter(from: "text/event-stream; charset=utf-8", to: "application/x-length-prefixed; v=2", registry: registry)
        }
        #expect(result.error == nil)
        // Data mode between two event-stream formats: events pass (their data framed);
        // the comment is dropped and the control record carries no data for this encoder.
        #expect(result.output == LengthPrefixed.frame("one") + LengthPrefixed.frame("two\nlines") + LengthPrefixed.frame(""))
    }

    @Test("length-prefixed -> SSE and -> NDJSON through Converter, any split")
    func toSSEAndNDJSON() throws {
        let registry = LengthPrefixed.registry
        let input =
            LengthPrefixed.frame("{\"a\": 1}") + LengthPrefixed.frame("x\ny") + LengthPrefixed.frame("[DONE]")
            + LengthPrefixed.frame("after")
        let sse = try convertEveryWay(input) { try Converter(from: "lp", to: "sse", registry: registry) }
        #expect(sse.error == nil)
        #expect(sse.text == "data: {\"a\": 1}\n\ndata: x\ndata: y\n\ndata: [DONE]\n\ndata: after\n\n")

        // To a JSON format the data-mode rules apply as for SSE input: data must be JSON.
        let json = try convertEveryWay(LengthPrefixed.frame("{\"a\": 1}") + LengthPrefixed.frame("[DONE]") + LengthPrefixed.frame("after"))
        {
            try Converter(from: "lp", to: "ndjson", registry: registry)
        }
        #expect(json.error == nil)
        #expect(json.text == "{\"a\":1}\n")
        #expect(json.isStopped)
    }

    @Test("SSE -> length-prefixed -> SSE keeps the data of every event")
    func roundTrip() throws {
        let registry = LengthPrefixed.registry
        let sse = "data: a\ndata:  b\n\ndata:\n\ndata: \u{1F600}\n\n"
        var there = try Converter(from: "sse", to: "lp", registry: registry)
        var framed: [UInt8] = []
        try there.convert(u8(sse), into: &framed)
        try there.finish(into: &framed)
        let back = try convertEveryWay(framed) { try Converter(from: "lp", to: "sse", registry: registry) }
        #expect(back.text == "data: a\ndata:  b\n\ndata\n\ndata: \u{1F600}\n\n")
    }

    @Test("the generic Converter(makeDecoder:transforms:encoder:) accepts the test codecs directly")
    func genericConverter() throws {
        let result = try convertEveryWay(u8("data: x\n\ndata: y\n\n")) {
            Converter(makeDecoder: { SSEDecoder() }, transforms: [], encoder: LengthPrefixedEncoder())
        }
        #expect(result.output == LengthPrefixed.frame("x") + LengthPrefixed.frame("y"))
    }
}
