// Runs the built `streamconv` binary on input generated on the fly (gigabytes need no memory
// here), while measuring it: wall time, bytes fed before it stopped reading, and its peak
// resident memory, VmHWM from /proc/<pid>/status polled while it runs. (ru_maxrss from wait4 is
// not used: a child made by posix_spawn/vfork of a big test process can inherit the parent's
// resident size in it.)
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An input described by its parts, produced chunk by chunk as the child reads it.
struct GeneratedInput: Sendable {
    enum Part: Sendable {
        case bytes([UInt8])
        /// `unit` repeated `times` times.
        case repeated([UInt8], times: Int)
    }
    var parts: [Part]

    init(_ parts: [Part]) { self.parts = parts }
    init(_ bytes: [UInt8]) { parts = [.bytes(bytes)] }
    init(_ text: String) { parts = [.bytes(Array(text.utf8))] }

    static func + (a: GeneratedInput, b: GeneratedInput) -> GeneratedInput { GeneratedInput(a.parts + b.parts) }

    var count: Int {
        parts.reduce(0) { total, part in
            switch part {
            case .bytes(let b): return total + b.count
            case .repeated(let unit, let times): return total + unit.count * times
            }
        }
    }
}

/// What one measured run did.
struct MeasuredResult: CustomStringConvertible {
    /// The exit status, or nil when killed by a signal (see `signal`).
    var status: Int32?
    var signal: Int32?
    var timedOut = false
    var seconds: Double = 0
    /// Peak resident memory (VmHWM) in KiB, the last sample before the process ended.
    var peakKiB = 0
    var samples = 0
    var bytesFed = 0
    var stdoutCount = 0
    /// The first `keepStdout` bytes of stdout.
    var stdout: [UInt8] = []
    /// FNV-1a of the whole stdout.
    var stdoutHash: UInt64 = 0xCBF2_9CE4_8422_2325
    var stdoutLines = 0
    var stderr: [UInt8] = []
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    var peakMiB: Double { Double(peakKiB) / 1024 }

    var description: String {
        "status \(status.map(String.init) ?? "-")\(signal.map { " signal \($0)" } ?? "")\(timedOut ? " TIMED OUT" : ""), "
            + String(format: "%.2f s, peak %.1f MiB (%d samples), ", seconds, peakMiB, samples)
            + "fed \(bytesFed) bytes, stdout \(stdoutCount) bytes / \(stdoutLines) lines, stderr \(stderrText.prefix(300).debugDescription)"
    }
}

func fnv1aHash(_ bytes: some Sequence<UInt8>, _ start: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
    var h = start
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return h
}

enum MeasuredRun {
    /// The streamconv binary next to the test bundle (or $STREAMCONV_BIN).
    static func executable() throws -> String {
        if let path = ProcessInfo.processInfo.environment["STREAMCONV_BIN"], !path.isEmpty { return path }
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("streamconv").path)
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent("streamconv").path)
        }
        candidates.append(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug/streamconv").path)
        for path in candidates where access(path, X_OK) == 0 { return path }
        throw MeasuredRunError("cannot find the streamconv binary (tried \(candidates)); build it or set STREAMCONV_BIN")
    }

    /// Runs `streamconv arguments` with `input` on stdin.
    ///
    /// - Parameters:
    ///   - pauses: input offsets where feeding stops until the child has read everything written
    ///     so far (FIONREAD on the pipe is 0), so a read(2) of the child ends exactly there.
    ///   - keepStdout: how many bytes of stdout to keep (all are counted and hashed).
    ///   - timeout: the child is killed after this long (the result says `timedOut`).
    static func run(
        _ arguments: [String], input: GeneratedInput, pauses: [Int] = [], keepStdout: Int = 1 << 20,
        timeout: Double = 20
    ) throws -> MeasuredResult {
        _ = ignoreSIGPIPE
        let path = try executable()
        // Pipes are made close-on-exec and spawned under one lock, so a child spawned by another
        // test at the same time cannot inherit them (Glibc does not export pipe2 to Swift).
        spawnLock.lock()
        var locked = true
        defer { if locked { spawnLock.unlock() } }
        var inPipe: [Int32] = [0, 0]
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw MeasuredRunError("pipe: \(String(cString: strerror(errno)))")
        }
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let started = ContinuousClock.now
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        spawnLock.unlock()
        locked = false
        guard spawned == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw MeasuredRunError("posix_spawn \(path): \(String(cString: strerror(spawned)))")
        }
        for fd in [inPipe[1], outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }

        var result = MeasuredResult()
        var stdinFD: Int32 = inPipe[1]
        var stdoutFD: Int32 = outPipe[0]
        var stderrFD: Int32 = errPipe[0]
        var pending: ArraySlice<UInt8> = []
        var pauseQueue = pauses.sorted()[...]
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        let deadline = started + .milliseconds(Int(timeout * 1000))

        // The input is made one chunk at a time, as the pipe takes it.
        var iterator = ChunkIterator(input)

        // VmHWM is sampled every half millisecond on its own thread while the child runs (it only
        // grows, so the last sample before the exit is the peak, give or take half a millisecond).
        let sampler = MemorySampler(pid: pid)
        sampler.start()

        var exited = false
        var waitStatus: Int32 = 0
        while true {
            if stdinFD >= 0 && pending.isEmpty {
                if let chunk = iterator.next() {
                    pending = chunk[...]
                } else {
                    close(stdinFD)
                    stdinFD = -1
                }
            }
            // A pause: wait until the child has read everything written so far.
            var paused = false
            if stdinFD >= 0, let pause = pauseQueue.first, result.bytesFed >= pause {
                var unread: Int32 = 0
                if ioctl(stdinFD, UInt(FIONREAD), &unread) == 0 && unread > 0 { paused = true } else { pauseQueue.removeFirst() }
            }
            var fds: [pollfd] = []
            if stdinFD >= 0 && !paused { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            if fds.isEmpty {
                // Both outputs ended: wait for the exit, still sampling.
                let r = waitpid(pid, &waitStatus, WNOHANG)
                if r == pid {
                    exited = true
                    break
                }
                if ContinuousClock.now > deadline { break }
                usleep(1000)
                continue
            }
            _ = poll(&fds, nfds_t(fds.count), paused ? 1 : 5)
            for fd in fds where fd.revents != 0 {
                if fd.fd == stdinFD {
                    var limit = pending.count
                    if let pause = pauseQueue.first, result.bytesFed < pause { limit = min(limit, pause - result.bytesFed) }
                    let n = pending.withUnsafeBytes { write(stdinFD, $0.baseAddress, limit) }
                    if n > 0 {
                        result.bytesFed += n
                        pending = pending.dropFirst(n)
                    } else if n < 0 && errno != EAGAIN && errno != EINTR {
                        // EPIPE: the child stopped reading (it exited): stop feeding.
                        close(stdinFD)
                        stdinFD = -1
                        pending = []
                    }
                } else if fd.fd == stdoutFD {
                    let n = buffer.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
                    if n > 0 {
                        let chunk = buffer[0..<n]
                        result.stdoutCount += n
                        result.stdoutHash = fnv1aHash(chunk, result.stdoutHash)
                        result.stdoutLines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                        if result.stdout.count < keepStdout { result.stdout += chunk.prefix(keepStdout - result.stdout.count) }
                    } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                        close(stdoutFD)
                        stdoutFD = -1
                    }
                } else if fd.fd == stderrFD {
                    let n = buffer.withUnsafeMutableBytes { read(stderrFD, $0.baseAddress, $0.count) }
                    if n > 0 {
                        if result.stderr.count < (1 << 20) { result.stderr += buffer[0..<n] }
                    } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                        close(stderrFD)
                        stderrFD = -1
                    }
                }
            }
            if ContinuousClock.now > deadline { break }
        }
        sampler.stop()
        (result.peakKiB, result.samples) = sampler.result
        if !exited {
            result.timedOut = true
            kill(pid, SIGKILL)
            while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
        }
        for fd in [stdinFD, stdoutFD, stderrFD] where fd >= 0 { close(fd) }
        let elapsed = ContinuousClock.now - started
        result.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        if waitStatus & 0x7f == 0 { result.status = (waitStatus >> 8) & 0xff } else { result.signal = waitStatus & 0x7f }
        return result
    }

    private static let spawnLock = NSLock()
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// VmHWM of `pid` in KiB, or nil (the process has ended).
    static func peakKiB(_ pid: pid_t) -> Int? {
        let fd = open("/proc/\(pid)/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 8192)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        let text = String(decoding: bytes[0..<n], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.dropFirst(6).filter(\.isNumber))
    }
}

/// Samples the VmHWM of a process on a thread of its own.
final class MemorySampler: @unchecked Sendable {
    private let pid: pid_t
    private let lock = NSLock()
    private var peak = 0
    private var samples = 0
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)

    init(pid: pid_t) { self.pid = pid }

    func start() {
        let thread = Thread { [self] in
            while true {
                let kib = MeasuredRun.peakKiB(pid)
                lock.lock()
                if let kib {
                    peak = max(peak, kib)
                    samples += 1
                }
                let stop = stopped
                lock.unlock()
                if stop { break }
                usleep(500)
            }
            done.signal()
        }
        thread.start()
    }

    /// Stops sampling (one last sample is taken) and waits for the thread.
    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        done.wait()
    }

    var result: (peakKiB: Int, samples: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (peak, samples)
    }
}

/// Produces the chunks of a GeneratedInput one at a time.
struct ChunkIterator {
    private var parts: [GeneratedInput.Part]
    private var partIndex = 0
    private var offset = 0 // bytes of .bytes, or units of .repeated, done in the current part
    private var block: [UInt8] = [] // a run of repeated units, made once per part

    init(_ input: GeneratedInput) { parts = input.parts }

    mutating func next() -> [UInt8]? {
        while partIndex < parts.count {
            switch parts[partIndex] {
            case .bytes(let bytes):
                if offset < bytes.count {
                    let end = min(offset + (1 << 20), bytes.count)
                    defer { offset = end }
                    return Array(bytes[offset..<end])
                }
            case .repeated(let unit, let times):
                if !unit.isEmpty && offset < times {
                    let perChunk = max(1, (1 << 20) / unit.count)
                    if block.isEmpty {
                        block.reserveCapacity(perChunk * unit.count)
                        for _ in 0..<min(perChunk, times) { block += unit }
                    }
                    let n = min(perChunk, times - offset)
                    offset += n
                    return n * unit.count == block.count ? block : Array(block[0..<n * unit.count])
                }
            }
            partIndex += 1
            offset = 0
            block = []
        }
        return nil
    }
}

struct MeasuredRunError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
