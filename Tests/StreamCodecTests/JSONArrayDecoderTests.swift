import StreamCodec
// JSONArrayDecoder / JSONArrayEncoder: one JSON array (RFC 8259 section 5) streamed element by
// element, as Docs/Formats.md (`json-array`) decides it:
// - each element is one record, written the moment it is complete (not at the end of the
//   array), any whitespace (CRLF included) around the commas;
// - input that ends before `]` (or before `[`) has its complete elements written, then
//   `.truncated`; anything after `]` but whitespace is an error;
// - skip recovery drops a bad element up to the next comma or the closing bracket at the
//   array's own level; the record-size limit counts an element's bytes;
// - `--array-path` (RFC 6901 JSON Pointer) streams a nested array; the rest of the document is
//   checked as JSON but not kept; a document without an array there is an error;
// - the encoder writes `[`, each element on its own line with a comma before every element
//   but the first, `]`; an empty stream gives `[]`.
// Every input goes through `decodeEveryWay` (whole, byte by byte, random cuts, every split).
import Testing

@discardableResult
private func array(
    _ input: String, pointer: String = "", maxRecordBytes: Int = 16 << 20, compareErrorOffsets: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> Decoded {
    let pointer = try JSONPointer(pointer)
    return decodeEveryWay(
        input, maxRecordBytes: maxRecordBytes, compareErrorOffsets: compareErrorOffsets,
        sourceLocation: sourceLocation
    ) { JSONArrayDecoder(pointer: pointer) }.0
}

@Suite("json-array decoder")
struct JSONArrayDecoderTests {
    // MARK: Elements

    @Test(
        "each element is one .json record, minified",
        arguments: [
            (#"[{"a":1},{"b":2}]"#, [#"{"a":1}"#, #"{"b":2}"#]),
            ("[1,2,3]", ["1", "2", "3"]),
            (
                #"["a", true, false, null, -1.5e3, {}, [], "\u003c"]"#,
                [#""a""#, "true", "false", "null", "-1.5e3", "{}", "[]", #""\u003c""#]
            ),
            (#"[[1,[2]],{"a":{"b":[]}},[[]]]"#, ["[1,[2]]", #"{"a":{"b":[]}}"#, "[[]]"]),
            ("[\r\n  {\"a\" : 1}\r\n ,\r\n {\"b\":2}  \r\n]\r\n", [#"{"a":1}"#, #"{"b":2}"#]),
            (" \n\t[ 1 ,\t2\n,\n3 ]  \n", ["1", "2", "3"]),
            ("[{\n  \"a\": [\n    1,\n    2\n  ]\n}]", [#"{"a":[1,2]}"#]),
            ("\u{FEFF}[1]", ["1"]), // a BOM at the start is ignored
            ("[12345678901234567890123,1E400]", ["12345678901234567890123", "1E400"]),
        ])
    func elements(input: String, expected: [String]) throws {
        let result = try array(input)
        #expect(result.error == nil)
        #expect(result.texts == expected)
        #expect(result.records.allSatisfy { $0.kind == .json })
        #expect(result.warnings.isEmpty)
    }

    @Test("an empty array gives no records and no error", arguments: ["[]", "[ \r\n ]", "\n[]\n"])
    func emptyArray(input: String) throws {
        let result = try array(input)
        #expect(result.error == nil)
        #expect(result.records.isEmpty)
    }

    @Test(
        "each element is out the moment it is complete, before the array ends",
        arguments: [
            (#"[{"a":1},"#, [#"{"a":1}"#]),
            (#"[{"a":1}"#, [#"{"a":1}"#]), // `}` completes the element
            ("[1,2", ["1"]), // `2` may go on
            ("[1", [String]()),
            ("[true", ["true"]),
            ("[true,fal", ["true"]),
            (#"["a""#, [#""a""#]),
            ("[[1,2]", ["[1,2]"]),
            ("[1,2,", ["1", "2"]),
            ("[1 ", ["1"]),
            ("[", []),
            ("", []),
        ])
    func emittedWhenComplete(input: String, expected: [String]) {
        let result = decodeEveryWayWithoutEnd(input) { JSONArrayDecoder() }
        #expect(result.error == nil)
        #expect(result.texts == expected)
    }

    // MARK: End of input

    @Test(
        "input that ends before `]` has its complete elements out, then is .truncated",
        arguments: [
            ("[1,2", ["1"]),
            (#"[{"a":1},{"b":"#, [#"{"a":1}"#]),
            (#"[{"a":1}"#, [#"{"a":1}"#]),
            (#"[{"a":1},"#, [#"{"a":1}"#]),
            ("[1,2 \n", ["1", "2"]),
            ("[", [String]()),
            ("[\"abc", []),
        ])
    func truncatedBeforeClose(input: String, expected: [String]) throws {
        let result = try array(input)
        #expect(result.texts == expected)
        #expect(result.error?.code == .truncated)
    }

    @Test("input that ends before `[` is .truncated", arguments: ["", " \r\n\t", "\u{FEFF}", "\u{FEFF} \n"])
    func truncatedBeforeOpen(input: String) throws {
        let result = try array(input)
        #expect(result.records.isEmpty)
        #expect(result.error?.code == .truncated)
    }

    @Test(
        "anything but whitespace after `]` is invalid JSON (the elements before are out)",
        arguments: [
            "[1] x", "[1][2]", "[1],", "[1]]", "[1]\n\n{}", "[1] \u{1E}",
        ])
    func trailingGarbage(input: String) throws {
        let result = try array(input)
        #expect(result.texts == ["1"])
        #expect(result.error?.code == .invalidJSON)
    }

    @Test("whitespace after `]` is fine")
    func trailingWhitespace() throws {
        let result = try array("[1]\r\n \t\n")
        #expect(result.error == nil)
        #expect(result.texts == ["1"])
    }

    // MARK: Errors

    @Test(
        "malformed arrays are invalid JSON; the elements before the error are out",
        arguments: [
            ("[1,]", ["1"]),
            ("[,1]", [String]()),
            ("[1 2]", ["1"]),
            ("[1,,2]", ["1"]),
            ("[1}", ["1"]),
            ("[01]", []),
            ("[{\"a\":1},{\"a\" 1}]", [#"{"a":1}"#]),
            ("{\"a\":1}", []), // not an array
            ("1", []),
            ("\"[1]\"", []),
            ("x[1]", []),
        ])
    func malformed(input: String, before: [String]) throws {
        let result = try array(input)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.texts == before)
    }

    @Test(
        "errors name the line they are on",
        arguments: [
            ("[\n1,\n]", 3),
            ("[\n{\"a\":\n1},\n\n{\"b\" 2}]", 5),
            ("[1,\n2]\n\nx", 4),
        ])
    func errorLines(input: String, line: Int) throws {
        let result = try array(input)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == line)
    }

    // MARK: Recovery (skip)

    @Test(
        "with skipping, a bad element is dropped up to the next comma or bracket at the array's level",
        arguments: [
            ("[1, x, 3]", ["1", "3"], 1),
            (#"[{"s":"a,]b","x":bad}, 2]"#, ["2"], 1), // `,` and `]` inside a string
            (#"[{"x":bad,"s":"a,]b"}, 2]"#, ["2"], 1),
            (#"[{"s":"\\","x":bad}, 2]"#, ["2"], 1), // an escaped backslash before the quote
            (#"[{"s":"\"],","x":bad}, 2]"#, ["2"], 1), // an escaped quote inside the string
            ("[[1,[x,2]],[3]]", ["[3]"], 1), // nested brackets
            (#"[{"a":[1,{"b":x}],"c":[]},{"d":4}]"#, [#"{"d":4}"#], 1),
            (#"["a\"],", {"k": nope}, "z"]"#, [#""a\"],""#, #""z""#], 1),
            ("[1, {\"a\": x}]", ["1"], 1), // the last element: the array closes
            ("[1, {\"a\": x, \"b\": \"]\"}]", ["1"], 1),
            ("[x, 1, y, 2, z]", ["1", "2"], 3),
            ("[1 2, 3]", ["1", "3"], 1),
        ])
    func skip(input: String, expected: [String], skipped: Int) {
        let result = decodeEveryWaySkipping(input) { JSONArrayDecoder() }
        #expect(result.decoded.error == nil)
        #expect(result.decoded.texts == expected)
        #expect(result.skipped == skipped)
        #expect(result.decoded.warnings.count == skipped)
    }

    @Test("with skipping, the warning names the bad element's line")
    func skipWarningLine() {
        let result = decodeEveryWaySkipping("[\n1,\n\n{\"a\":\nx},\n2]") { JSONArrayDecoder() }
        #expect(result.decoded.texts == ["1", "2"])
        #expect(result.decoded.warnings.map(\.line) == [5])
    }

    @Test(
        "skipping never hides trailing garbage after `]` or truncation",
        arguments: [
            ("[1] x", StreamCodecError.Code.invalidJSON),
            ("[1, {\"a\": x", .truncated),
            ("[1, 2", .truncated),
        ])
    func skipKeepsErrors(input: String, code: StreamCodecError.Code) {
        let result = decodeEveryWaySkipping(input) { JSONArrayDecoder() }
        #expect(result.decoded.error?.code == code)
        #expect(result.decoded.texts == ["1"])
    }

    // MARK: Record-size limit

    @Test("the record-size limit counts an element's bytes: exactly at the limit is fine, whitespace between elements is not counted")
    func limitExactlyAt() throws {
        // `{ "a" : 1 }` is 11 bytes, whitespace inside included; `12345678901` too.
        let result = try array("[   { \"a\" : 1 }   ,\n\n      12345678901  ,  \"abcdefghi\"]", maxRecordBytes: 11)
        #expect(result.error == nil)
        #expect(result.texts == [#"{"a":1}"#, "12345678901", #""abcdefghi""#])
    }

    @Test(
        "one byte over the limit is .recordTooLarge whatever the split; the elements before it are out",
        arguments: [
            "[1, { \"a\" : 12 }]", "[1,\n123456789012]", "[1, \"abcdefghij\"]", "[1, [1,2,3,4,5,6]]",
        ])
    func limitOneOver(input: String) throws {
        let result = try array(input, maxRecordBytes: 11, compareErrorOffsets: false)
        #expect(result.error?.code == .recordTooLarge)
        #expect(result.texts == ["1"])
    }

    @Test("with skipping, an oversized element is dropped and the next one is decoded")
    func limitSkipped() {
        let result = decodeEveryWaySkipping("[1, {\"a\":\"abcdefghijkl\"}, 2]", maxRecordBytes: 11) { JSONArrayDecoder() }
        #expect(result.decoded.error == nil)
        #expect(result.decoded.texts == ["1", "2"])
        #expect(result.skipped == 1)
    }

    // MARK: Registry

    @Test(
        "the registry's json-array (by name, aliases and MIME type) is this decoder, with the pointer of the options",
        arguments: ["json-array", "json", "array", "application/json"])
    func registry(name: String) throws {
        let format = try #require(FormatRegistry.standard.format(named: name))
        #expect(format.name == "json-array")
        #expect(format.family == .json)
        let make = try #require(format.makeDecoder)
        #expect(decodeEveryWay("[1, {}]") { AnyStreamDecoder(make(CodecOptions())) }.0.texts == ["1", "{}"])
        var options = CodecOptions()
        options.arrayPointer = try JSONPointer("/r")
        #expect(decodeEveryWay(#"{"r": [2]}"#) { AnyStreamDecoder(make(options)) }.0.texts == ["2"])
    }
}

// MARK: - --array-path (RFC 6901)

@Suite("json-array decoder: --array-path (RFC 6901 JSON Pointer)")
struct JSONArrayPointerTests {
    @Test(
        "the elements of the array at the pointer are streamed",
        arguments: [
            (#"{"results":[1,{"a":2}]}"#, "/results", ["1", #"{"a":2}"#]),
            (#"{"results":[]}"#, "/results", []),
            (#" { "results" : [ 1 , 2 ] } "#, "/results", ["1", "2"]),
            (#"{"a":[{"b":[1,2]},{"b":[3]}]}"#, "/a/0/b", ["1", "2"]),
            (#"{"a":[{"b":[1,2]},{"b":[3]}]}"#, "/a/1/b", ["3"]),
            (#"{"data":[{"x":0},{"items":[{"id":1},{"id":2}]}]}"#, "/data/1/items", [#"{"id":1}"#, #"{"id":2}"#]),
            (#"[{"items":[1,2]}]"#, "/0/items", ["1", "2"]),
            (#"[[0],[1,[2,3]]]"#, "/1/1", ["2", "3"]),
            (#"{"a":{"b":{"c":[true]}}}"#, "/a/b/c", ["true"]),
            (#"[5,6]"#, "", ["5", "6"]),
        ])
    func streamsTarget(input: String, pointer: String, expected: [String]) throws {
        let result = try array(input, pointer: pointer)
        #expect(result.error == nil)
        #expect(result.texts == expected)
    }

    @Test("members before and after the target are skipped, including look-alikes nested inside them")
    func skipsOtherMembers() throws {
        let input =
            #"{"x":{"results":[9]},"y":[9,{"results":[9]}],"z":"results","n":-1.5e2,"t":true,"results":[1,2],"after":{"results":[8]},"m":null}"#
        let result = try array(input, pointer: "/results")
        #expect(result.error == nil)
        #expect(result.texts == ["1", "2"])
    }

    @Test("elements of the target are out before the document ends")
    func streamsBeforeEnd() {
        let pointer = try! JSONPointer("/results")
        let result = decodeEveryWayWithoutEnd(#"{"meta":{"n":2},"results":[{"a":1},{"b":"#) { JSONArrayDecoder(pointer: pointer) }
        #expect(result.error == nil)
        #expect(result.texts == [#"{"a":1}"#])
    }

    @Test(
        "RFC 6901 section 5: escaped tokens and special characters select the right member",
        arguments: [
            ("/", ["0"]), ("/a~1b", ["1"]), ("/c%d", ["2"]), ("/e^f", ["3"]), ("/g|h", ["4"]),
            (#"/i\j"#, ["5"]), (#"/k"l"#, ["6"]), ("/ ", ["7"]), ("/m~0n", ["8"]), ("/foo", [#""bar""#, #""baz""#]),
        ])
    func rfc6901Examples(pointer: String, expected: [String]) throws {
        // The document of RFC 6901 section 5, with every value an array.
        let document = #"{"foo":["bar","baz"],"":[0],"a/b":[1],"c%d":[2],"e^f":[3],"g|h":[4],"i\\j":[5],"k\"l":[6]," ":[7],"m~n":[8]}"#
        let result = try array(document, pointer: pointer)
        #expect(result.error == nil)
        #expect(result.texts == expected)
    }

    @Test(
        "keys are compared after unescaping their JSON escapes",
        arguments: [
            (#"{"re\u0073ults":[1]}"#, "/results"),
            (#"{"a\/b":[1]}"#, "/a~1b"),
            (#"{"\u00e9":[1]}"#, "/\u{E9}"),
            (#"{"\ud83d\ude00":[1]}"#, "/\u{1F600}"),
            (#"{"results\u0000":[9],"result":[9],"resultss":[9],"results":[1]}"#, "/results"),
            (#"{"x\"y":[1]}"#, #"/x"y"#),
        ])
    func escapedKeys(input: String, pointer: String) throws {
        let result = try array(input, pointer: pointer)
        #expect(result.error == nil)
        #expect(result.texts == ["1"])
    }

    @Test(
        "a target that is not an array is an error naming the pointer",
        arguments: [
            #"{"results":{"a":[1]}}"#, #"{"results":"[1]"}"#, #"{"results":1}"#, #"{"results":null}"#,
        ])
    func targetNotArray(input: String) throws {
        let result = try array(input, pointer: "/results")
        let error = try #require(result.error)
        #expect(result.records.isEmpty)
        #expect(error.message.contains("/results"))
    }

    @Test(
        "a missing member or index is an error naming the pointer",
        arguments: [
            (#"{"a":1}"#, "/results"),
            (#"{}"#, "/results"),
            (#"{"Results":[1]}"#, "/results"),
            (#"{"a":[1]}"#, "/a/3"),
            (#"{"a":[]}"#, "/a/0"),
            (#"{"a":[1,2]}"#, "/a/01"), // RFC 6901 section 4: no leading zeros
            (#"{"a":[1,2]}"#, "/a/-"), // `-` names no existing element
            (#"{"a":[1,2]}"#, "/a/x"),
            (#"{"a":1}"#, "/a/b"),
            (#"{"a":"s"}"#, "/a/0"),
            ("[1]", "/a"),
            ("1", "/a"),
            (#"{"a":{"b":[1]}}"#, "/a/c"),
        ])
    func missing(input: String, pointer: String) throws {
        let result = try array(input, pointer: pointer)
        let error = try #require(result.error)
        #expect(error.code != .truncated)
        #expect(result.records.isEmpty)
        #expect(error.message.contains(pointer))
    }

    @Test(
        "array index tokens: decimal digits without leading zeros (RFC 6901 section 4)",
        arguments: [
            ("/a/0", true), ("/a/10", true), ("/a/01", false), ("/a/-", false), ("/a/+1", false), ("/a/1e1", false),
            ("/a/ 1", false), ("/a/11", false), ("/a/00", false),
        ])
    func indexTokens(pointer: String, found: Bool) throws {
        let document = "{\"a\":[" + (0...10).map { "[\($0)]" }.joined(separator: ",") + "]}"
        let result = try array(document, pointer: pointer)
        if found {
            #expect(result.error == nil)
            #expect(result.texts == [String(pointer.split(separator: "/").last!)])
        } else {
            #expect(result.error != nil)
            #expect(result.records.isEmpty)
        }
    }

    @Test(
        "the rest of the document is checked as JSON: invalid JSON around the target is an error",
        arguments: [
            (#"{"results":[1],}"#, ["1"]),
            (#"{"results":[1]} x"#, ["1"]),
            (#"{"results":[1],"b":tru}"#, ["1"]),
            (#"{"results":[1]]"#, ["1"]),
            (#"{"results":[1],"b":[1,]}"#, ["1"]),
            (#"{"results":[1] "b":2}"#, ["1"]),
            (#"{"x":tru,"results":[1]}"#, []),
            (#"{"x":[1,],"results":[1]}"#, []),
            (#"{"x" 1,"results":[1]}"#, []),
            (#"{x:1,"results":[1]}"#, []),
            (#"{"x":1 "results":[1]}"#, []),
            (#"{"a":[{"b":[1]}}]"#, ["1"]),
        ])
    func restValidated(input: String, before: [String]) throws {
        let result = try array(input, pointer: input.hasPrefix(#"{"a""#) ? "/a/0/b" : "/results")
        #expect(result.error?.code == .invalidJSON)
        #expect(result.texts == before)
    }

    @Test(
        "errors around and inside the target name the line they are on",
        arguments: [
            ("{\n\"a\": 1,\n\"results\": [\n1,\n x]}", 5), // inside the target
            ("{\"results\":[\n1\n],\n\"b\":\ntru}", 5), // after it
            ("{\n\"x\": [1,\n\n2,]\n,\"results\":[1]}", 4), // in a skipped member before it
        ])
    func errorLines(input: String, line: Int) throws {
        let result = try array(input, pointer: "/results")
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == line)
    }

    @Test("a document cut off after the target array is .truncated, the elements out first")
    func restTruncated() throws {
        let result = try array(#"{"results":[1],"b":{"c":"#, pointer: "/results")
        #expect(result.texts == ["1"])
        #expect(result.error?.code == .truncated)
        let before = try array(#"{"x":[1,2"#, pointer: "/results")
        #expect(before.records.isEmpty)
        #expect(before.error?.code == .truncated)
    }

    @Test("whitespace after the document is fine")
    func trailingWhitespace() throws {
        let result = try array("{\"results\":[1]}\r\n \t\n", pointer: "/results")
        #expect(result.error == nil)
        #expect(result.texts == ["1"])
    }

    @Test("with skipping, a bad element of the target is dropped and the rest of the document still checked")
    func skipInsideTarget() throws {
        let pointer = try JSONPointer("/results")
        let ok = decodeEveryWaySkipping(#"{"results":[1,{"x":bad,"s":"],"},2],"after":{"y":[3]}}"#) { JSONArrayDecoder(pointer: pointer) }
        #expect(ok.decoded.error == nil)
        #expect(ok.decoded.texts == ["1", "2"])
        #expect(ok.skipped == 1)
        let badAfter = decodeEveryWaySkipping(#"{"results":[1,x],"after":tru}"#) { JSONArrayDecoder(pointer: pointer) }
        #expect(badAfter.decoded.texts == ["1"])
        #expect(badAfter.decoded.error?.code == .invalidJSON)
        let badBefore = decodeEveryWaySkipping(#"{"before":tru,"results":[1]}"#) { JSONArrayDecoder(pointer: pointer) }
        #expect(badBefore.decoded.texts == [])
        #expect(badBefore.decoded.error?.code == .invalidJSON)
    }

    @Test("an enormous skipped member is not kept: buffered bytes stay bounded by the chunk while 10 MB of a string are fed")
    func skippedMemberMemory() throws {
        let chunk = 64 * 1024
        let big = 10 * 1024 * 1024
        var driver = DecodingDriver(decoder: JSONArrayDecoder(pointer: try JSONPointer("/results")), maxRecordBytes: 1 << 20)
        var records: [String] = []
        var maxBuffered = 0
        func feed(_ bytes: [UInt8]) throws {
            driver.append(bytes)
            while let record = try driver.next() { records.append(record.text) }
            maxBuffered = max(maxBuffered, driver.bufferedByteCount + driver.decoder.heldByteCount)
        }
        let filler = [UInt8](repeating: 0x61, count: chunk)
        try feed(u8(#"{"before":""#))
        for _ in 0..<(big / chunk) { try feed(filler) }
        try feed(u8(#"","results":[1,2],"after":""#))
        for _ in 0..<(big / chunk) { try feed(filler) }
        try feed(u8(#""}"#))
        driver.finishInput()
        while let record = try driver.next() { records.append(record.text) }
        #expect(records == ["1", "2"])
        #expect(maxBuffered <= chunk)
        #expect(driver.streamOffset == 2 * big + 40)
    }
}

// MARK: - Encoder

@Suite("json-array encoder")
struct JSONArrayEncoderTests {
    private func encode(_ texts: [String]) throws -> [UInt8] {
        var encoder = JSONArrayEncoder()
        var out: [UInt8] = []
        try encoder.start(into: &out)
        for text in texts { try encoder.encode(try Record.json(text), into: &out) }
        try encoder.finish(into: &out)
        return out
    }

    @Test("`[`, each element on its own line with a comma before every element but the first, `]` (Docs/Formats.md example)")
    func documentedLayout() throws {
        #expect(String(decoding: try encode([#"{"id": 1}"#, #"{ "id":2 }"#]), as: UTF8.self) == "[\n{\"id\":1},\n{\"id\":2}\n]\n")
        #expect(String(decoding: try encode(["1"]), as: UTF8.self) == "[\n1\n]\n")
    }

    @Test("an empty stream gives `[]`")
    func empty() throws {
        #expect(String(decoding: try encode([]), as: UTF8.self) == "[]\n")
    }

    @Test("each element's bytes are written as it comes: a streaming reader sees the element complete at once")
    func elementWrittenAtOnce() throws {
        var encoder = JSONArrayEncoder()
        var out: [UInt8] = []
        try encoder.start(into: &out)
        try encoder.encode(try Record.json(#"{"a":[1]}"#), into: &out)
        let firstSeen = decodeEveryWay(out) { JSONArrayDecoder() }.0
        #expect(firstSeen.texts == [#"{"a":[1]}"#]) // then truncated: the array is still open
        #expect(firstSeen.error?.code == .truncated)
        try encoder.encode(try Record.json(#"{"b":2}"#), into: &out)
        #expect(decodeEveryWay(out) { JSONArrayDecoder() }.0.texts == [#"{"a":[1]}"#, #"{"b":2}"#])
    }

    @Test(
        "a record that is not JSON cannot be written", arguments: [Record.event(data: "x"), Record.comment("c"), Record.control(retry: 1)])
    func nonJSONRecord(record: Record) {
        var encoder = JSONArrayEncoder()
        var out: [UInt8] = []
        let error = #expect(throws: StreamCodecError.self) { try encoder.encode(record, into: &out) }
        #expect(error?.code == .unencodable)
    }

    @Test(
        "round trip: decoding what the encoder wrote gives the same records",
        arguments: [
            [String](), ["1"], [#"{"a":1}"#, "[1,[2,{}]]", #""s,]\n""#, "1", "-0.5e10", "true", "false", "null", "{}", "[]", #""""#],
        ])
    func roundTrip(texts: [String]) throws {
        let records = try texts.map { try Record.json($0) }
        let decoded = decodeEveryWay(try encode(texts)) { JSONArrayDecoder() }.0
        #expect(decoded.error == nil)
        #expect(decoded.records == records)
    }
}
