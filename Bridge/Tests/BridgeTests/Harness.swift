// Runs a fake upstream and a bridge in front of it on loopback (ports chosen by the system), and
// talks to the bridge with AsyncHTTPClient, whole responses or a few bytes at a time.

import AsyncHTTPClient
import BridgeReplay
import FakeUpstream
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

@testable import BridgeKit

/// Recorded-style streams, small: five NDJSON records (Ollama) and three SSE events + [DONE] (OpenAI).
enum Streams {
    static let ndjson: [String] = (1...5).map { #"{"model":"m","message":{"content":"t\#($0)"},"done":\#($0 == 5)}"# + "\n" }
    static let sse: [String] =
        ["Hel", "lo", "!"].map { #"data: {"choices":[{"delta":{"content":"\#($0)"}}]}"# + "\n\n" }
        + ["data: [DONE]\n\n"]
}

struct Reply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: String
    /// The error that ended the body, when it broke off.
    var brokeOff: Bool
    func header(_ name: String) -> String? { headers.first(name: name) }
    /// The SSE blocks of the body, without heartbeats.
    var blocks: [String] { body.components(separatedBy: "\n\n").filter { !$0.isEmpty && $0 != ":" } }
}

struct Harness: Sendable {
    let bridge: String
    let upstreamPort: Int
    let fake: FakeUpstream
    let client: HTTPClient
    let store: MemoryReplayStore

    /// Starts both servers, runs `body`, stops them.
    static func run(
        delayMilliseconds: Int = 0, _ configure: @Sendable (inout BridgeOptions) -> Void = { _ in },
        _ body: @Sendable (Harness) async throws -> Void
    ) async throws {
        let fake = FakeUpstream(
            ndjson: Streams.ndjson.map { ByteBuffer(string: $0) }, sse: Streams.sse.map { ByteBuffer(string: $0) },
            delayMilliseconds: delayMilliseconds)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        var quiet = Logger(label: "fake-upstream")
        quiet.logLevel = .critical // stopping the servers by cancellation logs errors
        let upstreamApp = Application(
            router: fake.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { portSink.yield($0.localAddress?.port ?? 0) }, logger: quiet)
        let client = BridgeApp.makeClient(connectTimeoutSeconds: 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await upstreamApp.run() }
            var iterator = ports.makeAsyncIterator()
            let upstreamPort = await iterator.next()!
            var options = BridgeOptions(upstream: try UpstreamBase("http://127.0.0.1:\(upstreamPort)"))
            options.port = 0
            options.heartbeatSeconds = nil
            options.quiet = true
            configure(&options)
            let store = BridgeApp.makeStore(options)
            let proxy = Proxy(options: options, store: store, client: client, bindingKey: CredentialBinding.randomKey())
            let bridgeApp = BridgeApp.application(options, proxy: proxy, logLevel: .critical) { portSink.yield($0.localAddress?.port ?? 0) }
            group.addTask { try await bridgeApp.run() }
            let bridgePort = await iterator.next()!
            let harness = Harness(
                bridge: "http://127.0.0.1:\(bridgePort)", upstreamPort: upstreamPort, fake: fake, client: client, store: store)
            do {
                try await body(harness)
            } catch {
                group.cancelAll()
                try? await client.shutdown()
                throw error
            }
            group.cancelAll()
        }
        try await client.shutdown()
    }

    /// A whole response (a body that breaks off is returned as far as it came, marked).
    func request(
        _ path: String, method: NIOHTTP1.HTTPMethod = .GET, headers: [(String, String)] = [], body: String? = nil,
        maxBytes: Int = 1 << 20
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: bridge + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(20))
        var bytes: [UInt8] = []
        var brokeOff = false
        do {
            for try await chunk in response.body {
                bytes += chunk.readableBytesView
                if bytes.count > maxBytes { break }
            }
        } catch {
            brokeOff = true
        }
        return Reply(
            status: Int(response.status.code), headers: response.headers, body: String(decoding: bytes, as: UTF8.self), brokeOff: brokeOff)
    }

    /// Reads a response only until `blocks` SSE blocks have arrived, then drops the connection.
    func firstBlocks(_ path: String, method: NIOHTTP1.HTTPMethod = .POST, headers: [(String, String)], blocks: Int) async throws -> Reply {
        var request = HTTPClientRequest(url: bridge + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(20))
        var text = ""
        for try await chunk in response.body {
            text += String(buffer: chunk)
            if text.components(separatedBy: "\n\n").count - 1 >= blocks { break }
        }
        return Reply(status: Int(response.status.code), headers: response.headers, body: text, brokeOff: false)
    }

    func upstreamCount(_ path: String) async -> Int { await fake.counter.count(of: path) }
}
