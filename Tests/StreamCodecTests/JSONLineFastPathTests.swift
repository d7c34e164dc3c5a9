import StreamCodec
import Testing

// stream+json, RFC 7464 JSON text sequences and streamed arrays read a text (an element) that is
// complete on its line (its LF arrived; for an element, a `,` or `]` may end the line) with the
// non-resumable fast path, and anything else with the resumable scanner. The
// contract (each decoder's header comment) does not depend on which: generated streams with
// broken lines, numbers and literals, BOMs, CRLF, oversized lines and both error policies must
// decode the same whole (fast path) as in every other split (byte by byte never has a whole
// line at a text's start, so it always takes the scanner).
@testable import StreamCodecCore

@Suite("JSON stream formats: texts on one line take the fast path with the same results")
struct JSONLineFastPathTests {
    static func streams(seed: UInt64, count: Int, rsPrefix: Bool) -> [[UInt8]] {
        (0..<count).map { i in
            var generator = GeneratedJSON(seed: seed + UInt64(i))
            let lines = generator.brokenNDJSON()
            guard rsPrefix else { return lines }
            // RS before each line's text (and sometimes a stray RS), as RFC 7464 writes them.
            var out: [UInt8] = []
            var atLineStart = true
            for byte in lines {
                if atLineStart && byte != 0x0A { out.append(0x1E) }
                out.append(byte)
                atLineStart = byte == 0x0A
            }
            return out
        }
    }

    @Test(
        "stream-json and json-seq: whole and split decoding agree",
        arguments: [("stream-json", 16 << 20), ("stream-json", 40), ("json-seq", 16 << 20), ("json-seq", 40)])
    func lineFormats(format: String, limit: Int) {
        var outcomes = Set<String>()
        let isSeq = format == "json-seq"
        for input in Self.streams(seed: isSeq ? 8_100 : 7_100, count: 300, rsPrefix: isSeq) {
            let chunkings = quickChunkings(for: input.count, seed: isSeq ? 8 : 7)
            let decoded =
                isSeq
                ? decodeEveryWay(input, maxRecordBytes: limit, chunkings: chunkings) { JSONSeqDecoder() }.0
                : decodeEveryWay(input, maxRecordBytes: limit, chunkings: chunkings) { StreamJSONDecoder() }.0
            outcomes.insert(decoded.error.map { "\($0.code)" } ?? "ok")
        }
        #expect(outcomes.count >= 2, "\(outcomes)")
    }

    /// A streamed array of generated (sometimes broken) elements, laid out as the servers do:
    /// one element per line with the comma after it or before the next, spaces and CRLF around.
    static func arrays(seed: UInt64, count: Int) -> [[UInt8]] {
        (0..<count).map { i in
            var rng = SplitMix64(seed: seed + UInt64(i))
            var generator = GeneratedJSON(seed: seed + UInt64(i))
            let elements = String(decoding: generator.brokenNDJSON(), as: UTF8.self)
                .split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init).filter { !$0.isEmpty }
            let (open, close) = [("[\n", "\n]"), ("[", "]"), ("[\r\n  ", "\r\n]\r\n"), ("[\n", "]")][rng.below(4)]
            let separator = [",\n", "\n,", " ,\r\n", ",\n\n", ", "][rng.below(5)]
            var text = open + elements.joined(separator: separator) + close
            if rng.below(5) == 0 && !text.isEmpty { text.removeLast() } // cut off
            return Array(text.utf8)
        }
    }

    @Test("json-array: whole and split decoding agree", arguments: [16 << 20, 40])
    func jsonArray(limit: Int) {
        var outcomes = Set<String>()
        for input in Self.arrays(seed: 9_100, count: 300) {
            let (decoded, _) = decodeEveryWay(input, maxRecordBytes: limit, chunkings: quickChunkings(for: input.count, seed: 9)) {
                JSONArrayDecoder()
            }
            outcomes.insert(decoded.error.map { "\($0.code)" } ?? "ok")
        }
        #expect(outcomes.count >= 2, "\(outcomes)")
    }

    @Test(
        "json-array's fast path corners: the delimiter ending the line is not part of the element",
        arguments: [
            "[\n[[1]]]\n", "[\n[1]]\n", "[\n[1,2]\n]\n", "[\n\"a]\",\n\"b,\"\n]", "[\n12,\n13\n]", "[\n12 ,\n]", "[\n,\n]",
            "[\n{\"a\":1}  ]  \n", "[\n1,2,\n3]\n", "[\n]\n", "[\n{}\r\n,{}\r\n]\r\n", "[\n123456789012345678,\n1]",
        ])
    func arrayCorners(_ text: String) {
        decodeEveryWay(text, maxRecordBytes: 16) { JSONArrayDecoder() }
    }

    @Test(
        "the fast path's corners: scalars, two texts on a line, an RS inside the line, the limit",
        arguments: [
            "12\n", "12 \n", "true\nnull\n", "{}{}\n", "{} {}\n", "[1,\n2]\n", "\"a\"\u{1E}\n", "{\"a\":1}\r\n{\"b\":2}\n",
            "1234567890123456\n", "12345678901234567\n", "{\"k\":\"123456789012\"}\n",
        ])
    func corners(_ text: String) {
        decodeEveryWay(text, maxRecordBytes: 16) { StreamJSONDecoder() }
        decodeEveryWay(
            text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "\u{1E}" + $0 }.joined(separator: "\n"),
            maxRecordBytes: 16
        ) { JSONSeqDecoder() }
    }
}
