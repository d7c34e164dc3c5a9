// The decoder protocol: pure and incremental, like swift-nio's ByteToMessageDecoder and
// tokio-util's Decoder. A decoder never reads or owns I/O; the driver hands it bytes.

/// Turns bytes of one format into records, incrementally.
///
/// The driver calls ``decode(_:)`` whenever bytes have arrived; it returns one record and
/// consumes its bytes, or returns `nil` when it needs more input. At end of input the driver
/// calls ``decodeLast(_:)`` until it returns `nil`.
///
/// Decoders are values (`Sendable`): a stream's decoding state can move between tasks.
///
/// Rules a conforming decoder keeps:
/// - Results never depend on how the input was split: the same bytes give the same records.
/// - Remember how far a partial record was scanned, so it is never rescanned from its start.
/// - Report the input size of every record it completes to
///   ``DecoderInput/checkRecordSize(_:line:)``; bytes taken from the input for a record still
///   in progress are reported as ``heldByteCount``, so the driver can bound memory.
public protocol StreamDecoder: Sendable {
    /// Decodes the next record, or returns `nil` when more input is needed.
    mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record?

    /// Decodes what is left at end of input; called until it returns `nil`.
    ///
    /// The default calls ``decode(_:)`` and reports unconsumed bytes as truncated input.
    mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record?

    /// Bytes of the record in progress that the decoder has consumed from the input and
    /// keeps in its own state (for example the joined data lines of an SSE event).
    var heldByteCount: Int { get }

    /// The 1-based input line where the record in progress starts, for error messages.
    var currentLine: Int? { get }

    /// After ``decode(_:)`` threw `error` for a bad record, or the driver found the record in
    /// progress too large (``StreamCodecError/Code/recordTooLarge``), drops what is left of that
    /// record, including bytes still to arrive, so that decoding resumes at the next record
    /// boundary without buffering the bad record. Input that ends inside the dropped record is
    /// still reported as truncated at end of input.
    ///
    /// Returns false when the format cannot find a next boundary (the default); the error then
    /// stands.
    mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool

    /// Which arriving bytes can let ``decode(_:)`` produce something (a record or an error)
    /// that it could not produce before they arrived. The default, ``DecodeTrigger/anyByte``,
    /// has the driver call ``decode(_:)`` after every append.
    var decodeTrigger: DecodeTrigger { get }
}

/// Which arriving bytes can complete a record (see ``StreamDecoder/decodeTrigger``).
public enum DecodeTrigger: Sendable, Equatable {
    /// Any byte may: the driver calls ``StreamDecoder/decode(_:)`` after every append.
    case anyByte
    /// Only a line break (LF or CR) or the end of input: before it, the decoder can neither
    /// complete a record nor find an error (the record limit aside, which the driver checks).
    /// Once ``StreamDecoder/decode(_:)`` has asked for more input, the driver only buffers
    /// appended bytes without a line break, and calls it again when one arrives (or when the
    /// buffered bytes reach the record limit). Feeding such a decoder a byte at a time then costs
    /// about one buffered append per byte. The records are the same either way.
    case lineBreak
}

extension StreamDecoder {
    public var heldByteCount: Int { 0 }
    public var currentLine: Int? { nil }
    public mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool { false }
    public var decodeTrigger: DecodeTrigger { .anyByte }

    public mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        if let record = try decode(&input) { return record }
        if input.readableCount > 0 || heldByteCount > 0 {
            throw StreamCodecError(.truncated, "input ended inside a record", line: currentLine, byteOffset: input.streamOffset)
        }
        return nil
    }
}

/// What a decoder's fast lane did with the next record (see `Converter`'s fast lanes).
enum DirectResult {
    /// The record was validated and written straight into the output.
    case written
    /// The fast path did not take it: the record, for the ordinary path.
    case record(Record)
}
