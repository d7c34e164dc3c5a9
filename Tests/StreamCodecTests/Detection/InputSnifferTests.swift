// InputSniffer (Sources/StreamCodecCore/Detection/InputSniffer.swift): what the first bytes of
// an input look like. Magic numbers from RFC 1952 (gzip), RFC 8878 (zstd), the bzip2, xz and
// zip formats; BOMs from Unicode section 23.8; UTF-8 well-formedness from Unicode Table 3-7.
import Testing

@testable import StreamCodecCore

@Suite("Input sniffing: what the start of an input looks like")
struct InputSnifferTests {
    static func kind(_ bytes: [UInt8], whole: Bool = true) -> InputSniffer.Kind {
        InputSniffer.classify(bytes, isWholeInput: whole).kind
    }
    static func kind(_ text: String, whole: Bool = true) -> InputSniffer.Kind { kind(u8(text), whole: whole) }

    static func utf16(_ text: String, bigEndian: Bool, bom: Bool = false) -> [UInt8] {
        var out: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            let hi = UInt8(unit >> 8)
            let lo = UInt8(unit & 0xFF)
            out += bigEndian ? [hi, lo] : [lo, hi]
        }
        return out
    }

    @Test(
        "SSE: a first line that is a known field or a comment, after blank lines and a BOM",
        arguments: [
            "data: {\"a\":1}\n\n", "event: x\ndata: 1\n\n", ": keep-alive\n\n", "id: 7\n\n", "retry: 100\n\n",
            "\n\n\r\ndata\n\n", "\u{FEFF}data: x\n\n", "data:x",
        ])
    func sse(_ text: String) {
        #expect(Self.kind(text) == .sse)
    }

    @Test("NDJSON: a JSON text alone on its first line, and another text on a later line")
    func ndjson() {
        #expect(Self.kind("{\"a\":1}\n{\"a\":2}\n") == .ndjson)
        #expect(Self.kind("{\"model\":\"m\",\"message\":{\"content\":\"}\"}}\r\n\n{\"done\":true}\n") == .ndjson)
        #expect(Self.kind("1\n2\n3\n") == .ndjson)
        #expect(Self.kind("\"a\"\n\"b\"\n") == .ndjson)
        #expect(Self.kind("true\nnull\n") == .ndjson)
    }

    @Test("A JSON document: one text (an API error body), or one spread over several lines, or cut by the sample")
    func jsonDocument() {
        #expect(Self.kind("{\"error\": {\"message\": \"Incorrect API key\", \"type\": \"invalid_request_error\"}}") == .jsonDocument)
        #expect(Self.kind("{\"error\": {\"message\": \"x\"}}\n") == .jsonDocument)
        #expect(Self.kind("{\n  \"a\": 1\n}\n{\n  \"b\": 2\n}\n") == .jsonDocument)
        #expect(Self.kind("{\"a\": \"" + String(repeating: "x", count: 5000), whole: false) == .jsonDocument)
    }

    @Test("A JSON array and a JSON text sequence")
    func arrayAndSeq() {
        #expect(Self.kind("[{\"a\":1},\n{\"a\":2}]") == .jsonArray)
        #expect(Self.kind("\u{1E}{\"a\":1}\n") == .jsonSeq)
    }

    @Test("Compressed data by its magic number")
    func compressed() {
        #expect(Self.kind([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00]) == .gzip)
        #expect(Self.kind([0x28, 0xB5, 0x2F, 0xFD, 0x04, 0x00]) == .zstd)
        #expect(Self.kind(u8("BZh91AY&SY")) == .bzip2)
        #expect(Self.kind([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00]) == .xz)
        #expect(Self.kind([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]) == .zip)
        #expect(Self.kind(u8("BZh is not bzip2 without its block size")) == .text)
    }

    @Test("UTF-16 by its BOM, and without one by the NULs of ASCII text", arguments: [false, true])
    func utf16(bigEndian: Bool) {
        let expected: InputSniffer.Kind = bigEndian ? .utf16BE : .utf16LE
        #expect(Self.kind(Self.utf16("data: {\"a\":1}\n\n", bigEndian: bigEndian)) == expected)
        #expect(Self.kind(Self.utf16("{\"a\":1}\n", bigEndian: bigEndian, bom: true)) == expected)
        #expect(Self.kind(Self.utf16("{\"caf\u{E9}\":1}\n", bigEndian: bigEndian)) == expected)
    }

    @Test("Latin-1: not UTF-8, its high bytes letters among printable ASCII")
    func latin1() {
        #expect(Self.kind([UInt8](u8("{\"n\":\"caf")) + [0xE9] + u8(" au lait\"}\n")) == .latin1)
        #expect(Self.kind([UInt8](u8("data: Gr")) + [0xFC, 0xDF] + u8("e aus M") + [0xFC] + u8("nchen\n\n")) == .latin1)
    }

    @Test("A UTF-8 sequence cut by the end of the sample is not ill-formed; cut by the end of the input it is")
    func cutSequence() {
        let text = u8("{\"a\":\"caf") + [0xC3]
        #expect(Self.kind(text, whole: false) == .jsonDocument)
        #expect(Self.kind(text, whole: true) == .latin1) // 0xC3 alone is Latin-1's Ã
    }

    @Test(
        "HTML and XML",
        arguments: [
            ("<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>", InputSniffer.Kind.html),
            ("\n  <html><head><title>Error</title></head></html>", .html),
            ("<?xml version=\"1.0\"?><error>x</error>", .xml),
        ])
    func markup(text: String, expected: InputSniffer.Kind) {
        #expect(Self.kind(text) == expected)
    }

    @Test("Binary: NUL bytes, many control characters, or bytes that are no text encoding")
    func binary() {
        #expect(Self.kind([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]) == .binary)
        var rng = SplitMix64(seed: 42)
        let random = (0..<2048).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        #expect(Self.kind(random) == .binary)
        #expect(Self.kind([0x01, 0x02, 0x03, 0x04, 0x41, 0x42]) == .binary)
        #expect(Self.kind([0x80, 0x81, 0x82, 0x83, 0x84, 0x85]) == .binary) // not Latin-1 text either
    }

    @Test("Empty and blank input; other UTF-8 text")
    func emptyAndText() {
        #expect(Self.kind([]) == .empty)
        #expect(Self.kind(" \n\r\n\t") == .empty)
        #expect(Self.kind("hello: world\nthis is not SSE\n") == .text)
        #expect(Self.kind("Internal Server Error") == .text)
        #expect(Self.kind("datagram: 1\n") == .text) // "datagram" is not the field "data"
    }

    @Test("The excerpt is printable, at most the asked length, control characters escaped")
    func excerpt() {
        let result = InputSniffer.classify(u8("{\"a\":\t1}\r\n\u{1B}[0m") + [0xFF], isWholeInput: true, excerptLength: 200)
        #expect(result.excerpt == "{\"a\":\\t1}\\r\\n\\u{1b}[0m\u{FFFD}")
        let long = InputSniffer.classify(u8(String(repeating: "x", count: 500)), isWholeInput: true, excerptLength: 10)
        #expect(long.excerpt == "xxxxxxxxxx...")
        #expect(InputSniffer.classify([1, 2, 3], isWholeInput: true).firstBytes == [1, 2, 3])
    }

    @Test("Only the first sampleSize bytes are looked at")
    func sampleBound() {
        let input = u8("{\"a\":1}\n") + [UInt8](repeating: 0x20, count: 10_000) + [0x00, 0x00]
        #expect(Self.kind(input, whole: false) == .jsonDocument) // the NULs are beyond the sample
    }
}
