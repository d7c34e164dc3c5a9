// The PostgreSQL store's waiting readers: a notification wakes the readers of its stream only;
// one that came between a reader's query and its wait is not lost; cancelling ends a wait; the
// bookkeeping goes away with the last reader.

import Testing

@testable import BridgePostgres

@Suite("PostgreSQL store: waiting readers")
struct StreamWaitersTests {
    @Test("a notification wakes the readers of its stream, not those of another")
    func wakesItsOwn() async throws {
        let waiters = StreamWaiters()
        await waiters.enter("a")
        await waiters.enter("b")
        let ga = await waiters.generation(of: "a")
        let gb = await waiters.generation(of: "b")
        let a = Task {
            try await waiters.wait(for: "a", since: ga)
            return "a"
        }
        let b = Task {
            try await waiters.wait(for: "b", since: gb)
            return "b"
        }
        while await waiters.counts.waiting < 2 { await Task.yield() }
        await waiters.notify("a")
        #expect(try await a.value == "a")
        try await Task.sleep(for: .milliseconds(100))
        #expect(await waiters.counts.waiting == 1) // b still waits
        await waiters.notify("other") // a stream nobody reads: nothing changes
        #expect(await waiters.counts.waiting == 1)
        await waiters.notify("b")
        #expect(try await b.value == "b")
    }

    @Test("a notification between the query and the wait is not lost: the wait returns at once")
    func noLostWakeup() async throws {
        let waiters = StreamWaiters()
        await waiters.enter("s")
        let before = await waiters.generation(of: "s")
        await waiters.notify("s") // arrives while the reader is querying
        try await waiters.wait(for: "s", since: before) // returns, does not hang
        #expect(await waiters.generation(of: "s") == before + 1)
    }

    @Test("cancelling a wait ends it; the last reader's leave removes the stream's entry")
    func cancelAndLeave() async throws {
        let waiters = StreamWaiters()
        await waiters.enter("s")
        let g = await waiters.generation(of: "s")
        let waiting = Task { try await waiters.wait(for: "s", since: g) }
        while await waiters.counts.waiting < 1 { await Task.yield() }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        await waiters.leave("s")
        let counts = await waiters.counts
        #expect(counts.streams == 0 && counts.waiting == 0)
        await waiters.wakeAll() // with nobody waiting: nothing to do
    }
}
