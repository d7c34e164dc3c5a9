// The conversion loop of streamconv: read(2) fixed-size chunks straight into the decoder's
// buffer, convert everything they complete, write(2) it all, and only then read again, so no
// finished record waits for more input.
import StreamCodecCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

struct Tool<Calls: SystemCalls> {
    var io: IOChannel<Calls>
    /// Bytes asked of each read(2).
    var readSize = 64 * 1024
    private(set) var output: [UInt8] = []
    /// `--quiet`: no warnings.
    var quiet = false
    /// `--heartbeat`: milliseconds of silent input after which an SSE comment is written.
    var heartbeatMilliseconds: Int32 = -1

    init(calls: Calls) {
        io = IOChannel(calls: calls)
        output.reserveCapacity(64 * 1024)
    }

    mutating func main(_ argv: [String]) -> ExitStatus {
        let args: Arguments
        do {
            args = try Arguments.parse(argv)
        } catch {
            report("\(error.message)")
            return .usage
        }
        switch args.action {
        case .help: return emitText(Help.text())
        case .version: return emitText(Help.version + "\n")
        case .listFormats: return emitText(Help.formatList())
        case .convert:
            quiet = args.quiet
            if let seconds = args.heartbeatSeconds {
                guard args.to.family == .eventStream else {
                    report("--heartbeat applies only when the output is SSE")
                    return .usage
                }
                heartbeatMilliseconds = Int32(min(seconds * 1000, Double(Int32.max)))
                heartbeat = (try? SSEEncoder.heartbeat(event: args.heartbeatEvent)) ?? heartbeat // the name is checked by the parser
            } else if args.heartbeatEvent != nil {
                report("--heartbeat-event needs --heartbeat SECONDS (how long a silence makes a heartbeat)")
                return .usage
            }
            return convert(args)
        }
    }

    private mutating func emitText(_ text: String) -> ExitStatus {
        do { try flush(Array(text.utf8)) } catch { return failure(error) ?? .success }
        return .success
    }

    private mutating func convert(_ args: Arguments) -> ExitStatus {
        var converter: Converter
        do {
            if let from = args.from {
                converter = try Converter(from: from, to: args.to, options: args.options)
            } else {
                converter = try Converter(detectingFrom: .standard, to: args.to, options: args.options)
            }
        } catch {
            report(error.message)
            return .usage
        }
        let files = args.files.isEmpty ? ["-"] : args.files
        for (index, file) in files.enumerated() {
            if index > 0 { converter.startNextInput() }
            let name = file == "-" ? "<stdin>" : file
            let fd: Int32
            if file == "-" { fd = 0 } else {
                fd = io.calls.open(file)
                if fd < 0 {
                    report("cannot open \(file): \(systemMessage(io.calls.lastError))")
                    return .ioError
                }
            }
            defer { if fd != 0 { io.calls.close(fd) } }
            if let status = convertOne(&converter, fd: fd, name: name, isLast: index == files.count - 1) {
                reportSkipped(converter)
                return status
            }
            if converter.isStopped { break }
        }
        reportSkipped(converter)
        return .success
    }

    /// Converts one input; nil means go on with the next one.
    private mutating func convertOne(_ converter: inout Converter, fd: Int32, name: String, isLast: Bool) -> ExitStatus? {
        do {
            while !converter.isStopped {
                switch try io.waitForInput(fd, output: 1, timeoutMilliseconds: heartbeatMilliseconds) {
                case .outputClosed: return .success
                case .timedOut:
                    // Nothing arrived for a while: keep the connection alive. Output always ends
                    // at a record boundary here, so a comment line is safe.
                    try flush(heartbeat)
                    continue
                case .inputReady: break
                }
                let n = try readChunk(&converter, fd: fd, name: name)
                if n == 0 { break }
                try drain(&converter, name: name)
            }
            if isLast || converter.isStopped { try converter.finish(into: &output) } else { try converter.finishInput(into: &output) }
            try writeOutput()
            warn(&converter, name: name)
            return nil
        } catch let error as StreamCodecError {
            // Everything before the bad record is in `output`: write it, then say what is wrong.
            do { try writeOutput() } catch { return self.failure(error) }
            warn(&converter, name: name)
            report(located(name, error))
            if error.code == .invalidOptions { return .usage }
            return error.code == .truncated || error.code == .missingEnd ? .truncatedInput : .invalidInput
        } catch let failure as IOFailure {
            return self.failure(failure)
        } catch {
            report("\(error)")
            return .ioError
        }
    }

    /// The heartbeat's bytes: a comment line, or with `--heartbeat-event` a named event
    /// (``SSEEncoder/heartbeat(event:)``).
    var heartbeat: [UInt8] = Array(":\n".utf8)

    private mutating func readChunk(_ converter: inout Converter, fd: Int32, name: String) throws(IOFailure) -> Int {
        let size = readSize
        var io = self.io
        defer { self.io = io }
        return try converter.readInput(maximum: size) { buffer throws(IOFailure) in
            try io.read(fd, into: buffer, name: name)
        }
    }

    private mutating func drain(_ converter: inout Converter, name: String) throws {
        try converter.drain(into: &output)
        try writeOutput()
        warn(&converter, name: name)
    }

    private mutating func writeOutput() throws(IOFailure) {
        if output.isEmpty { return }
        defer {
            // Keep the usual capacity; give back what one large record made it grow to.
            if output.capacity > 1 << 20 { output = [] ; output.reserveCapacity(64 * 1024) } else { output.removeAll(keepingCapacity: true) }
        }
        try flush(output)
    }

    private mutating func flush(_ bytes: [UInt8]) throws(IOFailure) {
        var channel = io
        defer { io = channel }
        let result: Result<Void, IOFailure> = bytes.withUnsafeBytes { raw in
            Result { () throws(IOFailure) in try channel.writeAll(1, raw) }
        }
        try result.get()
    }

    private func reportSkipped(_ converter: Converter) {
        let n = converter.skippedCount
        if n > 0 && !quiet { report("warning: skipped \(n) bad record\(n == 1 ? "" : "s")") }
    }

    private mutating func warn(_ converter: inout Converter, name: String) {
        let warnings = converter.takeWarnings()
        if quiet { return }
        for warning in warnings {
            report("warning: " + (warning.line.map { "\(name):\($0): " } ?? "\(name): ") + warning.message)
        }
    }

    /// A closed output ends the run quietly with success; other failures are I/O errors.
    private func failure(_ failure: IOFailure) -> ExitStatus? {
        switch failure {
        case .outputClosed: return .success
        case .failed(let message):
            report(message)
            return .ioError
        }
    }

    private func located(_ name: String, _ error: StreamCodecError) -> String {
        var text = name + ":"
        if let line = error.line { text += "\(line):" }
        text += " " + error.message
        if let offset = error.byteOffset { text += " (byte offset \(offset))" }
        return text
    }

    /// Writes `streamconv: <message>` to standard error, through the same seam as the output
    /// (EINTR retried, short writes completed, EAGAIN on a non-blocking stderr waited out).
    private func report(_ message: String) {
        let line = Array("streamconv: \(message)\n".utf8)
        var channel = io
        line.withUnsafeBytes { raw in
            do throws(IOFailure) { try channel.writeAll(2, raw) } catch {} // nowhere left to report
        }
    }
}
