import StreamCodec
// NDJSONDecoder: "Newline Delimited JSON" spec 1.0 (each line one RFC 8259 text, lines end
// with LF or CRLF) with the project's decided rules: blank / whitespace-only lines skipped,
// a CR inside a line is JSON whitespace, two texts on one line are an error, a last line
// without newline is accepted when complete and .truncated when cut off, a BOM at the very
// start is ignored only when a JSON text follows on line 1.
import Testing

@discardableResult
private func ndjson(
    _ input: [UInt8], maxDepth: Int = JSONLimits.defaultMaxDepth,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Decoded {
    decodeEveryWay(input, sourceLocation: sourceLocation) { NDJSONDecoder(maxDepth: maxDepth) }.0
}

@discardableResult
private func ndjson(
    _ input: String, maxDepth: Int = JSONLimits.defaultMaxDepth,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Decoded {
    ndjson(u8(input), maxDepth: maxDepth, sourceLocation: sourceLocation)
}

private let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

@Suite("NDJSON decoder")
struct NDJSONDecoderTests {
    @Test("one minified .json record per line, in order")
    func oneRecordPerLine() {
        let result = ndjson("{ \"a\" : 1 }\n[1, 2]\n\"s\"\n-1.5e3\ntrue\nnull\n")
        #expect(result.texts == [#"{"a":1}"#, "[1,2]", #""s""#, "-1.5e3", "true", "null"])
        #expect(result.records.allSatisfy { $0.kind == .json && $0.event == nil && $0.id == nil })
        #expect(result.error == nil)
    }

    @Test(
        "blank and whitespace-only lines are skipped",
        arguments: [
            "\n\n1\n\n\n2\n\n",
            " \t \n1\n\r\n  \r\n2\n   ",
            "1\n \n2",
        ])
    func blankLines(input: String) {
        let result = ndjson(input)
        #expect(result.texts == ["1", "2"])
        #expect(result.error == nil)
    }

    @Test("CRLF line ends work like LF; whitespace around a text is dropped")
    func crlf() {
        #expect(ndjson("{\"a\": 1}\r\n  [ ]  \r\n\t2\t\r\n").texts == [#"{"a":1}"#, "[]", "2"])
    }

    @Test("a CR inside a line is JSON whitespace, not a line end")
    func crInsideLine() {
        #expect(ndjson("[1,\r2]\n{\"a\":\r1}\n").texts == ["[1,2]", #"{"a":1}"#])
        // So CR alone does not separate texts: two texts on one line.
        let result = ndjson("1\r2\n")
        #expect(result.records.isEmpty)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 1)
    }

    @Test(
        "a last line without newline is accepted when it is a complete text",
        arguments: [
            ("1\n{}", ["1", "{}"]),
            ("1\n2", ["1", "2"]),
            ("1\n12", ["1", "12"]), // a number is complete at end of input
            ("1\n\"x\"  ", ["1", #""x""#]),
            ("1\ntrue\r", ["1", "true"]),
        ])
    func lastLineComplete(input: String, expected: [String]) {
        let result = ndjson(input)
        #expect(result.texts == expected)
        #expect(result.error == nil)
    }

    @Test(
        "a last line cut off mid-text is .truncated, after the complete lines",
        arguments: [
            "1\n{\"a\"", "1\n[1,", "1\ntru", "1\n-", "1\n\"abc", "1\n{\"a\":1", "1\n1.",
        ])
    func lastLineTruncated(input: String) {
        let result = ndjson(input)
        #expect(result.texts == ["1"])
        #expect(result.error?.code == .truncated)
        #expect(result.error?.line == 2)
    }

    @Test("two texts on one line are an error", arguments: ["{} {}\n", "1 2\n", "{}{}\n", "[]1\n", "\"a\"\"b\"\n"])
    func twoTextsOnALine(input: String) {
        let result = ndjson("0\n" + input)
        #expect(result.texts == ["0"])
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 2)
    }

    @Test("a pretty-printed text spanning lines is an error on its first line (not .truncated)")
    func prettyPrintedIsAnError() {
        let result = ndjson("{}\n{\n  \"a\": 1\n}\n")
        #expect(result.texts == ["{}"])
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 2)
    }

    @Test("errors name the 1-based line, counting blank lines, and the byte offset in the stream")
    func errorPosition() {
        // "{}\n" 0-2, "\n" 3, "\r\n" 4-5, "[1,]" 6-9: the ']' is at 9.
        let result = ndjson("{}\n\n\r\n[1,]\n{}\n")
        #expect(result.texts == ["{}"])
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 4)
        #expect(result.error?.byteOffset == 9)
    }

    @Test(
        "invalid JSON on a line is .invalidJSON",
        arguments: [
            "{'a':1}", "[1,]", "NaN", "01", "{\"a\":1,}", "// c", "\"\\x\"",
        ])
    func invalidLine(line: String) {
        let result = ndjson(line + "\n")
        #expect(result.records.isEmpty)
        #expect(result.error?.code == .invalidJSON)
    }

    @Test("ill-formed UTF-8 in a line is .invalidJSON")
    func invalidUTF8() {
        let result = ndjson(u8("1\n\"") + [0xED, 0xA0, 0x80] + u8("\"\n"))
        #expect(result.texts == ["1"])
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.byteOffset == 3) // the sequence's lead byte, ED
    }

    @Test("the nesting limit applies per line: maxDepth passes, one more is .nestingTooDeep")
    func depth() {
        #expect(ndjson("[[[]]]\n", maxDepth: 3).texts == ["[[[]]]"])
        let result = ndjson("1\n[[[[]]]]\n", maxDepth: 3)
        #expect(result.texts == ["1"])
        #expect(result.error?.code == .nestingTooDeep)
        #expect(result.error?.line == 2)
        #expect(result.error?.byteOffset == 5)
    }

    @Test("100000 nested '[' on a line is .nestingTooDeep, not a crash")
    func veryDeep() {
        let (result, _) = decode([UInt8](repeating: 0x5B, count: 100_000) + [0x0A]) { NDJSONDecoder() }
        #expect(result.error?.code == .nestingTooDeep)
    }

    @Test("a text is emitted as soon as its line end arrives, without finishInput")
    func emittedAtLineEnd() throws {
        var driver = DecodingDriver(decoder: NDJSONDecoder())
        driver.append(u8("{\"a\":1}"))
        #expect(try driver.next() == nil)
        driver.append(u8("\n"))
        #expect(try driver.next()?.text == #"{"a":1}"#)
        driver.append(u8("1"))
        #expect(try driver.next() == nil)
        driver.append(u8("2"))
        #expect(try driver.next() == nil)
        driver.finishInput()
        #expect(try driver.next()?.text == "12") // `1` | `2` is one text
        #expect(try driver.next() == nil)
    }

    // RFC 8259 8.1: "implementations that parse JSON texts MAY ignore the presence of a byte
    // order mark rather than treating it as an error" -- decided: only at the very start and
    // only when a JSON text follows on line 1.

    @Test("a BOM at the very start is ignored when a JSON text follows on line 1 (also split EF | BB BF)")
    func bomAtStart() {
        #expect(ndjson(bom + u8("{\"a\":1}\n2\n")).texts == [#"{"a":1}"#, "2"])
        #expect(ndjson(bom + u8(" [ ] \n")).texts == ["[]"])
        #expect(ndjson(bom + u8("7")).texts == ["7"])
    }

    @Test("a BOM not at the very start is invalid JSON")
    func bomLater() {
        let result = ndjson(u8("1\n") + bom + u8("2\n"))
        #expect(result.texts == ["1"])
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 2)
        #expect(ndjson(u8(" ") + bom + u8("1\n")).error?.code == .invalidJSON)
        #expect(ndjson(bom + bom + u8("1\n")).error?.code == .invalidJSON)
    }

    @Test(
        "a BOM with no JSON text after it on line 1 is not ignored: line 1 is invalid JSON",
        arguments: [
            [0xEF, 0xBB, 0xBF, 0x0A, 0x31, 0x0A], // BOM, LF, "1", LF
            [0xEF, 0xBB, 0xBF, 0x20, 0x20, 0x0A, 0x31, 0x0A], // BOM, spaces, LF, "1", LF
            [0xEF, 0xBB, 0xBF, 0x0D, 0x0A], // BOM, CRLF, end
            [0xEF, 0xBB, 0xBF, 0x20], // BOM, space, end
        ] as [[UInt8]])
    func bomWithoutText(input: [UInt8]) {
        let result = ndjson(input)
        #expect(result.records.isEmpty)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 1)
    }

    @Test("a lone BOM (the whole input) is not ignored either: invalid JSON on line 1")
    func loneBOM() {
        let result = ndjson([0xEF, 0xBB, 0xBF])
        #expect(result.records.isEmpty)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 1)
    }

    @Test("an incomplete BOM is invalid JSON on line 1")
    func partialBOM() {
        let result = ndjson([0xEF, 0xBB] + u8("1\n"))
        #expect(result.records.isEmpty)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 1)
    }

    @Test("empty input gives no records and no error")
    func emptyInput() {
        #expect(ndjson("") == Decoded())
        #expect(ndjson("\n\n  \n") == Decoded())
    }
}
