// One subscriber's view of a stored stream: the stored records (of the input format's family)
// converted to the subscriber's format with the library's Converter, record by record, with
// every SSE event's id set to `STREAMID-POSITION`, and the bridge's own records where the store
// has a gap or the upstream failed. Each subscriber has its own renderer: its own format and
// position.
//
// Records the bridge writes itself (Docs/Bridging.md, "In-stream records"):
//   SSE   event: gap     data: {"gap":{"stream":"ID","from":A,"to":B}}      id: ID-B
//         event: error   data: {"error":{"type":"upstream_error","message":"..."}}
//   JSON  the same objects as records of the output format (a json-array output is left
//         without its closing bracket after an error, so that no parser takes it as complete)

import BridgeReplay
import StreamCodec

struct StreamRenderer {
    let streamID: String
    let output: OutputChoice
    private var converter: Converter
    /// Re-encodes a stored record in the canonical format of its family, for the converter.
    private var canonical: any StreamEncoder
    /// SSE output: decodes the converter's blocks again to set their ids.
    private var stamper: DecodingDriver<SSEDecoder>?
    /// Bytes written so far (json-array: whether `[` was written).
    private var written = 0
    /// JSON records the bridge inserted itself (json-array: whether a comma is needed).
    private var inserted = 0
    /// The position of the last record rendered (or skipped over by a gap).
    private(set) var position: UInt64

    /// The input family's canonical format name: what stored records are re-encoded in.
    static func canonicalFormat(forInput input: String) -> String {
        FormatRegistry.standard.format(named: input)?.family == .eventStream ? "sse" : "ndjson"
    }

    /// - Throws: `StreamCodecError` (invalidOptions) when the options do not suit these formats.
    init(streamID: String, inputFormat: String, output: OutputChoice, options: ConversionOptions, after position: UInt64)
        throws(StreamCodecError)
    {
        self.streamID = streamID
        self.output = output
        self.position = position
        var options = options
        options.requireDone = false // checked once, where the upstream is read
        let canonicalName = Self.canonicalFormat(forInput: inputFormat)
        converter = try Converter(from: canonicalName, to: output.format, options: options)
        // Standalone control blocks: the stored records go to the converter exactly as they were
        // read (the converter's own SSE encoder applies the output rules).
        canonical = canonicalName == "sse" ? SSEEncoder(controlBlocks: .standalone) : JSONLinesEncoder()
        if output.format == "sse" {
            stamper = DecodingDriver(
                decoder: SSEDecoder(options: .init(keepComments: true, incompleteBlock: .discard)),
                maxRecordBytes: Int.max / 2)
        }
    }

    /// The output of one stored record.
    mutating func render(_ entry: ReplayEntry) throws(StreamCodecError) -> [UInt8] {
        var input: [UInt8] = []
        try canonical.encode(entry.record, into: &input)
        var out: [UInt8] = []
        try converter.convert(input, into: &out)
        position = entry.position
        return try emitted(out, id: entry.position)
    }

    /// The output at the end of the stream: the converter's closing (`--done`, `]`), or the
    /// error record when the upstream failed.
    mutating func end(_ end: ReplayEnd) throws(StreamCodecError) -> [UInt8] {
        switch end {
        case .finished:
            var out: [UInt8] = []
            try converter.finish(into: &out)
            return try emitted(out, id: position + 1)
        case .failed(let message):
            let body = #"{"error":{"type":"upstream_error","message":"# + JSONString.quoted(message) + "}}"
            return ownRecord(body, event: "error", id: nil)
        }
    }

    /// Tells the subscriber that records `from...to` are gone (evicted before it read them).
    mutating func gap(from: UInt64, to: UInt64) -> [UInt8] {
        position = to
        let body = #"{"gap":{"stream":"# + JSONString.quoted(streamID) + #","from":\#(from),"to":\#(to)}}"#
        return ownRecord(body, event: "gap", id: to)
    }

    /// A record the bridge writes itself, framed for the output format.
    private mutating func ownRecord(_ json: String, event: String, id: UInt64?) -> [UInt8] {
        var out: [UInt8]
        switch output.format {
        case "sse":
            out = Array("event: \(event)\n".utf8)
            if let id { out += Array("id: \(StreamIDs.eventID(stream: streamID, position: id))\n".utf8) }
            out += Array("data: \(json)\n\n".utf8)
        case "json-seq":
            out = [0x1E] + Array(json.utf8) + [0x0A]
        case "json-array":
            out = written == 0 ? [0x5B, 0x0A] : (converter.recordCount + inserted > 0 ? [0x2C, 0x0A] : [0x0A])
            out += Array(json.utf8)
        default:
            out = Array(json.utf8) + [0x0A]
        }
        inserted += 1
        written += out.count
        return out
    }

    /// The converter's output; for SSE, each event with the bridge's id for `position`.
    private mutating func emitted(_ bytes: [UInt8], id position: UInt64) throws(StreamCodecError) -> [UInt8] {
        guard var stamper, !bytes.isEmpty else {
            written += bytes.count
            return bytes
        }
        stamper.append(bytes)
        var encoder = SSEEncoder()
        var out: [UInt8] = []
        while var record = try stamper.next() {
            switch record.kind {
            case .event:
                record.id = StreamIDs.eventID(stream: streamID, position: position)
            case .control:
                // An id of the bridge's marks a delivered record; a control block stands before one.
                record.id = nil
                if record.retry == nil { continue }
            case .comment, .json:
                break
            }
            try encoder.encode(record, into: &out)
        }
        self.stamper = stamper
        written += out.count
        return out
    }
}

/// JSON string literals for the bridge's own records.
enum JSONString {
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
