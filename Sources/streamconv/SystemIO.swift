// Every system call of the CLI goes through this one seam, so tests can inject EINTR, short
// writes, EAGAIN and EPIPE (as swift-system's `read(into:retryOnInterrupt:)` and `writeAll`).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The raw system calls the CLI makes. Each returns what the C call returns; on failure the
/// error number is in `lastError`.
protocol SystemCalls {
    mutating func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int
    mutating func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int
    mutating func poll(_ fds: UnsafeMutablePointer<pollfd>, _ count: Int, _ timeoutMilliseconds: Int32) -> Int32
    mutating func open(_ path: String) -> Int32
    mutating func close(_ fd: Int32)
    var lastError: Int32 { get }
    /// Opens `path` for appending (created with mode 0666 less the umask) (`--rejects`).
    mutating func openForAppend(_ path: String) -> Int32
    /// isatty(3): `--progress` draws only on a terminal.
    func isTerminal(_ fd: Int32) -> Bool
    /// A monotonic clock in nanoseconds (`--stats`, `--progress`).
    func monotonicNanoseconds() -> UInt64
    /// Grows the pipe `fd` is an end of to `pipeCapacity` bytes, when it is a pipe and smaller
    /// (Linux's F_SETPIPE_SZ; nothing elsewhere, or when the system refuses).
    mutating func enlargePipe(_ fd: Int32)
}

/// The kernel buffer the CLI asks for its pipes: 1 MiB, the most an unprivileged process may set
/// by default (/proc/sys/fs/pipe-max-size). With the default 64 KiB, a writer ahead of us blocked
/// whenever we were busy with one large record, and each 64 KiB cost both sides a wake-up: with
/// 1 MiB both pipes of `cat FILE | streamconv | cat` the CLI moves 0.9 to 2 x the bytes per second
/// (Docs/Performance.md). It is kernel memory, used only as data waits in it, not the CLI's.
let pipeCapacity: Int32 = 1 << 20

extension SystemCalls {
    // The defaults for a fake: nothing is a terminal, the real clock, no file to append to.
    mutating func openForAppend(_ path: String) -> Int32 { -1 }
    func isTerminal(_ fd: Int32) -> Bool { false }
    func monotonicNanoseconds() -> UInt64 { liveMonotonicNanoseconds() }
    mutating func enlargePipe(_ fd: Int32) {}
}

/// The real system calls.
struct LiveSystemCalls: SystemCalls {
    func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int { systemRead(fd, buffer.baseAddress, buffer.count) }
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int { systemWrite(fd, bytes.baseAddress, bytes.count) }
    func poll(_ fds: UnsafeMutablePointer<pollfd>, _ count: Int, _ timeoutMilliseconds: Int32) -> Int32 {
        systemPoll(fds, nfds_t(count), timeoutMilliseconds)
    }
    func open(_ path: String) -> Int32 { systemOpen(path, O_RDONLY, 0) }
    func close(_ fd: Int32) { _ = systemClose(fd) }
    var lastError: Int32 { errno }
    func openForAppend(_ path: String) -> Int32 { systemOpen(path, O_WRONLY | O_APPEND | O_CREAT, 0o666) }
    func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
    func monotonicNanoseconds() -> UInt64 { liveMonotonicNanoseconds() }
    func enlargePipe(_ fd: Int32) {
        #if os(Linux)
            var status = stat()
            guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFIFO else { return }
            // F_GETPIPE_SZ and F_SETPIPE_SZ (Linux 2.6.35), not exported by the Glibc module.
            let getPipeSize: Int32 = 1032
            let setPipeSize: Int32 = 1031
            guard fcntl(fd, getPipeSize) < pipeCapacity else { return }
            _ = fcntl(fd, setPipeSize, pipeCapacity)
        #endif
    }
}

func liveMonotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

// The C functions under names that do not collide with the methods above.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, bytes, count) }
private func systemPoll(_ fds: UnsafeMutablePointer<pollfd>, _ count: nfds_t, _ timeout: Int32) -> Int32 { poll(fds, count, timeout) }
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }

/// Why an I/O operation failed.
enum IOFailure: Error {
    /// The reader of the output went away (EPIPE): stop quietly.
    case outputClosed
    /// Reading an input failed (a directory, an I/O error): what and why. The other inputs
    /// are still converted.
    case inputFailed(String)
    /// Any other failure: what failed and the system's reason.
    case failed(String)
}

func systemMessage(_ code: Int32) -> String { String(cString: strerror(code)) }

/// Reads and writes through a ``SystemCalls``, handling EINTR, short writes and descriptors
/// left non-blocking by a parent (EAGAIN: wait with poll(2), never spin).
struct IOChannel<Calls: SystemCalls> {
    var calls: Calls

    /// Reads at most `buffer.count` bytes; 0 means end of input.
    mutating func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, name: String) throws(IOFailure) -> Int {
        while true {
            let n = calls.read(fd, buffer)
            if n >= 0 { return n }
            let code = calls.lastError
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                try wait(fd, for: Int16(POLLIN))
                continue
            }
            throw .inputFailed("cannot read \(name): \(systemMessage(code))")
        }
    }

    /// Writes all of `bytes`, looping over short writes.
    mutating func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(IOFailure) {
        var offset = 0
        while offset < bytes.count {
            let n = calls.write(fd, UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            if n > 0 {
                offset += n
                continue
            }
            if n == 0 { continue }
            let code = calls.lastError
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                try wait(fd, for: Int16(POLLOUT))
                continue
            }
            if code == EPIPE { throw .outputClosed }
            throw .failed("cannot write the output: \(systemMessage(code))")
        }
    }

    enum Wait { case inputReady, outputClosed, timedOut }

    /// Waits until `input` is readable, at most `timeoutMilliseconds` (-1: no limit). Reports
    /// `.outputClosed` when `output` was closed by its reader meanwhile (a pipe whose reader
    /// exited reports POLLERR), so the run can end at once.
    mutating func waitForInput(_ input: Int32, output: Int32, timeoutMilliseconds: Int32 = -1) throws(IOFailure) -> Wait {
        // On the stack: this runs before every read.
        var fds = (pollfd(fd: input, events: Int16(POLLIN), revents: 0), pollfd(fd: output, events: 0, revents: 0))
        var ready: Int32 = 0
        while true {
            ready = withUnsafeMutableBytes(of: &fds) {
                calls.poll($0.baseAddress!.assumingMemoryBound(to: pollfd.self), 2, timeoutMilliseconds)
            }
            if ready >= 0 { break }
            let code = calls.lastError
            if code == EINTR { continue }
            throw .failed("cannot wait for input: \(systemMessage(code))")
        }
        if fds.1.revents & Int16(POLLERR) != 0 { return .outputClosed }
        return ready == 0 ? .timedOut : .inputReady
    }

    private mutating func wait(_ fd: Int32, for events: Int16) throws(IOFailure) {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while calls.poll(&entry, 1, -1) < 0 {
            let code = calls.lastError
            if code != EINTR { throw .failed("poll failed: \(systemMessage(code))") }
        }
    }
}
