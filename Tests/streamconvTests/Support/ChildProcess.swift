// A child process on real pipes, started with posix_spawn and reaped with wait4, for the
// end-to-end tests. Every wait has a deadline, so a hanging child fails a test instead of
// blocking the whole run.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A failure of the test harness itself (not of the program under test).
struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
    static func system(_ what: String, _ code: Int32 = errno) -> HarnessError {
        HarnessError("\(what): \(String(cString: strerror(code)))")
    }
}

/// How a child process ended.
enum Termination: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Decodes a wait status (the WIFEXITED / WEXITSTATUS / WTERMSIG macros).
    init(waitStatus status: Int32) {
        if status & 0x7f == 0 { self = .exited((status >> 8) & 0xff) } else { self = .signaled(status & 0x7f) }
    }

    var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }
}

/// The test process must survive writing into a pipe whose reader exited (EPIPE instead of
/// SIGPIPE). Children get SIGPIPE back to its default (see `ChildProcess.init`), as from a shell.
/// Serialises making pipes and spawning (see `ChildProcess.init`).
private let spawnLock = NSLock()

private let ignoreSIGPIPEInTestProcess: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

/// Milliseconds left until `deadline`, for poll(2) (0 when past).
func pollTimeout(until deadline: ContinuousClock.Instant) -> Int32 {
    let left = deadline - ContinuousClock.now
    if left <= .zero { return 0 }
    let (seconds, attoseconds) = left.components
    return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
}

/// A running child with its standard input, output and error connected to pipes held here.
///
/// Not thread-safe, except that another thread may write to `stdinFD` while this one reads
/// (see ``InputFeeder``); the owner closes `stdinFD` only after that thread finished.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    /// The write end of the child's standard input (-1 once closed).
    private(set) var stdinFD: Int32
    /// The read end of the child's standard output (-1 once closed).
    private(set) var stdoutFD: Int32
    /// The read end of the child's standard error (-1 once closed).
    private(set) var stderrFD: Int32
    /// Set once the child was reaped.
    private(set) var termination: Termination?
    /// The child's resource usage from wait4 (valid once reaped).
    private(set) var resourceUsage = rusage()
    /// Bytes of standard error read so far (collected by every read loop).
    private(set) var stderrBytes: [UInt8] = []
    /// Standard output read but not yet returned.
    private var pendingStdout: [UInt8] = []
    let startedAt = ContinuousClock.now

    /// How the child's standard streams are set up, beyond plain blocking pipes.
    struct Options: Sendable {
        /// The child's standard input is O_NONBLOCK (as a parent might leave it).
        var nonBlockingStdin = false
        /// The child's standard output is O_NONBLOCK.
        var nonBlockingStdout = false
        /// Standard output goes to this file (opened for writing) instead of a pipe.
        var stdoutPath: String?
        init(nonBlockingStdin: Bool = false, nonBlockingStdout: Bool = false, stdoutPath: String? = nil) {
            self.nonBlockingStdin = nonBlockingStdin
            self.nonBlockingStdout = nonBlockingStdout
            self.stdoutPath = stdoutPath
        }
    }

    /// Starts `path` with `arguments` (argv[1...]) and the test's environment.
    init(path: String, arguments: [String], options: Options = Options()) throws {
        _ = ignoreSIGPIPEInTestProcess
        // Tests run in parallel, and a pipe end leaking into another child would keep that
        // pipe open (no EOF, no EPIPE) for as long as that other child runs: every pipe is
        // close-on-exec, made and spawned under one lock (pipe2 is not visible from Swift).
        spawnLock.lock()
        defer { spawnLock.unlock() }
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        for index in 0..<3 {
            let made =
                switch index {
                case 0: pipe(&input)
                case 1: pipe(&output)
                default: pipe(&errors)
                }
            guard made == 0 else { throw HarnessError.system("pipe") }
        }
        for fd in input + output + errors { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        if let stdoutPath = options.stdoutPath {
            posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY, 0)
        } else {
            posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        }
        // O_NONBLOCK belongs to the open file description, which the child's descriptor shares.
        if options.nonBlockingStdin { _ = fcntl(input[0], F_SETFL, fcntl(input[0], F_GETFL) | O_NONBLOCK) }
        if options.nonBlockingStdout { _ = fcntl(output[1], F_SETFL, fcntl(output[1], F_GETFL) | O_NONBLOCK) }
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid: pid_t = 0
        let rc = argv.withUnsafeBufferPointer { args in
            posix_spawn(&pid, path, &actions, &attributes, args.baseAddress!, environ)
        }
        for fd in [input[0], output[1], errors[1]] { close(fd) }
        guard rc == 0 else {
            for fd in [input[1], output[0], errors[0]] { close(fd) }
            throw HarnessError.system("posix_spawn \(path)", rc)
        }
        self.pid = pid
        stdinFD = input[1]
        stdoutFD = output[0]
        stderrFD = errors[0]
        // With stdout sent to a file, nobody writes the output pipe: it reads as ended.
    }

    deinit {
        for fd in [stdinFD, stdoutFD, stderrFD] where fd >= 0 { close(fd) }
        if termination == nil {
            Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
    }

    // MARK: - Standard input

    /// Writes all of `bytes` to the child's standard input (blocking).
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(stdinFD, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw HarnessError.system("writing the child's standard input")
                }
                offset += n
            }
        }
    }

    func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Closes the child's standard input: it sees end of input.
    func closeStdin() {
        if stdinFD >= 0 {
            close(stdinFD)
            stdinFD = -1
        }
    }

    /// Closes the read end of the child's standard output, as `head` does when it has enough.
    func closeStdout() {
        if stdoutFD >= 0 {
            close(stdoutFD)
            stdoutFD = -1
        }
    }

    // MARK: - Standard output and error

    /// Reads standard output until `isEnough` holds for what this call read, end of output,
    /// or `timeout`; also collects standard error meanwhile. Returns everything read.
    func readStdout(timeout: Duration, until isEnough: ([UInt8]) -> Bool) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        var got = pendingStdout
        pendingStdout = []
        while !isEnough(got) && stdoutFD >= 0 {
            guard let chunk = readStep(deadline: deadline) else { break }
            got += chunk
        }
        return got
    }

    /// Reads exactly `count` bytes of standard output, or fewer at end of output / `timeout`.
    func readStdout(count: Int, timeout: Duration) -> [UInt8] {
        var got = readStdout(timeout: timeout) { $0.count >= count }
        if got.count > count {
            pendingStdout = Array(got[count...])
            got.removeSubrange(count...)
        }
        return got
    }

    /// Reads at most `maximum` bytes of standard output with one read(2) once it is readable
    /// (empty at end of output or after `timeout`). Leaves standard error alone.
    func readSome(maximum: Int, timeout: Duration) -> [UInt8] {
        if !pendingStdout.isEmpty {
            let n = min(maximum, pendingStdout.count)
            defer { pendingStdout.removeFirst(n) }
            return Array(pendingStdout[..<n])
        }
        guard stdoutFD >= 0 else { return [] }
        var entry = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, pollTimeout(until: ContinuousClock.now + timeout)) > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: maximum)
        let n = buffer.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
        if n <= 0 {
            if n == 0 { closeStdout() }
            return []
        }
        return Array(buffer[..<n])
    }

    /// Reads standard output and error to their end, or until `timeout`. Returns the output
    /// and whether both ended.
    func readToEnd(timeout: Duration) -> (stdout: [UInt8], complete: Bool) {
        let deadline = ContinuousClock.now + timeout
        var got = pendingStdout
        pendingStdout = []
        while stdoutFD >= 0 || stderrFD >= 0 {
            guard let chunk = readStep(deadline: deadline) else { return (got, false) }
            got += chunk
        }
        return (got, true)
    }

    /// Reads standard output in chunks, handing each to `body` without keeping it, until end
    /// of output, `body` returns false, `deadline`, or `idleTimeout` without any output.
    /// Returns false on either timeout.
    func streamStdout(
        deadline: ContinuousClock.Instant, idleTimeout: Duration,
        _ body: (UnsafeRawBufferPointer) -> Bool
    ) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while stdoutFD >= 0 {
            var fds = [
                pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0),
            ]
            let until = min(deadline, ContinuousClock.now + idleTimeout)
            let ready = poll(&fds, stderrFD >= 0 ? 2 : 1, pollTimeout(until: until))
            if ready < 0 {
                if errno == EINTR { continue }
                return false
            }
            if ready == 0 { return false }
            if fds[1].revents != 0 { drainStderrOnce() }
            if fds[0].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    closeStdout()
                    break
                }
                if n == 0 {
                    closeStdout()
                    break
                }
                let more = buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
                if !more { return true }
            }
        }
        return true
    }

    /// One poll over the open output pipes: returns the standard-output bytes read (maybe
    /// none), or nil on timeout.
    func readStep(deadline: ContinuousClock.Instant) -> [UInt8]? {
        var fds: [pollfd] = []
        if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
        if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
        if fds.isEmpty { return [] }
        let ready = poll(&fds, nfds_t(fds.count), pollTimeout(until: deadline))
        if ready < 0 { return errno == EINTR ? [] : nil }
        if ready == 0 { return nil }
        var out: [UInt8] = []
        for entry in fds where entry.revents != 0 {
            if entry.fd == stderrFD {
                drainStderrOnce()
            } else {
                var buffer = [UInt8](repeating: 0, count: 64 * 1024)
                let n = buffer.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
                if n > 0 { out += buffer[..<n] } else if n == 0 || errno != EINTR { closeStdout() }
            }
        }
        return out
    }

    private func drainStderrOnce() {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let n = buffer.withUnsafeMutableBytes { read(stderrFD, $0.baseAddress, $0.count) }
        if n > 0 {
            stderrBytes += buffer[..<n]
        } else if n == 0 || errno != EINTR {
            close(stderrFD)
            stderrFD = -1
        }
    }

    /// Reads what is left of standard error (after the child ended), up to `timeout`.
    func readStderrToEnd(timeout: Duration) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while stderrFD >= 0 {
            var entry = pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, pollTimeout(until: deadline))
            if ready == 0 { break }
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            drainStderrOnce()
        }
        return stderrBytes
    }

    // MARK: - Ending

    /// Waits for the child to end, up to `timeout`; nil if it is still running. Standard
    /// error is collected meanwhile so a chatty child cannot block on a full pipe.
    @discardableResult
    func wait(timeout: Duration) -> Termination? {
        if let termination { return termination }
        let deadline = ContinuousClock.now + timeout
        while true {
            var status: Int32 = 0
            var usage = rusage()
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid {
                termination = Termination(waitStatus: status)
                resourceUsage = usage
                return termination
            }
            if r < 0 && errno != EINTR { return nil }
            if ContinuousClock.now >= deadline { return nil }
            if stderrFD >= 0 {
                var entry = pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)
                if poll(&entry, 1, 5) > 0 { drainStderrOnce() }
            } else {
                usleep(2_000)
            }
        }
    }

    /// Kills the child (SIGKILL) and reaps it.
    func kill() {
        if termination != nil { return }
        Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        termination = Termination(waitStatus: status)
        resourceUsage = usage
    }

    /// The child's peak resident set size in KiB so far (VmHWM of /proc/<pid>/status), or
    /// nil once it is gone.
    ///
    /// Not `wait4`'s `ru_maxrss`: on Linux, exec(2) folds the RSS high-water mark of the
    /// address space it replaces into `ru_maxrss`, and posix_spawn (vfork-like, CLONE_VM)
    /// replaces the *test process's* address space, so a spawned child's `ru_maxrss` is at
    /// least the test process's own peak RSS. VmHWM belongs to the child's new address space.
    func peakResidentKiB() -> Int? {
        let fd = open("/proc/\(pid)/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            text += buffer[..<n]
        }
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst("VmHWM:".count).filter(\.isNumber))
        }
        return nil
    }
}
