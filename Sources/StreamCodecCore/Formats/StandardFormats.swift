// The standard registry: every format this package implements, and the auto-detection rule that
// chooses among them. The one place outside each format's folder that names the formats.

extension FormatRegistry {
    /// Every format this package implements.
    public static let standard = FormatRegistry([
        Format(
            name: "sse", aliases: ["event-stream", "eventstream"], mimeTypes: ["text/event-stream"], family: .eventStream,
            summary: "Server-Sent Events (WHATWG HTML)",
            makeDecoder: { options in
                SSEDecoder(options: .init(keepComments: options.keepComments, incompleteBlock: options.incompleteBlock ?? .discard))
            },
            makeEncoder: { SSEEncoder(controlBlocks: $0.sseControlBlocks) }),
        Format(
            name: "ndjson", aliases: ["jsonl", "jsonlines", "json-lines"],
            mimeTypes: ["application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"],
            family: .json, summary: "newline-delimited JSON / JSON Lines: one JSON text per line",
            makeDecoder: { options in NDJSONDecoder(maxDepth: options.maxDepth) },
            makeEncoder: { _ in JSONLinesEncoder() }),
        Format(
            name: "stream-json", aliases: ["stream+json"], mimeTypes: ["application/stream+json"], family: .json,
            summary: "JSON texts separated by optional whitespace (Spring's stream+json); written one per line",
            makeDecoder: { options in StreamJSONDecoder(maxDepth: options.maxDepth) },
            makeEncoder: { _ in JSONLinesEncoder() }),
        Format(
            name: "json-seq", aliases: ["jsonseq"], mimeTypes: ["application/json-seq"], family: .json,
            summary: "JSON text sequences (RFC 7464): RS, a JSON text, LF",
            makeDecoder: { options in JSONSeqDecoder(maxDepth: options.maxDepth, endOfInput: options.incompleteBlock ?? .error) },
            makeEncoder: { _ in JSONSeqEncoder() }),
        Format(
            name: "json-array", aliases: ["json", "array"], mimeTypes: ["application/json"], family: .json,
            summary: "one JSON array streamed element by element (ASP.NET IAsyncEnumerable, Gemini)",
            makeDecoder: { options in JSONArrayDecoder(pointer: options.arrayPointer, maxDepth: options.maxDepth) },
            makeEncoder: { _ in JSONArrayEncoder() }),
        Format(
            name: "aws-eventstream", aliases: ["aws-event-stream", "amazon-eventstream"],
            mimeTypes: ["application/vnd.amazon.eventstream"], family: .eventStream,
            summary: "AWS event stream: binary messages with typed headers and CRC-32s (Bedrock, Transcribe, S3 Select)",
            makeDecoder: { options in AWSEventStreamDecoder(bedrockBytes: options.bedrockBytes) },
            makeEncoder: { _ in AWSEventStreamEncoder() }),
        Format(
            name: "text", aliases: ["raw"], mimeTypes: ["text/plain; charset=utf-8"], family: .json,
            summary:
                "raw text, written only: each record's value as itself (a JSON string unescaped, anything else as minified JSON), then the separator (none by default)",
            makeDecoder: nil,
            makeEncoder: { TextEncoder(separator: $0.textSeparator) }),
    ])

    /// The most bytes from the start of a stream that ``detect(streamStart:)`` looks at: an AWS
    /// event stream message's prelude.
    public static let streamStartBytes = 12

    /// The format a stream's first bytes decide when its first significant byte is 0 at the very
    /// start (auto-detection then waits for ``streamStartBytes`` bytes, or the end of input): an
    /// AWS event stream when they are a message prelude whose CRC-32 matches (the big-endian
    /// total length of a message under 16 MiB starts with 0); nil: decide from the first
    /// significant byte (``detect(firstSignificantByte:)``).
    public func detect(streamStart bytes: UnsafeRawBufferPointer) -> Format? {
        guard bytes.first == 0, AWSEventStreamDecoder.startsWithPrelude(bytes) else { return nil }
        return format(named: "aws-eventstream")
    }

    /// The format that auto-detection chooses for a stream whose first significant byte (after
    /// an optional UTF-8 BOM and JSON whitespace) is `byte`: RS means `json-seq`, `[` means
    /// `json-array`, any other start of a JSON value means `stream-json` (which also reads
    /// NDJSON), anything else means `sse`.
    public func detect(firstSignificantByte byte: UInt8) -> Format? {
        switch byte {
        case 0x1E: return format(named: "json-seq")
        case 0x5B: return format(named: "json-array")
        case 0x7B, 0x22, 0x2D, 0x30...0x39, 0x74, 0x66, 0x6E: return format(named: "stream-json")
        default: return format(named: "sse")
        }
    }
}
