// Issue 7, requirement 7: `chunks.heartbeat(every:)` (Sources/StreamCodec/Async/
// AsyncHeartbeatSequence.swift) inserts the chunk `:\n\n` (an SSE comment, ignored by every
// parser: WHATWG HTML 9.2.6) whenever upstream has been silent for the interval, only between
// whole upstream chunks, never while upstream is fast; and the output still decodes to the
// original records.
//
// Timing: the intervals are short (50 ms) and the upstream's pauses last until the consumer has
// received heartbeats, so no assertion depends on how fast the machine is (other tests running
// in parallel can starve the cooperative pool for seconds). "No heartbeat while upstream is fast"
// uses a 5 s interval that a fast upstream never comes near. Nothing asserts an upper bound on
// time except the 10 s hang guards.
import Foundation
import StreamCodec
import Testing

@Suite("Heartbeats: ':\\n' between whole chunks while upstream is silent")
struct AsyncHeartbeatTests {
    static let heartbeat = u8(":\n")
    static let records: [Record] = [
        Record.event(data: "first", event: "start", id: "1"),
        try! Record.json(#"{"delta":"héllo 😀"}"#),
        Record.event(data: "multi\nline\ndata", id: "3", retry: 2500),
        Record.event(data: "last"),
    ]

    /// Splits `chunks` into the heartbeats and the rest, checking each chunk is one or the other.
    static func separate(_ chunks: [[UInt8]]) -> (real: [[UInt8]], heartbeatsBefore: [Int]) {
        var real: [[UInt8]] = []
        var heartbeatsBefore: [Int] = [0] // heartbeats before real chunk i (and, last, after all)
        for chunk in chunks {
            if chunk == heartbeat {
                heartbeatsBefore[heartbeatsBefore.count - 1] += 1
            } else {
                real.append(chunk)
                heartbeatsBefore.append(0)
            }
        }
        return (real, heartbeatsBefore)
    }

    // Issue 7, requirement 7: pauses longer than the interval get heartbeats, between the real
    // chunks and never inside one; the output parses back (SSE decoder) to exactly the records.
    // The upstream's pauses last until the consumer has received two heartbeats (so at least two
    // intervals), which no machine speed can shorten.
    @Test(
        "While upstream pauses longer than the interval, heartbeats come between whole chunks, and the output decodes to the original records"
    )
    func heartbeatsDuringPauses() async throws {
        let r = Self.records
        let heartbeatsSeen = LockedValue(0)
        let pause = UpstreamStep<Record>.waitUntil { heartbeatsSeen.value >= 2 }
        let pauseAgain = UpstreamStep<Record>.waitUntil { heartbeatsSeen.value >= 4 }
        let upstream = ScriptedUpstream<Record>([.element(r[0]), pause, .element(r[1]), .element(r[2]), pauseAgain, .element(r[3])])
        let chunks = try await withDeadline("the heartbeat sequence to end") {
            var chunks: [[UInt8]] = []
            for try await chunk in upstream.encoded(SSEEncoder()).heartbeat(every: .milliseconds(50)) {
                chunks.append(chunk)
                if chunk == Self.heartbeat { heartbeatsSeen.mutate { $0 += 1 } }
            }
            return chunks
        }
        let expectedChunks = try syncEncodedChunks(r, SSEEncoder())
        let (real, heartbeatsBefore) = Self.separate(chunks)
        #expect(real == expectedChunks, "every non-heartbeat chunk is a whole upstream chunk, in order")
        #expect(heartbeatsBefore[0] == 0 && heartbeatsBefore[4] == 0, "the stream starts and ends with real chunks: \(heartbeatsBefore)")
        #expect(heartbeatsBefore[1] >= 2, "heartbeats during the first pause: \(heartbeatsBefore)")
        #expect(
            heartbeatsBefore[1] + heartbeatsBefore[2] + heartbeatsBefore[3] >= 4 && heartbeatsBefore[3] >= 1,
            "heartbeats during the second pause: \(heartbeatsBefore)")

        // The output, read by an SSE decoder, is exactly the original records (json records come
        // back as events holding their text, as SSE carries them).
        let output = chunks.flatMap { $0 }
        let decoded = syncRecords(output, SSEDecoder())
        #expect(decoded.error == nil)
        let expected = r.map { $0.kind == .json ? Record.event(data: $0.data) : $0 }
        #expect(decoded.records == expected)
        // Kept as comments, the heartbeats are empty comment records standing between events.
        let withComments = syncRecords(output, SSEDecoder(options: .init(keepComments: true))).records
        #expect(withComments.filter { $0.kind == .comment } == Array(repeating: Record.comment(""), count: heartbeatsBefore.reduce(0, +)))
        #expect(withComments.filter { $0.kind != .comment } == expected)
    }

    // Issue 7, requirement 7: none while upstream is fast.
    @Test("No heartbeat appears while upstream delivers chunks without pausing")
    func noHeartbeatWhenFast() async throws {
        let chunks = (1...40).map { u8("data: \($0)\n\n") }
        let output = try await collectAll(ScriptedUpstream(elements: chunks).heartbeat(every: .seconds(5)))
        #expect(output == chunks)
    }

    // "inserted whenever nothing has come from upstream for interval": also before the first chunk
    // and before the end; the heartbeat chunk can be chosen.
    @Test("Silence before the first chunk and before the end also gets heartbeats, with the chunk given")
    func silenceAtStartAndEnd() async throws {
        let ping = u8(": ping\n\n")
        let a = u8("data: a\n\n")
        let pings = LockedValue(0)
        let upstream = ScriptedUpstream<[UInt8]>([.waitUntil { pings.value >= 1 }, .element(a), .waitUntil { pings.value >= 2 }])
        let output = try await withDeadline("the heartbeat sequence to end") {
            var output: [[UInt8]] = []
            for try await chunk in upstream.heartbeat(every: .milliseconds(50), chunk: ping) {
                output.append(chunk)
                if chunk == ping { pings.mutate { $0 += 1 } }
            }
            return output
        }
        let index = try #require(output.firstIndex(of: a))
        #expect(
            index >= 1 && output[..<index].allSatisfy { $0 == ping },
            "pings before the first chunk: \(output.map { String(decoding: $0, as: UTF8.self) })")
        #expect(output.count > index + 1 && output[(index + 1)...].allSatisfy { $0 == ping }, "pings after it, then the end")
    }

    // Issue 7, requirement 2, for the heartbeat pump: it asks upstream only for what the
    // consumer asks for (a single slot, no queue).
    @Test("After the consumer took k chunks, the heartbeat pump has pulled at most k + 1 upstream chunks")
    func pullsOnDemand() async throws {
        let probe = UpstreamProbe()
        let chunks = (1...20).map { u8("data: \($0)\n\n") }
        let iterator = ScriptedUpstream(elements: chunks, probe: probe).heartbeat(every: .seconds(60)).makeAsyncIterator()
        #expect(probe.pulls == 0, "nothing pulled before the first next()")
        var k = 0
        while try await iterator.next() != nil {
            k += 1
            await letOthersRun()
            #expect(probe.pulls <= k + 1, "after \(k) chunks, \(probe.pulls) pulls")
        }
        #expect(k == chunks.count)
    }

    // An upstream error is not swallowed by the pump: it reaches the consumer, after the chunk and
    // the heartbeats before it.
    @Test("An upstream error comes through the heartbeat sequence after the chunks and heartbeats before it")
    func upstreamError() async throws {
        let a = u8("data: a\n\n")
        let seen = LockedValue(0)
        let upstream = ScriptedUpstream<[UInt8]>([.element(a), .waitUntil { seen.value >= 2 }, .fail])
        let (chunks, error): ([[UInt8]], String?) = try await withDeadline("the error") { () async -> ([[UInt8]], String?) in
            var chunks: [[UInt8]] = []
            do {
                for try await chunk in upstream.heartbeat(every: .milliseconds(50)) {
                    chunks.append(chunk)
                    seen.mutate { $0 += 1 }
                }
            } catch {
                return (chunks, String(describing: error))
            }
            return (chunks, nil)
        }
        #expect(chunks.first == a)
        #expect(chunks.count >= 2 && chunks.dropFirst().allSatisfy { $0 == Self.heartbeat })
        #expect(error == String(describing: UpstreamFailure()))
    }

    // Docs/Formats.md, "SSE output rules": the named style, for proxies that strip comments.
    @Test("heartbeat(every:event:) inserts `event: NAME`, `data: {\"type\":\"NAME\"}` and a blank line; a bad name throws")
    func namedHeartbeat() async throws {
        let upstream = ScriptedUpstream<[UInt8]>([.element(u8("data: 1\n\n")), .hang])
        func use() async throws { // in a function of its own, so the iterator surely ends with it
            let iterator = try upstream.heartbeat(every: .milliseconds(50), event: "ping").makeAsyncIterator()
            #expect(try await iterator.next() == u8("data: 1\n\n"))
            #expect(try await iterator.next() == u8("event: ping\ndata: {\"type\":\"ping\"}\n\n"))
        }
        try await use()
        for bad in ["", "a\nb", "a\rb", "\u{0}"] {
            #expect(throws: StreamCodecError.self) { _ = try upstream.heartbeat(every: .seconds(1), event: bad) }
        }
    }
}
