// The stream ends of the providers that streamconv users meet most, as named presets
// (`--end openai|anthropic|responses|ollama|gemini`). Where each convention is documented:
// Docs/CLI.md, "Stream ends".

/// How a provider's stream ends, as ``ConversionOptions`` end rules.
///
/// ```swift
/// var options = ConversionOptions()
/// StreamEndPreset.anthropic.apply(to: &options)   // options.endEvents == ["message_stop"]
/// options.requireDone = true                      // a stream cut before message_stop fails
/// ```
public enum StreamEndPreset: String, Sendable, CaseIterable {
    /// OpenAI Chat Completions (and compatible servers): `data: [DONE]`, the done marker.
    case openai
    /// Anthropic Messages: `event: message_stop`.
    case anthropic
    /// OpenAI Responses API: `event: response.completed`, or the other terminal events
    /// `response.failed` and `response.incomplete` (the stream was not cut: whether the response
    /// succeeded is in its data).
    case responses
    /// Ollama `/api/chat` and `/api/generate`: the NDJSON record with `"done": true`.
    case ollama
    /// Gemini `streamGenerateContent`: no marker; the response closing is the end, so
    /// ``ConversionOptions/requireDone`` cannot tell a cut between two records from the end (a cut
    /// inside a record, or a JSON array without its `]`, is still an error).
    case gemini

    /// Adds this provider's end to `options` (the ends of several presets add up).
    public func apply(to options: inout ConversionOptions) {
        switch self {
        case .openai:
            if options.doneMarker == nil { options.doneMarker = "[DONE]" }
        case .anthropic:
            options.endEvents.insert("message_stop")
        case .responses:
            options.endEvents.formUnion(["response.completed", "response.failed", "response.incomplete"])
        case .ollama:
            let done = try! EndCondition(pointer: JSONPointer("/done"), value: "true")
            if !options.endWhen.contains(done) { options.endWhen.append(done) }
        case .gemini:
            options.endsAtClose = true
        }
    }
}
