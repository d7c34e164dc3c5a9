// Spec: CLI — error messages (`streamconv: <file>:<line>: <what> (byte offset N)`, warnings
// `streamconv: warning: <file>:<line>: ...`), exit statuses (0 ok, 1 invalid input, 2 usage,
// 3 truncated input, 4 I/O error), --help / --version, format names, several FILEs.
import Foundation
import Testing

@Suite("Command line: errors, exit statuses, help")
struct CommandLineContractTests {
    // MARK: Exit 1: invalid input (every complete record before it is written first)

    @Test("invalid JSON on line 3 of NDJSON exits 1, writes lines 1-2, and says '<stdin>:3: invalid JSON' with the byte offset")
    func invalidJSONInNDJSON() throws {
        // Line 3 starts at byte 16; its first wrong byte, 'b', is at byte 17.
        let result = try Streamconv.run(["-f", "ndjson"], stdin: "{\"a\": 1}\n[2, 3]\n{bad\n{\"d\": 4}\n")
        #expect(result.termination == .exited(1), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n[2,3]\n")
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errors.hasPrefix("streamconv: <stdin>:3: invalid JSON: "), "\(result.stderr)")
        #expect(result.errors.hasSuffix(" (byte offset 17)\n"), "\(result.stderr)")
    }

    @Test("a JSON text cut off at the end of an NDJSON line that is not the last exits 1 (not 3) after the earlier lines")
    func incompleteLineInTheMiddle() throws {
        let result = try Streamconv.run(["-f", "ndjson"], stdin: "{\"a\": 1}\n{\"b\": [1, 2\n{\"c\": 3}\n")
        #expect(result.termination == .exited(1), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n")
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errors.hasPrefix("streamconv: <stdin>:2: "), "\(result.stderr)")
    }

    @Test("a JSON text cut off at the end of an NDJSON line that is not the last is reported as '<stdin>:2: invalid JSON: ...'")
    func incompleteLineMessage() throws {
        let result = try Streamconv.run(["-f", "ndjson"], stdin: "{\"a\": 1}\n{\"b\": [1, 2\n{\"c\": 3}\n")
        #expect(result.termination == .exited(1), "\(result)")
        #expect(result.errors.hasPrefix("streamconv: <stdin>:2: invalid JSON: "), "\(result.stderr)")
    }

    @Test("invalid JSON in a FILE names the file, not <stdin>")
    func invalidJSONInFileNamesTheFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("bad.ndjson", "{\"a\": 1}\n\n[1,]\n")
        let result = try Streamconv.run(["-f", "ndjson", path])
        #expect(result.termination == .exited(1), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n")
        #expect(result.errors.hasPrefix("streamconv: \(path):3: invalid JSON: "), "\(result.stderr)")
    }

    @Test("SSE data that is not JSON (data mode, to NDJSON) exits 1 after the earlier records and names the event's first line")
    func nonJSONEventData() throws {
        let input = """
            : a comment
            data: {"ok": true}

            event: update
            id: 2
            data: not json

            data: {"never": "written"}


            """
        let result = try Streamconv.run(["-f", "sse", "-t", "ndjson"], stdin: input)
        #expect(result.termination == .exited(1), "\(result)")
        #expect(result.stdout == "{\"ok\":true}\n")
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errors.hasPrefix("streamconv: <stdin>:4: "), "the event's block starts on line 4: \(result.stderr)")
        #expect(result.errors.contains("JSON"), "\(result.stderr)")
    }

    @Test(
        "a record over --max-record-bytes exits 1 after the earlier records, naming the limit and the option",
        arguments: [
            // (format, a small record, then a record of 1001+ bytes by that format's measure
            // starting on line `line`)
            ("ndjson", "{\"a\": 1}\n", "[\"" + String(repeating: "x", count: 1000) + "\"]\n", 2),
            ("stream-json", "{\"a\": 1}\n", "[\"" + String(repeating: "x", count: 1000) + "\"]\n", 2),
            ("sse", "data: {\"a\": 1}\n\n", "data: [\"" + String(repeating: "x", count: 1000) + "\"]\n\n", 3),
        ])
    func recordOverTheLimit(format: String, small: String, big: String, line: Int) throws {
        let result = try Streamconv.run(["-f", format, "--max-record-bytes", "1000"], stdin: small + big + small)
        #expect(result.termination == .exited(1), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n")
        #expect(result.errors.hasPrefix("streamconv: <stdin>:\(line): "), "\(result.stderr)")
        #expect(result.errors.contains("1000"), "names the limit: \(result.stderr)")
        #expect(result.errors.contains("--max-record-bytes"), "names the option: \(result.stderr)")
    }

    @Test("a record of exactly --max-record-bytes bytes passes (the limit is inclusive)")
    func recordAtTheLimit() throws {
        let record = "[\"" + String(repeating: "x", count: 96) + "\"]" // 100 bytes without its LF
        let result = try Streamconv.run(["-f", "ndjson", "--max-record-bytes=100"], stdin: record + "\n")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == Bytes(record + "\n"))
    }

    @Test("with --no-done, `data: [DONE]` is ordinary data, so (not being JSON) it is invalid input")
    func noDoneMakesDoneOrdinaryData() throws {
        let result = try Streamconv.run(["-f", "sse", "--no-done"], stdin: "data: {\"a\": 1}\n\ndata: [DONE]\n\n")
        #expect(result.termination == .exited(1), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n")
        #expect(result.errors.hasPrefix("streamconv: <stdin>:3: "), "\(result.stderr)")
    }

    @Test("`data: [DONE]` ends the output with exit 0; later events are not written")
    func doneEndsTheOutput() throws {
        let result = try Streamconv.run(
            ["-f", "sse", "-t", "ndjson"],
            stdin: "data: {\"a\": 1}\n\ndata: [DONE]\n\ndata: {\"b\": 2}\n\n")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n")
        #expect(result.stderr.isEmpty)
    }

    // MARK: Exit 3: truncated input

    @Test(
        "JSON cut off at the end of the input exits 3 after the complete records, naming the last line",
        arguments: ["ndjson", "stream-json"])
    func truncatedJSON(format: String) throws {
        let result = try Streamconv.run(["-f", format], stdin: "{\"a\": 1}\n{\"b\": [1, 2")
        #expect(result.termination == .exited(3), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n")
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errors.hasPrefix("streamconv: <stdin>:2: "), "\(result.stderr)")
    }

    // MARK: Exit 0 with a warning: unterminated final SSE block

    @Test(
        "an unterminated final SSE block is discarded with a warning naming its line, and the exit status is 0",
        arguments: [("ndjson", "{\"a\":1}\n"), ("sse", "data: {\"a\": 1}\n\n")])
    func unterminatedFinalBlock(to: String, expected: String) throws {
        let result = try Streamconv.run(["-f", "sse", "-t", to], stdin: "data: {\"a\": 1}\n\ndata: {\"b\": 2}\n")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == Bytes(expected))
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errors.hasPrefix("streamconv: warning: <stdin>:3: "), "\(result.stderr)")
    }

    // MARK: Exit 2: usage errors (nothing written to standard output)

    @Test("an unknown option exits 2 with a message naming it")
    func unknownOption() throws {
        let result = try Streamconv.run(["-f", "sse", "--frobnicate"])
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errors.hasPrefix("streamconv: "), "\(result.stderr)")
        #expect(result.errors.contains("--frobnicate"), "\(result.stderr)")
    }

    @Test("an unknown option's message is one line, then the Try line (not a list of every option)")
    func unknownOptionIsShort() throws {
        let result = try Streamconv.run(["-f", "sse", "--frobnicate"])
        #expect(result.termination == .exited(2), "\(result)")
        #expect(
            result.errorLines == ["streamconv: unknown option '--frobnicate'", "Try 'streamconv --help' for more information."],
            "\(result.stderr)")
    }

    @Test(
        "an unknown format for -f or -t exits 2 and the message (then the Try line) lists the known formats",
        arguments: [["-f", "yaml"], ["-f", "sse", "-t", "yaml"], ["--from=yaml"], ["-f", "sse", "--to", "yaml"]])
    func unknownFormat(arguments: [String]) throws {
        let result = try Streamconv.run(arguments)
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errorLines.count == 2, "\(result.stderr)")
        #expect(result.errors.hasPrefix("streamconv: "), "\(result.stderr)")
        for name in ["yaml", "sse", "ndjson", "stream-json"] {
            #expect(result.errors.contains(name), "\(name) missing from: \(result.stderr)")
        }
    }

    // Docs/Formats.md "Auto-detection (-f auto, the default)": decided by the first significant
    // byte after an optional BOM and whitespace.
    @Test(
        "without -f (or with -f auto) the input format is detected from its first significant byte",
        arguments: [
            ("data: {\"a\": 1}\n\n", "{\"a\":1}\n"), // anything else: sse
            ("\u{FEFF}\r\n: hi\ndata: [1]\n\n", "[1]\n"), // BOM, whitespace, ':' -> sse
            ("{\"a\": 1}\n{\"b\": 2}\n", "{\"a\":1}\n{\"b\":2}\n"), // '{' -> stream-json (reads NDJSON)
            ("  \n\"s\" 12 true\n", "\"s\"\n12\ntrue\n"), // whitespace, '"' -> stream-json
            ("[{\"a\": 1}, [2]]", "{\"a\":1}\n[2]\n"), // '[' -> json-array
            ("\u{1E}{\"a\": 1}\n\u{1E}[2]\n", "{\"a\":1}\n[2]\n"), // RS -> json-seq
        ])
    func autoDetection(input: String, output: String) throws {
        for arguments in [[], ["-f", "auto"]] {
            let result = try Streamconv.run(arguments + ["-t", "ndjson"], stdin: input)
            #expect(result.termination == .exited(0), "\(arguments): \(result)")
            #expect(result.stdout == Bytes(output), "\(arguments)")
            #expect(result.stderr.isEmpty, "\(arguments)")
        }
    }

    @Test("auto-detected FILEs of different families (SSE, then JSON) are a usage error (2) that says to name the format with -f")
    func autoDetectionMixedFamilies() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let sse = try folder.file("1.sse", "data: {}\n\n")
        let json = try folder.file("2.ndjson", "{\"b\": 1}\n")
        let result = try Streamconv.run([sse, json])
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.errors.hasPrefix("streamconv: ") && result.errors.contains("-f"), "\(result.stderr)")
    }

    @Test(
        "a bad --max-record-bytes value exits 2 and the message says what is allowed (k, M, G suffixes)",
        arguments: ["12x", "0", "-5", ""])
    func badRecordLimit(value: String) throws {
        let result = try Streamconv.run(["-f", "ndjson", "--max-record-bytes", value])
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errors.contains("--max-record-bytes"), "\(result.stderr)")
        #expect(result.errors.contains("k") && result.errors.contains("M") && result.errors.contains("G"), "\(result.stderr)")
    }

    @Test("an option without its value exits 2", arguments: [["-f"], ["-f", "sse", "-t"], ["-f", "sse", "--max-record-bytes"]])
    func optionWithoutValue(arguments: [String]) throws {
        let result = try Streamconv.run(arguments)
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errors.hasPrefix("streamconv: "), "\(result.stderr)")
    }

    // MARK: Exit 4: I/O errors

    @Test("a FILE that cannot be opened exits 4 with a message naming it")
    func missingFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("no-such-file.ndjson").path
        let result = try Streamconv.run(["-f", "ndjson", path])
        #expect(result.termination == .exited(4), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errors.hasPrefix("streamconv: "), "\(result.stderr)")
        #expect(result.errors.contains(path), "\(result.stderr)")
    }

    @Test("a missing second FILE exits 4")
    func missingSecondFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let good = try folder.file("good.ndjson", "{\"a\": 1}\n")
        let missing = folder.url.appendingPathComponent("missing.ndjson").path
        let result = try Streamconv.run(["-f", "ndjson", good, missing])
        #expect(result.termination == .exited(4), "\(result)")
        #expect(result.errors.contains(missing), "\(result.stderr)")
    }

    @Test("a FILE that is a directory is an I/O error (exit 4)")
    func directoryAsFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try Streamconv.run(["-f", "ndjson", folder.url.path])
        #expect(result.termination == .exited(4), "\(result)")
        #expect(result.errors.hasPrefix("streamconv: "), "\(result.stderr)")
    }

    // MARK: --help and --version

    @Test(
        "--help and -h print the manual with OVERVIEW, USAGE, FORMATS, OPTIONS, EXAMPLES, EXIT STATUS in order, and exit 0",
        arguments: ["--help", "-h"])
    func help(option: String) throws {
        let result = try Streamconv.run([option])
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.text.split(separator: "\n").map(String.init)
        let sections = ["OVERVIEW", "USAGE", "FORMATS", "OPTIONS", "EXAMPLES", "EXIT STATUS"]
        let positions = sections.map { section in lines.firstIndex { $0.hasPrefix(section) } }
        for (section, position) in zip(sections, positions) {
            #expect(position != nil, "no line starts with \(section)")
        }
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted(), "sections out of order: \(zip(sections, positions).map { "\($0)@\($1.map(String.init) ?? "-")" })")
        // Every format name, every option and every exit status is documented.
        let text = result.stdout.text
        for word in [
            "sse", "ndjson", "stream-json", "text/event-stream", "application/x-ndjson", "--from", "--to",
            "--max-record-bytes", "--max-depth", "--no-done", "--version",
        ] {
            #expect(text.contains(word), "--help does not mention \(word)")
        }
        if let exitStatus = positions.last ?? nil {
            let section = lines[(exitStatus + 1)...].map { $0.trimmingCharacters(in: .whitespaces) }
            for status in 0...4 {
                #expect(section.contains { $0.hasPrefix("\(status) ") }, "EXIT STATUS does not list \(status)")
            }
        }
    }

    @Test("--help wins over a missing -f (exit 0, manual on standard output)")
    func helpWithoutFrom() throws {
        let result = try Streamconv.run(["-t", "sse", "--help"])
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout.text.hasPrefix("OVERVIEW"))
    }

    @Test("--version prints one line `streamconv <version> (...)` and exits 0")
    func version() throws {
        let result = try Streamconv.run(["--version"])
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stderr.isEmpty)
        let text = result.stdout.text
        #expect(text.hasPrefix("streamconv "), "\(result.stdout)")
        #expect(text.hasSuffix("\n") && text.filter { $0 == "\n" }.count == 1, "\(result.stdout)")
        // It names the vector kernel the run uses (AVX-512, AVX2 or none), for reports of speed.
        #expect(text.contains(", JSON kernel "), "\(result.stdout)")
        let version = text.dropFirst("streamconv ".count).prefix { $0 != " " && $0 != "\n" }
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        #expect(
            parts.count >= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) },
            "not a dotted version number: \(result.stdout)")
    }

    // MARK: Format names

    @Test(
        "formats are found by name, alias or MIME type, in any case, and MIME parameters are ignored",
        arguments: [
            ("text/event-stream; charset=utf-8", "application/x-ndjson"),
            ("TEXT/EVENT-STREAM", "application/jsonl"),
            (" text/event-stream ;charset=UTF-8", "jsonl"),
            ("event-stream", "application/stream+json"),
            ("sse", "stream+json"),
            ("SSE", "application/x-ndjson; charset=utf-8"),
        ])
    func formatNames(from: String, to: String) throws {
        let result = try Streamconv.run(["-f", from, "-t", to], stdin: "data: {\"a\": [1, 2]}\n\n")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "{\"a\":[1,2]}\n")
    }

    @Test("-t defaults to ndjson")
    func defaultTarget() throws {
        let result = try Streamconv.run(["-f", "stream-json"], stdin: "{\n  \"a\": 1\n}\n[ ]")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n[]\n")
    }

    @Test("empty input converts to empty output with exit 0", arguments: FixtureConversion.formats)
    func emptyInput(format: String) throws {
        let result = try Streamconv.run(["-f", format, "-t", format])
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.isEmpty)
    }

    // MARK: Several FILEs and '-'

    @Test("several FILEs and '-' are read in order into one output stream")
    func severalFilesAndStdin() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try folder.file("1.ndjson", "{\"file\": 1}\n{\"file\": 1, \"n\": 2}\n")
        let third = try folder.file("3.ndjson", "[3]\n")
        let result = try Streamconv.run(["-f", "ndjson", "-t", "sse", first, "-", third], stdin: "\"stdin\"\n")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "data: {\"file\":1}\n\ndata: {\"file\":1,\"n\":2}\n\ndata: \"stdin\"\n\ndata: [3]\n\n")
    }

    @Test("each FILE is decoded separately: a last line without newline does not run into the next file")
    func filesDecodedSeparately() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try folder.file("1.ndjson", "{\"a\": 1}") // complete text, no LF
        let second = try folder.file("2.ndjson", "{\"b\": 2}\n")
        let result = try Streamconv.run(["-f", "ndjson", first, "-", second], stdin: "[0]")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n[0]\n{\"b\":2}\n")
    }

    @Test("each SSE FILE ends separately: an unterminated block at the end of one file is discarded with a warning naming that file")
    func sseFilesDecodedSeparately() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try folder.file("1.sse", "data: {\"x\": 1}\n\ndata: {\"cut\": 1}") // block not ended
        let second = try folder.file("2.sse", "data: {\"y\": 2}\n\n")
        let result = try Streamconv.run(["-f", "sse", first, second])
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "{\"x\":1}\n{\"y\":2}\n")
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errors.hasPrefix("streamconv: warning: \(first):3: "), "\(result.stderr)")
    }

    @Test("each FILE is a stream of its own: the BOM at the start of each is ignored")
    func bomAtTheStartOfEachFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try folder.file("1.sse", "\u{FEFF}data: {\"n\": 1}\n\n")
        let second = try folder.file("2.sse", "\u{FEFF}data: {\"n\": 2}\n\n")
        let result = try Streamconv.run(["-f", "sse", first, second])
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "{\"n\":1}\n{\"n\":2}\n")
        #expect(result.stderr.isEmpty)
    }

    @Test("line numbers restart in each FILE: an error in the second file names that file and its own line")
    func errorInSecondFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try folder.file("1.ndjson", "[1]\n[2]\n[3]\n")
        let second = try folder.file("2.ndjson", "[4]\n[5,]\n[6]\n")
        let result = try Streamconv.run(["-f", "ndjson", first, second])
        #expect(result.termination == .exited(1), "\(result)")
        #expect(result.stdout == "[1]\n[2]\n[3]\n[4]\n")
        #expect(result.errors.hasPrefix("streamconv: \(second):2: invalid JSON: "), "\(result.stderr)")
    }
}
