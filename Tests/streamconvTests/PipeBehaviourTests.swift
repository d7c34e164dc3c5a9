// Spec: CLI — "read(2)/write(2) only", exit 4 on a write error; SSE — "a multi-byte char split
// across reads is fine", "CR at end of one read + LF at start of the next = one line end", one
// leading BOM ignored; NDJSON — LF or CRLF line ends. Here the input arrives in pieces through a
// held-open pipe, with a pause between pieces so that streamconv reads each on its own, and the
// descriptors are the awkward ones a parent can hand over (non-blocking, a full disk).
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// An input written in pieces, and the whole output it must give.
struct SplitInput: Sendable, CustomTestStringConvertible {
    var what: String
    var arguments: [String]
    var pieces: [[UInt8]]
    var output: String
    var testDescription: String { what }

    init(_ what: String, _ arguments: [String], _ pieces: [[UInt8]], _ output: String) {
        self.what = what
        self.arguments = arguments
        self.pieces = pieces
        self.output = output
    }

    static let all: [SplitInput] = [
        SplitInput(
            "SSE: CR ending one read, LF starting the next, is one line end (not a blank line)",
            ["-f", "sse", "-t", "sse"], [Array("data: a\r".utf8), Array("\ndata: b\r\n\r\n".utf8)],
            "data: a\ndata: b\n\n"),
        SplitInput(
            "SSE: a UTF-8 character split between two reads",
            ["-f", "sse", "-t", "ndjson"], [Array("data: \"caf".utf8) + [0xC3], [0xA9] + Array("\"\n\n".utf8)],
            "\"caf\u{E9}\"\n"),
        SplitInput(
            "SSE: a BOM split between two reads at the start of the stream",
            ["-f", "sse", "-t", "ndjson"], [[0xEF, 0xBB], [0xBF] + Array("data: {}\n\n".utf8)],
            "{}\n"),
        SplitInput(
            "NDJSON: CR ending one read, LF starting the next",
            ["-f", "ndjson", "-t", "ndjson"], [Array("{\"a\": 1}\r".utf8), Array("\n[2]\r\n".utf8)],
            "{\"a\":1}\n[2]\n"),
        SplitInput(
            "NDJSON: a line split inside a string and inside a number",
            ["-f", "ndjson", "-t", "sse"], [Array("{\"text\": \"hel".utf8), Array("lo\", \"n\": 12".utf8), Array("34}\n".utf8)],
            "data: {\"text\":\"hello\",\"n\":1234}\n\n"),
        SplitInput(
            "stream-json: a top-level number split between two reads",
            ["-f", "stream-json", "-t", "ndjson"], [Array("12".utf8), Array("34 [5]".utf8)],
            "1234\n[5]\n"),
        SplitInput(
            "stream-json: a literal split between two reads",
            ["-f", "stream-json", "-t", "ndjson"], [Array("[tr".utf8), Array("ue] nu".utf8), Array("ll".utf8)],
            "[true]\nnull\n"),
    ]
}

@Suite("Pipes: split reads and awkward descriptors")
struct PipeBehaviourTests {
    @Test("input split across reads converts as if it came in one piece", arguments: SplitInput.all)
    func splitAcrossReads(_ split: SplitInput) throws {
        let child = try Streamconv.start(split.arguments)
        defer { child.kill() }
        for piece in split.pieces {
            try child.write(piece)
            usleep(150_000) // let streamconv read this piece by itself
        }
        child.closeStdin()
        let (output, complete) = child.readToEnd(timeout: .seconds(10))
        #expect(complete)
        #expect(Bytes(output) == Bytes(split.output), "stderr: \(Bytes(child.stderrBytes))")
        #expect(child.wait(timeout: .seconds(5)) == .exited(0))
        #expect(Bytes(child.stderrBytes).isEmpty)
    }

    @Test("standard input and output pipes are grown to 1 MiB (F_SETPIPE_SZ), where the system allows it")
    func pipesGrown() throws {
        #if os(Linux)
            let maxSize =
                (try? String(contentsOfFile: "/proc/sys/fs/pipe-max-size", encoding: .utf8))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
            let child = try Streamconv.start(["-f", "ndjson"])
            defer { child.kill() }
            let getPipeSize: Int32 = 1032 // F_GETPIPE_SZ
            #expect(fcntl(child.stdinFD, getPipeSize) == 65536, "a new pipe holds 64 KiB")
            try child.write("{\"a\": 1}\n")
            // The record is out: streamconv is past its start and has read its input.
            #expect(Bytes(child.readStdout(count: 8, timeout: .seconds(5))) == "{\"a\":1}\n")
            let expected: Int32 = maxSize >= 1 << 20 ? 1 << 20 : 65536
            #expect(fcntl(child.stdinFD, getPipeSize) == expected, "its input pipe (pipe-max-size \(maxSize))")
            #expect(fcntl(child.stdoutFD, getPipeSize) == expected, "its output pipe (pipe-max-size \(maxSize))")
            child.closeStdin()
            #expect(child.wait(timeout: .seconds(5)) == .exited(0))
        #endif
    }

    @Test("a non-blocking standard input left idle is waited on without spinning, then read")
    func nonBlockingIdleInput() throws {
        let child = try Streamconv.start(["-f", "ndjson"], options: .init(nonBlockingStdin: true))
        defer { child.kill() }
        usleep(600_000) // nothing to read yet: EAGAIN, if streamconv reads without waiting
        try child.write("{\"late\": true}\n")
        let first = child.readStdout(count: "{\"late\":true}\n".utf8.count, timeout: .seconds(5))
        #expect(Bytes(first) == "{\"late\":true}\n", "stderr: \(Bytes(child.stderrBytes))")
        child.closeStdin()
        let (rest, _) = child.readToEnd(timeout: .seconds(5))
        #expect(Bytes(rest).isEmpty)
        #expect(child.wait(timeout: .seconds(5)) == .exited(0))
        #expect(Bytes(child.stderrBytes).isEmpty)
        let usage = child.resourceUsage
        let cpuMicroseconds = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000 + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec
        #expect(cpuMicroseconds < 300_000, "used \(cpuMicroseconds) µs of CPU while idle for 0.6 s: spinning on EAGAIN?")
    }

    @Test("a non-blocking standard output with a slow reader loses nothing (EAGAIN is waited out, not spun on or fatal)")
    func nonBlockingSlowOutput() throws {
        let records = 40_000
        let input = Array((0..<records).map { "{\"record\": \($0), \"pad\": \"\(String(repeating: "p", count: 40))\"}\n" }.joined().utf8)
        let expected = Array((0..<records).map { "{\"record\":\($0),\"pad\":\"\(String(repeating: "p", count: 40))\"}\n" }.joined().utf8)
        let child = try Streamconv.start(["-f", "ndjson"], options: .init(nonBlockingStdout: true))
        let feeder = InputFeeder(fd: child.stdinFD) { $0 == 0 ? input : nil }
        defer {
            child.kill()
            _ = feeder.waitUntilFinished(timeout: .seconds(10))
            child.closeStdin()
        }
        // Read in small sips with pauses, so the pipe is full most of the time and streamconv's
        // writes meet EAGAIN again and again.
        var output: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while output.count < expected.count && child.stdoutFD >= 0 && ContinuousClock.now < deadline {
            output += child.readSome(maximum: 4096, timeout: .seconds(5))
            usleep(2_000)
        }
        #expect(feeder.waitUntilFinished(timeout: .seconds(10)))
        child.closeStdin()
        let (rest, _) = child.readToEnd(timeout: .seconds(10))
        output += rest
        let termination = child.wait(timeout: .seconds(10))
        #expect(termination == .exited(0), "stderr: \(Bytes(child.stderrBytes))")
        #expect(output.count == expected.count)
        #expect(output == expected, "output differs")
        #expect(Bytes(child.stderrBytes).isEmpty)
        let usage = child.resourceUsage
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let wall =
            Double((ContinuousClock.now - child.startedAt).components.seconds)
            + Double((ContinuousClock.now - child.startedAt).components.attoseconds) / 1e18
        #expect(cpu < 0.5 * wall + 0.2, "used \(cpu) s of CPU in \(wall) s: spinning on EAGAIN?")
    }

    @Test("a write error on standard output (a full disk: /dev/full) exits 4 with a message")
    func writeErrorExits4() throws {
        let result = try Streamconv.run(["-f", "ndjson"], stdin: "{\"a\": 1}\n", options: .init(stdoutPath: "/dev/full"))
        #expect(result.termination == .exited(4), "\(result)")
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errors.hasPrefix("streamconv: "), "\(result.stderr)")
    }
}
