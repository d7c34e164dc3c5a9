// The fast lane's contracts, checked against the general path: an encoder's framing
// (FramingEncoder) is what its encode(_:into:) writes for a JSON record, byte for byte; and a
// decoder of any format that has a direct path (DirectDecoding) gets the lane, with the general
// path's results. The built-in direct paths are checked in SSEFastLaneTests and
// JSONLineFastPathTests.
import Testing

@testable import StreamCodecCore

struct RecordFramingTests {
    private static let texts = [#"{"a":1}"#, "[]", #""x""#, "0", #"{"s":"\u00e9 \n"}"#]

    private func framed(_ encoder: some FramingEncoder) throws -> (encoded: [UInt8], framed: [UInt8]) {
        var encoder = encoder
        var encoded: [UInt8] = []
        var framed: [UInt8] = []
        for text in Self.texts {
            try encoder.encode(try .json(text), into: &encoded)
            RecordFraming.of(encoder)!.write(Array(text.utf8), into: &framed)
        }
        return (encoded, framed)
    }

    @Test("each framing encoder's framing equals what it encodes for JSON records")
    func framingEqualsEncoding() throws {
        #expect(RecordFraming.encoders.count == 3)
        for result in [try framed(JSONLinesEncoder()), try framed(JSONSeqEncoder()), try framed(SSEEncoder())] {
            #expect(result.encoded == result.framed)
            #expect(!result.encoded.isEmpty)
        }
    }

    @Test("an encoder whose framing depends on earlier records has none: the JSON array's commas")
    func arrayHasNoFraming() {
        #expect(!(JSONArrayEncoder() is any FramingEncoder))
        #expect(RecordFraming.of(JSONArrayEncoder()) == nil)
    }
}

/// A plug-in format with a direct path: one JSON text per line after a `> ` marker. Its direct
/// path counts the records it wrote itself.
private struct QuotedLinesDecoder: DirectDecoding {
    nonisolated(unsafe) static var directWrites = 0

    /// The next complete line: its text (without the marker) and its length with the LF.
    private func line(_ input: DecoderInput) -> (text: [UInt8], length: Int)? {
        input.withReadableBytes { bytes in
            guard let lf = bytes.firstIndex(of: 0x0A) else { return nil }
            return (Array(bytes[2..<lf]), lf + 1)
        }
    }

    mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        guard let (text, length) = line(input) else { return nil }
        input.consume(length)
        return try .json(validating: text)
    }

    mutating func decodeDirect(_ input: inout DecoderInput, into output: inout [UInt8], lane: LaneSettings) throws(StreamCodecError)
        -> DirectResult?
    {
        guard let (text, length) = line(input) else { return nil }
        input.consume(length)
        lane.framing.write(text, into: &output)
        Self.directWrites += 1
        return .written
    }
}

extension RecordFramingTests {
    @Test("a registered format whose decoder has a direct path runs the lane, with the general path's output")
    func pluginGetsTheLane() throws {
        var registry = FormatRegistry.standard
        registry.register(
            Format(
                name: "quoted", mimeTypes: ["application/x-quoted"], family: .json, summary: "test",
                makeDecoder: { _ in QuotedLinesDecoder() }, makeEncoder: nil))
        let input = Array("> {\"a\":1}\n> [2]\n".utf8)
        for target in ["ndjson", "json-seq", "sse"] {
            QuotedLinesDecoder.directWrites = 0
            var lane = try Converter(from: "quoted", to: target, registry: registry)
            var out: [UInt8] = []
            try lane.convert(input, into: &out)
            try lane.finish(into: &out)
            #expect(QuotedLinesDecoder.directWrites == 2, "\(target)")
            // The general path: the same decoder without the lane (a filter makes the chain longer).
            var general = Converter(
                makeDecoder: { QuotedLinesDecoder() },
                transforms: try ConversionPlan.transforms(
                    from: .json, to: registry.format(named: target)!.family,
                    options: ConversionOptions()),
                encoder: registry.format(named: target)!.makeEncoder!(CodecOptions()))
            var expected: [UInt8] = []
            QuotedLinesDecoder.directWrites = 0
            try general.convert(input, into: &expected)
            try general.finish(into: &expected)
            #expect(QuotedLinesDecoder.directWrites == 0)
            #expect(out == expected, "\(target)")
            #expect(lane.recordCount == 2)
        }
    }
}
