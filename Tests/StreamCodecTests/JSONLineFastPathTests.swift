// stream+json and RFC 7464 JSON text sequences read a text that is complete on its line (its LF
// arrived) with the non-resumable fast path, and anything else with the resumable scanner. The
// contract (each decoder's header comment) does not depend on which: generated streams with
// broken lines, numbers and literals, BOMs, CRLF, oversized lines and both error policies must
// decode the same whole (fast path) as in every other split (byte by byte never has a whole
// line at a text's start, so it always takes the scanner).
@testable import StreamCodecCore
import StreamCodec
import Testing

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

    @Test("stream-json: whole and split decoding agree", arguments: [16 << 20, 40])
    func streamJSON(limit: Int) {
        var outcomes = Set<String>()
        for input in Self.streams(seed: 7_100, count: 300, rsPrefix: false) {
            let (decoded, _) = decodeEveryWay(input, maxRecordBytes: limit, chunkings: quickChunkings(for: input.count, seed: 7)) { StreamJSONDecoder() }
            outcomes.insert(decoded.error.map { "\($0.code)" } ?? "ok")
        }
        #expect(outcomes.count >= 2, "\(outcomes)")
    }

    @Test("json-seq: whole and split decoding agree", arguments: [16 << 20, 40])
    func jsonSeq(limit: Int) {
        var outcomes = Set<String>()
        for input in Self.streams(seed: 8_100, count: 300, rsPrefix: true) {
            let (decoded, _) = decodeEveryWay(input, maxRecordBytes: limit, chunkings: quickChunkings(for: input.count, seed: 8)) { JSONSeqDecoder() }
            outcomes.insert(decoded.error.map { "\($0.code)" } ?? "ok")
        }
        #expect(outcomes.count >= 2, "\(outcomes)")
    }

    @Test("the fast path's corners: scalars, two texts on a line, an RS inside the line, the limit", arguments: [
        "12\n", "12 \n", "true\nnull\n", "{}{}\n", "{} {}\n", "[1,\n2]\n", "\"a\"\u{1E}\n", "{\"a\":1}\r\n{\"b\":2}\n",
        "1234567890123456\n", "12345678901234567\n", "{\"k\":\"123456789012\"}\n",
    ])
    func corners(_ text: String) {
        decodeEveryWay(text, maxRecordBytes: 16) { StreamJSONDecoder() }
        decodeEveryWay(text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "\u{1E}" + $0 }.joined(separator: "\n"),
                       maxRecordBytes: 16) { JSONSeqDecoder() }
    }
}
