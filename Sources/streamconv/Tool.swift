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
    /// The input format is auto-detected (no -f).
    private var detecting = false
    /// The first bytes of the current input (at most InputSniffer.sampleSize), its byte count,
    /// and the records written before it.
    private var head: [UInt8] = []
    private var inputBytes = 0
    private var recordsBefore = 0
    /// The --rejects file (-1: none), and whether writing to it failed (status 4 at the end).
    private var rejectsFD: Int32 = -1
    private var rejectsFailed = false
    /// The current input could not be read (see IOFailure.inputFailed).
    private var inputFailed = false
    private var stats = RunStats()
    private var showStats = false
    private var progress = ProgressLine()

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
        case .man: return emitText(ManPage.text())
        case .completions(let shell): return emitText(Completions.script(for: shell))
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
            report(LibraryTerms.message(error))
            return .usage
        }
        if let path = args.rejectsPath {
            guard args.options.onError == .skip || args.options.nonJSON == .skip else {
                report("--rejects applies with --on-error skip or --non-json skip (no record is skipped otherwise)")
                return .usage
            }
            rejectsFD = io.calls.openForAppend(path)
            if rejectsFD < 0 {
                report("cannot open \(path) for --rejects: \(systemMessage(io.calls.lastError))")
                return .ioError
            }
            converter.keepsRejectedRecords = true
        }
        defer {
            if rejectsFD >= 0 {
                io.calls.close(rejectsFD)
                rejectsFD = -1
            }
        }
        detecting = args.from == nil
        showStats = args.stats
        // (Not when the records go to a terminal too: the line would be drawn among them.)
        progress.enabled = args.progress && io.calls.isTerminal(2) && !io.calls.isTerminal(1)
        if showStats || progress.enabled { stats.startNanoseconds = io.calls.monotonicNanoseconds() }
        io.calls.enlargePipe(1)
        var status = convertAll(&converter, args.files.isEmpty ? ["-"] : args.files)
        if rejectsFailed && status == .success { status = .ioError }
        if progress.shown { erase() }
        if status != .usage { reportEnd(converter) }
        return status
    }

    /// Each FILE is a stream of its own (its own [DONE], --require-done and detection), all
    /// into one output: a file that cannot be opened is reported and skipped, and the status
    /// at the end is then 4.
    private mutating func convertAll(_ converter: inout Converter, _ files: [String]) -> ExitStatus {
        var status = ExitStatus.success
        var started = false
        var name = "<stdin>"
        for (index, file) in files.enumerated() {
            name = file == "-" ? "<stdin>" : file
            let fd: Int32
            if file == "-" {
                fd = 0
            } else {
                fd = io.calls.open(file)
                if fd < 0 {
                    report("cannot open \(file): \(systemMessage(io.calls.lastError))")
                    status = .ioError
                    continue
                }
            }
            defer { if fd != 0 { io.calls.close(fd) } }
            io.calls.enlargePipe(fd)
            if started { converter.startNextInput() }
            started = true
            stats.inputs += 1
            if let failed = convertOne(&converter, fd: fd, name: name) {
                // An input that cannot be read is left, unfinished, for the next one (if any).
                guard failed == .ioError && inputFailed && index < files.count - 1 else { return failed }
                inputFailed = false
                status = .ioError
            }
        }
        do {
            try converter.finish(into: &output)
            try writeOutput()
            warn(&converter, name: name)
        } catch let error as StreamCodecError {
            return fail(&converter, error, name: name, fd: nil)
        } catch let failure as IOFailure {
            return self.failure(failure) ?? status
        } catch {
            report("\(error)")
            return .ioError
        }
        return status
    }

    /// Converts one input up to its end; nil means go on with the next one.
    private mutating func convertOne(_ converter: inout Converter, fd: Int32, name: String) -> ExitStatus? {
        head.removeAll(keepingCapacity: true)
        inputBytes = 0
        recordsBefore = converter.recordCount
        var checkedEarly = false
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
                try converter.drain(into: &output)
                // An endless stream that is not SSE is reported once the lines of its first 64 KiB
                // are all complete: the same decision whatever the reads. What this read converted
                // comes from fields after the window (there is none in it), which smaller reads
                // would not have reached: it is dropped, so the output does not depend on the reads.
                if !checkedEarly && converter.currentInputOffset >= Self.notSSEWindow {
                    checkedEarly = true
                    if let status = notSSE(converter, name: name, window: Self.notSSEWindow) {
                        output.removeAll()
                        return status
                    }
                }
                try writeOutput()
                warn(&converter, name: name)
                if progress.enabled { drawProgress(converter) }
            }
            try converter.finishInput(into: &output)
            try writeOutput()
            warn(&converter, name: name)
            return notSSE(converter, name: name, window: nil)
        } catch let error as StreamCodecError {
            return fail(&converter, error, name: name, fd: fd)
        } catch let failure as IOFailure {
            if case .inputFailed = failure { inputFailed = true }
            return self.failure(failure) ?? .success
        } catch {
            report("\(error)")
            return .ioError
        }
    }

    /// How much of an endless SSE stream is read before its lack of any SSE field is reported:
    /// the lines that start in these first bytes.
    static var notSSEWindow: Int { 64 * 1024 }

    /// Exit status 1 with a message saying what the input looks like, when it was read as SSE
    /// and held lines the spec ignores but not one SSE field.
    private mutating func notSSE(_ converter: Converter, name: String, window: Int?) -> ExitStatus? {
        guard let counts = converter.currentInputLineCounts else { return nil }
        guard window.map(counts.looksLikeSomethingElse(within:)) ?? counts.looksLikeSomethingElse else { return nil }
        let sniff = InputSniffer.classify(head, isWholeInput: window == nil && inputBytes == head.count)
        report("\(name): " + InputAdvice.notSSE(sniff, detected: detecting))
        return .invalidInput
    }

    /// Reports a conversion error after writing everything before it; the first error of an
    /// input that wrote nothing also says what the input looks like when that is not its format.
    /// `fd`: the input, still open, so the sample for the advice can be completed.
    private mutating func fail(_ converter: inout Converter, _ error: StreamCodecError, name: String, fd: Int32?) -> ExitStatus {
        do { try writeOutput() } catch { return self.failure(error) ?? .success }
        warn(&converter, name: name)
        report(located(name, error))
        if error.code == .invalidOptions { return .usage }
        // (An SSE input with fields is SSE, whatever its bytes: its error says what is wrong.)
        let isSSE = (converter.currentInputLineCounts?.fields ?? 0) > 0
        if converter.recordCount == recordsBefore && !head.isEmpty && !isSSE, let format = converter.sourceFormat?.name {
            if let fd { completeSample(fd, name: name) }
            let sniff = InputSniffer.classify(head, isWholeInput: inputBytes == head.count)
            if let hint = InputAdvice.hint(sniff, readingAs: format, error: error.message) { report("\(name): " + hint) }
        }
        return error.code == .truncated || error.code == .missingEnd ? .truncatedInput : .invalidInput
    }

    /// Reads on (after the error is reported) until the input is known to be longer than
    /// ``InputSniffer/sampleSize`` bytes or has ended, so the sample, and whether it is the whole
    /// input, do not depend on how the input was split into reads. A read error ends it: the
    /// advice is then made from what there is.
    private mutating func completeSample(_ fd: Int32, name: String) {
        var io = self.io
        defer { self.io = io }
        let size = InputSniffer.sampleSize
        var buffer = [UInt8](repeating: 0, count: size + 1)
        while inputBytes <= size {
            let want = size + 1 - inputBytes
            let n = buffer.withUnsafeMutableBytes { bytes in
                (try? io.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<want]), name: name)) ?? 0
            }
            if n <= 0 { break }
            head.append(contentsOf: buffer[0..<min(n, size - head.count)])
            inputBytes += n
        }
    }

    /// The heartbeat's bytes: a comment line, or with `--heartbeat-event` a named event
    /// (``SSEEncoder/heartbeat(event:)``).
    var heartbeat: [UInt8] = Array(":\n".utf8)

    private mutating func readChunk(_ converter: inout Converter, fd: Int32, name: String) throws(IOFailure) -> Int {
        let size = readSize
        var io = self.io
        var head = self.head
        defer {
            self.io = io
            self.head = head
        }
        let n = try converter.readInput(maximum: size) { buffer throws(IOFailure) in
            let n = try io.read(fd, into: buffer, name: name)
            // The first bytes of each input, to say what it looks like when it is not its format.
            if head.count < InputSniffer.sampleSize && n > 0 {
                head.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<min(n, InputSniffer.sampleSize - head.count)]))
            }
            return n
        }
        inputBytes += n
        stats.bytesRead += n
        return n
    }

    private mutating func writeOutput() throws(IOFailure) {
        if output.isEmpty { return }
        defer {
            // Keep the usual capacity; give back what one large record made it grow to.
            if output.capacity > 1 << 20 {
                output = []
                output.reserveCapacity(64 * 1024)
            } else {
                output.removeAll(keepingCapacity: true)
            }
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

    /// The end of a run: the count of skipped records, a filter that matched nothing, --stats.
    private mutating func reportEnd(_ converter: Converter) {
        let n = converter.skippedCount
        if n > 0 && !quiet { report("warning: skipped \(n) bad record\(n == 1 ? "" : "s")") }
        if let filter = converter.eventFilterReport, filter.matched == 0, !quiet {
            let seen = filter.otherTypes.isEmpty ? "no events at all" : "events of type " + filter.otherTypes.joined(separator: ", ")
            report("warning: --only-event matched no event; the input had \(seen)")
        }
        if showStats { report(stats.line(converter, nowNanoseconds: io.calls.monotonicNanoseconds())) }
    }

    /// Redraws the --progress line, at most every quarter of a second (one clock read per read).
    private mutating func drawProgress(_ converter: Converter) {
        let now = io.calls.monotonicNanoseconds()
        guard now &- progress.lastDrawNanoseconds >= ProgressLine.intervalNanoseconds else { return }
        progress.lastDrawNanoseconds = now
        progress.shown = true
        writeStderr(ProgressLine.erase + "streamconv: " + stats.progress(converter, nowNanoseconds: now))
    }

    private mutating func erase() {
        progress.shown = false
        writeStderr(ProgressLine.erase)
    }

    private mutating func warn(_ converter: inout Converter, name: String) {
        if rejectsFD >= 0 { writeRejects(&converter, name: name) }
        let warnings = converter.takeWarnings()
        if quiet { return }
        for warning in warnings {
            report("warning: " + (warning.line.map { "\(name):\($0): " } ?? "\(name): ") + LibraryTerms.text(warning.message))
        }
    }

    /// Appends the records skipped so far to the --rejects file (a failure there is reported
    /// once, and the file is given up).
    private mutating func writeRejects(_ converter: inout Converter, name: String) {
        let records = converter.takeRejectedRecords()
        if records.isEmpty { return }
        var bytes: [UInt8] = []
        for record in records { bytes += RejectsFile.line(record, source: name) }
        var channel = io
        let fd = rejectsFD
        let result: Result<Void, IOFailure> = bytes.withUnsafeBytes { raw in
            Result { () throws(IOFailure) in try channel.writeAll(fd, raw) }
        }
        io = channel
        if case .failure = result {
            report("cannot write to the --rejects file: \(systemMessage(io.calls.lastError))")
            rejectsFailed = true
            io.calls.close(rejectsFD)
            rejectsFD = -1
        }
    }

    /// A closed output ends the run quietly with success; other failures are I/O errors.
    private mutating func failure(_ failure: IOFailure) -> ExitStatus? {
        switch failure {
        case .outputClosed: return .success
        case .failed(let message), .inputFailed(let message):
            report(message)
            return .ioError
        }
    }

    private func located(_ name: String, _ error: StreamCodecError) -> String {
        var text = name + ":"
        if let line = error.line { text += "\(line):" }
        text += " " + LibraryTerms.message(error)
        if let offset = error.byteOffset { text += " (byte offset \(offset))" }
        return text
    }

    /// Writes `streamconv: <message>` to standard error, through the same seam as the output
    /// (EINTR retried, short writes completed, EAGAIN on a non-blocking stderr waited out).
    private mutating func report(_ message: String) {
        if progress.shown { erase() }
        writeStderr("streamconv: \(message)\n")
    }

    private func writeStderr(_ text: String) {
        let line = Array(text.utf8)
        var channel = io
        line.withUnsafeBytes { raw in
            do throws(IOFailure) { try channel.writeAll(2, raw) } catch {} // nowhere left to report
        }
    }
}
