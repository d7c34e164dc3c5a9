// Errors of every codec, carrying the position in the input where the problem is.

/// An error from a decoder, an encoder or a transform, with the position it concerns.
///
/// Errors are a struct over an open set of codes (as in swift-nio), so new cases can be
/// added without breaking code that switches over them.
public struct StreamCodecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The input is not valid in its format (for example invalid JSON).
        public static let invalidInput = Code("invalid input")
        /// A JSON text is not valid RFC 8259 JSON.
        public static let invalidJSON = Code("invalid JSON")
        /// A record is larger than the configured record-size limit.
        public static let recordTooLarge = Code("record too large")
        /// JSON nesting is deeper than the configured limit.
        public static let nestingTooDeep = Code("nesting too deep")
        /// The input ended inside a record.
        public static let truncated = Code("truncated input")
        /// A record cannot be written faithfully in the output format.
        public static let unencodable = Code("cannot encode")
        /// The input ended without the marker that a complete stream ends with (`[DONE]`).
        public static let missingEnd = Code("missing end marker")
        /// The stream itself reported an error (an AWS event stream message of type `exception`
        /// or `error`); the message carries its type and text.
        public static let streamError = Code("error in the stream")
        /// Options that do not fit together or do not apply to the formats.
        public static let invalidOptions = Code("invalid options")
    }

    /// What kind of problem this is.
    public var code: Code
    /// A sentence saying what is wrong (and, where it helps, what to do).
    public var message: String
    /// The 1-based line of the input the problem is on, when known.
    public var line: Int?
    /// The 0-based byte offset in the input of the problem, when known.
    public var byteOffset: Int?
    /// The ``ConversionOptions`` property this error is about, as a key path from
    /// `ConversionOptions` (`"maxRecordBytes"`, `"codec.maxDepth"`, `"nonJSON"`), when an option
    /// governs it: the limit to raise, the policy that would accept the record, or the option
    /// that does not apply. Messages name it the same way (`ConversionOptions.maxRecordBytes`),
    /// so a front end can put its own name for the option in their place.
    public var option: String?

    /// An error; `option` defaults to the property that governs `code` (``Code/recordTooLarge``:
    /// `maxRecordBytes`, ``Code/nestingTooDeep``: `codec.maxDepth`).
    public init(_ code: Code, _ message: String, line: Int? = nil, byteOffset: Int? = nil, option: String? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.byteOffset = byteOffset
        self.option = option ?? (code == .recordTooLarge ? "maxRecordBytes" : code == .nestingTooDeep ? "codec.maxDepth" : nil)
    }

    public var description: String {
        var text = ""
        if let line { text += "line \(line): " }
        text += message
        if let byteOffset { text += " (byte offset \(byteOffset))" }
        return text
    }
}
