import StreamCodec
// The record-size limit (DecodingDriver maxRecordBytes), per the contract:
// - SSE: the bytes of a block's lines (comments included, line ends not counted), from its
//   first line to the blank line;
// - NDJSON: a line's bytes without its LF;
// - stream+json: a text's bytes from its first to its last byte.
// A record of exactly the limit passes, one byte more is .recordTooLarge, whatever the split.
// Memory stays bounded: the driver never buffers more than the limit plus one appended chunk.
import Testing

/// Decodes with every chunking under `limit` (error offsets may depend on the split).
private func limited<D: StreamDecoder>(
    _ input: String, limit: Int, sourceLocation: SourceLocation = #_sourceLocation,
    chunkings: [Chunking]? = nil, _ make: () -> D
) -> Decoded {
    decodeEveryWay(
        u8(input), maxRecordBytes: limit, compareErrorOffsets: false, chunkings: chunkings,
        sourceLocation: sourceLocation, make
    ).0
}

private func x(_ n: Int) -> String { String(repeating: "x", count: n) }

@Suite("Record-size limit")
struct RecordLimitTests {
    // MARK: SSE

    @Test("SSE: a one-line block of exactly the limit passes, one byte more fails", arguments: [16, 64, 100])
    func sseOneLine(limit: Int) {
        let exact = "data: " + x(limit - 6) // 6 = "data: "
        let ok = limited(exact + "\n\n" + exact + "\r\n\r\n", limit: limit) { SSEDecoder() }
        #expect(ok.texts == [x(limit - 6), x(limit - 6)])
        #expect(ok.error == nil)
        let over = limited("data: a\n\n" + exact + "x\n\ndata: b\n\n", limit: limit) { SSEDecoder() }
        #expect(over.texts == ["a"])
        #expect(over.error?.code == .recordTooLarge)
        #expect(over.error?.line == 3)
    }

    @Test("SSE: every line of a block counts, comments and unknown fields included, line ends not")
    func sseBlockCountsAllLines() {
        // 8 ("event: e") + 4 (": c ") + 7 ("foo: ba") + 7 ("data: 1") = 26 bytes of lines,
        // with LF, CRLF or CR line ends (which are not counted).
        for end in ["\n", "\r\n", "\r"] {
            let block = ["event: e", ": c ", "foo: ba", "data: 1"].joined(separator: end) + end + end
            let ok = limited(block, limit: 26) { SSEDecoder() }
            #expect(ok.records == [.event(data: "1", event: "e")], "line end \(end.debugDescription)")
            #expect(ok.error == nil)
            let over = limited(block, limit: 25) { SSEDecoder() }
            #expect(over.records.isEmpty)
            #expect(over.error?.code == .recordTooLarge, "line end \(end.debugDescription)")
            #expect(over.error?.line == 1)
        }
    }

    @Test("SSE: the limit is per block: blocks below it pass even when the stream is far larger")
    func ssePerBlock() {
        let block = "data: " + x(10) + "\n\n" // 16 bytes of lines
        let result = limited(
            String(repeating: block, count: 50), limit: 16,
            chunkings: [.bytewise(50 * 18), .randomSmallPieces(50 * 18, seed: 5)]
        ) { SSEDecoder() }
        #expect(result.records.count == 50)
        #expect(result.error == nil)
    }

    @Test("SSE: a block of many short data lines over the limit fails though every line is short")
    func sseManyLines() {
        let lines = String(repeating: "data: x\n", count: 4) // 4 x 7 = 28 bytes
        #expect(limited(lines + "\n", limit: 28) { SSEDecoder() }.texts == ["x\nx\nx\nx"])
        #expect(limited(lines + "\n", limit: 27) { SSEDecoder() }.error?.code == .recordTooLarge)
    }

    @Test("SSE: the BOM and blank lines between blocks do not count")
    func sseBOMNotCounted() {
        let result = decodeEveryWay(
            [0xEF, 0xBB, 0xBF] + u8("\n\n\ndata: 1234\n\n"), maxRecordBytes: 10,
            compareErrorOffsets: false
        ) { SSEDecoder() }.0
        #expect(result.texts == ["1234"])
        #expect(result.error == nil)
    }

    @Test("SSE: kept comments count like any line")
    func sseKeptComment() {
        #expect(limited(": 123456\n\n", limit: 8) { SSEDecoder(options: .init(keepComments: true)) }.records == [.comment("123456")])
        #expect(limited(": 1234567\n\n", limit: 8) { SSEDecoder(options: .init(keepComments: true)) }.error?.code == .recordTooLarge)
    }

    // MARK: NDJSON

    @Test("NDJSON: a line of exactly the limit passes, one byte more fails", arguments: [8, 33])
    func ndjsonLine(limit: Int) {
        let exact = "\"" + x(limit - 2) + "\""
        let ok = limited("1\n" + exact + "\n" + exact, limit: limit) { NDJSONDecoder() } // also unterminated last line
        #expect(ok.texts == ["1", exact, exact])
        #expect(ok.error == nil)
        let over = limited("1\n" + exact + " \n2\n", limit: limit) { NDJSONDecoder() }
        #expect(over.texts == ["1"])
        #expect(over.error?.code == .recordTooLarge)
        #expect(over.error?.line == 2)
        let overAtEnd = limited("1\n" + exact + " ", limit: limit) { NDJSONDecoder() }
        #expect(overAtEnd.texts == ["1"])
        #expect(overAtEnd.error?.code == .recordTooLarge)
    }

    @Test("NDJSON: the CR of a CRLF line end and whitespace around the text count; the LF does not")
    func ndjsonCRCounts() {
        #expect(limited("[1]\r\n", limit: 4) { NDJSONDecoder() }.texts == ["[1]"])
        #expect(limited("[1]\r\n", limit: 3) { NDJSONDecoder() }.error?.code == .recordTooLarge)
        #expect(limited(" [1] \n", limit: 5) { NDJSONDecoder() }.texts == ["[1]"])
        #expect(limited(" [1] \n", limit: 4) { NDJSONDecoder() }.error?.code == .recordTooLarge)
    }

    // MARK: stream+json

    @Test(
        "stream+json: a text of exactly the limit passes, one byte more fails; whitespace between texts does not count",
        arguments: [8, 40])
    func streamJSONText(limit: Int) {
        let exact = "[\"" + x(limit - 4) + "\"]"
        let input = "  \n" + exact + "\n\n   " + exact + "   "
        let ok = limited(input, limit: limit) { StreamJSONDecoder() }
        #expect(ok.texts == [exact, exact])
        #expect(ok.error == nil)
        let overInput = "1 [\"" + x(limit - 3) + "\"]"
        let over = limited(overInput, limit: limit) { StreamJSONDecoder() }
        #expect(over.texts == ["1"])
        #expect(over.error?.code == .recordTooLarge)
    }

    @Test("stream+json: whitespace inside a text counts (first to last byte)")
    func streamJSONInnerWhitespace() {
        #expect(limited("[ 1 ]", limit: 5) { StreamJSONDecoder() }.texts == ["[1]"])
        #expect(limited("[ 1 ]", limit: 4) { StreamJSONDecoder() }.error?.code == .recordTooLarge)
    }

    @Test("stream+json: a top-level number of exactly the limit passes (the delimiter after it does not count)")
    func streamJSONNumber() {
        let input = "12345678 12345678"
        #expect(limited(input, limit: 8) { StreamJSONDecoder() }.texts == ["12345678", "12345678"])
        #expect(limited("123456789 ", limit: 8) { StreamJSONDecoder() }.error?.code == .recordTooLarge)
    }

    // MARK: Memory stays bounded

    /// Appends `pattern` repeated to 10 MB in `chunk`-byte appends under a 64 KiB limit;
    /// returns the error and the most the driver (and decoder) held at once.
    private static func feedEndless<D: StreamDecoder>(
        prefix: [UInt8], pattern: [UInt8], chunk: Int = 4096,
        _ decoder: D
    ) -> (StreamCodecError?, maxBuffered: Int, maxHeld: Int, fed: Int) {
        let limit = 64 * 1024
        var driver = DecodingDriver(decoder: decoder, maxRecordBytes: limit)
        var piece: [UInt8] = []
        while piece.count < chunk { piece += pattern }
        piece.removeLast(piece.count - chunk)
        var maxBuffered = 0
        var maxHeld = 0
        var fed = 0
        do throws(StreamCodecError) {
            driver.append(prefix)
            fed += prefix.count
            while fed < 10 << 20 {
                driver.append(piece)
                fed += piece.count
                while try driver.next() != nil {}
                maxBuffered = max(maxBuffered, driver.bufferedByteCount)
                maxHeld = max(maxHeld, driver.decoder.heldByteCount)
            }
        } catch {
            return (error, maxBuffered, maxHeld, fed)
        }
        return (nil, maxBuffered, maxHeld, fed)
    }

    @Test("an endless SSE line, NDJSON line or stream+json string throws .recordTooLarge within limit + one chunk")
    func memoryBoundedEndlessLine() {
        let limit = 64 * 1024
        let chunk = 4096
        let cases: [(String, (StreamCodecError?, maxBuffered: Int, maxHeld: Int, fed: Int))] = [
            ("sse", Self.feedEndless(prefix: u8("data: "), pattern: u8("x"), SSEDecoder())),
            ("ndjson", Self.feedEndless(prefix: u8("[\""), pattern: u8("x"), NDJSONDecoder())),
            ("stream-json", Self.feedEndless(prefix: u8("[\""), pattern: u8("x"), StreamJSONDecoder())),
            ("stream-json pretty", Self.feedEndless(prefix: u8("["), pattern: u8("1,\n"), StreamJSONDecoder())),
        ]
        for (name, outcome) in cases {
            #expect(outcome.0?.code == .recordTooLarge, "\(name)")
            #expect(outcome.maxBuffered + outcome.maxHeld <= limit + chunk, "\(name): held \(outcome.maxBuffered) + \(outcome.maxHeld)")
            #expect(outcome.fed <= limit + 2 * chunk, "\(name): fed \(outcome.fed) bytes before the error")
        }
    }

    @Test("an endless SSE block of short lines throws .recordTooLarge; the decoder holds no more than limit + one chunk")
    func memoryBoundedEndlessBlock() {
        let (error, maxBuffered, maxHeld, fed) = Self.feedEndless(prefix: [], pattern: u8("data: 0123456789\n"), SSEDecoder())
        #expect(error?.code == .recordTooLarge)
        #expect(maxBuffered + maxHeld <= 64 * 1024 + 4096)
        #expect(fed <= 64 * 1024 + 2 * 4096)
        let (commentError, _, commentHeld, _) = Self.feedEndless(prefix: [], pattern: u8(": keep-alive\n"), SSEDecoder())
        #expect(commentError?.code == .recordTooLarge) // comments count toward the block
        #expect(commentHeld <= 64 * 1024 + 4096)
    }

    @Test("endless whitespace between stream+json texts is not a record: no error, nothing buffered")
    func endlessWhitespace() {
        let (error, maxBuffered, maxHeld, fed) = Self.feedEndless(prefix: u8("{}"), pattern: u8(" \n"), StreamJSONDecoder())
        #expect(error == nil)
        #expect(fed >= 10 << 20)
        #expect(maxBuffered + maxHeld <= 4096)
    }

    @Test("endless blank lines are not records either: SSE and NDJSON stay within one chunk")
    func endlessBlankLines() {
        let sse = Self.feedEndless(prefix: [], pattern: u8("\r\n"), SSEDecoder())
        #expect(sse.0 == nil)
        #expect(sse.maxBuffered + sse.maxHeld <= 4096)
        let nd = Self.feedEndless(prefix: [], pattern: u8("\n"), NDJSONDecoder())
        #expect(nd.0 == nil)
        #expect(nd.maxBuffered <= 4096)
    }
}
