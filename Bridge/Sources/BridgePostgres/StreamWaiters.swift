// Readers of the PostgreSQL store waiting for a stream to change. A notification (LISTEN/NOTIFY,
// payload: the stream's id) wakes the readers of that stream. No wake-up is lost between a
// reader's query and its wait: every notification advances an epoch; a reader takes the epoch
// before it queries, and its wait returns at once when the epoch has moved since (it queries
// again). Bounded: one continuation per waiting reader and one counter.

actor StreamWaiters {
    private var epoch: UInt64 = 0
    private var waiters: [String: [UInt64: CheckedContinuation<Void, any Error>]] = [:]
    private var nextKey: UInt64 = 0

    /// The current epoch: take it before querying, pass it to `wait`.
    var current: UInt64 { epoch }

    /// Suspends until `stream` is notified, any notification came after `since`, `wakeAll`, or
    /// the task is cancelled (`CancellationError`).
    func wait(for stream: String, since: UInt64) async throws {
        if epoch != since { return }
        let key = nextKey
        nextKey += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[stream, default: [:]][key] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancel(stream, key) }
        }
    }

    private func cancel(_ stream: String, _ key: UInt64) {
        guard let continuation = waiters[stream]?.removeValue(forKey: key) else { return }
        if waiters[stream]?.isEmpty == true { waiters[stream] = nil }
        continuation.resume(throwing: CancellationError())
    }

    /// A notification for `stream`.
    func notify(_ stream: String) {
        epoch &+= 1
        guard let waiting = waiters.removeValue(forKey: stream) else { return }
        for continuation in waiting.values { continuation.resume() }
    }

    /// Wakes every reader (they query again): after the listening connection was re-established,
    /// and periodically, so that a lapsed writer's lease is noticed.
    func wakeAll() {
        epoch &+= 1
        let all = waiters
        waiters = [:]
        for continuations in all.values { for continuation in continuations.values { continuation.resume() } }
    }

    /// Readers waiting (for tests).
    var waiting: Int { waiters.values.reduce(0) { $0 + $1.count } }
}
