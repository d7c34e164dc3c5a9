// HummingbirdBridge: serve a stream arriving in one encoding in another, record by record.
//
//   GET /sse      an NDJSON upstream (Ollama /api/chat) as text/event-stream, for EventSource
//   GET /ndjson   an SSE upstream (OpenAI chat completions) as application/x-ndjson
//   GET /         a page showing the tokens arriving, typewriter style
//
//   swift run HummingbirdBridge --fake-upstream     # then open http://127.0.0.1:8080/

import Foundation
import Hummingbird

@main
struct App {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("--help") {
            print(Options.usage)
            return
        }
        let options: Options
        do {
            options = try Options(arguments: arguments)
        } catch {
            FileHandle.standardError.write(Data("HummingbirdBridge: \(error)\n\(Options.usage)\n".utf8))
            exit(2)
        }

        let router = Router()
        router.middlewares.add(FileMiddleware(publicFolder(), searchForIndexHtml: true))
        router.get("/sse", use: SSEBridge(options: options).response)
        router.get("/ndjson", use: NDJSONBridge(options: options).response)
        if options.fakeUpstream {
            do {
                try FakeUpstream(options: options).addRoutes(to: router)
            } catch {
                FileHandle.standardError.write(Data("HummingbirdBridge: cannot read the fixtures in \(options.fixtures) (--fixtures DIR): \(error)\n".utf8))
                exit(1)
            }
        }
        if options.testRoutes { TestRoutes().addRoutes(to: router) }

        let app = Application(router: router, configuration: .init(address: .hostname(options.host, port: options.port)))
        try await app.runService()
    }

    /// The pages, copied into the executable's resource bundle by SwiftPM.
    static func publicFolder() -> String {
        Bundle.module.url(forResource: "Public", withExtension: nil)!.path
    }
}
