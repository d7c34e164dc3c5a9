// Records decoded into Codable types: providers' real streams, every split, the done marker,
// and errors that name the record's place in the stream.
import Foundation
import StreamCodec
import StreamCodecFoundation
import Testing

@Suite("Typed records: reading")
struct TypedRecordReaderTests {
    /// Decodes `bytes` fed as `chunks`, returning every record.
    func read<T: Decodable>(
        _ type: T.Type, _ chunks: [ArraySlice<UInt8>], format: String,
        decoder: JSONDecoder = snakeCaseDecoder()
    ) throws -> [DecodedRecord<T>] {
        var reader = try TypedRecordReader(of: type, format: format, jsonDecoder: decoder)
        var out: [DecodedRecord<T>] = []
        for chunk in chunks {
            reader.append(chunk)
            while let record = try reader.next() { out.append(record) }
        }
        reader.finishInput()
        while let record = try reader.next() { out.append(record) }
        return out
    }

    @Test("An OpenAI chat stream decodes into chunks, whole, byte by byte and at random splits, and stops at [DONE]")
    func openAIStream() throws {
        let bytes = try fixture("openai-chat/input.sse")
        var first: [DecodedRecord<OpenAIChunk>]?
        for way in splits(of: bytes) {
            let records = try read(OpenAIChunk.self, way.chunks, format: "text/event-stream")
            if let first { #expect(records.map(\.value) == first.map(\.value), "\(way.name)") } else { first = records }
        }
        let records = try #require(first)
        let text = records.compactMap { $0.value.choices.first?.delta.content }.joined()
        #expect(text.hasPrefix("京都是日本的古都"))
        #expect(records.first?.value.choices.first?.delta.role == "assistant")
        #expect(records.last?.value.choices.first?.finishReason == "stop" || records.last?.value.choices.isEmpty == true)
        #expect(records.map(\.position.recordNumber) == Array(1...records.count))
    }

    @Test("Anthropic's named events decode into an enum, keeping each event's type, in every split")
    func anthropicStream() throws {
        let bytes = try fixture("anthropic-messages/input.sse")
        for way in splits(of: bytes) {
            let records = try read(AnthropicEvent.self, way.chunks, format: "sse")
            #expect(records.first?.value == .messageStart(model: "claude-sonnet-4-5-20250929"), "\(way.name)")
            #expect(records.first?.event == "message_start")
            #expect(records.contains { $0.value == .ping && $0.event == "ping" })
            #expect(records.last?.value == .messageStop)
            #expect(records.last?.event == "message_stop")
            let text = records.compactMap { record -> String? in
                if case .contentBlockDelta(_, let delta) = record.value { return delta.text } else { return nil }
            }.joined()
            #expect(text.hasPrefix("こんにちは！🌸 春の東京なら、"), "\(way.name)")
            #expect(records.contains { $0.value == .messageDelta(stopReason: "end_turn") })
        }
    }

    @Test("The done marker ends the values: nothing after it is decoded, not even bad JSON")
    func doneMarkerEnds() throws {
        let input = Array("data: {\"n\":1}\n\ndata: [DONE]\n\ndata: not json\n\n".utf8)
        struct N: Decodable, Equatable { var n: Int }
        for way in splits(of: input) {
            let records = try read(N.self, way.chunks, format: "sse")
            #expect(records.map(\.value) == [N(n: 1)], "\(way.name)")
        }
        var reader = try TypedRecordReader(of: N.self, format: "sse")
        reader.append(input)
        #expect(try reader.next()?.value == N(n: 1))
        #expect(try reader.next() == nil)
        #expect(reader.sawDoneMarker)
    }

    @Test("Another done marker, or none: [DONE] is then data, and data that is not JSON is an error")
    func doneMarkerConfigurable() throws {
        struct N: Decodable, Equatable { var n: Int }
        let input = Array("data: {\"n\":1}\n\ndata: [DONE]\n\n".utf8)
        var reader = try TypedRecordReader(of: N.self, format: "sse", doneMarker: nil)
        reader.append(input)
        reader.finishInput()
        #expect(try reader.next()?.value == N(n: 1))
        #expect(throws: TypedRecordError.self) { try reader.next() }
        let ended = try TypedRecordReader.values(
            of: N.self, in: Array("data: {\"n\":2}\n\ndata: END\n\ndata: x\n\n".utf8),
            format: "sse", doneMarker: "END")
        #expect(ended == [N(n: 2)])
    }

    @Test("Comments, control blocks and events without data are passed over")
    func passedOver() throws {
        struct N: Decodable, Equatable { var n: Int }
        let input = Array(": keep-alive\n\nretry: 3000\n\nevent: empty\n\nid: 7\ndata: {\"n\":3}\n\n".utf8)
        for way in splits(of: input) {
            let records = try read(N.self, way.chunks, format: "sse")
            #expect(records.map(\.value) == [N(n: 3)], "\(way.name)")
            #expect(records.first?.id == "7")
        }
    }

    @Test("A final NDJSON line without its line feed is decoded once the input is finished")
    func finalLineWithoutLF() throws {
        struct N: Decodable, Equatable { var n: Int }
        var reader = try TypedRecordReader(of: N.self, format: "ndjson")
        reader.append(Array("{\"n\":1}\n{\"n\":2}".utf8))
        #expect(try reader.next()?.value == N(n: 1))
        #expect(try reader.next() == nil) // the second line may continue
        reader.finishInput()
        #expect(try reader.next()?.value == N(n: 2))
        #expect(try reader.next() == nil)
    }

    @Test("Every JSON format decodes to the same values", arguments: ["ndjson", "stream-json", "json-seq", "json-array"])
    func everyFormat(format: String) throws {
        let inputs = [
            "ndjson": "{\"n\":1}\n{\"n\":2}\n",
            "stream-json": "{\n  \"n\": 1\n}\n{\"n\":2}",
            "json-seq": "\u{1E}{\"n\":1}\n\u{1E}{\"n\":2}\n",
            "json-array": "[{\"n\":1},\n {\"n\":2}]",
        ]
        struct N: Decodable, Equatable { var n: Int }
        let input = Array(inputs[format]!.utf8)
        for way in splits(of: input) {
            #expect(try read(N.self, way.chunks, format: format).map(\.value) == [N(n: 1), N(n: 2)], "\(way.name)")
        }
    }

    @Test("A record that does not fit the type is an error naming the record, its line, its offset and the coding path")
    func typeMismatchHasPosition() throws {
        struct N: Decodable { var n: Int }
        let input = Array("{\"n\":1}\n{\"n\":2}\n{\"n\":\"three\"}\n{\"n\":4}\n".utf8)
        for way in splits(of: input) {
            var reader = try TypedRecordReader(of: N.self, format: "ndjson")
            var values: [Int] = []
            var caught: TypedRecordError?
            do {
                for chunk in way.chunks {
                    reader.append(chunk)
                    while let record = try reader.next() { values.append(record.value.n) }
                }
            } catch let error as TypedRecordError {
                caught = error
            }
            #expect(values == [1, 2], "\(way.name)")
            let error = try #require(caught, "\(way.name)")
            #expect(error.position.recordNumber == 3)
            #expect(error.position.byteOffset == 30) // 8 + 8 + 14: the third line and its LF consumed
            #expect(error.position.line == 3)
            #expect(error.underlying is DecodingError)
            #expect(error.description.contains("record 3"))
            #expect(error.description.contains(".n"))
            #expect(error.description.contains("N"))
        }
    }

    @Test("An SSE event that does not fit the type is an error naming the line where its block starts")
    func sseMismatchLine() throws {
        struct N: Decodable { var n: Int }
        let input = Array(": hello\n\ndata: {\"n\":1}\n\nevent: x\ndata: {\"m\":2}\n\n".utf8)
        for way in splits(of: input) {
            var reader = try TypedRecordReader(of: N.self, format: "sse")
            do {
                for chunk in way.chunks {
                    reader.append(chunk)
                    while try reader.next() != nil {}
                }
                Issue.record("no error (\(way.name))")
            } catch let error as TypedRecordError {
                #expect(error.position.recordNumber == 2, "\(way.name)")
                #expect(error.position.line == 5, "\(way.name)")
                #expect(error.position.byteOffset == input.count, "\(way.name)")
            }
        }
    }

    @Test("Bad JSON in the stream is the stream's error, with its line, before any decoding")
    func badJSONIsStreamError() throws {
        struct N: Decodable { var n: Int }
        #expect(throws: StreamCodecError.self) {
            _ = try TypedRecordReader.values(of: N.self, in: Array("{\"n\":1}\n{\"n\":}\n".utf8), format: "ndjson")
        }
        do {
            _ = try TypedRecordReader.values(of: N.self, in: Array("{\"n\":1}\n{\"n\":}\n".utf8), format: "ndjson")
        } catch let error as StreamCodecError {
            #expect(error.line == 2)
        }
    }

    @Test("An unknown format is rejected when the reader is made")
    func unknownFormat() {
        #expect(throws: StreamCodecError.self) { _ = try TypedRecordReader(of: Int.self, format: "text/html") }
    }

    @Test("The JSONDecoder's strategies apply (dates, keys)")
    func configuredDecoder() throws {
        struct Stamped: Decodable, Equatable { var createdAt: Date }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .secondsSince1970
        let values = try TypedRecordReader.values(
            of: Stamped.self, in: Array("{\"created_at\": 86400}\n".utf8),
            format: "ndjson", jsonDecoder: decoder)
        #expect(values == [Stamped(createdAt: Date(timeIntervalSince1970: 86400))])
    }

    @Test("A record over the limit is refused with the limit, memory bounded")
    func recordLimit() throws {
        struct S: Decodable { var s: String }
        var reader = try TypedRecordReader(of: S.self, format: "ndjson", maxRecordBytes: 64)
        reader.append(Array("{\"s\":\"\(String(repeating: "x", count: 100))\"}\n".utf8))
        do {
            _ = try reader.next()
            Issue.record("no error")
        } catch let error as StreamCodecError {
            #expect(error.code == .recordTooLarge)
        }
    }
}
