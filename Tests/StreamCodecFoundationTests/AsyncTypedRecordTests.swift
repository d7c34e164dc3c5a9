// The async adapters of typed records: a body of byte chunks to values, values to a body.
import Foundation
import StreamCodec
import StreamCodecFoundation
import Testing

/// An async sequence of the given chunks (a response body).
func body(_ chunks: [ArraySlice<UInt8>]) -> AsyncStream<ArraySlice<UInt8>> {
    AsyncStream { continuation in
        for chunk in chunks { continuation.yield(chunk) }
        continuation.finish()
    }
}

@Suite("Typed records: async")
struct AsyncTypedRecordTests {
    @Test("An OpenAI SSE body yields typed chunks in every split, the same as the synchronous reader")
    func openAIBody() async throws {
        let bytes = try fixture("openai-chat/input.sse")
        let expected = try TypedRecordReader.values(of: OpenAIChunk.self, in: bytes, format: "sse", jsonDecoder: snakeCaseDecoder())
        #expect(!expected.isEmpty)
        for way in splits(of: bytes) {
            var values: [OpenAIChunk] = []
            for try await record in try body(way.chunks).decodedRecords(
                of: OpenAIChunk.self, format: "text/event-stream",
                jsonDecoder: snakeCaseDecoder())
            {
                values.append(record.value)
            }
            #expect(values == expected, "\(way.name)")
        }
    }

    @Test("Anthropic events arrive with their event types")
    func anthropicBody() async throws {
        let bytes = try fixture("anthropic-messages/input.sse")
        var types: [String] = []
        for try await record in try body(splits(of: bytes)[2].chunks).decodedRecords(
            of: AnthropicEvent.self, format: "sse",
            jsonDecoder: snakeCaseDecoder())
        {
            types.append(record.event ?? "message")
        }
        #expect(types.first == "message_start" && types.last == "message_stop")
        #expect(types.contains("content_block_delta"))
    }

    @Test("A bad record ends the sequence with an error holding its position, after the good ones")
    func errorAfterGoodRecords() async throws {
        struct N: Decodable { var n: Int }
        let input = Array("{\"n\":1}\n{\"m\":2}\n{\"n\":3}\n".utf8)
        var values: [Int] = []
        var iterator = try body([input[...]]).decodedRecords(of: N.self, format: "ndjson").makeAsyncIterator()
        do {
            while let record = try await iterator.next() { values.append(record.value.n) }
            Issue.record("no error")
        } catch let error as TypedRecordError {
            #expect(error.position.recordNumber == 2)
            #expect(error.position.byteOffset == 16)
        }
        #expect(values == [1])
        #expect(try await iterator.next() == nil)
    }

    @Test("Encodable values become a body, one record per value, readable back")
    func encodeBody() async throws {
        struct Token: Codable, Equatable, Sendable { var text: String }
        let tokens = AsyncStream<Token> { continuation in
            for text in ["a", "b", "c"] { continuation.yield(Token(text: text)) }
            continuation.finish()
        }
        var chunks: [[UInt8]] = []
        for try await chunk in try tokens.encodedRecords(format: "json-array") { chunks.append(chunk) }
        #expect(chunks.count >= 3)
        let all = chunks.flatMap { $0 }
        #expect(
            try TypedRecordReader.values(of: Token.self, in: all, format: "json-array") == [
                Token(text: "a"), Token(text: "b"), Token(text: "c"),
            ])
    }

    @Test("Encodable values become named SSE events, read back with their types")
    func encodeNamedEvents() async throws {
        struct Delta: Codable, Equatable, Sendable {
            var type: String
            var text: String
        }
        let deltas = AsyncStream<Delta> { continuation in
            continuation.yield(Delta(type: "content_block_delta", text: "こんにちは"))
            continuation.yield(Delta(type: "message_stop", text: ""))
            continuation.finish()
        }
        var body: [UInt8] = []
        var count = 0
        for try await chunk in try deltas.encodedRecords(format: "text/event-stream", fields: { delta in (event: delta.type, id: nil) }) {
            body += chunk
            count += 1
        }
        #expect(count == 2)
        #expect(String(decoding: body, as: UTF8.self).hasPrefix("event: content_block_delta\ndata: {"))
        var reader = try TypedRecordReader(of: Delta.self, format: "sse")
        reader.append(body)
        reader.finishInput()
        #expect(try reader.next()?.event == "content_block_delta")
        let last = try #require(try reader.next())
        #expect(last.event == "message_stop" && last.value == Delta(type: "message_stop", text: ""))
    }

    @Test("Event fields on a JSON output are refused when the first value is written")
    func namedEventsOnJSONRefused() async throws {
        let values = AsyncStream<Int> { continuation in
            continuation.yield(1)
            continuation.finish()
        }
        var iterator = try values.encodedRecords(format: "ndjson", fields: { _ in (event: "n", id: nil) }).makeAsyncIterator()
        await #expect(throws: StreamCodecError.self) { _ = try await iterator.next() }
        #expect(try await iterator.next() == nil)
    }

    @Test("An unknown format is rejected before iterating")
    func unknownFormat() {
        #expect(throws: StreamCodecError.self) { _ = try body([]).decodedRecords(of: Int.self, format: "yaml") }
    }
}
