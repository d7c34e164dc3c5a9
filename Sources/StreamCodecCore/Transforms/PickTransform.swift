// Pick: each JSON record becomes the value a JSON Pointer (RFC 6901) names inside it, so that
// `--pick /choices/0/delta/content` turns OpenAI chunks into their text deltas. A record in which
// the pointer names nothing is skipped and counted (not a bad record: a chunk without content,
// such as the role delta or the usage chunk, is expected). Evaluation: JSONPointer+Lookup.swift.

/// Replaces each JSON record by the value at a JSON Pointer; records without it are skipped.
///
/// ```swift
/// var pick = PickTransform(pointer: try JSONPointer("/delta/text"))
/// var record = try Record.json(#"{"delta":{"text":"Hi"}}"#)
/// _ = try pick.apply(&record, line: nil)   // .pass, record.data == "Hi" (with its quotes)
/// ```
public struct PickTransform: RecordTransform, Sendable {
    /// The value each record becomes.
    public let pointer: JSONPointer
    /// Records in which ``pointer`` named nothing (skipped).
    public private(set) var missingCount = 0

    /// A transform that picks the value at `pointer` (`""`: the whole record).
    public init(pointer: JSONPointer) {
        self.pointer = pointer
    }

    public mutating func apply(_ record: inout Record, line: Int?) throws(StreamCodecError) -> TransformAction {
        guard record.kind == .json else { return .pass }
        if pointer.tokens.isEmpty { return .pass }
        guard let found = record.data.withUnsafeBufferPointer({ pointer.range(in: $0) }) else {
            missingCount += 1
            return .skip
        }
        record.data = Array(record.data[found])
        return .pass
    }
}
