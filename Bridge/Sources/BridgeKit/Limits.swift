// Counting what the limits bound: upstream streams being read (--max-streams, answered 503 when
// full) and requests in flight per client address (--max-client-requests, answered 429). A
// streaming response counts as in flight until its last byte is written.

actor LimitCounters {
    private var streams = 0
    private var perClient: [String: Int] = [:]
    let maxStreams: Int
    let maxPerClient: Int

    init(maxStreams: Int, maxPerClient: Int) {
        self.maxStreams = maxStreams
        self.maxPerClient = maxPerClient
    }

    /// Takes a stream slot, or returns false when all are taken.
    func takeStream() -> Bool {
        guard streams < maxStreams else { return false }
        streams += 1
        return true
    }

    func releaseStream() { streams -= 1 }

    /// Counts a request of `client`, or returns false when it has as many in flight as allowed.
    func enter(_ client: String) -> Bool {
        let count = perClient[client, default: 0]
        guard count < maxPerClient else { return false }
        perClient[client] = count + 1
        return true
    }

    func leave(_ client: String) {
        let count = perClient[client, default: 1] - 1
        perClient[client] = count > 0 ? count : nil
    }

    var runningStreams: Int { streams }
}

/// A request in flight, counted for its client until the response lets go of it.
final class ClientSlot: Sendable {
    let limits: LimitCounters
    let client: String

    init(limits: LimitCounters, client: String) {
        self.limits = limits
        self.client = client
    }

    deinit {
        let (limits, client) = (self.limits, self.client)
        Task { await limits.leave(client) }
    }
}
