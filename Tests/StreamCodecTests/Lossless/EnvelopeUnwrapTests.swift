import StreamCodec
// Docs/Formats.md, "The envelope schema", reading envelopes (JSON to SSE with --envelope):
// - each record must be an object with only the keys data, event, id, retry, comment; any other
//   key is an error naming it; so is a duplicate key;
// - string data becomes `data:` lines, split at every CRLF, LF or CR; data of any other JSON type
//   is written as its minified JSON text;
// - `id` may be a string or an integer, `retry` a non-negative integer;
// - an object with only id/retry becomes a block without data; `{}` writes nothing; `event`
//   without `data` is an error;
// - what SSE cannot carry is an error: an event type or id with CR or LF, an id with NUL, a lone
//   surrogate escape in any string.
// The SSE encoder writes `event: T`, `id: I` (`id` when empty), `retry: N`, `data: L` per line
// (`data` when empty), a blank line; a comment as `: text` per line (`:` when empty).
import Testing

private let unwrapOptions = conversionOptions { $0.mode = .envelope }

/// Envelope NDJSON to SSE, every way; the run must succeed without warnings.
private func unwrap(_ ndjson: String, from source: String = "ndjson", sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let run = try convertAllWays(ndjson, from: source, to: "sse", options: unwrapOptions, sourceLocation: sourceLocation)
    #expect(run.error == nil, "\(run)", sourceLocation: sourceLocation)
    #expect(run.warnings.isEmpty, "\(run)", sourceLocation: sourceLocation)
    return run.text
}

/// Envelope NDJSON to SSE that must fail: returns the run (output before the error, the error).
private func unwrapFailing(_ ndjson: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LosslessRun {
    let run = try convertAllWays(ndjson, from: "ndjson", to: "sse", options: unwrapOptions, sourceLocation: sourceLocation)
    #expect(run.error != nil, "expected an error for \(ndjson.debugDescription), got \(run)", sourceLocation: sourceLocation)
    return run
}

@Suite("Envelope mode: JSON objects to SSE")
struct LosslessEnvelopeUnwrapTests {
    // "JSON to SSE, --envelope | object -> block" (the direction table).
    @Test("{event, data} becomes an event block with one data line per line, as in the direction table")
    func tableExample() throws {
        #expect(try unwrap(#"{"event":"end","data":"a\nb"}"# + "\n") == "event: end\ndata: a\ndata: b\n\n")
    }

    @Test("fields are written in the order event, id, retry, data, whatever the order of the keys")
    func fieldOrder() throws {
        #expect(try unwrap(#"{"data":"x","retry":5,"id":"1","event":"e"}"# + "\n") == "event: e\nid: 1\nretry: 5\ndata: x\n\n")
    }

    @Test(
        "string data is split at every CRLF, LF and CR; an empty line is written as `data`",
        arguments: [
            (#""a\r\nb\rc\nd""#, "data: a\ndata: b\ndata: c\ndata: d\n\n"),
            (#""a\n""#, "data: a\ndata\n\n"),
            (#""\n""#, "data\ndata\n\n"),
            (#""""#, "data\n\n"),
            (#""a\n\nb""#, "data: a\ndata\ndata: b\n\n"),
            (#""a\r\rb""#, "data: a\ndata\ndata: b\n\n"),
            (#""\r\n\r\n""#, "data\ndata\ndata\n\n"),
            (#"" lead""#, "data:  lead\n\n"),
            (#""a\u2028b""#, "data: a\u{2028}b\n\n"),
        ])
    func stringDataLines(data: String, sse: String) throws {
        #expect(try unwrap("{\"data\":\(data)}\n") == sse)
    }

    @Test("escapes in string data are resolved: \\u escapes, surrogate pairs, \\/ and \\\\ become their characters")
    func stringDataEscapes() throws {
        #expect(try unwrap(#"{"data":"\u00e9\ud83d\ude00\/\\\"\t\u0000"}"# + "\n") == "data: é😀/\\\"\t\u{0}\n\n")
    }

    @Test(
        "data of any other JSON type is written as its minified JSON text",
        arguments: [
            (#"{"data": {"a": [1, 2], "s": "x\ny"}}"#, #"data: {"a":[1,2],"s":"x\ny"}"#),
            (#"{"data": [ ]}"#, "data: []"),
            (#"{"data": 1.0E+2}"#, "data: 1.0E+2"),
            (#"{"data": 18446744073709551617}"#, "data: 18446744073709551617"),
            (#"{"data": true}"#, "data: true"),
            (#"{"data": null}"#, "data: null"),
            (#"{"data": {"html": "\u003c"}}"#, #"data: {"html":"\u003c"}"#),
        ])
    func nonStringData(record: String, dataLine: String) throws {
        #expect(try unwrap(record + "\n") == dataLine + "\n\n")
    }

    @Test("id may be a string or an integer; an empty id is written as `id`")
    func idForms() throws {
        #expect(try unwrap(#"{"id":42,"data":"x"}"# + "\n") == "id: 42\ndata: x\n\n")
        #expect(try unwrap(#"{"id":12345678901234567890123,"data":"x"}"# + "\n") == "id: 12345678901234567890123\ndata: x\n\n")
        #expect(try unwrap(#"{"id":"","data":"x"}"# + "\n") == "id\ndata: x\n\n")
        #expect(try unwrap(#"{"id":"a b:c","data":"x"}"# + "\n") == "id: a b:c\ndata: x\n\n")
        #expect(try unwrap(#"{"event":"","data":"x"}"# + "\n") == "event: \ndata: x\n\n")
    }

    @Test("an object with only id and/or retry sets them for the next event's block (none follows: nothing is written)")
    func controlBlocks() throws {
        #expect(try unwrap(#"{"id":"8","retry":500}"# + "\n" + #"{"data":"x"}"# + "\n") == "id: 8\nretry: 500\ndata: x\n\n")
        #expect(
            try unwrap(#"{"retry":0}"# + "\n" + #"{"id":""}"# + "\n" + #"{"data":"y","event":"t"}"#)
                == "event: t\nid\nretry: 0\ndata: y\n\n")
        #expect(try unwrap(#"{"id":"8","retry":500}"# + "\n") == "")
    }

    @Test("asked for standalone control blocks, an object with only id and/or retry becomes a block without data")
    func controlBlocksStandalone() throws {
        var options = unwrapOptions
        options.codec.sseControlBlocks = .standalone
        let run = try convertAllWays(
            #"{"id":"8","retry":500}"# + "\n" + #"{"retry":0}"# + "\n" + #"{"id":""}"# + "\n", from: "ndjson", to: "sse", options: options)
        #expect(run.error == nil)
        #expect(run.text == "id: 8\nretry: 500\n\nretry: 0\n\nid\n\n")
    }

    @Test("retry digits in an envelope are kept exactly, however long")
    func longRetry() throws {
        #expect(
            try unwrap(#"{"retry":123456789012345678901234567890,"data":"x"}"# + "\n")
                == "retry: 123456789012345678901234567890\ndata: x\n\n")
    }

    @Test("{} writes nothing, also between other records")
    func emptyObject() throws {
        #expect(try unwrap("{}\n") == "")
        #expect(try unwrap("{ }\n{\"data\":\"a\"}\n{}\n{\"data\":\"b\"}\n{}") == "data: a\n\ndata: b\n\n")
    }

    @Test("{\"comment\": text} becomes a comment line per line of text (`:` when empty)")
    func commentRecords() throws {
        #expect(try unwrap(#"{"comment":"keep-alive"}"# + "\n") == ": keep-alive\n")
        #expect(try unwrap(#"{"comment":""}"# + "\n") == ":\n")
        #expect(try unwrap(#"{"comment":" x"}"# + "\n") == ":  x\n")
        #expect(try unwrap(#"{"comment":"a\nb"}"# + "\n") == ": a\n: b\n")
    }

    @Test("every JSON input format is read as envelopes", arguments: ["stream-json", "json-seq", "json-array"])
    func otherJSONFormats(source: String) throws {
        let records = [#"{"event":"e","data":"a"}"#, #"{"id":1}"#]
        let input: String
        switch source {
        case "json-seq": input = records.map { "\u{1E}\($0)\n" }.joined()
        case "json-array": input = "[" + records.joined(separator: ",") + "]"
        default: input = records.joined(separator: "\n") + "\n"
        }
        #expect(try unwrap(input, from: source) == "event: e\ndata: a\n\n") // the trailing id has no event to go with
    }

    // MARK: Errors

    @Test(
        "an unknown key is an error naming the key; the records before it are written",
        arguments: ["foo", "Data", "type", "retry_ms", "comments", ""])
    func unknownKey(key: String) throws {
        let run = try unwrapFailing("{\"data\":\"ok\"}\n{\"data\":\"x\",\"\(key)\":1}\n{\"data\":\"later\"}\n")
        #expect(run.text == "data: ok\n\n")
        #expect(run.error?.code == .invalidInput)
        #expect(run.error?.message.contains("\"\(key)\"") == true, "\(run)")
        #expect(run.error?.line == 2)
    }

    @Test(
        "a duplicate key is an error naming it, also when the two are spelled differently with escapes",
        arguments: [
            (#"{"data":"a","data":"b"}"#, "data"),
            (#"{"data":"a","d\u0061ta":"b"}"#, "data"),
            (#"{"id":"1","id":2,"data":"x"}"#, "id"),
            (#"{"event":"a","data":"x","event":"b"}"#, "event"),
            (#"{"retry":1,"retry":1}"#, "retry"),
            (#"{"comment":"a","comment":"b"}"#, "comment"),
        ])
    func duplicateKey(record: String, key: String) throws {
        let run = try unwrapFailing(record + "\n")
        #expect(run.text == "")
        #expect(run.error?.message.contains("duplicate") == true, "\(run)")
        #expect(run.error?.message.contains("\"\(key)\"") == true, "\(run)")
    }

    @Test(
        "a value of the wrong type is an error naming the key",
        arguments: [
            (#"{"event":1,"data":"x"}"#, "event"),
            (#"{"event":null,"data":"x"}"#, "event"),
            (#"{"event":["a"],"data":"x"}"#, "event"),
            (#"{"id":true,"data":"x"}"#, "id"),
            (#"{"id":null,"data":"x"}"#, "id"),
            (#"{"id":1.5,"data":"x"}"#, "id"),
            (#"{"id":-1,"data":"x"}"#, "id"),
            (#"{"id":{},"data":"x"}"#, "id"),
            (#"{"retry":"5","data":"x"}"#, "retry"),
            (#"{"retry":-1,"data":"x"}"#, "retry"),
            (#"{"retry":1.5,"data":"x"}"#, "retry"),
            (#"{"retry":1e3,"data":"x"}"#, "retry"),
            (#"{"retry":null}"#, "retry"),
            (#"{"comment":1}"#, "comment"),
            (#"{"comment":null}"#, "comment"),
        ])
    func wrongType(record: String, key: String) throws {
        let run = try unwrapFailing(record + "\n")
        #expect(run.text == "")
        #expect(run.error?.code == .invalidInput)
        #expect(run.error?.message.contains("\"\(key)\"") == true, "\(run)")
    }

    @Test("a record that is not an object is an error", arguments: ["[1]", "\"data\"", "1", "null", "true"])
    func notAnObject(record: String) throws {
        let run = try unwrapFailing(#"{"data":"a"}"# + "\n" + record + "\n")
        #expect(run.text == "data: a\n\n")
        #expect(run.error?.code == .invalidInput)
        #expect(run.error?.line == 2)
    }

    @Test("event without data is an error naming event (it would dispatch nothing)")
    func eventWithoutData() throws {
        for record in [#"{"event":"x"}"#, #"{"event":"x","id":"1"}"#, #"{"event":"","retry":5}"#] {
            let run = try unwrapFailing(record + "\n")
            #expect(run.text == "")
            #expect(run.error?.message.contains("\"event\"") == true, "\(run)")
        }
    }

    @Test("a comment object with any other key is an error")
    func commentWithOtherKeys() throws {
        for record in [#"{"comment":"a","data":"x"}"#, #"{"id":"1","comment":"a"}"#] {
            let run = try unwrapFailing(record + "\n")
            #expect(run.text == "")
            #expect(run.error?.message.contains("comment") == true, "\(run)")
        }
    }

    @Test(
        "an event type or id with CR or LF, or an id with NUL, is an error: SSE cannot carry it",
        arguments: [
            #"{"event":"a\nb","data":"x"}"#,
            #"{"event":"a\rb","data":"x"}"#,
            #"{"id":"a\nb","data":"x"}"#,
            #"{"id":"a\r","data":"x"}"#,
            #"{"id":"a\u0000b","data":"x"}"#,
            #"{"id":"\u0000"}"#,
            #"{"id":"x\n","retry":1}"#,
        ])
    func unencodableFields(record: String) throws {
        let run = try unwrapFailing(#"{"data":"before"}"# + "\n" + record + "\n")
        #expect(run.text == "data: before\n\n")
        #expect(run.error?.line == 2)
        #expect([StreamCodecError.Code.unencodable, .invalidInput].contains(run.error?.code), "\(run)")
    }

    @Test(
        "a lone surrogate escape in any string of the envelope is an error",
        arguments: [
            #"{"data":"\ud800"}"#,
            #"{"data":"a\udc00b"}"#,
            #"{"data":"\ud800\u0041"}"#,
            #"{"event":"\ud83d","data":"x"}"#,
            #"{"id":"\udfff"}"#,
            #"{"comment":"\ud800"}"#,
            #"{"\ud800":"x"}"#,
        ])
    func loneSurrogates(record: String) throws {
        let run = try unwrapFailing(record + "\n")
        #expect(run.text == "")
        #expect(run.error?.message.contains("surrogate") == true, "\(run)")
    }

    @Test("a surrogate pair escape is not a lone surrogate: it becomes the character")
    func surrogatePair() throws {
        #expect(try unwrap(#"{"event":"\ud83d\ude00","id":"\uD83C\uDF75","data":"\ud83d\ude00"}"# + "\n") == "event: 😀\nid: 🍵\ndata: 😀\n\n")
    }

    @Test("with onError .skip a bad envelope is dropped with a warning on its line and the next records still come out")
    func badEnvelopeSkipped() throws {
        var options = unwrapOptions
        options.onError = .skip
        let input = "{\"data\":\"a\"}\n{\"data\":\"x\",\"bad\":1}\n{\"id\":\"a\\nb\"}\n{\"data\":\"b\"}\n"
        let run = try convertAllWays(input, from: "ndjson", to: "sse", options: options)
        #expect(run.error == nil)
        #expect(run.text == "data: a\n\ndata: b\n\n")
        #expect(run.skippedCount == 2)
        #expect(run.warnings.map(\.line) == [2, 3])
        #expect(run.warnings.allSatisfy { $0.message.hasPrefix("skipped: ") })
    }
}
