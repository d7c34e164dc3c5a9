// The driver: owns the input buffer, compacts it, and bounds memory by the record-size
// limit, so no decoder (ours or a user's) can make memory grow with the stream.

/// Feeds bytes to a decoder and pulls records out.
///
/// ```swift
/// var driver = DecodingDriver(decoder: SSEDecoder())
/// driver.append(Array("data: hi\n\n".utf8))
/// while let record = try driver.next() { print(record.text) }   // "hi"
/// driver.finishInput()
/// while let record = try driver.next() { print(record.text) }   // what end of input completes
/// ```
///
/// Memory is bounded by the record limit plus one appended chunk: when the decoder needs
/// more input while the unconsumed bytes and the bytes it holds exceed the limit, ``next()``
/// throws ``StreamCodecError/Code/recordTooLarge``.
public struct DecodingDriver<Decoder: StreamDecoder> {
    /// The decoder, for its own state (for example ``SSEDecoder/lastEventID``).
    public var decoder: Decoder { _decoder }
    // Stored under these names (and `@usableFromInline`) so that `next()` can be inlined and
    // specialised into code of other modules: generic code called across a module boundary is
    // otherwise run unspecialised, at several times the cost per call.
    @usableFromInline var _decoder: Decoder
    @usableFromInline var input: DecoderInput
    /// True once ``finishInput()`` was called.
    public private(set) var isInputFinished = false
    @usableFromInline var isDrained = false
    /// The decoder's ``StreamDecoder/decodeTrigger`` is ``DecodeTrigger/lineBreak``.
    @usableFromInline var wakesOnLineBreaks: Bool
    /// The decoder asked for more input, and nothing appended since can change its answer: no
    /// line break, and at most `awaitBudget` readable bytes (the record limit minus the bytes the
    /// decoder holds, so the limit is still enforced at the same byte). Only for decoders that
    /// wake on line breaks.
    @usableFromInline var awaitsLineBreak = false
    @usableFromInline var awaitBudget = 0
    /// Drop bad records (with a warning each) instead of throwing, when the decoder can find
    /// the next record boundary. Truncated input is never skipped: it still throws.
    public var skipsBadRecords = false
    /// Records dropped because ``skipsBadRecords`` is set.
    public private(set) var skippedCount = 0
    /// Keep each skipped record's bytes (see ``takeRejectedRecords()``).
    public var keepsRejectedRecords = false
    @usableFromInline var rejected: [RejectedRecord] = []

    /// The default record-size limit: 16 MiB.
    public static var defaultRecordLimit: Int { 16 << 20 }

    /// - Parameters:
    ///   - decoder: the format's decoder.
    ///   - maxRecordBytes: the largest record, in bytes of input, that may be decoded.
    public init(decoder: Decoder, maxRecordBytes: Int = Self.defaultRecordLimit) {
        precondition(maxRecordBytes > 0, "the record limit must be positive")
        self._decoder = decoder
        self.wakesOnLineBreaks = decoder.decodeTrigger == .lineBreak
        self.input = DecoderInput(recordLimit: maxRecordBytes, initialCapacity: min(64 * 1024, maxRecordBytes + 16))
    }

    /// The record limit in bytes.
    public var maxRecordBytes: Int { input.recordLimit }
    /// Bytes appended so far and consumed by the decoder (the offset of the next unread byte).
    public var streamOffset: Int { input.streamOffset }
    /// Bytes appended and not yet consumed.
    public var bufferedByteCount: Int { input.readableCount }

    /// Appends input bytes.
    @inlinable
    public mutating func append(_ bytes: some Collection<UInt8>) {
        // Contiguous bytes (arrays, slices, buffers) take one non-generic copy, whoever calls.
        if bytes.withContiguousStorageIfAvailable({ appendContiguous(UnsafeRawBufferPointer($0)) }) == nil {
            appendGeneric(bytes)
        }
    }

    /// Appends input bytes (a buffer: one copy, inlined into the caller).
    @inlinable @inline(__always)
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        appendContiguous(bytes)
    }

    /// Appends input bytes (a buffer: one copy, inlined into the caller).
    @inlinable @inline(__always)
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        appendContiguous(UnsafeRawBufferPointer(bytes))
    }

    @inlinable @inline(__always)
    mutating func appendContiguous(_ bytes: UnsafeRawBufferPointer) {
        precondition(!isInputFinished, "append after finishInput()")
        input.append(bytes)
        if awaitsLineBreak { awaitsLineBreak = input.readableCount <= awaitBudget && Self.lacksLineBreak(bytes) }
    }

    /// True when `bytes` is short and holds no CR or LF (a longer chunk is left to the decoder).
    @inlinable @inline(__always)
    static func lacksLineBreak(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if bytes.count == 1 { return bytes[0] != 0x0A && bytes[0] != 0x0D }
        return bytes.count <= 64 && lacksLineBreakSlow(bytes)
    }

    @usableFromInline
    static func lacksLineBreakSlow(_ bytes: UnsafeRawBufferPointer) -> Bool {
        !bytes.contains { $0 == 0x0A || $0 == 0x0D }
    }

    @usableFromInline
    mutating func appendGeneric(_ bytes: some Collection<UInt8>) {
        precondition(!isInputFinished, "append after finishInput()")
        input.append(bytes)
        awaitsLineBreak = false
    }

    /// Lets `fill` write up to `maximum` bytes straight into the input buffer (for `read(2)`);
    /// `fill` returns how many it wrote.
    public mutating func appendInPlace<E: Error>(maximum: Int, _ fill: (UnsafeMutableRawBufferPointer) throws(E) -> Int) throws(E) -> Int {
        precondition(!isInputFinished, "append after finishInput()")
        awaitsLineBreak = false
        return try input.write(maximum: maximum, fill)
    }

    /// Marks the end of input: ``next()`` then also returns what end of input completes.
    public mutating func finishInput() {
        isInputFinished = true
        awaitsLineBreak = false
    }

    /// The next record, or `nil` when more input is needed (or, after ``finishInput()``,
    /// when the stream is exhausted).
    @inlinable
    public mutating func next() throws(StreamCodecError) -> Record? {
        if isInputFinished {
            if isDrained { return nil }
            while true {
                do throws(StreamCodecError) {
                    if let record = try _decoder.decodeLast(&input) { return record }
                    isDrained = true
                    return nil
                } catch {
                    try skipOrThrow(error)
                }
            }
        }
        return try advance { decoder, input throws(StreamCodecError) in try decoder.decode(&input) }
    }

    /// One decoding step before the end of input, with the driver's rules around it: `step`
    /// runs the decoder (for `next()`, its `decode`; for a converter's fast lane, a step that
    /// hands over a record's bytes without building it); when it needs more input the record
    /// limit is enforced; bad records are skipped when ``skipsBadRecords`` is set.
    @inlinable @inline(__always)
    mutating func advance<R>(_ step: (inout Decoder, inout DecoderInput) throws(StreamCodecError) -> R?) throws(StreamCodecError) -> R? {
        if awaitsLineBreak { return nil }
        while true {
            do throws(StreamCodecError) {
                if let result = try step(&_decoder, &input) { return result }
                let held = _decoder.heldByteCount
                if input.readableCount + held > input.recordLimit {
                    throw DecoderInput.tooLarge(limit: input.recordLimit, line: _decoder.currentLine, offset: input.streamOffset)
                }
                input.shrinkIfIdle(to: 64 * 1024)
                if wakesOnLineBreaks {
                    awaitsLineBreak = true
                    awaitBudget = input.recordLimit - held
                }
                return nil
            } catch {
                try skipOrThrow(error)
            }
        }
    }

    /// Under ``skipsBadRecords``, lets the decoder drop the bad record (with a warning);
    /// otherwise, or when it cannot, rethrows.
    @usableFromInline
    mutating func skipOrThrow(_ error: StreamCodecError) throws(StreamCodecError) {
        guard skipsBadRecords, error.code != .truncated else { throw error }
        let kept = keepsRejectedRecords ? rejectedRecord(error) : nil
        guard _decoder.skipBadRecord(&input, after: error) else { throw error }
        if let kept { rejected.append(kept) }
        skippedCount += 1
        input.warn("skipped: " + error.message, line: error.line)
    }

    /// The unread bytes from their start to the end of the line the error was found on (at
    /// most the record limit): for line-based NDJSON exactly the bad line.
    @usableFromInline
    func rejectedRecord(_ error: StreamCodecError) -> RejectedRecord {
        let start = input.streamOffset
        let raw: [UInt8] = input.withReadableBytes { bytes in
            let from = max(0, min(bytes.count, (error.byteOffset ?? start) - start))
            let end = bytes[from...].firstIndex(of: 0x0A) ?? bytes.count
            return Array(bytes[0..<min(end, input.recordLimit)])
        }
        return RejectedRecord(raw: raw, line: error.line, byteOffset: start, reason: error.message)
    }

    /// Takes the records skipped so far (with ``keepsRejectedRecords``).
    public mutating func takeRejectedRecords() -> [RejectedRecord] {
        defer { rejected.removeAll() }
        return rejected
    }

    /// Replaces the decoder before it has consumed anything (auto-detection).
    mutating func replaceDecoder(_ decoder: Decoder) {
        self._decoder = decoder
        wakesOnLineBreaks = decoder.decodeTrigger == .lineBreak
        awaitsLineBreak = false
    }

    /// Drops `count` buffered bytes that no decoder has to see (auto-detection's leading blank
    /// lines), then overwrites the first bytes left with `prefix` (auto-detection keeps a
    /// leading BOM in front of the bytes it did not drop; positions stay those of the stream).
    mutating func discardBuffered(_ count: Int, thenPrefix prefix: [UInt8] = []) {
        input.consume(count)
        input.overwriteReadablePrefix(with: prefix)
        awaitsLineBreak = false
    }

    /// Calls `body` with the buffered, unconsumed bytes.
    func withBufferedBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        input.withReadableBytes(body)
    }

    /// Takes the warnings the decoder reported so far.
    public mutating func takeWarnings() -> [StreamCodecWarning] {
        defer { input.warnings.removeAll() }
        return input.warnings
    }
}

extension DecodingDriver: Sendable {}
