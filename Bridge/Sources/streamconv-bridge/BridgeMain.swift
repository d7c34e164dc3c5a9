// streamconv-bridge: a streaming reverse proxy that converts between streaming encodings,
// resumes dropped connections and fans streams out (Docs/Bridging.md).
//
// Exit status: 0 after a graceful shutdown (SIGTERM, SIGINT), 1 when it cannot start (the
// address is taken, the key file cannot be read, the PostgreSQL replay store cannot be reached),
// 2 for a usage error.

import BridgeKit
import BridgeReplay
import Foundation
import StreamCodec

@main
enum BridgeMain {
    static func main() async {
        let command: BridgeCommand
        do {
            command = try BridgeOptions.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            fail("\(error.description)\nusage: \(BridgeUsage.synopsis)\nTry 'streamconv-bridge --help' for more.", status: 2)
        }
        switch command {
        case .help:
            print(BridgeUsage.help, terminator: "")
        case .version:
            print("streamconv-bridge \(StreamCodecVersion.current)")
        case .run(let options):
            await run(options)
        }
    }

    static func run(_ options: BridgeOptions) async {
        let key: [UInt8]
        do { key = try BridgeApp.bindingKey(options) } catch { fail("\(error)", status: 1) }
        let opened: (store: any ReplayStore, close: @Sendable () async -> Void)
        do { opened = try await BridgeApp.openStore(options) } catch { fail("\(error)", status: 1) }
        let client = BridgeApp.makeClient(connectTimeoutSeconds: options.connectTimeoutSeconds, maxStreams: options.maxStreams)
        let proxy = Proxy(options: options, store: opened.store, client: client, bindingKey: key)
        let app = BridgeApp.application(options, proxy: proxy) { channel in
            let address =
                channel.localAddress.map { "\($0.ipAddress ?? options.host):\($0.port ?? options.port)" }
                ?? "\(options.host):\(options.port)"
            let upstream = options.upstream.origin + options.upstream.basePath
            let storeText =
                switch options.replayStore {
                case .memory: "memory"
                case .postgres(let location): location.url
                }
            FileHandle.standardError.write(
                Data("streamconv-bridge: listening on http://\(address), upstream \(upstream), replay store \(storeText)\n".utf8))
        }
        var failure: (any Error)?
        do {
            try await app.runService()
        } catch {
            failure = error
        }
        do { try await client.shutdown() } catch {}
        await opened.close()
        if let failure {
            let text = "\(failure)"
            if text.contains("Address already in use") {
                fail("cannot listen on \(options.host):\(options.port): the address is already in use (--listen HOST:PORT)", status: 1)
            }
            fail("cannot serve on \(options.host):\(options.port): \(text)", status: 1)
        }
        FileHandle.standardError.write(Data("streamconv-bridge: stopped\n".utf8))
    }

    static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data("streamconv-bridge: \(message)\n".utf8))
        exit(status)
    }
}
