// Safe to expose: a request target never reaches another host or escapes the base path, and
// hop-by-hop headers do not cross the bridge (RFC 9110 section 7.6.1).

import Testing

@testable import BridgeKit

@Suite("Fixed upstream")
struct TargetTests {
    let upstream = try! UpstreamBase("http://127.0.0.1:11434/base")

    @Test("origin-form targets go to the upstream under its base path, query kept")
    func forwarded() throws {
        let target = try RequestTarget("/api/chat?stream=true&x=%41")
        #expect(upstream.url(for: target) == "http://127.0.0.1:11434/base/api/chat?stream=true&x=%41")
        #expect(target.path == "/api/chat")
    }

    @Test(
        "targets that would name another host or leave the base path are refused",
        arguments: [
            "http://evil.example/steal", // absolute-form
            "https://169.254.169.254/latest", // absolute-form, metadata service
            "//evil.example/x", // network-path reference
            "evil.example:80", // authority-form
            "*", // asterisk-form
            "/../admin", // dot segment
            "/a/./b",
            "/a/%2e%2e/b", // encoded dot segment
            "/a/%2E./b",
            "/a%2Fb", // encoded slash
            "/a%5cb", // encoded backslash
            "/a\\b", // backslash
            "/a//b", // empty segment (//host after normalising)
            "/a%00b", // NUL
            "/a b", // space
            "/a#frag",
            "",
        ])
    func refused(target: String) {
        #expect(throws: RequestTarget.Refused.self) { try RequestTarget(target) }
    }

    @Test("the upstream URL's host never changes, whatever the target")
    func hostFixed() throws {
        for text in ["/@evil.example/x", "/x?u=http://evil.example/", "/.well-known/x", "/%40evil"] {
            let url = upstream.url(for: try RequestTarget(text))
            #expect(url.hasPrefix("http://127.0.0.1:11434/base/"), "\(text) -> \(url)")
        }
    }

    @Test("hop-by-hop headers, Host and the client's X-Forwarded-For are not copied; the address is appended")
    func requestHeaders() {
        let sent = ProxyHeaders.upstreamRequest(
            [
                ("host", "bridge.example"), ("connection", "keep-alive, x-hop"), ("x-hop", "1"), ("keep-alive", "5"),
                ("transfer-encoding", "chunked"), ("te", "trailers"), ("upgrade", "h2c"), ("proxy-authorization", "Basic x"),
                ("x-forwarded-for", "10.0.0.1"), ("authorization", "Bearer t"), ("accept", "text/event-stream"),
            ],
            forwarded: nil, clientAddress: "127.0.0.1", upstreamHost: "127.0.0.1:11434")
        let names = sent.map(\.name)
        #expect(sent.first { $0.name == "host" }?.value == "127.0.0.1:11434")
        #expect(names.filter { $0 == "host" }.count == 1)
        for hop in ["connection", "x-hop", "keep-alive", "transfer-encoding", "te", "upgrade", "proxy-authorization"] {
            #expect(!names.contains(hop), "\(hop) was forwarded")
        }
        #expect(sent.first { $0.name == "x-forwarded-for" }?.value == "10.0.0.1, 127.0.0.1")
        #expect(sent.first { $0.name == "x-forwarded-host" }?.value == "bridge.example")
        #expect(names.contains("authorization") && names.contains("accept"))
    }

    @Test("only the configured request headers are forwarded")
    func configured() {
        let sent = ProxyHeaders.upstreamRequest(
            [("authorization", "Bearer t"), ("cookie", "a=b"), ("accept", "*/*")],
            forwarded: ["accept"], clientAddress: nil, upstreamHost: "h")
        #expect(sent.map(\.name).sorted() == ["accept", "host"])
    }

    @Test("response hop-by-hop headers are dropped; a converted stream drops the upstream's framing headers")
    func responseHeaders() {
        let upstream: [(name: String, value: String)] = [
            ("connection", "close, x-secret-hop"), ("x-secret-hop", "1"),
            ("content-type", "application/x-ndjson"), ("content-length", "10"),
            ("x-request-id", "r1"),
        ]
        #expect(ProxyHeaders.clientResponse(upstream, converted: true).map(\.name) == ["x-request-id"])
        #expect(ProxyHeaders.clientResponse(upstream, converted: false).map(\.name) == ["content-type", "x-request-id"])
    }
}

@Suite("Negotiation")
struct NegotiationTests {
    @Test(
        "Accept picks the output format and its Content-Type",
        arguments: [
            ("text/event-stream", "sse", "text/event-stream"),
            ("application/x-ndjson", "ndjson", "application/x-ndjson"),
            ("application/jsonl", "ndjson", "application/jsonl"),
            ("application/json-seq", "json-seq", "application/json-seq"),
            ("application/json", "json-array", "application/json"),
            ("text/html;q=0.9, application/x-ndjson;q=0.5, text/event-stream", "sse", "text/event-stream"),
            ("application/x-ndjson;q=0.5, text/event-stream;q=0.4", "ndjson", "application/x-ndjson"),
            ("*/*", "ndjson", "application/x-ndjson"),
            ("text/*", "sse", "text/event-stream"),
            ("text/html,application/xhtml+xml,*/*;q=0.8", "ndjson", "application/x-ndjson"),
            ("", "ndjson", "application/x-ndjson"),
            ("TEXT/EVENT-STREAM; charset=utf-8", "sse", "text/event-stream"),
        ])
    func accept(accept: String, format: String, contentType: String) {
        let choice = Negotiation.output(accept: accept, input: "ndjson", configured: nil)
        #expect(choice == OutputChoice(format: format, contentType: contentType), "Accept: \(accept)")
    }

    @Test("an Accept with nothing the bridge can serve gets nil (406), and q=0 refuses a type")
    func notAcceptable() {
        #expect(Negotiation.output(accept: "text/html", input: "sse", configured: nil) == nil)
        #expect(Negotiation.output(accept: "text/event-stream;q=0", input: "ndjson", configured: nil) == nil)
    }

    @Test("--to wins over Accept")
    func configured() {
        #expect(Negotiation.output(accept: "application/x-ndjson", input: "ndjson", configured: "sse")?.format == "sse")
    }

    @Test("the input format comes from --from, else a streaming Content-Type, else detection when untyped")
    func input() {
        #expect(Negotiation.inputFormat(contentType: "application/x-ndjson; charset=utf-8", configured: nil) == "ndjson")
        #expect(Negotiation.inputFormat(contentType: "text/event-stream", configured: nil) == "sse")
        #expect(Negotiation.inputFormat(contentType: "application/json", configured: nil) == nil)
        #expect(Negotiation.inputFormat(contentType: "text/html", configured: nil) == nil)
        #expect(Negotiation.inputFormat(contentType: nil, configured: nil) == "auto")
        #expect(Negotiation.inputFormat(contentType: "application/json", configured: "json-array") == "json-array")
        #expect(Negotiation.inputFormat(contentType: "text/html", configured: "ndjson") == nil)
        #expect(Negotiation.inputFormat(contentType: "text/plain", configured: "ndjson") == "ndjson")
    }
}
