// Records to Decodable values, synchronously: bytes in, typed values out, with the driver's
// bounded memory and the stream position on every value and every error.
import Foundation
import StreamCodec

/// Decodes a byte stream of any format into `Value`s, record by record.
///
/// Each JSON record, and the data of each SSE event, is decoded with a `JSONDecoder` you can
/// configure. SSE comments, control blocks and events without data are passed over; an event
/// whose data is the done marker (`[DONE]` by default) ends the values, and any input after it
/// is ignored.
///
/// ```swift
/// var reader = try TypedRecordReader(of: Chunk.self, format: "text/event-stream")
/// reader.append(Array("data: {\"n\":1}\n\ndata: [DONE]\n\n".utf8))
/// reader.finishInput()
/// while let chunk = try reader.next() { print(chunk.value.n, chunk.position) }
/// ```
///
/// Memory is bounded by the record limit, as for `DecodingDriver`.
public struct TypedRecordReader<Value: Decodable> {
    private var driver: DecodingDriver<AnyStreamDecoder>
    private let jsonDecoder: JSONDecoder
    private let doneMarker: [UInt8]?
    private var count = 0
    /// True once an event whose data is the done marker was read: ``next()`` returns nil from then on.
    public private(set) var sawDoneMarker = false

    /// A reader of the format named `format` (a name, alias or MIME type such as a response's
    /// `Content-Type`).
    ///
    /// - Parameters:
    ///   - type: the type each record decodes into.
    ///   - format: the input format's name, alias or MIME type.
    ///   - jsonDecoder: the decoder to use (its date, key and data strategies apply).
    ///   - doneMarker: the SSE data that ends the stream (`nil`: none).
    ///   - options: the codec options (`maxDepth`, `arrayPointer`, ...).
    ///   - maxRecordBytes: the largest record, in bytes of input.
    ///   - registry: where `format` is looked up.
    /// - Throws: `StreamCodecError` (`invalidOptions`) when no format of `registry` reads `format`.
    public init(
        of type: Value.Type, format: String, jsonDecoder: JSONDecoder = JSONDecoder(), doneMarker: String? = "[DONE]",
        options: CodecOptions = CodecOptions(), maxRecordBytes: Int = DecodingDriver<AnyStreamDecoder>.defaultRecordLimit,
        registry: FormatRegistry = .standard
    ) throws(StreamCodecError) {
        guard let found = registry.format(named: format), let make = found.makeDecoder else {
            throw StreamCodecError(.invalidOptions, "no decoder for format '\(format)'")
        }
        self.init(of: type, decoder: make(options), jsonDecoder: jsonDecoder, doneMarker: doneMarker, maxRecordBytes: maxRecordBytes)
    }

    /// A reader with a decoder of your choice.
    public init(
        of type: Value.Type, decoder: any StreamDecoder, jsonDecoder: JSONDecoder = JSONDecoder(), doneMarker: String? = "[DONE]",
        maxRecordBytes: Int = DecodingDriver<AnyStreamDecoder>.defaultRecordLimit
    ) {
        driver = DecodingDriver(decoder: AnyStreamDecoder(decoder), maxRecordBytes: maxRecordBytes)
        self.jsonDecoder = jsonDecoder
        self.doneMarker = doneMarker.map { Array($0.utf8) }
    }

    /// Appends input bytes (ignored once the done marker was read).
    public mutating func append(_ bytes: some Collection<UInt8>) {
        if !sawDoneMarker { driver.append(bytes) }
    }

    /// Marks the end of input: ``next()`` then also returns what the end completes (a final
    /// NDJSON line without its line feed, for example).
    public mutating func finishInput() {
        if !driver.isInputFinished { driver.finishInput() }
    }

    /// True once ``finishInput()`` was called.
    public var isInputFinished: Bool { driver.isInputFinished }

    /// The next value, or `nil` when more input is needed (after ``finishInput()``: when the
    /// stream is exhausted, or after the done marker).
    ///
    /// - Throws: `StreamCodecError` for input that is not the format (with its line and
    ///   offset), ``TypedRecordError`` for a record that does not decode as `Value`.
    public mutating func next() throws -> DecodedRecord<Value>? {
        while !sawDoneMarker, let record = try driver.next() {
            switch record.kind {
            case .comment, .control:
                continue
            case .event:
                if record.data.isEmpty { continue }
                if let doneMarker, record.data == doneMarker {
                    sawDoneMarker = true
                    return nil
                }
            case .json:
                break
            }
            count += 1
            let position = RecordPosition(recordNumber: count, line: driver.decoder.currentLine, byteOffset: driver.streamOffset)
            do {
                let value = try jsonDecoder.decode(Value.self, from: Data(record.data))
                return DecodedRecord(value: value, event: record.event, id: record.id, position: position)
            } catch {
                throw TypedRecordError(position: position, typeName: String(describing: Value.self), underlying: error)
            }
        }
        return nil
    }

    /// Warnings the decoder reported so far (for example a final SSE block discarded); each is
    /// returned once.
    public mutating func takeWarnings() -> [StreamCodecWarning] { driver.takeWarnings() }

    /// Every value of a whole buffer (the input ends with it).
    ///
    /// ```swift
    /// let chunks = try TypedRecordReader.values(of: Chunk.self, in: body, format: "ndjson")
    /// ```
    public static func values(
        of type: Value.Type, in bytes: some Collection<UInt8>, format: String,
        jsonDecoder: JSONDecoder = JSONDecoder(), doneMarker: String? = "[DONE]",
        options: CodecOptions = CodecOptions()
    ) throws -> [Value] {
        var reader = try TypedRecordReader(of: type, format: format, jsonDecoder: jsonDecoder, doneMarker: doneMarker, options: options)
        reader.append(bytes)
        reader.finishInput()
        var values: [Value] = []
        while let record = try reader.next() { values.append(record.value) }
        return values
    }
}
