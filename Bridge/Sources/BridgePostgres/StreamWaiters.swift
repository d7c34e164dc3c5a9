// Readers of the PostgreSQL store waiting for a stream to change. A notification (LISTEN/NOTIFY,
// payload: the stream's id) wakes the readers of that stream. No wake-up is lost between a
// reader's query and its wait: each stream that has readers has a generation, advanced by every
// notification for it; a reader takes the generation before it queries, and its wait returns at
// once when the generation has moved since (it queries again). Notifications for other streams
// do not disturb it. Bounded: one entry per stream being read, one continuation per waiting reader.

actor StreamWaiters {
    private struct Entry {
        var generation: UInt64 = 0
        var readers = 0
        var waiting: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    }
    private var streams: [String: Entry] = [:]
    private var nextKey: UInt64 = 0

    /// A reader starts reading `stream`: its notifications are counted until `leave`.
    func enter(_ stream: String) {
        streams[stream, default: Entry()].readers += 1
    }

    func leave(_ stream: String) {
        guard var entry = streams[stream] else { return }
        entry.readers -= 1
        streams[stream] = entry.readers > 0 || !entry.waiting.isEmpty ? entry : nil
    }

    /// The stream's generation: take it before querying, pass it to `wait` (between `enter` and `leave`).
    func generation(of stream: String) -> UInt64 { streams[stream]?.generation ?? 0 }

    /// Suspends until `stream` is notified after generation `since`, `wakeAll`, or the task is
    /// cancelled (`CancellationError`).
    func wait(for stream: String, since: UInt64) async throws {
        if (streams[stream]?.generation ?? 0) != since { return }
        let key = nextKey
        nextKey += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    streams[stream, default: Entry()].waiting[key] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancel(stream, key) }
        }
    }

    private func cancel(_ stream: String, _ key: UInt64) {
        streams[stream]?.waiting.removeValue(forKey: key)?.resume(throwing: CancellationError())
    }

    /// A notification for `stream`.
    func notify(_ stream: String) {
        guard var entry = streams[stream] else { return }
        entry.generation &+= 1
        let waiting = entry.waiting
        entry.waiting = [:]
        streams[stream] = entry
        for continuation in waiting.values { continuation.resume() }
    }

    /// Wakes every reader (they query again): after the listening connection was re-established,
    /// and periodically, so that a lapsed writer's lease is noticed.
    func wakeAll() {
        for stream in Array(streams.keys) { notify(stream) }
    }

    /// Streams being read and readers waiting (for tests).
    var counts: (streams: Int, waiting: Int) { (streams.count, streams.values.reduce(0) { $0 + $1.waiting.count }) }
}
