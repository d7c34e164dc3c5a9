// AWSEventStreamDecoder / AWSEventStreamEncoder: the AWS event stream encoding
// (`application/vnd.amazon.eventstream`; Amazon Transcribe developer guide, "Event stream
// encoding"; awslabs/aws-c-event-stream), as Docs/Formats.md (`aws-eventstream`) decides it:
// - prelude: total length, headers length (u32 big-endian), CRC-32 of those 8 bytes;
// - headers: name length (u8), name, type (0 to 9), value; payload; CRC-32 of the message;
// - every length and both CRCs checked, the error names the byte offset of the field at fault,
//   nothing of a bad message is a record; the record limit applies to the total length, from the
//   prelude; a message is a record the moment its last byte arrives.
// Every vector is decoded whole, one byte at a time and at random and every split point
// (`decodeEveryWay`), and re-encoded to the same bytes.
import Testing

@testable import StreamCodecCore

private func aws(
    _ input: [UInt8], maxRecordBytes: Int = 16 << 20, chunkings: [Chunking]? = nil,
    compareErrorOffsets: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
) -> Decoded {
    decodeEveryWay(
        input, maxRecordBytes: maxRecordBytes, compareErrorOffsets: compareErrorOffsets, chunkings: chunkings,
        sourceLocation: sourceLocation
    ) { AWSEventStreamDecoder() }.0
}

private func reencode(_ records: [Record]) throws -> [UInt8] {
    var encoder = AWSEventStreamEncoder()
    var out: [UInt8] = []
    for record in records { try encoder.encode(record, into: &out) }
    return out
}

@Suite("aws-eventstream: CRC-32 and Base64")
struct AWSEventStreamPrimitiveTests {
    @Test("CRC-32 check value: CRC-32(\"123456789\") = 0xCBF43926")
    func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test("slicing-by-8 equals the bitwise CRC at every length and alignment, and continues across pieces")
    func slicingMatchesBitwise() {
        var rng = SplitMix64(seed: 7)
        for length in 0..<80 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(CRC32.checksum(bytes) == bitwiseCRC32(bytes), "length \(length)")
            let cut = length / 3
            #expect(CRC32.checksum(bytes[cut...], continuing: CRC32.checksum(bytes[..<cut])) == bitwiseCRC32(bytes))
        }
    }

    @Test(
        "Base64: RFC 4648 section 10 vectors both ways",
        arguments: [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
        ])
    func base64(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(Array(encoded.utf8)) == Array(plain.utf8))
    }

    @Test(
        "Base64: not canonical padded Base64 is refused",
        arguments: ["Zg=", "Zg", "Zh==", "Zm9=", "Z===", "Zm 9v", "Zm9v-_==", "=Zm9", "Zg==Zg=="])
    func base64Refused(text: String) {
        #expect(Base64.decode(Array(text.utf8)) == nil)
    }
}

@Suite("aws-eventstream decoder and encoder")
struct AWSEventStreamDecoderTests {
    // MARK: Each header type

    @Test(
        "each of the ten header value types decodes to its typed value and re-encodes byte for byte",
        arguments: [
            (wireHeader("t", 0, []), EventStreamHeader.Value.bool(true)),
            (wireHeader("f", 1, []), .bool(false)),
            (wireHeader("b", 2, [0xCF]), .byte(-49)),
            (wireHeader("s", 3, [0x80, 0x01]), .short(-32767)),
            (wireHeader("i", 4, [0x00, 0x00, 0xA0, 0x0C]), .int(40972)),
            (wireHeader("l", 5, [0x80, 0, 0, 0, 0, 0, 0, 0]), .long(Int64.min)),
            (wireHeader("by", 6, [0, 3, 0x00, 0xFF, 0x10]), .bytes([0x00, 0xFF, 0x10])),
            (wireHeader("st", 7, [0, 6] + Array("é€".utf8) + [0x21]), .string("é€!")),
            (wireHeader("ts", 8, [0, 0, 0, 0, 0, 0x84, 0x5F, 0xED]), .timestamp(8_675_309)),
            (wireHeader("u", 9, Array(1...16)), .uuid(Array(1...16))),
        ])
    func headerTypes(wire: [UInt8], value: EventStreamHeader.Value) throws {
        let message = frame(headers: wire, payload: Array("{}".utf8))
        let decoded = aws(message)
        #expect(decoded.error == nil)
        #expect(decoded.records.count == 1)
        #expect(decoded.records.first?.headers?.first?.value == value)
        #expect(decoded.records.first?.data == Array("{}".utf8))
        #expect(try reencode(decoded.records) == message)
    }

    @Test("empty headers and an empty payload: the 16-byte message")
    func emptyMessage() throws {
        let message = frame(headers: [], payload: [])
        #expect(message.count == 16)
        let decoded = aws(message)
        #expect(decoded.records == [Record.message(headers: [], payload: [])])
        #expect(try reencode(decoded.records) == message)
    }

    @Test(":event-type names the event; every header kept in wire order, duplicates too")
    func eventType() {
        let headers =
            stringHeader(":message-type", "event") + stringHeader(":event-type", "chunk") + stringHeader("x", "1") + stringHeader("x", "2")
        let record = aws(frame(headers: headers, payload: Array(#"{"a":1}"#.utf8))).records.first
        #expect(record?.event == "chunk")
        #expect(record?.headers?.map(\.name) == [":message-type", ":event-type", "x", "x"])
    }

    @Test("largest header name (255 bytes) and string value (65535 bytes), decoded in any pieces")
    func maxSizes() throws {
        let name = String(repeating: "n", count: 255)
        let value = String(repeating: "v", count: 65535)
        let message = frame(headers: stringHeader(name, value), payload: [1, 2, 3])
        let decoded = aws(
            message,
            chunkings: [
                .bytewise(message.count), .randomCuts(message.count, seed: 3), .twoPieces(at: 12), .twoPieces(at: message.count - 1),
            ])
        #expect(decoded.records.first?.headers == [EventStreamHeader(name, .string(value))])
        #expect(try reencode(decoded.records) == message)
    }

    @Test("several messages, each a record; a message is a record the moment its last byte arrives")
    func streaming() {
        let first = frame(headers: stringHeader(":event-type", "a"), payload: Array("1".utf8))
        let second = frame(headers: stringHeader(":event-type", "b"), payload: Array("2".utf8))
        #expect(aws(first + second).records.map(\.event) == ["a", "b"])
        let open = decode(first + second.dropLast(), finish: false) { AWSEventStreamDecoder() }.0
        #expect(open.records.map(\.event) == ["a"])
        #expect(open.error == nil)
        let complete = decode(first + second, finish: false) { AWSEventStreamDecoder() }.0
        #expect(complete.records.map(\.event) == ["a", "b"])
    }

    // MARK: Negative vectors

    static let good = frame(headers: stringHeader(":event-type", "ok"), payload: Array("{}".utf8))

    @Test(
        "a bad message is an error at the byte offset of the field at fault, after every good message before it",
        arguments: [
            ("bad prelude CRC", frame(headers: [], payload: [1], preludeCRC: 0xDEAD_BEEF), 8, "prelude CRC-32"),
            ("bad message CRC", frame(headers: [], payload: [1, 2], messageCRC: 0), 14, "message CRC-32"),
            (
                "payload byte flipped",
                {
                    var m = frame(headers: [], payload: [1, 2])
                    m[12] ^= 1
                    return m
                }(), 14, "message CRC-32"
            ),
            ("headers length > total - 16", frame(headers: [], payload: [1, 2, 3], headersLength: 4), 4, "headers length 4"),
            ("total length < 16", frame(headers: [], payload: [], total: 15), 0, "less than 16"),
            (
                "truncated header (string longer than the block)", frame(headers: wireHeader("s", 7, [0, 9, 0x61]), payload: []), 12,
                "the 9-byte value"
            ),
            ("header name past the block", frame(headers: [5, 0x61], payload: []), 12, "the header name needs 5 bytes"),
            ("unknown header type 10", frame(headers: wireHeader("x", 10, []), payload: []), 14, "unknown value type 10"),
            ("empty header name", frame(headers: [0, 0], payload: []), 12, "empty"),
            (
                "header name not UTF-8", frame(headers: wireHeader("\u{FF}", 0, []).map { $0 == 0xC3 ? 0xFF : $0 }, payload: []), 13,
                "not UTF-8"
            ),
        ])
    func negative(what: String, bad: [UInt8], offsetInMessage: Int, says: String) {
        let decoded = aws(Self.good + bad)
        #expect(decoded.records.map(\.event) == ["ok"], "\(what)")
        #expect(decoded.error?.code == .invalidInput, "\(what)")
        #expect(decoded.error?.byteOffset == Self.good.count + offsetInMessage, "\(what): \(String(describing: decoded.error))")
        #expect(decoded.error?.message.contains(says) == true, "\(what): \(String(describing: decoded.error))")
    }

    @Test("a message over the record limit is refused from its prelude, before it is buffered")
    func overLimit() {
        let big = frame(headers: [], payload: Array(repeating: 0x61, count: 100))
        let decoded = aws(Self.good + big, maxRecordBytes: 100)
        #expect(decoded.records.count == 1)
        #expect(decoded.error?.code == .recordTooLarge)
        #expect(decoded.error?.byteOffset == Self.good.count)
        // Exactly at the limit is accepted.
        #expect(aws(big, maxRecordBytes: big.count).records.count == 1)
        // Only the prelude arrived: the error is already there.
        let early = decode(Self.good + big.prefix(12), maxRecordBytes: 100, finish: false) { AWSEventStreamDecoder() }.0
        #expect(early.error?.code == .recordTooLarge)
    }

    @Test("input that ends inside a message is truncated (status 3), in the prelude or after it", arguments: [5, 12, 20])
    func truncated(keep: Int) {
        let cut = Array(frame(headers: stringHeader("a", "b"), payload: Array(repeating: 1, count: 10)).prefix(keep))
        let decoded = aws(Self.good + cut)
        #expect(decoded.records.count == 1)
        #expect(decoded.error?.code == .truncated)
        #expect(decoded.error?.byteOffset == Self.good.count + keep)
    }

    @Test("with the skip policy a bad message with a sound prelude is dropped and decoding goes on; a bad prelude stands")
    func skipping() {
        let bad = frame(headers: [], payload: [1, 2], messageCRC: 0)
        let input = Self.good + bad + Self.good
        let result = decodeSkipping(input, chunking: .bytewise(input.count), maxRecordBytes: 1 << 20) { AWSEventStreamDecoder() }
        #expect(result.decoded.records.count == 2)
        #expect(result.skipped == 1)
        #expect(result.decoded.error == nil)
        // A message skipped as too large from its prelude and cut by the end of input is still
        // truncated input.
        let big = frame(headers: [], payload: Array(repeating: 0x61, count: 100))
        let cut = decodeSkipping(Self.good + big.prefix(50), chunking: .bytewise(Self.good.count + 50), maxRecordBytes: 100) {
            AWSEventStreamDecoder()
        }
        #expect(cut.decoded.records.count == 1)
        #expect(cut.skipped == 1)
        #expect(cut.decoded.error?.code == .truncated)
        // Whole, it is skipped and decoding goes on.
        let whole = decodeSkipping(
            Self.good + big + Self.good, chunking: .randomCuts(Self.good.count * 2 + big.count, seed: 5), maxRecordBytes: 100
        ) { AWSEventStreamDecoder() }
        #expect(whole.decoded.records.count == 2)
        #expect(whole.decoded.error == nil)
        let badPrelude = Self.good + frame(headers: [], payload: [], preludeCRC: 1) + Self.good
        let stands = decodeSkipping(badPrelude, chunking: .whole, maxRecordBytes: 1 << 20) { AWSEventStreamDecoder() }
        #expect(stands.decoded.records.count == 1)
        #expect(stands.decoded.error?.code == .invalidInput)
    }

    // MARK: Encoder

    @Test("records that did not come from an event stream get :event-type, :content-type and :message-type")
    func defaultHeaders() throws {
        let bytes = try reencode([try Record.json(#"{"a":1}"#), Record.event(data: "hi", event: "greet"), Record.comment("dropped")])
        let decoded = aws(bytes)
        #expect(decoded.records.count == 2)
        #expect(
            decoded.records[0].headers == [
                EventStreamHeader(":event-type", .string("message")),
                EventStreamHeader(":content-type", .string("application/json")),
                EventStreamHeader(":message-type", .string("event")),
            ])
        #expect(decoded.records[1].event == "greet")
        #expect(decoded.records[1].text == "hi")
    }

    @Test("a header too long for its length field cannot be encoded")
    func unencodable() {
        var encoder = AWSEventStreamEncoder()
        var out: [UInt8] = []
        let record = Record.message(headers: [EventStreamHeader(String(repeating: "n", count: 256), .bool(true))], payload: [])
        #expect(throws: StreamCodecError.self) { try encoder.encode(record, into: &out) }
    }

    @Test("Record stays small: the headers field adds one word at most")
    func recordSize() {
        #expect(MemoryLayout<Record>.size <= 72)
    }
}
