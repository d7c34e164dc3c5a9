// Transforms sit between a decoder and an encoder: they map records of one family to the
// other (SSE events <-> JSON texts). Codecs do not know about them.

/// What a transform does with one record.
public enum TransformAction: Sendable, Equatable {
    /// Pass this record on.
    case emit(Record)
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
    /// What to do with `record`; `line` is where it started in the input, when known.
    mutating func apply(_ record: Record, line: Int?) throws(StreamCodecError) -> TransformAction
    /// Records to write after the last one (also after a ``TransformAction/stop``, which is
    /// a successful end of the output).
    mutating func finish() throws(StreamCodecError) -> [Record]
}

extension RecordTransform {
    public mutating func start() throws(StreamCodecError) -> [Record] { [] }
    public mutating func finish() throws(StreamCodecError) -> [Record] { [] }
}
