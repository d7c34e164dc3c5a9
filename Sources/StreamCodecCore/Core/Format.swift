// A format: its names, MIME types and how to make its decoder and encoder.

/// A streaming encoding known to a ``FormatRegistry``.
public struct Format: Sendable {
    /// Which kind of record a format carries, which decides the default mapping.
    public enum Family: String, Sendable {
        /// Event streams (`text/event-stream`): records are events.
        case eventStream
        /// JSON formats: records are JSON texts.
        case json
    }

    /// The canonical name, as used with `-f` and `-t` (`sse`, `ndjson`, ...).
    public var name: String
    /// Other names accepted for this format (`jsonl`).
    public var aliases: [String]
    /// MIME types, the first being the one to announce (`text/event-stream`).
    public var mimeTypes: [String]
    /// The kind of records this format carries.
    public var family: Family
    /// One line saying what the format is.
    public var summary: String
    /// Makes a decoder, or nil when the format cannot be read.
    public var makeDecoder: (@Sendable (CodecOptions) -> any StreamDecoder)?
    /// Makes an encoder, or nil when the format cannot be written.
    public var makeEncoder: (@Sendable (CodecOptions) -> any StreamEncoder)?

    /// A format: its names, MIME types, family, a one-line summary, and the codec factories (nil
    /// when it cannot be read, or cannot be written).
    public init(
        name: String, aliases: [String] = [], mimeTypes: [String], family: Format.Family, summary: String,
        makeDecoder: (@Sendable (CodecOptions) -> any StreamDecoder)?,
        makeEncoder: (@Sendable (CodecOptions) -> any StreamEncoder)?
    ) {
        self.name = name
        self.aliases = aliases
        self.mimeTypes = mimeTypes
        self.family = family
        self.summary = summary
        self.makeDecoder = makeDecoder
        self.makeEncoder = makeEncoder
    }
}
