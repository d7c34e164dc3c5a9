// GET /ndjson: an SSE upstream (OpenAI's chat completions) served as application/x-ndjson:
// each event's data, one JSON text per line; `data: [DONE]` ends the stream.

import Foundation
import Hummingbird
import StreamCodec

struct NDJSONBridge: Sendable {
    let options: Options

    func response(_ request: Request, context: some RequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let prompt = query.get("prompt") ?? "Say hello in two languages."
        let upstream = try await Upstream.chat(url: Upstream.url(options.sseUpstream, options: options, query: query),
                                               model: options.model, prompt: prompt, accept: "text/event-stream",
                                               bearerToken: ProcessInfo.processInfo.environment["OPENAI_API_KEY"])

        let lines = try upstream.body
            .map(\.readableBytesView)
            .converted(from: "sse", to: "ndjson")          // the library's Converter, chunk by chunk
            .map { ByteBuffer(bytes: $0) }
        return Response(status: .ok, headers: .streaming("application/x-ndjson"), body: ResponseBody(asyncSequence: lines))
    }
}
