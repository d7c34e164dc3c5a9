// Command-line options: `--name value` pairs and a few switches. Small on purpose (no
// argument-parser dependency for an example).

struct Options: Sendable {
    var host = "127.0.0.1"
    var port = 8080
    /// An Ollama-style `/api/chat` endpoint, streaming NDJSON.
    var ndjsonUpstream = "http://127.0.0.1:11434/api/chat"
    /// An OpenAI-style `/v1/chat/completions` endpoint, streaming SSE (`OPENAI_API_KEY` is sent when set).
    var sseUpstream = "https://api.openai.com/v1/chat/completions"
    var model = "llama3.2"
    /// Serve recorded streams from `fixtures` at /upstream/... and use them as the upstreams.
    var fakeUpstream = false
    var fixtures = "../../Fixtures"
    /// Fake upstream: the pause before each record.
    var delayMilliseconds = 40
    /// SSE output: a comment line when the upstream has been silent this long.
    var heartbeatSeconds = 15.0
    /// SSE output: the reconnection time announced to EventSource (`retry:`).
    var retryMilliseconds: UInt64 = 1000
    /// Routes for the end-to-end test: /test/report/{name} and `/sse?drop_after=N`.
    var testRoutes = false

    static let usage = """
        usage: HummingbirdBridge [--host H] [--port P] [--ndjson-upstream URL] [--sse-upstream URL] [--model M]
                                 [--fake-upstream] [--fixtures DIR] [--delay-ms N] [--heartbeat-seconds S]
                                 [--retry-ms N] [--test-routes]
        """

    init(arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        func value(_ name: String) throws(UsageError) -> String {
            guard let value = rest.popFirst() else { throw UsageError("\(name) needs a value") }
            return value
        }
        func number<T: LosslessStringConvertible>(_ name: String) throws(UsageError) -> T {
            let text = try value(name)
            guard let number = T(text) else { throw UsageError("\(name): not a number: \(text)") }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--host": host = try value(argument)
            case "--port": port = try number(argument)
            case "--ndjson-upstream": ndjsonUpstream = try value(argument)
            case "--sse-upstream": sseUpstream = try value(argument)
            case "--model": model = try value(argument)
            case "--fake-upstream": fakeUpstream = true
            case "--fixtures": fixtures = try value(argument)
            case "--delay-ms": delayMilliseconds = try number(argument)
            case "--heartbeat-seconds": heartbeatSeconds = try number(argument)
            case "--retry-ms": retryMilliseconds = try number(argument)
            case "--test-routes": testRoutes = true
            default: throw UsageError("unknown option \(argument)")
            }
        }
        if fakeUpstream {
            ndjsonUpstream = "http://\(host):\(port)/upstream/ollama/api/chat"
            sseUpstream = "http://\(host):\(port)/upstream/openai/v1/chat/completions"
        }
    }
}

struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
