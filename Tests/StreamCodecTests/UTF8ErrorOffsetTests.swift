// RFC 8259 section 8.1: JSON text exchanged between systems must be UTF-8. An ill-formed
// sequence (Unicode Table 3-7) is blamed on its first byte, the lead byte, at that byte's
// offset, whichever decoder reads it and however the input was split (the sequence may begin
// in an earlier read than the byte that breaks it).
import Testing

@testable import StreamCodecCore

@Suite("Invalid UTF-8 is reported at its first byte, in every JSON decoder")
struct UTF8ErrorOffsetTests {
    static let decoders: [(name: String, prefix: [UInt8], suffix: [UInt8], make: @Sendable () -> any StreamDecoder)] = [
        ("ndjson", [], u8("\n"), { NDJSONDecoder() }),
        ("stream-json", [], u8("\n"), { StreamJSONDecoder() }),
        ("json-seq", [0x1E], u8("\n"), { JSONSeqDecoder() }),
        ("json-array", u8("["), u8("]"), { JSONArrayDecoder() }),
    ]

    /// (bytes of a JSON text, the offset of the bad lead byte in it, the byte named).
    static let cases: [(text: [UInt8], offset: Int, byte: String)] = [
        (u8("{\"n\":\"caf") + [0xE9] + u8(" au lait\"}"), 9, "0xE9"), // Latin-1 é: E9 wants two continuation bytes
        (u8("{\"n\":\"caf") + [0xC3] + u8("\"}"), 9, "0xC3"), // a lead byte cut by the closing quote
        (u8("{\"n\":\"a") + [0xED, 0xA0, 0x80] + u8("\"}"), 7, "0xED"), // a UTF-16 surrogate, encoded
        (u8("{\"n\":\"ab") + [0xF0, 0x9F, 0x98] + u8("x\"}"), 8, "0xF0"), // a four-byte sequence cut after three
        (u8("{\"n\":\"a") + [0x80] + u8("\"}"), 7, "0x80"), // a lone continuation byte
    ]

    @Test(
        "The error names the lead byte and its offset, whole, byte by byte and at random splits",
        arguments: 0..<4, 0..<5)
    func leadByte(decoder d: Int, case c: Int) {
        let decoder = Self.decoders[d]
        let example = Self.cases[c]
        let input = decoder.prefix + example.text + decoder.suffix
        let (result, _) = decodeEveryWay(input) { AnyStreamDecoder(decoder.make()) }
        #expect(result.error?.code == .invalidJSON, "\(decoder.name): \(result)")
        #expect(result.error?.byteOffset == decoder.prefix.count + example.offset, "\(decoder.name): \(result)")
        #expect(result.error?.message.contains(example.byte) == true, "\(decoder.name): \(result)")
    }

    @Test("Through the converter's fast lanes too (NDJSON and SSE data to NDJSON)")
    func fastLanes() throws {
        let text = u8("{\"n\":\"caf") + [0xE9] + u8(" au lait\"}")
        let ndjson = try convertEveryWay(text + u8("\n")) { try Converter(from: "ndjson", to: "ndjson") }
        #expect(ndjson.error?.byteOffset == 9)
        #expect(ndjson.error?.message.contains("0xE9") == true)
        let stream = try convertEveryWay(u8("{\"a\":1}\n") + text + u8("\n")) { try Converter(from: "stream-json", to: "sse") }
        #expect(stream.error?.byteOffset == 8 + 9)
        #expect(stream.text == "data: {\"a\":1}\n\n")
    }
}
