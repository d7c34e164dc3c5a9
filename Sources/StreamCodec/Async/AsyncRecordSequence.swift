// Decoding an asynchronous byte stream into records, pull-based: the iterator asks upstream for
// more only when the decoder needs more input, so upstream back-pressure holds and memory is
// bounded by one chunk plus the record limit (as swift-nio's NIODecodedAsyncSequence).

/// The records decoded from an `AsyncSequence` of byte chunks.
///
/// ```swift
/// for try await record in response.body.decodedRecords(SSEDecoder()) {
///     print(record.event ?? "message", record.text)
/// }
/// ```
public struct AsyncRecordSequence<Base: AsyncSequence, Decoder: StreamDecoder>: AsyncSequence
where Base.Element: Collection, Base.Element.Element == UInt8 {
    public typealias Element = Record
    let base: Base
    let decoder: Decoder
    let maxRecordBytes: Int
    let skipsBadRecords: Bool

    public func makeAsyncIterator() -> AsyncIterator {
        var driver = DecodingDriver(decoder: decoder, maxRecordBytes: maxRecordBytes)
        driver.skipsBadRecords = skipsBadRecords
        return AsyncIterator(base: base.makeAsyncIterator(), driver: driver)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var driver: DecodingDriver<Decoder>
        var done = false

        /// The next record; throws ``StreamCodecError`` (with the position) for bad input, or
        /// the upstream's error. After an error or the end, every call returns nil.
        public mutating func next() async throws -> Record? {
            if done { return nil }
            do {
                while true {
                    if let record = try driver.next() { return record }
                    if driver.isInputFinished {
                        done = true
                        return nil
                    }
                    if let chunk = try await base.next() {
                        driver.append(chunk)
                    } else {
                        driver.finishInput()
                    }
                }
            } catch {
                done = true
                throw error
            }
        }

        /// Warnings the decoder reported so far (for example a final SSE block discarded).
        public mutating func takeWarnings() -> [StreamCodecWarning] { driver.takeWarnings() }
    }
}

extension AsyncRecordSequence: Sendable where Base: Sendable, Decoder: Sendable {}

extension AsyncSequence where Element: Collection, Element.Element == UInt8 {
    /// Decodes this byte stream with `decoder`. Chunks may be `[UInt8]`, `ArraySlice<UInt8>`,
    /// NIO's `ByteBufferView`, Foundation's `Data`: any collection of bytes.
    ///
    /// - Parameters:
    ///   - maxRecordBytes: the largest record, in bytes of input (default 16 MiB).
    ///   - skipBadRecords: drop bad records instead of throwing, where the format can resume.
    public func decodedRecords<Decoder: StreamDecoder>(
        _ decoder: Decoder, maxRecordBytes: Int = DecodingDriver<AnyStreamDecoder>.defaultRecordLimit,
        skipBadRecords: Bool = false
    ) -> AsyncRecordSequence<Self, Decoder> {
        AsyncRecordSequence(base: self, decoder: decoder, maxRecordBytes: maxRecordBytes, skipsBadRecords: skipBadRecords)
    }

    /// Decodes this byte stream in the format named `format` (a name, alias or MIME type, such as
    /// a response's `Content-Type`).
    public func decodedRecords(
        format: String, options: CodecOptions = CodecOptions(), maxRecordBytes: Int = DecodingDriver<AnyStreamDecoder>.defaultRecordLimit,
        registry: FormatRegistry = .standard
    ) throws(StreamCodecError) -> AsyncRecordSequence<Self, AnyStreamDecoder> {
        guard let found = registry.format(named: format), let make = found.makeDecoder else {
            throw StreamCodecError(.invalidOptions, "no decoder for format '\(format)'")
        }
        return AsyncRecordSequence(
            base: self, decoder: AnyStreamDecoder(make(options)), maxRecordBytes: maxRecordBytes, skipsBadRecords: false)
    }
}

/// Groups a stream of single bytes (as `URLSession.AsyncBytes` delivers them) into chunks, so a
/// decoder is not driven one byte per call. A chunk is handed on as soon as its last byte could
/// end a record of a built-in format (LF, CR, space, tab, RS, `}`, `]`, `"`, `,`, or the last
/// letter of `true`, `false`, `null`), or when it reaches `maximumChunk` bytes, so grouping never
/// holds back a finished record.
public struct AsyncByteChunks<Base: AsyncSequence>: AsyncSequence where Base.Element == UInt8 {
    public typealias Element = [UInt8]
    let base: Base
    let maximumChunk: Int

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), maximumChunk: maximumChunk) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let maximumChunk: Int
        var done = false

        public mutating func next() async throws -> [UInt8]? {
            if done { return nil }
            var chunk: [UInt8] = []
            while let byte = try await base.next() {
                chunk.append(byte)
                if chunk.count >= maximumChunk || AsyncByteChunks.mayEndRecord(byte) { return chunk }
            }
            done = true
            return chunk.isEmpty ? nil : chunk
        }
    }

    @inline(__always)
    static func mayEndRecord(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x0A, 0x0D, 0x20, 0x09, 0x1E, 0x7D, 0x5D, 0x22, 0x2C, 0x65, 0x6C: return true
        default: return false
        }
    }
}

extension AsyncByteChunks: Sendable where Base: Sendable {}

extension AsyncSequence where Element == UInt8 {
    /// This stream of single bytes grouped into chunks (see ``AsyncByteChunks``).
    public func chunked(maximumChunk: Int = 4096) -> AsyncByteChunks<Self> {
        AsyncByteChunks(base: self, maximumChunk: maximumChunk)
    }

    /// Decodes this stream of single bytes (for example `URLSession.AsyncBytes`) with `decoder`.
    public func decodedRecords<Decoder: StreamDecoder>(
        _ decoder: Decoder, maxRecordBytes: Int = DecodingDriver<AnyStreamDecoder>.defaultRecordLimit
    ) -> AsyncRecordSequence<AsyncByteChunks<Self>, Decoder> {
        chunked().decodedRecords(decoder, maxRecordBytes: maxRecordBytes)
    }
}
