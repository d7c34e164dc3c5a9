// In-process tests of the CLI's I/O loop (Tool<Calls> in Sources/streamconv/Tool.swift) through
// its system-call seam (protocol SystemCalls, SystemIO.swift), with a fake that injects the
// faults a filter meets on pipes and sockets: EINTR on read, write and poll; short reads; short
// writes down to one byte; EAGAIN on a descriptor left non-blocking (the fake poll then reports
// it ready); EPIPE when the reader of the output goes away; and other read and write errors.
//
// The contract (helper-context "CLI"; Docs/CLI.md): EINTR, short writes and EAGAIN are invisible
// in the output, which is exactly the records of the input, nothing lost and nothing repeated;
// EAGAIN waits in poll(2), never spins; a closed output ends the run quietly with status 0;
// other read/write errors are status 4 with a message. The expected output of each fixture is
// its Fixtures/<case>/expected.<to> file (made by an independent oracle, Fixtures/README.md).
import Foundation
import Testing

@testable import streamconv

#if canImport(Glibc)
    import Glibc
#endif

/// What a fake run did, shared by every copy of the fake (Tool copies its IOChannel).
final class FaultyIO {
    let stdin: [UInt8]
    var position = 0
    var plan: FaultPlan
    var rng: UInt64
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var lastError: Int32 = 0
    var reads = 0, writes = 0, polls = 0
    /// EAGAIN was returned for this descriptor and poll(2) has not been called since.
    var readNeedsPoll = false, writeNeedsPoll = false
    /// A read or write retried after EAGAIN without poll(2) in between (a busy loop).
    var spins = 0
    /// The reader of stdout goes away once this many bytes were written.
    var closeStdoutAfter: Int?
    var stdoutClosed = false
    /// The run has seen EPIPE (from write) or POLLERR on stdout (from poll).
    var sawClosedOutput = false
    var readsAfterClosedOutput = 0, writesAfterClosedOutput = 0
    /// read(2) fails with this error once `position` reaches `readErrorAt`; write(2) likewise.
    var readError: (at: Int, code: Int32)?
    var writeError: (at: Int, code: Int32)?
    /// poll(2) with a timeout reports "nothing ready" (the input is silent) every other call.
    var silentPolls = false
    var timeouts = 0
    /// The next this many writes to stderr fail with EAGAIN (a non-blocking stderr that is full).
    var stderrEAGAIN = 0

    init(stdin: [UInt8], plan: FaultPlan, seed: UInt64 = 0x5EED) {
        self.stdin = stdin
        self.plan = plan
        rng = seed
    }

    func random(_ bound: Int) -> Int {
        rng &+= 0x9E37_79B9_7F4A_7C15
        var z = rng
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

/// The faults a run injects.
enum FaultPlan: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case none
    case eintrOnEveryOtherRead
    case shortReadsOfOneToThreeBytes
    case eagainBeforeEveryRead
    case eintrOnEveryOtherWrite
    case shortWritesOfOneByte
    case shortWritesOfRandomLength
    case eagainBeforeEveryWrite
    case eintrOnEveryOtherPoll
    case allOfThemAtRandom
    var testDescription: String { rawValue }
}

struct FaultyCalls: SystemCalls {
    let io: FaultyIO

    func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
        io.reads += 1
        if io.readNeedsPoll { io.spins += 1 }
        if io.sawClosedOutput { io.readsAfterClosedOutput += 1 }
        guard fd == 0 else {
            io.lastError = EBADF
            return -1
        }
        let random = io.plan == .allOfThemAtRandom
        if io.plan == .eintrOnEveryOtherRead && io.reads % 2 == 1 || random && io.random(4) == 0 {
            io.lastError = EINTR
            return -1
        }
        if io.plan == .eagainBeforeEveryRead && io.reads % 2 == 1 || random && io.random(4) == 0 {
            io.lastError = EAGAIN
            io.readNeedsPoll = true
            return -1
        }
        if let failure = io.readError, io.position >= failure.at {
            io.lastError = failure.code
            return -1
        }
        var n = min(buffer.count, io.stdin.count - io.position)
        if let failure = io.readError { n = min(n, failure.at - io.position) }
        if n > 1 && (io.plan == .shortReadsOfOneToThreeBytes || random && io.random(2) == 0) { n = 1 + io.random(min(3, n)) }
        if n > 0 {
            io.stdin.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + io.position, byteCount: n) }
        }
        io.position += n
        return n
    }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        if fd == 2 {
            if io.stderrEAGAIN > 0 {
                io.stderrEAGAIN -= 1
                io.lastError = EAGAIN
                return -1
            }
            // Standard error gets EINTR and short writes too (the message must still be whole).
            if io.plan == .allOfThemAtRandom && io.random(3) == 0 {
                io.lastError = EINTR
                return -1
            }
            let n = io.plan == .shortWritesOfOneByte ? 1 : bytes.count
            io.stderr += bytes[0..<n]
            return n
        }
        guard fd == 1 else {
            io.lastError = EBADF
            return -1
        }
        io.writes += 1
        if io.writeNeedsPoll { io.spins += 1 }
        if io.stdoutClosed {
            if io.sawClosedOutput { io.writesAfterClosedOutput += 1 }
            io.sawClosedOutput = true
            io.lastError = EPIPE
            return -1
        }
        let random = io.plan == .allOfThemAtRandom
        if io.plan == .eintrOnEveryOtherWrite && io.writes % 2 == 1 || random && io.random(4) == 0 {
            io.lastError = EINTR
            return -1
        }
        if io.plan == .eagainBeforeEveryWrite && io.writes % 2 == 1 || random && io.random(4) == 0 {
            io.lastError = EAGAIN
            io.writeNeedsPoll = true
            return -1
        }
        if let failure = io.writeError, io.stdout.count >= failure.at {
            io.lastError = failure.code
            return -1
        }
        var n = bytes.count
        switch io.plan {
        case .shortWritesOfOneByte: n = 1
        case .shortWritesOfRandomLength, .allOfThemAtRandom: n = 1 + io.random(n)
        default: break
        }
        if let limit = io.closeStdoutAfter {
            n = min(n, limit - io.stdout.count)
            if n == 0 {
                io.stdoutClosed = true
                io.sawClosedOutput = true
                io.lastError = EPIPE
                return -1
            }
        }
        io.stdout += bytes[0..<n]
        if let limit = io.closeStdoutAfter, io.stdout.count >= limit { io.stdoutClosed = true }
        return n
    }

    func poll(_ fds: UnsafeMutablePointer<pollfd>, _ count: Int, _ timeoutMilliseconds: Int32) -> Int32 {
        io.polls += 1
        if io.plan == .eintrOnEveryOtherPoll && io.polls % 2 == 1 || io.plan == .allOfThemAtRandom && io.random(4) == 0 {
            io.lastError = EINTR
            return -1
        }
        if io.silentPolls && timeoutMilliseconds >= 0 && io.polls % 2 == 1 {
            for k in 0..<count { fds[k].revents = 0 }
            io.timeouts += 1
            return 0
        }
        var ready: Int32 = 0
        for k in 0..<count {
            var revents: Int16 = 0
            if fds[k].fd == 0 && fds[k].events & Int16(POLLIN) != 0 {
                revents |= Int16(POLLIN)
                io.readNeedsPoll = false
            }
            if fds[k].fd == 1 {
                if io.stdoutClosed {
                    revents |= Int16(POLLERR)
                    io.sawClosedOutput = true
                } else if fds[k].events & Int16(POLLOUT) != 0 {
                    revents |= Int16(POLLOUT)
                }
                io.writeNeedsPoll = false
            }
            fds[k].revents = revents
            if revents != 0 { ready += 1 }
        }
        return ready
    }

    func open(_ path: String) -> Int32 {
        io.lastError = ENOENT
        return -1
    }
    func close(_ fd: Int32) {}
    var lastError: Int32 { io.lastError }
}

/// One run of the tool over a fake.
private func runTool(_ argv: [String], _ io: FaultyIO, readSize: Int) -> streamconv.ExitStatus {
    var tool = Tool(calls: FaultyCalls(io: io))
    tool.readSize = readSize
    return tool.main(argv)
}

private enum FixtureFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// Every case of Fixtures/README.md and its input format.
    static let cases: [(name: String, from: String)] = [
        ("anthropic-messages", "sse"), ("aspnet-async-enumerable", "json-array"), ("gemini-stream", "json-array"),
        ("geojson-seq", "json-seq"), ("ndjson-escapes-numbers", "ndjson"), ("ollama-chat", "ndjson"),
        ("openai-chat", "sse"), ("spring-sse-pretty", "sse"), ("spring-stream-json", "stream-json"),
        ("sse-crlf-comments", "sse"), ("sse-field-rules", "sse"),
    ]
    static let targets = ["sse", "ndjson", "stream-json", "json-seq", "json-array"]
    static func bytes(_ name: String, _ file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(name).appendingPathComponent(file)))
    }
}

@Suite("The CLI's I/O loop under injected system-call faults")
struct FaultInjectionTests {
    // EINTR, short reads, short writes, EAGAIN (with poll), every fixture to every format: the
    // output is byte for byte the expected file, status 0, nothing on stderr, no busy loop.
    @Test(
        "Every fixture converts to exactly its expected output under each kind of I/O fault",
        arguments: FaultPlan.allCases)
    func fixturesUnderFaults(plan: FaultPlan) throws {
        for c in FixtureFiles.cases {
            let input = try FixtureFiles.bytes(c.name, "input.\(c.from)")
            for to in FixtureFiles.targets {
                let expected = try FixtureFiles.bytes(c.name, "expected.\(to)")
                for readSize in [7, 64 * 1024] {
                    let io = FaultyIO(stdin: input, plan: plan, seed: UInt64(readSize) &* 31 &+ UInt64(c.name.utf8.count))
                    let status = runTool(["-f", c.from, "-t", to], io, readSize: readSize)
                    let what = "\(c.name) -f \(c.from) -t \(to), reads of \(readSize), \(plan)"
                    #expect(status == .success, "\(what): \(String(decoding: io.stderr, as: UTF8.self))")
                    #expect(io.stdout == expected, "\(what): \(io.stdout.count) bytes written, \(expected.count) expected")
                    #expect(io.stderr.isEmpty, "\(what): \(String(decoding: io.stderr, as: UTF8.self))")
                    #expect(io.spins == 0, "\(what): read or write retried after EAGAIN without poll")
                    if status != .success || io.stdout != expected { return } // one counter-example is enough
                }
            }
        }
    }

    // The faults must also be invisible on the error path: the records before a bad one, then
    // one message, status 1 (invalid input) or 3 (truncated input).
    @Test(
        "Records before a bad record and the error message are the same under each kind of I/O fault",
        arguments: FaultPlan.allCases)
    func errorsUnderFaults(plan: FaultPlan) throws {
        let inputs: [(argv: [String], input: String, status: streamconv.ExitStatus, output: String, message: String)] = [
            (["-f", "ndjson"], "{\"a\": 1}\n[2]\n{bad}\n[3]\n", .invalidInput, "{\"a\":1}\n[2]\n", "streamconv: <stdin>:3: invalid JSON"),
            (
                ["-f", "sse", "--eof", "error"], "data: {\"a\":1}\n\ndata: {\"b\"", .truncatedInput, "{\"a\":1}\n",
                "streamconv: <stdin>:3: input ended inside an event block"
            ),
            (
                ["-f", "json-array", "-t", "sse"], "[1, {\"x\": [true]}, \"s\"", .truncatedInput,
                "data: 1\n\ndata: {\"x\":[true]}\n\ndata: \"s\"\n\n", "streamconv: <stdin>:1: input ended inside the JSON array"
            ),
        ]
        for (argv, text, status, output, message) in inputs {
            for readSize in [1, 5, 4096] {
                let io = FaultyIO(stdin: Array(text.utf8), plan: plan, seed: UInt64(readSize))
                let got = runTool(argv, io, readSize: readSize)
                let what = "\(argv) reads of \(readSize), \(plan)"
                #expect(got == status, "\(what)")
                #expect(String(decoding: io.stdout, as: UTF8.self) == output, "\(what)")
                let stderr = String(decoding: io.stderr, as: UTF8.self)
                #expect(
                    stderr.hasPrefix(message) && stderr.hasSuffix("\n") && stderr.split(separator: "\n").count == 1,
                    "\(what): \(stderr.debugDescription)")
                #expect(io.spins == 0, "\(what)")
            }
        }
    }

    // "Exit 0 ... also when stdout's reader went away, silently": EPIPE on write ends the run
    // at once with status 0 and nothing on stderr; what was written is a prefix of the output.
    @Test(
        "A reader that goes away (EPIPE) ends the run quietly with status 0 at any point of the output",
        arguments: ["openai-chat", "spring-stream-json", "sse-crlf-comments", "gemini-stream"])
    func closedOutput(name: String) throws {
        let c = FixtureFiles.cases.first { $0.name == name }!
        let input = try FixtureFiles.bytes(c.name, "input.\(c.from)")
        for to in ["ndjson", "sse"] {
            let expected = try FixtureFiles.bytes(c.name, "expected.\(to)")
            for k in Set([0, 1, expected.count / 3, expected.count / 2, expected.count - 1]) {
                for plan in [FaultPlan.none, .shortWritesOfOneByte, .allOfThemAtRandom] {
                    let io = FaultyIO(stdin: input, plan: plan)
                    io.closeStdoutAfter = k
                    let status = runTool(["-f", c.from, "-t", to], io, readSize: 100)
                    let what = "\(name) -t \(to), reader gone after \(k) of \(expected.count) bytes, \(plan)"
                    #expect(status == .success, "\(what)")
                    #expect(io.stdout == Array(expected.prefix(k)), "\(what)")
                    #expect(io.stderr.isEmpty, "\(what): \(String(decoding: io.stderr, as: UTF8.self))")
                    #expect(io.sawClosedOutput, "\(what): the closed output was never noticed")
                    #expect(
                        io.writesAfterClosedOutput == 0 && io.readsAfterClosedOutput == 0,
                        "\(what): \(io.writesAfterClosedOutput) writes and \(io.readsAfterClosedOutput) reads after EPIPE")
                }
            }
        }
    }

    // A closed output also wins over an input error that comes later: the run ends quietly.
    @Test("EPIPE before an invalid record ends with status 0 and no message")
    func closedOutputBeforeBadRecord() {
        let io = FaultyIO(stdin: Array("[1]\n[2]\n{bad}\n".utf8), plan: .none)
        io.closeStdoutAfter = 2
        let status = runTool(["-f", "ndjson"], io, readSize: 4096)
        #expect(status == .success)
        #expect(io.stdout == Array("[1".utf8))
        #expect(io.stderr.isEmpty, "\(String(decoding: io.stderr, as: UTF8.self))")
    }

    // SystemIO.swift: "a pipe whose reader exited reports POLLERR": the run ends while waiting for
    // input, without writing or reading again.
    @Test("A reader gone while the tool waits for input (POLLERR) ends the run with status 0")
    func pollErrorOnOutput() {
        let io = FaultyIO(stdin: Array("data: {\"a\":1}\n\ndata: {\"b\":2}\n\n".utf8), plan: .none)
        io.closeStdoutAfter = 8 // the first record is written whole, then the reader goes away
        let status = runTool(["-f", "sse"], io, readSize: 16)
        #expect(status == .success)
        #expect(io.stdout == Array("{\"a\":1}\n".utf8))
        #expect(io.stderr.isEmpty)
        #expect(io.writesAfterClosedOutput == 0 && io.readsAfterClosedOutput == 0)
    }

    // Exit status 4: "Reading or writing failed". Every record before the failure is written.
    @Test("A read error other than EINTR or EAGAIN is status 4 with a message, after the records before it")
    func readError() {
        let io = FaultyIO(stdin: Array("[1]\n[2]\n[3]\n".utf8), plan: .eintrOnEveryOtherRead)
        io.readError = (at: 8, code: EIO)
        let status = runTool(["-f", "ndjson"], io, readSize: 3)
        #expect(status == .ioError)
        #expect(String(decoding: io.stdout, as: UTF8.self) == "[1]\n[2]\n")
        #expect(String(decoding: io.stderr, as: UTF8.self) == "streamconv: cannot read <stdin>: \(String(cString: strerror(EIO)))\n")
    }

    @Test("A write error other than EINTR, EAGAIN or EPIPE is status 4 with a message")
    func writeError() {
        let io = FaultyIO(stdin: Array("[1]\n[2]\n[3]\n".utf8), plan: .shortWritesOfOneByte)
        io.writeError = (at: 5, code: ENOSPC)
        let status = runTool(["-f", "ndjson"], io, readSize: 4)
        #expect(status == .ioError)
        #expect(String(decoding: io.stdout, as: UTF8.self) == "[1]\n[")
        #expect(String(decoding: io.stderr, as: UTF8.self) == "streamconv: cannot write the output: \(String(cString: strerror(ENOSPC)))\n")
    }

    // SystemIO.swift handles "descriptors left non-blocking by a parent (EAGAIN: wait with
    // poll(2), never spin)" for stdin and stdout; stderr is usually shared with that parent too.
    // Tool.report gives up on the first EAGAIN, so the one line saying why the run failed is lost.
    @Test("The error message is written whole when stderr is non-blocking and momentarily full (EAGAIN)")
    func errorMessageAfterStderrEAGAIN() {
        let io = FaultyIO(stdin: Array("[1]\n{bad}\n".utf8), plan: .none)
        io.stderrEAGAIN = 1
        let status = runTool(["-f", "ndjson"], io, readSize: 4096)
        #expect(status == .invalidInput)
        #expect(String(decoding: io.stdout, as: UTF8.self) == "[1]\n")
        #expect(
            String(decoding: io.stderr, as: UTF8.self).hasPrefix("streamconv: <stdin>:2: invalid JSON"),
            "stderr: \(String(decoding: io.stderr, as: UTF8.self).debugDescription)")
    }

    // --heartbeat (Docs/CLI.md): when the input is silent for SECONDS, SSE output gets a ":" line
    // (no blank line after it), "at a record boundary". Removing the heartbeats must give the
    // output exactly.
    @Test("Heartbeats during silent input fall between records, which stay intact", arguments: [FaultPlan.none, .shortWritesOfOneByte])
    func heartbeatsBetweenRecords(plan: FaultPlan) throws {
        let input = try FixtureFiles.bytes("ollama-chat", "input.ndjson")
        let expected = try FixtureFiles.bytes("ollama-chat", "expected.sse")
        let io = FaultyIO(stdin: input, plan: plan)
        io.silentPolls = true
        let status = runTool(["-f", "ndjson", "-t", "sse", "--heartbeat", "15"], io, readSize: 50)
        #expect(status == .success && io.stderr.isEmpty)
        #expect(io.timeouts > 10)
        // Heartbeats are lines of exactly ":" at the start of a block (after a blank line or at
        // the start); without them the output is exactly the expected one.
        let text = String(decoding: io.stdout, as: UTF8.self)
        let lines = text.components(separatedBy: "\n")
        let heartbeats = lines.filter { $0 == ":" }.count
        #expect(heartbeats == io.timeouts, "one heartbeat per silent wait")
        #expect(lines.filter { $0 != ":" }.joined(separator: "\n") == String(decoding: expected, as: UTF8.self))
        #expect(!text.contains("\n\n:\n\n") && !text.hasPrefix(":\n\n"), "no heartbeat is followed by a blank line")
    }
}
