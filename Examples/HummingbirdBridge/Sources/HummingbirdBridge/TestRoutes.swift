// For the end-to-end test only (`--test-routes`):
// - POST /test/report/{name}: a test page posts what it received; GET returns it (404 until then).
// - `/sse?drop_after=N`: the first connection (no Last-Event-ID) is cut after N events, so the
//   test sees EventSource reconnect and resume.

import Hummingbird
import StreamCodec

actor Reports {
    private var reports: [String: ByteBuffer] = [:]
    func store(_ report: ByteBuffer, as name: String) { reports[name] = report }
    func report(named name: String) -> ByteBuffer? { reports[name] }
}

struct TestRoutes: Sendable {
    let reports = Reports()

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/test/report/:name") { request, context in
            let name = try context.parameters.require("name")
            await reports.store(try await request.body.collect(upTo: 1 << 20), as: name)
            return HTTPResponse.Status.noContent
        }
        router.get("/test/report/:name") { _, context in
            let name = try context.parameters.require("name")
            guard let report = await reports.report(named: name) else { throw HTTPError(.notFound) }
            return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
                            body: ResponseBody(byteBuffer: report))
        }
    }
}

struct ConnectionDropped: Error {}

/// Passes records on, and throws after `limit` events with an id (nil: never): the server then
/// closes the connection mid-stream, as a network failure would.
struct DroppingConnection<Base: AsyncSequence>: AsyncSequence where Base.Element == Record {
    typealias Element = Record
    let base: Base
    let limit: Int?

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), limit: limit) }

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let limit: Int?
        var count = 0

        mutating func next() async throws -> Record? {
            if let limit, count >= limit { throw ConnectionDropped() }
            let record = try await base.next()
            if record?.id != nil { count += 1 }
            return record
        }
    }
}

extension DroppingConnection: Sendable where Base: Sendable {}

extension AsyncSequence where Element == Record {
    func droppingConnection(after limit: Int?) -> DroppingConnection<Self> { DroppingConnection(base: self, limit: limit) }
}
