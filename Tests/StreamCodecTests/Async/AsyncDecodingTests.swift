// Issue 7, requirements 1, 2 and 4 for the decoding adapters (Sources/StreamCodec/Async/
// AsyncRecordSequence.swift): `chunks.decodedRecords(decoder)`, `chunks.decodedRecords(format:)`,
// `bytes.decodedRecords(decoder)` and `bytes.chunked()`.
//
// The reference is always the synchronous `DecodingDriver` over the same bytes: the adapters are
// specified as "the same records, pulled asynchronously", so whatever the driver gives (records or
// an error) is what the adapter must give, for every chunking and every chunk type.
import Foundation
import StreamCodec
import Testing

/// One input to decode: a fixture's input file, or a small hand-written stream.
struct AsyncDecodeInput: Sendable, CustomTestStringConvertible {
    /// A decoder key of ``makeDecoderAndRun``: sse, sse+comments, ndjson, json-seq, json-array, stream-json.
    var decoder: String
    var name: String
    var bytes: [UInt8]
    var testDescription: String { "\(name) with \(decoder)" }

    /// Every fixture whose input format has a decoder here, plus SSE fixtures read keeping comments.
    static let fixtures: [AsyncDecodeInput] = Fixtures.cases.flatMap { c -> [AsyncDecodeInput] in
        guard let bytes = try? AsyncFixtures.bytes(c.name, "input.\(c.from)") else { return [] }
        var list = [AsyncDecodeInput(decoder: c.from, name: "Fixtures/\(c.name)/input.\(c.from)", bytes: bytes)]
        if c.from == "sse" { list.append(AsyncDecodeInput(decoder: "sse+comments", name: list[0].name, bytes: bytes)) }
        return list
    }

    /// One small stream per format whose first record is complete before the input ends.
    static let small: [AsyncDecodeInput] = [
        AsyncDecodeInput(decoder: "sse", name: "SSE with CR line ends", bytes: u8("data: one\r\revent: e\rdata: two\r\r")),
        AsyncDecodeInput(decoder: "sse+comments", name: "SSE comment then event", bytes: u8(": hi\ndata: one\n\n")),
        AsyncDecodeInput(decoder: "ndjson", name: "NDJSON", bytes: u8("{\"a\":1}\n[2, 3]\n")),
        AsyncDecodeInput(decoder: "json-seq", name: "json-seq with a number", bytes: u8("\u{1E}12\n\u{1E}{\"a\":1}\n")),
        AsyncDecodeInput(decoder: "json-array", name: "json-array of numbers and literals", bytes: u8("[1, true, {\"a\":null}, \"x\"]")),
        AsyncDecodeInput(decoder: "stream-json", name: "stream-json with a literal", bytes: u8("{\"a\":1}{\"b\":2} true\n")),
    ]
}

/// The concrete decoder for a ``AsyncDecodeInput/decoder`` key.
func makeDecoderAndRun<R>(_ key: String, _ body: (any StreamDecoder & Sendable) async throws -> R) async throws -> R {
    switch key {
    case "sse": return try await body(SSEDecoder())
    case "sse+comments": return try await body(SSEDecoder(options: .init(keepComments: true)))
    case "ndjson": return try await body(NDJSONDecoder())
    case "json-seq": return try await body(JSONSeqDecoder())
    case "json-array": return try await body(JSONArrayDecoder())
    case "stream-json": return try await body(StreamJSONDecoder())
    default:
        Issue.record("unknown decoder \(key)")
        throw UpstreamFailure()
    }
}

/// Decodes `pieces` (as chunks of `type`) with `decoder` through `decodedRecords(_:)`: the
/// records delivered, and the error that ended the iteration, if any.
func decodeAsync<D: StreamDecoder>(_ pieces: [ArraySlice<UInt8>], as type: AsyncChunkType, _ decoder: D) async -> (
    elements: [Record], error: (any Error)?
) {
    switch type {
    case .array:
        return await drainAll(ScriptedUpstream(elements: pieces.map { Array($0) }).decodedRecords(decoder))
    case .arraySlice:
        return await drainAll(ScriptedUpstream(elements: pieces).decodedRecords(decoder))
    case .data:
        // Slices of one Data, so their indices start where they are in the whole input.
        let whole = Data(pieces.flatMap { $0 })
        var start = 0
        var chunks: [Data] = []
        for piece in pieces {
            chunks.append(whole[start..<start + piece.count])
            start += piece.count
        }
        #expect(chunks.count < 2 || chunks[1].startIndex != 0, "the Data chunks are slices whose indices do not start at 0")
        return await drainAll(ScriptedUpstream(elements: chunks).decodedRecords(decoder))
    case .rope:
        var rng = SplitMix64(seed: 99)
        let ropes = pieces.map { ByteRope($0, rng: &rng) }
        #expect(!pieces.contains { $0.count >= 8 } || ropes.contains { $0.parts.count > 1 }, "some chunks are in several parts")
        return await drainAll(ScriptedUpstream(elements: ropes).decodedRecords(decoder))
    }
}

@Suite("Async decoding: decodedRecords gives what DecodingDriver gives")
struct AsyncDecodingTests {
    // Issue 7, requirement 1: any Collection chunk type, every chunking, SSE, NDJSON, json-seq,
    // json-array (and stream-json), equal to the synchronous DecodingDriver.
    @Test(
        "Chunks of every Collection type decode, however the stream is cut, to the records DecodingDriver gives for the whole input",
        arguments: AsyncDecodeInput.fixtures + AsyncDecodeInput.small, AsyncChunkType.allCases)
    func sameRecordsAsDriver(_ input: AsyncDecodeInput, _ type: AsyncChunkType) async throws {
        func run<D: StreamDecoder & Sendable>(_ decoder: D) async throws {
            let reference = syncRecords(input.bytes, decoder)
            #expect(reference.error == nil, "the reference decode of \(input.name) fails: \(String(describing: reference.error))")
            #expect(!reference.records.isEmpty, "\(input.name) holds records")
            for chunking in asyncChunkings(for: input.bytes.count) {
                let (records, error) = await decodeAsync(nonEmptyPieces(input.bytes, chunking), as: type, decoder)
                #expect(error == nil, "\(input.name) split as \(chunking), chunks of type \(type.rawValue)")
                #expect(records == reference.records, "\(input.name) split as \(chunking), chunks of type \(type.rawValue)")
                if records != reference.records || error != nil { break }
            }
        }
        try await makeDecoderAndRun(input.decoder) { try await run($0) }
    }

    @Test("Every fixture input was found (from #filePath) and is in the decoding inputs")
    func fixturesLoaded() {
        let sseCases = Fixtures.cases.filter { $0.from == "sse" }.count
        #expect(!Fixtures.cases.isEmpty)
        #expect(AsyncDecodeInput.fixtures.count == Fixtures.cases.count + sseCases)
    }

    // Issue 7, requirement 1: `decodedRecords(format:)` takes a name, alias or MIME type (such as
    // a response's Content-Type, parameters ignored) and decodes like that format's decoder.
    @Test(
        "decodedRecords(format:) with a format's MIME type decodes like that format's own decoder",
        arguments: [
            ("sse", "text/event-stream; charset=utf-8"), ("ndjson", "application/x-ndjson"),
            ("json-seq", "application/json-seq"), ("json-array", "application/json"),
            ("stream-json", "application/stream+json"),
        ])
    func byFormatName(_ key: String, _ mimeType: String) async throws {
        for input in (AsyncDecodeInput.fixtures + AsyncDecodeInput.small) where input.decoder == key {
            func reference<D: StreamDecoder>(_ decoder: D) -> [Record] { syncRecords(input.bytes, decoder).records }
            let expected = try await makeDecoderAndRun(key) { reference($0) }
            for chunking in [Chunking.whole, .bytewise(input.bytes.count), .randomSmallPieces(input.bytes.count, seed: 5)] {
                let upstream = ScriptedUpstream(elements: nonEmptyPieces(input.bytes, chunking))
                let records = try await collectAll(try upstream.decodedRecords(format: mimeType))
                #expect(records == expected, "\(input.name) as \(mimeType), split as \(chunking)")
            }
        }
    }

    @Test("decodedRecords(format:) with an unknown format throws invalidOptions before reading anything")
    func unknownFormat() throws {
        let probe = UpstreamProbe()
        let upstream = ScriptedUpstream(elements: [u8("data: x\n\n")], probe: probe)
        let error = #expect(throws: StreamCodecError.self) { _ = try upstream.decodedRecords(format: "text/html") }
        #expect(error?.code == .invalidOptions)
        #expect(probe.iteratorsMade == 0)
    }

    // Issue 7, requirement 1: an AsyncSequence of single UInt8 (URLSession.AsyncBytes) decoded
    // with `.decodedRecords(decoder)` gives the same records.
    @Test(
        "A stream of single bytes decodes, through decodedRecords, to the records DecodingDriver gives",
        arguments: AsyncDecodeInput.fixtures + AsyncDecodeInput.small)
    func singleBytes(_ input: AsyncDecodeInput) async throws {
        func run<D: StreamDecoder & Sendable>(_ decoder: D) async throws {
            let reference = syncRecords(input.bytes, decoder)
            let records = try await collectAll(ScriptedUpstream(elements: input.bytes).decodedRecords(decoder))
            #expect(records == reference.records, "\(input.name)")
        }
        try await makeDecoderAndRun(input.decoder) { try await run($0) }
    }

    // AsyncByteChunks' documentation: a chunk is handed on as soon as its last byte could end a
    // record (LF, CR, space, tab, RS, `}`, `]`, `"`, `,`, `e`, `l`) or at maximumChunk bytes.
    @Test(
        "chunked() ends a chunk exactly after a byte that may end a record, or at maximumChunk bytes, and loses no byte",
        arguments: [4096, 5])
    func chunkedBoundaries(_ maximumChunk: Int) async throws {
        let enders: Set<UInt8> = Set(u8("\n\r \t\u{1E}}]\",el"))
        for input in AsyncDecodeInput.fixtures + AsyncDecodeInput.small {
            let chunks = try await collectAll(ScriptedUpstream(elements: input.bytes).chunked(maximumChunk: maximumChunk))
            #expect(chunks.flatMap { $0 } == input.bytes, "\(input.name): the chunks are the input")
            // Expected boundaries, derived from the rule: after each ender, or when a chunk is full.
            var expected: [[UInt8]] = []
            var current: [UInt8] = []
            for byte in input.bytes {
                current.append(byte)
                if enders.contains(byte) || current.count == maximumChunk {
                    expected.append(current)
                    current = []
                }
            }
            if !current.isEmpty { expected.append(current) }
            #expect(chunks == expected, "\(input.name), maximumChunk \(maximumChunk)")
        }
    }

    // Issue 7, requirement 1: "chunked() never holds back a finished record": the upstream gives
    // the bytes of one complete record, one at a time, then waits forever; the record must come
    // out anyway. The prefix is what DecodingDriver needs, fed byte by byte, for the first record.
    @Test(
        "A record whose bytes have all arrived comes out of a byte stream even though upstream then waits forever",
        arguments: AsyncDecodeInput.small)
    func chunkedDoesNotHoldBack(_ input: AsyncDecodeInput) async throws {
        func run<D: StreamDecoder & Sendable>(_ decoder: D) async throws {
            let needed = try chunksNeeded(nonEmptyPieces(input.bytes, .bytewise(input.bytes.count)), decoder)
            let prefix = try #require(needed.first)
            try #require(prefix <= input.bytes.count, "\(input.name): the first record must not need the end of input")
            let expected = syncRecords(Array(input.bytes[..<prefix]), decoder).records.first
            let probe = UpstreamProbe()
            let steps: [UpstreamStep<UInt8>] = input.bytes[..<prefix].map { .element($0) } + [.hang]
            let upstream = ScriptedUpstream(steps, probe: probe)
            let first = try await withDeadline("the first record of \(input.name)") {
                var iterator = upstream.decodedRecords(decoder).makeAsyncIterator()
                return try await iterator.next()
            }
            #expect(first == expected, "\(input.name)")
            #expect(probe.cancelledWaits == 0, "the record came out without waiting for upstream")
            #expect(await pollUntil { probe.isReleased }, "the upstream iterator is released afterwards")
        }
        try await makeDecoderAndRun(input.decoder) { try await run($0) }
    }

    // Issue 7, requirement 1 (the same property, everywhere): each record of every input comes
    // out of the byte stream no later than DecodingDriver, fed byte by byte, produces it.
    @Test(
        "Each record of a byte stream comes out as soon as the bytes DecodingDriver needs for it have been read",
        arguments: AsyncDecodeInput.fixtures + AsyncDecodeInput.small)
    func chunkedDeliversEachRecordAtOnce(_ input: AsyncDecodeInput) async throws {
        func run<D: StreamDecoder & Sendable>(_ decoder: D) async throws {
            let needed = try chunksNeeded(nonEmptyPieces(input.bytes, .bytewise(input.bytes.count)), decoder)
            let probe = UpstreamProbe()
            var iterator = ScriptedUpstream(elements: input.bytes, probe: probe).decodedRecords(decoder).makeAsyncIterator()
            var k = 0
            while try await iterator.next() != nil {
                k += 1
                try #require(k <= needed.count, "\(input.name): more records than the driver gives")
                // `pulls` counts next() calls on the byte stream: one per byte, plus the one
                // that returns nil when the record needs the end of input.
                try #require(
                    probe.pulls <= needed[k - 1],
                    "\(input.name): record \(k) needs \(needed[k - 1]) bytes but came out after \(probe.pulls) pulls")
            }
            #expect(k == needed.count, "\(input.name): all records")
        }
        try await makeDecoderAndRun(input.decoder) { try await run($0) }
    }
}

@Suite("Async decoding is pull-based: a slow consumer makes it read nothing ahead")
struct AsyncDecodingBackPressureTests {
    // Issue 7, requirement 2: after the consumer has taken k records, the chunks pulled are at
    // most what those k records needed, plus one. `needed` comes from DecodingDriver fed the same
    // chunks one at a time.
    @Test(
        "After the consumer took k records, decodedRecords has pulled at most the chunks they needed plus one",
        arguments: AsyncDecodeInput.fixtures + AsyncDecodeInput.small)
    func recordsPullNoMoreThanNeeded(_ input: AsyncDecodeInput) async throws {
        func run<D: StreamDecoder & Sendable>(_ decoder: D) async throws {
            for chunking in [Chunking.randomSmallPieces(input.bytes.count, seed: 3), .bytewise(input.bytes.count), .whole] {
                let pieces = nonEmptyPieces(input.bytes, chunking)
                let needed = try chunksNeeded(pieces, decoder)
                let probe = UpstreamProbe()
                var iterator = ScriptedUpstream(elements: pieces, probe: probe).decodedRecords(decoder).makeAsyncIterator()
                #expect(probe.pulls == 0, "nothing is pulled before the consumer asks")
                var k = 0
                while try await iterator.next() != nil {
                    k += 1
                    // A slow consumer: anything running in the background would pull now.
                    await letOthersRun()
                    let allowed = min(needed[k - 1] + 1, pieces.count + 1)
                    #expect(
                        probe.pulls <= allowed,
                        "\(input.name) split as \(chunking): after \(k) records \(probe.pulls) pulls, they needed \(needed[k - 1])")
                    #expect(probe.pulls >= min(needed[k - 1], pieces.count + 1))
                }
                #expect(k == needed.count)
            }
        }
        try await makeDecoderAndRun(input.decoder) { try await run($0) }
    }

    // Issue 7, requirement 2, for `chunked()`: a chunk is made of the bytes read so far; nothing
    // is read while the consumer holds on to a chunk.
    @Test("chunked() reads no byte while the consumer is busy with the previous chunk")
    func chunkedPullsOnDemand() async throws {
        let input = u8("data: a\n\ndata: b\n\n{\"x\":[1,2]}\n")
        let probe = UpstreamProbe()
        var iterator = ScriptedUpstream(elements: input, probe: probe).chunked().makeAsyncIterator()
        var taken = 0
        while let chunk = try await iterator.next() {
            taken += chunk.count
            await letOthersRun()
            #expect(probe.pulls == taken, "after \(taken) bytes were handed on, \(probe.pulls) were pulled")
        }
        #expect(taken == input.count)
    }
}

@Suite("Async decoding errors carry the position, after every record before them")
struct AsyncDecodingErrorTests {
    static let badLine3 = u8("{\"a\":1}\n{\"b\":[2]}\n{\"c\":}\n{\"d\":4}\n")

    // Issue 7, requirement 4: a bad NDJSON line 3 throws StreamCodecError with line 3; the
    // records before it were delivered.
    @Test(
        "A bad NDJSON line 3 throws StreamCodecError for line 3 after the records of lines 1 and 2, for every chunking and chunk type",
        arguments: AsyncChunkType.allCases)
    func badNDJSONLine(_ type: AsyncChunkType) async throws {
        let input = Self.badLine3
        let reference = syncRecords(input, NDJSONDecoder())
        let referenceError = try #require(reference.error)
        #expect(referenceError.line == 3)
        #expect(referenceError.code == .invalidJSON)
        #expect(reference.records == [try Record.json("{\"a\":1}"), try Record.json("{\"b\":[2]}")])
        for chunking in asyncChunkings(for: input.count) {
            let (records, error) = await decodeAsync(nonEmptyPieces(input, chunking), as: type, NDJSONDecoder())
            let located = error as? StreamCodecError
            #expect(located != nil, "split as \(chunking): \(String(describing: error))")
            #expect(located?.line == 3, "split as \(chunking)")
            #expect(located?.code == .invalidJSON, "split as \(chunking)")
            #expect(located?.byteOffset == referenceError.byteOffset, "split as \(chunking)")
            #expect(records == reference.records, "split as \(chunking): the records of lines 1 and 2 were delivered first")
        }
    }

    @Test("A bad NDJSON line 3 read as single bytes, or by format name, throws for line 3 after the records of lines 1 and 2")
    func badNDJSONLineOtherEntries() async throws {
        let input = Self.badLine3
        let expected = syncRecords(input, NDJSONDecoder()).records
        let byName = await drainAll(try ScriptedUpstream(elements: [input]).decodedRecords(format: "jsonl"))
        #expect(byName.elements == expected, "format jsonl")
        #expect((byName.error as? StreamCodecError)?.line == 3, "format jsonl: \(String(describing: byName.error))")
        let bytes = await drainAll(ScriptedUpstream(elements: input).decodedRecords(NDJSONDecoder()))
        #expect(bytes.elements == expected, "single bytes")
        #expect((bytes.error as? StreamCodecError)?.line == 3, "single bytes: \(String(describing: bytes.error))")
    }

    // The errors of other formats carry their position too (same as the driver's).
    @Test(
        "A bad record on line 3 of json-seq, json-array or stream-json input throws the located error DecodingDriver throws, after the same records",
        arguments: [
            ("json-seq", "\u{1E}{\"a\":1}\n\u{1E}{\"b\":2}\n\u{1E}{\"c\" 3}\n"),
            ("json-array", "[{\"a\":1},\n{\"b\":2},\n{\"c\":,}\n]"),
            ("stream-json", "{\"a\":1}\n{\"b\":2}\n{\"c\":tru}\n"),
        ])
    func otherFormatsLocated(_ key: String, _ text: String) async throws {
        let input = u8(text)
        func run<D: StreamDecoder & Sendable>(_ decoder: D) async throws {
            let reference = syncRecords(input, decoder)
            let referenceError = try #require(reference.error, "\(key): the input is bad")
            #expect(referenceError.line == 3, "\(key): the reference names line 3")
            for chunking in asyncChunkings(for: input.count) {
                var got: [Record] = []
                let error = await #expect(throws: StreamCodecError.self) {
                    for try await record in ScriptedUpstream(elements: nonEmptyPieces(input, chunking)).decodedRecords(decoder) {
                        got.append(record)
                    }
                }
                #expect(got == reference.records, "\(key) split as \(chunking)")
                #expect(error?.code == referenceError.code, "\(key) split as \(chunking)")
                #expect(error?.line == 3, "\(key) split as \(chunking)")
            }
        }
        try await makeDecoderAndRun(key) { try await run($0) }
    }

    // The record limit reaches the driver: same error as DecodingDriver with the same limit.
    @Test("decodedRecords(_:maxRecordBytes:) throws recordTooLarge for a line over the limit, after the records before it")
    func recordLimit() async throws {
        let input = u8("{\"a\":1}\n{\"long\":\"0123456789\"}\n")
        var driver = DecodingDriver(decoder: NDJSONDecoder(), maxRecordBytes: 12)
        driver.append(input)
        #expect(try driver.next() == Record.json("{\"a\":1}"))
        let referenceError = #expect(throws: StreamCodecError.self) { _ = try driver.next() }
        #expect(referenceError?.code == .recordTooLarge)
        for chunking in asyncChunkings(for: input.count) {
            let (records, error) = await drainAll(
                ScriptedUpstream(elements: nonEmptyPieces(input, chunking)).decodedRecords(NDJSONDecoder(), maxRecordBytes: 12))
            #expect(records == [try Record.json("{\"a\":1}")], "split as \(chunking)")
            #expect((error as? StreamCodecError)?.code == .recordTooLarge, "split as \(chunking)")
            #expect((error as? StreamCodecError)?.line == 2, "split as \(chunking)")
        }
    }

    // An upstream error reaches the consumer unchanged, after every record before it.
    @Test("An upstream error is rethrown unchanged after the records completed before it")
    func upstreamErrorPassesThrough() async throws {
        let upstream = ScriptedUpstream<[UInt8]>([.element(u8("data: a\n\ndata: b\n\nda")), .fail])
        var got: [String] = []
        await #expect(throws: UpstreamFailure.self) {
            for try await record in upstream.decodedRecords(SSEDecoder()) { got.append(record.text) }
        }
        #expect(got == ["a", "b"])
    }
}
