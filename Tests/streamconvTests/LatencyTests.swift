// Spec: CLI — "output written after each read, so records appear immediately"; SSE — "a
// CR-terminated line is processed at once"; stream-json — "a text is emitted as soon as its last
// byte arrives". With the input pipe held open, each converted record must come out before
// any more input arrives.
import Foundation
import Testing

/// Records written one at a time into a held-open pipe, each with the output it must produce
/// before the next is written.
struct LatencyCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var steps: [(input: String, output: String)]
    var note: String

    var testDescription: String { arguments.joined(separator: " ") + (note.isEmpty ? "" : " (\(note))") }

    static let all: [LatencyCase] = [
        LatencyCase(
            arguments: ["-f", "sse", "-t", "ndjson"],
            steps: [
                ("data: {\"n\": 1}\n\n", "{\"n\":1}\n"),
                ("event: tick\nid: 2\ndata: [2,\ndata:  3]\n\n", "[2,3]\n"),
            ], note: "LF"),
        LatencyCase(
            arguments: ["-f", "sse", "-t", "ndjson"],
            steps: [
                ("data: {\"n\": 1}\r\r", "{\"n\":1}\n"),
                ("data: {\"n\": 2}\r\n\r\n", "{\"n\":2}\n"),
            ], note: "CR and CRLF line ends"),
        LatencyCase(
            arguments: ["-f", "ndjson", "-t", "sse"],
            steps: [
                ("{\"n\": 1}\n", "data: {\"n\":1}\n\n"),
                ("[true, null]\r\n", "data: [true,null]\n\n"),
            ], note: ""),
        LatencyCase(
            arguments: ["-f", "stream-json", "-t", "ndjson"],
            steps: [
                ("{\n  \"n\": 1\n}", "{\"n\":1}\n"),
                ("\n[\"a\",\n \"b\"]", "[\"a\",\"b\"]\n"),
            ], note: "pretty-printed, no newline after the text"),
        LatencyCase(
            arguments: ["-f", "sse", "-t", "text", "--pick", "/d"],
            steps: [
                ("data: {\"d\": \"Hel\"}\n\n", "Hel"),
                ("data: {\"x\": 0}\n\ndata: {\"d\": \"lo \\u00e9\"}\n\n", "lo é"),
            ], note: "text, picked, no separator"),
        LatencyCase(
            arguments: ["-f", "ndjson", "-t", "sse", "--end", "ollama", "--done"],
            steps: [
                ("{\"done\": false}\n", "data: {\"done\":false}\n\n"),
                ("{\"done\": true}\n", "data: {\"done\":true}\n\ndata: [DONE]\n\n"),
            ], note: "[DONE] right after the end record, input still open"),
        LatencyCase(
            arguments: ["-f", "sse", "-t", "sse"],
            steps: [
                ("id: 7\ndata: hello\n\n", "id: 7\ndata: hello\n\n"),
                ("retry: 10\n\ndata: x\n\n", "retry: 10\ndata: x\n\n"), // a control block's fields ride on the next event
            ], note: ""),
    ]
}

@Suite("Latency: records come out while the input is still open")
struct LatencyTests {
    @Test(
        "each record written into a held-open input appears on standard output before the input is closed",
        arguments: LatencyCase.all)
    func recordAppearsBeforeEndOfInput(_ latency: LatencyCase) throws {
        let child = try Streamconv.start(latency.arguments)
        defer { child.kill() }
        for (index, step) in latency.steps.enumerated() {
            try child.write(step.input)
            let expected = Array(step.output.utf8)
            let got = child.readStdout(count: expected.count, timeout: .seconds(5))
            #expect(Bytes(got) == Bytes(expected), "record \(index + 1), within 5 s, input still open; stderr: \(Bytes(child.stderrBytes))")
        }
        child.closeStdin()
        let (rest, complete) = child.readToEnd(timeout: .seconds(5))
        #expect(complete, "output not closed 5 s after the input was")
        #expect(Bytes(rest).isEmpty, "nothing more after end of input")
        #expect(child.wait(timeout: .seconds(5)) == .exited(0))
        #expect(Bytes(child.stderrBytes).isEmpty, "standard error")
    }
}
