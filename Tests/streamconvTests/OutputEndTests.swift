// Docs/CLI.md, "json-array output" and "Stream end" (issue 12 points 8 and 9): a json-array
// output is a complete document whenever the run succeeds ([] for no records) and visibly
// unterminated after an error; the warning for an SSE block cut off at the end says how to
// keep it; an invalid UTF-8 byte is named at its own offset.
import Testing

@Suite("json-array output, the --eof warning, UTF-8 offsets through the binary")
struct OutputEndTests {
    @Test("json-array output: [] for no records, a whole document on success")
    func completeDocument() throws {
        let empty = try Streamconv.run(["-f", "ndjson", "-t", "json-array"], stdin: "")
        #expect(empty.termination == .exited(0) && empty.stdout == "[]\n", "\(empty)")
        let blank = try Streamconv.run(["-f", "sse", "-t", "json-array"], stdin: ": ping\n\n")
        #expect(blank.termination == .exited(0) && blank.stdout == "[]\n", "\(blank)")
        let two = try Streamconv.run(["-t", "json-array"], stdin: "{\"a\":1}\n{\"a\":2}\n")
        #expect(two.termination == .exited(0) && two.stdout == "[\n{\"a\":1},\n{\"a\":2}\n]\n", "\(two)")
    }

    @Test(
        "json-array output after an error: the records before it, and no closing bracket",
        arguments: [
            ("{\"a\":1}\n{\"a\":", 3), ("{\"a\":1}\n{x}\n", 1), ("data: {\"a\":1}\n\ndata: x\n\n", 1),
        ])
    func unterminatedAfterError(input: String, status: Int32) throws {
        let result = try Streamconv.run(["-t", "json-array"], stdin: input)
        #expect(result.termination == .exited(status), "\(result)")
        #expect(result.stdout == "[\n{\"a\":1}", "no ']' after an error: \(result)")
    }

    @Test("The warning for a final SSE block without its blank line says how to keep it")
    func eofWarning() throws {
        let result = try Streamconv.run(["-f", "sse"], stdin: "data: {\"a\":1}\n\ndata: {\"b\":2}\n")
        #expect(result.termination == .exited(0))
        #expect(result.stdout == "{\"a\":1}\n")
        #expect(
            result.errorLines == [
                "streamconv: warning: <stdin>:3: input ended inside an event block (no blank line after it): block discarded; to keep it, use --eof dispatch"
            ])
    }

    @Test(
        "printf '{\"n\":\"caf\\xe9 au lait\"}\\n' | streamconv -f ndjson blames 0xE9 at offset 9 and suggests iconv",
        arguments: ["ndjson", "stream-json"])
    func latin1Offset(format: String) throws {
        let result = try Streamconv.run(["-f", format], stdin: WrongInput.latin1.bytes)
        #expect(result.termination == .exited(1))
        #expect(result.errorLines == [WrongInput.latin1JSONError], "\(result)")
    }
}
