// Encodable values to records of any output format, synchronously.
import Foundation
import StreamCodec

/// Encodes `Encodable` values as records of an output format: one NDJSON line, one SSE
/// event (`data: <JSON>`, with an event type and id if given), one json-seq text, ... per value.
///
/// ```swift
/// var writer = try TypedRecordWriter(format: "sse")
/// var body: [UInt8] = []
/// try writer.write(Chunk(n: 1), event: "chunk", into: &body)   // event: chunk\ndata: {"n":1}\n\n
/// try writer.finish(into: &body)
/// ```
///
/// Each value is encoded with a `JSONEncoder` you can configure, then validated and minified as
/// every JSON record is. An event type or id needs an SSE output: a JSON format throws
/// `StreamCodecError` (`unencodable`) for them.
public struct TypedRecordWriter {
    private var encoder: any StreamEncoder
    private let jsonEncoder: JSONEncoder
    private var started = false
    private var finished = false
    private var count = 0
    private var written = 0

    /// A writer of the format named `format` (a name, alias or MIME type).
    ///
    /// - Throws: `StreamCodecError` (`invalidOptions`) when no format of `registry` writes `format`.
    public init(
        format: String, jsonEncoder: JSONEncoder = JSONEncoder(), options: CodecOptions = CodecOptions(),
        registry: FormatRegistry = .standard
    ) throws(StreamCodecError) {
        guard let found = registry.format(named: format), let make = found.makeEncoder else {
            throw StreamCodecError(.invalidOptions, "no encoder for format '\(format)'")
        }
        self.init(encoder: make(options), jsonEncoder: jsonEncoder)
    }

    /// A writer with an encoder of your choice.
    public init(encoder: any StreamEncoder, jsonEncoder: JSONEncoder = JSONEncoder()) {
        self.encoder = encoder
        self.jsonEncoder = jsonEncoder
    }

    /// Appends the record for `value` (and, first, the format's opening, such as `[`).
    ///
    /// - Parameters:
    ///   - value: the value, encoded with the writer's `JSONEncoder`.
    ///   - event: the SSE event type (SSE output only).
    ///   - id: the SSE id (SSE output only).
    ///   - output: the buffer the record's bytes are appended to.
    /// - Throws: ``TypedRecordError`` when `value` does not encode; `StreamCodecError` when the
    ///   output format cannot carry the record.
    public mutating func write(_ value: some Encodable, event: String? = nil, id: String? = nil, into output: inout [UInt8]) throws {
        precondition(!finished, "write after finish(into:)")
        try startIfNeeded(into: &output)
        count += 1
        let json: [UInt8]
        do {
            json = Array(try jsonEncoder.encode(value))
        } catch {
            throw TypedRecordError(
                position: RecordPosition(recordNumber: count, line: nil, byteOffset: written),
                typeName: String(describing: type(of: value)), underlying: error)
        }
        var record = try Record.json(validating: json)
        if event != nil || id != nil {
            record = .event(data: record.data, event: event, id: id)
        }
        let before = output.count
        try encoder.encode(record, into: &output)
        written += output.count - before
    }

    /// Ends the output: writes the format's closing (such as `]`), also when no value was written.
    public mutating func finish(into output: inout [UInt8]) throws(StreamCodecError) {
        if finished { return }
        try startIfNeeded(into: &output)
        finished = true
        try encoder.finish(into: &output)
    }

    private mutating func startIfNeeded(into output: inout [UInt8]) throws(StreamCodecError) {
        if started { return }
        started = true
        let before = output.count
        try encoder.start(into: &output)
        written += output.count - before
    }

    /// A whole output of `values`, one record each.
    ///
    /// ```swift
    /// let ndjson = try TypedRecordWriter.encode([Chunk(n: 1), Chunk(n: 2)], format: "ndjson")
    /// ```
    public static func encode(
        _ values: some Sequence<some Encodable>, format: String,
        jsonEncoder: JSONEncoder = JSONEncoder()
    ) throws -> [UInt8] {
        var writer = try TypedRecordWriter(format: format, jsonEncoder: jsonEncoder)
        var output: [UInt8] = []
        for value in values { try writer.write(value, into: &output) }
        try writer.finish(into: &output)
        return output
    }
}
