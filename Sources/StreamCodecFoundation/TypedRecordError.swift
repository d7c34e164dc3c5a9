// The error for a record that is well-formed in its stream but does not decode into (or cannot
// be encoded from) the Swift type asked for: it keeps the stream position.
import Foundation
import StreamCodec

/// A record whose JSON did not decode as the requested type, or a value that did not encode:
/// the stream position and the `DecodingError` / `EncodingError` that `JSONDecoder` /
/// `JSONEncoder` reported.
///
/// Errors of the stream itself (bad JSON, a record over the limit, truncated input) are thrown
/// as `StreamCodecError`, which carries its own line and byte offset.
public struct TypedRecordError: Error, CustomStringConvertible {
    /// Where the record was (for an encoding error: the number of the value, from 1, and the
    /// output bytes written before it).
    public var position: RecordPosition
    /// The Swift type that was asked for, or that failed to encode.
    public var typeName: String
    /// The error `JSONDecoder` or `JSONEncoder` threw.
    public var underlying: any Error

    /// An error at `position`.
    public init(position: RecordPosition, typeName: String, underlying: any Error) {
        self.position = position
        self.typeName = typeName
        self.underlying = underlying
    }

    /// The position, the type and the decoder's reason, including its coding path.
    public var description: String {
        let what = underlying is EncodingError ? "cannot encode \(typeName)" : "does not decode as \(typeName)"
        return "\(position): \(what): \(Self.explain(underlying))"
    }

    static func explain(_ error: any Error) -> String {
        func path(_ context: [any CodingKey]) -> String {
            context.isEmpty ? "the top level" : context.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' at \(path(context.codingPath))"
        case DecodingError.typeMismatch(let type, let context):
            return "expected \(type) at \(path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.valueNotFound(let type, let context):
            return "expected \(type) but found null at \(path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context.codingPath))"
        case EncodingError.invalidValue(_, let context):
            return "\(context.debugDescription) at \(path(context.codingPath))"
        default:
            return String(describing: error)
        }
    }
}
