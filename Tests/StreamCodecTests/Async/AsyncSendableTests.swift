import StreamCodec
// Issue 7, requirement 8: the async adapters are Sendable when their parts are.
//
// These are compile-time checks: `requireSendable` only accepts a Sendable argument, so if
// AsyncRecordSequence, AsyncEncodedSequence, AsyncConvertedSequence, AsyncByteChunks or
// AsyncHeartbeatSequence lost its conditional `Sendable` conformance, this file would stop
// compiling (and the whole test target with it). The bases used are Sendable
// (`ScriptedUpstream` of Sendable elements, `AsyncStream`), and so are the built-in decoders and
// encoders (SSEDecoder, NDJSONDecoder, SSEEncoder, ...).
//
// Codecs are Sendable by protocol (StreamDecoder and StreamEncoder refine Sendable), so the
// type-erased `AnyStreamDecoder` behind `decodedRecords(format:)` is Sendable too, and so is
// `body.decodedRecords(format: contentType).encoded(SSEEncoder()).heartbeat(...)`.
import Testing

/// Compiles only for Sendable values.
func requireSendable<T: Sendable>(_ value: T) {}

@Suite("Async adapters are Sendable when their parts are")
struct AsyncSendableTests {
    @Test("Each adapter over a Sendable base (with a Sendable codec) is Sendable, chains included, and can be iterated in another task")
    func sendableWhenPartsAre() async throws {
        let chunks = ScriptedUpstream(elements: [u8("data: {\"a\":1}\n\n")])
        let bytes = ScriptedUpstream(elements: u8("data: {\"a\":1}\n\n"))
        let records = ScriptedUpstream(elements: [Record.event(data: "x")])

        requireSendable(chunks.decodedRecords(SSEDecoder())) // AsyncRecordSequence<_, SSEDecoder>
        requireSendable(chunks.decodedRecords(NDJSONDecoder())) // AsyncRecordSequence<_, NDJSONDecoder>
        requireSendable(bytes.chunked()) // AsyncByteChunks
        requireSendable(bytes.decodedRecords(SSEDecoder())) // AsyncRecordSequence<AsyncByteChunks<_>, SSEDecoder>
        requireSendable(records.encoded(SSEEncoder())) // AsyncEncodedSequence<_, SSEEncoder>
        requireSendable(records.encoded(JSONArrayEncoder())) // AsyncEncodedSequence<_, JSONArrayEncoder>
        requireSendable(try chunks.converted(from: "sse", to: "ndjson")) // AsyncConvertedSequence
        requireSendable(chunks.heartbeat(every: .seconds(15))) // AsyncHeartbeatSequence
        // Chains: decode, re-encode, heartbeat; convert, heartbeat.
        requireSendable(chunks.decodedRecords(SSEDecoder()).encoded(SSEEncoder()).heartbeat(every: .seconds(15)))
        requireSendable(try bytes.chunked().converted(from: "sse", to: "sse").heartbeat(every: .seconds(15)))
        // Decoding by format name (a response's Content-Type), re-encoding, heartbeats.
        requireSendable(
            try chunks.decodedRecords(format: "text/event-stream; charset=utf-8").encoded(SSEEncoder()).heartbeat(every: .seconds(15)))
        // A standard library base.
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        requireSendable(stream.decodedRecords(SSEDecoder()))
        requireSendable(try stream.converted(from: "sse", to: "json-array"))

        // Being Sendable, a sequence can be captured by a @Sendable closure and iterated in
        // another task.
        let pipeline = try chunks.converted(from: "sse", to: "ndjson")
        let iterate: @Sendable () async throws -> [[UInt8]] = { try await collectAll(pipeline) }
        let output = try await Task.detached(operation: iterate).value
        #expect(output.flatMap { $0 } == u8("{\"a\":1}\n"))
        continuation.finish()
    }
}
