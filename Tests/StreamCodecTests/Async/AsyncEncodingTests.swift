// Issue 7, requirements 5 and 6 (and 2 for these adapters): `records.encoded(encoder)`
// (Sources/StreamCodec/Async/AsyncEncodedSequence.swift) and `chunks.converted(from:to:options:)`.
//
// References: the encoders and the synchronous `Converter` over the same input, and the
// Fixtures/<case>/expected.<to> files (made by Fixtures/make-expected.py, an independent oracle).
import Foundation
import StreamCodec
import Testing

/// Records of every kind, with fields, multi-line data and non-ASCII text.
let asyncMixedRecords: [Record] = [
    Record.event(data: "hello", event: "greeting", id: "1"),
    Record.event(data: "line 1\nline 2\r\nline 3", retry: 3000),
    try! Record.json(#"{ "k": [1, 2, "é😀"] }"#),
    Record.control(id: "7", retry: 10),
    Record.comment("keep-alive"),
    Record.event(data: "", id: ""),
]

/// JSON records (every JSON encoder accepts only these).
let asyncJSONRecords: [Record] = [
    try! Record.json(#"{"a": 1}"#), try! Record.json("[true, null]"), try! Record.json(#""text""#), try! Record.json("12.50"),
]

/// An encoder by name, as the tests' arguments.
enum AsyncEncoderKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sse
    case ndjson = "ndjson (JSONLinesEncoder)"
    case jsonSeq = "json-seq"
    case jsonArray = "json-array"
    var testDescription: String { rawValue }
    var records: [Record] { self == .sse ? asyncMixedRecords : asyncJSONRecords }

    func run<R>(_ body: (any StreamEncoder & Sendable) async throws -> R) async throws -> R {
        switch self {
        case .sse: return try await body(SSEEncoder(controlBlocks: .standalone)) // every record writes bytes
        case .ndjson: return try await body(JSONLinesEncoder())
        case .jsonSeq: return try await body(JSONSeqEncoder())
        case .jsonArray: return try await body(JSONArrayEncoder())
        }
    }
}

@Suite("Async encoding: one chunk per record, each emitted at once")
struct AsyncEncodingTests {
    // Issue 7, requirement 5: exactly one chunk per record, each equal to what the encoder
    // writes for it; the format's start bytes in the first chunk and its end bytes in the last.
    @Test(
        "encoded(encoder) yields one chunk per record, each what the encoder writes for that record", arguments: AsyncEncoderKind.allCases)
    func oneChunkPerRecord(_ kind: AsyncEncoderKind) async throws {
        func check<E: StreamEncoder & Sendable>(_ encoder: E) async throws {
            let chunks = try await collectAll(ScriptedUpstream(elements: kind.records).encoded(encoder))
            let expected = try syncEncodedChunks(kind.records, encoder)
            #expect(chunks == expected)
            // SSE, NDJSON and json-seq write nothing before or after the records; json-array adds a last chunk.
            #expect(chunks.count == kind.records.count + (kind == .jsonArray ? 1 : 0))
            #expect(!chunks.contains { $0.isEmpty }, "no empty chunk")
        }
        try await kind.run { try await check($0) }
    }

    // Issue 7, requirement 5 (and Fixtures/README.md, json-array encoding: `[`, then for each
    // element `,` if it is not the first + LF + the minified text, then LF + `]` + LF).
    @Test("json-array: the first chunk carries '[' with the first element and the last chunk is the closing bracket")
    func jsonArrayFraming() async throws {
        let chunks = try await collectAll(ScriptedUpstream(elements: asyncJSONRecords).encoded(JSONArrayEncoder())).map {
            String(decoding: $0, as: UTF8.self)
        }
        let texts = asyncJSONRecords.map(\.text)
        #expect(chunks.first == "[\n" + texts[0])
        #expect(Array(chunks.dropFirst().dropLast()) == texts.dropFirst().map { ",\n" + $0 })
        #expect(chunks.last == "\n]\n")
        // The whole output is one JSON array of the records.
        let all = u8(chunks.joined())
        #expect(try Record.json(validating: all) == Record.json("[" + texts.joined(separator: ",") + "]"))
    }

    // Issue 7, requirement 5: an empty stream gives `[]\n` for json-array (and nothing for the
    // formats that frame nothing).
    @Test(
        "An empty record stream encodes to the single chunk '[]\\n' for json-array and to no chunk for the others",
        arguments: AsyncEncoderKind.allCases)
    func emptyStream(_ kind: AsyncEncoderKind) async throws {
        func check<E: StreamEncoder & Sendable>(_ encoder: E) async throws -> [[UInt8]] {
            try await collectAll(ScriptedUpstream<Record>(elements: []).encoded(encoder))
        }
        let chunks = try await kind.run { try await check($0) }
        #expect(chunks == (kind == .jsonArray ? [u8("[]\n")] : []))
    }

    // Issue 7, requirement 5: "each emitted immediately": upstream gives one record and then
    // waits forever; the first chunk must still come.
    @Test("The first record's chunk comes out while upstream waits for the second record", arguments: AsyncEncoderKind.allCases)
    func emitsImmediately(_ kind: AsyncEncoderKind) async throws {
        func check<E: StreamEncoder & Sendable>(_ encoder: E) async throws {
            let probe = UpstreamProbe()
            let upstream = ScriptedUpstream<Record>([.element(kind.records[0]), .hang], probe: probe)
            let first = try await withDeadline("the first chunk (\(kind))") {
                var iterator = upstream.encoded(encoder).makeAsyncIterator()
                return try await iterator.next()
            }
            #expect(first == (try syncEncodedChunks(kind.records, encoder)).first)
            #expect(probe.cancelledWaits == 0, "the chunk came without waiting for the next record")
        }
        try await kind.run { try await check($0) }
    }

    // A record an encoder writes nothing for (an SSE control block that sets neither id nor
    // retry) makes no empty chunk.
    @Test("A record that encodes to nothing yields no chunk, and the next record's chunk follows")
    func emptyEncodingSkipped() async throws {
        let records = [Record.event(data: "a"), Record.control(), Record.event(data: "b")]
        let chunks = try await collectAll(ScriptedUpstream(elements: records).encoded(SSEEncoder()))
        #expect(chunks == [u8("data: a\n\n"), u8("data: b\n\n")])
    }

    // Issue 7, requirement 2, for the encoder: no read-ahead.
    @Test("After the consumer took k chunks, encoded has pulled at most k + 1 records")
    func pullsOnDemand() async throws {
        let probe = UpstreamProbe()
        var iterator = ScriptedUpstream(elements: asyncMixedRecords, probe: probe).encoded(SSEEncoder(controlBlocks: .standalone))
            .makeAsyncIterator() // every record writes bytes
        var k = 0
        while try await iterator.next() != nil {
            k += 1
            await letOthersRun()
            #expect(probe.pulls <= k + 1, "after \(k) chunks, \(probe.pulls) pulls")
        }
        #expect(k == asyncMixedRecords.count)
    }

    // An unencodable record (an event type with a line break) throws after the chunks before it.
    @Test("An unencodable record throws StreamCodecError after the chunks of the records before it")
    func unencodable() async throws {
        let records = [Record.event(data: "a"), Record.event(data: "b", event: "x\ny"), Record.event(data: "c")]
        let (chunks, error) = await drainAll(ScriptedUpstream(elements: records).encoded(SSEEncoder()))
        #expect(chunks == [u8("data: a\n\n")])
        #expect((error as? StreamCodecError)?.code == .unencodable, "\(String(describing: error))")
    }
}

/// One fixture conversion: a case and an output format.
struct FixtureConversion: Sendable, CustomTestStringConvertible {
    var name: String
    var from: String
    var to: String
    var testDescription: String { "\(name): \(from) -> \(to)" }

    static let all: [FixtureConversion] = Fixtures.cases.flatMap { c in
        Fixtures.targets.map { FixtureConversion(name: c.name, from: c.from, to: $0) }
    }
}

@Suite("Async conversion: converted(from:to:) writes what Converter writes")
struct AsyncConversionTests {
    // Issue 7, requirement 6: for every fixture, every output format and every chunking, the
    // async output equals the synchronous Converter's, which equals the expected file.
    @Test(
        "Each fixture converted asynchronously, however it is chunked, gives Converter's output and the expected file",
        arguments: FixtureConversion.all)
    func fixtures(_ conversion: FixtureConversion) async throws {
        let input = try AsyncFixtures.bytes(conversion.name, "input.\(conversion.from)")
        let expected = try AsyncFixtures.bytes(conversion.name, "expected.\(conversion.to)")
        let reference = try syncConversion(input, from: conversion.from, to: conversion.to)
        #expect(reference == expected, "the synchronous Converter gives the expected file")
        for chunking in asyncChunkings(for: input.count) {
            let upstream = ScriptedUpstream(elements: nonEmptyPieces(input, chunking))
            let chunks = try await collectAll(try upstream.converted(from: conversion.from, to: conversion.to))
            let output = chunks.flatMap { $0 }
            #expect(
                output == reference,
                "split as \(chunking): first difference at byte \(Fixtures.firstDifference(output, reference).map(String.init) ?? "-")")
            #expect(!chunks.contains { $0.isEmpty }, "no empty chunk")
            if output != reference { break }
        }
        // Data chunks, and auto-detection, once each.
        let data = Data(input)
        let dataOutput = try await collectAll(
            try ScriptedUpstream(elements: [data.prefix(7), data.dropFirst(7)]).converted(from: conversion.from, to: conversion.to)
        ).flatMap { $0 }
        #expect(dataOutput == reference, "Data chunks")
        let autoOutput = try await collectAll(
            try ScriptedUpstream(elements: nonEmptyPieces(input, .randomSmallPieces(input.count, seed: 4))).converted(
                from: "auto", to: conversion.to)
        ).flatMap { $0 }
        #expect(autoOutput == reference, "from: auto")
    }

    // Issue 7, requirement 6: `[DONE]` stops the output (data mode, SSE -> JSON), even though
    // upstream has not ended: the sequence ends without asking upstream for more.
    @Test("data: [DONE] ends the converted sequence without waiting for upstream to end", arguments: Fixtures.jsonTargets)
    func doneStops(_ target: String) async throws {
        let input = u8("data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n")
        let after = u8("data: {\"c\":3}\n\n")
        let expected = try syncConversion(input + after, from: "sse", to: target)
        #expect(try syncConversion(input, from: "sse", to: target) == expected, "the reference stops at [DONE]")
        for chunking in [Chunking.whole, .bytewise(input.count), .randomCuts(input.count, seed: 9)] {
            let probe = UpstreamProbe()
            let steps: [UpstreamStep<ArraySlice<UInt8>>] =
                nonEmptyPieces(input, chunking).map { .element($0) } + [.element(after[...]), .hang]
            let upstream = ScriptedUpstream(steps, probe: probe)
            let output = try await withDeadline("the end of the converted sequence") {
                try await collectAll(try upstream.converted(from: "sse", to: target)).flatMap { $0 }
            }
            #expect(output == expected, "\(target), split as \(chunking)")
            #expect(probe.cancelledWaits == 0, "the sequence ended without waiting on upstream")
            #expect(probe.delivered == nonEmptyPieces(input, chunking).count, "nothing was pulled after the chunk holding [DONE]")
        }
    }

    // Issue 7, requirement 6: bad options throw when the sequence is made, not later.
    @Test("converted(from:to:options:) throws invalidOptions at construction for options or formats that do not apply")
    func badOptions() throws {
        var eventForJSON = ConversionOptions()
        eventForJSON.eventName = "update" // applies only when the output is SSE
        var requireDoneFromJSON = ConversionOptions()
        requireDoneFromJSON.requireDone = true // applies only when the input is SSE
        let cases: [(String, String, ConversionOptions)] = [
            ("ndjson", "ndjson", eventForJSON), ("ndjson", "sse", requireDoneFromJSON),
            ("no-such-format", "ndjson", ConversionOptions()), ("sse", "text/html", ConversionOptions()),
        ]
        for (from, to, options) in cases {
            let probe = UpstreamProbe()
            let upstream = ScriptedUpstream(elements: [u8("{}\n")], probe: probe)
            let error = #expect(throws: StreamCodecError.self, "\(from) -> \(to)") {
                _ = try upstream.converted(from: from, to: to, options: options)
            }
            #expect(error?.code == .invalidOptions, "\(from) -> \(to)")
            #expect(probe.iteratorsMade == 0, "\(from) -> \(to): upstream untouched")
        }
    }

    // Issue 7, requirement 2, for the converter: after the consumer has received output up to
    // some byte, the chunks pulled are at most what Converter, fed the same chunks, needed to
    // produce that much output, plus one.
    @Test(
        "After the consumer took some output, converted has pulled at most the chunks that output needed plus one",
        arguments: [("openai-chat", "sse", "ndjson"), ("ollama-chat", "ndjson", "sse"), ("gemini-stream", "json-array", "json-array")])
    func pullsOnDemand(_ name: String, _ from: String, _ to: String) async throws {
        let input = try AsyncFixtures.bytes(name, "input.\(from)")
        let pieces = nonEmptyPieces(input, .randomSmallPieces(input.count, seed: 17))
        // Output length after each chunk (and after finish) with the synchronous Converter.
        var converter = try Converter(from: from, to: to)
        var output: [UInt8] = []
        var lengthAfter: [Int] = []
        for piece in pieces {
            try converter.convert(piece, into: &output)
            lengthAfter.append(output.count)
        }
        try converter.finish(into: &output)
        lengthAfter.append(output.count)
        func needed(_ length: Int) -> Int { (lengthAfter.firstIndex { $0 >= length } ?? lengthAfter.count) + 1 }

        let probe = UpstreamProbe()
        var iterator = try ScriptedUpstream(elements: pieces, probe: probe).converted(from: from, to: to).makeAsyncIterator()
        var received = 0
        while let chunk = try await iterator.next() {
            received += chunk.count
            await letOthersRun()
            #expect(
                probe.pulls <= needed(received) + 1,
                "\(received) bytes of output need \(needed(received)) chunks, \(probe.pulls) were pulled")
        }
        #expect(received == output.count)
    }

    // Issue 7, requirement 4, through the converter: the error names line 3.
    @Test("A bad NDJSON line 3 converted to SSE throws StreamCodecError for line 3, for every chunking")
    func badLineConvertedLocated() async throws {
        let input = AsyncDecodingErrorTests.badLine3
        for chunking in asyncChunkings(for: input.count) {
            let (_, error) = await drainAll(
                try ScriptedUpstream(elements: nonEmptyPieces(input, chunking)).converted(from: "ndjson", to: "sse"))
            #expect((error as? StreamCodecError)?.line == 3, "split as \(chunking): \(String(describing: error))")
            #expect((error as? StreamCodecError)?.code == .invalidJSON, "split as \(chunking)")
        }
    }

    /// Error cases for the converter: input, formats, options.
    static let errorCases: [(name: String, input: [UInt8], from: String, to: String, requireDone: Bool)] = [
        ("bad NDJSON line 3", AsyncDecodingErrorTests.badLine3, "ndjson", "sse", false),
        ("SSE without the required [DONE]", u8("data: {\"a\":1}\n\ndata: {\"b\":2}\n\n"), "sse", "json-array", true),
        ("json-array cut off", u8("[{\"a\":1},\n{\"b\":2},\n{\"c\""), "json-array", "ndjson", false),
    ]

    // Issue 7, requirement 4, through the converter: everything the synchronous Converter wrote
    // before its error ("When a call throws, `output` holds every record before the bad one";
    // `finish` throws missingEnd "after the output was completed") reaches the consumer before
    // the error, whatever the chunking.
    //
    // A regression guard: AsyncConvertedSequence's iterator once collected a call's output in a
    // local array and threw without handing it out (the records before a bad line in the same
    // upstream chunk, the closing `]` when `finish` threw). Fixed: that output comes first.
    @Test(
        "The converted sequence delivers, before its error, all the output the synchronous Converter wrote before it",
        arguments: 0..<3)
    func outputBeforeError(_ index: Int) async throws {
        let c = Self.errorCases[index]
        var options = ConversionOptions()
        options.requireDone = c.requireDone
        for chunking in asyncChunkings(for: c.input.count) {
            let reference = try convert(c.input, chunking: chunking) { try Converter(from: c.from, to: c.to, options: options) }
            let referenceError = try #require(reference.error, "\(c.name): the reference fails")
            let (chunks, error) = await drainAll(
                try ScriptedUpstream(elements: nonEmptyPieces(c.input, chunking)).converted(from: c.from, to: c.to, options: options))
            #expect(String(decoding: chunks.flatMap { $0 }, as: UTF8.self) == reference.text, "\(c.name), split as \(chunking)")
            #expect((error as? StreamCodecError)?.code == referenceError.code, "\(c.name), split as \(chunking)")
            #expect((error as? StreamCodecError)?.line == referenceError.line, "\(c.name), split as \(chunking)")
        }
    }
}
