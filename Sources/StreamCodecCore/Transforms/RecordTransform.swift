// Transforms sit between a decoder and an encoder: they map records of one family to the
// other (SSE events <-> JSON texts). Codecs do not know about them.

/// What a transform does with one record.
public enum TransformAction: Sendable, Equatable {
    /// Pass the record on (as the transform left it).
    case pass
    /// Drop the record (an expected drop, not reported).
    case skip
    /// Drop the record and report why as a warning (counted as a skipped bad record).
    case drop(reason: String)
    /// End the output successfully here (for example at `data: [DONE]`).
    case stop
}

/// Maps records between decoding and encoding.
public protocol RecordTransform {
    /// Records to write before the first input record.
    mutating func start() throws(StreamCodecError) -> [Record]
    /// Maps `record` in place and says what to do with it; `line` is where it started in the
    /// input, when known. Changing the record in place, rather than returning a new one, keeps
    /// the per-record path free of copies.
    mutating func apply(_ record: inout Record, line: Int?) throws(StreamCodecError) -> TransformAction
    /// Records to write after the last one (also after a ``TransformAction/stop``, which is
    /// a successful end of the output).
    mutating func finish() throws(StreamCodecError) -> [Record]
}

extension RecordTransform {
    public mutating func start() throws(StreamCodecError) -> [Record] { [] }
    public mutating func finish() throws(StreamCodecError) -> [Record] { [] }
}
