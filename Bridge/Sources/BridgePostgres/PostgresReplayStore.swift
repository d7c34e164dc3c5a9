// The replay store in PostgreSQL (postgres-nio), shared by several bridge replicas: a record
// appended by the replica that reads the upstream is visible to every replica at once (each
// append NOTIFYs; every store LISTENs and wakes its waiting readers), ended streams expire after
// `keepEnded`, and each stream is bounded in records and bytes as in the memory store (the oldest
// go, readers get a gap). Docs/Bridging.md, "Several replicas".
//
// Writer ownership: the replica that receives the request that starts a stream creates it with
// its own replica id and a lease; only that replica reads the upstream and appends (the append
// function refuses any other). It renews its leases while it runs; when a replica dies, its
// streams' leases lapse and the stream ends failed (subscribers get the error record) instead of
// hanging: nobody asks the upstream again, since a model would answer differently.

import BridgeReplay
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import PostgresNIO
import StreamCodec

/// A ``ReplayStore`` in PostgreSQL, shared by replicas. Create with ``connect(_:password:limits:logger:)``,
/// end with ``close()``.
public final class PostgresReplayStore: ReplayStore {
    /// The bounds of the store and its timings.
    public struct Limits: Sendable, Hashable {
        /// Records kept per stream (the latest ones).
        public var recordsPerStream: Int
        /// Bytes of record payload (data, event type and id) kept per stream.
        public var bytesPerStream: Int
        /// Streams kept (all replicas together); when a new one would exceed this, the ended
        /// stream that ended first is dropped, and when none has ended, creating fails.
        public var streams: Int
        /// How long an ended stream stays readable.
        public var keepEnded: Duration
        /// How long a writer's lease lasts without renewal; renewed every third of it.
        public var lease: Duration
        /// Connections to PostgreSQL (one more for LISTEN).
        public var connections: Int

        public init(
            recordsPerStream: Int = 10_000, bytesPerStream: Int = 16 << 20, streams: Int = 1024,
            keepEnded: Duration = .seconds(300), lease: Duration = .seconds(10), connections: Int = 16
        ) {
            self.recordsPerStream = max(1, recordsPerStream)
            self.bytesPerStream = max(1, bytesPerStream)
            self.streams = max(1, streams)
            self.keepEnded = keepEnded
            self.lease = max(lease, .milliseconds(300))
            self.connections = max(2, connections)
        }
    }

    /// The store could not be reached or set up at start.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    public let limits: Limits
    public let location: PostgresStoreLocation
    /// This store's replica id: the writer of the streams it creates.
    public let replicaID: String
    let client: PostgresClient
    let waiters = StreamWaiters()
    /// The latest records of the streams this replica writes, for its own readers.
    let recent: RecentRecords
    let channel: String
    let schema: String
    let logger: Logger
    private let tasks = NIOLockedValueBox<[Task<Void, Never>]>([])

    private init(location: PostgresStoreLocation, client: PostgresClient, limits: Limits, logger: Logger) {
        self.location = location
        self.client = client
        self.limits = limits
        self.logger = logger
        self.schema = location.schema
        self.channel = location.schema + "_records"
        self.recent = RecentRecords(capacity: min(256, limits.recordsPerStream), maxBytes: limits.bytesPerStream)
        var generator = SystemRandomNumberGenerator()
        self.replicaID = (0..<16).map { _ in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            return String(byte >> 4, radix: 16) + String(byte & 15, radix: 16)
        }.joined()
    }

    /// Connects (retrying for up to `connectTimeout`), creates the schema when missing, starts
    /// listening for notifications and the lease and expiry loop.
    public static func connect(
        _ location: PostgresStoreLocation, password: String?, limits: Limits = Limits(),
        connectTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "streamconv-bridge.postgres")
    ) async throws -> PostgresReplayStore {
        let tls: PostgresClient.Configuration.TLS =
            switch location.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: password, database: location.database, tls: tls)
        configuration.options.maximumConnections = limits.connections + 1
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = [("application_name", "streamconv-bridge")]
        // One connection first, retried while the server is starting, so that a refusal (a wrong
        // password, no such database) is reported as the server says it, at once.
        try await probe(location, password: password, connectTimeout: connectTimeout, logger: logger)
        var background = logger
        background.logLevel = max(background.logLevel, .error) // the pool logs every failed attempt
        let client = PostgresClient(configuration: configuration, backgroundLogger: background)
        let store = PostgresReplayStore(location: location, client: client, limits: limits, logger: logger)
        store.start(Task { await client.run() })

        // Set up the schema, retrying while the server is starting.
        let deadline = ContinuousClock.now + connectTimeout
        while true {
            do {
                try await migrate(client, schema: location.schema, logger: logger)
                break
            } catch {
                if ContinuousClock.now >= deadline || Task.isCancelled || Self.isPermanent(error) {
                    await store.close()
                    throw Unavailable(description: "cannot use the replay store \(location.url): \(Self.describe(error))")
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        // Listen before serving, so that no append is missed.
        let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
        store.start(Task { await store.listen(ready: readyContinuation) })
        var iterator = ready.makeAsyncIterator()
        _ = await iterator.next()
        store.start(Task { await store.maintain() })
        return store
    }

    /// Connects once and closes again; retries connection failures until `connectTimeout`.
    static func probe(_ location: PostgresStoreLocation, password: String?, connectTimeout: Duration, logger: Logger) async throws {
        let deadline = ContinuousClock.now + connectTimeout
        while true {
            do {
                let tls: PostgresConnection.Configuration.TLS =
                    switch location.tls {
                    case .disable: .disable
                    case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                    case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                    }
                var configuration = PostgresConnection.Configuration(
                    host: location.host, port: location.port, username: location.user,
                    password: password, database: location.database, tls: tls)
                configuration.options.connectTimeout = .seconds(5)
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                try await connection.close()
                return
            } catch {
                if ContinuousClock.now >= deadline || Task.isCancelled || isPermanent(error) {
                    throw Unavailable(description: "cannot use the replay store \(location.url): \(describe(error))")
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// Stops listening and the loops, and closes the connections.
    public func close() async {
        let running = tasks.withLockedValue { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in running.reversed() { task.cancel() }
        for task in running { await task.value }
    }

    private func start(_ task: Task<Void, Never>) {
        tasks.withLockedValue { $0.append(task) }
    }

    // MARK: ReplayStore

    public func create(_ info: ReplayStreamInfo) async throws {
        let count =
            try await client.query("SELECT count(*) FROM \(unescaped: schema).streams", logger: logger)
            .decode(Int64.self).first { _ in true } ?? 0
        if count >= limits.streams {
            let dropped = try await client.query(
                """
                DELETE FROM \(unescaped: schema).streams WHERE id = (SELECT id FROM \(unescaped: schema).streams
                WHERE end_kind IS NOT NULL ORDER BY ended_at LIMIT 1) RETURNING id
                """, logger: logger
            ).decode(String.self).first { _ in true }
            if dropped == nil { throw ReplayStoreError(.full, stream: info.id) }
        }
        let binding = info.binding.map { ByteBuffer(bytes: $0) }
        try await client.query(
            """
            INSERT INTO \(unescaped: schema).streams (id, format, binding, writer, lease_until)
            VALUES (\(info.id), \(info.format), \(binding), \(replicaID), clock_timestamp() + make_interval(secs => \(Self.seconds(limits.lease))))
            """, logger: logger)
        recent.start(info.id)
    }

    @discardableResult
    public func append(_ record: Record, to stream: String) async throws -> UInt64 {
        let data = ByteBuffer(bytes: record.data)
        do {
            let rows = try await client.query(
                """
                SELECT \(unescaped: schema).append_record(\(stream), \(replicaID), \(Self.kindCode(record.kind)), \(record.event),
                  \(record.id), \(record.retry), \(data), \(Int64(limits.recordsPerStream)), \(Int64(limits.bytesPerStream)),
                  \(Self.seconds(limits.lease)), \(channel))
                """, logger: logger)
            guard let position = try await rows.decode(Int64.self).first(where: { _ in true }) else {
                throw ReplayStoreError(.unknownStream, stream: stream)
            }
            // This replica's readers: from memory, woken now (the other replicas' by the NOTIFY).
            recent.appended(record, at: UInt64(position), to: stream)
            await waiters.notify(stream)
            return UInt64(position)
        } catch let error as PSQLError {
            recent.stop(stream)
            let message = error.serverInfo?[.message] ?? ""
            if message.hasSuffix("unknown stream") { throw ReplayStoreError(.unknownStream, stream: stream) }
            if message.hasSuffix("stream ended") { throw ReplayStoreError(.streamEnded, stream: stream) }
            if message.hasSuffix("not the writer") { throw ReplayStoreError(.notWriter, stream: stream) }
            throw error
        }
    }

    public func finish(_ stream: String, _ end: ReplayEnd) async throws {
        recent.stop(stream)
        defer { Task { [waiters] in await waiters.notify(stream) } }
        let (kind, message) = Self.endColumns(end)
        let rows = try await client.query(
            """
            WITH u AS (UPDATE \(unescaped: schema).streams SET end_kind = \(kind), end_message = \(message), ended_at = clock_timestamp()
                       WHERE id = \(stream) AND end_kind IS NULL RETURNING id)
            SELECT pg_notify(\(channel), id) FROM u
            """, logger: logger)
        var updated = 0
        for try await _ in rows { updated += 1 }
        if updated == 0, try await status(of: stream) == nil {
            throw ReplayStoreError(.unknownStream, stream: stream)
        }
    }

    public func status(of stream: String) async throws -> ReplayStreamStatus? {
        while true {
            let rows = try await client.query(
                """
                SELECT format, binding, last_position, end_kind, end_message,
                       (end_kind IS NULL AND lease_until < clock_timestamp())
                FROM \(unescaped: schema).streams WHERE id = \(stream)
                """, logger: logger)
            guard
                let (format, binding, last, endKind, endMessage, lapsed) =
                    try await rows
                    .decode((String, ByteBuffer?, Int64, String?, String?, Bool).self).first(where: { _ in true })
            else { return nil }
            if lapsed {
                try await failLapsed()
                continue
            }
            let info = ReplayStreamInfo(id: stream, format: format, binding: binding.map { Array($0.readableBytesView) })
            return ReplayStreamStatus(info: info, lastPosition: UInt64(last), end: Self.end(endKind, endMessage))
        }
    }

    public func read(_ stream: String, after position: UInt64, limit: Int) async throws -> ReplayRead {
        await waiters.enter(stream)
        do {
            let read = try await readWaiting(stream, after: position, limit: limit)
            await waiters.leave(stream)
            return read
        } catch {
            await waiters.leave(stream)
            throw error
        }
    }

    private func readWaiting(_ stream: String, after position: UInt64, limit: Int) async throws -> ReplayRead {
        while true {
            try Task.checkCancellation()
            let epoch = await waiters.generation(of: stream)
            // A stream written here: its latest records, and its live tail, without a query.
            if let entries = recent.read(stream, after: position, limit: limit) { return .records(entries) }
            if recent.isAtTail(stream, after: position) {
                try await waiters.wait(for: stream, since: epoch)
                continue
            }
            // One statement, one snapshot: the stream's row and the records after `position`.
            let rows = try await client.query(
                """
                SELECT s.last_position, s.first_kept, s.end_kind, s.end_message,
                       (s.end_kind IS NULL AND s.lease_until < clock_timestamp()),
                       r.position, r.kind, r.event, r.rid, r.retry, r.data
                FROM \(unescaped: schema).streams s LEFT JOIN LATERAL (
                  SELECT position, kind, event, rid, retry, data FROM \(unescaped: schema).records
                  WHERE stream = s.id AND position > \(Int64(clamping: position)) ORDER BY position LIMIT \(Int64(max(1, limit)))) r ON true
                WHERE s.id = \(stream)
                """, logger: logger)
            var found = false
            var last: UInt64 = 0
            var firstKept: UInt64 = 1
            var end: ReplayEnd?
            var lapsed = false
            var entries: [ReplayEntry] = []
            for try await row in rows.decode(
                (Int64, Int64, String?, String?, Bool, Int64?, Int16?, String?, String?, String?, ByteBuffer?).self)
            {
                found = true
                last = UInt64(row.0)
                firstKept = UInt64(row.1)
                end = Self.end(row.2, row.3)
                lapsed = row.4
                if let p = row.5, let kind = row.6, let data = row.10 {
                    entries.append(
                        ReplayEntry(
                            position: UInt64(p), record: try Self.record(kind: kind, event: row.7, id: row.8, retry: row.9, data: data)))
                }
            }
            guard found else { throw ReplayStoreError(.unknownStream, stream: stream) }
            let kept = last + 1 - firstKept
            if kept > 0 && position + 1 < firstKept { return .gap(from: position + 1, to: firstKept - 1) }
            if position < last {
                if kept == 0 { return .gap(from: position + 1, to: last) }
                if let first = entries.first {
                    if first.position != position + 1 { return .gap(from: position + 1, to: first.position - 1) }
                    return .records(entries)
                }
                continue
            }
            if let end { return .end(end) }
            if lapsed {
                try await failLapsed()
                continue
            }
            try await waiters.wait(for: stream, since: epoch)
        }
    }

    // MARK: Background

    /// LISTENs on the store's channel and wakes the readers of each notified stream; reconnects
    /// after a lost connection (waking every reader, which then queries again).
    func listen(ready: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        ready.yield()
                        await waiters.wakeAll()
                        for try await notification in notifications {
                            await waiters.notify(notification.payload)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { break }
                logger.warning("replay store: listening for notifications failed, retrying: \(Self.describe(error))")
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        ready.finish()
    }

    /// Every third of the lease: renews this replica's leases, ends streams whose writer's lease
    /// lapsed, drops streams ended more than `keepEnded` ago, and wakes every reader.
    func maintain() async {
        let period = limits.lease / 3
        while !Task.isCancelled {
            do {
                try await renewLeases()
                try await failLapsed()
                try await expire()
            } catch {
                if Task.isCancelled { break }
                logger.warning("replay store: maintenance failed: \(Self.describe(error))")
            }
            await waiters.wakeAll()
            try? await Task.sleep(for: period)
        }
    }

    func renewLeases() async throws {
        try await client.query(
            """
            UPDATE \(unescaped: schema).streams SET lease_until = clock_timestamp() + make_interval(secs => \(Self.seconds(limits.lease)))
            WHERE writer = \(replicaID) AND end_kind IS NULL
            """, logger: logger)
    }

    /// Ends the running streams whose writer's lease lapsed (that replica stopped), notifying.
    func failLapsed() async throws {
        let message = "the replica reading the upstream stopped (its writer lease lapsed); the stream is incomplete"
        let rows = try await client.query(
            """
            WITH f AS (UPDATE \(unescaped: schema).streams SET end_kind = 'failed', end_message = \(message), ended_at = clock_timestamp()
                       WHERE end_kind IS NULL AND lease_until < clock_timestamp() RETURNING id)
            SELECT pg_notify(\(channel), id) FROM f
            """, logger: logger)
        for try await _ in rows {}
    }

    /// Drops the streams that ended more than `keepEnded` ago (their records go with them).
    func expire() async throws {
        try await client.query(
            """
            DELETE FROM \(unescaped: schema).streams WHERE ended_at < clock_timestamp() - make_interval(secs => \(Self.seconds(limits.keepEnded)))
            """, logger: logger)
    }

    /// Streams kept (for tests).
    public func streamCount() async throws -> Int {
        Int(
            try await client.query("SELECT count(*) FROM \(unescaped: schema).streams", logger: logger)
                .decode(Int64.self).first { _ in true } ?? 0)
    }

    // MARK: Columns

    static func kindCode(_ kind: Record.Kind) -> Int16 {
        switch kind {
        case .event: 0
        case .json: 1
        case .control: 2
        case .comment: 3
        }
    }

    static func record(kind: Int16, event: String?, id: String?, retry: String?, data: ByteBuffer) throws -> Record {
        let bytes = data.readableBytesView
        switch kind {
        case 1: return try Record.json(validating: bytes)
        case 2: return Record.control(id: id, retry: retry)
        case 3: return Record.comment(String(decoding: bytes, as: UTF8.self))
        default: return Record.event(data: bytes, event: event, id: id, retry: retry)
        }
    }

    static func endColumns(_ end: ReplayEnd) -> (String, String?) {
        switch end {
        case .finished: ("finished", nil)
        case .failed(let message): ("failed", message)
        }
    }

    static func end(_ kind: String?, _ message: String?) -> ReplayEnd? {
        switch kind {
        case nil: nil
        case "finished": .finished
        default: .failed(message ?? "the upstream failed")
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (s, atto) = duration.components
        return Double(s) + Double(atto) / 1e18
    }

    /// Authentication and a missing database do not get better by retrying.
    static func isPermanent(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let code = error.serverInfo?[.sqlState] else { return false }
        return code.hasPrefix("28") || code == "3D000"
    }

    /// A one-line account of a PostgreSQL error: the server's message, or the connection's.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let code = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + code
            }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
