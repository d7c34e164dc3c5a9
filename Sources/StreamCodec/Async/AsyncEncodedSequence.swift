// Encoding an asynchronous stream of records into byte chunks, one chunk per record, each
// emitted the moment its record arrives; and a byte-to-byte conversion between two formats.

/// The byte chunks of records encoded with a ``StreamEncoder``: one chunk per record (the
/// first also carries what the format writes before the first record, and a last chunk carries
/// what it writes after the last one, if anything).
public struct AsyncEncodedSequence<Base: AsyncSequence, Encoder: StreamEncoder>: AsyncSequence where Base.Element == Record {
    public typealias Element = [UInt8]
    let base: Base
    let encoder: Encoder

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), encoder: encoder) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var encoder: Encoder
        var started = false
        var finished = false

        /// The next chunk. After an error or the end, every call returns nil.
        public mutating func next() async throws -> [UInt8]? {
            if finished { return nil }
            var chunk: [UInt8] = []
            do {
                if !started {
                    started = true
                    try encoder.start(into: &chunk)
                }
                while let record = try await base.next() {
                    try encoder.encode(record, into: &chunk)
                    if !chunk.isEmpty { return chunk }
                }
                finished = true
                try encoder.finish(into: &chunk)
                return chunk.isEmpty ? nil : chunk
            } catch {
                finished = true
                throw error
            }
        }
    }
}

extension AsyncEncodedSequence: Sendable where Base: Sendable, Encoder: Sendable {}

extension AsyncSequence where Element == Record {
    /// These records encoded with `encoder`, one chunk per record.
    ///
    /// ```swift
    /// let body = records.encoded(SSEEncoder())   // AsyncSequence of [UInt8]
    /// ```
    public func encoded<Encoder: StreamEncoder>(_ encoder: Encoder) -> AsyncEncodedSequence<Self, Encoder> {
        AsyncEncodedSequence(base: self, encoder: encoder)
    }
}

/// A byte stream converted from one format into another with a ``Converter``: each upstream
/// chunk yields the output of every record it completes (chunks that complete none yield
/// nothing), and the end of the stream yields what the end of input completes.
public struct AsyncConvertedSequence<Base: AsyncSequence>: AsyncSequence where Base.Element: Collection, Base.Element.Element == UInt8 {
    public typealias Element = [UInt8]
    let base: Base
    let makeConverter: @Sendable () throws(StreamCodecError) -> Converter

    public func makeAsyncIterator() -> AsyncIterator {
        do throws(StreamCodecError) {
            return AsyncIterator(base: base.makeAsyncIterator(), converter: try makeConverter(), pendingError: nil)
        } catch {
            return AsyncIterator(base: base.makeAsyncIterator(), converter: nil, pendingError: error)
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var converter: Converter?
        /// An error to throw on the next call: output produced before it is handed out first.
        var pendingError: (any Error)?
        var done = false

        /// The next chunk of output. When the input turns out bad, the output of every record
        /// before the bad one comes first, then the error; after an error or the end, every call
        /// returns nil.
        public mutating func next() async throws -> [UInt8]? {
            if let error = pendingError {
                pendingError = nil
                done = true
                throw error
            }
            var output: [UInt8] = []
            while !done {
                do {
                    if converter!.isStopped {
                        done = true
                        try converter!.finish(into: &output)
                    } else if let chunk = try await base.next() {
                        try converter!.convert(chunk, into: &output)
                    } else {
                        done = true
                        try converter!.finish(into: &output)
                    }
                } catch {
                    done = true
                    if output.isEmpty { throw error }
                    pendingError = error
                    return output
                }
                if !output.isEmpty { return output }
            }
            return nil
        }
    }
}

extension AsyncConvertedSequence: Sendable where Base: Sendable {}

extension AsyncSequence where Element: Collection, Element.Element == UInt8 {
    /// This byte stream converted from one format to another (names, aliases or MIME types;
    /// `from: "auto"` detects the input format).
    ///
    /// ```swift
    /// let sse = upstreamBody.converted(from: "ndjson", to: "sse")
    /// ```
    public func converted(
        from source: String, to target: String, options: ConversionOptions = ConversionOptions(),
        registry: FormatRegistry = .standard
    ) throws(StreamCodecError) -> AsyncConvertedSequence<Self> {
        _ = try Converter(from: source, to: target, options: options, registry: registry) // fail early on bad options
        return AsyncConvertedSequence(base: self) { () throws(StreamCodecError) in
            try Converter(from: source, to: target, options: options, registry: registry)
        }
    }

    /// This byte stream converted by converters that `makeConverter` builds (one per iteration),
    /// for conversions that need transforms of their own:
    ///
    /// ```swift
    /// let body = upstream.converted {
    ///     Converter(makeDecoder: { NDJSONDecoder() }, transforms: [MyTransform()], encoder: SSEEncoder())
    /// }
    /// ```
    public func converted(using makeConverter: @escaping @Sendable () throws(StreamCodecError) -> Converter) -> AsyncConvertedSequence<Self>
    {
        AsyncConvertedSequence(base: self, makeConverter: makeConverter)
    }
}
