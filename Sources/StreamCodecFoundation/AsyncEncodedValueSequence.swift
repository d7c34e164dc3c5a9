// Encodable values to the bytes of an output format, from an AsyncSequence of values.
import Foundation
import StreamCodec

/// An `AsyncSequence` of `Encodable` values written as records of an output format (see
/// ``TypedRecordWriter``): each value yields its record's bytes at once (the first also the
/// format's opening), and the end yields the format's closing, if it has one.
///
/// ```swift
/// let body = chunks.encodedRecords(format: "ndjson")   // AsyncSequence of [UInt8]
/// ```
public struct AsyncEncodedValueSequence<Base: AsyncSequence>: AsyncSequence where Base.Element: Encodable {
    public typealias Element = [UInt8]
    let base: Base
    let makeWriter: @Sendable () -> TypedRecordWriter
    let fields: (@Sendable (Base.Element) -> (event: String?, id: String?))?

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), writer: makeWriter(), fields: fields)
    }

    /// Encodes each value as it arrives.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var writer: TypedRecordWriter
        let fields: ((Base.Element) -> (event: String?, id: String?))?
        var done = false

        /// The bytes of the next record (or of the closing); throws ``TypedRecordError`` for a
        /// value that does not encode, or the upstream's error. After an error or the end,
        /// every call returns nil.
        public mutating func next() async throws -> [UInt8]? {
            if done { return nil }
            var output: [UInt8] = []
            do {
                while output.isEmpty {
                    if let value = try await base.next() {
                        let sse = fields?(value)
                        try writer.write(value, event: sse?.event, id: sse?.id, into: &output)
                    } else {
                        done = true
                        try writer.finish(into: &output)
                        return output.isEmpty ? nil : output
                    }
                }
                return output
            } catch {
                done = true
                throw error
            }
        }
    }
}

extension AsyncEncodedValueSequence: Sendable where Base: Sendable {}

extension AsyncSequence where Element: Encodable {
    /// These values written as records of the format named `format` (a name, alias or MIME type).
    ///
    /// ```swift
    /// let body = try events.encodedRecords(format: "sse") { event in (event: event.type, id: nil) }
    /// ```
    ///
    /// - Parameters:
    ///   - format: the output format's name, alias or MIME type.
    ///   - jsonEncoder: the encoder to use; it is shared by the iterations (do not change it while one runs).
    ///   - options: the codec options.
    ///   - registry: where `format` is looked up.
    ///   - fields: the SSE event type and id of each value (SSE output only; `nil`: none).
    /// - Throws: `StreamCodecError` (`invalidOptions`) when no format of `registry` writes `format`.
    public func encodedRecords(
        format: String, jsonEncoder: JSONEncoder = JSONEncoder(), options: CodecOptions = CodecOptions(),
        registry: FormatRegistry = .standard,
        fields: (@Sendable (Element) -> (event: String?, id: String?))? = nil
    )
        throws(StreamCodecError) -> AsyncEncodedValueSequence<Self>
    {
        _ = try TypedRecordWriter(format: format, options: options, registry: registry) // fail early on a bad format
        let encoder = SendableBox(jsonEncoder)
        return AsyncEncodedValueSequence(
            base: self,
            makeWriter: {
                // The format was checked above, so this cannot throw.
                try! TypedRecordWriter(format: format, jsonEncoder: encoder.value, options: options, registry: registry)
            }, fields: fields)
    }
}
