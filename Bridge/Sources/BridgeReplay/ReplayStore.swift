// The replay store: where a bridge keeps the records of the streams it reads, so that a client
// can resume after a dropped connection and several clients can follow one upstream stream,
// without the upstream being asked again.
//
// A stream is a sequence of records numbered from 1 (its positions), then an end (finished or
// failed). Readers ask for the records after a position; a store may forget old records (its
// bounds), and then says so with a gap instead of skipping them silently.

import StreamCodec

/// What a bridge knows about a stream besides its records.
public struct ReplayStreamInfo: Sendable, Hashable {
    /// The stream's id: 32 lowercase hex digits (128 random bits).
    public var id: String
    /// The input format's name (`sse`, `ndjson`, ...): the records are of its family.
    public var format: String
    /// The keyed hash of the credentials of the request that started the stream (see
    /// `CredentialBinding`), or nil when it carried none. Never the credentials themselves.
    public var binding: [UInt8]?

    public init(id: String, format: String, binding: [UInt8]?) {
        self.id = id
        self.format = format
        self.binding = binding
    }
}

/// Where a stream stands: its info, its last position, and its end once it ended.
public struct ReplayStreamStatus: Sendable, Hashable {
    public var info: ReplayStreamInfo
    /// The position of the last record appended (0: none yet).
    public var lastPosition: UInt64
    /// How it ended, or nil while it runs.
    public var end: ReplayEnd?

    public init(info: ReplayStreamInfo, lastPosition: UInt64, end: ReplayEnd?) {
        self.info = info
        self.lastPosition = lastPosition
        self.end = end
    }
}

/// How a stream ended.
public enum ReplayEnd: Sendable, Hashable {
    /// The upstream ended the stream normally.
    case finished
    /// The upstream failed, or ended without its end marker; the message says how.
    case failed(String)
}

/// One stored record and its position in its stream (1, 2, 3, ...).
public struct ReplayEntry: Sendable, Hashable {
    public var position: UInt64
    public var record: Record

    public init(position: UInt64, record: Record) {
        self.position = position
        self.record = record
    }
}

/// The answer to a read: what comes after the position asked for.
public enum ReplayRead: Sendable, Hashable {
    /// The next records, in order, starting right after the position asked for.
    case records([ReplayEntry])
    /// The records `from...to` are no longer kept (evicted by the store's bounds): the reader
    /// goes on after `to`.
    case gap(from: UInt64, to: UInt64)
    /// Every record has been read and the stream has ended.
    case end(ReplayEnd)
}

/// A store failure a caller can act on.
public struct ReplayStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// No stream with this id (never created, or expired).
        case unknownStream
        /// The stream already ended; nothing more can be appended.
        case streamEnded
        /// The store holds as many running streams as allowed: no new one can be created.
        case full
        /// Another replica reads this stream's upstream (a shared store's writer lease).
        case notWriter
    }
    public var code: Code
    public var stream: String
    public init(_ code: Code, stream: String) {
        self.code = code
        self.stream = stream
    }
    public var description: String {
        switch code {
        case .unknownStream: "no stream \(stream) in the replay store (never started, or expired)"
        case .streamEnded: "stream \(stream) has ended; nothing more can be appended"
        case .full: "the replay store holds its maximum number of running streams"
        case .notWriter: "stream \(stream) is written by another replica (it holds the writer lease)"
        }
    }
}

/// Keeps the records of streams for replay: one writer per stream appends, any number of
/// readers read from any position, each at its own pace.
///
/// ```swift
/// let store = MemoryReplayStore(limits: .init(recordsPerStream: 10_000, bytesPerStream: 8 << 20))
/// try await store.create(ReplayStreamInfo(id: id, format: "ndjson", binding: nil))
/// try await store.append(record, to: id)                 // position 1
/// try await store.finish(id, .finished)
/// let read = try await store.read(id, after: 0, limit: 64)   // .records([position 1])
/// ```
public protocol ReplayStore: Sendable {
    /// Starts a stream with no records.
    func create(_ info: ReplayStreamInfo) async throws
    /// Appends the stream's next record and returns its position.
    @discardableResult
    func append(_ record: Record, to stream: String) async throws -> UInt64
    /// Ends the stream; readers waiting for more are woken.
    func finish(_ stream: String, _ end: ReplayEnd) async throws
    /// Where the stream stands, without waiting; nil when the store does not know it.
    func status(of stream: String) async throws -> ReplayStreamStatus?
    /// The records after `position` (at most `limit`), a gap when the next one was evicted, or
    /// the end; waits while the stream is running and has nothing new. Cancelling the calling
    /// task ends the wait with `CancellationError`.
    func read(_ stream: String, after position: UInt64, limit: Int) async throws -> ReplayRead
}
