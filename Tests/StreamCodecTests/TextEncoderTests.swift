// The text output (Formats/Text/TextEncoder.swift): a JSON string (RFC 8259 section 7) written
// unescaped as UTF-8, surrogate pairs joined and a lone surrogate as U+FFFD; any other value as
// its minified JSON text; the separator after each record.
import Testing

@testable import StreamCodecCore

@Suite("Text output: each record's value raw")
struct TextEncoderTests {
    static func text(_ json: String, separator: String = "") throws -> [UInt8] {
        var encoder = TextEncoder(separator: separator)
        var out: [UInt8] = []
        try encoder.encode(try Record.json(json), into: &out)
        return out
    }

    @Test(
        "A JSON string is written unescaped: every short escape, \\u escapes, surrogate pairs, raw UTF-8",
        arguments: [
            (#""plain""#, "plain"), (#""""#, ""), (#""a\"b\\c\/d""#, "a\"b\\c/d"),
            (#""\b\f\n\r\t""#, "\u{8}\u{C}\n\r\t"), (#""\u0041\u00e9\u00E9\u4e2d""#, "Aéé中"),
            (#""\ud83d\ude00 😀""#, "😀 😀"), (#""\u0000""#, "\u{0}"), (#""京都🏯""#, "京都🏯"),
            (#""x\u2028y""#, "x\u{2028}y"),
        ])
    func strings(json: String, expected: String) throws {
        #expect(try Self.text(json) == Array(expected.utf8))
    }

    @Test(
        "A lone surrogate escape, which UTF-8 cannot carry, is written as U+FFFD",
        arguments: [
            (#""\ud83d""#, "\u{FFFD}"), (#""\ude00x""#, "\u{FFFD}x"), (#""\ud83d\u0041""#, "\u{FFFD}A"),
            (#""a\ud83d\ud83d\ude00""#, "a\u{FFFD}😀"),
        ])
    func loneSurrogates(json: String, expected: String) throws {
        #expect(try Self.text(json) == Array(expected.utf8))
    }

    @Test(
        "Any other value is its minified JSON text",
        arguments: [
            ("12", "12"), ("-0.50e+3", "-0.50e+3"), ("true", "true"), ("null", "null"),
            (#"{ "a" : [ 1 , "\n" ] }"#, #"{"a":[1,"\n"]}"#), ("[ ]", "[]"),
        ])
    func otherValues(json: String, expected: String) throws {
        #expect(try Self.text(json) == Array(expected.utf8))
    }

    @Test("The separator follows every record, the last one too")
    func separator() throws {
        var encoder = TextEncoder(separator: "\n--\0")
        var out: [UInt8] = []
        for json in [#""a""#, "1", #""""#] { try encoder.encode(try Record.json(json), into: &out) }
        #expect(out == Array(("a\n--\0" + "1\n--\0" + "\n--\0").utf8))
        try encoder.finish(into: &out)
        #expect(out.count == 14, "nothing at the end")
    }

    @Test("Only JSON records can be written: an event is an unencodable error")
    func eventsRejected() {
        var encoder = TextEncoder()
        var out: [UInt8] = []
        #expect(throws: StreamCodecError.self) { try encoder.encode(.event(data: "x"), into: &out) }
    }

    @Test("The registry knows text and raw, writes only, family JSON, text/plain with its charset")
    func registered() throws {
        let text = try #require(FormatRegistry.standard.format(named: "raw"))
        #expect(text.name == "text")
        #expect(FormatRegistry.standard.format(named: "TEXT/PLAIN")?.name == "text")
        #expect(FormatRegistry.standard.format(named: "text/plain; charset=utf-8")?.name == "text")
        #expect(text.mimeTypes.first == "text/plain; charset=utf-8")
        #expect(text.makeDecoder == nil && text.makeEncoder != nil)
        #expect(text.family == .json)
        #expect(throws: StreamCodecError.self) { _ = try Converter(from: "text", to: "ndjson") }
    }

    @Test("NDJSON to text with CodecOptions.textSeparator, whatever the split")
    func converted() throws {
        var options = ConversionOptions()
        options.codec.textSeparator = "\n"
        let input = "\"a\\tb\"\n{\"x\": \"\\u00e9\"}\n\"\\ud83c\\udf38\"\n42\n"
        let result = try convertEveryWay(input) { try Converter(from: "ndjson", to: "text", options: options) }
        #expect(result.text == "a\tb\n{\"x\":\"\\u00e9\"}\n🌸\n42\n")
    }
}
