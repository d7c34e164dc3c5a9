// Spec: Docs/CLI.md, "Options" (stream end and bad records) and "Exit status": the options that
// change what an unterminated block, a missing [DONE] or a bad record does to the exit status.
import Foundation
import Testing

@Suite("Stream end and bad records: exit statuses under the policy options")
struct StreamEndPolicyTests {
    static let unterminated = "data: {\"a\": 1}\n\ndata: {\"b\": 2}\n" // the block on line 3 never ends

    @Test("--eof error: an unterminated final SSE block exits 3 after the complete events, naming the block's line")
    func eofError() throws {
        let result = try Streamconv.run(["-f", "sse", "--eof", "error"], stdin: Self.unterminated)
        #expect(result.termination == .exited(3), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n")
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errors.hasPrefix("streamconv: <stdin>:3: "), "\(result.stderr)")
    }

    @Test("--eof dispatch: an unterminated final SSE block is converted like a terminated one, without a warning")
    func eofDispatch() throws {
        let result = try Streamconv.run(["-f", "sse", "--eof=dispatch"], stdin: Self.unterminated)
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n{\"b\":2}\n")
        #expect(result.stderr.isEmpty)
    }

    @Test("-q / --quiet silences the warning for an unterminated final block; the status stays 0", arguments: ["-q", "--quiet"])
    func quiet(option: String) throws {
        let result = try Streamconv.run(["-f", "sse", option], stdin: Self.unterminated)
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n")
        #expect(result.stderr.isEmpty)
    }

    @Test(
        "--require-done: SSE input ending without [DONE] exits 3 after writing every record; with [DONE] it exits 0",
        arguments: [("ndjson", "{\"a\":1}\n"), ("sse", "data: {\"a\": 1}\n\n")])
    func requireDone(to: String, output: String) throws {
        let cut = try Streamconv.run(["-f", "sse", "-t", to, "--require-done"], stdin: "data: {\"a\": 1}\n\n")
        #expect(cut.termination == .exited(3), "\(cut)")
        #expect(cut.stdout == Bytes(output))
        #expect(cut.errorLines.count == 1 && cut.errors.hasPrefix("streamconv: <stdin>:"), "\(cut.stderr)")
        #expect(cut.errors.contains("[DONE]"), "\(cut.stderr)")

        let whole = try Streamconv.run(["-f", "sse", "-t", "ndjson", "--require-done"], stdin: "data: {\"a\": 1}\n\ndata: [DONE]\n\n")
        #expect(whole.termination == .exited(0), "\(whole)")
        #expect(whole.stdout == "{\"a\":1}\n")
        #expect(whole.stderr.isEmpty)
    }

    @Test("--on-error skip: bad NDJSON lines are dropped with a warning naming each line, the rest is converted, status 0")
    func onErrorSkip() throws {
        let result = try Streamconv.run(["-f", "ndjson", "--on-error", "skip"], stdin: "[1]\n[2,]\n[3]\n{x}\n[5]\n")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "[1]\n[3]\n[5]\n")
        let lines = result.errorLines
        #expect(lines.count == 3, "two warnings and the count: \(result.stderr)")
        #expect(lines.first?.hasPrefix("streamconv: warning: <stdin>:2: ") == true, "\(result.stderr)")
        #expect(lines.dropFirst().first?.hasPrefix("streamconv: warning: <stdin>:4: ") == true, "\(result.stderr)")
        #expect(lines.last?.hasPrefix("streamconv: warning: ") == true && lines.last?.contains("2") == true, "\(result.stderr)")
    }

    @Test("--non-json string writes SSE data that is not JSON as a JSON string; --non-json skip drops it with a warning")
    func nonJSON() throws {
        let input = "data: hello \"world\"\n\ndata: {\"a\": 1}\n\n"
        let asString = try Streamconv.run(["-f", "sse", "--non-json", "string"], stdin: input)
        #expect(asString.termination == .exited(0), "\(asString)")
        #expect(asString.stdout == "\"hello \\\"world\\\"\"\n{\"a\":1}\n")
        #expect(asString.stderr.isEmpty)

        let skipped = try Streamconv.run(["-f", "sse", "--non-json", "skip"], stdin: input)
        #expect(skipped.termination == .exited(0), "\(skipped)")
        #expect(skipped.stdout == "{\"a\":1}\n")
        #expect(skipped.errors.hasPrefix("streamconv: warning: <stdin>:1: "), "\(skipped.stderr)")
    }

    @Test(
        "an option that does not apply to the formats at hand is a usage error (2) that says why",
        arguments: [["-f", "ndjson", "-t", "ndjson", "--event", "x"], ["-f", "ndjson", "-t", "ndjson", "--ids"]])
    func optionThatDoesNotApply(arguments: [String]) throws {
        let result = try Streamconv.run(arguments)
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errors.hasPrefix("streamconv: ") && result.errors.contains("SSE"), "\(result.stderr)")
    }
}
