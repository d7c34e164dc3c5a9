// aws-eventstream through the Converter (Docs/Formats.md, "aws-eventstream"):
// - envelope: aws-eventstream -> envelope NDJSON -> aws-eventstream and envelope -> aws-eventstream
//   -> envelope are identities byte for byte, every header type and non-UTF-8 payloads included;
// - `:message-type` `exception` / `error`: everything before is written, then a `streamError`
//   naming the exception type and message;
// - `bedrockBytes`: Bedrock's `{"bytes": base64}` chunks of Anthropic's events convert to the
//   same NDJSON as Anthropic's own SSE stream (Fixtures/anthropic-messages);
// - auto-detection from a prelude whose CRC-32 matches.
// Every conversion is run whole, a byte at a time and at random splits (`convertEveryWay`).
import Foundation
import Testing

@testable import StreamCodecCore

private func converter(_ from: String, _ to: String, envelope: Bool = false, bedrockBytes: Bool = false) -> () throws -> Converter {
    {
        var options = ConversionOptions()
        if envelope { options.mode = .envelope }
        options.codec.bedrockBytes = bedrockBytes
        return try Converter(from: from, to: to, options: options)
    }
}

private let allTypes: [UInt8] =
    wireHeader("t", 0, []) + wireHeader("f", 1, []) + wireHeader("b", 2, [0xFF]) + wireHeader("s", 3, [0x7F, 0xFF])
    + wireHeader("i", 4, [0x80, 0, 0, 0]) + wireHeader("l", 5, [0, 0, 0, 0, 0, 0, 0, 42]) + wireHeader("by", 6, [0, 2, 0xC3, 0x28])
    + stringHeader(":event-type", "chunk \"q\"\n") + wireHeader("ts", 8, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    + wireHeader("u", 9, Array(0xF0...0xFF))

private let messages: [UInt8] =
    frame(headers: allTypes, payload: Array(#"{"a": [1, 2]}"#.utf8))
    + frame(headers: stringHeader(":event-type", "audio"), payload: [0x00, 0xFF, 0xFE, 0x80]) // not UTF-8
    + frame(headers: [], payload: [])
    + frame(headers: stringHeader("only", "headers"), payload: Array("text, not JSON".utf8))

@Suite("aws-eventstream conversions")
struct AWSEventStreamConversionTests {
    @Test("aws-eventstream -> envelope NDJSON -> aws-eventstream gives the same bytes")
    func throughEnvelope() throws {
        let envelope = try convertEveryWay(messages, converter("aws-eventstream", "ndjson", envelope: true))
        #expect(envelope.error == nil)
        #expect(envelope.text.split(separator: "\n").count == 4)
        #expect(envelope.text.contains(#""data_base64":"AP/+gA==""#))
        #expect(envelope.text.contains(#"{"name":"u","type":"uuid","value":"f0f1f2f3-f4f5-f6f7-f8f9-fafbfcfdfeff"}"#))
        #expect(envelope.text.contains(#"{"name":"i","type":"int","value":-2147483648}"#))
        let back = try convertEveryWay(envelope.output, converter("ndjson", "aws-eventstream", envelope: true))
        #expect(back.error == nil)
        #expect(back.output == messages)
        // And envelope -> aws-eventstream -> envelope.
        let again = try convertEveryWay(back.output, converter("aws-eventstream", "ndjson", envelope: true))
        #expect(again.output == envelope.output)
    }

    @Test(
        "a hand-written envelope gives the message it describes",
        arguments: [
            (#"{"headers":[{"name":":event-type","type":"string","value":"x"}],"data":"{}"}"#, stringHeader(":event-type", "x"), "{}"),
            (#"{"headers":[{"name":"n","type":"bool","value":false}],"data":""}"#, wireHeader("n", 1, []), ""),
            (#"{"headers":[{"name":"n","type":"short","value":-2}],"data_base64":"YQ=="}"#, wireHeader("n", 3, [0xFF, 0xFE]), "a"),
        ])
    func handWritten(json: String, headers: [UInt8], payload: String) throws {
        let out = try convertEveryWay(Array((json + "\n").utf8), converter("ndjson", "aws-eventstream", envelope: true))
        #expect(out.error == nil)
        #expect(out.output == frame(headers: headers, payload: Array(payload.utf8)))
    }

    @Test(
        "a bad envelope header is refused with what is wrong",
        arguments: [
            (#"{"headers":[{"name":"n","type":"byte","value":300}],"data":""}"#, "byte range"),
            (#"{"headers":[{"name":"n","type":"float","value":1}],"data":""}"#, "unknown type"),
            (#"{"headers":[{"name":"n","type":"uuid","value":"xyz"}],"data":""}"#, "uuid"),
            (#"{"headers":[{"name":"","type":"bool","value":true}],"data":""}"#, "1 to 255"),
            (#"{"headers":[],"data":"a","data_base64":"YQ=="}"#, "one payload"),
            (#"{"data_base64":"YQ=="}"#, "needs \"headers\""),
        ])
    func badEnvelope(json: String, says: String) throws {
        let out = try convert(Array((json + "\n").utf8)) { try converter("ndjson", "aws-eventstream", envelope: true)() }
        #expect(out.error?.message.contains(says) == true, "\(String(describing: out.error))")
        #expect(out.output.isEmpty)
    }

    @Test("data mode: payloads are the data, :event-type the SSE event type")
    func dataMode() throws {
        let input = frame(headers: stringHeader(":event-type", "delta"), payload: Array(#"{ "t" : "hi" }"#.utf8))
        #expect(try convertEveryWay(input, converter("aws-eventstream", "ndjson")).text == "{\"t\":\"hi\"}\n")
        #expect(try convertEveryWay(input, converter("aws-eventstream", "sse")).text == "event: delta\ndata: { \"t\" : \"hi\" }\n\n")
        // SSE -> aws-eventstream -> SSE keeps event types and data.
        let sse = Array("event: a\ndata: x\n\ndata: y\n\n".utf8)
        let binary = try convertEveryWay(sse, converter("sse", "aws-eventstream")).output
        #expect(try convertEveryWay(binary, converter("aws-eventstream", "sse")).text == "event: a\ndata: x\n\nevent: message\ndata: y\n\n")
    }

    @Test(
        "an exception or error message: everything before it is written, then an error with its type and message",
        arguments: [
            (
                stringHeader(":message-type", "exception") + stringHeader(":exception-type", "ThrottlingException"),
                #"{"message":"Too many requests"}"#, "exception ThrottlingException: Too many requests"
            ),
            (
                stringHeader(":message-type", "error") + stringHeader(":error-code", "InternalError")
                    + stringHeader(":error-message", "boom"),
                "", "error InternalError: boom"
            ),
        ])
    func exceptions(headers: [UInt8], payload: String, says: String) throws {
        let good = frame(headers: stringHeader(":event-type", "e"), payload: Array("{}".utf8))
        let input = good + frame(headers: headers, payload: Array(payload.utf8)) + good
        for to in ["ndjson", "sse"] {
            let out = try convertEveryWay(input, converter("aws-eventstream", to))
            #expect(out.error?.code == .streamError)
            #expect(out.error?.message.contains(says) == true, "\(String(describing: out.error))")
            #expect(out.text == (to == "ndjson" ? "{}\n" : "event: e\ndata: {}\n\n"))
        }
        // The envelope carries it like any message.
        let envelope = try convertEveryWay(input, converter("aws-eventstream", "ndjson", envelope: true))
        #expect(envelope.error == nil)
        #expect(envelope.text.split(separator: "\n").count == 3)
    }

    @Test("bedrockBytes: Bedrock's chunks of Anthropic's events give the NDJSON of Anthropic's own stream (Fixtures/anthropic-messages)")
    func bedrockMatchesAnthropic() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/anthropic-messages")
        let sse = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent("input.sse")))
        let expected = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent("expected.ndjson")))
        // Wrap each event's data exactly as Bedrock does.
        var records: [Record] = []
        var driver = DecodingDriver(decoder: SSEDecoder(), maxRecordBytes: 1 << 20)
        driver.append(sse[...])
        driver.finishInput()
        while let record = try driver.next() { records.append(record) }
        let bedrock = records.filter { $0.kind == .event }.flatMap { bedrockChunk($0.data) }
        let out = try convertEveryWay(
            bedrock, chunkings: [.whole, .bytewise(bedrock.count), .randomCuts(bedrock.count, seed: 9)],
            converter("aws-eventstream", "ndjson", bedrockBytes: true))
        #expect(out.error == nil)
        #expect(out.text == String(decoding: expected, as: UTF8.self))
        // Without the option the chunks are Bedrock's own objects.
        #expect(try convert(bedrock) { try converter("aws-eventstream", "ndjson")() }.text.hasPrefix(#"{"bytes":""#))
        // SSE output names each event after its "type", as Anthropic does.
        let named = try convert(bedrock) { try converter("aws-eventstream", "sse", bedrockBytes: true)() }.text
        #expect(named.hasPrefix("event: message_start\n"))
    }

    @Test("bedrockBytes: a \"bytes\" member that is not Base64 of JSON is an error")
    func bedrockBad() throws {
        let bad = frame(headers: stringHeader(":event-type", "chunk"), payload: Array(#"{"bytes":"not base64!"}"#.utf8))
        let out = try convertEveryWay(bad, converter("aws-eventstream", "ndjson", bedrockBytes: true))
        #expect(out.error?.message.contains("not Base64") == true)
    }

    @Test("auto-detection: a prelude whose CRC-32 matches is aws-eventstream; a 0 byte without one is not")
    func detection() throws {
        let input = frame(headers: stringHeader(":event-type", "e"), payload: Array(#"{"a":1}"#.utf8))
        let out = try convertEveryWay(input) { try Converter(from: "auto", to: "ndjson") }
        #expect(out.text == "{\"a\":1}\n")
        var notPrelude = input
        notPrelude[8] ^= 0xFF
        let other = try convert(notPrelude) { try Converter(from: "auto", to: "ndjson") }
        #expect(other.output.isEmpty) // read as SSE: no record
        #expect(other.error?.message.contains("aws-eventstream") != true)
    }
}
