// Docs/Formats.md, "SSE output rules", through the binary: `--retry` takes any run of ASCII
// digits and writes it in the first event's block (never a block of its own; nothing without an
// event); `--heartbeat-event NAME` makes heartbeats `event: NAME` + `data: {"type":"NAME"}` +
// blank line, `--heartbeat` alone a lone `:` line; both need SSE output, the name needs
// `--heartbeat`, and a bad value is a usage error (2) naming it, before any input is read.
import Foundation
import Testing

@Suite("SSE output rules through the binary")
struct SSEOutputRulesTests {
    @Test("--retry keeps any run of ASCII digits exactly and writes it in the first event's block")
    func retryInFirstEvent() throws {
        let long = "123456789012345678901234567890"
        let result = try Streamconv.run(["-f", "ndjson", "-t", "sse", "--retry", "000" + long], stdin: "{\"a\":1}\n{\"a\":2}\n")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout.text == "retry: \(long)\ndata: {\"a\":1}\n\ndata: {\"a\":2}\n\n")
        let empty = try Streamconv.run(["-f", "ndjson", "-t", "sse", "--retry", "3000"], stdin: "")
        #expect(empty.termination == .exited(0) && empty.stdout.text.isEmpty, "no event, no retry block: \(empty)")
        let done = try Streamconv.run(["-f", "ndjson", "-t", "sse", "--retry", "3000", "--done"], stdin: "")
        #expect(done.stdout.text == "retry: 3000\ndata: [DONE]\n\n", "\(done)")
    }

    @Test(
        "--retry with anything but ASCII digits is a usage error naming the value",
        arguments: ["abc", "", "1.5", "-1", "+5", " 5", "1e3", "\u{0663}"])
    func retryNotDigits(value: String) throws {
        let result = try Streamconv.run(["-f", "ndjson", "-t", "sse", "--retry", value], stdin: "{\"a\":1}\n")
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errors.contains("--retry") && result.errors.contains("'\(value)'"), "\(result.stderr)")
    }

    @Test("SSE to SSE: id-only and retry-only blocks ride on the next event; nothing is written for a trailing one")
    func controlBlocksMerged() throws {
        let result = try Streamconv.run(["-f", "sse", "-t", "sse"], stdin: "retry: 10\n\nid: 5\n\ndata: a\n\nid: 6\n\n")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout.text == "id: 5\nretry: 10\ndata: a\n\n")
    }

    @Test(
        "--heartbeat-event without --heartbeat, with a bad name, or with JSON output is a usage error",
        arguments: [
            ["--heartbeat-event", "ping"],
            ["--heartbeat", "1", "--heartbeat-event", ""],
            ["--heartbeat", "1", "--heartbeat-event", "a\nb"],
            ["--heartbeat", "1", "--heartbeat-event", "a\rb"],
        ])
    func heartbeatEventUsage(arguments: [String]) throws {
        let result = try Streamconv.run(["-f", "ndjson", "-t", "sse"] + arguments, stdin: "{\"a\":1}\n")
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errors.contains("--heartbeat"), "\(result.stderr)")
        let json = try Streamconv.run(
            ["-f", "ndjson", "-t", "ndjson", "--heartbeat", "1", "--heartbeat-event", "ping"], stdin: "{\"a\":1}\n")
        #expect(json.termination == .exited(2), "\(json)")
    }

    @Test(
        "while the input is silent, heartbeats come between records: a lone ':' line, or the named event",
        arguments: [([String](), ":\n"), (["--heartbeat-event", "ping"], "event: ping\ndata: {\"type\":\"ping\"}\n\n")])
    func heartbeatsWhileSilent(extra: [String], beat: String) throws {
        let child = try Streamconv.start(["-f", "ndjson", "-t", "sse", "--ids", "--heartbeat", "0.05"] + extra)
        defer { child.kill() }
        try child.write("{\"a\":1}\n")
        let first = "id: 1\ndata: {\"a\":1}\n\n"
        #expect(Bytes(child.readStdout(count: first.utf8.count, timeout: .seconds(5))) == Bytes(Array(first.utf8)))
        // Silence: at least two heartbeats, each exactly the heartbeat's bytes.
        let two = beat + beat
        #expect(Bytes(child.readStdout(count: two.utf8.count, timeout: .seconds(5))) == Bytes(Array(two.utf8)))
        child.closeStdin()
        let (rest, complete) = child.readToEnd(timeout: .seconds(5))
        #expect(complete)
        // Only more heartbeats may follow, never a blank line after a ':' heartbeat.
        let tail = String(decoding: rest, as: UTF8.self)
        #expect(tail.replacingOccurrences(of: beat, with: "").isEmpty, "\(tail.debugDescription)")
        #expect(child.wait(timeout: .seconds(5)) == .exited(0))
    }
}
