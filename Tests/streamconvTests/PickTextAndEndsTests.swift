// Spec: Docs/CLI.md, "Picking a value and raw text" and "Stream ends" (issue 16, parts 1 and 2):
// --pick POINTER (RFC 6901), -t text with --separator, --end-event, --end-when, --end presets
// with --require-done, through the built binary: outputs, exit statuses, usage errors, --stats.
import Foundation
import Testing

@Suite("Command line: --pick, -t text, stream ends")
struct PickTextAndEndsTests {
    static func fixture(_ name: String, _ file: String) -> String {
        PackagePaths.fixtures.appendingPathComponent(name).appendingPathComponent(file).path
    }

    @Test("The README's typewriter: OpenAI chunks to their text, no jq, status 0, nothing on standard error")
    func openAITypewriter() throws {
        let result = try Streamconv.run(["-t", "text", "--pick", "/choices/0/delta/content", Self.fixture("openai-chat", "input.sse")])
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.text.hasPrefix("京都是日本的古都🏯"), "\(result.stdout)")
        #expect(result.stdout.text.hasSuffix("避开人潮 😉"), "\(result.stdout)")
        #expect(result.stdout.text.contains("\n\n**小贴士：**"), "the \\n escapes are written as line feeds")
    }

    @Test("The README's Anthropic typewriter: --only-event content_block_delta --pick /delta/text")
    func anthropicTypewriter() throws {
        let result = try Streamconv.run([
            "--only-event", "content_block_delta", "--pick", "/delta/text", "-t", "raw",
            "--end", "anthropic", "--require-done", Self.fixture("anthropic-messages", "input.sse"),
        ])
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout.text.hasPrefix("こんにちは！🌸 春の東京なら、"), "\(result.stdout)")
        #expect(result.stdout.text.hasSuffix("楽しんでくださいね 😊"), "\(result.stdout)")
    }

    @Test("--stats counts the records without the --pick value; they are not bad records (no warning, status 0)")
    func statsCount() throws {
        let result = try Streamconv.run(
            ["-f", "ndjson", "--pick", "/a/1", "--stats"], stdin: "{\"a\":[0,\"x\"]}\n{\"b\":1}\n{\"a\":[0]}\n{\"a\":[1,{}]}\n")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "\"x\"\n{}\n")
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errors.contains("4 records in, 2 out, 0 skipped, 2 without the --pick value,"), "\(result.stderr)")
    }

    @Test(
        "--pick with every JSON output",
        arguments: [
            ("ndjson", "\"é\"\n[1]\n"), ("json-seq", "\u{1E}\"é\"\n\u{1E}[1]\n"),
            ("json-array", "[\n\"é\",\n[1]\n]\n"), ("stream-json", "\"é\"\n[1]\n"), ("text", "é[1]"),
        ])
    func everyOutput(to: String, expected: String) throws {
        let result = try Streamconv.run(
            ["-f", "sse", "-t", to, "--pick", "/m~1n/~0"],
            stdin: "data: {\"m/n\":{\"~\":\"é\"}}\n\ndata: {\"m/n\":{}}\n\ndata: {\"m/n\":{\"~\":[1]}}\n\n")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == Bytes(expected))
    }

    @Test(
        "--separator's escapes",
        arguments: [
            ("\\n", "a\nb\n"), ("\\t", "a\tb\t"), ("\\0", "a\u{0}b\u{0}"), ("\\\\", "a\\b\\"),
            ("", "ab"), ("\\r\\n", "a\r\nb\r\n"), (", ", "a, b, "),
        ])
    func separator(value: String, expected: String) throws {
        let result = try Streamconv.run(["-f", "ndjson", "-t", "text", "--separator", value], stdin: "\"a\"\n\"b\"\n")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == Bytes(expected))
    }

    @Test(
        "Usage errors (status 2, before reading) name the option and what is allowed",
        arguments: [
            (["--pick", "a/b"], "--pick"), (["--pick", "/a~2"], "~"), (["-t", "sse", "--pick", "/a"], "--pick"),
            (["-t", "ndjson", "--separator", "x"], "--separator"), (["-t", "text", "--separator", "\\x"], "\\x"),
            (["-t", "text", "--separator", "a\\"], "--separator"), (["-f", "text"], "text"),
            (["--end-when", "/done"], "POINTER=JSON"), (["--end-when", "/done=yes"], "JSON text"),
            (["--end-when", "done=true"], "--end-when"),
            (["--end", "mistral"], "openai, anthropic, responses, ollama, gemini"),
            (["-f", "ndjson", "--end", "anthropic"], "--end anthropic"),
            (["-f", "ndjson", "--end-event", "x"], "--end-event"), (["-f", "ndjson", "--require-done"], "--require-done"),
            (["--no-done", "--require-done"], "--require-done"), (["--end-event", ""], "--end-event"),
        ] as [([String], String)])
    func usageErrors(arguments: [String], word: String) throws {
        let result = try Streamconv.run(arguments)
        #expect(result.termination == .exited(2), "\(arguments): \(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errors.hasPrefix("streamconv: ") && result.errors.contains(word), "\(arguments): \(result.stderr)")
        #expect(!result.errors.contains("ConversionOptions"), "library terms leaked: \(result.stderr)")
    }

    @Test(
        "--require-done with each kind of end: ended exits 0, cut exits 3 after every record before the cut",
        arguments: [
            (
                ["-f", "sse", "--end-event", "done"], "data: [1]\n\nevent: done\ndata: [2]\n\ndata: [3]\n\n", "[1]\n[2]\n", "data: [1]\n\n",
                "event done"
            ),
            (["-f", "sse"], "data: [1]\n\ndata: [DONE]\n\ndata: [3]\n\n", "[1]\n", "data: [1]\n\n", "[DONE]"),
            (
                ["-f", "ndjson", "--end-when", "/done=true"], "{\"done\":false}\n{\"done\":true}\n{\"x\":1}\n",
                "{\"done\":false}\n{\"done\":true}\n",
                "{\"done\":false}\n", "/done=true"
            ),
            (
                ["-f", "sse", "--end-when", "/type=\"stop\""], "data: {\"type\":\"go\"}\n\ndata: {\"type\" : \"stop\"}\n\n",
                "{\"type\":\"go\"}\n{\"type\":\"stop\"}\n",
                "data: {\"type\":\"go\"}\n\n", "/type=\"stop\""
            ),
            (
                ["-f", "sse", "--end", "responses"], "event: response.created\ndata: {}\n\nevent: response.incomplete\ndata: {\"a\":1}\n\n",
                "{}\n{\"a\":1}\n",
                "event: response.created\ndata: {}\n\n", "event response.completed"
            ),
            (
                ["-f", "ndjson", "--end", "ollama"], "{\"done\":false}\n{\"done\":true}\n", "{\"done\":false}\n{\"done\":true}\n",
                "{\"done\":false}\n", "/done=true"
            ),
        ] as [([String], String, String, String, String)])
    func requireDone(arguments: [String], ended: String, endedOutput: String, cut: String, named: String) throws {
        let whole = try Streamconv.run(arguments + ["--require-done"], stdin: ended)
        #expect(whole.termination == .exited(0), "\(arguments): \(whole)")
        #expect(whole.stdout == Bytes(endedOutput))
        #expect(whole.stderr.isEmpty)
        let truncated = try Streamconv.run(arguments + ["--require-done"], stdin: cut)
        #expect(truncated.termination == .exited(3), "\(arguments): \(truncated)")
        #expect(endedOutput.hasPrefix(truncated.stdout.text) && !truncated.stdout.isEmpty, "\(truncated)")
        #expect(truncated.errors.contains(named) && truncated.errors.contains("cut off"), "\(truncated.stderr)")
        let lenient = try Streamconv.run(arguments, stdin: cut)
        #expect(lenient.termination == .exited(0), "without --require-done a cut stream is not an error: \(lenient)")
    }

    @Test("--end gemini --require-done: the closing is the end (status 0); a JSON array cut inside a record is still 3")
    func gemini() throws {
        let path = Self.fixture("gemini-stream", "input.json-array")
        let whole = try Streamconv.run([
            "--end", "gemini", "--require-done", "-t", "text", "--pick", "/candidates/0/content/parts/0/text", path,
        ])
        #expect(whole.termination == .exited(0), "\(whole)")
        #expect(whole.stdout.text.hasPrefix("## 東京の週末 🌸"), "\(whole.stdout)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = try Streamconv.run(
            ["-f", "json-array", "--end", "gemini", "--require-done"], stdin: Array(bytes.prefix(bytes.count / 2)))
        #expect(cut.termination == .exited(3), "\(cut)")
    }

    @Test("Ollama NDJSON to SSE with --end ollama --done: data: [DONE] comes right after the done record (the real fixture)")
    func ollamaDone() throws {
        let result = try Streamconv.run([
            "-f", "ndjson", "-t", "sse", "--end", "ollama", "--done", "--require-done", Self.fixture("ollama-chat", "input.ndjson"),
        ])
        #expect(result.termination == .exited(0), "\(result)")
        let expected = try String(contentsOfFile: Self.fixture("ollama-chat", "expected.sse"), encoding: .utf8)
        #expect(result.stdout.text == expected + "data: [DONE]\n\n")
    }

    @Test(
        "bash completion: -t offers text (it can be written), -f does not (it cannot be read); --end offers the providers",
        .enabled(if: Shell.exists("bash")))
    func completions() throws {
        let (status, output, errors) = try Shell.bashCompletions([
            ("streamconv -t \"\"", 2), ("streamconv -f t", 2), ("streamconv --end \"\"", 2),
        ])
        #expect(status == 0, "\(errors)")
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "sse ndjson stream-json json-seq json-array aws-eventstream text", "\(output)")
        #expect(lines.dropFirst().first == "", "-f t: \(output)")
        #expect(lines.dropFirst(2).first == "openai anthropic responses ollama gemini", "\(output)")
    }

    @Test("--end is repeatable and the ends add up: either provider's end ends the stream")
    func presetsAddUp() throws {
        for input in ["event: message_stop\ndata: {}\n\n", "data: [DONE]\n\n", "event: response.completed\ndata: {}\n\n"] {
            let result = try Streamconv.run(
                ["-f", "sse", "--end", "anthropic", "--end", "responses", "--end", "openai", "--require-done"], stdin: input)
            #expect(result.termination == .exited(0), "\(input): \(result)")
        }
        let none = try Streamconv.run(["-f", "sse", "--end", "anthropic", "--end", "responses", "--require-done"], stdin: "data: {}\n\n")
        #expect(none.termination == .exited(3))
        #expect(
            none.errors.contains(
                "[DONE], event message_stop, event response.completed, event response.failed or event response.incomplete"),
            "\(none.stderr)")
    }
}
