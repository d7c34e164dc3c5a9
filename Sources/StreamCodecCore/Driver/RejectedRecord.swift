// A bad record dropped under the skip policy, kept so that it can be written somewhere (the
// CLI's --rejects FILE), fixed and replayed: nothing is dropped without a trace.

/// A record skipped under ``ConversionOptions/ErrorPolicy/skip`` (or `--non-json skip`).
public struct RejectedRecord: Sendable, Equatable {
    /// Its bytes. For a record the decoder could not read (bad JSON in NDJSON, say): the line it
    /// was found on, from the start of the unread input, as read (for NDJSON, the whole line
    /// without its LF). For a record read but not convertible (SSE data that is not JSON, say):
    /// the record's data.
    public var raw: [UInt8]
    /// The 1-based line where the record starts (where the decoder knows it).
    public var line: Int?
    /// The byte offset of `raw` in its input, where known.
    public var byteOffset: Int?
    /// Why it was dropped.
    public var reason: String

    /// A rejected record: its bytes as read, where it was, and why it was dropped.
    public init(raw: [UInt8], line: Int?, byteOffset: Int?, reason: String) {
        self.raw = raw
        self.line = line
        self.byteOffset = byteOffset
        self.reason = reason
    }
}
