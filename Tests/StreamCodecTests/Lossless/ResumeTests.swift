// Resuming a numbered SSE stream after a client's Last-Event-ID (WHATWG HTML 9.2.4: a
// reconnecting EventSource sends the last event id it saw), and converters with transforms of
// one's own in the async adapter.
import StreamCodec
import Testing

@Suite("Resuming after Last-Event-ID")
struct ResumeTests {
    static let input = Array((1...6).map { "{\"n\":\($0)}\n" }.joined().utf8)

    static func sse(resumeAfter: UInt64?) throws -> [Record] {
        var options = ConversionOptions()
        options.sequentialIDs = true
        options.resumeAfterID = resumeAfter
        var converter = try Converter(from: "ndjson", to: "sse", options: options)
        var out: [UInt8] = []
        try converter.convert(input, into: &out)
        try converter.finish(into: &out)
        var driver = DecodingDriver(decoder: SSEDecoder())
        driver.append(out)
        driver.finishInput()
        var records: [Record] = []
        while let record = try driver.next() { records.append(record) }
        return records
    }

    @Test("records up to the given id are dropped and numbering goes on after it")
    func resumes() throws {
        let all = try Self.sse(resumeAfter: nil)
        #expect(all.map(\.id) == ["1", "2", "3", "4", "5", "6"])
        let resumed = try Self.sse(resumeAfter: 4)
        #expect(resumed.map(\.id) == ["5", "6"])
        #expect(resumed.map(\.text) == ["{\"n\":5}", "{\"n\":6}"])
        // The first connection's events up to 4 plus the resumed ones are the whole stream, once.
        #expect(Array(all.prefix(4)) + resumed == all)
        #expect(try Self.sse(resumeAfter: 0) == all)
        #expect(try Self.sse(resumeAfter: 99).isEmpty)
    }

    @Test("resuming needs sequential ids")
    func needsIDs() {
        var options = ConversionOptions()
        options.resumeAfterID = 3
        #expect(throws: StreamCodecError.self) { try Converter(from: "ndjson", to: "sse", options: options) }
    }

    @Test("converted(using:) runs a converter built with transforms of one's own")
    func convertedUsing() async throws {
        struct Shout: RecordTransform {
            mutating func apply(_ record: inout Record, line: Int?) throws(StreamCodecError) -> TransformAction {
                record = Record.event(data: record.text.uppercased())
                return .pass
            }
        }
        let upstream = AsyncStream<[UInt8]> { continuation in
            continuation.yield(Array("data: hello\n\ndata: wor".utf8))
            continuation.yield(Array("ld\n\n".utf8))
            continuation.finish()
        }
        var out: [UInt8] = []
        for try await chunk in upstream.converted(using: {
            Converter(makeDecoder: { SSEDecoder() }, transforms: [Shout()], encoder: SSEEncoder())
        }) {
            out += chunk
        }
        #expect(String(decoding: out, as: UTF8.self) == "data: HELLO\n\ndata: WORLD\n\n")
    }
}
