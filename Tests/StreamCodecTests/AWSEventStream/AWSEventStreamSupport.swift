// Test vectors for the AWS event stream encoding, built here byte by byte with an independent
// bitwise CRC-32, so the decoder is checked against the message layout, not against our encoder.
@testable import StreamCodecCore

/// The bitwise CRC-32 (IEEE, reflected 0xEDB88320): the oracle for the table-driven one.
func bitwiseCRC32(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        c ^= UInt32(b)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
    }
    return ~c
}

func be32(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
}
func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }

/// One header's wire bytes: name length, name, type, value bytes as given.
func wireHeader(_ name: String, _ type: UInt8, _ value: [UInt8]) -> [UInt8] {
    [UInt8(name.utf8.count)] + Array(name.utf8) + [type] + value
}

func stringHeader(_ name: String, _ value: String) -> [UInt8] { wireHeader(name, 7, be16(value.utf8.count) + Array(value.utf8)) }

/// A message around `headers` (wire bytes) and `payload`; `total`/`headersLength` override the
/// prelude's lengths, `preludeCRC`/`messageCRC` the checksums (for negative vectors).
func frame(
    headers: [UInt8], payload: [UInt8], total: UInt32? = nil, headersLength: UInt32? = nil,
    preludeCRC: UInt32? = nil, messageCRC: UInt32? = nil
) -> [UInt8] {
    let t = total ?? UInt32(16 + headers.count + payload.count)
    var m = be32(t) + be32(headersLength ?? UInt32(headers.count))
    m += be32(preludeCRC ?? bitwiseCRC32(m))
    m += headers + payload
    return m + be32(messageCRC ?? bitwiseCRC32(m))
}

/// Bedrock's `{"bytes":"<base64>"}` chunk around `json`, with the headers Bedrock sends.
func bedrockChunk(_ json: [UInt8]) -> [UInt8] {
    let payload = Array(#"{"bytes":""#.utf8) + Array(Base64.encode(json).utf8) + Array(#"","p":"abcd"}"#.utf8)
    return frame(
        headers: stringHeader(":event-type", "chunk") + stringHeader(":content-type", "application/json")
            + stringHeader(":message-type", "event"), payload: payload)
}
