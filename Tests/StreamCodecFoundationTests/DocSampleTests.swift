// The typed-records samples of the DocC article "Typed records" (and README.md), compiled and
// run here; the StreamCodec tests check that each fenced swift block of the documents is one of
// the regions between "doc-sample: begin" and "doc-sample: end".
import Foundation
import StreamCodec
import StreamCodecFoundation
import Testing

// doc-sample: begin
struct ChatChunk: Decodable, Sendable {
    struct Choice: Decodable, Sendable {
        struct Delta: Decodable, Sendable { var content: String? }
        var delta: Delta
    }
    var choices: [Choice]
}
// doc-sample: end

@Suite("The typed-records samples run")
struct TypedDocSampleTests {
    @Test("Typed records: an OpenAI stream's chunks, from an async body")
    func asyncChunks() async throws {
        let bytes = try fixture("openai-chat/input.sse")
        let body = AsyncStream<ArraySlice<UInt8>> { continuation in
            for way in splits(of: bytes).prefix(3).suffix(1) { for chunk in way.chunks { continuation.yield(chunk) } }
            continuation.finish()
        }
        var text = ""
        // doc-sample: begin
        for try await chunk in try body.decodedRecords(of: ChatChunk.self, format: "text/event-stream") {
            text += chunk.value.choices.first?.delta.content ?? "" // the stream ends at data: [DONE]
        }
        // doc-sample: end
        #expect(text.hasPrefix("京都是日本的古都"))
    }

    @Test("Typed records: a buffer, a reader fed by hand, and an error's position")
    func syncReader() throws {
        struct Token: Codable, Equatable { var text: String }
        var messages: [String] = []
        // doc-sample: begin
        let tokens = try TypedRecordReader.values(
            of: Token.self, in: Array("{\"text\":\"a\"}\n{\"text\":\"b\"}".utf8),
            format: "ndjson") // [Token(text: "a"), Token(text: "b")]

        var reader = try TypedRecordReader(of: Token.self, format: "ndjson")
        reader.append(Array("{\"text\":\"a\"}\n{\"txt\":\"b\"}\n".utf8))
        do {
            while let token = try reader.next() { messages.append(token.value.text) }
        } catch let error as TypedRecordError {
            messages.append("\(error)") // record 2 (line 2, ending before byte 25): does not decode as Token: missing key 'text' ...
        }
        // doc-sample: end
        #expect(tokens == [Token(text: "a"), Token(text: "b")])
        #expect(messages.count == 2 && messages[0] == "a")
        #expect(messages[1].hasPrefix("record 2 (line 2, ending before byte 25): "))
        #expect(messages[1].contains("missing key 'text'"))
    }

    @Test("Typed records: Encodable values to SSE and NDJSON")
    func writing() throws {
        struct Token: Codable, Equatable { var text: String }
        // doc-sample: begin
        var writer = try TypedRecordWriter(format: "sse")
        var body: [UInt8] = []
        try writer.write(Token(text: "hi"), event: "token", id: "1", into: &body)
        try writer.finish(into: &body) // event: token\nid: 1\ndata: {"text":"hi"}\n\n

        let ndjson = try TypedRecordWriter.encode([Token(text: "a"), Token(text: "b")], format: "ndjson")
        // doc-sample: end
        #expect(body == Array("event: token\nid: 1\ndata: {\"text\":\"hi\"}\n\n".utf8))
        #expect(ndjson == Array("{\"text\":\"a\"}\n{\"text\":\"b\"}\n".utf8))
    }
}
