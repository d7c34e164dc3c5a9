// Encodable values written as records of every output format, and read back.
import Foundation
import StreamCodec
import StreamCodecFoundation
import Testing

@Suite("Typed records: writing")
struct TypedRecordWriterTests {
    struct Token: Codable, Equatable, Sendable {
        var text: String
        var index: Int
    }

    @Test("Values become one NDJSON line each, minified, and read back equal")
    func ndjson() throws {
        let tokens = [Token(text: "京都", index: 0), Token(text: "a \"quote\"\n", index: 1)]
        let bytes = try TypedRecordWriter.encode(tokens, format: "ndjson")
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty)
        #expect(!lines[0].contains(" "))
        #expect(try TypedRecordReader.values(of: Token.self, in: bytes, format: "ndjson") == tokens)
    }

    @Test("Values become SSE events, with an event type and id when given")
    func sseEvents() throws {
        var writer = try TypedRecordWriter(format: "sse")
        var out: [UInt8] = []
        try writer.write(Token(text: "hi", index: 0), event: "token", id: "1", into: &out)
        try writer.write(Token(text: "yo", index: 1), into: &out)
        try writer.finish(into: &out)
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.hasPrefix("event: token\nid: 1\ndata: {"))
        #expect(text.hasSuffix("}\n\n"))
        var reader = try TypedRecordReader(of: Token.self, format: "sse")
        reader.append(out)
        reader.finishInput()
        let first = try #require(try reader.next())
        #expect(first.value == Token(text: "hi", index: 0) && first.event == "token" && first.id == "1")
        let second = try #require(try reader.next())
        #expect(second.value == Token(text: "yo", index: 1) && second.event == nil && second.id == nil)
    }

    @Test("Every output format round-trips the values", arguments: ["ndjson", "stream-json", "json-seq", "json-array", "sse"])
    func roundTrip(format: String) throws {
        let tokens = (0..<5).map { Token(text: "t\($0)", index: $0) }
        let bytes = try TypedRecordWriter.encode(tokens, format: format)
        #expect(try TypedRecordReader.values(of: Token.self, in: bytes, format: format) == tokens)
    }

    @Test("A json-array of no values is still a complete array")
    func emptyArray() throws {
        let bytes = try TypedRecordWriter.encode([Token](), format: "json-array")
        #expect(String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace } == "[]")
        #expect(try TypedRecordReader.values(of: Token.self, in: bytes, format: "json-array").isEmpty)
    }

    @Test("An event type on a JSON format is refused: it would be lost")
    func eventOnJSONRefused() throws {
        var writer = try TypedRecordWriter(format: "ndjson")
        var out: [UInt8] = []
        #expect(throws: StreamCodecError.self) { try writer.write(Token(text: "x", index: 0), event: "token", into: &out) }
    }

    @Test("A value JSONEncoder refuses is an error naming the value's number")
    func unencodable() throws {
        struct F: Encodable { var x: Double }
        var writer = try TypedRecordWriter(format: "ndjson")
        var out: [UInt8] = []
        try writer.write(F(x: 1), into: &out)
        do {
            try writer.write(F(x: .infinity), into: &out)
            Issue.record("no error")
        } catch let error as TypedRecordError {
            #expect(error.position.recordNumber == 2)
            #expect(error.underlying is EncodingError)
        }
        #expect(out == Array("{\"x\":1}\n".utf8))
    }

    @Test("An unknown output format is rejected when the writer is made")
    func unknownFormat() {
        #expect(throws: StreamCodecError.self) { _ = try TypedRecordWriter(format: "xml") }
    }
}
