// A format: its names, MIME types and how to make its decoder and encoder.

/// A streaming encoding known to a ``FormatRegistry``.
public struct Format: Sendable {
    /// Which kind of record a format carries, which decides the default mapping.
    public enum Family: String, Sendable {
        /// Event streams (`text/event-stream`): records are events.
        case eventStream
        /// JSON formats: records are JSON texts.
        case json
    }

    /// The canonical name, as used with `-f` and `-t` (`sse`, `ndjson`, ...).
    public var name: String
    /// Other names accepted for this format (`jsonl`).
    public var aliases: [String]
    /// MIME types, the first being the one to announce (`text/event-stream`).
    public var mimeTypes: [String]
    /// The kind of records this format carries.
    public var family: Family
    /// One line saying what the format is.
    public var summary: String
    /// Makes a decoder, or nil when the format cannot be read.
    public var makeDecoder: (@Sendable (CodecOptions) -> any StreamDecoder)?
    /// Makes an encoder, or nil when the format cannot be written.
    public var makeEncoder: (@Sendable (CodecOptions) -> any StreamEncoder)?

    /// A format: its names, MIME types, family, a one-line summary, and the codec factories (nil
    /// when it cannot be read, or cannot be written).
    public init(name: String, aliases: [String] = [], mimeTypes: [String], family: Format.Family, summary: String,
                makeDecoder: (@Sendable (CodecOptions) -> any StreamDecoder)?,
                makeEncoder: (@Sendable (CodecOptions) -> any StreamEncoder)?) {
        self.name = name
        self.aliases = aliases
        self.mimeTypes = mimeTypes
        self.family = family
        self.summary = summary
        self.makeDecoder = makeDecoder
        self.makeEncoder = makeEncoder
    }
}

/// Settings the registry passes to the codecs it makes. Each codec reads what concerns it.
public struct CodecOptions: Sendable {
    /// Maximum JSON nesting depth.
    public var maxDepth: Int = JSONLimits.defaultMaxDepth
    /// SSE: keep comment lines as `.comment` records.
    public var keepComments = false
    /// What to do with a record left unterminated at end of input; nil: each format's own
    /// default (SSE discards the block with a warning, json-seq reports a truncated record).
    public var incompleteBlock: IncompleteRecordPolicy?
    /// json-array: the array whose elements are streamed (RFC 6901; empty: the document).
    public var arrayPointer = try! JSONPointer("")
    /// SSE output: where an id or retry with no event goes: into the next event's block (the
    /// default, so that no block lacks `data:`), or a block of its own, as exactly asked.
    public var sseControlBlocks: SSEEncoder.ControlBlocks = .merge
    /// aws-eventstream input: Bedrock's `{"bytes": "<base64>"}` payloads become the JSON they
    /// carry (see ``AWSEventStreamDecoder/init(bedrockBytes:)``).
    public var bedrockBytes = false

    /// The defaults: nesting up to ``JSONLimits/defaultMaxDepth``, comments dropped, each format's
    /// own end-of-input rule, the whole document as the array.
    public init() {}
}

/// The formats a converter knows, looked up by name, alias or MIME type.
///
/// ```swift
/// let sse = FormatRegistry.standard.format(named: "text/event-stream; charset=utf-8")   // the sse format
/// ```
public struct FormatRegistry: Sendable {
    /// The registered formats, in registration order.
    public private(set) var formats: [Format] = []

    /// A registry of `formats` (``standard`` holds the built-in ones).
    public init(_ formats: [Format] = []) {
        for format in formats { register(format) }
    }

    /// Adds `format`, replacing a format of the same name.
    public mutating func register(_ format: Format) {
        formats.removeAll { $0.name == format.name }
        formats.append(format)
    }

    /// The format with this name, alias or MIME type. Case does not matter, and MIME
    /// parameters (`; charset=utf-8`) and surrounding spaces are ignored.
    public func format(named name: String) -> Format? {
        let key = Self.normalize(name)
        return formats.first { format in
            format.name.lowercased() == key
                || format.aliases.contains { $0.lowercased() == key }
                || format.mimeTypes.contains { $0.lowercased() == key }
        }
    }

    static func normalize(_ name: String) -> String {
        let base = name.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return String(base.lowercased().drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// Every format this package implements.
    public static let standard = FormatRegistry([
        Format(name: "sse", aliases: ["event-stream", "eventstream"], mimeTypes: ["text/event-stream"], family: .eventStream,
               summary: "Server-Sent Events (WHATWG HTML)",
               makeDecoder: { options in
                   SSEDecoder(options: .init(keepComments: options.keepComments, incompleteBlock: options.incompleteBlock ?? .discard))
               },
               makeEncoder: { SSEEncoder(controlBlocks: $0.sseControlBlocks) }),
        Format(name: "ndjson", aliases: ["jsonl", "jsonlines", "json-lines"],
               mimeTypes: ["application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"],
               family: .json, summary: "newline-delimited JSON / JSON Lines: one JSON text per line",
               makeDecoder: { options in NDJSONDecoder(maxDepth: options.maxDepth) },
               makeEncoder: { _ in JSONLinesEncoder() }),
        Format(name: "stream-json", aliases: ["stream+json"], mimeTypes: ["application/stream+json"], family: .json,
               summary: "JSON texts separated by optional whitespace (Spring's stream+json); written one per line",
               makeDecoder: { options in StreamJSONDecoder(maxDepth: options.maxDepth) },
               makeEncoder: { _ in JSONLinesEncoder() }),
        Format(name: "json-seq", aliases: ["jsonseq"], mimeTypes: ["application/json-seq"], family: .json,
               summary: "JSON text sequences (RFC 7464): RS, a JSON text, LF",
               makeDecoder: { options in JSONSeqDecoder(maxDepth: options.maxDepth, endOfInput: options.incompleteBlock ?? .error) },
               makeEncoder: { _ in JSONSeqEncoder() }),
        Format(name: "json-array", aliases: ["json", "array"], mimeTypes: ["application/json"], family: .json,
               summary: "one JSON array streamed element by element (ASP.NET IAsyncEnumerable, Gemini)",
               makeDecoder: { options in JSONArrayDecoder(pointer: options.arrayPointer, maxDepth: options.maxDepth) },
               makeEncoder: { _ in JSONArrayEncoder() }),
        Format(name: "aws-eventstream", aliases: ["aws-event-stream", "amazon-eventstream"],
               mimeTypes: ["application/vnd.amazon.eventstream"], family: .eventStream,
               summary: "AWS event stream: binary messages with typed headers and CRC-32s (Bedrock, Transcribe, S3 Select)",
               makeDecoder: { options in AWSEventStreamDecoder(bedrockBytes: options.bedrockBytes) },
               makeEncoder: { _ in AWSEventStreamEncoder() }),
    ])

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

    /// The first significant byte of `bytes` for ``detect(firstSignificantByte:)``: after one
    /// leading UTF-8 BOM and any JSON whitespace. Nil when there is none yet; also nil while
    /// `bytes` is a proper prefix of the BOM.
    public static func firstSignificantByte(_ bytes: UnsafeRawBufferPointer) -> UInt8? {
        guard var i = BOM.skipLength(bytes) else { return nil }
        while i < bytes.count {
            let c = bytes[i]
            if !(c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09) { return c }
            i += 1
        }
        return nil
    }
}
