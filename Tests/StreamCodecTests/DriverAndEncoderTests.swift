import StreamCodec
// DecodingDriver mechanics (append / next / finishInput / takeWarnings, in-place reads) and
// the JSON lines encoder (NDJSON and stream+json output: minified text + LF).
import Testing

@Suite("DecodingDriver")
struct DecodingDriverTests {
    @Test("next() is nil until a record is complete, then nil again once input is finished and drained")
    func lifecycle() throws {
        var driver = DecodingDriver(decoder: NDJSONDecoder())
        #expect(try driver.next() == nil)
        driver.append(u8("1\n2"))
        #expect(try driver.next()?.text == "1")
        #expect(try driver.next() == nil)
        #expect(driver.bufferedByteCount == 1)
        #expect(driver.streamOffset == 2)
        #expect(!driver.isInputFinished)
        driver.finishInput()
        #expect(driver.isInputFinished)
        #expect(try driver.next()?.text == "2")
        #expect(try driver.next() == nil)
        #expect(try driver.next() == nil)
        #expect(driver.streamOffset == 3)
    }

    @Test("takeWarnings returns each warning once")
    func warningsTakenOnce() throws {
        var driver = DecodingDriver(decoder: SSEDecoder())
        driver.append(u8("data: x"))
        driver.finishInput()
        #expect(try driver.next() == nil)
        #expect(driver.takeWarnings().count == 1)
        #expect(driver.takeWarnings().isEmpty)
    }

    @Test("the record limit is the driver's maxRecordBytes (default 16 MiB)")
    func limitAccessors() {
        #expect(DecodingDriver(decoder: SSEDecoder()).maxRecordBytes == 16 << 20)
        #expect(DecodingDriver<SSEDecoder>.defaultRecordLimit == 16 << 20)
        #expect(DecodingDriver(decoder: SSEDecoder(), maxRecordBytes: 100).maxRecordBytes == 100)
    }

    @Test("appendInPlace (the read(2) path) feeds the decoder like append")
    func appendInPlace() throws {
        var driver = DecodingDriver(decoder: SSEDecoder())
        let bytes = u8("data: in place\n\n")
        let written = driver.appendInPlace(maximum: 64) { (buffer: UnsafeMutableRawBufferPointer) -> Int in
            buffer.copyBytes(from: bytes)
            return bytes.count
        }
        #expect(written == bytes.count)
        #expect(try driver.next() == .event(data: "in place"))
    }

    @Test("Converter.readInput then drain converts what was read, chunk by chunk")
    func converterReadInput() throws {
        var converter = try Converter(from: "ndjson", to: "sse")
        var out: [UInt8] = []
        for piece in ["{\"a\":", " 1}\n[", "]\n"] {
            let bytes = u8(piece)
            _ = converter.readInput(maximum: 4096) { (buffer: UnsafeMutableRawBufferPointer) -> Int in
                buffer.copyBytes(from: bytes)
                return bytes.count
            }
            try converter.drain(into: &out)
        }
        try converter.finish(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "data: {\"a\":1}\n\ndata: []\n\n")
    }

    @Test("the buffer is compacted: a long stream of small records never buffers more than a record and a chunk")
    func compaction() throws {
        var driver = DecodingDriver(decoder: NDJSONDecoder(), maxRecordBytes: 64)
        let piece = u8(String(repeating: "[1,2,3]\n", count: 100))
        var count = 0
        for _ in 0..<200 {
            driver.append(piece)
            while try driver.next() != nil { count += 1 }
            #expect(driver.bufferedByteCount < 64)
        }
        #expect(count == 20_000)
    }
}

@Suite("JSON lines encoder (ndjson, stream-json output)")
struct JSONLinesEncoderTests {
    @Test("a .json record is written as its minified text and LF")
    func jsonRecord() throws {
        var encoder = JSONLinesEncoder()
        var out: [UInt8] = []
        try encoder.start(into: &out)
        try encoder.encode(try Record.json(" { \"a\" : [ 1 ] } "), into: &out)
        try encoder.encode(try Record.json("\"\\u2028\""), into: &out)
        try encoder.finish(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "{\"a\":[1]}\n\"\\u2028\"\n")
    }

    @Test(
        "records that are not JSON are .unencodable",
        arguments: [
            Record.event(data: "{}"), .control(id: "1"), .comment("c"),
        ])
    func notJSON(record: Record) {
        var encoder = JSONLinesEncoder()
        var out: [UInt8] = []
        do {
            try encoder.encode(record, into: &out)
            Issue.record("encoded \(record)")
        } catch {
            #expect(error.code == .unencodable)
        }
        #expect(out.isEmpty)
    }

    @Test("Record.json validates and minifies; invalid text throws")
    func recordJSON() throws {
        #expect(try Record.json("[ 1 ]").data == u8("[1]"))
        #expect(try Record.json("[ 1 ]") == Record.json(validating: u8("[1]")))
        #expect(throws: StreamCodecError.self) { try Record.json("[1,]") }
        #expect(throws: StreamCodecError.self) { try Record.json("[[]]", maxDepth: 1) }
    }
}
