// Docs/CLI.md, "Input that is not what it was said to be" (issue 12 point 1): an input read as
// SSE that ends (or, endless, reaches 64 KiB) with lines the spec ignores and not one SSE
// field is not a silent success: status 1 and a message saying what the input looks like and
// what to do. The first error of a JSON decoder says the same when the input is something else.
// A real SSE stream with a few unknown lines stays quiet.
import Foundation
import Testing

/// The wrong inputs of issue 12, with what the message must say.
enum WrongInput: String, CaseIterable, CustomTestStringConvertible {
    case ndjson, jsonErrorBody, gzip, utf16LE, utf16BE, latin1, html, binary
    var testDescription: String { rawValue }

    var bytes: [UInt8] {
        switch self {
        case .ndjson:
            return Array("{\"model\":\"m\",\"message\":{\"content\":\"Hi\"},\"done\":false}\n{\"model\":\"m\",\"done\":true}\n".utf8)
        case .jsonErrorBody:
            return Array(
                "{\"error\": {\"message\": \"Incorrect API key provided: sk-xxxx.\", \"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}"
                    .utf8)
        case .gzip:
            // `printf 'data: {"a":1}\n\n' | gzip -n` (RFC 1952: 1F 8B, deflate, no name, no time).
            return [
                0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4B, 0x49, 0x2C, 0x49, 0xB4, 0x52, 0xA8, 0x56,
                0x4A, 0x54, 0xB2, 0x32, 0xAC, 0xE5, 0xE2, 0x02, 0x00, 0x3E, 0x75, 0x74, 0x09, 0x0F, 0x00, 0x00, 0x00,
            ]
        case .utf16LE, .utf16BE:
            var out: [UInt8] = []
            for unit in "data: {\"a\":1}\n\ndata: {\"a\":2}\n\n".utf16 {
                let (hi, lo) = (UInt8(unit >> 8), UInt8(unit & 0xFF))
                out += self == .utf16LE ? [lo, hi] : [hi, lo]
            }
            return out
        case .latin1: return Array("{\"n\":\"caf".utf8) + [0xE9] + Array(" au lait\"}\n".utf8)
        case .html: return Array("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>\n".utf8)
        case .binary:
            var state: UInt64 = 0xB1A5
            var bytes = (0..<3000).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 33)
            }
            bytes[0] = 0x89 // not a JSON start: auto-detection reads it as SSE
            return bytes
        }
    }

    /// The error of a JSON decoder reading the Latin-1 input: the lead byte, its offset, and iconv.
    static let latin1JSONError =
        "streamconv: <stdin>:1: invalid JSON: invalid UTF-8 in a string (byte 0xE9 followed by 0x20; "
        + "Latin-1 or Windows-1252 text? convert it with iconv -f ISO-8859-1 -t UTF-8) (byte offset 9)"

    /// What the message says, read as SSE (-f sse).
    var phrase: String {
        switch self {
        case .ndjson: "input looks like NDJSON: use -f ndjson, or leave -f out to detect it"
        case .jsonErrorBody:
            "input looks like a JSON document, not SSE (an API error?): it starts: '{\"error\": {\"message\": \"Incorrect API key"
        case .gzip: "input is gzip-compressed: decompress it first (curl --compressed, or gunzip"
        case .utf16LE: "input looks like UTF-16 (little-endian) text, not UTF-8: convert it first (iconv -f UTF-16LE -t UTF-8"
        case .utf16BE: "input looks like UTF-16 (big-endian) text, not UTF-8: convert it first (iconv -f UTF-16BE -t UTF-8"
        case .latin1:
            "input looks like Latin-1 (ISO-8859-1 or Windows-1252) text, not UTF-8: convert it first (iconv -f ISO-8859-1 -t UTF-8)"
        case .html: "input looks like an HTML page (an error page from a server or proxy?), not SSE: it starts: '<!DOCTYPE html>\\n<html>"
        case .binary: "input looks like binary data, not SSE text: it starts with bytes 89 "
        }
    }
}

@Suite("Input that is not what it was said to be: never a silent success")
struct WrongInputTests {
    /// Runs streamconv on `input` from standard input, or from a file.
    static func run(_ arguments: [String], _ input: [UInt8], fromFile: Bool) throws -> RunResult {
        guard fromFile else { return try Streamconv.run(arguments, stdin: input) }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("body").path
        try Data(input).write(to: URL(fileURLWithPath: path))
        return try Streamconv.run(arguments + [path])
    }

    @Test(
        "Read as SSE (-f sse): status 1, nothing on stdout, one line saying what the input looks like and what to do",
        arguments: WrongInput.allCases, [false, true])
    func readAsSSE(_ input: WrongInput, fromFile: Bool) throws {
        let result = try Self.run(["-f", "sse", "-t", "ndjson"], input.bytes, fromFile: fromFile)
        #expect(result.termination == .exited(1), "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.errorLines.count == 1, "\(result)")
        #expect(result.errors.contains(input.phrase), "\(result)")
        #expect(result.errors.hasPrefix("streamconv: " + (fromFile ? "/" : "<stdin>: ")), "\(result)")
    }

    @Test(
        "Auto-detection refuses what is not text the same way; what is JSON it converts",
        arguments: WrongInput.allCases, [false, true])
    func autoDetected(_ input: WrongInput, fromFile: Bool) throws {
        let result = try Self.run(["-t", "ndjson"], input.bytes, fromFile: fromFile)
        switch input {
        case .ndjson:
            #expect(result.termination == .exited(0) && result.stderr.isEmpty, "\(result)")
            #expect(result.stdout == "{\"model\":\"m\",\"message\":{\"content\":\"Hi\"},\"done\":false}\n{\"model\":\"m\",\"done\":true}\n")
        case .jsonErrorBody:
            #expect(result.termination == .exited(0) && result.stderr.isEmpty, "\(result)")
            #expect(result.stdout.text.hasPrefix("{\"error\":{\"message\":\"Incorrect API key"), "\(result)")
        case .latin1:
            // A JSON start: read as JSON, whose error names the byte, its offset, and iconv.
            #expect(result.termination == .exited(1), "\(result)")
            let afterName = String(WrongInput.latin1JSONError.dropFirst("streamconv: <stdin>".count))
            #expect(result.errorLines.count == 1, "\(result)")
            #expect(
                result.errors.hasPrefix(fromFile ? "streamconv: /" : "streamconv: <stdin>:1:") && result.errors.hasSuffix(afterName + "\n"),
                "\(result)")
        default:
            #expect(result.termination == .exited(1), "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(result.errorLines.count == 1, "\(result)")
            #expect(result.errors.contains(input.phrase), "\(result)")
        }
    }

    @Test("A JSON decoder's first error says when the input looks like SSE")
    func sseReadAsJSON() throws {
        for format in ["ndjson", "stream-json", "json-seq", "json-array"] {
            let result = try Streamconv.run(["-f", format], stdin: "event: delta\ndata: {\"a\":1}\n\n")
            #expect(result.termination == .exited(1), "\(format): \(result)")
            #expect(result.errorLines.count == 2, "\(format): \(result)")
            #expect(
                result.errorLines.last == "streamconv: <stdin>: input looks like SSE: use -f sse, or leave -f out to detect it",
                "\(format): \(result)")
        }
    }

    @Test("An error after records were written gets no guess about the input")
    func laterErrorNoHint() throws {
        let result = try Streamconv.run(["-f", "ndjson"], stdin: "{\"a\":1}\ndata: x\n")
        #expect(result.termination == .exited(1), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n")
        #expect(result.errorLines.count == 1, "\(result)")
    }

    @Test("A real SSE stream with unknown lines among its events stays quiet: status 0, nothing on stderr")
    func realSSEWithUnknownLines() throws {
        let input = ": ping\nfoo: bar\nevent: delta\nx-trace: 1\ndata: {\"a\":1}\n\nunknown\ndata: {\"a\":2}\n\n"
        for arguments in [["-f", "sse"], []] {
            let result = try Streamconv.run(arguments, stdin: input)
            #expect(result.termination == .exited(0), "\(result)")
            #expect(result.stdout == "{\"a\":1}\n{\"a\":2}\n")
            #expect(result.stderr.isEmpty, "\(result)")
        }
    }

    @Test("Empty input and comments-only keep-alives are not reported")
    func emptyAndComments() throws {
        for input in ["", "\n\n", ": ping\n\n: ping\n\n"] {
            let result = try Streamconv.run(["-f", "sse"], stdin: input)
            #expect(
                result.termination == .exited(0) && result.stderr.isEmpty && result.stdout.isEmpty, "\(input.debugDescription): \(result)")
        }
    }

    @Test("An endless NDJSON stream read as SSE is reported once 64 KiB are in, without waiting for its end")
    func endlessStream() throws {
        let child = try Streamconv.start(["-f", "sse"])
        defer { child.kill() }
        let line = Array("{\"model\":\"m\",\"message\":{\"content\":\"a token\"},\"done\":false}\n".utf8)
        var sent = 0
        while sent < 70 * 1024 {
            try child.write(line)
            sent += line.count
        }
        let termination = child.wait(timeout: .seconds(10))
        #expect(termination == .exited(1))
        let stderr = String(decoding: child.readStderrToEnd(timeout: .seconds(2)), as: UTF8.self)
        #expect(stderr.contains("input looks like NDJSON: use -f ndjson"), "\(stderr)")
    }

    @Test("--only-event that matched nothing warns at the end with the event types it saw")
    func onlyEventMatchedNothing() throws {
        let input = "event: delta\ndata: {\"a\":1}\n\ndata: {\"b\":2}\n\n"
        let result = try Streamconv.run(["-f", "sse", "--only-event", "done,stop"], stdin: input)
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(
            result.errorLines == ["streamconv: warning: --only-event matched no event; the input had events of type delta, message"],
            "\(result)")
        let matched = try Streamconv.run(["-f", "sse", "--only-event", "delta"], stdin: input)
        #expect(matched.stdout == "{\"a\":1}\n" && matched.stderr.isEmpty, "\(matched)")
        let quiet = try Streamconv.run(["-f", "sse", "--only-event", "done", "-q"], stdin: input)
        #expect(quiet.stderr.isEmpty, "\(quiet)")
    }
}
