// Spawning pipelines of processes with posix_spawn, timing them and reading their peak RSS.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct ProcessResult {
    var wallSeconds: Double
    /// Peak resident set of the sampled process, in KiB: its VmHWM (the high-water mark of its
    /// own address space) read from /proc every millisecond until it exits. (ru_maxrss cannot
    /// be used: a child started by posix_spawn inherits its parent's high-water mark.)
    var peakKiB: Int
    var statuses: [Int32]
}

/// VmHWM of a running process in KiB, or nil once it is gone.
func highWaterMark(_ pid: pid_t) -> Int? {
    let fd = open("/proc/\(pid)/status", O_RDONLY)
    if fd < 0 { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let n = read(fd, &buffer, buffer.count)
    guard n > 0 else { return nil }
    let text = String(decoding: buffer[0..<n], as: UTF8.self)
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
    return Int(line.dropFirst(6).filter { $0.isNumber })
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Runs `commands` as a pipeline: stdin of the first from `input` (a path), stdout of the last
/// to `output` (a path), each stdout into the next one's stdin; the stderr of all of them to
/// `errors` (a path) when given, else this program's.
func runPipeline(
    _ commands: [[String]], input: String, output: String = "/dev/null", errors: String? = nil, sample: Int? = nil
) -> ProcessResult {
    var pids: [pid_t] = []
    var previousRead: Int32 = open(input, O_RDONLY)
    precondition(previousRead >= 0, "cannot open \(input)")
    let errorFD = errors.map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) } ?? -1
    defer { if errorFD >= 0 { close(errorFD) } }
    let start = monotonicSeconds()
    for (index, argv) in commands.enumerated() {
        var fds: [Int32] = [0, 0]
        let isLast = index == commands.count - 1
        var outFD: Int32
        if isLast {
            outFD = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            precondition(pipe(&fds) == 0)
            outFD = fds[1]
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, previousRead, 0)
        posix_spawn_file_actions_adddup2(&actions, outFD, 1)
        if errorFD >= 0 { posix_spawn_file_actions_adddup2(&actions, errorFD, 2) }
        if !isLast { posix_spawn_file_actions_addclose(&actions, fds[0]) }
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        let rc = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ)
        precondition(rc == 0, "cannot start \(argv[0])")
        for p in cArgs { free(p) }
        posix_spawn_file_actions_destroy(&actions)
        close(previousRead)
        close(outFD)
        if !isLast { previousRead = fds[0] }
        pids.append(pid)
    }
    var peak = 0
    var statuses = [Int32](repeating: 0, count: pids.count)
    if let sample {
        while waitpid(pids[sample], &statuses[sample], WNOHANG) == 0 {
            if let hwm = highWaterMark(pids[sample]) { peak = max(peak, hwm) }
            usleep(1000)
        }
    }
    for (i, pid) in pids.enumerated() where i != sample {
        _ = waitpid(pid, &statuses[i], 0)
    }
    return ProcessResult(wallSeconds: monotonicSeconds() - start, peakKiB: peak, statuses: statuses)
}

/// The bytes of the file at `path`, or nil when it cannot be opened.
func readWholeFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

/// The offset of the first byte where the files at `a` and `b` differ (the length of the
/// shorter one when it is a prefix of the other), or nil when their contents are the same.
func firstDifference(_ a: String, _ b: String) -> Int? {
    let fdA = open(a, O_RDONLY)
    let fdB = open(b, O_RDONLY)
    defer {
        if fdA >= 0 { close(fdA) }
        if fdB >= 0 { close(fdB) }
    }
    guard fdA >= 0, fdB >= 0 else { return 0 }
    /// Fills `buffer` from `fd` as far as the file allows; returns the count read.
    func fill(_ fd: Int32, _ buffer: inout [UInt8]) -> Int {
        var got = 0
        while got < buffer.count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            got += n
        }
        return got
    }
    var bufferA = [UInt8](repeating: 0, count: 1 << 20)
    var bufferB = bufferA
    var offset = 0
    while true {
        let countA = fill(fdA, &bufferA)
        let countB = fill(fdB, &bufferB)
        for i in 0..<min(countA, countB) where bufferA[i] != bufferB[i] { return offset + i }
        if countA != countB { return offset + min(countA, countB) }
        if countA == 0 { return nil }
        offset += countA
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// The directory of this executable (where `swift build` also put `streamconv`).
func executableDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else { return "." }
    let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
}

/// Writes the file at `path` to standard output one record per `write(2)`, as a server streams
/// its responses: an SSE event (up to and including its blank line) per write when `events` is
/// set, one line per write otherwise. The benchmark's producer for "as a server streams it".
func replay(_ path: String, events: Bool) -> Never {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { fatalError("cannot open \(path)") }
    var st = stat()
    fstat(fd, &st)
    var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
    var got = 0
    while got < bytes.count {
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
        guard n > 0 else { break }
        got += n
    }
    close(fd)
    bytes.withUnsafeBytes { raw in
        let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var start = 0
        var i = 0
        while start < got {
            // The end of the record: after the next LF (lines), or after the next LF LF (events).
            var end = got
            while i < got {
                if p[i] == 0x0A && (!events || (i + 1 < got && p[i + 1] == 0x0A)) {
                    end = i + (events ? 2 : 1)
                    break
                }
                i += 1
            }
            var k = start
            while k < end {
                let w = write(1, p + k, end - k)
                if w <= 0 { exit(1) }
                k += w
            }
            start = end
            i = end
        }
    }
    exit(0)
}
