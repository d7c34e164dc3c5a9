// Spec: issue 12 point 4 and Docs/CLI.md "Usage checks": options that cannot apply to the
// output format (whatever the input format), or to the input format named with -f, and
// contradictory options, are usage errors (exit 2) before any input is read: on empty input,
// and on an open standard input that never sends a byte.
import Foundation
import Testing

@Suite("Command line: usage checks before reading input")
struct UsageValidationTests {
    /// (arguments, a word the message must contain)
    static let misuses: [([String], String)] = [
        // SSE-output-only options, whatever -f is (auto included).
        (["--event", "x", "-t", "ndjson"], "--event"),
        (["--retry", "5", "-t", "ndjson"], "--retry"),
        (["-f", "sse", "--retry", "5"], "--retry"),
        (["--ids", "-t", "json-seq"], "--ids"),
        (["--id-from", "id", "-t", "stream-json"], "--id-from"),
        (["--event-from", "type", "-f", "ndjson"], "--event-from"),
        (["--done", "-t", "json-array"], "--done"),
        (["--heartbeat", "1", "-t", "ndjson"], "--heartbeat"),
        (["--heartbeat", "1", "--heartbeat-event", "ping", "-t", "ndjson"], "--heartbeat"),
        // Input-only options with a -f that cannot use them.
        (["-f", "sse", "--array-path", "/a"], "--array-path"),
        (["-f", "ndjson", "--eof", "dispatch"], "--eof"),
        (["-f", "ndjson", "--only-event", "a"], "--only-event"),
        (["-f", "json-seq", "--require-done"], "--require-done"),
        (["-f", "ndjson", "--no-done"], "--no-done"),
        (["-f", "ndjson", "-t", "sse", "--comments"], "--comments"),
        (["-f", "sse", "-t", "sse", "--event", "x"], "--event"),
        (["-f", "ndjson", "--done-marker", "END"], "--done-marker"),
        (["-f", "sse", "-t", "sse", "--non-json", "string"], "--non-json"),
        // Contradictions.
        (["-t", "sse", "--event", "x", "--event-from", "type"], "--event-from"),
        (["-t", "sse", "--ids", "--id-from", "id"], "--id-from"),
        (["--no-done", "--done-marker", "END"], "--done-marker"),
        (["-t", "sse", "--no-done", "--done"], "--no-done"),
        (["--no-done", "--require-done"], "--require-done"),
        (["-t", "sse", "--envelope", "--event", "x"], "--envelope"),
        (["--envelope-data", "json", "--non-json", "string"], "--non-json"),
        (["--heartbeat-event", "ping", "-t", "sse"], "--heartbeat"),
        // The envelope converts between the families; comments need it for JSON output.
        (["-f", "sse", "-t", "sse", "--envelope"], "--envelope"),
        (["-f", "ndjson", "-t", "json-seq", "--envelope-data", "json"], "--envelope-data"),
        (["-f", "sse", "--comments"], "--envelope"),
    ]

    @Test("an option that cannot apply, or a contradiction, exits 2 at once on empty input, naming the option", arguments: misuses)
    func onEmptyInput(arguments: [String], word: String) throws {
        let result = try Streamconv.run(arguments)
        #expect(result.termination == .exited(2), "\(arguments): \(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errorLines.count == 2, "\(result.stderr)")
        #expect(result.errors.hasPrefix("streamconv: ") && result.errors.contains(word), "\(arguments): \(result.stderr)")
    }

    @Test(
        "the checks come before reading: with a standard input held open and silent, it still exits 2 at once",
        arguments: [
            ["--event", "x", "-t", "ndjson"], ["--retry", "5"], ["-t", "sse", "--ids", "--id-from", "id"],
            ["-f", "ndjson", "--eof", "error"],
        ])
    func onSilentInput(arguments: [String]) throws {
        let child = try Streamconv.start(arguments)
        defer { child.closeStdin() }
        let termination = child.wait(timeout: .seconds(10))
        if termination == nil { child.kill() }
        #expect(termination == .exited(2), "still waiting for input: \(arguments)")
        let errors = String(decoding: child.readStderrToEnd(timeout: .seconds(1)), as: UTF8.self)
        #expect(errors.hasPrefix("streamconv: "), "\(errors)")
    }

    @Test(
        "the same options are accepted where they apply (each of these converts)",
        arguments: [
            (
                ["-f", "ndjson", "-t", "sse", "--event", "x", "--ids", "--retry", "100", "--done"], "[1]\n",
                "event: x\nid: 1\nretry: 100\ndata: [1]\n\ndata: [DONE]\n\n"
            ),
            (["-f", "sse", "-t", "sse", "--retry", "100", "--comments"], ": hi\ndata: x\n\n", ": hi\nretry: 100\ndata: x\n\n"),
            (
                ["-f", "sse", "--only-event", "a", "--require-done", "--done-marker", "END"], "event: a\ndata: [1]\n\ndata: END\n\n",
                "[1]\n"
            ),
            (["-f", "json-seq", "--eof", "dispatch"], "\u{1E}[1]", "[1]\n"),
            (["-f", "json-array", "--array-path", "/r"], "{\"r\": [1, 2]}", "1\n2\n"),
            (["--envelope", "-t", "ndjson"], "event: e\ndata: x\n\n", "{\"event\":\"e\",\"data\":\"x\"}\n"),
            (["-f", "sse", "--no-done"], "data: [1]\n\n", "[1]\n"),
            (["-f", "sse", "--non-json", "string"], "data: hi\n\n", "\"hi\"\n"),
        ])
    func accepted(arguments: [String], input: String, output: String) throws {
        let result = try Streamconv.run(arguments, stdin: input)
        #expect(result.termination == .exited(0), "\(arguments): \(result)")
        #expect(result.stdout == Bytes(output), "\(arguments)")
    }

    @Test("with -f auto, an input-only option is checked once the format is detected: exit 2 naming it and the detected format")
    func autoInputOnlyOption() throws {
        let ok = try Streamconv.run(["--only-event", "a"], stdin: "event: a\ndata: [1]\n\nevent: b\ndata: [2]\n\n")
        #expect(ok.termination == .exited(0), "\(ok)")
        #expect(ok.stdout == "[1]\n")
        let wrong = try Streamconv.run(["--eof", "dispatch"], stdin: "{\"a\": 1}\n")
        #expect(wrong.termination == .exited(2), "\(wrong)")
        #expect(wrong.errors.contains("--eof") && wrong.errors.contains("stream-json"), "\(wrong.stderr)")
        #expect(!wrong.errors.contains("ConversionOptions"), "library terms leaked: \(wrong.stderr)")
    }

    @Test("--retry takes ASCII digits only, of any length (kept exactly)", arguments: ["", "-1", "1.5", "1e3", "٣", " 5", "0x10"])
    func badRetry(value: String) throws {
        let result = try Streamconv.run(["-t", "sse", "--retry", value])
        #expect(result.termination == .exited(2), "\(value): \(result)")
        #expect(result.errors.contains("--retry"), "\(result.stderr)")
    }
}
