import StreamCodec
// Docs/Formats.md, "Bad records (--on-error)": `skip` drops the bad record with a warning
// (`skipped: <why>`, on the record's line), goes on from the next record boundary and counts it;
// an oversized record is discarded as it arrives, never buffered. Where each format resumes:
//   sse          the blank line after the block (an oversized block is dropped whole)
//   ndjson       the next line
//   stream-json  the next line that starts with `{` or `[`
//   json-seq     the next RS (RFC 7464 section 2.3)
//   json-array   the next comma or the closing bracket at the array's own level
// Conversion errors (data that is not JSON, a record SSE cannot carry) are skipped the same way;
// `nonJSON` .skip drops non-JSON event data with a warning, .string writes it as a JSON string.
// Truncated input is never skipped. The driver bounds memory by the record limit plus one chunk.
import Testing

private func skipping(_ configure: (inout ConversionOptions) -> Void = { _ in }) -> ConversionOptions {
    conversionOptions {
        $0.onError = .skip
        configure(&$0)
    }
}

/// Checks a run that skipped records: no error, the expected output, one warning per skip on the
/// given lines (in any order: see `warningsInInputOrder` for the order), each saying it skipped,
/// and the skip count.
private func expectSkips(_ run: LosslessRun, output: String, lines: [Int], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(run.error == nil, "\(run)", sourceLocation: sourceLocation)
    #expect(run.text == output, "\(run)", sourceLocation: sourceLocation)
    #expect(run.skippedCount == lines.count, "\(run)", sourceLocation: sourceLocation)
    #expect(
        run.warnings.compactMap(\.line).sorted() == lines.sorted() && run.warnings.count == lines.count,
        "\(run.warnings)", sourceLocation: sourceLocation)
    #expect(run.warnings.allSatisfy { $0.message.hasPrefix("skipped: ") }, "\(run.warnings)", sourceLocation: sourceLocation)
}

private let x100 = String(repeating: "x", count: 100)

@Suite("Bad records in the middle of streams, skipped")
struct LosslessBadRecordTests {
    // MARK: Decoding errors, per format

    @Test("sse: an oversized block (one long line, or many short ones) is dropped whole; the events around it come out")
    func sseOversized() throws {
        let longLine = "data: 1\n\nevent: big\ndata: \(x100)\ndata: 2\n\ndata: 3\n\n"
        expectSkips(
            try convertAllWays(longLine, from: "sse", to: "ndjson", options: skipping { $0.maxRecordBytes = 64 }),
            output: "1\n3\n", lines: [3])
        let manyLines = "data: 1\n\n" + String(repeating: "data: 123456789\n", count: 8) + "\ndata: 3\n\n"
        expectSkips(
            try convertAllWays(manyLines, from: "sse", to: "ndjson", options: skipping { $0.maxRecordBytes = 64 }),
            output: "1\n3\n", lines: [3])
        // Line numbers after the dropped block stay right: a later bad event is reported on its own line.
        let later = longLine + "data: nope\n\ndata: 4\n\n"
        expectSkips(
            try convertAllWays(later, from: "sse", to: "ndjson", options: skipping { $0.maxRecordBytes = 64 }),
            output: "1\n3\n4\n", lines: [3, 9])
    }

    @Test("sse: an oversized block is skipped the same way in envelope mode and SSE to SSE")
    func sseOversizedOtherOutputs() throws {
        let input = "id: 1\ndata: a\n\ndata: \(x100)\n\nid: 2\ndata: b\n\n"
        expectSkips(
            try convertAllWays(
                input, from: "sse", to: "ndjson",
                options: skipping {
                    $0.maxRecordBytes = 64
                    $0.mode = .envelope
                }),
            output: "{\"id\":\"1\",\"data\":\"a\"}\n{\"id\":\"2\",\"data\":\"b\"}\n", lines: [4])
        expectSkips(
            try convertAllWays(input, from: "sse", to: "sse", options: skipping { $0.maxRecordBytes = 64 }),
            output: "id: 1\ndata: a\n\nid: 2\ndata: b\n\n", lines: [4])
    }

    @Test("ndjson: a bad line, an oversized line and a too-deep line are skipped; decoding resumes on the next line")
    func ndjsonBadLines() throws {
        let input = "1\n{bad\n2\n[1,]\n\"\(x100)\"\n[[[0]]]\n3\n"
        let run = try convertAllWays(
            input, from: "ndjson", to: "ndjson",
            options: skipping {
                $0.maxRecordBytes = 64
                $0.codec.maxDepth = 2
            })
        expectSkips(run, output: "1\n2\n3\n", lines: [2, 4, 5, 6])
    }

    @Test("stream-json: a bad text is skipped up to the next line starting with { or [")
    func streamJSONBadText() throws {
        let oneLine = "{\"a\":1}\n{bad} {\"hidden\":0}\n{\"b\":2}\n[3]\n"
        expectSkips(
            try convertAllWays(oneLine, from: "stream-json", to: "ndjson", options: skipping()),
            output: "{\"a\":1}\n{\"b\":2}\n[3]\n", lines: [2])
        let pretty = "{\n  \"a\": 1\n}\n{\n  \"b\": tru\n}\n{\n  \"c\": 3\n}\n"
        expectSkips(
            try convertAllWays(pretty, from: "stream-json", to: "ndjson", options: skipping()),
            output: "{\"a\":1}\n{\"c\":3}\n", lines: [5])
        let oversized = "{\"a\":1}\n[\"\(x100)\"]\n{\"b\":2}\n"
        expectSkips(
            try convertAllWays(oversized, from: "stream-json", to: "ndjson", options: skipping { $0.maxRecordBytes = 64 }),
            output: "{\"a\":1}\n{\"b\":2}\n", lines: [2])
    }

    @Test("json-seq: a bad record is skipped up to the next RS (RFC 7464 section 2.3)")
    func jsonSeqBadRecord() throws {
        let input = "\u{1E}1\n\u{1E}{bad\n\u{1E}2\n\u{1E}[1,]\n\u{1E}\"\(x100)\"\n\u{1E}3\n"
        expectSkips(
            try convertAllWays(input, from: "json-seq", to: "ndjson", options: skipping { $0.maxRecordBytes = 64 }),
            output: "1\n2\n3\n", lines: [2, 4, 5])
        // A top-level number followed directly by RS may be truncated: a bad record, skipped.
        expectSkips(
            try convertAllWays("\u{1E}1\n\u{1E}2\u{1E}3\n", from: "json-seq", to: "ndjson", options: skipping()),
            output: "1\n3\n", lines: [2])
    }

    @Test("json-array: a bad element is skipped up to the next comma or the closing bracket at the array's level")
    func jsonArrayBadElement() throws {
        let input = "[1,\n{bad},\n2,\n[1,],\n\"\(x100)\",\n{\"k\":[\"a,]\"]},\n3]"
        expectSkips(
            try convertAllWays(input, from: "json-array", to: "ndjson", options: skipping { $0.maxRecordBytes = 64 }),
            output: "1\n2\n{\"k\":[\"a,]\"]}\n3\n", lines: [2, 4, 5])
        // Bad elements holding nested arrays, and strings with commas and brackets, are skipped whole.
        expectSkips(
            try convertAllWays("[1,[2,{bad}],{\"s\":\",]\", bad},3]", from: "json-array", to: "ndjson", options: skipping()),
            output: "1\n3\n", lines: [1, 1])
        // A bad last element: the closing bracket ends it.
        expectSkips(
            try convertAllWays("[1, {bad}]", from: "json-array", to: "ndjson", options: skipping()),
            output: "1\n", lines: [1])
    }

    // MARK: Conversion errors

    @Test("SSE data that is not JSON is skipped on the event's line with onError .skip; the events around it come out")
    func nonJSONSkippedByOnError() throws {
        let input = "data: 1\n\ndata: hello\n\ndata: 2\n\nevent: x\ndata: {bad\n\ndata: 3\n\n"
        let run = try convertAllWays(input, from: "sse", to: "ndjson", options: skipping())
        expectSkips(run, output: "1\n2\n3\n", lines: [3, 7])
        #expect(run.warnings.allSatisfy { $0.message.contains("not JSON") }, "\(run.warnings)")
    }

    @Test("nonJSON .skip drops non-JSON data with a warning each and counts them, without onError .skip")
    func nonJSONSkip() throws {
        let input = "data: 1\n\ndata: hello\n\ndata: 2\n\nevent: x\ndata: {bad\n\ndata: 3\n\n"
        let run = try convertAllWays(input, from: "sse", to: "ndjson", options: conversionOptions { $0.nonJSON = .skip })
        expectSkips(run, output: "1\n2\n3\n", lines: [3, 7])
    }

    @Test("nonJSON .string writes non-JSON data as a JSON string; JSON data stays JSON")
    func nonJSONString() throws {
        let input: [UInt8] = u8("data: 1\n\ndata: hello\n\ndata: a\ndata: \"b\"\n\ndata: x") + [0xFF] + u8("\n\ndata: {\"ok\": true}\n\n")
        let run = try convertAllWays(input, from: "sse", to: "ndjson", options: conversionOptions { $0.nonJSON = .string })
        #expect(run.error == nil && run.warnings.isEmpty && run.skippedCount == 0)
        #expect(run.lines == ["1", "\"hello\"", "\"a\\n\\\"b\\\"\"", "\"x\u{FFFD}\"", "{\"ok\":true}"])
    }

    @Test("without skipping, non-JSON data stops the conversion on the event's line after the records before it")
    func nonJSONFails() throws {
        let run = try convertAllWays("data: 1\n\nevent: x\ndata: hello\n\ndata: 2\n\n", from: "sse", to: "ndjson")
        #expect(run.text == "1\n")
        #expect(run.error?.line == 3)
        #expect(run.skippedCount == 0)
    }

    @Test("a record SSE cannot carry is skipped on its line, in data mode and in envelope mode")
    func unencodableSkipped() throws {
        let mapped = "{\"type\":\"a\"}\n{\"type\":\"b\\nc\"}\n{\"type\":\"d\"}\n"
        expectSkips(
            try convertAllWays(mapped, from: "ndjson", to: "sse", options: skipping { $0.eventFromKey = "type" }),
            output: "event: a\ndata: {\"type\":\"a\"}\n\nevent: d\ndata: {\"type\":\"d\"}\n\n", lines: [2])
        let envelopes = "{\"data\":\"a\"}\n\n{\"id\":\"x\\u0000\",\"data\":\"b\"}\n{\"data\":\"\\ud800\"}\n{\"data\":\"c\"}\n"
        expectSkips(
            try convertAllWays(envelopes, from: "ndjson", to: "sse", options: skipping { $0.mode = .envelope }),
            output: "data: a\n\ndata: c\n\n", lines: [3, 4])
        let array = "[{\"data\":\"a\"},\n{\"event\":\"e\\r\",\"data\":\"b\"},\n{\"data\":\"c\"}]"
        expectSkips(
            try convertAllWays(array, from: "json-array", to: "sse", options: skipping { $0.mode = .envelope }),
            output: "data: a\n\ndata: c\n\n", lines: [2])
    }

    @Test("skips from decoding and from conversion are counted and reported together, in order")
    func mixedSkips() throws {
        let input = "data: 1\n\ndata: \(x100)\n\ndata: nope\n\ndata: 2\n\n"
        expectSkips(
            try convertAllWays(input, from: "sse", to: "ndjson", options: skipping { $0.maxRecordBytes = 64 }),
            output: "1\n2\n", lines: [3, 5])
    }

    // The warnings of one conversion are one report to the user: they should come in input order,
    // and (like everything else) not depend on how the input was split into reads.
    @Test("warnings of decoding skips and conversion skips come in input order, however the input is split")
    func warningsInInputOrder() throws {
        let input = u8("data: 1\n\ndata: \(x100)\n\ndata: nope\n\ndata: 2\n\n")
        let options = skipping { $0.maxRecordBytes = 64 }
        for chunking in [Chunking.whole, .bytewise(input.count)] {
            // Warnings taken after every read, as the CLI does.
            var converter = try Converter(from: "sse", to: "ndjson", options: options)
            var out: [UInt8] = []
            var lines: [Int?] = []
            for piece in chunking.pieces(of: input) {
                try converter.convert(piece, into: &out)
                lines += converter.takeWarnings().map(\.line)
            }
            try converter.finish(into: &out)
            lines += converter.takeWarnings().map(\.line)
            #expect(lines == [3, 5], "\(chunking)")
        }
    }

    @Test("truncated input is never skipped: it is still an error after the records before it")
    func truncatedNotSkipped() throws {
        let ndjson = try convertAllWays("1\n{bad\n2\n{\"a\":", from: "ndjson", to: "ndjson", options: skipping())
        #expect(ndjson.text == "1\n2\n")
        #expect(ndjson.error?.code == .truncated)
        #expect(ndjson.skippedCount == 1)
        let sse = try convertAllWays(
            "data: 1\n\ndata: 2", from: "sse", to: "ndjson", options: skipping { $0.codec.incompleteBlock = .error })
        #expect(sse.text == "1\n")
        #expect(sse.error?.code == .truncated)
        let array = try convertAllWays("[1,{bad},2,{\"a\":", from: "json-array", to: "ndjson", options: skipping())
        #expect(array.text == "1\n2\n")
        #expect(array.error?.code == .truncated)
    }

    /// Input that ends inside an oversized record: the record is skipped as it arrives, but the
    /// input was still cut off, which "is never skipped".
    struct CutOff: Sendable, CustomTestStringConvertible {
        var format: String
        var input: String
        var incompleteBlock: SSEDecoder.IncompleteBlockPolicy?
        var testDescription: String { format }
    }

    static let cutOff: [CutOff] = [
        CutOff(format: "sse", input: "data: 1\n\ndata: \(x100)", incompleteBlock: .error), // no blank line: truncated under .error
        CutOff(format: "ndjson", input: "1\n\"\(x100)", incompleteBlock: nil), // cut off inside a string
        CutOff(format: "stream-json", input: "1\n[\"\(x100)", incompleteBlock: nil), // cut off inside a string
        // No LF after the last text: truncated by default.
        CutOff(format: "json-seq", input: "\u{1E}1\n\u{1E}\"\(x100)\"", incompleteBlock: nil),
        CutOff(format: "json-array", input: "[1,\"\(x100)", incompleteBlock: nil), // the array never closed
    ]

    @Test("input cut off inside a record is a truncated-input error with onError .skip when the record fits the limit", arguments: cutOff)
    func cutOffTruncated(c: CutOff) throws {
        let run = try convertAllWays(
            c.input, from: c.format, to: "ndjson", options: skipping { $0.codec.incompleteBlock = c.incompleteBlock })
        #expect(run.text == "1\n")
        #expect(run.error?.code == .truncated, "\(run)")
    }

    @Test("input cut off inside an oversized record is still a truncated-input error with onError .skip (json-array)")
    func cutOffOversizedJSONArray() throws {
        let c = Self.cutOff.last!
        let run = try convertAllWays(c.input, from: c.format, to: "ndjson", options: skipping { $0.maxRecordBytes = 64 })
        #expect(run.text == "1\n")
        #expect(run.skippedCount == 1)
        #expect(run.error?.code == .truncated, "\(run)")
    }

    @Test(
        "input cut off inside an oversized record is still a truncated-input error with onError .skip",
        arguments: cutOff.dropLast())
    func cutOffOversized(c: CutOff) throws {
        let run = try convertAllWays(
            c.input, from: c.format, to: "ndjson",
            options: skipping {
                $0.maxRecordBytes = 64
                $0.codec.incompleteBlock = c.incompleteBlock
            })
        #expect(run.text == "1\n")
        #expect(run.skippedCount == 1)
        #expect(run.error?.code == .truncated, "\(run)")
    }

    // MARK: Oversized records are not buffered

    /// A stream of `format`: `before` (one good record and the start of the big one), the big
    /// record's filler, `close` (its end), `after` (one more good record); the big record starts
    /// on `line`.
    struct Oversized: Sendable, CustomTestStringConvertible {
        var format: String
        var before: String
        var close: String
        var after: String
        var expected: String
        var line: Int
        var testDescription: String { format }
    }

    static let oversized: [Oversized] = [
        Oversized(format: "sse", before: "data: 1\n\ndata: ", close: "\ndata: more\n\n", after: "data: 2\n\n", expected: "1\n2\n", line: 3),
        Oversized(format: "ndjson", before: "1\n\"", close: "\"\n", after: "2\n", expected: "1\n2\n", line: 2),
        Oversized(format: "stream-json", before: "1\n[\"", close: "\"]\n", after: "{\"b\":2}\n", expected: "1\n{\"b\":2}\n", line: 2),
        Oversized(format: "json-seq", before: "\u{1E}1\n\u{1E}\"", close: "\"\n", after: "\u{1E}2\n", expected: "1\n2\n", line: 2),
        Oversized(format: "json-array", before: "[1,\"", close: "\"", after: ",2]", expected: "1\n2\n", line: 1),
    ]

    @Test(
        "an oversized record in the middle is discarded as it arrives: the driver never holds more than the limit plus one chunk",
        arguments: oversized, [1000, 4096, 7])
    func oversizedNotBuffered(c: Oversized, chunkSize: Int) throws {
        let limit = 4096
        let big = String(repeating: "y", count: 300_000)
        let input = u8(c.before + big + c.close + c.after)
        var maxHeld = 0
        let cuts = Chunking(name: "chunks of \(chunkSize)", cuts: Array(stride(from: chunkSize, to: input.count, by: chunkSize)))
        let run = try runConverter(input, from: c.format, to: "ndjson", options: skipping { $0.maxRecordBytes = limit }, chunking: cuts) {
            converter in
            maxHeld = max(maxHeld, converter.bufferedByteCount)
        }
        #expect(run.error == nil, "\(run)")
        #expect(run.text == c.expected)
        #expect(run.skippedCount == 1)
        #expect(run.warnings.map(\.line) == [c.line])
        #expect(maxHeld <= limit + chunkSize, "held \(maxHeld) bytes")
        #expect(maxHeld > 0)
    }

    @Test("an oversized record in the middle is skipped the same way whatever the split (every chunking agrees)", arguments: oversized)
    func oversizedEveryWay(c: Oversized) throws {
        let input = c.before + String(repeating: "y", count: 150) + c.close + c.after
        let run = try convertAllWays(input, from: c.format, to: "ndjson", options: skipping { $0.maxRecordBytes = 64 })
        #expect(run.error == nil)
        #expect(run.text == c.expected)
        #expect(run.skippedCount == 1 && run.warnings.count == 1)
        #expect(run.warnings.first?.line == c.line)
    }

    @Test(
        "without skipping, an oversized record stops the conversion after the records before it, whatever the split", arguments: oversized)
    func oversizedFails(c: Oversized) throws {
        let input = c.before + String(repeating: "y", count: 150) + c.close + c.after
        let run = try convertAllWays(
            input, from: c.format, to: "ndjson", options: conversionOptions { $0.maxRecordBytes = 64 }, ignoreErrorOffset: true)
        #expect(run.error?.code == .recordTooLarge)
        #expect(run.text == "1\n")
    }
}
