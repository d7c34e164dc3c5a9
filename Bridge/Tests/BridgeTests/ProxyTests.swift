// The bridge in front of a fake upstream, on loopback: conversion by Accept, the streaming
// headers, pass-through, forwarding, in-stream error records (issue 13 point 3), resumption and
// fan-out from the replay store, credential binding and limits (issue 18).

import Foundation
import StreamCodec
import Testing

@testable import BridgeKit

/// The bridge's id for an event: `STREAMID-POSITION`.
func ids(_ reply: Reply) -> [String] {
    reply.blocks.compactMap { block in block.split(separator: "\n").first { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) } }
}

func dataLines(_ reply: Reply) -> [String] {
    reply.blocks.flatMap { $0.split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) } }
}

/// Each NDJSON record of the fake upstream, minified as the library writes it.
let ndjsonRecords = Streams.ndjson.map { $0.trimmingCharacters(in: .newlines) }

@Suite("Bridge: conversion and proxying", .serialized)
struct ProxyTests {
    @Test("an NDJSON upstream is served as SSE when Accept asks for it: one event per record, ids STREAM-POSITION")
    func ndjsonToSSE() async throws {
        try await Harness.run { h in
            let reply = try await h.request("/api/chat", method: .POST, headers: [("Accept", "text/event-stream")], body: "{}")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/event-stream")
            #expect(reply.header("Cache-Control") == "no-cache")
            #expect(reply.header("X-Accel-Buffering") == "no")
            #expect(reply.header("Content-Length") == nil)
            let stream = try #require(reply.header("X-Stream-ID"))
            #expect(stream.count == 32)
            #expect(dataLines(reply) == ndjsonRecords)
            #expect(ids(reply) == (1...5).map { "\(stream)-\($0)" })
            #expect(!reply.brokeOff)
        }
    }

    @Test(
        "an SSE upstream is served as NDJSON, JSON Lines, json-seq or a JSON array, by Accept",
        arguments: [
            ("application/x-ndjson", "application/x-ndjson", "", "\n"),
            ("application/jsonl", "application/jsonl", "", "\n"),
            ("application/json-seq", "application/json-seq", "\u{1E}", "\n"),
        ])
    func sseToJSON(accept: String, contentType: String, prefix: String, suffix: String) async throws {
        try await Harness.run { h in
            let reply = try await h.request("/v1/chat/completions", method: .POST, headers: [("Accept", accept)], body: "{}")
            #expect(reply.status == 200 && reply.header("Content-Type") == contentType)
            #expect(reply.header("Cache-Control") == "no-cache" && reply.header("X-Accel-Buffering") == "no")
            let expected = ["Hel", "lo", "!"].map { prefix + #"{"choices":[{"delta":{"content":"\#($0)"}}]}"# + suffix }.joined()
            #expect(reply.body == expected)
        }
    }

    @Test("the result does not depend on how the upstream's bytes were split", arguments: [1, 2, 3, 7])
    func splits(piece: Int) async throws {
        try await Harness.run { h in
            let sse = try await h.request(
                "/v1/chat/completions?chunk=\(piece)", method: .POST, headers: [("Accept", "application/x-ndjson")], body: "{}")
            let expected = ["Hel", "lo", "!"].map { #"{"choices":[{"delta":{"content":"\#($0)"}}]}"# + "\n" }.joined()
            #expect(sse.body == expected)
            let ndjson = try await h.request(
                "/api/chat?chunk=\(piece)", method: .POST, headers: [("Accept", "text/event-stream")], body: "{}")
            #expect(dataLines(ndjson) == ndjsonRecords && ids(ndjson).count == 5)
        }
    }

    @Test("application/json gets one complete JSON array of the records")
    func jsonArray() async throws {
        try await Harness.run { h in
            let reply = try await h.request("/api/chat", method: .POST, headers: [("Accept", "application/json")], body: "{}")
            #expect(reply.header("Content-Type") == "application/json")
            let array = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [Any]
            #expect(array?.count == 5)
        }
    }

    @Test("with */* or no Accept a stream keeps its format, still with the no-buffering headers")
    func ownFormat() async throws {
        try await Harness.run { h in
            for headers in [[("Accept", "*/*")], []] {
                let reply = try await h.request("/api/chat", method: .POST, headers: headers, body: "{}")
                #expect(reply.header("Content-Type") == "application/x-ndjson")
                #expect(reply.header("Cache-Control") == "no-cache" && reply.header("X-Accel-Buffering") == "no")
                #expect(reply.body == ndjsonRecords.map { $0 + "\n" }.joined())
            }
        }
    }

    @Test("an untyped stream is detected from its first byte")
    func detected() async throws {
        try await Harness.run { h in
            let reply = try await h.request("/untyped", headers: [("Accept", "text/event-stream")])
            #expect(reply.header("Content-Type") == "text/event-stream")
            #expect(dataLines(reply) == ndjsonRecords)
        }
    }

    @Test("an Accept the bridge cannot serve gets 406 naming what it serves")
    func notAcceptable() async throws {
        try await Harness.run { h in
            let reply = try await h.request("/api/chat", method: .POST, headers: [("Accept", "text/html")], body: "{}")
            #expect(reply.status == 406 && reply.body.contains("text/event-stream"))
        }
    }

    @Test("options for SSE output apply to the requests served as SSE, and are left out for the others")
    func optionsPerOutput() async throws {
        try await Harness.run({
            $0.conversion.eventName = "token"
            $0.conversion.retry = "100"
            $0.conversion.appendDone = true
        }) { h in
            let lines = try await h.request("/api/chat", method: .POST, headers: [("Accept", "application/x-ndjson")], body: "{}")
            #expect(lines.status == 200 && lines.body == ndjsonRecords.map { $0 + "\n" }.joined())
            let sse = try await h.request("/api/chat", method: .POST, headers: [("Accept", "text/event-stream")], body: "{}")
            let events = sse.blocks.filter { $0.contains("data: ") }
            #expect(events.count == 6 && events.dropLast().allSatisfy { $0.hasPrefix("event: token\n") })
            // The SSE output rules: retry rides in the first event's block; no block lacks data.
            #expect(events.first?.contains("retry: 100\n") == true && events.count == sse.blocks.count)
            #expect(!sse.body.hasPrefix("retry: 100\n\n") && dataLines(sse).last == "[DONE]")
        }
    }

    @Test("options that cannot apply to the negotiated pair of formats get 406 naming the option")
    func optionDoesNotApply() async throws {
        try await Harness.run({
            $0.conversion.mode = .envelope
            $0.conversion.nonJSON = .skip
        }) { h in
            let reply = try await h.request(
                "/v1/chat/completions", method: .POST, headers: [("Accept", "application/x-ndjson")], body: "{}")
            #expect(reply.status == 406 && reply.body.contains("--non-json"), "\(reply.body)")
        }
    }

    @Test("--retry and --done frame the SSE output; the closing event has the position after the last record")
    func framing() async throws {
        try await Harness.run({
            $0.conversion.retry = "2500"
            $0.conversion.appendDone = true
        }) { h in
            let reply = try await h.request("/api/chat", method: .POST, headers: [("Accept", "text/event-stream")], body: "{}")
            let stream = try #require(reply.header("X-Stream-ID"))
            #expect(reply.body.contains("retry: 2500\n"))
            #expect(dataLines(reply) == ndjsonRecords + ["[DONE]"])
            #expect(ids(reply).last == "\(stream)-6")
        }
    }

    @Test("anything that is not a stream passes through untouched, and redirects are not followed")
    func passThrough() async throws {
        try await Harness.run { h in
            let tags = try await h.request("/api/tags", headers: [("Accept", "text/event-stream")])
            #expect(tags.status == 200 && tags.body == #"{"models":[]}"# && tags.header("Content-Type") == "application/json")
            #expect(tags.header("X-Stream-ID") == nil)
            let redirect = try await h.request("/redirect")
            #expect(redirect.status == 302 && redirect.header("Location") == "http://example.invalid/elsewhere")
            let missing = try await h.request("/no/such/path")
            #expect(missing.status == 404)
        }
    }

    @Test("method, path, query and body are forwarded; Host is the upstream's; X-Forwarded-For appended; hop-by-hop stripped both ways")
    func forwarding() async throws {
        try await Harness.run { h in
            let reply = try await h.request(
                "/echo/a/b?q=1&r=%20", method: .PUT,
                headers: [
                    ("X-Forwarded-For", "10.1.2.3"), ("Connection", "x-private"), ("X-Private", "1"),
                    ("Keep-Alive", "timeout=5"), ("X-Custom", "kept"),
                ],
                body: "twelve bytes")
            let echo = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
            #expect(echo["method"] as? String == "PUT")
            #expect(echo["target"] as? String == "/echo/a/b?q=1&r=%20")
            #expect(echo["bodyBytes"] as? Int == 12)
            let headers = (echo["headers"] as? [[String]] ?? []).map { ($0[0].lowercased(), $0[1]) }
            func value(_ name: String) -> [String] { headers.filter { $0.0 == name }.map(\.1) }
            #expect(value("host") == ["127.0.0.1:\(h.upstreamPort)"])
            #expect(value("x-forwarded-for") == ["10.1.2.3, 127.0.0.1"])
            #expect(value("x-private").isEmpty && value("keep-alive").isEmpty)
            #expect(value("x-custom") == ["kept"])
            // The upstream's Connection-named header does not reach the client; its own headers do.
            #expect(reply.header("X-Secret-Hop") == nil && reply.header("X-Upstream") == "fake")
        }
    }

    @Test("--forward-headers limits what reaches the upstream")
    func forwardHeaders() async throws {
        try await Harness.run({ $0.forwardHeaders = ["x-allowed"] }) { h in
            let reply = try await h.request("/echo", headers: [("X-Allowed", "1"), ("X-Denied", "2"), ("Authorization", "Bearer t")])
            #expect(reply.body.contains("x-allowed") && !reply.body.contains("x-denied") && !reply.body.contains("Bearer"))
        }
    }

    @Test("OPTIONS is answered by the bridge; HEAD gets a stream's headers and no body")
    func optionsAndHead() async throws {
        try await Harness.run { h in
            let options = try await h.request("/api/chat", method: .OPTIONS)
            #expect(options.status == 204 && options.header("Allow")?.contains("POST") == true)
            let head = try await h.request("/stream/ndjson", method: .HEAD, headers: [("Accept", "text/event-stream")])
            #expect(head.status == 200 && head.header("Content-Type") == "text/event-stream" && head.body.isEmpty)
            #expect(head.header("Cache-Control") == "no-cache")
            #expect(await h.upstreamCount("/api/chat") == 0)
            #expect(await h.upstreamCount("/stream/ndjson") == 1)
        }
    }
}

@Suite("Bridge: the upstream fails", .serialized)
struct FailureTests {
    @Test("an upstream that breaks off gets an SSE `event: error` with a JSON body after the records, then an abnormal end")
    func sseError() async throws {
        try await Harness.run { h in
            let reply = try await h.request("/api/chat?fail_after=2", method: .POST, headers: [("Accept", "text/event-stream")], body: "{}")
            #expect(dataLines(reply).prefix(2) == ndjsonRecords.prefix(2))
            let last = try #require(reply.blocks.last)
            #expect(last.hasPrefix("event: error\ndata: {\"error\":{\"type\":\"upstream_error\",\"message\":"))
            let json = String(last.split(separator: "\n")[1].dropFirst(6))
            #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil)
            #expect(reply.brokeOff)
        }
    }

    @Test("in NDJSON the error is an {\"error\": ...} line; a JSON array is left unclosed")
    func jsonError() async throws {
        try await Harness.run { h in
            let lines = try await h.request(
                "/api/chat?fail_after=3", method: .POST, headers: [("Accept", "application/x-ndjson")], body: "{}")
            let split = lines.body.split(separator: "\n").map(String.init)
            #expect(Array(split.prefix(3)) == Array(ndjsonRecords.prefix(3)))
            #expect(split.count == 4 && split[3].hasPrefix(#"{"error":{"type":"upstream_error""#), "\(split)")
            let array = try await h.request("/api/chat?fail_after=1", method: .POST, headers: [("Accept", "application/json")], body: "{}")
            #expect(array.body.hasPrefix("[\n") && array.body.contains(",\n{\"error\":") && !array.body.hasSuffix("]\n"))
            #expect((try? JSONSerialization.jsonObject(with: Data(array.body.utf8))) == nil)
        }
    }

    @Test("with --require-done an SSE upstream that ends without [DONE] gets the error record")
    func requireDone() async throws {
        try await Harness.run({ $0.conversion.requireDone = true }) { h in
            let cut = try await h.request("/v1/no-done", method: .POST, headers: [("Accept", "application/x-ndjson")], body: "{}")
            #expect(cut.body.split(separator: "\n").last?.contains("without [DONE]") == true, "\(cut.body)")
            let whole = try await h.request(
                "/v1/chat/completions", method: .POST, headers: [("Accept", "application/x-ndjson")], body: "{}")
            #expect(!whole.body.contains("error") && !whole.brokeOff)
        }
    }

    @Test("an upstream that cannot be reached gets 502")
    func unreachable() async throws {
        try await Harness.run({ $0.upstream = try! UpstreamBase("http://127.0.0.1:1") }) { h in
            let reply = try await h.request("/api/chat", method: .POST, body: "{}")
            #expect(reply.status == 502)
        }
    }
}
