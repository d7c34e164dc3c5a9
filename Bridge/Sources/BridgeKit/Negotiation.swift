// Which format a stream is read in, and which it is served in.
//
// Input: --from, else the upstream's Content-Type when it names a streaming format, else (no
// Content-Type, or application/octet-stream) detection from the first significant byte.
// Output: --to, else the request's Accept (RFC 9110 section 12.5.1: media ranges with q weights;
// the most preferred type the bridge can write; `*/*` or no Accept: the input's own format).

import StreamCodec

/// An output format and the Content-Type it is served with.
public struct OutputChoice: Sendable, Hashable {
    public var format: String
    public var contentType: String
}

public enum Negotiation {
    /// The media types the bridge can serve, and their formats.
    public static let servable: [(mediaType: String, format: String)] = [
        ("text/event-stream", "sse"),
        ("application/x-ndjson", "ndjson"),
        ("application/jsonl", "ndjson"),
        ("application/json-seq", "json-seq"),
        ("application/json", "json-array"),
        ("application/stream+json", "stream-json"),
    ]

    /// The media types of streams the bridge converts (an upstream's Content-Type). A plain
    /// `application/json` response is not one of them: it passes through untouched unless
    /// `--from json-array` says the upstream streams an array.
    static let streamingInput: Set<String> = [
        "text/event-stream", "application/x-ndjson", "application/jsonl", "application/x-jsonlines",
        "application/jsonlines", "application/json-seq", "application/stream+json",
    ]

    /// Generic types that say nothing of the format: read as `--from` says when it is given.
    static let generic: Set<String> = ["", "application/octet-stream", "text/plain"]
    /// No type, or bytes of any kind: detected from the first significant byte without --from.
    static let untyped: Set<String> = ["", "application/octet-stream"]

    /// How to read a response with this Content-Type: a format name, `auto` (detect), or nil
    /// (not a stream: pass it through).
    public static func inputFormat(contentType: String?, configured: String?) -> String? {
        let type = mediaType(contentType ?? "")
        if let configured {
            // The configured format applies to streams and to untyped bodies, not to other types
            // (an upstream's JSON error or its HTML page passes through).
            if streamingInput.contains(type) || generic.contains(type) || FormatRegistry.standard.format(named: type)?.name == configured {
                return configured
            }
            return nil
        }
        if streamingInput.contains(type) { return FormatRegistry.standard.format(named: type)?.name }
        if untyped.contains(type) { return "auto" }
        return nil
    }

    /// The output for a request whose Accept header is `accept` (nil: none), for a stream read
    /// in `input`; nil when the client accepts none of the types the bridge can serve (406).
    public static func output(accept: String?, input: String, configured: String?) -> OutputChoice? {
        if let configured { return OutputChoice(format: configured, contentType: contentType(of: configured)) }
        guard let accept, !accept.trimmingSpaces.isEmpty else { return OutputChoice(format: input, contentType: contentType(of: input)) }
        var best: (q: Double, specificity: Int, order: Int, choice: OutputChoice)?
        for (order, range) in accept.split(separator: ",").enumerated() {
            let parts = range.split(separator: ";").map { $0.trimmingSpaces.lowercased() }
            guard let type = parts.first, !type.isEmpty else { continue }
            var q = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                q = Double(parameter.dropFirst(2)) ?? 0
            }
            guard q > 0 else { continue }
            let candidate: (Int, OutputChoice)?
            if type == "*/*" {
                candidate = (0, OutputChoice(format: input, contentType: contentType(of: input)))
            } else if type.hasSuffix("/*") {
                let family = type.dropLast(1)
                let ownType = contentType(of: input)
                if ownType.hasPrefix(family) {
                    candidate = (1, OutputChoice(format: input, contentType: ownType))
                } else if let first = servable.first(where: { $0.mediaType.hasPrefix(family) }) {
                    candidate = (1, OutputChoice(format: first.format, contentType: first.mediaType))
                } else {
                    candidate = nil
                }
            } else if let match = servable.first(where: { $0.mediaType == type }) {
                candidate = (2, OutputChoice(format: match.format, contentType: match.mediaType))
            } else {
                candidate = nil
            }
            guard let (specificity, choice) = candidate else { continue }
            // Higher q wins; at equal q a more specific range, then the earlier one.
            if let current = best, (current.q, current.specificity) >= (q, specificity) { continue }
            best = (q, specificity, order, choice)
        }
        return best?.choice
    }

    /// The Content-Type a format is served with.
    public static func contentType(of format: String) -> String {
        FormatRegistry.standard.format(named: format)?.mimeTypes.first ?? "application/octet-stream"
    }

    /// `type/subtype`, lowercased, without parameters.
    static func mediaType(_ value: String) -> String {
        (value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").trimmingSpaces.lowercased()
    }
}
