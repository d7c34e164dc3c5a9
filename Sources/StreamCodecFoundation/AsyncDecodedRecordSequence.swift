// Records to Decodable values from an AsyncSequence of byte chunks (a response body), pulled
// on demand: memory bounded by one chunk plus the record limit.
import Foundation
import StreamCodec

/// The values decoded from an `AsyncSequence` of byte chunks, record by record (see
/// ``TypedRecordReader`` for what is decoded and what is passed over).
///
/// ```swift
/// for try await chunk in body.decodedRecords(of: ChatChunk.self, format: "text/event-stream") {
///     print(chunk.value.choices.first?.delta.content ?? "")
/// }
/// ```
public struct AsyncDecodedRecordSequence<Base: AsyncSequence, Value: Decodable>: AsyncSequence
where Base.Element: Collection, Base.Element.Element == UInt8 {
    public typealias Element = DecodedRecord<Value>
    let base: Base
    let format: String
    let jsonDecoder: SendableBox<JSONDecoder>
    let doneMarker: String?
    let options: CodecOptions
    let maxRecordBytes: Int
    let registry: FormatRegistry

    public func makeAsyncIterator() -> AsyncIterator {
        // The format was checked when the sequence was made, so this cannot throw.
        let reader = try! TypedRecordReader(
            of: Value.self, format: format, jsonDecoder: jsonDecoder.value, doneMarker: doneMarker,
            options: options, maxRecordBytes: maxRecordBytes, registry: registry)
        return AsyncIterator(base: base.makeAsyncIterator(), reader: reader)
    }

    /// Pulls chunks from upstream only when the reader needs more input.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var reader: TypedRecordReader<Value>
        var done = false

        /// The next value; throws `StreamCodecError` or ``TypedRecordError`` (both with the
        /// position), or the upstream's error. After an error, the done marker or the end,
        /// every call returns nil.
        public mutating func next() async throws -> DecodedRecord<Value>? {
            if done { return nil }
            do {
                while true {
                    if let record = try reader.next() { return record }
                    if reader.sawDoneMarker || reader.isInputFinished {
                        done = true
                        return nil
                    }
                    if let chunk = try await base.next() {
                        reader.append(chunk)
                    } else {
                        reader.finishInput()
                    }
                }
            } catch {
                done = true
                throw error
            }
        }
    }
}

extension AsyncDecodedRecordSequence: Sendable where Base: Sendable {}

extension AsyncSequence where Element: Collection, Element.Element == UInt8 {
    /// This byte stream's records decoded as `type`, in the format named `format` (a name,
    /// alias or MIME type, such as the response's `Content-Type`).
    ///
    /// - Parameters:
    ///   - type: the type each record decodes into.
    ///   - format: the format's name, alias or MIME type.
    ///   - jsonDecoder: the decoder to use; it is shared by the iterations (do not change it while one runs).
    ///   - doneMarker: the SSE data that ends the stream (`nil`: none).
    ///   - options: the codec options (`maxDepth`, `arrayPointer`, ...).
    ///   - maxRecordBytes: the largest record, in bytes of input.
    ///   - registry: where `format` is looked up.
    /// - Throws: `StreamCodecError` (`invalidOptions`) when no format of `registry` reads `format`.
    public func decodedRecords<Value: Decodable>(
        of type: Value.Type, format: String, jsonDecoder: JSONDecoder = JSONDecoder(),
        doneMarker: String? = "[DONE]", options: CodecOptions = CodecOptions(),
        maxRecordBytes: Int = DecodingDriver<AnyStreamDecoder>.defaultRecordLimit,
        registry: FormatRegistry = .standard
    )
        throws(StreamCodecError) -> AsyncDecodedRecordSequence<Self, Value>
    {
        _ = try TypedRecordReader(of: type, format: format, options: options, registry: registry) // fail early on a bad format
        return AsyncDecodedRecordSequence(
            base: self, format: format, jsonDecoder: SendableBox(jsonDecoder), doneMarker: doneMarker,
            options: options, maxRecordBytes: maxRecordBytes, registry: registry)
    }
}

/// Foundation's JSON coders are classes without a `Sendable` conformance on every platform;
/// they are only read (their strategies) once configured.
struct SendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
