// The line counts of an SSE input, for telling an event stream from something else read as
// one (WHATWG "Server-sent events" 9.2.6 ignores unknown fields; see SSEDecoder.ignoredLineCount).

/// How many lines of an SSE input named a known field, and how many the spec ignores (see
/// ``SSEDecoder/ignoredLineCount``).
public struct SSELineCounts: Sendable, Equatable {
    /// Lines naming `data`, `event`, `id` or `retry`.
    public var fields: Int
    /// Lines that are not blank, not a comment and name no known field.
    public var ignored: Int
    /// Counts as the decoder keeps them.
    public init(fields: Int, ignored: Int, firstFieldOffset: Int? = nil, firstIgnoredOffset: Int? = nil) {
        self.fields = fields
        self.ignored = ignored
        self.firstFieldOffset = firstFieldOffset
        self.firstIgnoredOffset = firstIgnoredOffset
    }
    /// Where the first field line and the first ignored line started (stream offsets).
    public var firstFieldOffset: Int?
    /// Where the first ignored line started (a stream offset), nil when there was none.
    public var firstIgnoredOffset: Int?
    /// Ignored lines and not one field: the input is not SSE.
    public var looksLikeSomethingElse: Bool { fields == 0 && ignored > 0 }
    /// Ignored lines and not one field among the lines that started in the first `window`
    /// bytes (decided once every such line is complete: see ``Converter/currentInputOffset``).
    public func looksLikeSomethingElse(within window: Int) -> Bool {
        guard let ignored = firstIgnoredOffset, ignored < window else { return false }
        return (firstFieldOffset ?? Int.max) >= window
    }
}
