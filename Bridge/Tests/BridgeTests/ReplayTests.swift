// Resumption and fan-out from the replay store (issue 18 points 2 and 3), credential binding and
// limits (point 5): each attack is tried and seen refused.

import Foundation
import NIOHTTP1
import Testing

@testable import BridgeKit

@Suite("Bridge: resumption, fan-out, safety", .serialized)
struct ReplayTests {
    @Test("Last-Event-ID resumes from the store after that event, and the upstream is not asked again")
    func resume() async throws {
        try await Harness.run(delayMilliseconds: 30) { h in
            let first = try await h.firstBlocks("/api/chat", headers: [("Accept", "text/event-stream")], blocks: 2)
            let stream = try #require(first.header("X-Stream-ID"))
            #expect(ids(first) == ["\(stream)-1", "\(stream)-2"])
            let rest = try await h.request(
                "/api/chat", method: .POST,
                headers: [("Accept", "text/event-stream"), ("Last-Event-ID", "\(stream)-2")], body: "{}")
            #expect(rest.header("X-Stream-ID") == stream)
            #expect(ids(rest) == (3...5).map { "\(stream)-\($0)" })
            #expect(dataLines(first) + dataLines(rest) == ndjsonRecords)
            #expect(await h.upstreamCount("/api/chat") == 1)
            // Every record of an ended stream read: 204, which stops EventSource reconnecting.
            let done = try await h.request("/api/chat", method: .POST, headers: [("Last-Event-ID", "\(stream)-5")], body: "{}")
            #expect(done.status == 204)
            // Any position past the end of an ended stream: 204 too.
            let ahead = try await h.request("/streams/\(stream)", headers: [("Last-Event-ID", "\(stream)-9")])
            #expect(ahead.status == 204)
            #expect(await h.upstreamCount("/api/chat") == 1)
        }
    }

    @Test("with --done the closing event has its own position: resuming before it gets it, after it gets 204")
    func closing() async throws {
        try await Harness.run({ $0.conversion.appendDone = true }) { h in
            let whole = try await h.request("/api/chat", method: .POST, headers: [("Accept", "text/event-stream")], body: "{}")
            let stream = try #require(whole.header("X-Stream-ID"))
            let beforeClosing = try await h.request(
                "/streams/\(stream)", headers: [("Last-Event-ID", "\(stream)-5"), ("Accept", "text/event-stream")])
            #expect(beforeClosing.blocks == ["id: \(stream)-6\ndata: [DONE]"])
            let afterClosing = try await h.request("/streams/\(stream)", headers: [("Last-Event-ID", "\(stream)-6")])
            #expect(afterClosing.status == 204)
        }
    }

    @Test("a failed stream's error record is not sent again to a client that resumes after the last record")
    func failedResume() async throws {
        try await Harness.run { h in
            let cut = try await h.request("/api/chat?fail_after=2", method: .POST, headers: [("Accept", "text/event-stream")], body: "{}")
            let stream = try #require(cut.header("X-Stream-ID"))
            let resumed = try await h.request(
                "/streams/\(stream)", headers: [("Last-Event-ID", "\(stream)-1"), ("Accept", "text/event-stream")])
            #expect(ids(resumed) == ["\(stream)-2"] && resumed.blocks.last?.hasPrefix("event: error\n") == true)
            let after = try await h.request("/streams/\(stream)", headers: [("Last-Event-ID", "\(stream)-2")])
            #expect(after.status == 204)
        }
    }

    @Test("an id that is not the bridge's is forwarded to the upstream untouched")
    func foreignID() async throws {
        try await Harness.run { h in
            let reply = try await h.request("/echo", headers: [("Last-Event-ID", "42")])
            #expect(reply.body.contains(#"["last-event-id","42"]"#))
        }
    }

    @Test("an unknown or expired stream is 404, not a new upstream request")
    func unknown() async throws {
        try await Harness.run { h in
            let reply = try await h.request(
                "/api/chat", method: .POST,
                headers: [("Last-Event-ID", "0123456789abcdef0123456789abcdef-3")], body: "{}")
            #expect(reply.status == 404)
            #expect(try await h.request("/streams/0123456789abcdef0123456789abcdef").status == 404)
            #expect(await h.upstreamCount("/api/chat") == 0)
        }
    }

    @Test("guessing a stream id fails: ids near a real one, or in another case or length, are 404 or 400")
    func guessedIDs() async throws {
        try await Harness.run(delayMilliseconds: 30) { h in
            let started = try await h.firstBlocks("/api/chat", headers: [("Accept", "text/event-stream")], blocks: 1)
            let real = try #require(started.header("X-Stream-ID"))
            #expect(try await h.request("/streams/\(real)").status == 200) // the real one, no credentials needed
            let digits = Array(real)
            func flipped(_ i: Int) -> String {
                var d = digits
                d[i] = d[i] == "0" ? "1" : "0"
                return String(d)
            }
            // Neighbours (one digit changed, first and last place), the upper-case spelling, a prefix.
            for guess in [flipped(0), flipped(31), real.uppercased(), String(real.dropLast())] {
                let join = try await h.request("/streams/\(guess)")
                let resume = try await h.request("/api/chat", method: .POST, headers: [("Last-Event-ID", "\(guess)-1")], body: "{}")
                #expect(join.status == 404 || (guess.count != 32 && join.status != 200), "\(guess): \(join.status)")
                #expect(resume.status == 404 || StreamIDs.parse(eventID: "\(guess)-1") == nil, "\(guess): \(resume.status)")
                #expect(!join.body.contains("\"seq\"") && !dataLines(join).contains { $0.contains("t1") })
            }
        }
    }

    @Test("GET /streams/ID joins a running stream from its start; each subscriber in its own format; upstream read once")
    func fanOut() async throws {
        try await Harness.run(delayMilliseconds: 40) { h in
            let first = try await h.firstBlocks("/api/chat", headers: [("Accept", "text/event-stream")], blocks: 1)
            let stream = try #require(first.header("X-Stream-ID"))
            // A position the running stream has not reached is refused.
            #expect(try await h.request("/streams/\(stream)", headers: [("Last-Event-ID", "\(stream)-99")]).status == 400)
            async let sse = h.request("/streams/\(stream)", headers: [("Accept", "text/event-stream")])
            async let lines = h.request("/streams/\(stream)", headers: [("Accept", "application/x-ndjson")])
            let (a, b) = try await (sse, lines)
            let c = try await h.request("/streams/\(stream)", headers: [("Accept", "text/event-stream"), ("Last-Event-ID", "\(stream)-3")])
            #expect(dataLines(a) == ndjsonRecords)
            #expect(ids(a) == (1...5).map { "\(stream)-\($0)" })
            #expect(b.body == ndjsonRecords.map { $0 + "\n" }.joined())
            #expect(ids(c) == ["\(stream)-4", "\(stream)-5"])
            #expect(await h.upstreamCount("/api/chat") == 1)
        }
    }

    @Test("a reader behind the store's bounds gets a documented gap event, then the rest")
    func gap() async throws {
        try await Harness.run({ $0.replayRecords = 2 }) { h in
            let whole = try await h.request("/api/chat", method: .POST, headers: [("Accept", "text/event-stream")], body: "{}")
            let stream = try #require(whole.header("X-Stream-ID"))
            let late = try await h.request(
                "/streams/\(stream)", headers: [("Accept", "text/event-stream"), ("Last-Event-ID", "\(stream)-1")])
            #expect(late.blocks.first == "event: gap\nid: \(stream)-3\ndata: {\"gap\":{\"stream\":\"\(stream)\",\"from\":2,\"to\":3}}")
            #expect(ids(late) == ["\(stream)-3", "\(stream)-4", "\(stream)-5"])
            let json = try await h.request("/streams/\(stream)", headers: [("Accept", "application/x-ndjson")])
            #expect(json.body.hasPrefix(#"{"gap":{"stream":"\#(stream)","from":1,"to":3}}"# + "\n"))
        }
    }

    @Test("a stream started with credentials is readable only with the same credentials; others get 404")
    func binding() async throws {
        try await Harness.run(delayMilliseconds: 20) { h in
            let first = try await h.request(
                "/api/chat", method: .POST,
                headers: [("Accept", "text/event-stream"), ("Authorization", "Bearer alice")], body: "{}")
            let stream = try #require(first.header("X-Stream-ID"))
            for headers in [[("Authorization", "Bearer mallory")], [], [("Cookie", "session=alice")]] {
                #expect(try await h.request("/streams/\(stream)", headers: headers).status == 404)
                #expect(
                    try await h.request("/api/chat", method: .POST, headers: headers + [("Last-Event-ID", "\(stream)-1")], body: "{}")
                        .status == 404)
            }
            let alice = try await h.request(
                "/streams/\(stream)", headers: [("Authorization", "Bearer alice"), ("Accept", "text/event-stream")])
            #expect(alice.status == 200 && dataLines(alice) == ndjsonRecords)
        }
    }

    @Test("stream ids are 128 random bits: all different, 32 hex digits")
    func randomIDs() {
        let made = (0..<2000).map { _ in StreamIDs.make() }
        #expect(Set(made).count == made.count)
        #expect(made.allSatisfy { StreamIDs.isStreamID($0) })
        // Every hex digit appears in every place: not a counter or a clock.
        for place in [0, 15, 31] {
            #expect(Set(made.map { Array($0)[place] }).count == 16)
        }
    }

    @Test("a request body over --max-body-bytes is refused with 413 before the upstream is asked")
    func bodyLimit() async throws {
        try await Harness.run({ $0.maxBodyBytes = 1000 }) { h in
            let reply = try await h.request("/echo", method: .POST, body: String(repeating: "x", count: 1001))
            #expect(reply.status == 413)
            #expect(await h.upstreamCount("/echo") == 0)
            #expect(try await h.request("/echo", method: .POST, body: String(repeating: "x", count: 1000)).status == 200)
        }
    }

    @Test("more concurrent upstream streams than --max-streams get 503; the slot is freed when the stream ends")
    func streamLimit() async throws {
        try await Harness.run(delayMilliseconds: 100, { $0.maxStreams = 1 }) { h in
            let running = try await h.firstBlocks("/api/chat", headers: [("Accept", "text/event-stream")], blocks: 1)
            #expect(running.status == 200)
            let refused = try await h.request("/api/chat", method: .POST, body: "{}")
            #expect(refused.status == 503)
            #expect(await h.upstreamCount("/api/chat") == 1)
            try await Task.sleep(for: .milliseconds(700)) // the first stream ends (5 x 100 ms)
            #expect(try await h.request("/api/chat", method: .POST, body: "{}").status == 200)
        }
    }

    @Test("when the replay store holds --replay-streams running streams, a new one gets 503")
    func storeFull() async throws {
        try await Harness.run(delayMilliseconds: 100, { $0.replayStreams = 1 }) { h in
            let running = try await h.firstBlocks("/api/chat", headers: [("Accept", "text/event-stream")], blocks: 1)
            #expect(running.status == 200)
            #expect(try await h.request("/api/chat", method: .POST, body: "{}").status == 503)
        }
    }

    @Test("more requests in flight from one address than --max-client-requests get 429")
    func clientLimit() async throws {
        try await Harness.run(delayMilliseconds: 100, { $0.maxRequestsPerClient = 1 }) { h in
            async let slow = h.request("/api/chat", method: .POST, body: "{}")
            try await Task.sleep(for: .milliseconds(100))
            let refused = try await h.request("/api/tags")
            #expect(refused.status == 429)
            #expect(try await slow.status == 200)
            try await Task.sleep(for: .milliseconds(50))
            #expect(try await h.request("/api/tags").status == 200)
            // Responses without a body (HEAD, OPTIONS, 204, 4xx) give their slot back too.
            for method: NIOHTTP1.HTTPMethod in [.HEAD, .OPTIONS, .GET] {
                for _ in 0..<3 { _ = try await h.request(method == .GET ? "/a/../b" : "/stream/ndjson", method: method) }
            }
            try await Task.sleep(for: .milliseconds(50))
            #expect(try await h.request("/api/tags").status == 200)
        }
    }
}
