// Swift's AsyncIteratorProtocol contract, "End of Iteration" (stdlib/public/Concurrency/
// AsyncIteratorProtocol.swift): "After returning nil (or throwing an error) from next(), the
// iterator enters a terminal state, and all future calls to next() must return nil."
//
// Not one of issue 7's numbered requirements, but it decides what a consumer that catches an
// error and calls next() again gets: each test below has valid input after the bad record, so an
// adapter that goes on would return it (or throw again).
import Foundation
import StreamCodec
import Testing

@Suite("Async adapters are terminal after throwing")
struct AsyncTerminalStateTests {
    /// Calls next() once more after the error: the contract wants nil.
    static func afterError<I: AsyncIteratorProtocol>(_ iterator: inout I) async -> String {
        do {
            if let element = try await iterator.next() { return "an element: \(element)" }
            return "nil"
        } catch {
            return "an error: \(error)"
        }
    }

    @Test("After throwing for a bad NDJSON line, the decodedRecords iterator returns nil")
    func decodedRecords() async throws {
        var iterator = ScriptedUpstream(elements: [AsyncDecodingErrorTests.badLine3]).decodedRecords(NDJSONDecoder()).makeAsyncIterator()
        #expect(try await iterator.next() == Record.json("{\"a\":1}"))
        #expect(try await iterator.next() == Record.json("{\"b\":[2]}"))
        await #expect(throws: StreamCodecError.self) { _ = try await iterator.next() }
        let after = await Self.afterError(&iterator)
        #expect(after == "nil")
    }

    @Test("After throwing for an unencodable record, the encoded iterator returns nil")
    func encoded() async throws {
        let records = [Record.event(data: "a"), Record.event(data: "b", event: "x\ny"), Record.event(data: "c")]
        var iterator = ScriptedUpstream(elements: records).encoded(SSEEncoder()).makeAsyncIterator()
        #expect(try await iterator.next() == u8("data: a\n\n"))
        await #expect(throws: StreamCodecError.self) { _ = try await iterator.next() }
        let after = await Self.afterError(&iterator)
        #expect(after == "nil")
    }

    @Test("After throwing for a bad NDJSON line, the converted iterator returns nil")
    func converted() async throws {
        let input = AsyncDecodingErrorTests.badLine3
        let split = 18 // lines 1 and 2 in the first chunk, the bad line 3 and line 4 in the second
        try #require(input[split - 1] == 0x0A && input[split...].starts(with: u8("{\"c\"")))
        var iterator = try ScriptedUpstream(elements: [input[..<split], input[split...]]).converted(from: "ndjson", to: "sse")
            .makeAsyncIterator()
        #expect(try await iterator.next() == u8("data: {\"a\":1}\n\ndata: {\"b\":[2]}\n\n"))
        await #expect(throws: StreamCodecError.self) { _ = try await iterator.next() }
        let after = await Self.afterError(&iterator)
        #expect(after == "nil")
    }

    @Test("After rethrowing an upstream error, the heartbeat iterator returns nil (instead of heartbeats)")
    func heartbeat() async throws {
        let upstream = ScriptedUpstream<[UInt8]>([.element(u8("data: a\n\n")), .fail, .element(u8("data: b\n\n"))])
        let after = try await withDeadline("next() after the error") {
            var iterator = upstream.heartbeat(every: .milliseconds(50)).makeAsyncIterator()
            _ = try await iterator.next()
            do { _ = try await iterator.next() } catch { _ = error }
            return await Self.afterError(&iterator)
        }
        #expect(after == "nil")
    }
}
