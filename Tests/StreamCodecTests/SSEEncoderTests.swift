// SSEEncoder: writes the WHATWG HTML 9.2.5 event stream grammar so that a conforming parser
// (9.2.6) reads back the record that was encoded. Output: `event: X`, `id: X` (an empty id as
// `id`), `retry: N`, then one `data: line` per line of data split at CRLF/LF/CR (an empty
// line as `data`), then a blank line; LF line ends, no BOM.
import Testing
import StreamCodec

private func encode(_ records: [Record]) throws(StreamCodecError) -> String {
    var encoder = SSEEncoder()
    var out: [UInt8] = []
    try encoder.start(into: &out)
    for record in records { try encoder.encode(record, into: &out) }
    try encoder.finish(into: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Encodes `record`, decodes the bytes (every split) with keepComments, returns the records.
/// An event whose blank line were missing would be discarded with a warning, so no warning
/// is allowed.
private func roundTrip(_ record: Record, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Record] {
    let bytes = u8(try encode([record]))
    let (result, _) = decodeEveryWay(bytes, sourceLocation: sourceLocation) { SSEDecoder(options: .init(keepComments: true)) }
    #expect(result.error == nil, sourceLocation: sourceLocation)
    #expect(result.warnings.isEmpty, sourceLocation: sourceLocation)
    return result.records
}

@Suite("SSE encoder")
struct SSEEncoderTests {
    @Test("an event is written as event, id, retry, one data line per line, then a blank line")
    func fieldOrder() throws {
        #expect(try encode([.event(data: "a\nb", event: "greet", id: "42", retry: 1500)])
                == "event: greet\nid: 42\nretry: 1500\ndata: a\ndata: b\n\n")
        #expect(try encode([.event(data: "hi")]) == "data: hi\n\n")
    }

    @Test("data is split at CRLF, LF and CR; an empty line is written as bare `data`", arguments: [
        ("", "data\n\n"),
        ("a", "data: a\n\n"),
        ("a\r\nb", "data: a\ndata: b\n\n"),
        ("a\rb", "data: a\ndata: b\n\n"),
        ("a\n\nb", "data: a\ndata\ndata: b\n\n"),
        ("a\n", "data: a\ndata\n\n"),
        ("a\r\n", "data: a\ndata\n\n"),
        ("a\r", "data: a\ndata\n\n"),
        ("\n", "data\ndata\n\n"),
        ("\r\n\r\n", "data\ndata\ndata\n\n"),
        ("\r\r", "data\ndata\ndata\n\n"),
        ("\n\r", "data\ndata\ndata\n\n"), // LF then CR are two line ends
        (" lead", "data:  lead\n\n"),
    ])
    func dataLines(data: String, expected: String) throws {
        #expect(try encode([.event(data: data)]) == expected)
    }

    @Test("an empty id is written as a bare `id` line")
    func emptyID() throws {
        #expect(try encode([.event(data: "x", id: "")]) == "id\ndata: x\n\n")
    }

    @Test("a .json record is `data: <json>` and a blank line")
    func jsonRecord() throws {
        #expect(try encode([try Record.json(#" { "a" : [1, 2] } "#)]) == "data: {\"a\":[1,2]}\n\n")
    }

    @Test("a .control record is its id/retry lines and a blank line")
    func controlRecord() throws {
        #expect(try encode([.control(id: "7")]) == "id: 7\n\n")
        #expect(try encode([.control(retry: 10)]) == "retry: 10\n\n")
        #expect(try encode([.control(id: "", retry: 0)]) == "id\nretry: 0\n\n")
    }

    @Test("a .comment record is `: text` per line, an empty line as `:`")
    func commentRecord() throws {
        #expect(try encode([.comment("hello")]) == ": hello\n")
        #expect(try encode([.comment("")]) == ":\n")
        #expect(try encode([.comment("a\nb\r\nc")]) == ": a\n: b\n: c\n")
        #expect(try encode([.comment("a\n")]) == ": a\n:\n")
    }

    @Test("an event type or id with CR or LF, or an id with NUL, cannot be encoded", arguments: [
        Record.event(data: "x", event: "a\nb"),
        .event(data: "x", event: "a\rb"),
        .event(data: "x", event: "\r\n"),
        .event(data: "x", id: "1\n"),
        .event(data: "x", id: "\r1"),
        .event(data: "x", id: "a\u{0}b"),
        .control(id: "a\nb"),
        .control(id: "\u{0}"),
    ])
    func unencodable(record: Record) {
        #expect(throws: StreamCodecError.self) { try encode([record]) }
        do { _ = try encode([record]) } catch { #expect(error.code == .unencodable) }
    }

    @Test("an event type with NUL is fine: only the id is ignored by the parser when it has NUL")
    func eventTypeWithNUL() throws {
        #expect(try roundTrip(.event(data: "x", event: "a\u{0}b")) == [.event(data: "x", event: "a\u{0}b")])
    }

    // Round trip: decode(encode(r)) == r.

    @Test("decode(encode(r)) == r", arguments: [
        Record.event(data: "plain"),
        .event(data: "line 1\nline 2\nline 3"),
        .event(data: ""),
        .event(data: "\n"),
        .event(data: "trailing\n"),
        .event(data: "\nleading"),
        .event(data: "a\n\n\nb"),
        .event(data: "  two leading spaces"),
        .event(data: " "),
        .event(data: "colon: inside: data"),
        .event(data: ":starts with a colon"),
        .event(data: "unicode \u{1F600} é"),
        .event(data: "x", event: "type", id: "id-1", retry: 3000),
        .event(data: "x", event: "", id: ""),
        .event(data: "x", event: " spaced ", id: " spaced "),
        .event(data: "x", retry: UInt64.max),
        .event(data: "x", id: "a:b"),
        .control(id: "only-id"),
        .control(id: ""),
        .control(retry: 5),
        .control(id: "9", retry: 9),
        .comment("a comment"),
        .comment(" leading space"),
        .comment(""),
    ])
    func roundTripExact(record: Record) throws {
        #expect(try roundTrip(record) == [record])
    }

    @Test("round trip turns CRLF and CR line breaks in data into LF", arguments: [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\r\n", "a\n"),
        ("a\r\r\nb\rc", "a\n\nb\nc"),
    ])
    func roundTripNormalises(data: String, expected: String) throws {
        #expect(try roundTrip(.event(data: data, event: "e", id: "1")) == [.event(data: expected, event: "e", id: "1")])
    }

    @Test("a stream of several records round-trips in order")
    func roundTripStream() throws {
        let records: [Record] = [.event(data: "1"), .control(id: "x"), .event(data: "", event: "empty"), .comment("c"), .event(data: "a\nb", retry: 2)]
        let (result, decoder) = decodeEveryWay(try encode(records)) { SSEDecoder(options: .init(keepComments: true)) }
        #expect(result.records == records)
        #expect(decoder.lastEventID == "x")
    }
}
