// Putting the bridge together: the HTTP client for the upstream (no redirects followed: a 3xx
// goes back to the client as it is), the replay store, the HTTP/1.1 server with its idle timeout,
// and graceful shutdown on SIGTERM and SIGINT.

import AsyncHTTPClient
import BridgePostgres
import BridgeReplay
import Foundation
import Hummingbird
import Logging
import NIOCore

public enum BridgeApp {
    /// The HTTP client the bridge forwards with.
    /// A stream holds its upstream connection to the end, so the pool allows as many connections
    /// as streams (AsyncHTTPClient's default, 8, would queue the ninth stream behind the others).
    public static func makeClient(connectTimeoutSeconds: Double = 10, maxStreams: Int = 256) -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .milliseconds(Int64(connectTimeoutSeconds * 1000)))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, maxStreams + 8))
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The in-memory replay store with the configured bounds.
    public static func makeStore(_ options: BridgeOptions) -> MemoryReplayStore {
        MemoryReplayStore(
            limits: .init(
                recordsPerStream: options.replayRecords, bytesPerStream: options.replayBytes,
                streams: options.replayStreams,
                keepEnded: .milliseconds(Int64(options.replayKeepSeconds * 1000))))
    }

    /// The store the options ask for, and what closes it: in memory, or PostgreSQL (connected,
    /// its schema created when missing, listening for other replicas' records).
    public static func openStore(_ options: BridgeOptions, environment: [String: String] = ProcessInfo.processInfo.environment)
        async throws -> (store: any ReplayStore, close: @Sendable () async -> Void)
    {
        switch options.replayStore {
        case .memory:
            return (makeStore(options), {})
        case .postgres(let location):
            let password = try postgresPassword(options, environment: environment)
            let limits = PostgresReplayStore.Limits(
                recordsPerStream: options.replayRecords, bytesPerStream: options.replayBytes, streams: options.replayStreams,
                keepEnded: .milliseconds(Int64(options.replayKeepSeconds * 1000)),
                lease: .milliseconds(Int64(options.replayLeaseSeconds * 1000)),
                connections: min(64, max(8, options.maxStreams / 4)))
            let store = try await PostgresReplayStore.connect(
                location, password: password, limits: limits,
                connectTimeout: .milliseconds(Int64(options.connectTimeoutSeconds * 1000)))
            return (store, { await store.close() })
        }
    }

    /// The PostgreSQL password: the file's first line (--replay-store-password-file), else
    /// PGPASSWORD, else none (trust or peer authentication).
    public static func postgresPassword(_ options: BridgeOptions, environment: [String: String]) throws -> String? {
        if let path = options.replayStorePasswordFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BridgeUsageError("--replay-store-password-file \(path): cannot read it (missing, or not readable)")
            }
            let text = String(decoding: data, as: UTF8.self)
            return String(text.split(maxSplits: 1, omittingEmptySubsequences: false, whereSeparator: \.isNewline).first ?? "")
        }
        return environment["PGPASSWORD"]
    }

    /// The key of the credential binding: the file's bytes, or random.
    public static func bindingKey(_ options: BridgeOptions) throws -> [UInt8] {
        guard let path = options.bindingKeyFile else { return CredentialBinding.randomKey() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BridgeUsageError("--binding-key-file \(path): cannot read it (missing, or not readable)")
        }
        guard data.count >= 16 else {
            throw BridgeUsageError("--binding-key-file \(path): the key must be at least 16 bytes (it has \(data.count))")
        }
        return Array(data)
    }

    /// The application serving `proxy`.
    public static func application(
        _ options: BridgeOptions, proxy: Proxy, logLevel: Logger.Level = .warning,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    )
        -> some ApplicationProtocol
    {
        var logger = Logger(label: "streamconv-bridge")
        logger.logLevel = logLevel
        let idle = TimeAmount.milliseconds(Int64(options.idleTimeoutSeconds * 1000))
        let connections = ConnectionCounts(limit: options.maxConnectionsPerClient)
        return Application(
            responder: CallbackResponder<BridgeContext> { request, context in try await proxy.respond(request, context: context) },
            server: .http1(configuration: .init(additionalChannelHandlers: [connections.handler()], idleTimeout: idle)),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }
}
