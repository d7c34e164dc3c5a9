// AWS event stream encoding (`application/vnd.amazon.eventstream`): the binary framing of
// Amazon Bedrock's streaming responses (InvokeModelWithResponseStream, ConverseStream), Amazon
// Transcribe streaming, Amazon S3 Select and Amazon Kinesis SubscribeToShard. Specification:
// the Amazon Transcribe developer guide, "Event stream encoding", and S3 Select's "Appendix:
// SelectObjectContent response"; reference implementation awslabs/aws-c-event-stream.
//
// A message, all integers big-endian:
//
//   offset  size  field
//   0       4     total length (the whole message, these 4 bytes and the CRC included)
//   4       4     headers length
//   8       4     prelude CRC: CRC-32 of bytes 0..<8
//   12      h     headers (see EventStreamHeader.swift)
//   12+h    p     payload: p = total - h - 16
//   total-4 4     message CRC: CRC-32 of bytes 0..<total-4
//
// Checks, in the order the SDKs make them: the prelude CRC (as soon as 12 bytes are there), then
// total length >= 16 and headers length <= total - 16, then the record limit against the total
// length (before a byte of the message is buffered beyond its prelude), then, once the last
// byte has arrived, the message CRC, then the headers. Each failure names the byte offset of
// the field at fault; nothing of a bad message becomes a record.
//
// Streaming: a message becomes a record the moment its last byte arrives; waiting costs one
// comparison per arrival (nothing is rescanned); the CRCs and headers are read once.
//
// Deliberate choices:
// - The record is an `.event`: data is the payload, the event type is the `:event-type` string
//   header, and every header is kept with its type in ``Record/headers``.
// - ``bedrockBytes``: a Bedrock `{"bytes": "<base64>"}` payload becomes the JSON it encodes
//   (see ``AWSEventStreamDecoder/init(bedrockBytes:)``).
// - A bad message whose prelude was sound can be skipped (its total length says where the next
//   one starts); after a bad prelude nothing can be trusted, so the error stands.

/// Decodes `application/vnd.amazon.eventstream` messages into `.event` records that keep
/// their typed headers.
///
/// ```swift
/// var converter = try Converter(from: "aws-eventstream", to: "ndjson")
/// ```
public struct AWSEventStreamDecoder: StreamDecoder, Sendable {
    /// Bytes of the prelude: total length, headers length, prelude CRC.
    static let preludeSize = 12
    /// The smallest message: a prelude and a message CRC.
    static let minimumSize = 16

    /// Decode Bedrock's `{"bytes": "<base64>"}` payloads to the JSON they carry.
    public var bedrockBytes: Bool
    /// The total length of the message at the front of the input once its prelude was checked;
    /// nil before. (Kept so a bad message can be skipped: see ``skipBadRecord(_:after:)``.)
    private var checkedTotal: Int?
    /// Bytes of a skipped message still to drop as they arrive.
    private var skipping = 0

    /// A decoder; with `bedrockBytes`, each payload that is a JSON object with a `bytes` string
    /// member (Bedrock's InvokeModelWithResponseStream `chunk` events) becomes the bytes that
    /// member encodes in Base64, which must be a JSON text: the model's own event. Its event type
    /// is then that JSON's top-level `type` member when it is a string (Anthropic's event names,
    /// `content_block_delta`), else the `:event-type` header, and the record has no headers.
    public init(bedrockBytes: Bool = false) {
        self.bedrockBytes = bedrockBytes
    }

    public var heldByteCount: Int { 0 }

    public mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        if skipping > 0 {
            let n = min(skipping, input.readableCount)
            input.consume(n)
            skipping -= n
            if skipping > 0 { return nil }
        }
        let available = input.readableCount
        guard available >= Self.preludeSize else { return nil }
        let start = input.streamOffset
        let total: Int
        if let known = checkedTotal {
            total = known
        } else {
            let prelude = input.withReadableBytes { raw in
                (Self.u32(raw, 0), Self.u32(raw, 4), Self.u32(raw, 8), CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<8])))
            }
            let (totalLength, headersLength, preludeCRC, computed) = prelude
            guard preludeCRC == computed else {
                throw Self.error(
                    "prelude CRC-32 is \(Self.hex(preludeCRC)) but the first 8 bytes give \(Self.hex(computed)): the input is not an AWS event stream here, or it is corrupted",
                    at: start + 8)
            }
            guard totalLength >= UInt32(Self.minimumSize) else {
                throw Self.error(
                    "total length \(totalLength) is less than 16, the size of a message with no headers and no payload", at: start)
            }
            guard headersLength <= totalLength - UInt32(Self.minimumSize) else {
                throw Self.error(
                    "headers length \(headersLength) does not fit in a message of total length \(totalLength) (at most total - 16 = \(totalLength - 16))",
                    at: start + 4)
            }
            total = Int(totalLength)
            checkedTotal = total
            try input.checkRecordSize(total, line: nil)
        }
        guard available >= total else { return nil }
        let parsed: Result<Record, StreamCodecError> = input.withReadableBytes { raw in
            Result { () throws(StreamCodecError) in try Self.message(UnsafeRawBufferPointer(rebasing: raw[0..<total]), at: start) }
        }
        var record = try parsed.get()
        input.consume(total)
        checkedTotal = nil
        if bedrockBytes { try Self.unwrapBedrockBytes(&record, at: start) }
        return record
    }

    public mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        if let record = try decode(&input) { return record }
        let left = input.readableCount
        if skipping > 0 {
            // (The StreamDecoder contract: input that ends inside a dropped record is still truncated.)
            throw StreamCodecError(
                .truncated, "input ended inside a skipped message, \(skipping) bytes short: the stream was cut off",
                byteOffset: input.streamOffset)
        }
        if left == 0 { return nil }
        let what = checkedTotal.map { "a message of \($0) bytes after \(left)" } ?? "the \(left)-byte prelude of a message (12 bytes)"
        throw StreamCodecError(.truncated, "input ended inside \(what): the stream was cut off", byteOffset: input.streamOffset + left)
    }

    public mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool {
        guard let total = checkedTotal else { return false } // a bad prelude: no boundary to trust
        checkedTotal = nil
        skipping = total
        let n = min(skipping, input.readableCount)
        input.consume(n)
        skipping -= n
        return true
    }

    // MARK: - One complete message

    /// The record of the complete message in `m`, which starts at stream offset `start`.
    static func message(_ m: UnsafeRawBufferPointer, at start: Int) throws(StreamCodecError) -> Record {
        let total = m.count
        let stored = u32(m, total - 4)
        let computed = CRC32.checksum(UnsafeRawBufferPointer(rebasing: m[0..<total - 4]))
        guard stored == computed else {
            throw error(
                "message CRC-32 is \(hex(stored)) but the message's \(total - 4) bytes before it give \(hex(computed)): the message is corrupted",
                at: start + total - 4)
        }
        let headersLength = Int(u32(m, 4))
        let headers: [EventStreamHeader]
        do {
            headers = try EventStreamHeader.parse(UnsafeRawBufferPointer(rebasing: m[preludeSize..<preludeSize + headersLength]))
        } catch {
            throw Self.error("bad header: " + error.message, at: start + preludeSize + error.offset)
        }
        return Record.message(headers: headers, payload: m[(preludeSize + headersLength)..<(total - 4)])
    }

    /// Bedrock's `{"bytes": "<base64>"}` to the JSON it carries (see ``init(bedrockBytes:)``).
    static func unwrapBedrockBytes(_ record: inout Record, at start: Int) throws(StreamCodecError) {
        guard record.data.first == 0x7B else { return }
        var minified: [UInt8] = []
        do { try JSONText.minify(record.data, into: &minified, maxDepth: JSONLimits.defaultMaxDepth) } catch { return }
        let base64: [UInt8]? = minified.withUnsafeBufferPointer { text in
            guard let members = JSONObjectReader.members(of: text) else { return nil }
            for member in members where member.key == Array("bytes".utf8) && text[member.value.lowerBound] == 0x22 {
                return try? JSONString.decode(text, member.value)
            }
            return nil
        }
        guard let base64 else { return }
        guard let inner = Base64.decode(base64) else {
            throw error(
                "the payload's \"bytes\" member is not Base64 (bedrockBytes; at character \(Base64.firstError(base64) ?? 0))", at: start,
                option: "codec.bedrockBytes")
        }
        var innerJSON: [UInt8] = []
        do { try JSONText.minify(inner, into: &innerJSON, maxDepth: JSONLimits.defaultMaxDepth) } catch {
            throw Self.error(
                "the payload's \"bytes\" member does not encode a JSON text: \(error.message)", at: start, option: "codec.bedrockBytes")
        }
        let type: String? = innerJSON.withUnsafeBufferPointer { text in
            guard let members = JSONObjectReader.members(of: text) else { return nil }
            for member in members where member.key == Array("type".utf8) && text[member.value.lowerBound] == 0x22 {
                return (try? JSONString.decode(text, member.value)).map { String(decoding: $0, as: UTF8.self) }
            }
            return nil
        }
        record = Record(kind: .event, data: inner, event: type ?? record.event)
    }

    // MARK: - Helpers

    /// True when `bytes` start with a message prelude (12 bytes) whose CRC-32 matches: how
    /// auto-detection recognises the format.
    public static func startsWithPrelude(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= preludeSize && u32(bytes, 8) == CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<8]))
    }

    @inline(__always)
    static func u32(_ raw: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(raw[offset]) << 24 | UInt32(raw[offset + 1]) << 16 | UInt32(raw[offset + 2]) << 8 | UInt32(raw[offset + 3])
    }

    static func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    static func error(_ message: String, at offset: Int, option: String? = nil) -> StreamCodecError {
        StreamCodecError(.invalidInput, "aws-eventstream: " + message, byteOffset: offset, option: option)
    }
}
