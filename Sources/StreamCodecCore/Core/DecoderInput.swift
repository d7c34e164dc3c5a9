// The buffered input a decoder reads from. The driver owns it: it appends what arrives,
// compacts it, and enforces the record-size limit, so a decoder never owns I/O or memory.

/// Bytes handed to a ``StreamDecoder``: what has arrived and is not yet consumed.
///
/// A decoder reads ``readableCount`` bytes through ``withReadableBytes(_:)`` and calls
/// ``consume(_:)`` for the bytes it has finished with. The position fields let a decoder
/// name where an error is.
public struct DecoderInput: Sendable {
    @usableFromInline var storage: [UInt8]
    @usableFromInline var readerIndex: Int = 0
    @usableFromInline var writerIndex: Int = 0
    /// The absolute offset in the stream of the first readable byte.
    public private(set) var streamOffset: Int = 0
    /// The largest record, in bytes of input, a decoder may produce (see ``checkRecordSize(_:line:)``).
    public let recordLimit: Int
    /// Non-fatal problems a decoder reported, drained by the driver.
    var warnings: [StreamCodecWarning] = []
    /// Calls of ``shrinkIfIdle(to:)`` in a row that found grown storage and little buffered.
    @usableFromInline var idleChecks = 0

    init(recordLimit: Int, initialCapacity: Int = 64 * 1024) {
        self.recordLimit = recordLimit
        self.storage = [UInt8](repeating: 0, count: max(initialCapacity, 16))
    }

    /// The number of bytes that have arrived and are not yet consumed.
    @inlinable
    public var readableCount: Int { writerIndex - readerIndex }

    /// Calls `body` with the readable bytes. The pointer is valid only inside `body`.

    public func withReadableBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[readerIndex..<writerIndex]))
        }
    }

    /// Marks the first `count` readable bytes as consumed.

    public mutating func consume(_ count: Int) {
        precondition(count >= 0 && count <= readableCount, "consume(\(count)) beyond the readable bytes")
        readerIndex += count
        streamOffset += count
        if readerIndex == writerIndex {
            readerIndex = 0
            writerIndex = 0
        }
    }

    /// Overwrites the first `bytes.count` readable bytes.
    mutating func overwriteReadablePrefix(with bytes: [UInt8]) {
        precondition(bytes.count <= readableCount, "overwriting beyond the readable bytes")
        for (k, byte) in bytes.enumerated() { storage[readerIndex + k] = byte }
    }

    /// Throws ``StreamCodecError/Code/recordTooLarge`` when `size` bytes exceed ``recordLimit``.
    ///
    /// Every decoder calls this with the input size of each record it completes, so the
    /// limit is exact whatever the split of the input into reads.

    public func checkRecordSize(_ size: Int, line: Int?) throws(StreamCodecError) {
        if size > recordLimit { throw DecoderInput.tooLarge(limit: recordLimit, line: line, offset: streamOffset) }
    }

    @usableFromInline
    static func tooLarge(limit: Int, line: Int?, offset: Int?) -> StreamCodecError {
        StreamCodecError(
            .recordTooLarge,
            "record larger than the limit of \(formatByteCount(limit)) (raise it with ConversionOptions.maxRecordBytes)",
            line: line, byteOffset: offset)
    }

    /// Reports a non-fatal problem (for example a final block discarded at end of input).
    public mutating func warn(_ message: String, line: Int? = nil) {
        warnings.append(StreamCodecWarning(message: message, line: line))
    }

    // MARK: - Driver side

    /// Appends `bytes` after the readable bytes. (Inlinable: a caller feeding a byte at a time
    /// pays a store, not a call.)
    @inlinable @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        if n == 0 { return }
        if storage.count - writerIndex < n { reserveWritable(n) }
        let at = writerIndex
        storage.withUnsafeMutableBytes { all in
            if n == 1 {
                all[at] = bytes[0]
            } else {
                (all.baseAddress! + at).copyMemory(from: bytes.baseAddress!, byteCount: n)
            }
        }
        writerIndex = at + n
    }

    /// Appends `bytes` after the readable bytes.
    mutating func append<C: Collection<UInt8>>(_ bytes: C) {
        let n = bytes.count
        reserveWritable(n)
        storage.withUnsafeMutableBufferPointer { buf in
            _ = UnsafeMutableBufferPointer(rebasing: buf[writerIndex..<writerIndex + n]).initialize(from: bytes)
        }
        writerIndex += n
    }

    /// Lets `fill` write up to `maximum` bytes after the readable bytes; it returns how many it wrote.
    mutating func write<E: Error>(maximum: Int, _ fill: (UnsafeMutableRawBufferPointer) throws(E) -> Int) throws(E) -> Int {
        reserveWritable(maximum)
        let start = writerIndex
        let result: Result<Int, E> = storage.withUnsafeMutableBytes { all in
            do throws(E) { return .success(try fill(UnsafeMutableRawBufferPointer(rebasing: all[start..<start + maximum]))) } catch {
                return .failure(error)
            }
        }
        let written = try result.get()
        precondition(written >= 0 && written <= maximum)
        writerIndex += written
        return written
    }

    /// Makes room for `count` more bytes: moves the readable bytes to the front when that
    /// frees enough space, grows the storage otherwise. Amortised O(1) per byte.
    @usableFromInline
    mutating func reserveWritable(_ count: Int) {
        if storage.count - writerIndex >= count { return }
        let readable = readableCount
        // Compact when that frees enough room. (Copying into a new buffer of the same size would
        // copy the same bytes and, for a large record, briefly hold twice its memory.)
        if readerIndex > 0 && readable + count <= storage.count {
            storage.withUnsafeMutableBytes { all in
                let base = all.baseAddress!
                base.copyMemory(from: base + readerIndex, byteCount: readable)
            }
            readerIndex = 0
            writerIndex = readable
            return
        }
        var newCount = storage.count
        while newCount - readable < count { newCount *= 2 }
        moveReadable(toStorageOf: newCount)
    }

    /// Moves the readable bytes to the start of new storage of `size` bytes. Only they are
    /// copied; the rest is left as malloc gave it (not zero-filled), so pages of a large record's
    /// storage become resident only as input arrives. UInt8 is trivial and bytes past
    /// `writerIndex` are never read before `write`/`append` fill them.
    private mutating func moveReadable(toStorageOf size: Int) {
        let from = readerIndex
        let readable = readableCount
        storage = storage.withUnsafeBytes { src in
            [UInt8](unsafeUninitializedCapacity: size) { dst, initialized in
                UnsafeMutableRawPointer(dst.baseAddress!).copyMemory(from: src.baseAddress! + from, byteCount: readable)
                initialized = size
            }
        }
        readerIndex = 0
        writerIndex = readable
    }

    /// Releases storage grown for a large record once large records stop coming: after 16 calls
    /// in a row (one per read that ended without a complete record) with at most half of
    /// `capacity` buffered. While large records keep coming the storage is kept: releasing it
    /// after each one made the next grow it again, and the fresh pages of every new allocation
    /// cost a page fault each (30,000 faults for 61 MB of 0.9 MB lines written one per write,
    /// where reading the file took 1,300). Peak memory is the same either way: the largest record.
    @usableFromInline
    mutating func shrinkIfIdle(to capacity: Int) {
        guard storage.count > capacity * 4 else { return }
        guard readableCount <= capacity / 2 else {
            idleChecks = 0
            return
        }
        idleChecks += 1
        guard idleChecks >= 16 else { return }
        idleChecks = 0
        moveReadable(toStorageOf: capacity)
    }
}

/// A non-fatal problem found while decoding.
public struct StreamCodecWarning: Sendable, Hashable, CustomStringConvertible {
    /// What happened.
    public var message: String
    /// The 1-based input line it concerns, when known.
    public var line: Int?
    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}

/// "16 MiB", "1000 bytes": a byte count as a person reads it.
func formatByteCount(_ n: Int) -> String {
    let units: [(Int, String)] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
    for (size, name) in units where n >= size && n % size == 0 { return "\(n / size) \(name)" }
    return "\(n) bytes"
}
