// Spec: CLI — `--max-record-bytes N(k/M/G, 1024-based)` (default 16M: "--help"), `--max-depth N`
// (JSON nesting limit, default 1000 containers: 1000 ok, 1001 an error, iterative so 100000 `[`
// is an error, never a crash). NDJSON's record size is a line's bytes without its LF.
import Foundation
import Testing

/// A JSON array of one string, `size` bytes long in all.
func jsonLine(bytes size: Int) -> String {
    "[\"" + String(repeating: "x", count: size - 4) + "\"]"
}

@Suite("Limits: --max-record-bytes and --max-depth")
struct LimitsTests {
    @Test(
        "--max-record-bytes with a k/M suffix (or none: 16M by default) lets a record of exactly the limit through and stops at one byte more",
        arguments: [
            (["--max-record-bytes", "64k"], 64 << 10), (["--max-record-bytes=2M"], 2 << 20),
            ([], 16 << 20),
        ])
    func recordLimitWithSuffix(options: [String], limit: Int) throws {
        let fits = jsonLine(bytes: limit) + "\n"
        let tooBig = jsonLine(bytes: limit + 1) + "\n"
        let result = try Streamconv.run(["-f", "ndjson"] + options, stdin: fits + tooBig, timeout: .seconds(60))
        #expect(result.termination == .exited(1), "\(result.termination.map(\.description) ?? "timed out"): \(result.stderr)")
        #expect(result.stdout.bytes.count == fits.utf8.count && result.stdout == Bytes(fits), "the record at the limit is written")
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errors.hasPrefix("streamconv: <stdin>:2: "), "\(result.stderr)")
        #expect(result.errors.contains("--max-record-bytes"), "\(result.stderr)")
    }

    @Test(
        "a record larger than one read (1 MiB SSE event data, 1 MiB NDJSON line) converts whole",
        arguments: ["sse", "ndjson"])
    func recordLargerThanOneRead(format: String) throws {
        let value = jsonLine(bytes: 1 << 20)
        let input = format == "sse" ? "data: " + value + "\n\n" : value + "\n"
        let result = try Streamconv.run(["-f", format, "-t", "ndjson"], stdin: input)
        #expect(result.termination == .exited(0), "\(result.stderr)")
        #expect(result.stdout.bytes.count == value.utf8.count + 1)
        #expect(result.stdout == Bytes(value + "\n"))
    }

    @Test(
        "--max-depth N allows N nested containers and rejects N+1 (exit 1, records before it written)",
        arguments: [(["--max-depth", "2"], 2), (["--max-depth=5"], 5), ([], 1000)])
    func depthLimit(options: [String], depth: Int) throws {
        let fits = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let tooDeep = String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)
        let result = try Streamconv.run(["-f", "ndjson"] + options, stdin: fits + "\n" + tooDeep + "\n")
        #expect(result.termination == .exited(1), "\(result.stderr)")
        #expect(result.stdout == Bytes(fits + "\n"))
        #expect(result.errors.hasPrefix("streamconv: <stdin>:2: "), "\(result.stderr)")
    }

    @Test("100000 nested '[' is an invalid-input error, never a crash", arguments: FixtureConversion.formats)
    func deepNestingDoesNotCrash(format: String) throws {
        let deep = String(repeating: "[", count: 100_000)
        let input = format == "sse" ? "data: " + deep + "\n\n" : deep + "\n"
        let result = try Streamconv.run(["-f", format, "-t", "ndjson"], stdin: input)
        #expect(result.termination == .exited(1), "\(result.termination.map(\.description) ?? "timed out"): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.errors.hasPrefix("streamconv: <stdin>:1: "), "\(result.stderr)")
    }
}
