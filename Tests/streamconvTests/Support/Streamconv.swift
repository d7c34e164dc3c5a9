// Running the built `streamconv` binary: where it is, and a one-shot runner (arguments and
// standard input in; standard output, standard error and exit status out; with a timeout).
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Bytes compared exactly, shown escaped (`data: x\n\n`) when a test fails.
struct Bytes: Equatable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    var bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(_ text: String) { bytes = Array(text.utf8) }
    init(stringLiteral text: String) { self.init(text) }

    var text: String { String(decoding: bytes, as: UTF8.self) }
    var isEmpty: Bool { bytes.isEmpty }

    var description: String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return "bytes[" + bytes.map { String($0, radix: 16) }.joined(separator: " ") + "]"
        }
        return "\""
            + text.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "\n": "\\n"
                case "\r": "\\r"
                case "\t": "\\t"
                case "\"": "\\\""
                case "\\": "\\\\"
                default:
                    scalar.value < 0x20 || scalar.value == 0x7f || scalar.value == 0xFEFF
                        ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
                }
            }.joined() + "\""
    }
}

/// What one run of `streamconv` did.
struct RunResult: Sendable, CustomStringConvertible {
    var stdout: Bytes
    var stderr: Bytes
    /// How it ended; nil if it was still running at the timeout (it was then killed).
    var termination: Termination?
    var timedOut: Bool { termination == nil }
    var elapsed: Duration

    /// `stderr` as text.
    var errors: String { stderr.text }
    /// The lines of standard error, without their line ends.
    var errorLines: [String] { errors.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }

    var description: String {
        "\(termination.map(\.description) ?? "TIMED OUT") after \(elapsed)\nstdout: \(stdout)\nstderr: \(stderr)"
    }
}

enum Streamconv {
    /// The `streamconv` executable: `$STREAMCONV_BIN`, else the one next to the running test
    /// binary (`.build/<triple>/debug/`), else `<package>/.build/debug/streamconv`.
    static func executable() throws -> String {
        try located.get()
    }

    private static let located: Result<String, HarnessError> = {
        if let override = ProcessInfo.processInfo.environment["STREAMCONV_BIN"], !override.isEmpty {
            return access(override, X_OK) == 0
                ? .success(override)
                : .failure(HarnessError("STREAMCONV_BIN=\(override) is not an executable file"))
        }
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("streamconv").path)
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent("streamconv").path)
        }
        candidates.append(PackagePaths.root.appendingPathComponent(".build/debug/streamconv").path)
        for candidate in candidates where access(candidate, X_OK) == 0 {
            return .success(candidate)
        }
        return .failure(HarnessError("cannot find the streamconv binary (tried \(candidates)); build it or set STREAMCONV_BIN"))
    }()

    /// Starts `streamconv` with `arguments`, its standard streams on pipes held by the caller.
    static func start(_ arguments: [String], options: ChildProcess.Options = .init()) throws -> ChildProcess {
        try ChildProcess(path: executable(), arguments: arguments, options: options)
    }

    /// Runs `streamconv arguments` with `stdin` as its whole standard input, and collects
    /// everything it writes. A run longer than `timeout` is killed and reported as timed out.
    ///
    /// Input is written as the child reads it (interleaved with reading its output), so a
    /// large input cannot deadlock against a full output pipe. If the child exits before
    /// reading all of it, the rest is dropped (EPIPE), as in a shell pipeline.
    static func run(
        _ arguments: [String], stdin: [UInt8] = [], timeout: Duration = .seconds(20),
        options: ChildProcess.Options = .init()
    ) throws -> RunResult {
        let child = try start(arguments, options: options)
        let deadline = ContinuousClock.now + timeout
        var input = stdin[...]
        if input.isEmpty { child.closeStdin() } else { _ = fcntl(child.stdinFD, F_SETFL, fcntl(child.stdinFD, F_GETFL) | O_NONBLOCK) }
        var stdout: [UInt8] = []
        while ContinuousClock.now < deadline {
            if child.stdinFD >= 0 {
                // Wait for room in the input pipe or for output, whichever comes first.
                var fds = [pollfd(fd: child.stdinFD, events: Int16(POLLOUT), revents: 0)]
                if child.stdoutFD >= 0 { fds.append(pollfd(fd: child.stdoutFD, events: Int16(POLLIN), revents: 0)) }
                if child.stderrFD >= 0 { fds.append(pollfd(fd: child.stderrFD, events: Int16(POLLIN), revents: 0)) }
                let ready = poll(&fds, nfds_t(fds.count), pollTimeout(until: deadline))
                if ready <= 0 { continue }
                if fds[0].revents != 0 {
                    let n = input.withUnsafeBytes { write(child.stdinFD, $0.baseAddress, $0.count) }
                    if n > 0 { input = input.dropFirst(n) }
                    if input.isEmpty || (n < 0 && errno != EAGAIN && errno != EINTR) { child.closeStdin() }
                }
                if fds.dropFirst().contains(where: { $0.revents != 0 }) {
                    stdout += child.readStep(deadline: deadline) ?? []
                }
            } else {
                let (rest, complete) = child.readToEnd(timeout: deadline - ContinuousClock.now)
                stdout += rest
                if complete { break }
            }
        }
        let termination = child.wait(timeout: max(deadline - ContinuousClock.now, .milliseconds(200)))
        if termination == nil { child.kill() }
        let elapsed = ContinuousClock.now - child.startedAt
        return RunResult(
            stdout: Bytes(stdout), stderr: Bytes(child.readStderrToEnd(timeout: .milliseconds(200))),
            termination: termination, elapsed: elapsed)
    }

    static func run(
        _ arguments: [String], stdin: String, timeout: Duration = .seconds(20),
        options: ChildProcess.Options = .init()
    ) throws -> RunResult {
        try run(arguments, stdin: Array(stdin.utf8), timeout: timeout, options: options)
    }
}

/// The package's root folder (the one holding Package.swift), found from this file's path.
enum PackagePaths {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static var fixtures: URL { root.appendingPathComponent("Fixtures") }
}

/// A fresh temporary folder, removed by `remove()`.
struct TemporaryFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("streamconv-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `contents` to a file named `name` in the folder; returns its path.
    func file(_ name: String, _ contents: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
