// Spec: issue 14 point 5 / Docs/CLI.md "Errors from the library": the library names options as
// ConversionOptions properties; the CLI prints its own flag names in their place, so its messages
// stay as helpful as before (the option to use) and never show library names.
import Testing

@Suite("Command line: library errors in the CLI's words")
struct LibraryErrorWordingTests {
    @Test(
        "each library error and warning that names an option reaches the user with the flag instead",
        arguments: [
            (["-f", "ndjson", "--max-record-bytes", "8"], "[1]\n[1,2,3,4,5]\n", "(raise it with --max-record-bytes)"),
            (["-f", "stream-json", "--max-depth", "2"], "[[[1]]]", "(raise it with --max-depth)"),
            (["-f", "sse"], "data: hi\n\n", "(--non-json string or --envelope carry any data)"),
            (["-f", "sse", "--on-error", "skip"], "data: hi\n\n", "(--non-json string or --envelope carry any data)"),
            (
                ["-t", "ndjson", "--eof", "dispatch"], "{\"a\": 1}\n",
                "--eof applies only to sse and json-seq input, and this input is stream-json"
            ),
            (
                ["-t", "ndjson", "--array-path", "/a"], "data: x\n\n",
                "--array-path applies only to json-array input, and this input is sse"
            ),
            (["-t", "sse", "--ids"], "data: x\n\n", "--ids applies only when the input is a JSON format"),
        ])
    func wording(arguments: [String], input: String, expected: String) throws {
        let result = try Streamconv.run(arguments, stdin: input)
        #expect(result.errors.contains(expected), "\(arguments): \(result.stderr)")
        #expect(!result.errors.contains("ConversionOptions"), "library names leaked: \(result.stderr)")
    }
}
