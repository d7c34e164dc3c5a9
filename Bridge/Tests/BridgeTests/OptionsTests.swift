// The command line: what it accepts, and the usage errors that name what is wrong.

import StreamCodec
import Testing

@testable import BridgeKit

@Suite("Command line")
struct OptionsTests {
    func options(_ arguments: [String]) throws -> BridgeOptions {
        guard case .run(let options) = try BridgeOptions.parse(arguments) else { throw BridgeUsageError("not a run") }
        return options
    }

    func usageError(_ arguments: [String]) -> String? {
        do {
            _ = try BridgeOptions.parse(arguments)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("the documented command line maps to the listen address, upstream, formats and ConversionOptions")
    func documented() throws {
        let o = try options([
            "--listen", "127.0.0.1:9090", "--upstream", "http://127.0.0.1:11434", "--from", "ndjson",
            "--to=sse", "--heartbeat", "0", "--retry", "3000", "--done", "--event", "token",
        ])
        #expect(o.host == "127.0.0.1" && o.port == 9090)
        #expect(o.upstream.origin == "http://127.0.0.1:11434" && o.upstream.basePath == "")
        #expect(o.from == "ndjson" && o.to == "sse")
        #expect(o.heartbeatSeconds == nil)
        #expect(o.conversion.retry != nil && o.conversion.appendDone && o.conversion.eventName == "token")
    }

    @Test("--heartbeat-event names the heartbeat event; --retry keeps every digit")
    func heartbeatEventAndRetry() throws {
        let o = try options(["--upstream", "http://h:1", "--heartbeat-event", "ping", "--retry", "123456789012345678901234567890"])
        #expect(o.heartbeatEvent == "ping")
        #expect(o.conversion.retry == "123456789012345678901234567890")
        #expect(throws: BridgeUsageError.self) { try options(["--upstream", "http://h:1", "--heartbeat-event", ""]) }
    }

    @Test("defaults: negotiate, detect, heartbeat 15 s, listen on 127.0.0.1:8080")
    func defaults() throws {
        let o = try options(["--upstream", "https://api.example.com/v1/"])
        #expect(o.from == nil && o.to == nil && o.heartbeatSeconds == 15)
        #expect(o.host == "127.0.0.1" && o.port == 8080)
        #expect(
            o.maxConnectionsPerClient == 256 && o.writeTimeoutSeconds == 30 && o.idleTimeoutSeconds == 60 && o.replayStore == .memory
                && o.replayLeaseSeconds == 10)
        #expect(try options(["--upstream", "http://h:1", "--write-timeout", "2.5"]).writeTimeoutSeconds == 2.5)
        #expect(o.upstream.origin == "https://api.example.com:443" && o.upstream.basePath == "/v1")
        #expect(o.upstream.hostHeader == "api.example.com")
        guard case .help = try BridgeOptions.parse(["--help"]) else {
            Issue.record("--help")
            return
        }
        #expect(try options(["--upstream", "http://h:1", "--to", "negotiate"]).to == nil)
    }

    @Test(
        "usage errors say what was wrong and what is allowed",
        arguments: [
            ([String](), "--upstream URL is required"),
            (["--upstream", "ftp://h"], "http:// or https://"),
            (["--upstream", "http://user:pw@h:1"], "credentials in the URL"),
            (["--upstream", "http://h:1/a/../b"], "dot segment"),
            (["--upstream", "http://h:1", "--from", "xml"], "unknown format 'xml' for --from"),
            (["--upstream", "http://h:1", "--listen", "8080"], "HOST:PORT"),
            (["--upstream", "http://h:1", "--retry", "-5"], "ASCII digits"),
            (["--upstream", "http://h:1", "--ids"], "STREAM-POSITION"),
            (["--upstream", "http://h:1", "--id-from", "id"], "STREAM-POSITION"),
            (["--upstream", "http://h:1", "--heartbeat", "soon"], "seconds"),
            (["--upstream", "http://h:1", "--max-body-bytes", "0"], "positive whole number"),
            (["--upstream", "http://h:1", "--frobnicate"], "unknown option '--frobnicate'"),
            (["--upstream", "http://h:1", "--done=yes"], "takes no value"),
            (["--upstream", "http://h:1", "--replay-store", "redis://x"], "memory, or postgres://"),
            (
                ["--upstream", "http://h:1", "--from", "sse", "--to", "ndjson", "--event", "x"],
                "--event applies only when the output is SSE"
            ),
        ])
    func usageErrors(arguments: [String], expected: String) {
        let message = usageError(arguments)
        #expect(message?.contains(expected) == true, "\(arguments) -> \(message ?? "accepted")")
    }

    @Test("sizes take k, M and G")
    func sizes() throws {
        let o = try options(["--upstream", "http://h:1", "--max-body-bytes", "64k", "--replay-bytes", "2M", "--replay-records", "100"])
        #expect(o.maxBodyBytes == 64 << 10 && o.replayBytes == 2 << 20 && o.replayRecords == 100)
    }

    @Test("--forward-headers takes a comma-separated list of names, or all")
    func forwardHeaders() throws {
        #expect(
            try options(["--upstream", "http://h:1", "--forward-headers", "Authorization, Content-Type"]).forwardHeaders
                == ["authorization", "content-type"])
        #expect(try options(["--upstream", "http://h:1", "--forward-headers", "all"]).forwardHeaders == nil)
    }
}
