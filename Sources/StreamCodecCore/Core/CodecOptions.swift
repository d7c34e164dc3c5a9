// The settings a format registry passes to the codecs it makes.

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
    /// Text output: written after each record (none by default). See ``TextEncoder``.
    public var textSeparator = ""
    /// aws-eventstream input: Bedrock's `{"bytes": "<base64>"}` payloads become the JSON they
    /// carry (see ``AWSEventStreamDecoder/init(bedrockBytes:)``).
    public var bedrockBytes = false

    /// The defaults: nesting up to ``JSONLimits/defaultMaxDepth``, comments dropped, each format's
    /// own end-of-input rule, the whole document as the array.
    public init() {}
}
