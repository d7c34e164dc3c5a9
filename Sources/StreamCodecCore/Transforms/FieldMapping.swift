// Field mapping for JSON to SSE in data mode: each JSON record becomes one event whose data is
// the minified text, with an event type and id taken from options or from the record.

/// JSON records to SSE events, naming them and giving them ids.
public struct FieldMappingTransform: RecordTransform, Sendable {
    /// Every event gets this type (`--event`).
    public var eventName: String?
    /// The type is this top-level string member of the record (`--event-from`).
    public var eventFromKey: String?
    /// The id is this top-level string or integer member of the record (`--id-from`).
    public var idFromKey: String?
    /// Ids 1, 2, 3, ... (`--ids`).
    public var sequentialIDs: Bool
    /// With sequential ids, the records up to this id are dropped (a client resuming with
    /// `Last-Event-ID` has them already) and numbering goes on after it.
    public var resumeAfterID: UInt64
    private var nextID: UInt64 = 1

    /// A mapping with a fixed event type or one taken from a member, and ids from a member or counted.
    public init(
        eventName: String? = nil, eventFromKey: String? = nil, idFromKey: String? = nil, sequentialIDs: Bool = false,
        resumeAfterID: UInt64 = 0
    ) {
        self.eventName = eventName
        self.eventFromKey = eventFromKey
        self.idFromKey = idFromKey
        self.sequentialIDs = sequentialIDs
        self.resumeAfterID = resumeAfterID
    }

    public mutating func apply(_ record: inout Record, line: Int?) throws(StreamCodecError) -> TransformAction {
        guard record.kind == .json else { return .pass }
        var event = eventName
        var id: String?
        if eventFromKey != nil || idFromKey != nil {
            let found: Result<(String?, String?), StreamCodecError> = record.data.withUnsafeBufferPointer { text in
                Result { () throws(StreamCodecError) in try lookUp(text, line: line) }
            }
            let (fromEvent, fromID) = try found.get()
            if let fromEvent { event = fromEvent }
            id = fromID
        }
        if sequentialIDs {
            let number = nextID
            nextID += 1
            if number <= resumeAfterID { return .skip }
            id = String(number)
        }
        record.kind = .event
        record.event = event
        record.id = id
        return .pass
    }

    private func lookUp(_ text: UnsafeBufferPointer<UInt8>, line: Int?) throws(StreamCodecError) -> (String?, String?) {
        guard let members = JSONObjectReader.members(of: text) else { return (nil, nil) }
        var event: String?
        var id: String?
        for member in members {
            guard let key = member.key else { continue }
            let range = member.value
            if let eventFromKey, key.elementsEqual(eventFromKey.utf8), text[range.lowerBound] == 0x22 {
                event = try Self.string(text, range, key: eventFromKey, line: line)
            }
            if let idFromKey, key.elementsEqual(idFromKey.utf8) {
                if text[range.lowerBound] == 0x22 {
                    id = try Self.string(text, range, key: idFromKey, line: line)
                } else if let digits = EnvelopeUnwrapTransform.integerText(text, range) ?? Self.negativeInteger(text, range) {
                    id = digits
                } else {
                    throw StreamCodecError(
                        .invalidInput, "member \"\(idFromKey)\" must be a string or an integer to be an event id", line: line)
                }
            }
        }
        return (event, id)
    }

    private static func string(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, key: String, line: Int?) throws(StreamCodecError)
        -> String
    {
        do { return String(decoding: try JSONString.decode(text, range), as: UTF8.self) } catch {
            throw StreamCodecError(
                .unencodable, "member \"\(key)\" holds a lone surrogate escape, which an SSE field cannot carry", line: line)
        }
    }

    private static func negativeInteger(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String? {
        guard range.count > 1, text[range.lowerBound] == 0x2D,
            EnvelopeUnwrapTransform.integerText(text, range.lowerBound + 1..<range.upperBound) != nil
        else { return nil }
        return String(decoding: text[range], as: UTF8.self)
    }
}

/// Events of SSE output that frame the stream: `retry:` once at the start and a final
/// `data: [DONE]` event.
///
/// The retry is a `.control` record before the first record, which the SSE encoder writes in
/// the first event's block (never a block of its own: see ``SSEEncoder/ControlBlocks``); with
/// no event at all it writes nothing, and with `finalData` it rides on the final event.
public struct SSEFramingTransform: RecordTransform, Sendable {
    /// The reconnection time to announce first (`--retry`): ASCII digits, any length.
    public var retry: String?
    /// The data of a final event (`--done`), usually `[DONE]`.
    public var finalData: String?

    /// Framing with a `retry:` block first and an event with `finalData` last (each optional).
    public init(retry: String? = nil, finalData: String? = nil) {
        self.retry = retry
        self.finalData = finalData
    }

    public mutating func start() throws(StreamCodecError) -> [Record] {
        guard let retry else { return [] }
        guard let digits = RetryDigits.canonical(retry) else {
            throw StreamCodecError(
                .invalidOptions, "retry \(retry.debugDescription) must be a non-empty run of ASCII digits (milliseconds)")
        }
        return [Record.control(retry: digits)]
    }

    public mutating func apply(_ record: inout Record, line: Int?) throws(StreamCodecError) -> TransformAction { .pass }

    public mutating func finish() throws(StreamCodecError) -> [Record] {
        finalData.map { [Record.event(data: $0)] } ?? []
    }
}

/// Keeps only the SSE events of the given types (`--only-event`); a block with no `event`
/// field has the type `message`. Other records pass.
public struct EventTypeFilter: RecordTransform, Sendable {
    /// The event types kept.
    public var types: Set<String>
    /// Events that passed the filter.
    public private(set) var matchedCount = 0
    /// The types of the events it dropped, in order of first appearance (at most
    /// ``seenTypeLimit`` of them), so a filter that matched nothing can say what there was.
    public private(set) var droppedTypes: [String] = []
    /// How many dropped event types ``droppedTypes`` remembers.
    public static let seenTypeLimit = 20

    /// A filter keeping the events of `types`.
    public init(types: Set<String>) { self.types = types }

    public mutating func apply(_ record: inout Record, line: Int?) throws(StreamCodecError) -> TransformAction {
        guard record.kind == .event else { return .pass }
        let type = record.event.flatMap { $0.isEmpty ? nil : $0 } ?? "message"
        if types.contains(type) {
            matchedCount += 1
            return .pass
        }
        if droppedTypes.count < Self.seenTypeLimit && !droppedTypes.contains(type) { droppedTypes.append(type) }
        return .skip
    }
}
