// A stand-in for the model servers (`--fake-upstream`): replays recorded streams from the main
// repository's Fixtures/, one record at a time with a pause before each, so the example runs
// with no model at all.
//
//   POST /upstream/ollama/api/chat                 Fixtures/ollama-chat/input.ndjson  (NDJSON)
//   POST /upstream/openai/v1/chat/completions      Fixtures/openai-chat/input.sse     (SSE)

import Foundation
import Hummingbird

struct FakeUpstream: Sendable {
    let ndjson: [ByteBuffer]
    let sse: [ByteBuffer]
    let delayMilliseconds: Int

    init(options: Options) throws {
        func load(_ path: String, splitAfter separator: String) throws -> [ByteBuffer] {
            let file = URL(fileURLWithPath: options.fixtures).appendingPathComponent(path)
            var rest = try Data(contentsOf: file)[...]
            // Cut after each separator (a line, or an SSE block), keeping the bytes exactly.
            var pieces: [ByteBuffer] = []
            while let end = rest.range(of: Data(separator.utf8))?.upperBound {
                pieces.append(ByteBuffer(bytes: rest[..<end]))
                rest = rest[end...]
            }
            if !rest.isEmpty { pieces.append(ByteBuffer(bytes: rest)) }
            return pieces
        }
        ndjson = try load("ollama-chat/input.ndjson", splitAfter: "\n")
        sse = try load("openai-chat/input.sse", splitAfter: "\n\n")
        delayMilliseconds = options.delayMilliseconds
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/upstream/ollama/api/chat") { request, _ in
            replay(ndjson, contentType: "application/x-ndjson", request: request)
        }
        router.post("/upstream/openai/v1/chat/completions") { request, _ in
            replay(sse, contentType: "text/event-stream", request: request)
        }
    }

    private func replay(_ records: [ByteBuffer], contentType: String, request: Request) -> Response {
        let delay = request.uri.queryParameters.get("delay_ms", as: Int.self) ?? delayMilliseconds
        let body = ResponseBody { writer in
            for record in records {
                try await Task.sleep(for: .milliseconds(delay))
                try await writer.write(record)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: .streaming(contentType), body: body)
    }
}
