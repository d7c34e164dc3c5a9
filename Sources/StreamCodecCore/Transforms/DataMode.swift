// Data mode, the default conversion between the two families of formats:
// - SSE to a JSON format: each event's data must be one JSON text (RFC 8259) and becomes one
//   record; `data: [DONE]` ends the output (the OpenAI convention) unless disabled; events
//   with empty data, comments and control blocks are skipped; event type, id and retry are
//   dropped.
// - A JSON format to SSE, and JSON to JSON: records pass unchanged (already minified).
// - SSE to SSE: events and control blocks pass with their fields; comments are dropped unless
//   they are kept (`--comments`).
// - An AWS event stream message of type `exception` or `error` is an error
//   (``StreamCodecError/Code/streamError``) naming its type and message, whatever the output.

/// The default mapping between event-stream and JSON records.
public struct DataModeTransform: RecordTransform, Sendable {
    /// What to do with SSE data that is not JSON when writing a JSON format: the option type
    /// ``ConversionOptions/NonJSONPolicy`` (this name is kept for source compatibility).
    public typealias NonJSONPolicy = ConversionOptions.NonJSONPolicy

    /// The data that ends the output (`[DONE]`), or nil to treat it as ordinary data.
    public var doneMarker: [UInt8]?
    /// The family of the output format.
    public var target: Format.Family
    /// Nesting limit for JSON found in event data.
    public var maxDepth: Int
    /// What to do with event data that is not JSON.
    public var nonJSON: NonJSONPolicy
    /// Pass comment records on (for SSE output).
    public var keepComments: Bool
    private var scratch: [UInt8] = []

    /// A data-mode mapping to `target`'s family, with the done marker and the policy for data that is not JSON.
    public init(
        target: Format.Family, doneMarker: String? = "[DONE]", nonJSON: NonJSONPolicy = .fail,
        keepComments: Bool = false, maxDepth: Int = JSONLimits.defaultMaxDepth
    ) {
        self.target = target
        self.doneMarker = doneMarker.map { Array($0.utf8) }
        self.nonJSON = nonJSON
        self.keepComments = keepComments
        self.maxDepth = maxDepth
    }

    public mutating func apply(_ record: inout Record, line: Int?) throws(StreamCodecError) -> TransformAction {
        switch (record.kind, target) {
        case (.json, _):
            return .pass
        case (.comment, .eventStream):
            return keepComments ? .pass : .skip
        case (.comment, .json):
            return .skip
        case (.control, .eventStream):
            return .pass
        case (.control, .json):
            return .skip
        case (.event, .eventStream):
            if record.headers != nil, let failure = record.eventStreamFailure { throw failure }
            return .pass
        case (.event, .json):
            if record.headers != nil, let failure = record.eventStreamFailure { throw failure }
            if record.data.isEmpty { return .skip }
            if let doneMarker, record.data == doneMarker { return .stop }
            scratch.removeAll(keepingCapacity: true)
            do throws(StreamCodecError) {
                try JSONText.minify(record.data, into: &scratch, maxDepth: maxDepth)
            } catch {
                let place = error.byteOffset.map { " at byte \($0) of the data" } ?? ""
                let why = "event data is not JSON: \(error.message)\(place)"
                switch nonJSON {
                case .fail:
                    throw StreamCodecError(
                        error.code, why + " (ConversionOptions.nonJSON = .string or ConversionOptions.mode = .envelope carry any data)",
                        line: line, option: "nonJSON")
                case .skip:
                    return .drop(reason: why)
                case .string:
                    scratch.removeAll(keepingCapacity: true)
                    JSONString.append(record.data, to: &scratch)
                }
            }
            record = Record(kind: .json, data: scratch)
            return .pass
        }
    }
}
