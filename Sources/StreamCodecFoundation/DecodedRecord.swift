// A record's payload decoded into a `Decodable` value, with the SSE fields it came with and
// where in the stream it was (so an error about it can name the place).
import StreamCodec

/// Where a record was in its stream: the number of the record and the stream position after it.
public struct RecordPosition: Sendable, Hashable, CustomStringConvertible {
    /// The record's number among the records read, from 1 (comments, control blocks and
    /// events without data are not counted).
    public var recordNumber: Int
    /// The line where the record starts (1-based; for SSE, the first line of its block), when
    /// the format counts lines.
    public var line: Int?
    /// The byte offset just past the record: every byte before it was consumed.
    public var byteOffset: Int

    /// A position.
    public init(recordNumber: Int, line: Int?, byteOffset: Int) {
        self.recordNumber = recordNumber
        self.line = line
        self.byteOffset = byteOffset
    }

    /// "record 3 (line 7, ending before byte 210)".
    public var description: String {
        let line = line.map { "line \($0), " } ?? ""
        return "record \(recordNumber) (\(line)ending before byte \(byteOffset))"
    }
}

/// A record whose payload (an SSE event's data, or one JSON text) was decoded as `Value`.
///
/// For the JSON formats only ``value`` is set; an SSE event also brings its event type and id.
public struct DecodedRecord<Value> {
    /// The decoded payload.
    public var value: Value
    /// The SSE event type the block set (`nil` when it set none: a browser reports `message`).
    public var event: String?
    /// The SSE id the block set (`""` is the reset), or `nil` when it set none.
    public var id: String?
    /// Where the record was in the stream.
    public var position: RecordPosition

    /// A decoded record.
    public init(value: Value, event: String? = nil, id: String? = nil, position: RecordPosition) {
        self.value = value
        self.event = event
        self.id = id
        self.position = position
    }
}

extension DecodedRecord: Sendable where Value: Sendable {}
extension DecodedRecord: Equatable where Value: Equatable {}
