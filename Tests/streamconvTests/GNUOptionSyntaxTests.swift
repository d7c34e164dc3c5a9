// Spec: issue 12 point 5 and Docs/CLI.md "Writing options": GNU getopt_long habits. Bundled
// short flags, a short option's value attached or next, `--opt=value` and `--opt value` only for
// options that take a value, unambiguous prefixes of long options, `--` ends options, `-` is
// standard input; an unknown option is one line plus `Try 'streamconv --help' ...`, exit 2.
import Foundation
import Testing

@Suite("Command line: GNU option syntax")
struct GNUOptionSyntaxTests {
    static let sse = "data: {\"a\": 1}\n\n"
    static let tryHelp = "Try 'streamconv --help' for more information."

    @Test(
        "bundled and attached short options mean the same as the spelled-out ones",
        arguments: [
            ["-qf", "sse"], ["-qfsse"], ["-fsse", "-q"], ["-q", "-f", "sse"], ["--quiet", "--from=sse"],
            ["--qui", "--fr", "sse"], ["-qfsse", "-tndjson"], ["-t", "ndjson", "-qf", "sse"],
        ])
    func bundling(arguments: [String]) throws {
        let result = try Streamconv.run(arguments, stdin: Self.sse + "data: {\"b\": 2}\n") // unterminated block: a warning, silenced
        #expect(result.termination == .exited(0), "\(arguments): \(result)")
        #expect(result.stdout == "{\"a\":1}\n", "\(arguments)")
        #expect(result.stderr.isEmpty, "-q must silence the warning: \(arguments): \(result)")
    }

    @Test(
        "a long option's value may follow '=' or be the next argument; a prefix works as the full name",
        arguments: [["--max-record-bytes=10"], ["--max-record-bytes", "10"], ["--max-r=10"], ["--max-rec", "10"]])
    func longValues(arguments: [String]) throws {
        let result = try Streamconv.run(["-f", "ndjson"] + arguments, stdin: "[1]\n[\"0123456789\"]\n")
        #expect(result.termination == .exited(1), "\(arguments): \(result)")
        #expect(result.stdout == "[1]\n")
        #expect(result.errors.contains("limit of 10 bytes") && result.errors.contains("--max-record-bytes"), "\(result.stderr)")
    }

    @Test(
        "an ambiguous prefix is a usage error naming the candidates",
        arguments: [
            ("--no", ["--no-done", "--non-json"]),
            ("--max", ["--max-record-bytes", "--max-depth"]),
            ("--e", ["--envelope", "--event", "--eof"]),
        ])
    func ambiguousPrefix(prefix: String, candidates: [String]) throws {
        let result = try Streamconv.run(["-f", "sse", prefix])
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errorLines.count == 2, "\(result.stderr)")
        #expect(result.errorLines.first?.hasPrefix("streamconv: option '\(prefix)' is ambiguous") == true, "\(result.stderr)")
        for candidate in candidates { #expect(result.errors.contains("'\(candidate)'"), "\(candidate): \(result.stderr)") }
        #expect(result.errorLines.last == Self.tryHelp)
    }

    @Test("a flag given a value with '=' is a usage error", arguments: ["--quiet=yes", "--ids=1", "--envelope=", "--qu=1"])
    func flagWithValue(argument: String) throws {
        let result = try Streamconv.run(["-f", "ndjson", "-t", "sse", argument], stdin: "[1]\n")
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errors.contains("doesn't allow an argument"), "\(result.stderr)")
    }

    @Test(
        "an unknown option prints exactly one line (with a did-you-mean when one is close) and the Try line, exit 2",
        arguments: [
            ("--envelpe", "'--envelope'"), ("--verison", "'--version'"), ("--max-record-byte", nil),
            ("--requiredone", "'--require-done'"), ("--frobnicate", nil), ("-v", "'-V'"), ("-version", "'--version'"),
        ])
    func unknownOption(option: String, suggestion: String?) throws {
        let result = try Streamconv.run(["-f", "sse", option], stdin: Self.sse)
        if option == "--max-record-byte" { // a prefix of one option: accepted, then needs its value
            #expect(result.termination == .exited(2) && result.errors.contains("requires an argument"), "\(result)")
            return
        }
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errorLines.count == 2, "one line and the Try line: \(result.stderr)")
        let first = result.errorLines.first ?? ""
        let name = option.hasPrefix("--") ? option : String(option.prefix(2))
        if let suggestion {
            #expect(first == "streamconv: unknown option '\(name)' (did you mean \(suggestion)?)", "\(result.stderr)")
        } else {
            #expect(first == "streamconv: unknown option '\(name)'", "\(result.stderr)")
        }
        #expect(result.errorLines.last == Self.tryHelp)
    }

    @Test("an option without its value is a usage error naming it", arguments: [["-f"], ["-f", "sse", "-t"], ["--to"], ["-qf"]])
    func missingValue(arguments: [String]) throws {
        let result = try Streamconv.run(arguments)
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.errors.contains("requires an argument"), "\(result.stderr)")
        #expect(result.errorLines.last == Self.tryHelp)
    }

    @Test("a value that starts with '-' is still the option's value (as getopt_long takes it)")
    func dashValue() throws {
        let result = try Streamconv.run(["-f", "ndjson", "-t", "sse", "--event", "-x-"], stdin: "[1]\n")
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "event: -x-\ndata: [1]\n\n")
    }

    @Test("'--' ends the options: '-q' after it is a FILE (missing here, so an I/O error naming it), and '-' is standard input")
    func doubleDash() throws {
        let result = try Streamconv.run(["-f", "ndjson", "--", "-", "-q"], stdin: "[1]\n")
        #expect(result.stdout == "[1]\n", "\(result)")
        #expect(result.termination != .exited(0) && result.termination != .exited(2), "\(result)")
        #expect(result.errors.contains("-q"), "\(result.stderr)")
    }

    @Test(
        "a single-valued option given twice is a usage error naming both (one rule for all), even with the same value",
        arguments: [
            ["-f", "sse", "-f", "ndjson"], ["-t", "sse", "--to=sse"], ["--max-depth", "3", "--max-d", "4"],
            ["-f", "sse", "--on-error", "skip", "--on-error", "fail"],
        ])
    func repeatedOption(arguments: [String]) throws {
        let result = try Streamconv.run(arguments, stdin: Self.sse)
        #expect(result.termination == .exited(2), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.errors.contains("given twice"), "\(result.stderr)")
    }

    @Test("--only-event lists add up and flags may be repeated")
    func repeatable() throws {
        let input = "event: a\ndata: [1]\n\nevent: b\ndata: [2]\n\nevent: c\ndata: [3]\n\n"
        let result = try Streamconv.run(["-f", "sse", "-q", "-q", "--only-event", "a", "--only-event=c"], stdin: input)
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "[1]\n[3]\n")
    }

    @Test(
        "-V and --version print `streamconv <version> (Swift <x.y>, <arch> <os>, JSON kernel <name>)` on one line, exit 0",
        arguments: ["-V", "--version", "--vers"])
    func version(option: String) throws {
        let result = try Streamconv.run([option])
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stderr.isEmpty)
        let text = result.stdout.text
        #expect(text.filter { $0 == "\n" }.count == 1 && text.hasSuffix(")\n"), "\(result.stdout)")
        let words = text.dropLast().split(separator: " ")
        #expect(words.first == "streamconv")
        let version = words.count > 1 ? words[1] : ""
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }, "not MAJOR.MINOR.PATCH: \(text)")
        #expect(text.contains("(Swift 6."), "the Swift version it was built with: \(text)")
        #if arch(x86_64) && os(Linux)
            #expect(text.contains(", x86_64 Linux, JSON kernel "), "\(text)")
        #endif
        // The kernel: AVX-512, AVX2, or none (other CPUs, or STREAMCODEC_SIMD=off).
        #expect(["AVX-512)\n", "AVX2)\n", "none)\n"].contains { text.hasSuffix(", JSON kernel " + $0) }, "\(text)")
    }

    // MARK: Sizes

    @Test(
        "--max-record-bytes takes k/K/M/G and KiB/MiB/GiB (powers of 1024) and kB/MB/GB (powers of 1000)",
        arguments: [
            ("1k", 1024), ("1K", 1024), ("1KiB", 1024), ("2kB", 2000), ("1M", 1 << 20), ("1MiB", 1 << 20),
            ("1MB", 1_000_000), ("1G", 1 << 30), ("1GiB", 1 << 30), ("1GB", 1_000_000_000), ("1500", 1500),
        ])
    func sizes(text: String, bytes: Int) throws {
        // A record of exactly `bytes` bytes passes and one byte more fails: the limit is `bytes`.
        // (Only sizes up to 2 MB are tried byte-exactly; larger ones just have to parse.)
        guard bytes <= 2_000_000 else {
            let result = try Streamconv.run(["-f", "ndjson", "--max-record-bytes", text], stdin: "[1]\n")
            #expect(result.termination == .exited(0), "\(text): \(result)")
            return
        }
        let exact = "\"" + String(repeating: "x", count: bytes - 2) + "\"\n"
        let over = "\"" + String(repeating: "x", count: bytes - 1) + "\"\n"
        let ok = try Streamconv.run(["-f", "ndjson", "--max-record-bytes", text], stdin: exact)
        #expect(ok.termination == .exited(0), "\(text): \(ok.stderr)")
        let failed = try Streamconv.run(["-f", "ndjson", "--max-record-bytes", text], stdin: over)
        #expect(failed.termination == .exited(1), "\(text): \(failed.stderr)")
        #expect(failed.errors.contains("--max-record-bytes"), "\(failed.stderr)")
    }

    @Test(
        "sizes are case-sensitive and whole: wrong units, fractions, signs and overflow are usage errors",
        arguments: ["1m", "1g", "1mb", "1kib", "1.5M", "+1k", "-1", "1 k", "k", "99999999999G", "1KB", "1Mi"])
    func badSizes(text: String) throws {
        let result = try Streamconv.run(["-f", "ndjson", "--max-record-bytes", text])
        #expect(result.termination == .exited(2), "\(text): \(result)")
        #expect(
            result.errors.contains("--max-record-bytes") && result.errors.contains("MiB") && result.errors.contains("MB"),
            "\(result.stderr)")
    }
}
