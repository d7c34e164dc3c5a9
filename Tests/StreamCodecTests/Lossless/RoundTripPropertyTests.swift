// Docs/Formats.md, "Envelope mode", Round trips: "SSE to envelope NDJSON to SSE gives the same
// dispatched events (type, data, last event id) and retry values for every input; with
// --comments the comments survive too. NDJSON to SSE to NDJSON gives identical records."
// Exactly, blocks without data included, when asked for (`codec.sseControlBlocks = .standalone`,
// used here); by default the SSE encoder moves a control block's fields into the next event's
// block (Docs/Formats.md, "SSE output rules", tested in SSEEncoderTests).
//
// What a consumer observes is taken from the WHATWG algorithm (HTML 9.2.6) as the SSE decoder
// implements it: each dispatched event's type as a browser reports it (`message` when the block
// set none or an empty one), its data, and the last event id after it; every reconnection time
// set; and (with comments kept) each comment. Inputs: every SSE fixture and a few thousand
// generated adversarial streams; every conversion runs over many chunkings and must agree.
import Foundation
import StreamCodec
import Testing

private func envelopeOptions(
    comments: Bool, data: EnvelopeWrapTransform.DataEncoding = .string,
    incompleteBlock: SSEDecoder.IncompleteBlockPolicy? = nil
) -> ConversionOptions {
    conversionOptions {
        $0.mode = .envelope
        $0.codec.keepComments = comments
        $0.codec.incompleteBlock = incompleteBlock
        $0.envelopeData = data
    }
}

/// The SSE fixture inputs (Fixtures/README.md), read from the package root found from #filePath.
private let sseFixtureNames = Fixtures.cases.filter { $0.from == "sse" }.map(\.name)

/// The data an envelope with `--envelope-data json` gives back: the minified JSON when the data
/// is one JSON object or array, the data itself otherwise.
private func embeddedForm(_ data: [UInt8], maxDepth: Int = 1000) -> [UInt8] {
    guard let first = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }),
        first == 0x7B || first == 0x5B, let minified = try? JSONText.minified(data, maxDepth: maxDepth)
    else { return data }
    return minified
}

/// One envelope object read back with Foundation (an oracle independent of the library's JSON
/// code): its keys and values.
private struct ParsedEnvelope: Decodable, Equatable {
    var event: String?
    var id: String?
    var retry: Decimal? // exact for the generated values (up to 26 digits)
    var data: String?
    var comment: String?
}

/// Checks each envelope line against the record it must come from (Docs/Formats.md, "The envelope
/// schema"): only the allowed keys; event/id/retry exactly when the block set them; data for
/// events (and only for them), the data exactly; comment alone.
private func checkEnvelopes(
    _ ndjson: [UInt8], against records: [Record], label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let lines = String(decoding: ndjson, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    try #require(
        lines.count == records.count, "\(label): \(lines.count) envelopes for \(records.count) records", sourceLocation: sourceLocation)
    for (line, record) in zip(lines, records) {
        let bytes = Data(line.utf8)
        let object = try #require(
            try JSONSerialization.jsonObject(with: bytes) as? [String: Any], "\(label): \(line)", sourceLocation: sourceLocation)
        let parsed = try JSONDecoder().decode(ParsedEnvelope.self, from: bytes)
        var expected = ParsedEnvelope()
        var keys: [String] = []
        switch record.kind {
        case .comment:
            expected.comment = record.text
            keys = ["comment"]
        case .event, .control:
            expected.event = record.event
            expected.id = record.id
            expected.retry = record.retry.map { Decimal(string: $0)! }
            if record.event != nil { keys.append("event") }
            if record.id != nil { keys.append("id") }
            if record.retry != nil { keys.append("retry") }
            if record.kind == .event {
                expected.data = record.text
                keys.append("data")
            }
        case .json:
            Issue.record("an SSE decoder returned a JSON record", sourceLocation: sourceLocation)
        }
        #expect(
            Set(object.keys) == Set(keys) && parsed == expected, "\(label): envelope \(line) for \(record)", sourceLocation: sourceLocation)
        // Keys in the order event, id, retry, data.
        let positions = keys.compactMap { line.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions == positions.sorted(), "\(label): key order in \(line)", sourceLocation: sourceLocation)
    }
}

/// Checks the round trip SSE -> envelope (`via`) -> SSE for one stream, with the chunkings given,
/// and that the envelope stream is a fixed point of envelope -> SSE -> envelope.
private func checkSSERoundTrip(
    _ sse: [UInt8], comments: Bool, data: EnvelopeWrapTransform.DataEncoding = .string,
    incompleteBlock: SSEDecoder.IncompleteBlockPolicy = .discard, via format: String = "ndjson",
    chunkings: (Int) -> [Chunking], backChunkings: ((Int) -> [Chunking])? = nil, label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let wrapOptions = envelopeOptions(comments: comments, data: data, incompleteBlock: incompleteBlock)
    var unwrapOptions = envelopeOptions(comments: false)
    unwrapOptions.codec.sseControlBlocks = .standalone // the exact round trip, blocks without data included
    let envelopes = try convertAllWays(
        sse, from: "sse", to: format, options: wrapOptions, chunkings: chunkings(sse.count),
        sourceLocation: sourceLocation)
    try #require(envelopes.error == nil, "\(label): SSE to envelope \(format) failed: \(envelopes)", sourceLocation: sourceLocation)
    #expect(envelopes.skippedCount == 0, sourceLocation: sourceLocation)
    if format == "ndjson" && data == .string {
        try checkEnvelopes(
            envelopes.output, against: sseRecords(sse, keepComments: comments, incompleteBlock: incompleteBlock),
            label: label, sourceLocation: sourceLocation)
    }

    let backCuts = backChunkings.map { $0(envelopes.output.count) } ?? chunkings(envelopes.output.count)
    let back = try convertAllWays(
        envelopes.output, from: format, to: "sse", options: unwrapOptions,
        chunkings: backCuts, sourceLocation: sourceLocation)
    try #require(
        back.error == nil, "\(label): envelope \(format) to SSE failed: \(back)\nenvelopes: \(envelopes.text)",
        sourceLocation: sourceLocation)
    #expect(back.warnings.isEmpty, "\(label): \(back.warnings)", sourceLocation: sourceLocation)

    // The same observations from the original and from the stream written back.
    let original = browserView(sse, keepComments: comments, incompleteBlock: incompleteBlock)
    let written = browserView(back.output, keepComments: comments)
    #expect(original.error == nil && written.error == nil, "\(label)", sourceLocation: sourceLocation)
    var expected = original.observations
    if data == .json {
        expected = expected.map {
            if case .event(let type, let d, let id) = $0 { return .event(type: type, data: embeddedForm(d), lastEventID: id) }
            return $0
        }
    }
    #expect(
        written.observations == expected,
        "\(label): input \(String(decoding: sse, as: UTF8.self).debugDescription)\nenvelopes \(envelopes.text.debugDescription)\nwritten back \(back.text.debugDescription)",
        sourceLocation: sourceLocation)
    #expect(written.lastEventID == original.lastEventID, "\(label): last event id at the end", sourceLocation: sourceLocation)
    // The written-back SSE ends every block: nothing is left for the end-of-input policy.
    #expect(
        browserView(back.output, keepComments: comments, incompleteBlock: .error).error == nil, "\(label)", sourceLocation: sourceLocation)

    // Envelope -> SSE -> envelope gives the envelopes again, byte for byte.
    let again = try runConverter(back.output, from: "sse", to: format, options: envelopeOptions(comments: comments, data: data))
    #expect(again.error == nil && again.warnings.isEmpty, "\(label): \(again)", sourceLocation: sourceLocation)
    #expect(
        again.output == envelopes.output,
        "\(label): envelopes are not a fixed point:\nfirst  \(envelopes.text.debugDescription)\nsecond \(again.text.debugDescription)",
        sourceLocation: sourceLocation)
}

@Suite("Round trips: SSE -> envelope -> SSE and JSON -> SSE -> JSON")
struct LosslessRoundTripTests {
    // MARK: (a) fixtures

    @Test("the SSE fixtures are what the round-trip tests expect to read")
    func fixturesPresent() throws {
        #expect(
            sseFixtureNames.sorted() == ["anthropic-messages", "openai-chat", "spring-sse-pretty", "sse-crlf-comments", "sse-field-rules"])
        for name in sseFixtureNames {
            let input = try Fixtures.bytes(name, "input.sse")
            #expect(!input.isEmpty)
            // Each fixture dispatches events, so an empty round trip cannot pass unnoticed.
            #expect(browserView(input).observations.contains { if case .event = $0 { return true } else { return false } }, "\(name)")
        }
    }

    @Test(
        "SSE fixture -> envelope NDJSON -> SSE: same events (type, data, last event id), retry values and comments; envelopes are a fixed point",
        arguments: sseFixtureNames, [false, true])
    func fixtureRoundTrip(name: String, comments: Bool) throws {
        let input = try Fixtures.bytes(name, "input.sse")
        // The SSE input also cut in two at every offset when comments are kept; the usual
        // chunkings (whole, bytewise, random) otherwise and for the envelopes.
        let usual: (Int) -> [Chunking] = { Array(Chunking.all(for: $0).dropFirst()) }
        try checkSSERoundTrip(
            input, comments: comments,
            chunkings: comments ? { Array(losslessChunkings(for: $0).dropFirst()) } : usual,
            backChunkings: usual, label: name)
    }

    @Test(
        "SSE fixture -> envelope in every JSON format -> SSE, and with --envelope-data json",
        arguments: sseFixtureNames, ["stream-json", "json-seq", "json-array"])
    func fixtureRoundTripOtherFormats(name: String, format: String) throws {
        let input = try Fixtures.bytes(name, "input.sse")
        let few: (Int) -> [Chunking] = { n in [.bytewise(n), .randomCuts(n, seed: 9), .randomSmallPieces(n, seed: 10)] }
        try checkSSERoundTrip(input, comments: true, via: format, chunkings: few, label: "\(name) via \(format)")
        try checkSSERoundTrip(input, comments: true, data: .json, via: format, chunkings: few, label: "\(name) via \(format), data json")
    }

    @Test("the round trip of a fixture gives back its normalised SSE exactly (expected.sse) when comments are not kept")
    func fixtureWrittenBackIsExpectedSSE() throws {
        for name in sseFixtureNames {
            let input = try Fixtures.bytes(name, "input.sse")
            let envelopes = try runConverter(input, from: "sse", to: "ndjson", options: envelopeOptions(comments: false))
            let back = try runConverter(envelopes.output, from: "ndjson", to: "sse", options: envelopeOptions(comments: false))
            #expect(back.error == nil)
            #expect(back.output == (try Fixtures.bytes(name, "expected.sse")), "\(name): \(back.text.debugDescription)")
        }
    }

    // MARK: (a) generated streams

    @Test("the adversarial generator produces what it claims: every kind of line, line end and ending")
    func generatorCoverage() {
        var all: [UInt8] = []
        var unterminated = 0
        var withoutBlankLine = 0
        for seed in 0..<300 {
            var generator = AdversarialSSE(seed: UInt64(seed))
            let stream = generator.stream()
            all += stream + [0x0A]
            if let last = stream.last, last != 0x0A && last != 0x0D { unterminated += 1 }
            let view = browserView(stream, incompleteBlock: .error)
            if view.error?.code == .truncated { withoutBlankLine += 1 }
        }
        let text = String(decoding: all, as: UTF8.self)
        for needle in ["\r\n", "\r", "data:", "event:", "id:", "retry:", ":", "\u{FEFF}", "\u{0}", "\u{FFFD}", "foo: bar", "12a"] {
            #expect(text.contains(needle), "no \(needle.debugDescription) in the generated streams")
        }
        #expect(unterminated > 20)
        #expect(withoutBlankLine > 20)
    }

    @Test(
        "a few thousand generated adversarial streams survive SSE -> envelope NDJSON -> SSE (events, retry values, last event id, comments)",
        arguments: [false, true], [SSEDecoder.IncompleteBlockPolicy.discard, .dispatch])
    func generatedRoundTrip(comments: Bool, incompleteBlock: SSEDecoder.IncompleteBlockPolicy) throws {
        let base: UInt64 = (comments ? 1_000_000 : 0) + (incompleteBlock == .dispatch ? 500_000 : 0)
        var events = 0
        for i in 0..<600 {
            let seed = base + UInt64(i)
            var generator = AdversarialSSE(seed: seed)
            let stream = generator.stream()
            // The first streams with every chunking (every two-piece split), the rest with a few.
            let chunkings: (Int) -> [Chunking] =
                i < 25
                ? { Array(Chunking.all(for: $0).dropFirst()) }
                : { Array(quickChunkings(for: $0, seed: seed).dropFirst()) }
            try checkSSERoundTrip(
                stream, comments: comments, incompleteBlock: incompleteBlock, chunkings: chunkings,
                label: "seed \(seed)")
            events += browserView(stream, incompleteBlock: incompleteBlock).observations.count
        }
        #expect(events > 1000) // the streams are not trivially empty
    }

    @Test(
        "generated adversarial streams with --envelope-data json: same events with object/array data minified; envelopes are a fixed point",
        arguments: ["ndjson", "json-seq", "json-array", "stream-json"])
    func generatedRoundTripJSONData(format: String) throws {
        for i in 0..<150 {
            let seed = 7_000_000 + UInt64(i)
            var generator = AdversarialSSE(seed: seed)
            let stream = generator.stream()
            try checkSSERoundTrip(
                stream, comments: i % 2 == 0, data: .json, via: format,
                chunkings: { Array(quickChunkings(for: $0, seed: seed).dropFirst()) }, label: "seed \(seed) via \(format)")
        }
    }

    // MARK: (b) JSON -> SSE (data mode) -> JSON

    @Test(
        "NDJSON fixture -> SSE (data mode) -> NDJSON gives identical records",
        arguments: Fixtures.cases.map(\.name))
    func ndjsonFixtureRoundTrip(name: String) throws {
        var inputs = [("expected.ndjson", try Fixtures.bytes(name, "expected.ndjson"))]
        if Fixtures.cases.first(where: { $0.name == name })?.from == "ndjson" {
            inputs.append(("input.ndjson", try Fixtures.bytes(name, "input.ndjson")))
        }
        let expected = try Fixtures.bytes(name, "expected.ndjson")
        for (file, ndjson) in inputs {
            let sse = try convertAllWays(ndjson, from: "ndjson", to: "sse", chunkings: Array(Chunking.all(for: ndjson.count).dropFirst()))
            #expect(sse.error == nil, "\(name)/\(file): \(sse)")
            let back = try convertAllWays(
                sse.output, from: "sse", to: "ndjson", chunkings: Array(Chunking.all(for: sse.output.count).dropFirst()))
            #expect(back.error == nil && back.warnings.isEmpty, "\(name)/\(file): \(back)")
            #expect(back.output == expected, "\(name)/\(file): \(back.text.debugDescription)")
        }
    }

    @Test("the JSON generator's minified form is what NDJSON -> NDJSON writes (the oracle agrees with the converter)")
    func generatedJSONOracle() throws {
        for i in 0..<300 {
            var generator = GeneratedJSON(seed: 50_000 + UInt64(i))
            let (input, minified) = generator.ndjson()
            let run = try runConverter(input, from: "ndjson", to: "ndjson", options: ConversionOptions())
            #expect(
                run.error == nil && run.output == minified,
                "seed \(50_000 + i): \(String(decoding: input, as: UTF8.self).debugDescription) gave \(run)")
        }
    }

    @Test("generated NDJSON -> SSE (data mode) -> NDJSON gives the minified records, every way")
    func generatedJSONRoundTrip() throws {
        var records = 0
        for i in 0..<1500 {
            let seed = 60_000 + UInt64(i)
            var generator = GeneratedJSON(seed: seed)
            let (input, minified) = generator.ndjson()
            let chunkings: (Int) -> [Chunking] =
                i < 40
                ? { Array(Chunking.all(for: $0).dropFirst()) }
                : { Array(quickChunkings(for: $0, seed: seed).dropFirst()) }
            let sse = try convertAllWays(input, from: "ndjson", to: "sse", chunkings: chunkings(input.count))
            #expect(sse.error == nil, "seed \(seed): \(sse)")
            // Each record is exactly one event `data: <minified>` + blank line.
            #expect(sse.text == jsonLines(minified).map { "data: \($0)\n\n" }.joined(), "seed \(seed)")
            let back = try convertAllWays(sse.output, from: "sse", to: "ndjson", chunkings: chunkings(sse.output.count))
            #expect(back.error == nil && back.warnings.isEmpty && !back.isStopped, "seed \(seed): \(back)")
            #expect(
                back.output == minified,
                "seed \(seed): \(String(decoding: input, as: UTF8.self).debugDescription) came back as \(back.text.debugDescription)")
            records += jsonLines(minified).count
        }
        #expect(records > 5000)
    }

    @Test(
        "generated JSON -> SSE -> each JSON format gives the same records in that format's framing",
        arguments: ["stream-json", "json-seq", "json-array"])
    func generatedJSONRoundTripOtherFormats(format: String) throws {
        for i in 0..<200 {
            let seed = 90_000 + UInt64(i)
            var generator = GeneratedJSON(seed: seed)
            let (input, minified) = generator.ndjson()
            let sse = try runConverter(input, from: "ndjson", to: "sse", options: ConversionOptions())
            let back = try convertAllWays(
                sse.output, from: "sse", to: format, chunkings: Array(quickChunkings(for: sse.output.count, seed: seed).dropFirst()))
            #expect(back.error == nil, "seed \(seed): \(back)")
            let lines = jsonLines(minified)
            let framed: String
            switch format {
            case "json-seq": framed = lines.map { "\u{1E}\($0)\n" }.joined()
            case "json-array": framed = lines.isEmpty ? "[]\n" : "[\n" + lines.joined(separator: ",\n") + "\n]\n"
            default: framed = lines.map { $0 + "\n" }.joined()
            }
            #expect(back.text == framed, "seed \(seed)")
        }
    }
}
