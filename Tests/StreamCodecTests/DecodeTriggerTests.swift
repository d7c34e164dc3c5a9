import StreamCodec
// DecodeTrigger: a decoder that can complete records only at line breaks (SSE, NDJSON) is not
// called for appended bytes without one, so feeding it a byte at a time costs an append per
// byte. What must not change: the records, the errors and their positions, the record limit
// and the memory bound, whatever the split; and a record still comes out the moment its line
// break arrives.
import Testing

/// Splits lines at CR or LF into `.comment` records and counts how often it is called.
private struct CountingLineDecoder: StreamDecoder {
    let trigger: DecodeTrigger
    var calls = 0
    var decodeTrigger: DecodeTrigger { trigger }

    mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        calls += 1
        guard let end = input.withReadableBytes({ $0.firstIndex { $0 == 0x0A || $0 == 0x0D } }) else { return nil }
        try input.checkRecordSize(end, line: nil)
        let text = input.withReadableBytes { String(decoding: $0[0..<end], as: UTF8.self) }
        input.consume(end + 1)
        return .comment(text)
    }
}

/// Feeds `bytes` in pieces of `chunk` without ending the input (`decode` of Support/Chunking.swift);
/// the records, the error, and how often the decoder was called.
private func feed(_ bytes: [UInt8], chunk: Int, limit: Int = 1 << 20, trigger: DecodeTrigger)
    -> (records: [Record], error: StreamCodecError?, calls: Int)
{
    let (decoded, decoder) = decode(bytes, chunking: .pieces(bytes.count, size: chunk), maxRecordBytes: limit, finish: false) {
        CountingLineDecoder(trigger: trigger)
    }
    return (decoded.records, decoded.error, decoder.calls)
}

@Suite("DecodeTrigger: decoding only when a line break arrives")
struct DecodeTriggerTests {
    @Test("the built-in decoders declare their triggers; the type-erased decoder forwards them")
    func declared() {
        #expect(SSEDecoder().decodeTrigger == .lineBreak)
        #expect(NDJSONDecoder().decodeTrigger == .lineBreak)
        // These complete records at a closing bracket or a delimiter, not only at line breaks.
        #expect(StreamJSONDecoder().decodeTrigger == .anyByte)
        #expect(JSONSeqDecoder().decodeTrigger == .anyByte)
        #expect(JSONArrayDecoder().decodeTrigger == .anyByte)
        #expect(AnyStreamDecoder(SSEDecoder()).decodeTrigger == .lineBreak)
        #expect(AnyStreamDecoder(NDJSONDecoder()).decodeTrigger == .lineBreak)
        #expect(AnyStreamDecoder(StreamJSONDecoder()).decodeTrigger == .anyByte)
        #expect(AnyStreamDecoder(CountingLineDecoder(trigger: .lineBreak)).decodeTrigger == .lineBreak)
    }

    @Test(
        "fed a byte at a time, a line-break decoder is called once per line end (and once to start), an any-byte decoder once per byte; the records are the same"
    )
    func callsPerLine() {
        let lines = ["first line", "", "a longer second line with 世界", "third"]
        let bytes = u8(lines.joined(separator: "\n") + "\r")
        let gated = feed(bytes, chunk: 1, trigger: .lineBreak)
        let every = feed(bytes, chunk: 1, trigger: .anyByte)
        #expect(gated.records == lines.map { Record.comment($0) })
        #expect(every.records == gated.records)
        #expect(every.calls >= bytes.count)
        // One call for the first byte (which makes the decoder ask for more), then two per line
        // break (one returns the line, one asks for more).
        #expect(gated.calls == 1 + 2 * lines.count)
    }

    @Test("a CR alone wakes the decoder, so a record ended by CR comes out at once")
    func carriageReturnWakes() {
        let result = feed(u8("a\rb\r"), chunk: 1, trigger: .lineBreak)
        #expect(result.records == [.comment("a"), .comment("b")])
    }

    @Test(
        "pieces of any size: the same records as fed whole, and a piece holding a line break anywhere wakes the decoder",
        arguments: [1, 2, 3, 7, 31, 32, 33, 64, 65, 1000])
    func pieces(chunk: Int) {
        var text = ""
        for i in 0..<200 { text += String(repeating: "x", count: i % 70) + (i % 3 == 0 ? "\r\n" : "\n") }
        let bytes = u8(text)
        let whole = feed(bytes, chunk: bytes.count, trigger: .anyByte)
        let gated = feed(bytes, chunk: chunk, trigger: .lineBreak)
        #expect(gated.records == whole.records)
        #expect(gated.error == nil)
    }

    @Test("the record limit throws at the same byte as without the gate, fed a byte at a time", arguments: [1, 5, 64])
    func limitAtSameByte(chunk: Int) {
        let bytes = u8("short\n" + String(repeating: "y", count: 500))
        let gated = feed(bytes, chunk: chunk, limit: 100, trigger: .lineBreak)
        let every = feed(bytes, chunk: chunk, limit: 100, trigger: .anyByte)
        #expect(gated.records == [.comment("short")])
        #expect(gated.error?.code == .recordTooLarge)
        #expect(gated.error == every.error)
        #expect(gated.error?.byteOffset == every.error?.byteOffset)
    }

    @Test("SSE fed a byte at a time buffers no more than the limit plus one byte before it throws")
    func sseMemoryBound() throws {
        var driver = DecodingDriver(decoder: SSEDecoder(), maxRecordBytes: 256)
        var maxBuffered = 0
        var thrown: StreamCodecError?
        let bytes = u8("data: " + String(repeating: "z", count: 10_000))
        do throws(StreamCodecError) {
            for byte in bytes {
                driver.append([byte])
                maxBuffered = max(maxBuffered, driver.bufferedByteCount + driver.decoder.heldByteCount)
                while try driver.next() != nil {}
            }
        } catch {
            thrown = error
        }
        #expect(thrown?.code == .recordTooLarge)
        #expect(maxBuffered <= 257)
    }

    @Test("the gate reopens for every way bytes arrive: a generic collection, an in-place read, the end of input")
    func everyAppendPathWakes() throws {
        // A generic (non-contiguous) collection.
        var driver = DecodingDriver(decoder: NDJSONDecoder())
        driver.append(u8("{\"a\":"))
        #expect(try driver.next() == nil)
        driver.append(AnyCollection(u8("1}\n")))
        #expect(try driver.next()?.text == "{\"a\":1}")
        // An in-place read.
        driver.append(u8("[2"))
        #expect(try driver.next() == nil)
        let rest = u8("]\n")
        _ = driver.appendInPlace(maximum: 16) { (buffer: UnsafeMutableRawBufferPointer) -> Int in
            buffer.copyBytes(from: rest)
            return rest.count
        }
        #expect(try driver.next()?.text == "[2]")
        // The end of input completes a last line without its LF.
        driver.append(u8("3"))
        #expect(try driver.next() == nil)
        driver.finishInput()
        #expect(try driver.next()?.text == "3")
        #expect(try driver.next() == nil)
    }

    @Test("a converter fed a byte at a time writes each record the moment its blank line arrives")
    func converterByteAtATime() throws {
        var converter = try Converter(from: "sse", to: "ndjson")
        var output: [UInt8] = []
        let events = ["{\"n\":1}", "{\"n\":2,\"t\":\"世界\"}", "[3]"]
        for (i, data) in events.enumerated() {
            let block = u8("data: " + data + "\n\n")
            for (k, byte) in block.enumerated() {
                try converter.convert([byte], into: &output)
                let expected = events[0..<(k == block.count - 1 ? i + 1 : i)].map { $0 + "\n" }.joined()
                #expect(String(decoding: output, as: UTF8.self) == expected)
            }
        }
    }
}
