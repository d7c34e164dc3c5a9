// bridge-fake-upstream: the recorded model streams of Fixtures/ served on loopback, for the
// bridge's end-to-end check (Bridge/e2e/run.sh). Not part of the product.
//
//   bridge-fake-upstream --port 0 --fixtures ../Fixtures [--delay-ms 40] [--pages DIR]   (prints "port N")

import FakeUpstream
import Foundation
import Hummingbird

@main
enum FakeUpstreamMain {
    static func main() async throws {
        var port = 0
        var fixtures = "../Fixtures"
        var delay = 40
        var pagesDirectory: String?
        var rest = CommandLine.arguments.dropFirst()
        while let argument = rest.popFirst() {
            switch argument {
            case "--port": port = Int(rest.popFirst() ?? "") ?? 0
            case "--fixtures": fixtures = rest.popFirst() ?? fixtures
            case "--delay-ms": delay = Int(rest.popFirst() ?? "") ?? delay
            case "--pages": pagesDirectory = rest.popFirst()
            default:
                FileHandle.standardError.write(
                    Data("usage: bridge-fake-upstream [--port N] [--fixtures DIR] [--delay-ms N] [--pages DIR]\n".utf8))
                exit(2)
            }
        }

        func load(_ path: String) -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: fixtures + "/" + path) else {
                FileHandle.standardError.write(Data("bridge-fake-upstream: cannot read \(fixtures)/\(path) (--fixtures DIR)\n".utf8))
                exit(1)
            }
            return Array(data)
        }

        var pages: [String: ByteBuffer] = [:]
        if let pagesDirectory {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: pagesDirectory)) ?? [] where name.hasSuffix(".html") {
                if let data = FileManager.default.contents(atPath: pagesDirectory + "/" + name) { pages[name] = ByteBuffer(bytes: data) }
            }
        }

        let upstream = FakeUpstream(
            ndjson: FakeUpstream.split(load("ollama-chat/input.ndjson"), after: [0x0A]),
            sse: FakeUpstream.split(load("openai-chat/input.sse"), after: [0x0A, 0x0A]),
            delayMilliseconds: delay, pages: pages)
        let app = Application(
            router: upstream.router(), configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                FileHandle.standardOutput.write(Data("port \(channel.localAddress?.port ?? 0)\n".utf8))
            })
        try await app.runService()
    }
}
