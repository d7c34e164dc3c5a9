// GET /sse: an NDJSON upstream (Ollama's /api/chat) served as text/event-stream, record by record.
//
//   id: 1
//   retry: 1000            <- how long EventSource waits before reconnecting (in the first
//   data: {"model":...,"message":{"content":"Hel"},...}    event's block, never alone)
//
//   ...
//   data: [DONE]           <- the OpenAI convention
//
//   event: end             <- a named event, as FastAPI streams send; addEventListener('end', ...)
//   data

import Hummingbird
import StreamCodec

struct SSEBridge: Sendable {
    let options: Options

    func response(_ request: Request, context: some RequestContext) async throws -> Response {
        // A reconnecting EventSource says where it got to; anything else starts from the top.
        let lastEventID = request.headers[.lastEventID].flatMap { UInt64($0) } ?? 0
        let query = request.uri.queryParameters
        let prompt = query.get("prompt") ?? "Write a Rust function that splits words."
        let upstream = try await Upstream.chat(url: Upstream.url(options.ndjsonUpstream, options: options, query: query),
                                               model: options.model, prompt: prompt, accept: "application/x-ndjson")
        // Test only: cut the first connection after `drop_after` events.
        let dropAfter = options.testRoutes && lastEventID == 0 ? query.get("drop_after", as: Int.self) : nil

        let events = upstream.body
            .map(\.readableBytesView)                      // ByteBuffer -> a Collection of UInt8
            .decodedRecords(NDJSONDecoder())               // one Record per JSON line, validated
            .numberedEvents(resumingAfter: lastEventID,
                            opening: [.control(retry: options.retryMilliseconds)],
                            closing: [.event(data: "[DONE]"), .event(data: "", event: "end")])
            .droppingConnection(after: dropAfter)
            .encoded(SSEEncoder())                         // one chunk per event
            .heartbeat(every: .seconds(options.heartbeatSeconds))
            .map { ByteBuffer(bytes: $0) }                 // [UInt8] -> ByteBuffer
        return Response(status: .ok, headers: .streaming("text/event-stream"), body: ResponseBody(asyncSequence: events))
    }
}
