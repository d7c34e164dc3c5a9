// What a decoder does with a record the end of input leaves unterminated: an SSE block without
// its blank line (WHATWG HTML "Server-sent events", 9.2.6: discarded), an RFC 7464 text without
// its final LF. Shared by the formats that can tell such a record from a cut-off one.

/// What to do with a record that the end of input leaves without its terminator.
public enum IncompleteRecordPolicy: String, Sendable, CaseIterable {
    /// Discard it, as the SSE spec says (a warning is reported).
    case discard
    /// Dispatch it as if its terminator followed (what several SSE client SDKs do).
    case dispatch
    /// Throw a ``StreamCodecError/Code/truncated`` error.
    case error
}
