// Hostile input, end to end through the built binary: every case gives the correct result or a
// clean error (exit status and one message, never a signal or a hang), in time linear in the
// input, with peak memory (VmHWM, polled while the process runs) bounded by the record limit
// plus a constant. Inputs are generated on the fly (Support/MeasuredRun.swift), so a 2 GiB line
// costs nothing here: the binary must stop reading long before its end.
//
// The contract (helper-context, Docs/CLI.md "Streaming and memory", Docs/Formats.md): nesting is
// iterative with a limit of 1000 (1001 is an error, 100000 never a crash); a record over
// --max-record-bytes (default 16 MiB) is exit status 1 "record larger than the limit"; SSE
// decodes UTF-8 with U+FFFD (maximal subparts), JSON rejects invalid UTF-8 and raw control
// characters; an id containing NUL is ignored.
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The resident memory the debug binary may use whatever its input (its own code, the runtime
/// and allocator slack: about 11 MiB measured), plus margin.
private let baseMiB = 40.0

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
private func part(_ text: String) -> GeneratedInput.Part { .bytes(bytes(text)) }
private func repeated(_ text: String, _ times: Int) -> GeneratedInput.Part { .repeated(bytes(text), times: times) }

/// The hash and length of an input description, to compare a large stdout without keeping it.
private func digest(_ input: GeneratedInput) -> (count: Int, hash: UInt64) {
    var iterator = ChunkIterator(input)
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    var count = 0
    while let chunk = iterator.next() {
        hash = fnv1aHash(chunk, hash)
        count += chunk.count
    }
    return (count, hash)
}

/// Checks what every hostile run must do: end by itself (no signal, no time-out) within
/// `seconds`, with peak memory under `memoryMiB`; prints the measurements for Docs/Testing.md.
private func expectClean(
    _ r: MeasuredResult, _ what: String, seconds: Double, memoryMiB: Double,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    print(
        String(
            format: "hostile: %@: %.2f s, peak %.1f MiB, fed %d bytes, stdout %d bytes, status %@",
            what, r.seconds, r.peakMiB, r.bytesFed, r.stdoutCount, r.status.map(String.init) ?? "signal"))
    #expect(r.signal == nil && !r.timedOut, "\(what): \(r)", sourceLocation: sourceLocation)
    #expect(r.seconds < seconds, "\(what): took \(r.seconds) s (limit \(seconds) s): \(r)", sourceLocation: sourceLocation)
    #expect(r.peakMiB < memoryMiB, "\(what): peak \(r.peakMiB) MiB (limit \(memoryMiB) MiB): \(r)", sourceLocation: sourceLocation)
    // A run of a few milliseconds may end between two samples; a longer one must be measured.
    if r.seconds > 0.05 { #expect(r.samples > 0 && r.peakKiB > 0, "\(what): memory not measured: \(r)", sourceLocation: sourceLocation) }
}

/// Exactly one error line on stderr, `streamconv: <stdin>:LINE: ...` containing `message`.
private func expectError(
    _ r: MeasuredResult, status: Int32, _ message: String, line: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(r.status == status, "\(r)", sourceLocation: sourceLocation)
    let lines = r.stderrText.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(
        lines.count == 1 && r.stderrText.hasPrefix("streamconv: <stdin>:\(line.map { "\($0):" } ?? "")") && r.stderrText.contains(message),
        "expected one error with \(message.debugDescription): \(r.stderrText.debugDescription)", sourceLocation: sourceLocation)
}

struct NestingCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var input: GeneratedInput
    var message: String
    var testDescription: String { arguments.joined(separator: " ") + ", " + message }
}

struct LongLineCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var prefix: String
    var testDescription: String { arguments.joined(separator: " ") + " " + prefix.debugDescription + "xxx..." }
}

@Suite("Hostile input through the binary: a correct result or a clean error, in linear time and bounded memory", .serialized)
struct HostileInputTests {
    // RFC 8259 section 9 allows a nesting limit; the contract: 1000 by default, iterative, so
    // 100000 '[' is an error (status 1), never a stack overflow.
    @Test(
        "100000 nested brackets are a nesting error in every format, never a crash",
        arguments: [
            NestingCase(
                arguments: ["-f", "ndjson"], input: GeneratedInput([repeated("[", 100_000), part("\n")]),
                message: "nesting deeper than 1000 levels"),
            NestingCase(
                arguments: ["-f", "stream-json"], input: GeneratedInput([repeated("{\"a\":", 100_000)]),
                message: "nesting deeper than 1000 levels"),
            NestingCase(
                arguments: ["-f", "json-seq"], input: GeneratedInput([part("\u{1E}"), repeated("[", 100_000), part("\n")]),
                message: "nesting deeper than 1000 levels"),
            NestingCase(
                arguments: ["-f", "json-array"], input: GeneratedInput([repeated("[", 100_000)]), message: "nesting deeper than 1000 levels"
            ),
            NestingCase(arguments: [], input: GeneratedInput([repeated("[", 100_000)]), message: "nesting deeper than 1000 levels"),
            NestingCase(
                arguments: ["-f", "sse"], input: GeneratedInput([part("data: "), repeated("[", 100_000), part("\n\n")]),
                message: "nesting deeper than 1000 levels"),
            NestingCase(
                arguments: ["-f", "json-array", "--array-path", "/a"], input: GeneratedInput([part("{\"b\":"), repeated("[", 100_000)]),
                message: "nesting deeper than 1000 levels"),
            NestingCase(
                arguments: ["-f", "ndjson"], input: GeneratedInput([repeated("]", 100_000), part("\n")]), message: "invalid JSON"),
        ])
    func deepNesting(_ c: NestingCase) throws {
        let r = try MeasuredRun.run(c.arguments, input: c.input, timeout: 10)
        expectClean(r, "nesting \(c.testDescription)", seconds: 5, memoryMiB: baseMiB)
        expectError(r, status: 1, c.message, line: 1)
        #expect(r.stdoutCount == 0)
    }

    @Test(
        "100000 nested brackets within --max-depth 100000 come out whole (the scanner is iterative)",
        arguments: ["ndjson", "stream-json"])
    func deepNestingAllowed(format: String) throws {
        let input = GeneratedInput([repeated("[", 100_000), repeated("]", 100_000), part("\n")])
        let r = try MeasuredRun.run(["-f", format, "--max-depth", "100000"], input: input, timeout: 10)
        expectClean(r, "nesting allowed -f \(format)", seconds: 5, memoryMiB: baseMiB)
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r)")
        let expected = digest(input)
        #expect(r.stdoutCount == expected.count && r.stdoutHash == expected.hash)
    }

    // Docs/CLI.md "Streaming and memory": memory is bounded by --max-record-bytes; a record over
    // it is exit status 1. A 2 GiB line without a line end: the error comes at the limit, after
    // reading about the limit, not 2 GiB.
    @Test(
        "A 2 GiB line without a line end is a record-size error at a 1 MiB limit, read no further",
        arguments: [
            LongLineCase(arguments: ["-f", "sse", "--max-record-bytes", "1M"], prefix: "data: "),
            LongLineCase(arguments: ["-f", "ndjson", "--max-record-bytes", "1M"], prefix: "[\""),
            LongLineCase(arguments: ["-f", "stream-json", "--max-record-bytes", "1M"], prefix: "\""),
            LongLineCase(arguments: ["-f", "json-seq", "--max-record-bytes", "1M"], prefix: "\u{1E}\""),
            LongLineCase(arguments: ["-f", "json-array", "--max-record-bytes", "1M"], prefix: "[\""),
            LongLineCase(arguments: ["--max-record-bytes", "1M"], prefix: "data: "),
            LongLineCase(arguments: ["-f", "sse", "-t", "sse", "--max-record-bytes", "1M"], prefix: ": "),
        ])
    func twoGigabyteLine(_ c: LongLineCase) throws {
        let input = GeneratedInput([part(c.prefix), repeated("x", 2 << 30)])
        let r = try MeasuredRun.run(c.arguments, input: input, timeout: 15)
        expectClean(r, "2 GiB line \(c.testDescription)", seconds: 5, memoryMiB: baseMiB)
        expectError(r, status: 1, "record larger than the limit of 1 MiB", line: 1)
        #expect(r.bytesFed < (1 << 20) + (4 << 20), "read \(r.bytesFed) bytes for a 1 MiB limit")
    }

    @Test("A 2 GiB line at the default 16 MiB limit stops early, with memory bounded by the limit")
    func twoGigabyteLineDefaultLimit() throws {
        let input = GeneratedInput([part("data: "), repeated("x", 2 << 30)])
        let r = try MeasuredRun.run(["-f", "sse"], input: input, timeout: 20)
        // The input buffer grows by doubling, so at the limit it may be twice the limit, and the
        // old buffer is alive while it is copied: about 3x the limit at the peak.
        expectClean(r, "2 GiB line, default limit", seconds: 10, memoryMiB: 3 * 16 + baseMiB)
        expectError(r, status: 1, "record larger than the limit of 16 MiB", line: 1)
        #expect(r.bytesFed < (16 << 20) + (4 << 20), "read \(r.bytesFed) bytes for a 16 MiB limit")
    }

    // WHATWG 9.2.6: an id containing NUL is ignored; other NULs are data. RFC 8259 section 7:
    // a raw control character (NUL included) in a JSON string is invalid.
    @Test("NUL bytes: data keeps them, an id with NUL is ignored, JSON rejects them")
    func nulBytes() throws {
        let sse = try MeasuredRun.run(["-f", "sse", "-t", "sse"], input: GeneratedInput("data: a\u{0}b\n\nid: 1\u{0}\ndata: c\n\n"))
        expectClean(sse, "NUL in SSE", seconds: 5, memoryMiB: baseMiB)
        #expect(sse.status == 0 && sse.stderr.isEmpty && sse.stdout == bytes("data: a\u{0}b\n\ndata: c\n\n"), "\(sse)")

        let json = try MeasuredRun.run(["-f", "sse"], input: GeneratedInput("data: \"a\u{0}b\"\n\n"))
        expectClean(json, "NUL in SSE data to JSON", seconds: 5, memoryMiB: baseMiB)
        expectError(json, status: 1, "unescaped control character byte 0x00 in a string", line: 1)

        let ndjson = try MeasuredRun.run(
            ["-f", "ndjson"], input: GeneratedInput([part("{\"a\":1}\n"), repeated("\u{0}", 8 << 20), part("\n")]))
        expectClean(ndjson, "8 MiB of NUL as NDJSON", seconds: 10, memoryMiB: 3 * 8 + baseMiB)
        expectError(ndjson, status: 1, "expected a value, found byte 0x00", line: 2)
        #expect(ndjson.stdout == bytes("{\"a\":1}\n"))

        // A line of NULs is an unknown SSE field (WHATWG: a field name with no colon), ignored;
        // a short one among events is quiet. But 8 MiB of it, with no SSE field in the first
        // 64 KiB, is not SSE (Docs/CLI.md, "Input that is not what it was said to be"): status 1.
        let field = try MeasuredRun.run([], input: GeneratedInput([repeated("\u{0}", 8 << 20), part("\n\ndata: {\"b\":2}\n\n")]))
        expectClean(field, "8 MiB of NUL as SSE (auto)", seconds: 10, memoryMiB: 3 * 8 + baseMiB)
        #expect(field.status == 1 && field.stdout.isEmpty, "\(field)")
        #expect(
            field.stderrText == "streamconv: <stdin>: input looks like binary data, not SSE text: it starts with bytes "
                + Array(repeating: "00", count: 16).joined(separator: " ") + "\n", "\(field)")
        let short = try MeasuredRun.run(
            [], input: GeneratedInput([part("data: {\"a\":1}\n"), repeated("\u{0}", 1000), part("\n\ndata: {\"b\":2}\n\n")]))
        #expect(short.status == 0 && short.stderr.isEmpty && short.stdout == bytes("{\"a\":1}\n{\"b\":2}\n"), "\(short)")
    }

    // WHATWG "UTF-8 decode": each maximal ill-formed subpart becomes one U+FFFD, in every field.
    // The expected bytes are derived by hand from Unicode Table 3-7: E2 82 (a cut 3-byte
    // sequence) is one subpart; ED A0 80 (an encoded surrogate) is three (A0 cannot follow ED);
    // F4 90 80 80 (above U+10FFFF) is four; a lone C3 or FF is one each.
    @Test("Invalid UTF-8 in every SSE field becomes U+FFFD, block after block")
    func invalidUTF8InSSE() throws {
        let block: [UInt8] =
            bytes(":") + [0xFF] + bytes(" comment\nev") + [0xC0] + bytes("nt: x\nevent: t") + [0xE2, 0x82]
            + bytes("\nid: ") + [0xED, 0xA0, 0x80] + bytes("\ndata: ") + [0xF4, 0x90, 0x80, 0x80] + bytes(" ") + [0xC3] + bytes("\n\n")
        let fffd = "\u{FFFD}"
        let expectedBlock = bytes("event: t\(fffd)\nid: \(fffd)\(fffd)\(fffd)\ndata: \(fffd)\(fffd)\(fffd)\(fffd) \(fffd)\n\n")
        let n = 20_000
        let r = try MeasuredRun.run(["-f", "sse", "-t", "sse"], input: GeneratedInput([.repeated(block, times: n)]), keepStdout: 4096)
        expectClean(r, "invalid UTF-8 in SSE, \(n) blocks", seconds: 10, memoryMiB: baseMiB)
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r)")
        let expected = digest(GeneratedInput([.repeated(expectedBlock, times: n)]))
        #expect(
            r.stdoutCount == expected.count && r.stdoutHash == expected.hash,
            "first bytes: \(String(decoding: r.stdout.prefix(200), as: UTF8.self).debugDescription)")

        // Lossless to JSON: every line is valid JSON with the replaced text.
        let e = try MeasuredRun.run(
            ["-f", "sse", "-t", "ndjson", "--envelope"], input: GeneratedInput([.repeated(block, times: 1000)]), keepStdout: 1 << 20)
        expectClean(e, "invalid UTF-8 in SSE to envelope", seconds: 10, memoryMiB: baseMiB)
        #expect(e.status == 0 && e.stdoutLines == 1000, "\(e)")
        let first = e.stdout.split(separator: 0x0A).first.map(Array.init) ?? []
        #expect(
            String(decoding: first, as: UTF8.self)
                == "{\"event\":\"t\(fffd)\",\"id\":\"\(fffd)\(fffd)\(fffd)\",\"data\":\"\(fffd)\(fffd)\(fffd)\(fffd) \(fffd)\"}")
    }

    // RFC 8259 section 8.1: JSON text is UTF-8; invalid UTF-8 in a string is an error, at its byte.
    @Test(
        "Invalid UTF-8 in a JSON string is an error naming the byte, after the records before it",
        arguments: ["ndjson", "stream-json", "json-seq", "json-array"])
    func invalidUTF8InJSON(format: String) throws {
        let good =
            format == "json-seq" ? "\u{1E}{\"a\":\"\u{E9}\"}\n" : format == "json-array" ? "[{\"a\":\"\u{E9}\"},\n" : "{\"a\":\"\u{E9}\"}\n"
        var input = bytes(good) + (format == "json-seq" ? [0x1E] : []) + bytes("{\"b\":\"x") + [0xED, 0xA0, 0x80] + bytes("\"}\n")
        if format == "json-array" { input += bytes("]") }
        let r = try MeasuredRun.run(["-f", format], input: GeneratedInput(input))
        expectClean(r, "invalid UTF-8 in \(format)", seconds: 5, memoryMiB: baseMiB)
        expectError(r, status: 1, "invalid UTF-8 in a string (byte 0xED followed by 0xA0)", line: 2)
        #expect(r.stdout == bytes("{\"a\":\"\u{E9}\"}\n"))
    }

    // Any bytes at all: a result or a clean error (status 0, 1 or 3 with one message, and for
    // an input that wrote nothing a second line saying what it looks like), never a crash, a
    // hang or unbounded memory. SSE reads anything, but binary data with not one SSE field is
    // reported (Docs/CLI.md, "Input that is not what it was said to be").
    @Test(
        "Random binary input gives a result or one clean error in every format",
        arguments: ["sse", "ndjson", "stream-json", "json-seq", "json-array", "auto"])
    func randomBinary(format: String) throws {
        var state: UInt64 = 0xB1A5 &+ UInt64(format.utf8.count)
        var random = [UInt8](repeating: 0, count: 2 << 20)
        for i in random.indices {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            random[i] = UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
        for extra in [["-t", "ndjson"], ["-t", "sse"], ["-t", "ndjson", "--on-error", "skip", "-q"]] {
            let args = ["-f", format] + extra
            let r = try MeasuredRun.run(args, input: GeneratedInput(random), keepStdout: 4 << 20)
            expectClean(r, "2 MiB random \(args.joined(separator: " "))", seconds: 10, memoryMiB: baseMiB + 3 * 2)
            let status = r.status ?? -1
            #expect([0, 1, 3].contains(status), "\(args): \(r)")
            let errors = r.stderrText.split(separator: "\n").filter { !$0.hasPrefix("streamconv: warning: ") }
            if status == 0 {
                #expect(errors.isEmpty, "\(args): \(r)")
            } else {
                #expect(
                    errors.count == 1
                        || (errors.count == 2
                            && errors[1]
                                == "streamconv: <stdin>: input looks like binary data, not \(format == "auto" ? "SSE" : format == "sse" ? "SSE" : format) text: it starts with bytes "
                                + random.prefix(16).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")),
                    "\(args): \(r)")
                #expect(errors.first?.hasPrefix("streamconv: <stdin>:") == true, "\(args): \(r)")
            }
            if format == "sse" {
                #expect(status == 1, "\(args): binary data read as SSE is reported: \(r)")
                #expect(
                    errors == [
                        "streamconv: <stdin>: input looks like binary data, not SSE text: it starts with bytes "
                            + random.prefix(16).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
                    ], "\(args): \(r)")
            }
        }
    }

    // WHATWG 9.2.6: comment lines are ignored. A million of them (keep-alives) must stream in
    // constant memory and linear time; the record limit counts a block's comment lines too.
    @Test("A million comment lines stream in constant memory and linear time")
    func millionComments() throws {
        let tail = part("data: {\"a\":1}\n\n")
        let keepAlives = try MeasuredRun.run(["-f", "sse"], input: GeneratedInput([repeated(": keep-alive\n\n", 1_000_000), tail]))
        expectClean(keepAlives, "1M keep-alive comments", seconds: 15, memoryMiB: baseMiB)
        #expect(keepAlives.status == 0 && keepAlives.stderr.isEmpty && keepAlives.stdout == bytes("{\"a\":1}\n"), "\(keepAlives)")

        let oneBlock = try MeasuredRun.run(["-f", "sse"], input: GeneratedInput([repeated(":\n", 1_000_000), tail]))
        expectClean(oneBlock, "1M comment lines in one block", seconds: 15, memoryMiB: baseMiB)
        #expect(oneBlock.status == 0 && oneBlock.stderr.isEmpty && oneBlock.stdout == bytes("{\"a\":1}\n"), "\(oneBlock)")

        // --comments: each comment is a record; SSE output writes each as ": text".
        let kept = try MeasuredRun.run(
            ["-f", "sse", "-t", "sse", "--comments"], input: GeneratedInput([repeated(": keep-alive\n\n", 1_000_000), tail]), keepStdout: 0)
        expectClean(kept, "1M comments kept", seconds: 15, memoryMiB: baseMiB)
        let expected = digest(GeneratedInput([repeated(": keep-alive\n", 1_000_000), tail]))
        #expect(kept.status == 0 && kept.stdoutCount == expected.count && kept.stdoutHash == expected.hash, "\(kept)")

        // Linear: four times the comments take at most about four times as long (a quadratic
        // decoder would take sixteen); generous for a shared machine.
        let quarter = try MeasuredRun.run(["-f", "sse"], input: GeneratedInput([repeated(": keep-alive\n\n", 250_000), tail]))
        #expect(quarter.status == 0)
        #expect(keepAlives.seconds < 8 * quarter.seconds + 1.5, "1M comments: \(keepAlives.seconds) s, 250k: \(quarter.seconds) s")
    }

    // WHATWG 9.2.6: id and event take the whole rest of the line, whatever its length. The
    // limit (16 MiB) counts the block's bytes, so 4 MiB fields pass and a 20 MiB id does not.
    @Test("An id and an event name of 4 MiB each pass through; a 20 MiB id is a record-size error")
    func megabyteFields() throws {
        let id = repeated("i", 4 << 20)
        let event = repeated("e", 4 << 20)
        let input = GeneratedInput([part("id: "), id, part("\nevent: "), event, part("\ndata: x\n\n")])
        let sse = try MeasuredRun.run(["-f", "sse", "-t", "sse"], input: input, keepStdout: 0)
        expectClean(sse, "4 MiB id and event to SSE", seconds: 10, memoryMiB: baseMiB + 6 * 8)
        let expected = digest(GeneratedInput([part("event: "), event, part("\nid: "), id, part("\ndata: x\n\n")]))
        #expect(sse.status == 0 && sse.stderr.isEmpty && sse.stdoutCount == expected.count && sse.stdoutHash == expected.hash, "\(sse)")

        let envelope = try MeasuredRun.run(["-f", "sse", "-t", "ndjson", "--envelope"], input: input, keepStdout: 0)
        expectClean(envelope, "4 MiB id and event to an envelope", seconds: 10, memoryMiB: baseMiB + 6 * 8)
        let wrapped = digest(GeneratedInput([part("{\"event\":\""), event, part("\",\"id\":\""), id, part("\",\"data\":\"x\"}\n")]))
        #expect(envelope.status == 0 && envelope.stdoutCount == wrapped.count && envelope.stdoutHash == wrapped.hash, "\(envelope)")

        let huge = try MeasuredRun.run(
            ["-f", "sse", "-t", "sse"], input: GeneratedInput([part("id: "), repeated("i", 20 << 20), part("\n\n")]))
        expectClean(huge, "20 MiB id", seconds: 10, memoryMiB: 3 * 16 + baseMiB)
        expectError(huge, status: 1, "record larger than the limit of 16 MiB", line: 1)
    }

    // WHATWG 9.2.6: each `data:` line appends its value and LF; the event's data is their join.
    @Test("A million tiny data lines make one event, in linear time")
    func tinyDataLines() throws {
        let lines = GeneratedInput([repeated("data: a\n", 1_000_000), part("\n")])
        let sse = try MeasuredRun.run(["-f", "sse", "-t", "sse"], input: lines, keepStdout: 0)
        expectClean(sse, "1M data lines to SSE", seconds: 15, memoryMiB: baseMiB + 4 * 8)
        let same = digest(lines)
        #expect(sse.status == 0 && sse.stdoutCount == same.count && sse.stdoutHash == same.hash, "\(sse)")

        let envelope = try MeasuredRun.run(["-f", "sse", "-t", "ndjson", "--envelope"], input: lines, keepStdout: 0)
        expectClean(envelope, "1M data lines to an envelope", seconds: 15, memoryMiB: baseMiB + 4 * 8)
        let joined = digest(GeneratedInput([part("{\"data\":\"a"), repeated("\\na", 999_999), part("\"}\n")]))
        #expect(envelope.status == 0 && envelope.stdoutCount == joined.count && envelope.stdoutHash == joined.hash, "\(envelope)")

        // One JSON array spread over half a million data lines (data mode joins, then minifies).
        let json = try MeasuredRun.run(
            ["-f", "sse"], input: GeneratedInput([part("data: [\n"), repeated("data: 1,\n", 500_000), part("data: 1]\n\n")]), keepStdout: 0)
        expectClean(json, "a JSON array over 500k data lines", seconds: 15, memoryMiB: baseMiB + 4 * 5)
        let array = digest(GeneratedInput([part("["), repeated("1,", 500_000), part("1]\n")]))
        #expect(json.status == 0 && json.stdoutCount == array.count && json.stdoutHash == array.hash, "\(json)")

        let quarter = try MeasuredRun.run(
            ["-f", "sse", "-t", "sse"], input: GeneratedInput([repeated("data: a\n", 250_000), part("\n")]), keepStdout: 0)
        #expect(quarter.status == 0)
        #expect(sse.seconds < 8 * quarter.seconds + 1.5, "1M lines: \(sse.seconds) s, 250k: \(quarter.seconds) s")
    }

    // RFC 8259 section 7: `\\` is an escaped backslash; an odd run escapes the closing quote.
    @Test("Long runs of backslashes in strings are copied exactly, and an odd run is an error")
    func backslashes() throws {
        for format in ["ndjson", "stream-json"] {
            let even = GeneratedInput([part("{\"s\":\""), repeated("\\\\", 4 << 20), part("\"}\n")])
            let r = try MeasuredRun.run(["-f", format], input: even, keepStdout: 0)
            expectClean(r, "8 MiB of backslashes -f \(format)", seconds: 10, memoryMiB: baseMiB + 4 * 8)
            let same = digest(even)
            #expect(r.status == 0 && r.stdoutCount == same.count && r.stdoutHash == same.hash, "\(r)")

            // The last backslash escapes the quote, so the string runs on into the line end.
            let odd = GeneratedInput([part("{\"s\":\""), repeated("\\\\", 4 << 20), part("\\\"}\n")])
            let bad = try MeasuredRun.run(["-f", format], input: odd, keepStdout: 0)
            expectClean(bad, "odd run of backslashes -f \(format)", seconds: 10, memoryMiB: baseMiB + 4 * 8)
            if format == "ndjson" {
                expectError(bad, status: 1, "incomplete", line: 1)
            } else {
                expectError(bad, status: 1, "unescaped control character byte 0x0A in a string", line: 1)
            }
        }
        // SSE data to an envelope: every backslash doubled in the JSON string.
        let data = GeneratedInput([part("data: "), repeated("\\", 4 << 20), part("\n\n")])
        let e = try MeasuredRun.run(["-f", "sse", "-t", "ndjson", "--envelope"], input: data, keepStdout: 0)
        expectClean(e, "4 MiB of backslashes in SSE data to an envelope", seconds: 10, memoryMiB: baseMiB + 6 * 4)
        let doubled = digest(GeneratedInput([part("{\"data\":\""), repeated("\\\\", 4 << 20), part("\"}\n")]))
        #expect(e.status == 0 && e.stdoutCount == doubled.count && e.stdoutHash == doubled.hash, "\(e)")
    }

    // Formats.md "Auto-detection": the first significant byte decides, after JSON whitespace.
    // Blank lines are nothing in every format, so 64 MiB of them then one record is that record,
    // in bounded memory and linear time. Today detection keeps and rescans all of it (quadratic).
    @Test("Auto-detection reads 64 MiB of blank lines in bounded memory and linear time")
    func autoDetectionAfterBlankLines() throws {
        let r = try MeasuredRun.run(
            ["--max-record-bytes", "1M"], input: GeneratedInput([repeated("\n", 64 << 20), part("{\"a\":1}\n")]), timeout: 20)
        expectClean(r, "64 MiB of blank lines, -f auto", seconds: 10, memoryMiB: baseMiB)
        #expect(r.status == 0 && r.stdout == bytes("{\"a\":1}\n"), "\(r)")
    }
}
