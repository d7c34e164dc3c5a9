// AWS event stream messages that report an error, as the AWS SDKs read them: `:message-type`
// `exception` names the modelled exception in `:exception-type` and carries it in the payload
// (usually `{"message": "..."}`); `:message-type` `error` carries `:error-code` and
// `:error-message` headers.

extension Record {
    /// The error an AWS event stream message of type `exception` or `error` reports, or nil.
    public var eventStreamFailure: StreamCodecError? {
        guard let headers, let type = headers.string(named: ":message-type"), type == "exception" || type == "error" else { return nil }
        var text: String
        if type == "exception" {
            text = "exception " + (headers.string(named: ":exception-type") ?? "(no :exception-type)")
            let message = Self.payloadMessage(data)
            if !message.isEmpty { text += ": " + message }
        } else {
            text = "error " + (headers.string(named: ":error-code") ?? "(no :error-code)")
            if let message = headers.string(named: ":error-message"), !message.isEmpty { text += ": " + message }
        }
        return StreamCodecError(.streamError, "the stream reported an \(text) (the records before it were written)")
    }

    /// The `message` (or `Message`) member of a JSON object payload, else the payload as text
    /// (at most 300 bytes).
    static func payloadMessage(_ payload: [UInt8]) -> String {
        var minified: [UInt8] = []
        if (try? JSONText.minify(payload, into: &minified, maxDepth: JSONLimits.defaultMaxDepth)) != nil {
            let found: String? = minified.withUnsafeBufferPointer { text in
                guard let members = JSONObjectReader.members(of: text) else { return nil }
                for member in members
                where (member.key == Array("message".utf8) || member.key == Array("Message".utf8))
                    && text[member.value.lowerBound] == 0x22
                {
                    return (try? JSONString.decode(text, member.value)).map { String(decoding: $0, as: UTF8.self) }
                }
                return nil
            }
            if let found { return found }
        }
        let shown = payload.prefix(300)
        return String(decoding: shown, as: UTF8.self) + (payload.count > 300 ? "..." : "")
    }
}
