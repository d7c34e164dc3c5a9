// Spec: CLI --help — "memory is bounded by the record-size limit, never by the length of the
// stream". A long OpenAI-style SSE stream, generated on the fly (never stored), goes through
// `streamconv -f sse -t ndjson`; the output is counted, not kept.
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Memory")
struct MemoryTests {
    static let inputTarget = 256 << 20
    static let peakLimitKiB = 16 * 1024
    static let eventsPerBlock = 256

    /// One chat-completion chunk as OpenAI streams it, with `separator`s between members and
    /// values; `index` is written with 6 digits, so every event has the same length.
    static func chunk(_ index: Int, colon: String, comma: String) -> String {
        let digits = String(index)
        let token = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        return "{\"id\"\(colon)\"chatcmpl-9QyQ5xJ3mVbRz0AkE7pTqW\"\(comma)\"object\"\(colon)\"chat.completion.chunk\"\(comma)"
            + "\"created\"\(colon)1718000000\(comma)\"model\"\(colon)\"gpt-4o-mini-2024-07-18\"\(comma)"
            + "\"system_fingerprint\"\(colon)\"fp_0ba0d124f1\"\(comma)\"choices\"\(colon)[{\"index\"\(colon)0\(comma)"
            + "\"delta\"\(colon){\"content\"\(colon)\" token \(token)\"}\(comma)\"logprobs\"\(colon)null\(comma)"
            + "\"finish_reason\"\(colon)null}]}"
    }

    @Test(
        "at least 256 MiB of SSE through `-f sse -t ndjson` yields every record, and the peak RSS stays under 16 MiB",
        .timeLimit(.minutes(5)))
    func longStreamInBoundedMemory() async throws {
        // The input: blocks of events as a server writes them (`data: <json with spaces>` and a
        // blank line); the expected output: the same JSON minified (insignificant whitespace
        // removed), one per line.
        let events = (0..<Self.eventsPerBlock).map { "data: " + Self.chunk($0, colon: ": ", comma: ", ") + "\n\n" }
        let records = (0..<Self.eventsPerBlock).map { Self.chunk($0, colon: ":", comma: ",") + "\n" }
        let block = Array(events.joined().utf8)
        let blockCount = (Self.inputTarget + block.count - 1) / block.count
        let expectedRecords = blockCount * Self.eventsPerBlock
        let expectedOutputBytes = blockCount * records.joined().utf8.count
        let expectedFirstLine = Array(records[0].utf8)
        #expect((280...320).contains(events[0].utf8.count), "events are ~300 bytes: \(events[0].utf8.count)")

        let started = ContinuousClock.now
        let child = try Streamconv.start(["-f", "sse", "-t", "ndjson"])
        let feeder = InputFeeder(fd: child.stdinFD) { $0 < blockCount ? block : nil }
        defer {
            child.kill()
            _ = feeder.waitUntilFinished(timeout: .seconds(10))
            child.closeStdin()
        }

        // Count the output as it comes; sample the child's peak RSS now and then. This blocks for
        // many seconds, so it runs on a thread of its own, not on one of the few threads that the
        // concurrently running tests share.
        final class Observed: @unchecked Sendable {
            var lineEnds = 0, outputBytes = 0, head: [UInt8] = [], peakKiB: Int?, complete = false
        }
        let observed = Observed()
        observed.peakKiB = child.peakResidentKiB()
        let streaming = child
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                var lastSample = ContinuousClock.now
                observed.complete = streaming.streamStdout(deadline: started + .seconds(240), idleTimeout: .seconds(20)) { chunk in
                    observed.outputBytes += chunk.count
                    if observed.head.count < expectedFirstLine.count {
                        observed.head += chunk.prefix(expectedFirstLine.count - observed.head.count)
                    }
                    var cursor = chunk.baseAddress!
                    var left = chunk.count
                    while left > 0, let hit = memchr(cursor, 0x0A, left) {
                        observed.lineEnds += 1
                        let step = cursor.distance(to: UnsafeRawPointer(hit)) + 1
                        cursor += step
                        left -= step
                    }
                    if ContinuousClock.now - lastSample > .milliseconds(200) {
                        observed.peakKiB = max(observed.peakKiB ?? 0, streaming.peakResidentKiB() ?? 0)
                        lastSample = ContinuousClock.now
                    }
                    return observed.lineEnds < expectedRecords
                }
                done.resume()
            }.start()
        }
        let (lineEnds, outputBytes, head, complete) = (observed.lineEnds, observed.outputBytes, observed.head, observed.complete)
        var peakKiB = observed.peakKiB
        let converted = ContinuousClock.now
        // All records are out and the input is still open: the child is alive, so its high-water
        // mark can still be read; it covers its whole life so far.
        let finalSample = child.peakResidentKiB()
        peakKiB = max(peakKiB ?? 0, finalSample ?? 0)
        #expect(finalSample != nil, "could not read VmHWM of /proc/\(child.pid)/status")
        #expect((peakKiB ?? .max) < Self.peakLimitKiB, "peak RSS \(peakKiB ?? -1) KiB")
        try #require(complete, "output stalled: \(lineEnds) of \(expectedRecords) records after \(converted - started)")

        #expect(feeder.waitUntilFinished(timeout: .seconds(10)))
        child.closeStdin()
        let (rest, _) = child.readToEnd(timeout: .seconds(10))
        let termination = child.wait(timeout: .seconds(10))
        let elapsed = ContinuousClock.now - started
        let fed = feeder.result

        #expect(
            fed.bytesWritten == blockCount * block.count && fed.bytesWritten >= Self.inputTarget,
            "fed \(fed.bytesWritten) bytes: \(fed)")
        #expect(lineEnds == expectedRecords, "records out")
        #expect(outputBytes == expectedOutputBytes, "bytes out")
        #expect(Bytes(head) == Bytes(expectedFirstLine), "first record")
        #expect(rest.isEmpty, "\(rest.count) bytes after the last record")
        #expect(termination == .exited(0))
        #expect(Bytes(child.stderrBytes).isEmpty, "standard error")

        let inMiB = Double(fed.bytesWritten) / 1_048_576
        print(
            """
            [memory] \(String(format: "%.1f", inMiB)) MiB in (\(expectedRecords) events of \(events[0].utf8.count) bytes), \
            \(outputBytes) bytes out; converted in \(converted - started), total \(elapsed); \
            peak RSS (VmHWM) \(peakKiB ?? -1) KiB; wait4 ru_maxrss \(child.resourceUsage.ru_maxrss) KiB \
            (includes the test process's own peak at spawn, so not used)
            """)
    }
}
