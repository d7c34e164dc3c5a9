// How a stream says it is complete, and what the converter does at that point. Providers end
// their streams differently (Docs/CLI.md, "Stream ends", names each one's documentation):
// - OpenAI Chat Completions: an SSE event whose data is the done marker `[DONE]`;
// - Anthropic Messages: `event: message_stop`; the OpenAI Responses API: `event: response.completed`
//   (or response.failed, response.incomplete);
// - Ollama: the NDJSON record whose `done` is true (`/done=true`);
// - Gemini: nothing; the response simply closes.
//
// The marker keeps its rule (ConversionOptions.doneMarker: not JSON, so the data mode ends JSON
// output there without writing it; SSE to SSE passes it on). An event or condition end is a real
// record: it is written (unless a filter drops it) and then the output ends: the rest of that
// input is not read, as after the marker. Under requireDone, an input that ends without any of
// its ends fails with missingEnd (exit status 3 in the CLI).

/// The end rules of a conversion and what was seen of them in the current input.
struct StreamEnd {
    /// The done marker (an SSE event's whole data), or nil.
    let marker: [UInt8]?
    /// SSE event types that end the stream.
    let events: Set<String>
    /// Records that end the stream.
    let conditions: [EndCondition]
    /// The input closing is the end (Gemini): ``ConversionOptions/requireDone`` always holds.
    let atClose: Bool
    /// Fail at the end of an input that had no end.
    let required: Bool
    /// An event's data minified, reused.
    private var scratch: [UInt8] = []

    init(marker: [UInt8]? = nil, events: Set<String> = [], conditions: [EndCondition] = [], atClose: Bool = false, required: Bool = false) {
        self.marker = marker
        self.events = events
        self.conditions = conditions
        self.atClose = atClose
        self.required = required
    }

    init(_ options: ConversionOptions) {
        self.init(
            marker: options.doneMarker.map { Array($0.utf8) }, events: options.endEvents, conditions: options.endWhen,
            atClose: options.endsAtClose, required: options.requireDone)
    }

    /// Rules that must see every record (so the conversion takes the general path).
    var watchesRecords: Bool { !events.isEmpty || !conditions.isEmpty }

    /// Whether `record`, as decoded, is an end by an event type or a condition (not the marker).
    mutating func isEnd(_ record: Record) -> Bool {
        // (An event without a type, or with an empty one, is `message`, as for EventTypeFilter.)
        if record.kind == .event && !events.isEmpty && events.contains(record.event.flatMap { $0.isEmpty ? nil : $0 } ?? "message") {
            return true
        }
        for condition in conditions where condition.matches(record, scratch: &scratch) { return true }
        return false
    }

    /// The ends of an input of `family`, as a message lists them: "[DONE], event message_stop or
    /// /done=true" (the marker and end events only for SSE).
    func expected(for family: Format.Family?) -> String {
        var names: [String] = []
        if family != .json, let marker { names.append(String(decoding: marker, as: UTF8.self)) }
        names += events.sorted().map { "event \($0)" }
        names += conditions.map(\.description)
        if names.isEmpty { return "its end" }
        if names.count == 1 { return names[0] }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
