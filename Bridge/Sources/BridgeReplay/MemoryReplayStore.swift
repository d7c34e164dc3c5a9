// The in-memory replay store: per stream, a ring of its latest records bounded by a number of
// records and a number of bytes; ended streams are kept for a while, then expire, and the number
// of streams is bounded too. One process only: replicas that share streams need a shared store.

import StreamCodec

/// A ``ReplayStore`` in memory, bounded in records and bytes per stream and in streams.
///
/// When a stream's ring is full, its oldest records are evicted; a reader that still needed
/// them gets a ``ReplayRead/gap(from:to:)`` and goes on after it (a slow reader falls behind
/// this way, and is told). Memory is bounded by `streams x bytesPerStream` plus the records'
/// fixed overhead.
public actor MemoryReplayStore: ReplayStore {
    /// The bounds of the store.
    public struct Limits: Sendable, Hashable {
        /// Records kept per stream (the latest ones).
        public var recordsPerStream: Int
        /// Bytes of record payload (data, event type and id) kept per stream.
        public var bytesPerStream: Int
        /// Streams kept; when a new one would exceed this, the ended stream that ended first
        /// is dropped, and when none has ended, creating fails.
        public var streams: Int
        /// How long an ended stream stays readable.
        public var keepEnded: Duration

        public init(
            recordsPerStream: Int = 10_000, bytesPerStream: Int = 16 << 20, streams: Int = 1024,
            keepEnded: Duration = .seconds(300)
        ) {
            self.recordsPerStream = max(1, recordsPerStream)
            self.bytesPerStream = max(1, bytesPerStream)
            self.streams = max(1, streams)
            self.keepEnded = keepEnded
        }
    }

    /// The store is full of running streams: a new one cannot be created.
    public struct Full: Error, CustomStringConvertible {
        public var description: String { "the replay store holds its maximum number of running streams" }
    }

    private struct Stream {
        var info: ReplayStreamInfo
        /// The kept records: `entries[head...]`, positions consecutive, the last at `lastPosition`.
        var entries: [ReplayEntry] = []
        var head = 0
        var bytes = 0
        var lastPosition: UInt64 = 0
        var end: ReplayEnd?
        var endedAt: ContinuousClock.Instant?

        var firstKept: UInt64 { lastPosition - UInt64(entries.count - head) + 1 }
        var count: Int { entries.count - head }

        mutating func evictOldest() {
            bytes -= MemoryReplayStore.size(of: entries[head].record)
            head += 1
            // Compact once more than half of the array is evicted entries: amortised O(1).
            if head > 64 && head * 2 > entries.count {
                entries.removeFirst(head)
                head = 0
            }
        }
    }

    public let limits: Limits
    private var streams: [String: Stream] = [:]
    private var waiters: [String: [UInt64: CheckedContinuation<Void, any Error>]] = [:]
    private var nextWaiter: UInt64 = 0
    private let clock = ContinuousClock()

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// The bytes a record is charged: its data, event type and id.
    static func size(of record: Record) -> Int {
        record.data.count + (record.event?.utf8.count ?? 0) + (record.id?.utf8.count ?? 0)
    }

    public func create(_ info: ReplayStreamInfo) throws {
        expire()
        if streams[info.id] == nil && streams.count >= limits.streams {
            let oldest = streams.filter { $0.value.endedAt != nil }.min { $0.value.endedAt! < $1.value.endedAt! }
            guard let oldest else { throw Full() }
            streams[oldest.key] = nil
        }
        streams[info.id] = Stream(info: info)
    }

    @discardableResult
    public func append(_ record: Record, to id: String) throws -> UInt64 {
        guard var stream = streams[id] else { throw ReplayStoreError(.unknownStream, stream: id) }
        guard stream.end == nil else { throw ReplayStoreError(.streamEnded, stream: id) }
        streams[id] = nil // edit in place, without copying the entries
        stream.lastPosition += 1
        stream.entries.append(ReplayEntry(position: stream.lastPosition, record: record))
        stream.bytes += Self.size(of: record)
        // Keep the newest record even when it alone exceeds the byte bound.
        while stream.count > limits.recordsPerStream || (stream.bytes > limits.bytesPerStream && stream.count > 1) {
            stream.evictOldest()
        }
        let position = stream.lastPosition
        streams[id] = stream
        wake(id)
        return position
    }

    public func finish(_ id: String, _ end: ReplayEnd) throws {
        guard streams[id] != nil else { throw ReplayStoreError(.unknownStream, stream: id) }
        if streams[id]!.end == nil {
            streams[id]!.end = end
            streams[id]!.endedAt = clock.now
        }
        wake(id)
    }

    public func status(of id: String) -> ReplayStreamStatus? {
        expire()
        return streams[id].map { ReplayStreamStatus(info: $0.info, lastPosition: $0.lastPosition, end: $0.end) }
    }

    public func read(_ id: String, after position: UInt64, limit: Int) async throws -> ReplayRead {
        while true {
            try Task.checkCancellation()
            guard let stream = streams[id] else { throw ReplayStoreError(.unknownStream, stream: id) }
            if stream.count > 0 && position + 1 < stream.firstKept {
                return .gap(from: position + 1, to: stream.firstKept - 1)
            }
            if position < stream.lastPosition {
                if stream.count == 0 { return .gap(from: position + 1, to: stream.lastPosition) }
                let start = stream.head + Int(position + 1 - stream.firstKept)
                let end = min(stream.entries.count, start + max(1, limit))
                return .records(Array(stream.entries[start..<end]))
            }
            if let end = stream.end { return .end(end) }
            try await waitForChange(id)
        }
    }

    /// Suspends until the stream gets a record or ends, or the task is cancelled.
    private func waitForChange(_ id: String) async throws {
        let key = nextWaiter
        nextWaiter += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[id, default: [:]][key] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id, key) }
        }
    }

    private func cancelWaiter(_ id: String, _ key: UInt64) {
        waiters[id]?.removeValue(forKey: key)?.resume(throwing: CancellationError())
    }

    private func wake(_ id: String) {
        guard let waiting = waiters.removeValue(forKey: id) else { return }
        for continuation in waiting.values { continuation.resume() }
    }

    /// Drops ended streams older than `keepEnded` (their waiting readers get an unknown stream).
    private func expire() {
        let now = clock.now
        for (id, stream) in streams {
            if let endedAt = stream.endedAt, now - endedAt > limits.keepEnded {
                streams[id] = nil
                wake(id)
            }
        }
    }

    /// The number of streams kept (for tests and the access log's summary).
    public var streamCount: Int { streams.count }
}
