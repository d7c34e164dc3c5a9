// A stand-in for model servers, for the bridge's tests and its end-to-end check: it replays
// recorded streams one record at a time with a pause before each, counts the requests it gets,
// and misbehaves on request (a broken-off stream, a redirect, a header echo).
//
//   POST /api/chat               NDJSON records (Ollama style)            ?delay_ms=N ?fail_after=N
//   POST /v1/chat/completions    SSE blocks (OpenAI style, ends [DONE])   ?delay_ms=N ?fail_after=N ?chunk=N
//   POST /v1/no-done             the SSE blocks without the [DONE] block
//   GET  /untyped                the NDJSON records with no Content-Type
//   GET  /api/tags               a plain JSON document (passes through the bridge)
//   ANY  /echo...                the request as JSON: method, target, headers, body size
//   GET  /redirect               302 to another host (the bridge must not follow it)
//   GET  /stream/ndjson, /stream/sse   the same streams for GET clients (EventSource, fetch); HEAD too
//   GET  /stream/clock?count=N&interval_ms=M[&pad=P]   N NDJSON records {"seq":i,"sent_ns":T}, T the
//                                wall clock when written, for measuring latency (load/); P bytes of
//                                padding each ("pad":"xxx..."), for filling buffers fast
//   GET  /_count                 how many requests each path got, as JSON
//   GET  /test/NAME.html         a test page (the e2e check's, when given)
//   POST /test/report/NAME, GET /test/report/NAME    what a test page reports (404 until then)

import Hummingbird
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

public actor RequestCounter {
    private var counts: [String: Int] = [:]
    public init() {}
    func count(_ path: String) { counts[path, default: 0] += 1 }
    public func count(of path: String) -> Int { counts[path, default: 0] }
    public var all: [String: Int] { counts }
}

public actor Reports {
    private var reports: [String: ByteBuffer] = [:]
    func store(_ report: ByteBuffer, as name: String) { reports[name] = report }
    func report(named name: String) -> ByteBuffer? { reports[name] }
}

public struct FakeUpstream: Sendable {
    public let ndjson: [ByteBuffer]
    public let sse: [ByteBuffer]
    public let delayMilliseconds: Int
    public let pages: [String: ByteBuffer]
    public let counter = RequestCounter()
    let reports = Reports()

    public init(ndjson: [ByteBuffer], sse: [ByteBuffer], delayMilliseconds: Int, pages: [String: ByteBuffer] = [:]) {
        self.ndjson = ndjson
        self.sse = sse
        self.delayMilliseconds = delayMilliseconds
        self.pages = pages
    }

    /// Cuts `bytes` after each `separator` (a line, or an SSE block), keeping the bytes exactly.
    public static func split(_ bytes: [UInt8], after separator: [UInt8]) -> [ByteBuffer] {
        var pieces: [ByteBuffer] = []
        var start = 0
        var i = 0
        while i + separator.count <= bytes.count {
            if Array(bytes[i..<i + separator.count]) == separator {
                pieces.append(ByteBuffer(bytes: bytes[start..<i + separator.count]))
                i += separator.count
                start = i
            } else {
                i += 1
            }
        }
        if start < bytes.count { pieces.append(ByteBuffer(bytes: bytes[start...])) }
        return pieces
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let counter = self.counter
        router.middlewares.add(CountingMiddleware(counter: counter))
        router.post("/api/chat") { request, _ in replay(ndjson, contentType: "application/x-ndjson", request: request) }
        router.post("/v1/chat/completions") { request, _ in replay(sse, contentType: "text/event-stream", request: request) }
        router.post("/v1/no-done") { request, _ in
            replay(sse.filter { !String(buffer: $0).contains("[DONE]") }, contentType: "text/event-stream", request: request)
        }
        router.get("/untyped") { request, _ in replay(ndjson, contentType: nil, request: request) }
        router.get("/stream/ndjson") { request, _ in replay(ndjson, contentType: "application/x-ndjson", request: request) }
        router.get("/stream/sse") { request, _ in replay(sse, contentType: "text/event-stream", request: request) }
        router.get("/stream/clock") { request, _ in
            let query = request.uri.queryParameters
            let count = min(query.get("count", as: Int.self) ?? 100, 1_000_000)
            let interval = max(query.get("interval_ms", as: Int.self) ?? 10, 0)
            let pad = String(repeating: "x", count: min(max(query.get("pad", as: Int.self) ?? 0, 0), 1 << 20))
            let body = ResponseBody { writer in
                for seq in 1...max(1, count) {
                    if interval > 0 { try await Task.sleep(for: .milliseconds(interval)) }
                    var now = timespec()
                    clock_gettime(CLOCK_REALTIME, &now)
                    let ns = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
                    let padding = pad.isEmpty ? "" : #","pad":"\#(pad)""#
                    try await writer.write(ByteBuffer(string: #"{"seq":\#(seq),"sent_ns":\#(ns)\#(padding)}"# + "\n"))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson", .cacheControl: "no-cache"], body: body)
        }
        router.head("/stream/ndjson") { _, _ in Response(status: .ok, headers: [.contentType: "application/x-ndjson"]) }
        router.get("/test/:page") { _, context in
            guard let page = pages[try context.parameters.require("page")] else { throw HTTPError(.notFound) }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: page))
        }
        let reports = self.reports
        router.post("/test/report/:name") { request, context in
            await reports.store(try await request.body.collect(upTo: 1 << 20), as: try context.parameters.require("name"))
            return HTTPResponse.Status.noContent
        }
        router.get("/test/report/:name") { _, context in
            guard let report = await reports.report(named: try context.parameters.require("name")) else { throw HTTPError(.notFound) }
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"], body: .init(byteBuffer: report))
        }
        router.get("/api/tags") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"models":[]}"#)))
        }
        router.get("/redirect") { _, _ in
            Response(status: .found, headers: [.location: "http://example.invalid/elsewhere"])
        }
        router.get("/_count") { _, _ in
            let all = await counter.all.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\(all)}")))
        }
        for method: HTTPRequest.Method in [.get, .post, .put, .delete, .head] {
            router.on("/echo/**", method: method, use: echo)
            router.on("/echo", method: method, use: echo)
        }
        return router
    }

    @Sendable func echo(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 << 20)
        var fields: [String] = []
        if let authority = request.head.authority { fields.append("[\"host\",\(quoted(authority))]") } // HTTPTypes keeps Host here
        for field in request.headers {
            fields.append("[\(quoted(field.name.canonicalName)),\(quoted(field.value))]")
        }
        let json =
            "{\"method\":\(quoted(request.method.rawValue)),\"target\":\(quoted(request.head.path ?? "")),"
            + "\"headers\":[\(fields.joined(separator: ","))],\"bodyBytes\":\(body.readableBytes)}"
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json", .init("Connection")!: "close, x-secret-hop",
                .init("X-Secret-Hop")!: "1", .init("X-Upstream")!: "fake",
            ],
            body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    private func replay(_ records: [ByteBuffer], contentType: String?, request: Request) -> Response {
        let query = request.uri.queryParameters
        let delay = query.get("delay_ms", as: Int.self) ?? delayMilliseconds
        let failAfter = query.get("fail_after", as: Int.self)
        let piece = max(0, query.get("chunk", as: Int.self) ?? 0) // write each record in pieces of this many bytes
        let body = ResponseBody { writer in
            for (index, record) in records.enumerated() {
                if let failAfter, index >= failAfter {
                    try await Task.sleep(for: .milliseconds(50)) // what was written reaches the bridge first
                    throw CancellationError() // the connection breaks off
                }
                if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
                if piece > 0 {
                    var rest = record
                    while let slice = rest.readSlice(length: min(piece, rest.readableBytes)), slice.readableBytes > 0 {
                        try await writer.write(slice)
                        try await Task.sleep(for: .milliseconds(1)) // each piece its own read on the other side
                    }
                } else {
                    try await writer.write(record)
                }
            }
            try await writer.finish(nil)
        }
        var headers: HTTPFields = [.cacheControl: "no-cache"]
        if let contentType { headers[.contentType] = contentType }
        return Response(status: .ok, headers: headers, body: body)
    }
}

struct CountingMiddleware: RouterMiddleware {
    let counter: RequestCounter
    func handle(_ request: Request, context: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response)
        async throws -> Response
    {
        await counter.count(request.uri.path)
        return try await next(request, context)
    }
}

func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where scalar.value < 0x20: out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
