// The settings of one conversion: which mapping, and the policies for stream ends and bad records.

/// Settings of a ``Converter``.
public struct ConversionOptions: Sendable {
    /// How records map between SSE and JSON formats.
    public enum Mode: String, Sendable {
        /// Event data <-> JSON records (the default): SSE fields are dropped.
        case data
        /// Lossless: each SSE block <-> one JSON object (see ``EnvelopeWrapTransform``).
        case envelope
    }

    /// What to do with a bad record.
    public enum ErrorPolicy: String, Sendable, CaseIterable {
        /// Stop with an error, after everything before the bad record was written.
        case fail
        /// Drop the record with a warning and go on from the next record boundary.
        case skip
    }

    /// Envelope mode: how an event's data is written in the envelope's `"data"` member.
    public enum EnvelopeData: String, Sendable, CaseIterable {
        /// Always a JSON string.
        case string
        /// The JSON value itself when the data is a JSON object or array, a string otherwise.
        case json
    }

    /// Data mode, SSE to JSON: what to do with event data that is not JSON.
    public enum NonJSONPolicy: String, Sendable, CaseIterable {
        /// An error (subject to ``onError``).
        case fail
        /// Drop the event with a warning.
        case skip
        /// Write the data as a JSON string.
        case string
    }

    /// The largest record, in bytes of input.
    public var maxRecordBytes: Int = DecodingDriver<AnyStreamDecoder>.defaultRecordLimit
    /// Settings passed to the codecs (nesting depth, SSE comments and end of input).
    public var codec = CodecOptions()
    /// The mapping between SSE and JSON formats.
    public var mode: Mode = .data
    /// Envelope mode: how event data is written in `"data"`.
    public var envelopeData: EnvelopeData = .string
    /// The SSE data that marks the end of a stream (`[DONE]`); nil: no marker. In data mode
    /// from SSE to JSON it ends the output.
    public var doneMarker: String? = "[DONE]"
    /// Fail with ``StreamCodecError/Code/missingEnd`` when an input ends without any of its ends:
    /// the marker (SSE input), an event of ``endEvents``, a record matching ``endWhen``.
    public var requireDone = false
    /// SSE input: events of these types end the stream (Anthropic's `message_stop`). The event is
    /// converted as usual, then the output ends: the rest of that input is not read.
    public var endEvents: Set<String> = []
    /// Records that end the stream (Ollama's `/done=true`): a JSON record, or an SSE event whose
    /// data is JSON, with the given value at the pointer. Converted as usual, then the output ends.
    public var endWhen: [EndCondition] = []
    /// The input closing is its end (Gemini sends no marker): ``requireDone`` is then always met.
    public var endsAtClose = false
    /// JSON output: each record becomes the value at this JSON Pointer (RFC 6901); records without
    /// it are skipped and counted (``Converter/pickMissingCount``). See ``PickTransform``.
    public var pick: JSONPointer?
    /// SSE output: a final event whose data is the marker.
    public var appendDone = false
    /// SSE output: `retry:` once, in the first event's block: a non-empty run of ASCII digits
    /// (milliseconds), of any length, written exactly (leading zeros removed).
    public var retry: String?
    /// JSON to SSE (data mode): every event gets this type.
    public var eventName: String?
    /// JSON to SSE (data mode): the event type is this top-level string member.
    public var eventFromKey: String?
    /// JSON to SSE (data mode): the id is this top-level string or integer member.
    public var idFromKey: String?
    /// JSON to SSE (data mode): ids 1, 2, 3, ...
    public var sequentialIDs = false
    /// With ``sequentialIDs``: resume a stream a client already read up to this id (its
    /// `Last-Event-ID`): records 1 through this id are dropped and numbering goes on after it.
    public var resumeAfterID: UInt64?
    /// SSE input: keep only events of these types (`message` for events without a type).
    public var onlyEvents: Set<String>?
    /// SSE to JSON (data mode): what to do with data that is not JSON.
    public var nonJSON: NonJSONPolicy = .fail
    /// What to do with a bad record.
    public var onError: ErrorPolicy = .fail

    /// The defaults: data mode, a 16 MiB record limit, `[DONE]` as the done marker, bad records fail.
    public init() {}
}
