// The CLI's runtime (Tool<Calls>, Sources/streamconv/Tool.swift) in-process, through the
// SystemCalls seam with a fake that serves standard input and named files in reads of a chosen
// size (one byte per read here), records stdout, stderr and the --rejects file, says whether
// stderr is a terminal and runs a clock that advances 0.3 s per reading. What Docs/CLI.md says
// about wrong input, several files, --rejects, --stats and --progress must not depend on how
// the reads fall.
import Testing

@testable import streamconv

#if canImport(Glibc)
    import Glibc
#endif

final class FakeWorld {
    var files: [String: [UInt8]] = [:]
    var open: [Int32: (bytes: [UInt8], position: Int)] = [:]
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var appended: [String: [UInt8]] = [:]
    var appendFDs: [Int32: String] = [:]
    var nextFD: Int32 = 10
    var lastError: Int32 = 0
    var terminal = false
    var stdoutTerminal = false
    var clock: UInt64 = 0
    var clockReads = 0
    /// The largest read(2) asked for.
    var readSize = 1
    init(stdin: [UInt8]) { open[0] = (stdin, 0) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

struct FakeCalls: SystemCalls {
    let world: FakeWorld
    func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let file = world.open[fd] else {
            world.lastError = EBADF
            return -1
        }
        let n = min(buffer.count, world.readSize, file.bytes.count - file.position)
        if n > 0 { file.bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + file.position, byteCount: n) } }
        world.open[fd]!.position += n
        return n
    }
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        switch fd {
        case 1: world.stdout += bytes
        case 2: world.stderr += bytes
        default:
            guard let path = world.appendFDs[fd] else {
                world.lastError = EBADF
                return -1
            }
            world.appended[path, default: []] += bytes
        }
        return bytes.count
    }
    func poll(_ fds: UnsafeMutablePointer<pollfd>, _ count: Int, _ timeoutMilliseconds: Int32) -> Int32 {
        for i in 0..<count { fds[i].revents = fds[i].events }
        return Int32(count)
    }
    func open(_ path: String) -> Int32 {
        guard let bytes = world.files[path] else {
            world.lastError = ENOENT
            return -1
        }
        world.nextFD += 1
        world.open[world.nextFD] = (bytes, 0)
        return world.nextFD
    }
    func close(_ fd: Int32) {
        world.open[fd] = nil
        world.appendFDs[fd] = nil
    }
    var lastError: Int32 { world.lastError }
    func openForAppend(_ path: String) -> Int32 {
        world.nextFD += 1
        world.appendFDs[world.nextFD] = path
        return world.nextFD
    }
    func isTerminal(_ fd: Int32) -> Bool { fd == 2 ? world.terminal : fd == 1 && world.stdoutTerminal }
    func monotonicNanoseconds() -> UInt64 {
        world.clockReads += 1
        world.clock += 300_000_000
        return world.clock
    }
}

/// Runs streamconv in-process with reads of `readSize` bytes.
func runInProcess(
    _ argv: [String], stdin: [UInt8] = [], files: [String: [UInt8]] = [:], readSize: Int = 1,
    terminal: Bool = false
) -> (status: streamconv.ExitStatus, world: FakeWorld) {
    let world = FakeWorld(stdin: stdin)
    world.files = files
    world.readSize = readSize
    world.terminal = terminal
    var tool = Tool(calls: FakeCalls(world: world))
    let status = tool.main(argv)
    return (status, world)
}

@Suite("The CLI runtime in-process, one byte per read")
struct RuntimeInProcessTests {
    @Test(
        "Each wrong input read as SSE is reported the same, one byte per read and whole, from stdin and from a file",
        arguments: WrongInput.allCases)
    func wrongInputBytewise(_ input: WrongInput) {
        for readSize in [1, 64 * 1024] {
            let piped = runInProcess(["-f", "sse"], stdin: input.bytes, readSize: readSize)
            #expect(piped.status == .invalidInput, "\(readSize): \(piped.world.stderrText)")
            #expect(piped.world.stdout.isEmpty)
            #expect(
                piped.world.stderrText.hasPrefix("streamconv: <stdin>: ") && piped.world.stderrText.contains(input.phrase),
                "\(readSize): \(piped.world.stderrText)")
            let file = runInProcess(["-f", "sse", "body"], files: ["body": input.bytes], readSize: readSize)
            #expect(file.status == .invalidInput)
            #expect(
                file.world.stderrText.hasPrefix("streamconv: body: ") && file.world.stderrText.contains(input.phrase),
                "\(readSize): \(file.world.stderrText)")
            // Without -f: what does not start like JSON is read as SSE and refused the same way;
            // Latin-1 JSON is read as JSON and its first error says the same.
            if input != .ndjson && input != .jsonErrorBody {
                let auto = runInProcess(["body"], files: ["body": input.bytes], readSize: readSize)
                #expect(auto.status == .invalidInput)
                let expected =
                    input == .latin1
                    ? WrongInput.latin1JSONError.replacingOccurrences(of: "<stdin>", with: "body")
                    : "streamconv: body: " + input.phrase
                #expect(auto.world.stderrText.contains(expected), "\(readSize): \(auto.world.stderrText)")
            }
        }
    }

    @Test("The 64 KiB window is the same decision whatever the reads: a first field after it is too late, within it is in time")
    func windowIsSplitIndependent() {
        let junkLine = Array("{\"model\":\"m\",\"message\":{\"content\":\"a token\"},\"done\":false}\n".utf8)
        func junk(_ bytes: Int) -> [UInt8] { Array([[UInt8]](repeating: junkLine, count: bytes / junkLine.count + 1).joined()) }
        let event = Array("data: {\"a\":1}\n\n".utf8)
        for readSize in [1, 1000, 64 * 1024] {
            let late = runInProcess(["-f", "sse"], stdin: junk(64 * 1024) + event, readSize: readSize)
            #expect(late.status == .invalidInput, "\(readSize): \(late.world.stderrText)")
            #expect(late.world.stdout.isEmpty)
            let inTime = runInProcess(["-f", "sse", "-q"], stdin: junk(60 * 1024) + event + junk(10 * 1024), readSize: readSize)
            #expect(inTime.status == .success, "\(readSize): \(inTime.world.stderrText)")
            #expect(inTime.world.stdoutText == "{\"a\":1}\n")
        }
    }

    @Test("Several files one byte per read: [DONE] per file, a missing file reported, status 4 at the end")
    func severalFilesBytewise() {
        let files = [
            "a.sse": Array("data: {\"a\":1}\n\ndata: [DONE]\n\ndata: {\"x\":0}\n\n".utf8), "c.sse": Array("data: {\"c\":3}\n\n".utf8),
        ]
        let run = runInProcess(["-f", "sse", "a.sse", "b.sse", "c.sse"], files: files)
        #expect(run.status == .ioError)
        #expect(run.world.stdoutText == "{\"a\":1}\n{\"c\":3}\n")
        #expect(run.world.stderrText == "streamconv: cannot open b.sse: No such file or directory\n")
    }

    @Test("--rejects: each skipped record as one NDJSON line with its source, line, offset, reason and raw bytes")
    func rejects() {
        let input = Array("[1]\n[2,]\n[3]\n".utf8) + [0x5B, 0xFF, 0x5D, 0x0A] + Array("[5]\n".utf8)
        let run = runInProcess(["-f", "ndjson", "--on-error", "skip", "-q", "--rejects", "bad.ndjson"], stdin: input)
        #expect(run.status == .success)
        #expect(run.world.stdoutText == "[1]\n[3]\n[5]\n")
        #expect(
            String(decoding: run.world.appended["bad.ndjson"] ?? [], as: UTF8.self)
                == "{\"source\":\"<stdin>\",\"line\":2,\"offset\":4,\"reason\":\"invalid JSON: expected a value, found ']'\",\"raw\":\"[2,]\"}\n"
                + "{\"source\":\"<stdin>\",\"line\":4,\"offset\":13,\"reason\":\"invalid JSON: expected a value or ']', found byte 0xFF\",\"raw_base64\":\"W/9d\"}\n"
        )
        #expect(run.world.stderr.isEmpty)
    }

    @Test("--rejects with --non-json skip keeps the event's data; without a skip policy it is a usage error")
    func rejectsNonJSON() {
        let run = runInProcess(
            ["-f", "sse", "--non-json", "skip", "-q", "--rejects", "r"],
            stdin: Array("data: {\"a\":1}\n\ndata: line \"one\"\ndata: two\n\n".utf8))
        #expect(run.status == .success)
        #expect(
            String(decoding: run.world.appended["r"] ?? [], as: UTF8.self)
                == "{\"source\":\"<stdin>\",\"line\":3,\"offset\":null,\"reason\":\"event data is not JSON: expected a value, found 'l' at byte 0 of the data\",\"raw\":\"line \\\"one\\\"\\ntwo\"}\n"
        )
        let usage = runInProcess(["-f", "ndjson", "--rejects", "r"], stdin: Array("[1]\n".utf8))
        #expect(usage.status == .usage)
        #expect(usage.world.stdout.isEmpty && usage.world.appended.isEmpty)
    }

    @Test("--stats: one line on stderr with inputs, bytes, records in and out, skipped, ignored SSE lines, time and rate")
    func stats() {
        let input = Array("x-trace: 1\ndata: {\"a\":1}\n\ndata: not json\n\ndata: {\"b\":2}\n\n".utf8)
        let run = runInProcess(
            ["-f", "sse", "--non-json", "skip", "-q", "--stats", "-", "f.sse"], stdin: input,
            files: ["f.sse": Array("data: 3\n\n".utf8)], readSize: 4096)
        #expect(run.status == .success)
        #expect(run.world.stdoutText == "{\"a\":1}\n{\"b\":2}\n3\n")
        let expectedBytes = input.count + 9
        // The fake clock advances 0.3 s per reading: one at the start, one at the end.
        #expect(
            run.world.stderrText
                == "streamconv: stats: 2 inputs, \(expectedBytes) bytes read, 4 records in, 3 out, 1 skipped, 1 ignored SSE lines, 0.300 s, 0.0 MB/s\n"
        )
    }

    @Test("No --stats and no --progress: the clock is never read")
    func noClock() {
        let run = runInProcess(["-f", "ndjson"], stdin: Array(String(repeating: "[1]\n", count: 200).utf8))
        #expect(run.status == .success)
        #expect(run.world.clockReads == 0)
    }

    @Test("--progress on a terminal: a line redrawn in place on stderr, erased at the end, nothing on stdout but records")
    func progressOnTerminal() {
        let input = Array(String(repeating: "[1]\n", count: 50).utf8)
        let run = runInProcess(["-f", "ndjson", "--progress"], stdin: input, readSize: 16, terminal: true)
        #expect(run.status == .success)
        #expect(run.world.stdoutText == String(repeating: "[1]\n", count: 50))
        let text = run.world.stderrText
        #expect(text.hasPrefix("\r\u{1B}[Kstreamconv: "), "\(text.debugDescription)")
        #expect(text.contains(" MB read, ") && text.contains(" records, ") && text.contains(" MB/s"), "\(text.debugDescription)")
        #expect(text.hasSuffix("\r\u{1B}[K"), "erased at the end: \(text.debugDescription)")
        #expect(!text.contains("\n"), "never a new line: \(text.debugDescription)")
        #expect(run.world.clockReads <= input.count / 16 + 2, "at most one clock reading per read")
    }

    @Test("--progress when stderr is not a terminal: nothing")
    func progressNotTerminal() {
        let run = runInProcess(["-f", "ndjson", "--progress"], stdin: Array("[1]\n".utf8), terminal: false)
        #expect(run.status == .success && run.world.stderr.isEmpty)
    }

    @Test("--progress when standard output is a terminal too: nothing (the line would be drawn among the records)")
    func progressWithTerminalOutput() {
        let world = FakeWorld(stdin: Array(String(repeating: "[1]\n", count: 50).utf8))
        world.terminal = true
        world.stdoutTerminal = true
        world.readSize = 16
        var tool = Tool(calls: FakeCalls(world: world))
        #expect(tool.main(["-f", "ndjson", "--progress"]) == .success)
        #expect(world.stderr.isEmpty && world.stdout.count == 200)
        #expect(world.clockReads == 0)
    }

    @Test("A warning while the progress line is shown erases it first")
    func progressThenWarning() {
        let input = Array((String(repeating: "[1]\n", count: 20) + "[x]\n").utf8)
        let run = runInProcess(["-f", "ndjson", "--progress", "--on-error", "skip"], stdin: input, readSize: 8, terminal: true)
        #expect(run.status == .success)
        #expect(
            run.world.stderrText.contains("\r\u{1B}[Kstreamconv: warning: <stdin>:21: skipped"), "\(run.world.stderrText.debugDescription)")
    }

    @Test("Latin-1 JSON, one byte per read: the error names 0xE9 at offset 9 and suggests iconv")
    func latin1Bytewise() {
        let run = runInProcess(["-f", "ndjson"], stdin: WrongInput.latin1.bytes)
        #expect(run.status == .invalidInput)
        #expect(run.world.stderrText == WrongInput.latin1JSONError + "\n")
    }
}
