import StreamCodec
// StreamJSONDecoder: `application/stream+json` as Spring reads it -- RFC 8259 JSON texts
// separated by optional whitespace, texts may span lines; `{}{}` is two texts; a top-level
// number or literal must be followed by whitespace or end of input (`1x`, `truefalse` are
// errors, `12` is one text); a text is emitted as soon as its last byte arrives (a top-level
// number needs the byte after it).
import Testing

@discardableResult
private func streamJSON(
    _ input: [UInt8], maxDepth: Int = JSONLimits.defaultMaxDepth,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Decoded {
    decodeEveryWay(input, sourceLocation: sourceLocation) { StreamJSONDecoder(maxDepth: maxDepth) }.0
}

@discardableResult
private func streamJSON(
    _ input: String, maxDepth: Int = JSONLimits.defaultMaxDepth,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Decoded {
    streamJSON(u8(input), maxDepth: maxDepth, sourceLocation: sourceLocation)
}

private let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

@Suite("stream+json decoder")
struct StreamJSONDecoderTests {
    @Test(
        "texts separated by optional whitespace, each minified",
        arguments: [
            ("{}{}", ["{}", "{}"]),
            ("[][]", ["[]", "[]"]),
            ("{} []", ["{}", "[]"]),
            ("\"a\"\"b\"", [#""a""#, #""b""#]),
            ("\"a\"1", [#""a""#, "1"]), // the rule constrains what follows a number, not what precedes it
            ("[]true", ["[]", "true"]),
            ("{\"a\":1}[2]\"s\"", [#"{"a":1}"#, "[2]", #""s""#]),
            ("1 2", ["1", "2"]),
            ("1\n2\r\n3\t4", ["1", "2", "3", "4"]),
            ("true false null", ["true", "false", "null"]),
            (" \n\t{ \"a\" : [ 1 , 2 ] }\n\n ", [#"{"a":[1,2]}"#]),
            ("12", ["12"]),
            ("-0.5e+3 0", ["-0.5e+3", "0"]),
        ])
    func sequences(input: String, expected: [String]) {
        let result = streamJSON(input)
        #expect(result.texts == expected)
        #expect(result.records.allSatisfy { $0.kind == .json })
        #expect(result.error == nil)
    }

    @Test("pretty-printed texts spanning lines are decoded")
    func prettyPrinted() {
        let input = "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"x y\"\n}\n[\n]\n\"\"\n"
        #expect(streamJSON(input).texts == [#"{"a":[1,2],"b":"x y"}"#, "[]", #""""#])
    }

    @Test(
        "a top-level number or literal must be followed by whitespace or end of input",
        arguments: [
            ("1x", [String](), 1),
            ("truefalse", ["true"], 4), // `true` is complete when its 'e' arrives
            ("nulltrue", ["null"], 4),
            ("1[]", [], 1),
            ("1\"a\"", [], 1),
            ("true{}", ["true"], 4),
            ("[] 12{}", ["[]"], 5),
        ])
    func separatorRequired(input: String, before: [String], offset: Int) {
        let result = streamJSON(input)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.byteOffset == offset)
        // What came before the bad byte: texts that ended earlier. (For a number, whether
        // the number itself comes out before the error is not specified, so it may follow.)
        #expect(Array(result.texts.prefix(before.count)) == before)
        #expect(result.texts.count <= before.count + 1)
    }

    @Test("`12` split as `1` | `2` is one text")
    func numberAcrossReads() throws {
        var driver = DecodingDriver(decoder: StreamJSONDecoder())
        driver.append(u8("1"))
        #expect(try driver.next() == nil)
        driver.append(u8("2"))
        #expect(try driver.next() == nil)
        driver.finishInput()
        #expect(try driver.next()?.text == "12")
        #expect(try driver.next() == nil)
    }

    @Test("a text is emitted as soon as its last byte arrives; a top-level number needs the byte after it")
    func emittedEarly() throws {
        var driver = DecodingDriver(decoder: StreamJSONDecoder())
        driver.append(u8("{\"a\":"))
        #expect(try driver.next() == nil)
        driver.append(u8("1}"))
        #expect(try driver.next()?.text == #"{"a":1}"#)
        driver.append(u8("\"s\""))
        #expect(try driver.next()?.text == #""s""#)
        driver.append(u8("true"))
        #expect(try driver.next()?.text == "true")
        driver.append(u8("\n"))
        #expect(try driver.next() == nil)
        driver.append(u8("42"))
        #expect(try driver.next() == nil)
        driver.append(u8("\n"))
        #expect(try driver.next()?.text == "42")
        #expect(try driver.next() == nil)
    }

    @Test(
        "input ending inside a text is .truncated after the complete texts",
        arguments: [
            "{}{\"a\":", "{}[1,", "{} tru", "{} -", "{} \"ab", "{} 1.", "{} 1e", "{}{",
        ])
    func truncated(input: String) {
        let result = streamJSON(input)
        #expect(result.texts == ["{}"])
        #expect(result.error?.code == .truncated)
    }

    @Test("invalid JSON is .invalidJSON with the line of the offending byte and its stream offset")
    func errorPosition() {
        // Line 1 "{}", line 2 "{", line 3 `  "a": tru` + LF: the LF (offset 15) breaks the literal.
        let result = streamJSON("{}\n{\n  \"a\": tru\n}\n")
        #expect(result.texts == ["{}"])
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 3)
        #expect(result.error?.byteOffset == 15)
    }

    @Test("errors on later lines after whitespace-only lines count every LF")
    func errorLineAfterBlankLines() {
        let result = streamJSON("1\n\n\r\n  [1,\n]\n")
        #expect(result.texts == ["1"])
        #expect(result.error?.line == 5)
        #expect(result.error?.byteOffset == 11)
    }

    @Test(
        "strict RFC 8259 applies to each text",
        arguments: [
            "{'a':1}", "[1,]", "NaN", "01", "{\"a\":1,}", "// c\n{}", "\"\\x\"", "\"a\tb\"",
        ])
    func invalid(text: String) {
        let result = streamJSON("{} " + text)
        #expect(result.texts == ["{}"])
        #expect(result.error?.code == .invalidJSON)
    }

    @Test("ill-formed UTF-8 is .invalidJSON at the first byte of the ill-formed sequence")
    func invalidUTF8() {
        let result = streamJSON(u8("[] \"") + [0xF4, 0x90, 0x80, 0x80] + u8("\""))
        #expect(result.texts == ["[]"])
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.byteOffset == 4) // F4, whose sequence 90 breaks (above U+10FFFF)
    }

    @Test("the nesting limit: maxDepth passes, one more is .nestingTooDeep")
    func depth() {
        #expect(streamJSON("[[]] {\"a\":{}}", maxDepth: 2).texts == ["[[]]", #"{"a":{}}"#])
        let result = streamJSON("[[]] [[[]]]", maxDepth: 2)
        #expect(result.texts == ["[[]]"])
        #expect(result.error?.code == .nestingTooDeep)
        #expect(result.error?.byteOffset == 7)
    }

    @Test("100000 nested '[' is .nestingTooDeep, not a crash")
    func veryDeep() {
        let (result, _) = decode([UInt8](repeating: 0x5B, count: 100_000)) { StreamJSONDecoder() }
        #expect(result.error?.code == .nestingTooDeep)
        let (bytewise, _) = decode([UInt8](repeating: 0x5B, count: 5_000), chunking: .bytewise(5_000)) { StreamJSONDecoder() }
        #expect(bytewise.error?.code == .nestingTooDeep)
    }

    @Test("a BOM at the very start is ignored (also split EF | BB BF)")
    func bomAtStart() {
        #expect(streamJSON(bom + u8("{}[]")).texts == ["{}", "[]"])
        #expect(streamJSON(bom + u8("\n 1")).texts == ["1"])
    }

    @Test("a BOM anywhere else is invalid JSON")
    func bomLater() {
        let result = streamJSON(u8("{}") + bom + u8("{}"))
        #expect(result.texts == ["{}"])
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.byteOffset == 2)
        #expect(streamJSON(bom + bom + u8("{}")).error?.code == .invalidJSON)
        #expect(streamJSON([0xEF, 0xBB] + u8("{}")).error?.code == .invalidJSON)
    }

    @Test("empty or whitespace-only input gives no records and no error")
    func empty() {
        #expect(streamJSON("") == Decoded())
        #expect(streamJSON(" \n\r\n\t ") == Decoded())
    }

    @Test(
        "a BOM is ignored only when a JSON text follows it: a BOM with no text is invalid JSON",
        arguments: [
            [0xEF, 0xBB, 0xBF], [0xEF, 0xBB, 0xBF, 0x20, 0x0A, 0x0A],
        ] as [[UInt8]])
    func bomWithoutText(input: [UInt8]) {
        let result = streamJSON(input)
        #expect(result.records.isEmpty)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 1)
    }
}

// The StreamDecoder contract: "Results never depend on how the input was split".
@Suite("stream+json decoder: the same records whatever the split")
struct StreamJSONSplitTests {
    // Regression: the resume point after skipped whitespace (fixed in ff7d42a).
    @Test("a text starting after whitespace and completed by a later read decodes as when whole")
    func whitespaceThenTextAcrossReads() throws {
        var driver = DecodingDriver(decoder: StreamJSONDecoder())
        driver.append(u8("{} ["))
        #expect(try driver.next()?.text == "{}")
        #expect(try driver.next() == nil)
        driver.append(u8("]"))
        #expect(try driver.next()?.text == "[]")

        // Bytes of the text can also be lost without any error: the key comes out empty.
        var corrupt = DecodingDriver(decoder: StreamJSONDecoder())
        var texts: [String] = []
        for piece in ["[[]] {\"", "a", "\":{}}"] {
            corrupt.append(u8(piece))
            while let record = try corrupt.next() { texts.append(record.text) }
        }
        #expect(texts == ["[[]]", #"{"a":{}}"#])
    }

    @Test(
        "inputs that once split wrongly decode the same whole, byte by byte, at random cuts and cut in two anywhere",
        arguments: [
            "{} []", "1\n2\r\n3\t4", "true false null", " \n\t{ \"a\" : [ 1 , 2 ] }\n\n ",
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"x y\"\n}\n[\n]\n\"\"\n",
            "[[]] {\"a\":{}}", "[] 12{}", "{} 01", "{} tru", "{} 1.", "{} \"a\\tb\"", "{} [1,]",
            "{}\n{\n  \"a\": tru\n}\n", "1\n\n\r\n  [1,\n]\n", " 42\n", "{\"a\": 1} {\"b\":\n2}",
        ])
    func sameWhateverTheSplit(input: String) {
        decodeEveryWay(input) { StreamJSONDecoder() }
    }
}
