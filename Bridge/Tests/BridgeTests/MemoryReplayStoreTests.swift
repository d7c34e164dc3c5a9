// The in-memory replay store: positions, bounds in records and bytes, gaps, the end, waiting
// readers, and the number of streams.

import BridgeReplay
import StreamCodec
import Testing

@Suite("Memory replay store")
struct MemoryReplayStoreTests {
    func info(_ id: String) -> ReplayStreamInfo { ReplayStreamInfo(id: id, format: "ndjson", binding: nil) }
    func record(_ n: Int, size: Int = 0) -> Record { try! Record.json(#"{"n":\#(n),"pad":"\#(String(repeating: "x", count: size))"}"#) }
    func positions(_ read: ReplayRead) -> [UInt64] {
        if case .records(let entries) = read { return entries.map(\.position) }
        return []
    }

    @Test("records get positions 1, 2, 3 and are read after any position, in batches")
    func positionsAndBatches() async throws {
        let store = MemoryReplayStore()
        try await store.create(info("s"))
        for n in 1...5 { #expect(try await store.append(record(n), to: "s") == UInt64(n)) }
        #expect(positions(try await store.read("s", after: 0, limit: 2)) == [1, 2])
        #expect(positions(try await store.read("s", after: 2, limit: 64)) == [3, 4, 5])
        try await store.finish("s", .finished)
        #expect(try await store.read("s", after: 5, limit: 64) == .end(.finished))
        let status = await store.status(of: "s")
        #expect(status?.lastPosition == 5 && status?.end == .finished)
    }

    @Test("the ring keeps the latest records: a reader of evicted ones gets a gap, then the rest")
    func recordBound() async throws {
        let store = MemoryReplayStore(limits: .init(recordsPerStream: 3))
        try await store.create(info("s"))
        for n in 1...10 { try await store.append(record(n), to: "s") }
        #expect(try await store.read("s", after: 0, limit: 64) == .gap(from: 1, to: 7))
        #expect(positions(try await store.read("s", after: 7, limit: 64)) == [8, 9, 10])
        #expect(try await store.read("s", after: 2, limit: 64) == .gap(from: 3, to: 7))
    }

    @Test("the byte bound evicts the oldest records, but keeps the newest even when it alone is larger")
    func byteBound() async throws {
        let store = MemoryReplayStore(limits: .init(recordsPerStream: 1000, bytesPerStream: 100))
        try await store.create(info("s"))
        for n in 1...10 { try await store.append(record(n, size: 30), to: "s") } // about 47 bytes each
        #expect(try await store.read("s", after: 0, limit: 64) == .gap(from: 1, to: 8))
        #expect(positions(try await store.read("s", after: 8, limit: 64)) == [9, 10])
        try await store.append(record(11, size: 500), to: "s")
        #expect(try await store.read("s", after: 8, limit: 64) == .gap(from: 9, to: 10))
        #expect(positions(try await store.read("s", after: 10, limit: 64)) == [11])
    }

    @Test("many evictions compact the ring and keep positions right")
    func compaction() async throws {
        let store = MemoryReplayStore(limits: .init(recordsPerStream: 7))
        try await store.create(info("s"))
        for n in 1...1000 { try await store.append(record(n), to: "s") }
        #expect(positions(try await store.read("s", after: 993, limit: 64)) == [994, 995, 996, 997, 998, 999, 1000])
        #expect(try await store.read("s", after: 992, limit: 64) == .gap(from: 993, to: 993))
    }

    @Test("a reader waits for the live tail and is woken by an append, then by the end")
    func waiting() async throws {
        let store = MemoryReplayStore()
        try await store.create(info("s"))
        async let first = store.read("s", after: 0, limit: 64)
        try await Task.sleep(for: .milliseconds(50))
        try await store.append(record(1), to: "s")
        #expect(positions(try await first) == [1])
        async let second = store.read("s", after: 1, limit: 64)
        try await Task.sleep(for: .milliseconds(50))
        try await store.finish("s", .failed("cut off"))
        #expect(try await second == .end(.failed("cut off")))
        await #expect(throws: ReplayStoreError.self) { try await store.append(record(2), to: "s") }
    }

    @Test("cancelling a waiting reader ends its wait")
    func cancellation() async throws {
        let store = MemoryReplayStore()
        try await store.create(info("s"))
        let reader = Task { try await store.read("s", after: 0, limit: 64) }
        try await Task.sleep(for: .milliseconds(50))
        reader.cancel()
        await #expect(throws: CancellationError.self) { try await reader.value }
    }

    @Test("unknown streams are errors; when full, the stream that ended first makes room, running ones never")
    func streamBound() async throws {
        let store = MemoryReplayStore(limits: .init(streams: 2))
        await #expect(throws: ReplayStoreError.self) { try await store.read("nope", after: 0, limit: 1) }
        #expect(await store.status(of: "nope") == nil)
        try await store.create(info("a"))
        try await store.create(info("b"))
        await #expect(throws: MemoryReplayStore.Full.self) { try await store.create(info("c")) }
        try await store.finish("b", .finished)
        try await store.create(info("c"))
        #expect(await store.status(of: "b") == nil)
        #expect(await store.status(of: "a") != nil)
    }

    @Test("ended streams expire after keepEnded")
    func expiry() async throws {
        let store = MemoryReplayStore(limits: .init(keepEnded: .milliseconds(50)))
        try await store.create(info("s"))
        try await store.finish("s", .finished)
        #expect(await store.status(of: "s") != nil)
        try await Task.sleep(for: .milliseconds(120))
        #expect(await store.status(of: "s") == nil)
    }
}
