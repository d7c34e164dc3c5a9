// AWS event stream encoding, "Headers" (Amazon Transcribe developer guide, "Setting up a
// streaming transcription: event stream encoding"; the same wire format as Amazon S3 Select's
// and Amazon Bedrock's responses, and awslabs/aws-c-event-stream): a header is a name length
// (u8), the name (UTF-8), a value type (u8) and the value, all integers big-endian.
//
//   type  name        value bytes
//   0     bool true   none
//   1     bool false  none
//   2     byte        1 (signed)
//   3     short       2 (signed)
//   4     int         4 (signed)
//   5     long        8 (signed)
//   6     bytes       u16 length, then the bytes
//   7     string      u16 length, then UTF-8
//   8     timestamp   8 (signed milliseconds since the Unix epoch)
//   9     uuid        16
//
// Deliberate choices: names must be 1 to 255 bytes of UTF-8 and string values UTF-8 (the SDKs
// agree), so a name or string is a Swift `String` and comes back byte for byte; duplicate names
// are kept in order (some SDKs refuse them; nothing here depends on a name being unique).

/// One typed header of an AWS event stream message (`application/vnd.amazon.eventstream`).
///
/// ```swift
/// let header = EventStreamHeader(":event-type", .string("chunk"))
/// ```
public struct EventStreamHeader: Sendable, Hashable {
    /// A header value, with its wire type.
    public enum Value: Sendable, Hashable {
        /// Type 0 (`true`) or 1 (`false`): no value bytes.
        case bool(Bool)
        /// Type 2: a signed byte.
        case byte(Int8)
        /// Type 3: a signed 16-bit integer.
        case short(Int16)
        /// Type 4: a signed 32-bit integer.
        case int(Int32)
        /// Type 5: a signed 64-bit integer.
        case long(Int64)
        /// Type 6: up to 65535 bytes.
        case bytes([UInt8])
        /// Type 7: up to 65535 bytes of UTF-8.
        case string(String)
        /// Type 8: milliseconds since the Unix epoch.
        case timestamp(Int64)
        /// Type 9: sixteen bytes.
        case uuid([UInt8])

        /// The wire type (0 to 9).
        public var typeCode: UInt8 {
            switch self {
            case .bool(let b): b ? 0 : 1
            case .byte: 2
            case .short: 3
            case .int: 4
            case .long: 5
            case .bytes: 6
            case .string: 7
            case .timestamp: 8
            case .uuid: 9
            }
        }

        /// The type's name as the envelope writes it: `bool`, `byte`, `short`, `int`, `long`,
        /// `bytes`, `string`, `timestamp`, `uuid`.
        public var typeName: String {
            switch self {
            case .bool: "bool"
            case .byte: "byte"
            case .short: "short"
            case .int: "int"
            case .long: "long"
            case .bytes: "bytes"
            case .string: "string"
            case .timestamp: "timestamp"
            case .uuid: "uuid"
            }
        }
    }

    /// The header name (1 to 255 bytes of UTF-8), such as `:event-type`.
    public var name: String
    /// The typed value.
    public var value: Value

    /// A header.
    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    /// The string value, or nil when the value is not a string.
    public var stringValue: String? {
        if case .string(let s) = value { return s }
        return nil
    }
}

extension [EventStreamHeader] {
    /// The value of the first string header named `name`.
    func string(named name: String) -> String? {
        for header in self where header.name == name { return header.stringValue }
        return nil
    }
}
