// Spec: CLI — "Exit: 0 ok (also when stdout's reader went away, silently)", "SIGPIPE ignored":
// `producer | streamconv ... | head -n 1` must end quietly and promptly once `head` exits,
// however much input is still coming.
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What the producer does after `head` took its line.
enum ProducerAfterHead: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case finite = "goes on with 16 MiB more input, then ends"
    case endless = "is an endless generator"
    case idle = "holds the input open without writing more"
    var testDescription: String { rawValue }
}

@Suite("Closed output (| head -n 1)")
struct ClosedOutputTests {
    /// 256 SSE events `data: {"n": i}` (about 5 KiB).
    static let block: [UInt8] = Array((0..<256).map { "data: {\"n\": \($0)}\n\n" }.joined().utf8)

    @Test(
        "when the reader of standard output closes it after one line, streamconv exits 0 promptly with nothing on standard error",
        arguments: ProducerAfterHead.allCases)
    func readerGoesAway(producer: ProducerAfterHead) throws {
        let child = try Streamconv.start(["-f", "sse", "-t", "ndjson"])
        let block = Self.block
        let blocks = (16 << 20) / block.count
        let feeder = InputFeeder(fd: child.stdinFD) { index in
            switch producer {
            case .finite: index < blocks ? block : nil
            case .endless: block
            case .idle: index == 0 ? block : nil
            }
        }
        defer {
            // Whatever happened, the feeder must end before its descriptor is closed.
            child.kill()
            _ = feeder.waitUntilFinished(timeout: .seconds(10))
            child.closeStdin()
        }

        // head -n 1: read up to the first line end, then close the pipe.
        let head = child.readStdout(timeout: .seconds(10)) { $0.contains(UInt8(ascii: "\n")) }
        let firstLine = head.prefix { $0 != UInt8(ascii: "\n") }
        #expect(Bytes(Array(firstLine)) == "{\"n\":0}", "first line")
        child.closeStdout()
        let closedAt = ContinuousClock.now

        let termination = child.wait(timeout: .seconds(10))
        let took = ContinuousClock.now - closedAt
        #expect(termination != nil, "streamconv still running 10 s after its output was closed")
        #expect(termination == .exited(0), "\(termination.map(\.description) ?? "still running")")
        #expect(took < .seconds(3), "took \(took) to end after its output was closed")
        #expect(Bytes(child.readStderrToEnd(timeout: .seconds(1))).isEmpty, "standard error")

        #expect(feeder.waitUntilFinished(timeout: .seconds(10)), "the producer is still blocked writing")
        if producer == .endless {
            #expect(feeder.result.writeError == EPIPE, "the generator should end by EPIPE once streamconv exited: \(feeder.result)")
        }
    }
}
