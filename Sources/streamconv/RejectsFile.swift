// `--rejects FILE`: every record skipped under --on-error skip or --non-json skip is appended
// to FILE as one NDJSON line (Docs/CLI.md, "Rejected records"):
//   {"source":"a.ndjson","line":2,"offset":8,"reason":"invalid JSON: ...","raw":"[2,]"}
// `raw` holds the bytes as a JSON string; bytes that are not UTF-8 go, losslessly, in
// `raw_base64` (RFC 4648 section 4) instead. `line` and `offset` are null where unknown.
import StreamCodecCore

enum RejectsFile {
    /// The NDJSON line for `record`, read from `source`.
    static func line(_ record: RejectedRecord, source: String) -> [UInt8] {
        var out = Array("{\"source\":".utf8)
        appendString(Array(source.utf8), to: &out)
        out += Array(
            ",\"line\":\(record.line.map(String.init) ?? "null"),\"offset\":\(record.byteOffset.map(String.init) ?? "null"),\"reason\":"
                .utf8)
        appendString(Array(record.reason.utf8), to: &out)
        if String(validating: record.raw, as: UTF8.self) != nil {
            out += Array(",\"raw\":".utf8)
            appendString(record.raw, to: &out)
        } else {
            out += Array(",\"raw_base64\":\"".utf8)
            Base64.encode(record.raw, into: &out)
            out.append(0x22)
        }
        out += Array("}\n".utf8)
        return out
    }

    /// A JSON string (RFC 8259 section 7) of valid UTF-8 `bytes`: quote, backslash and control
    /// characters escaped.
    static func appendString(_ bytes: [UInt8], to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(0x22)
        for byte in bytes {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20, 0x7F: out += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}
