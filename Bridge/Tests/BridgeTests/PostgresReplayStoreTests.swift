// The PostgreSQL replay store against a real server: positions and reads, a waiting reader woken
// by an append (NOTIFY), the records and bytes bounds, expiry, the streams bound, every record
// kind kept exactly, and two store instances (two replicas) sharing one stream: the second reads
// the first's records live, may not append, and sees the stream fail when the writer's lease
// lapses. Needs BRIDGE_TEST_POSTGRES_URL (postgres://USER@HOST:PORT/DB) and, for password
// authentication, BRIDGE_TEST_POSTGRES_PASSWORD_FILE; `.ci/run` starts a server and sets both
// (Bridge/postgres/server.sh). Each test uses a schema of its own.

import BridgePostgres
import BridgeReplay
import Foundation
import StreamCodec
import Testing

enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["BRIDGE_TEST_POSTGRES_URL"]
    static var available: Bool { url != nil }
    static let skipReason: Comment =
        "BRIDGE_TEST_POSTGRES_URL is not set: no PostgreSQL server for these tests (.ci/run starts one with Bridge/postgres/server.sh)"

    static var password: String? {
        guard let path = ProcessInfo.processInfo.environment["BRIDGE_TEST_POSTGRES_PASSWORD_FILE"] else {
            return ProcessInfo.processInfo.environment["PGPASSWORD"]
        }
        return (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A location in a fresh schema.
    static func location(_ name: String = "t") throws -> PostgresStoreLocation {
        var location = try PostgresStoreLocation(url!)
        location.schema = "\(name)_\(UInt64.random(in: 0 ... .max) % 1_000_000_000_000)"
        location.tls = .disable
        return location
    }

    static func store(_ location: PostgresStoreLocation, _ limits: PostgresReplayStore.Limits = .init()) async throws -> PostgresReplayStore
    {
        try await PostgresReplayStore.connect(location, password: password, limits: limits)
    }
}

/// `body`'s result, or a failure when it takes longer than `seconds`.
func within<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            return nil
        }
        let first = try await group.next()!
        group.cancelAll()
        guard let first else { throw TimedOut(seconds: seconds) }
        return first
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "no result within \(seconds) s" }
}

@Suite("PostgreSQL replay store", .enabled(if: TestPostgres.available, TestPostgres.skipReason))
struct PostgresReplayStoreTests {
    func info(_ id: String, binding: [UInt8]? = nil) -> ReplayStreamInfo { ReplayStreamInfo(id: id, format: "ndjson", binding: binding) }
    func record(_ n: Int, size: Int = 0) -> Record { try! Record.json(#"{"n":\#(n),"pad":"\#(String(repeating: "x", count: size))"}"#) }
    func positions(_ read: ReplayRead) -> [UInt64] {
        if case .records(let entries) = read { return entries.map(\.position) }
        return []
    }

    @Test("records get positions 1, 2, 3, are read after any position in batches, then the end")
    func appendAndRead() async throws {
        let store = try await TestPostgres.store(try TestPostgres.location())
        try await store.create(info("s", binding: [1, 2, 3]))
        for n in 1...5 { #expect(try await store.append(record(n), to: "s") == UInt64(n)) }
        #expect(positions(try await store.read("s", after: 0, limit: 2)) == [1, 2])
        let read = try await store.read("s", after: 2, limit: 64)
        #expect(positions(read) == [3, 4, 5])
        if case .records(let entries) = read { #expect(entries.map(\.record) == (3...5).map { record($0) }) }
        try await store.finish("s", .finished)
        #expect(try await store.read("s", after: 5, limit: 64) == .end(.finished))
        let status = try await store.status(of: "s")
        #expect(
            status?.lastPosition == 5 && status?.end == .finished && status?.info.binding == [1, 2, 3] && status?.info.format == "ndjson")
        #expect(try await store.status(of: "nope") == nil)
        await #expect(throws: ReplayStoreError(.unknownStream, stream: "nope")) { try await store.read("nope", after: 0, limit: 1) }
        await #expect(throws: ReplayStoreError(.streamEnded, stream: "s")) { try await store.append(record(6), to: "s") }
        await store.close()
    }

    @Test("every record kind comes back exactly: events with type, id and retry, control blocks, comments, JSON")
    func recordKinds() async throws {
        let store = try await TestPostgres.store(try TestPostgres.location())
        let records: [Record] = [
            .event(data: "line 1\nline 2", event: "delta", id: "x-1", retry: "250"),
            .event(data: [0xE2, 0x82, 0xAC, 0x00, 0x7B]),
            .control(id: "", retry: "100"),
            .comment(" keep-alive"),
            try .json(#"{"a":[1,2,{"b":null}],"c":"\u00e9"}"#),
        ]
        try await store.create(ReplayStreamInfo(id: "k", format: "sse", binding: nil))
        for r in records { try await store.append(r, to: "k") }
        let read = try await store.read("k", after: 0, limit: 64)
        guard case .records(let entries) = read else {
            Issue.record("expected records, got \(read)")
            await store.close()
            return
        }
        #expect(entries.map(\.record) == records)
        await store.close()
    }

    @Test("a reader waiting for the next record is woken by the append at once, not by the periodic wake-up")
    func notify() async throws {
        let store = try await TestPostgres.store(try TestPostgres.location(), .init(lease: .seconds(60)))
        try await store.create(info("w"))
        let reader = Task { try await store.read("w", after: 0, limit: 64) }
        try await Task.sleep(for: .milliseconds(300))
        let appended = ContinuousClock.now
        try await store.append(record(1), to: "w")
        // The maintenance loop wakes readers every lease/3 = 20 s; this must come much sooner.
        let read = try await within(5) { try await reader.value }
        #expect(positions(read) == [1])
        #expect(ContinuousClock.now - appended < .seconds(2))
        // The end wakes a waiting reader too.
        let endReader = Task { try await store.read("w", after: 1, limit: 64) }
        try await Task.sleep(for: .milliseconds(200))
        try await store.finish("w", .failed("upstream broke off"))
        #expect(try await within(5) { try await endReader.value } == .end(.failed("upstream broke off")))
        // Cancelling a waiting reader ends its wait.
        try await store.create(info("c"))
        let cancelled = Task { try await store.read("c", after: 0, limit: 64) }
        try await Task.sleep(for: .milliseconds(200))
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await within(5) { try await cancelled.value } }
        await store.close()
    }

    @Test("the records bound keeps the latest records; a reader of evicted ones gets a gap, then the rest")
    func recordBound() async throws {
        let store = try await TestPostgres.store(try TestPostgres.location(), .init(recordsPerStream: 3))
        try await store.create(info("s"))
        for n in 1...10 { try await store.append(record(n), to: "s") }
        #expect(try await store.read("s", after: 0, limit: 64) == .gap(from: 1, to: 7))
        #expect(positions(try await store.read("s", after: 7, limit: 64)) == [8, 9, 10])
        #expect(try await store.read("s", after: 2, limit: 64) == .gap(from: 3, to: 7))
        await store.close()
    }

    @Test("the byte bound evicts the oldest records, but keeps the newest even when it alone is larger")
    func byteBound() async throws {
        let store = try await TestPostgres.store(try TestPostgres.location(), .init(recordsPerStream: 1000, bytesPerStream: 100))
        try await store.create(info("s"))
        for n in 1...10 { try await store.append(record(n, size: 30), to: "s") } // about 47 bytes each
        #expect(try await store.read("s", after: 0, limit: 64) == .gap(from: 1, to: 8))
        #expect(positions(try await store.read("s", after: 8, limit: 64)) == [9, 10])
        try await store.append(record(11, size: 500), to: "s")
        #expect(try await store.read("s", after: 8, limit: 64) == .gap(from: 9, to: 10))
        #expect(positions(try await store.read("s", after: 10, limit: 64)) == [11])
        await store.close()
    }

    @Test("ended streams expire after keepEnded; running ones stay")
    func expiry() async throws {
        let store = try await TestPostgres.store(
            try TestPostgres.location(), .init(keepEnded: .milliseconds(800), lease: .milliseconds(600)))
        try await store.create(info("ended"))
        try await store.create(info("running"))
        try await store.append(record(1), to: "ended")
        try await store.finish("ended", .finished)
        #expect(try await store.status(of: "ended") != nil)
        try await Task.sleep(for: .milliseconds(1600))
        #expect(try await store.status(of: "ended") == nil)
        #expect(try await store.status(of: "running")?.end == nil) // its lease is renewed by the store
        #expect(try await store.streamCount() == 1)
        await store.close()
    }

    @Test("the streams bound: the oldest ended stream makes room; with none ended, creating fails")
    func streamsBound() async throws {
        let store = try await TestPostgres.store(try TestPostgres.location(), .init(streams: 2))
        try await store.create(info("a"))
        try await store.create(info("b"))
        try await store.finish("a", .finished)
        try await store.create(info("c"))
        #expect(try await store.status(of: "a") == nil)
        await #expect(throws: ReplayStoreError(.full, stream: "d")) { try await store.create(info("d")) }
        #expect(try await store.streamCount() == 2)
        await store.close()
    }

    @Test("two store instances (two replicas) share a stream: live records (NOTIFY), one writer, the end")
    func twoReplicas() async throws {
        let location = try TestPostgres.location("r")
        // A long lease: the periodic wake-up (every third of it) cannot be what wakes B's reader.
        let a = try await TestPostgres.store(location, .init(lease: .seconds(60)))
        let b = try await TestPostgres.store(location, .init(lease: .seconds(60)))
        #expect(a.replicaID != b.replicaID)
        try await a.create(info("s", binding: [9]))
        try await a.append(record(1), to: "s")
        // B sees A's stream and record at once, and a reader on B is woken by A's next append.
        #expect(try await b.status(of: "s")?.info.binding == [9])
        #expect(positions(try await b.read("s", after: 0, limit: 64)) == [1])
        let waiting = Task { try await b.read("s", after: 1, limit: 64) }
        try await Task.sleep(for: .milliseconds(300))
        let appended = ContinuousClock.now
        try await a.append(record(2), to: "s")
        #expect(positions(try await within(5) { try await waiting.value }) == [2])
        #expect(ContinuousClock.now - appended < .seconds(2)) // by the NOTIFY
        // Only the writer appends.
        await #expect(throws: ReplayStoreError(.notWriter, stream: "s")) { try await b.append(record(3), to: "s") }
        let onA = Task { try await a.read("s", after: 2, limit: 64) }
        let onB = Task { try await b.read("s", after: 2, limit: 64) }
        try await Task.sleep(for: .milliseconds(200))
        try await a.finish("s", .finished)
        #expect(try await within(5) { try await onA.value } == .end(.finished))
        #expect(try await within(5) { try await onB.value } == .end(.finished))
        await a.close()
        await b.close()
    }

    @Test("a writer that stops (its lease lapses) ends its streams failed on the other replicas, instead of hanging")
    func lapsedLease() async throws {
        let location = try TestPostgres.location("l")
        let a = try await TestPostgres.store(location, .init(lease: .milliseconds(900)))
        let b = try await TestPostgres.store(location, .init(lease: .milliseconds(900)))
        try await a.create(info("s"))
        try await a.append(record(1), to: "s")
        let waiting = Task { try await b.read("s", after: 1, limit: 64) }
        try await Task.sleep(for: .milliseconds(1500)) // A renews: the stream still runs
        #expect(try await b.status(of: "s")?.end == nil)
        await a.close() // replica A dies without ending its stream
        let read = try await within(10) { try await waiting.value }
        guard case .end(.failed(let message)) = read else {
            Issue.record("expected a failed end, got \(read)")
            await b.close()
            return
        }
        #expect(message.contains("lease"))
        await b.close()
    }

    @Test("a wrong password is refused with the server's reason, quickly")
    func wrongPassword() async throws {
        guard TestPostgres.password != nil else { return } // trust authentication: nothing to refuse
        let location = try TestPostgres.location()
        let started = ContinuousClock.now
        do {
            let store = try await PostgresReplayStore.connect(location, password: "wrong", connectTimeout: .seconds(20))
            await store.close()
            Issue.record("connected with a wrong password")
        } catch let error as PostgresReplayStore.Unavailable {
            #expect(error.description.contains("password authentication failed"))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
