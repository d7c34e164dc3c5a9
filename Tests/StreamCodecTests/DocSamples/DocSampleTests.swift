import StreamCodec
// The code samples of README.md and the DocC articles (Sources/StreamCodec/StreamCodec.docc),
// compiled and run here. Each sample is the code between a "doc-sample: begin" and a
// "doc-sample: end" comment line; DocSamplesAreTestedTests checks that every fenced swift block
// of those documents is one of these regions, character for character (after its import lines
// and the region's indentation are removed), so a sample cannot drift from code that runs.
import Testing

// A codec of your own (the article "Writing your own codec"): netstrings, `5:hello,`.
// doc-sample: begin
/// Decodes netstrings (`<length>:<payload>,`) into events.
struct NetstringDecoder: StreamDecoder {
    mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        // Find the colon after the decimal length, or wait for more input.
        let header = input.withReadableBytes { bytes -> (length: Int, digits: Int)? in
            var length = 0
            for (i, byte) in bytes.enumerated() {
                if byte == UInt8(ascii: ":") { return i > 0 ? (length, i) : nil }
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), i < 9 else { return (-1, i) }
                length = length * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return nil
        }
        guard let header else {
            if input.readableCount > 10 { throw StreamCodecError(.invalidInput, "a netstring must start with its length and a colon") }
            return nil
        }
        guard header.length >= 0 else { throw StreamCodecError(.invalidInput, "a netstring must start with its length and a colon") }
        let total = header.digits + 1 + header.length + 1
        try input.checkRecordSize(total, line: nil) // known from the header: fail early
        guard input.readableCount >= total else { return nil } // the rest has not arrived yet
        let (payload, comma) = input.withReadableBytes { bytes in
            (Array(bytes[(header.digits + 1)..<(total - 1)]), bytes[total - 1])
        }
        guard comma == UInt8(ascii: ",") else { throw StreamCodecError(.invalidInput, "a netstring must end with a comma") }
        input.consume(total)
        return .event(data: payload)
    }
    // decodeLast: the protocol's default reports leftover bytes as truncated input.
}

/// Writes each event's data (or JSON text) as a netstring.
struct NetstringEncoder: StreamEncoder {
    mutating func encode(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) {
        guard record.kind == .event || record.kind == .json else { return }
        output += Array("\(record.data.count):".utf8) + record.data + [UInt8(ascii: ",")]
    }
}
// doc-sample: end

/// A response body that can be iterated more than once (as `body` is in the bridging sample).
struct ReplayedBody: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let chunks: [[UInt8]]
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: chunks[...]) }
    struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: ArraySlice<[UInt8]>
        mutating func next() async -> [UInt8]? { chunks.popFirst() }
    }
}

@Suite("The documentation's code samples run")
struct DocSampleTests {
    @Test("README: a buffer converted in one call, a stream chunk by chunk, and a driver's records up to the end of input")
    func readmeLibrary() throws {
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }
        // doc-sample: begin
        // A whole buffer, in one call
        let ndjson = try Converter.convert(Array("data: {\"a\": 1}\n\n".utf8), from: "sse", to: "ndjson") // {"a":1}\n

        // A stream, chunk by chunk: each record is written as soon as its last byte arrives
        var converter = try Converter(from: "text/event-stream", to: "ndjson")
        var output: [UInt8] = []
        try converter.convert(Array("data: {\"a\": 1}\n\n".utf8), into: &output) // {"a":1}\n
        try converter.finish(into: &output) // the end of input, then of the output

        // Records, from a driver you feed
        var driver = DecodingDriver(decoder: NDJSONDecoder())
        driver.append(Array("{\"a\": 1}\n{\"b\": 2}".utf8))
        while let record = try driver.next() { print(record.text) } // {"a":1}
        driver.finishInput() // no more input: the last line needs no line feed
        while let record = try driver.next() { print(record.text) } // {"b":2}
        // doc-sample: end
        #expect(ndjson == u8("{\"a\":1}\n"))
        #expect(output == u8("{\"a\":1}\n"))
        #expect(printed == ["{\"a\":1}", "{\"b\":2}"])
    }

    @Test("README: an NDJSON upstream served as SSE with ids, [DONE] and heartbeats")
    func readmeServer() async throws {
        let upstreamBody = AsyncStream<[UInt8]> { continuation in
            continuation.yield(u8("{\"n\":1}\n{\"n\""))
            continuation.yield(u8(":2}\n"))
            continuation.finish()
        }
        // doc-sample: begin
        var options = ConversionOptions()
        options.sequentialIDs = true // id: 1, id: 2, ...
        options.appendDone = true // data: [DONE] at the end
        let events =
            try upstreamBody // any AsyncSequence of byte chunks
            .converted(from: "ndjson", to: "sse", options: options)
            .heartbeat(every: .seconds(15)) // ":" comment lines while upstream is silent
        // doc-sample: end
        var body: [UInt8] = []
        for try await chunk in events { body += chunk }
        #expect(String(decoding: body, as: UTF8.self) == "id: 1\ndata: {\"n\":1}\n\nid: 2\ndata: {\"n\":2}\n\ndata: [DONE]\n\n")
    }

    @Test("Getting started: decoding a buffer, and a stream fed in pieces")
    func gettingStartedDecode() throws {
        // doc-sample: begin
        let records = try SSEDecoder().records(in: Array("event: greeting\ndata: hello\n\n".utf8))
        // records[0].kind == .event, .event == "greeting", .text == "hello"

        var driver = DecodingDriver(decoder: SSEDecoder())
        var texts: [String] = []
        for piece in ["data: hel", "lo\n", "\ndata: wor", "ld\n\n"] { // bytes as they arrive
            driver.append(Array(piece.utf8))
            while let record = try driver.next() { texts.append(record.text) }
        }
        driver.finishInput()
        while let record = try driver.next() { texts.append(record.text) }
        // texts == ["hello", "world"]
        // doc-sample: end
        #expect(records.count == 1 && records[0].kind == .event && records[0].event == "greeting" && records[0].text == "hello")
        #expect(texts == ["hello", "world"])
    }

    @Test("Getting started: encoding records")
    func gettingStartedEncode() throws {
        // doc-sample: begin
        var encoder = SSEEncoder()
        var body: [UInt8] = []
        try encoder.start(into: &body)
        try encoder.encode(.event(data: "hello", event: "greeting", id: "1"), into: &body)
        try encoder.encode(try .json(#"{ "n": 2 }"#), into: &body)
        try encoder.finish(into: &body)
        // event: greeting\nid: 1\ndata: hello\n\ndata: {"n":2}\n\n
        // doc-sample: end
        #expect(String(decoding: body, as: UTF8.self) == "event: greeting\nid: 1\ndata: hello\n\ndata: {\"n\":2}\n\n")
    }

    @Test("Getting started: converting a buffer with options, and a stream")
    func gettingStartedConvert() throws {
        let chunks = [u8("{\"type\":\"ping\"}\n{\"type\":"), u8("\"delta\",\"text\":\"hi\"}\n")]
        var sent: [UInt8] = []
        func send(_ bytes: [UInt8]) { sent += bytes }
        // doc-sample: begin
        var options = ConversionOptions()
        options.eventFromKey = "type" // streamconv --event-from type
        let sse = try Converter.convert(Array("{\"type\":\"ping\"}\n".utf8), from: "ndjson", to: "sse", options: options)
        // event: ping\ndata: {"type":"ping"}\n\n

        var converter = try Converter(from: "ndjson", to: "sse", options: options)
        var output: [UInt8] = []
        for chunk in chunks { // as the bytes arrive
            try converter.convert(chunk, into: &output)
            send(output) // every record the chunk completed
            output.removeAll(keepingCapacity: true)
        }
        try converter.finish(into: &output) // the end of input: what it completes, and the format's ending
        send(output)
        // doc-sample: end
        #expect(sse == u8("event: ping\ndata: {\"type\":\"ping\"}\n\n"))
        #expect(
            String(decoding: sent, as: UTF8.self)
                == "event: ping\ndata: {\"type\":\"ping\"}\n\nevent: delta\ndata: {\"type\":\"delta\",\"text\":\"hi\"}\n\n")
    }

    @Test("Writing your own codec: the netstring codec in the driver, the registry and the converter")
    func writingACodec() throws {
        // doc-sample: begin
        var registry = FormatRegistry.standard
        registry.register(
            Format(
                name: "netstring", mimeTypes: ["application/x-netstring"], family: .eventStream,
                summary: "<length>:<payload>,",
                makeDecoder: { _ in NetstringDecoder() }, makeEncoder: { _ in NetstringEncoder() }))

        let records = try NetstringDecoder().records(in: Array("5:hello,0:,".utf8)) // "hello", ""
        let netstrings = try Converter.convert(
            Array("{\"a\":1}\n".utf8), from: "ndjson", to: "netstring",
            registry: registry) // 7:{"a":1},
        // doc-sample: end
        #expect(records.map(\.text) == ["hello", ""])
        #expect(netstrings == u8("7:{\"a\":1},"))
        // The contract: the same records whatever the split, truncation at the end, the limit.
        let input = u8("5:hello,3:a\nb,0:,")
        let (result, _) = decodeEveryWay(input) { NetstringDecoder() }
        #expect(result.texts == ["hello", "a\nb", ""])
        #expect(decodeEveryWay(u8("5:hello,4:ab")) { NetstringDecoder() }.0.error?.code == .truncated)
        #expect(throws: StreamCodecError.self) { _ = try NetstringDecoder().records(in: u8("x:abc,")) }
        #expect(throws: StreamCodecError.self) { _ = try NetstringDecoder().records(in: u8("3:abc;")) }
        #expect {
            _ = try NetstringDecoder().records(in: u8("100:" + String(repeating: "x", count: 100) + ","), maxRecordBytes: 50)
        } throws: { ($0 as? StreamCodecError)?.code == .recordTooLarge }
    }

    @Test("Bridging: records from a body, records to a body, a body converted")
    func bridging() async throws {
        let body = ReplayedBody(chunks: [u8("event: delta\ndata: {\"t\":\"hi\"}\n\ndata: [DO"), u8("NE]\n\n")])
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }
        // doc-sample: begin
        for try await record in body.decodedRecords(SSEDecoder()) {
            print(record.event ?? "message", record.text) // delta {"t":"hi"}, then message [DONE]
        }

        let records = AsyncStream<Record> { continuation in
            continuation.yield(.event(data: "one", id: "1"))
            continuation.finish()
        }
        var sse: [UInt8] = []
        for try await chunk in records.encoded(SSEEncoder()) { sse += chunk } // id: 1\ndata: one\n\n

        let ndjson = try body.converted(from: "text/event-stream", to: "ndjson")
        // doc-sample: end
        #expect(printed == ["delta {\"t\":\"hi\"}", "message [DONE]"])
        #expect(sse == u8("id: 1\ndata: one\n\n"))
        var out: [UInt8] = []
        for try await chunk in ndjson { out += chunk }
        #expect(out == u8("{\"t\":\"hi\"}\n"))
    }

    @Test("Memory: the record limit, and what the end of input completes")
    func memory() throws {
        // doc-sample: begin
        var driver = DecodingDriver(decoder: NDJSONDecoder(), maxRecordBytes: 1 << 20) // 1 MiB
        driver.append(Array("{\"done\": true}".utf8))
        let early = try driver.next() // nil: the line may go on
        driver.finishInput()
        let last = try driver.next() // {"done":true}: the end of input completed it
        // doc-sample: end
        #expect(early == nil)
        #expect(last?.text == "{\"done\":true}")
    }
}
