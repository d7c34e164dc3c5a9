// Issue 7, requirement 3: early termination and cancellation of every async adapter.
// - Breaking out of `for try await` releases upstream: the instrumented upstream iterator is
//   deinitialised and is not asked for anything more.
// - Cancelling the consuming Task ends the iteration promptly (the upstream here waits until it is
//   cancelled, as URLSession's bytes or an AsyncStream do).
// - Heartbeats: dropping the iterator cancels its pump task, and upstream is released.
// Waits are polls with deadlines of 1-2 s that a passing run never reaches; nothing sleeps long.
import Foundation
import StreamCodec
import Testing

/// The adapters under test, each built over an instrumented upstream.
enum AsyncAdapter: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case decodedRecords = "chunks.decodedRecords(SSEDecoder())"
    case decodedByFormat = "chunks.decodedRecords(format: \"text/event-stream\")"
    case decodedBytes = "bytes.decodedRecords(SSEDecoder())"
    case chunked = "bytes.chunked()"
    case encoded = "records.encoded(SSEEncoder())"
    case converted = "chunks.converted(from: \"sse\", to: \"ndjson\")"
    case heartbeat = "chunks.heartbeat(every:)"
    var testDescription: String { rawValue }

    /// SSE events `data: {"n":i}` (JSON data, so the ndjson conversion has output for each).
    static func eventBytes(_ i: Int) -> [UInt8] { u8("data: {\"n\":\(i)}\n\n") }

    /// Iterates this adapter over an upstream of `count` records' worth of elements followed by
    /// an endless wait if `thenHang`, calling `body` for each element until it returns false.
    func iterate(
        count: Int, thenHang: Bool = false, probe: UpstreamProbe, heartbeatInterval: Duration = .seconds(10),
        _ body: () -> Bool
    ) async throws {
        func steps<E: Sendable>(_ elements: [E]) -> [UpstreamStep<E>] {
            elements.map { .element($0) } + (thenHang ? [.hang] : [])
        }
        let chunks = (1...count).map(Self.eventBytes)
        switch self {
        case .decodedRecords:
            for try await _ in ScriptedUpstream(steps(chunks), probe: probe).decodedRecords(SSEDecoder()) { if !body() { break } }
        case .decodedByFormat:
            for try await _ in try ScriptedUpstream(steps(chunks), probe: probe).decodedRecords(format: "text/event-stream") {
                if !body() { break }
            }
        case .decodedBytes:
            for try await _ in ScriptedUpstream(steps(chunks.flatMap { $0 }), probe: probe).decodedRecords(SSEDecoder()) {
                if !body() { break }
            }
        case .chunked:
            for try await _ in ScriptedUpstream(steps(chunks.flatMap { $0 }), probe: probe).chunked() { if !body() { break } }
        case .encoded:
            let records = (1...count).map { Record.event(data: "{\"n\":\($0)}") }
            for try await _ in ScriptedUpstream(steps(records), probe: probe).encoded(SSEEncoder()) { if !body() { break } }
        case .converted:
            for try await _ in try ScriptedUpstream(steps(chunks), probe: probe).converted(from: "sse", to: "ndjson") {
                if !body() { break }
            }
        case .heartbeat:
            for try await _ in ScriptedUpstream(steps(chunks), probe: probe).heartbeat(every: heartbeatInterval) { if !body() { break } }
        }
    }
}

@Suite("Async adapters release upstream when the consumer stops")
struct AsyncCancellationTests {
    // Issue 7, requirement 3: breaking out of a `for try await` loop releases upstream.
    @Test(
        "Breaking out of for-try-await after the first element releases the upstream iterator and asks it for nothing more",
        arguments: AsyncAdapter.allCases)
    func breakReleasesUpstream(_ adapter: AsyncAdapter) async throws {
        let probe = UpstreamProbe()
        var taken = 0
        try await adapter.iterate(count: 50, probe: probe) {
            taken += 1
            return false
        }
        #expect(taken == 1)
        // The heartbeat pump ends asynchronously, after its cancellation; the others at once.
        #expect(await pollUntil { probe.isReleased }, "the upstream iterator was released (made \(probe.iteratorsMade))")
        let pulls = probe.pulls
        await letOthersRun()
        #expect(probe.pulls == pulls, "nothing is pulled after the loop ended")
        // One chunk (or the bytes of one record) was needed; allow one more.
        let allowed = adapter == .decodedBytes || adapter == .chunked ? AsyncAdapter.eventBytes(1).count + 1 : 2
        #expect(probe.delivered <= allowed, "the adapter did not read on: \(probe.delivered) elements were pulled")
    }

    // Issue 7, requirement 3: cancelling the consuming Task ends iteration promptly. The
    // upstream gives two records, then waits until its task is cancelled.
    @Test(
        "Cancelling the consuming task ends the iteration promptly while upstream is waiting",
        arguments: AsyncAdapter.allCases.filter { $0 != .heartbeat })
    func cancellingTheConsumerEndsIteration(_ adapter: AsyncAdapter) async throws {
        try await checkCancellationEndsIteration(adapter, heartbeatInterval: .seconds(10))
    }

    // The same for the heartbeat sequence: its pump is a separate task, so the consumer's
    // cancellation must reach it (and the consumer, who is waiting in the channel, must wake up).
    //
    // A regression guard: the pump was once an unstructured `Task {}` that did not inherit the
    // consumer's cancellation, and the consumer waited in `HeartbeatChannel.next` on a
    // continuation with no cancellation handler, so after `consumer.cancel()` upstream was never
    // cancelled and heartbeats kept coming. Fixed: cancellation reaches both.
    @Test(
        "Cancelling the task consuming heartbeat chunks ends the iteration promptly while upstream is waiting",
        arguments: [Duration.milliseconds(50), .seconds(10)])
    func cancellingTheHeartbeatConsumerEndsIteration(_ interval: Duration) async throws {
        try await checkCancellationEndsIteration(.heartbeat, heartbeatInterval: interval)
    }

    func checkCancellationEndsIteration(_ adapter: AsyncAdapter, heartbeatInterval: Duration) async throws {
        let probe = UpstreamProbe()
        let received = LockedValue(0)
        let consumer = Task {
            try await adapter.iterate(count: 2, thenHang: true, probe: probe, heartbeatInterval: heartbeatInterval) {
                received.mutate { $0 += 1 }
                return true
            }
        }
        // Wait until the consumer took what upstream had and upstream is waiting.
        #expect(await pollUntil { probe.isWaiting && received.value >= 1 }, "upstream reached its wait")
        consumer.cancel()
        let ended = await pollUntil { probe.cancelledWaits > 0 }
        #expect(ended, "the upstream's wait was cancelled")
        do {
            try await withDeadline("the cancelled consumer to finish") { try await consumer.value }
        } catch is CancellationError {
            // Ending with CancellationError (the upstream's) is a prompt end too.
        } catch let error as TimedOut {
            Issue.record("\(error): the iteration did not end after cancellation (\(received.value) elements received)")
        }
        #expect(await pollUntil { probe.isReleased }, "upstream released")
    }
}

@Suite("Heartbeat sequence: dropping the iterator stops its pump and releases upstream")
struct AsyncHeartbeatReleaseTests {
    // Issue 7, requirement 3, heartbeat: the pump is inside upstream's next() (upstream silent).
    @Test("Dropping a heartbeat iterator while upstream is silent cancels the pump's wait and releases upstream")
    func dropWhileUpstreamWaits() async throws {
        let probe = UpstreamProbe()
        let upstream = ScriptedUpstream<[UInt8]>([.element(u8("data: 1\n\n")), .hang], probe: probe)
        // In a function of its own, so the iterator surely ends with it.
        func use() async throws {
            let iterator = upstream.heartbeat(every: .milliseconds(50)).makeAsyncIterator()
            #expect(try await iterator.next() == u8("data: 1\n\n"))
            #expect(try await iterator.next() == u8(":\n"), "a heartbeat while upstream waits")
            #expect(await pollUntil { probe.isWaiting }, "the pump is waiting inside upstream")
        }
        try await use()
        #expect(await pollUntil { probe.cancelledWaits == 1 }, "the pump task was cancelled")
        #expect(await pollUntil { probe.isReleased }, "the upstream iterator was released")
    }

    // The pump is waiting for demand (the consumer took an element and asks for no more).
    @Test("Dropping a heartbeat iterator between elements ends its pump and releases upstream without another pull")
    func dropBetweenElements() async throws {
        let probe = UpstreamProbe()
        let upstream = ScriptedUpstream(elements: [u8("data: 1\n\n"), u8("data: 2\n\n"), u8("data: 3\n\n")], probe: probe)
        // In a function of its own, so the iterator surely ends with it.
        func use() async throws {
            let iterator = upstream.heartbeat(every: .seconds(10)).makeAsyncIterator()
            #expect(try await iterator.next() == u8("data: 1\n\n"))
            await letOthersRun()
        }
        try await use()
        #expect(await pollUntil { probe.isReleased }, "the upstream iterator was released")
        #expect(probe.pulls == 1, "the pump asked upstream only for the element the consumer took")
    }

    @Test("A heartbeat iterator that is made and dropped without use pulls nothing and releases upstream")
    func dropUnused() async throws {
        let probe = UpstreamProbe()
        let upstream = ScriptedUpstream(elements: [u8("data: 1\n\n")], probe: probe)
        do {
            let iterator = upstream.heartbeat(every: .milliseconds(50)).makeAsyncIterator()
            _ = iterator
        }
        #expect(await pollUntil { probe.isReleased }, "the upstream iterator was released")
        #expect(probe.pulls == 0)
    }
}
