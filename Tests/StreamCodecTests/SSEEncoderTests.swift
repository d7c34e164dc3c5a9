import StreamCodec
// SSEEncoder: writes the WHATWG HTML 9.2.5 event stream grammar so that a conforming parser
// (9.2.6) reads back the record that was encoded. Output: `event: X`, `id: X` (an empty id as
// `id`), `retry: N`, then one `data: line` per line of data split at CRLF/LF/CR (an empty
// line as `data`), then a blank line; LF line ends, no BOM.
//
// Output rules for real clients (Docs/Formats.md, "SSE output rules"): no block without a `data:`
// line. A `.control` record's id/retry go into the next event's block (a field the event sets
// itself wins; fields no event follows are dropped at the end), unless `.standalone` is asked
// for. `retry` is a run of ASCII digits of any length, written without leading zeros. Heartbeats:
// `:` + blank line, or `event: NAME` + `data: {"type":"NAME"}` + blank line.
import Testing

private func encode(_ records: [Record], _ controlBlocks: SSEEncoder.ControlBlocks = .merge) throws(StreamCodecError) -> String {
    var encoder = SSEEncoder(controlBlocks: controlBlocks)
    var out: [UInt8] = []
    try encoder.start(into: &out)
    for record in records { try encoder.encode(record, into: &out) }
    try encoder.finish(into: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Encodes `record`, decodes the bytes (every split) with keepComments, returns the records.
/// An event whose blank line were missing would be discarded with a warning, so no warning
/// is allowed.
private func roundTrip(
    _ record: Record, _ controlBlocks: SSEEncoder.ControlBlocks = .merge,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> [Record] {
    let bytes = u8(try encode([record], controlBlocks))
    let (result, _) = decodeEveryWay(bytes, sourceLocation: sourceLocation) { SSEDecoder(options: .init(keepComments: true)) }
    #expect(result.error == nil, sourceLocation: sourceLocation)
    #expect(result.warnings.isEmpty, sourceLocation: sourceLocation)
    return result.records
}

@Suite("SSE encoder")
struct SSEEncoderTests {
    @Test("an event is written as event, id, retry, one data line per line, then a blank line")
    func fieldOrder() throws {
        #expect(
            try encode([.event(data: "a\nb", event: "greet", id: "42", retry: 1500)])
                == "event: greet\nid: 42\nretry: 1500\ndata: a\ndata: b\n\n")
        #expect(try encode([.event(data: "hi")]) == "data: hi\n\n")
    }

    @Test(
        "data is split at CRLF, LF and CR; an empty line is written as bare `data`",
        arguments: [
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

    @Test("asked for standalone control blocks, a .control record is its id/retry lines and a blank line")
    func controlRecordStandalone() throws {
        #expect(try encode([.control(id: "7")], .standalone) == "id: 7\n\n")
        #expect(try encode([.control(retry: 10)], .standalone) == "retry: 10\n\n")
        #expect(try encode([.control(id: "", retry: 0)], .standalone) == "id\nretry: 0\n\n")
    }

    @Test("a .comment record is `: text` per line, an empty line as `:`")
    func commentRecord() throws {
        #expect(try encode([.comment("hello")]) == ": hello\n")
        #expect(try encode([.comment("")]) == ":\n")
        #expect(try encode([.comment("a\nb\r\nc")]) == ": a\n: b\n: c\n")
        #expect(try encode([.comment("a\n")]) == ": a\n:\n")
    }

    @Test(
        "an event type or id with CR or LF, or an id with NUL, cannot be encoded",
        arguments: [
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

    @Test(
        "decode(encode(r)) == r",
        arguments: [
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
            .comment("a comment"),
            .comment(" leading space"),
            .comment(""),
        ])
    func roundTripExact(record: Record) throws {
        #expect(try roundTrip(record) == [record])
    }

    @Test(
        "asked for standalone control blocks, decode(encode(r)) == r for control records",
        arguments: [
            Record.control(id: "only-id"),
            .control(id: ""),
            .control(retry: 5),
            .control(id: "9", retry: 9),
            .control(retry: "123456789012345678901234567890"),
        ])
    func roundTripControlStandalone(record: Record) throws {
        #expect(try roundTrip(record, .standalone) == [record])
    }

    @Test(
        "round trip turns CRLF and CR line breaks in data into LF",
        arguments: [
            ("a\r\nb", "a\nb"),
            ("a\rb", "a\nb"),
            ("a\r\n", "a\n"),
            ("a\r\r\nb\rc", "a\n\nb\nc"),
        ])
    func roundTripNormalises(data: String, expected: String) throws {
        #expect(try roundTrip(.event(data: data, event: "e", id: "1")) == [.event(data: expected, event: "e", id: "1")])
    }

    @Test("a stream of several records round-trips in order (standalone control blocks)")
    func roundTripStream() throws {
        let records: [Record] = [
            .event(data: "1"), .control(id: "x"), .event(data: "", event: "empty"), .comment("c"), .event(data: "a\nb", retry: 2),
        ]
        let (result, decoder) = decodeEveryWay(try encode(records, .standalone)) { SSEDecoder(options: .init(keepComments: true)) }
        #expect(result.records == records)
        #expect(decoder.lastEventID == "x")
    }

    // MARK: Output rules for real clients

    @Test("by default a control record writes nothing itself: its id and retry go into the next event's block")
    func controlMergedIntoNextEvent() throws {
        let text = try encode([.control(id: "7", retry: "3000"), .event(data: "a")])
        #expect(text == "id: 7\nretry: 3000\ndata: a\n\n")
        let (result, decoder) = decodeEveryWay(text) { SSEDecoder() }
        #expect(result.records == [.event(data: "a", id: "7", retry: "3000")])
        #expect(decoder.lastEventID == "7")
    }

    @Test("a field the next event sets itself wins over a held one; the other held field still goes in")
    func eventFieldWins() throws {
        #expect(try encode([.control(id: "1", retry: "10"), .event(data: "b", id: "2")]) == "id: 2\nretry: 10\ndata: b\n\n")
        #expect(try encode([.control(retry: "10"), .control(retry: "20"), .event(data: "b", retry: "30")]) == "retry: 30\ndata: b\n\n")
        #expect(
            try encode([.control(id: "1"), .control(retry: "5"), .event(data: "c", event: "t")]) == "event: t\nid: 1\nretry: 5\ndata: c\n\n"
        )
    }

    @Test("held fields go into the next event's block only: a comment passes between, later events get nothing")
    func heldFieldsOnce() throws {
        let text = try encode([.control(id: "1"), .comment("keep"), .event(data: "x"), .event(data: "y")])
        #expect(text == ": keep\nid: 1\ndata: x\n\ndata: y\n\n")
        let (result, decoder) = decodeEveryWay(text) { SSEDecoder(options: .init(keepComments: true)) }
        #expect(result.records == [.comment("keep"), .event(data: "x", id: "1"), .event(data: "y")])
        #expect(decoder.lastEventID == "1") // y, which set no id, keeps the last event id 1 as before
    }

    @Test("a JSON record takes the held fields too")
    func jsonTakesHeldFields() throws {
        #expect(try encode([.control(retry: "5"), try Record.json("[1]")]) == "retry: 5\ndata: [1]\n\n")
        #expect(try encode([.control(id: ""), try Record.json("2")]) == "id\ndata: 2\n\n")
    }

    @Test("fields that no event follows are dropped at the end: with no event nothing is written")
    func trailingControlDropped() throws {
        #expect(try encode([.control(id: "7")]) == "")
        #expect(try encode([.control(retry: "10")]) == "")
        #expect(try encode([.event(data: "a"), .control(id: "", retry: "0"), .comment("c")]) == "data: a\n\n: c\n")
    }

    @Test("a control record with an unwritable id is an error at that record, even though it writes nothing yet")
    func heldFieldsCheckedAtOnce() {
        var encoder = SSEEncoder()
        var out: [UInt8] = []
        #expect(throws: StreamCodecError.self) { try encoder.encode(.control(id: "a\nb"), into: &out) }
        #expect(throws: StreamCodecError.self) { try encoder.encode(.control(retry: "12a"), into: &out) }
        #expect(out.isEmpty)
    }

    @Test("every block the encoder writes by default has a data line (generated record sequences)")
    func everyBlockHasData() throws {
        let pool: [Record] = [
            .event(data: "a"), .event(data: "", event: "e"), .event(data: "x\ny", id: "3", retry: "9"),
            .control(id: "1"), .control(retry: "2"), .control(id: "", retry: "0"), .comment("c"),
            try Record.json(#"{"k":1}"#),
        ]
        var rng = SplitMix64(seed: 13)
        for _ in 0..<300 {
            let records = (0..<Int(rng.next() % 8)).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }
            let text = try encode(records)
            for block in text.split(separator: "\n\n", omittingEmptySubsequences: true) {
                let fields = block.split(separator: "\n").filter { !$0.hasPrefix(":") }
                if fields.isEmpty { continue }
                #expect(fields.contains { $0 == "data" || $0.hasPrefix("data: ") }, "\(records): block \(block.debugDescription)")
            }
            // What a client sees at each event is what the records said: same data, and the
            // same last event id at every event.
            let (result, _) = decodeEveryWay(text) { SSEDecoder() }
            let sent = records.filter { $0.kind == .event || $0.kind == .json }
            #expect(result.records.map(\.data) == sent.map(\.data))
            var lastID = ""
            var seenID = ""
            var expectedIDs: [String] = []
            var seenIDs: [String] = []
            for record in records {
                if let id = record.id { lastID = id }
                if record.kind == .event || record.kind == .json { expectedIDs.append(lastID) }
            }
            for record in result.records {
                if let id = record.id { seenID = id }
                seenIDs.append(seenID)
            }
            #expect(seenIDs == expectedIDs, "\(records)")
        }
    }

    @Test(
        "retry digits are kept exactly however long, written without leading zeros",
        arguments: [
            ("3000", "3000"), ("0", "0"), ("000", "0"), ("007", "7"),
            ("18446744073709551616", "18446744073709551616"),
            (
                "123456789012345678901234567890123456789012345678901234567890",
                "123456789012345678901234567890123456789012345678901234567890"
            ),
        ])
    func retryDigits(given: String, written: String) throws {
        let text = try encode([.event(data: "x", retry: given)])
        #expect(text == "retry: \(written)\ndata: x\n\n")
        let (result, _) = decodeEveryWay(text) { SSEDecoder() }
        #expect(result.records == [.event(data: "x", retry: written)])
    }

    @Test(
        "a retry that is not a run of ASCII digits cannot be encoded",
        arguments: ["", "1.5", "-1", "+1", " 1", "1 ", "12a", "\u{0663}", "1\n2"])
    func retryNotDigits(value: String) {
        do {
            _ = try encode([.event(data: "x", retry: value)])
            Issue.record("encoded retry \(value.debugDescription)")
        } catch {
            #expect(error.code == .unencodable)
        }
    }

    @Test("a comment heartbeat is one ':' line with no blank line after it, so it joins the next block and dispatches nothing")
    func commentHeartbeat() throws {
        let beat = try SSEEncoder.heartbeat()
        #expect(String(decoding: beat, as: UTF8.self) == ":\n")
        let stream = beat + u8("id: 1\ndata: a\n\n") + beat + beat + u8("data: b\n\n") + beat
        let (result, decoder) = decodeEveryWay(stream) { SSEDecoder() }
        #expect(result.records == [.event(data: "a", id: "1"), .event(data: "b")])
        #expect(result.warnings.isEmpty) // a trailing comment line is no unfinished event
        #expect(decoder.lastEventID == "1")
        #expect(!String(decoding: stream, as: UTF8.self).contains("\n\n:\n\n"))
    }

    @Test("a named heartbeat is `event: NAME`, `data: {\"type\":\"NAME\"}` and a blank line (Anthropic's ping for ping)")
    func namedHeartbeat() throws {
        #expect(String(decoding: try SSEEncoder.heartbeat(event: "ping"), as: UTF8.self) == "event: ping\ndata: {\"type\":\"ping\"}\n\n")
        let odd = try SSEEncoder.heartbeat(event: "a\"b\\ c:é")
        #expect(String(decoding: odd, as: UTF8.self) == "event: a\"b\\ c:é\ndata: {\"type\":\"a\\\"b\\\\ c:é\"}\n\n")
        let (result, _) = decodeEveryWay(try SSEEncoder.heartbeat(event: "ping") + u8("data: a\n\n")) { SSEDecoder() }
        #expect(result.records == [.event(data: #"{"type":"ping"}"#, event: "ping"), .event(data: "a")])
        #expect(try Record.json(validating: result.records[0].data).data == u8(#"{"type":"ping"}"#))
    }

    @Test("a heartbeat event name must be non-empty without CR, LF or NUL", arguments: ["", "a\nb", "a\rb", "\u{0}", "ping\r\n"])
    func badHeartbeatName(name: String) {
        do {
            _ = try SSEEncoder.heartbeat(event: name)
            Issue.record("accepted \(name.debugDescription)")
        } catch {
            #expect(error.code == .invalidOptions)
        }
    }
}
