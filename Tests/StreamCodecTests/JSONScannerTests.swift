import StreamCodec
// RFC 8259 "The JavaScript Object Notation (JSON) Data Interchange Format", sections 2-8,
// through the public JSONText / Record.json API. Strict: no NaN/Infinity, trailing commas,
// comments, single quotes, raw control characters, leading zeros, invalid UTF-8 or bad
// escapes; escapes of lone surrogates are accepted. The minified output removes only
// insignificant whitespace; strings and numbers are copied byte for byte.
import Testing

private func minified(_ bytes: [UInt8], maxDepth: Int = JSONLimits.defaultMaxDepth) throws(StreamCodecError) -> String {
    String(decoding: try JSONText.minified(bytes, maxDepth: maxDepth), as: UTF8.self)
}

/// The error `JSONText.minified` throws for `bytes`, or nil.
private func error(_ bytes: [UInt8], maxDepth: Int = JSONLimits.defaultMaxDepth) -> StreamCodecError? {
    do {
        _ = try JSONText.minified(bytes, maxDepth: maxDepth)
        return nil
    } catch { return error }
}

/// A case of the tables: the input text and what is expected of it.
struct JSONCase: Sendable, CustomTestStringConvertible {
    var input: [UInt8]
    var expected: String // minified output, or (for invalid cases) the rule broken
    var offset: Int = -1 // for invalid cases: the byte offset of the offending byte
    var testDescription: String { String(decoding: input, as: UTF8.self).debugDescription + " (\(input.count) bytes)" }

    static func valid(_ input: String, _ expected: String) -> JSONCase { JSONCase(input: u8(input), expected: expected) }
    static func invalid(_ input: String, at offset: Int, _ rule: String) -> JSONCase {
        JSONCase(input: u8(input), expected: rule, offset: offset)
    }
    /// A string literal holding `bytes` (quote + bytes + quote).
    static func string(_ bytes: [UInt8], at offset: Int, _ rule: String) -> JSONCase {
        JSONCase(input: [0x22] + bytes + [0x22], expected: rule, offset: offset)
    }
}

@Suite("JSON text: RFC 8259 grammar and minification")
struct JSONScannerTests {
    // Sections 2 (grammar, whitespace), 3 (values), 4 (objects), 5 (arrays), 6 (numbers),
    // 7 (strings), 8.1 (UTF-8).
    @Test(
        "valid texts minify to exactly their significant bytes",
        arguments: [
            // 2: ws = space, horizontal tab, line feed, carriage return; around and between tokens
            JSONCase.valid("{}", "{}"),
            .valid(" \t\r\n{ \t\r\n} \t\r\n", "{}"),
            .valid("[ ]", "[]"),
            .valid("[ 1 , 2 ,3 ]", "[1,2,3]"),
            .valid("{ \"a\" : 1 , \"b\" : [ true , false , null ] }", "{\"a\":1,\"b\":[true,false,null]}"),
            .valid("[[[ ]],[{ }]]", "[[[]],[{}]]"),
            .valid("{\"\":\"\"}", "{\"\":\"\"}"),
            .valid("{\"a\":1,\"a\":2}", "{\"a\":1,\"a\":2}"), // 4: names SHOULD be unique; the grammar allows it
            // 2: a JSON text is any serialized value, scalars included
            .valid("true", "true"), .valid(" false ", "false"), .valid("null", "null"),
            .valid("\"x\"", "\"x\""), .valid(" 0 ", "0"), .valid("-0", "-0"),
            // 6: numbers are copied as written, whatever their size or exponent
            .valid("12345678901234567890123", "12345678901234567890123"),
            .valid("1E400", "1E400"), .valid("-1.0E+2", "-1.0E+2"), .valid("0.5e-7", "0.5e-7"),
            .valid("1e5", "1e5"), .valid("1E-0", "1E-0"), .valid("0.000", "0.000"), .valid("-0.0e0", "-0.0e0"),
            .valid("[0,-0,10,1.5,2e3]", "[0,-0,10,1.5,2e3]"),
            .valid("[1 ,2 ]", "[1,2]"), .valid("{\"n\":1 }", "{\"n\":1}"),
            // 7: strings are copied byte for byte, escapes included, whitespace inside kept
            .valid("\"\\u003c\"", "\"\\u003c\""),
            .valid("[ \" a , b \" ]", "[\" a , b \"]"),
            .valid("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\""),
            .valid("\"\\uAbCd\\u0000\"", "\"\\uAbCd\\u0000\""),
            .valid("\"\\uD83D\\uDE00\"", "\"\\uD83D\\uDE00\""),
            .valid("\"/\"", "\"/\""),
            .valid("{ \"\\u0061\" : 1, \"a\\\"b\" : 2 }", "{\"\\u0061\":1,\"a\\\"b\":2}"), // escapes in keys
            .valid("\"\u{7F}\"", "\"\u{7F}\""), // DEL is not a control character in JSON
            // 8.2: lone surrogate escapes are accepted and passed through
            .valid("\"\\uD800\"", "\"\\uD800\""), .valid("\"\\uDC00\"", "\"\\uDC00\""),
            .valid("\"\\uDFFF\\uD800\"", "\"\\uDFFF\\uD800\""),
            // 8.1: UTF-8, boundaries of Unicode Table 3-7
            .valid("\"é€😀\"", "\"é€😀\""),
            .valid("{ \"ключ\" : \"значение\" }", "{\"ключ\":\"значение\"}"),
        ])
    func valid(_ c: JSONCase) throws {
        #expect(try minified(c.input) == c.expected)
        #expect(JSONText.isValid(c.input))
        let record = try Record.json(validating: c.input)
        #expect(record.kind == .json)
        #expect(record.text == c.expected)
    }

    @Test(
        "well-formed UTF-8 at the edges of Unicode Table 3-7 is accepted and copied",
        arguments: [
            [0xC2, 0x80], [0xDF, 0xBF], // U+0080, U+07FF
            [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], // U+0800, U+D7FF
            [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], // U+E000, U+FFFF
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], // U+10000, U+10FFFF
            [0xF3, 0xBF, 0xBF, 0xBF],
        ] as [[UInt8]])
    func utf8Boundaries(bytes: [UInt8]) throws {
        let text: [UInt8] = [0x22] + bytes + [0x22]
        #expect(try JSONText.minified(text) == text)
    }

    @Test(
        "invalid texts are rejected with .invalidJSON at the offending byte",
        arguments: [
            JSONCase.invalid("", at: 0, "a text is required"),
            .invalid(" \t\n", at: 3, "whitespace only"),
            .invalid("NaN", at: 0, "no NaN"),
            .invalid("Infinity", at: 0, "no Infinity"),
            .invalid("-Infinity", at: 1, "no -Infinity"),
            .invalid("[1,]", at: 3, "no trailing comma in arrays"),
            .invalid("{\"a\":1,}", at: 7, "no trailing comma in objects"),
            .invalid("[,1]", at: 1, "no leading comma"),
            .invalid("[1,,2]", at: 3, "no empty element"),
            .invalid("{,}", at: 1, "no empty member"),
            .invalid("[1 2]", at: 3, "elements need a comma"),
            .invalid("{\"a\":1 \"b\":2}", at: 7, "members need a comma"),
            .invalid("{\"a\" 1}", at: 5, "a member needs a colon"),
            .invalid("{\"a\"::1}", at: 5, "one colon"),
            .invalid("{\"a\":}", at: 5, "a member needs a value"),
            .invalid("{a:1}", at: 1, "keys are strings"),
            .invalid("{1:2}", at: 1, "keys are strings"),
            .invalid("{'a':1}", at: 1, "no single quotes"),
            .invalid("'a'", at: 0, "no single-quoted strings"),
            .invalid("// c\n1", at: 0, "no line comments"),
            .invalid("/* c */ 1", at: 0, "no block comments"),
            .invalid("[1]//", at: 3, "no trailing comment"),
            .invalid("[1,/*c*/2]", at: 3, "no comment inside"),
            .invalid("01", at: 1, "no leading zeros"),
            .invalid("-01", at: 2, "no leading zeros after minus"),
            .invalid("00", at: 1, "no leading zeros"),
            .invalid("[01]", at: 2, "no leading zeros inside"),
            .invalid(".5", at: 0, "int part required"),
            .invalid("+1", at: 0, "no plus sign"),
            .invalid("-", at: 1, "digit after minus"),
            .invalid("--1", at: 1, "one minus"),
            .invalid("1.", at: 2, "digit after point"),
            .invalid("1.e5", at: 2, "digit after point"),
            .invalid("1..2", at: 2, "one point"),
            .invalid("1e", at: 2, "digit in exponent"),
            .invalid("1e+", at: 3, "digit after exponent sign"),
            .invalid("1e5.5", at: 3, "no fraction after exponent"),
            .invalid("0x1F", at: 1, "no hex numbers"),
            .invalid("[1.]", at: 3, "digit after point inside"),
            .invalid("tru", at: 3, "literal cut off"),
            .invalid("trUe", at: 2, "literals are lower case"),
            .invalid("True", at: 0, "literals are lower case"),
            .invalid("nul", at: 3, "literal cut off"),
            .invalid("falsey", at: 5, "nothing after the literal"),
            .invalid("undefined", at: 0, "no undefined"),
            .invalid("\"abc", at: 4, "string not closed"),
            .invalid("\"a\u{1}\"", at: 2, "no raw control character U+0001"),
            .invalid("\"a\tb\"", at: 2, "no raw tab in a string"),
            .invalid("\"a\nb\"", at: 2, "no raw line feed in a string"),
            .invalid("\"\u{1F}\"", at: 1, "no raw U+001F"),
            .invalid("\"\\x41\"", at: 2, "no \\x escape"),
            .invalid("\"\\'\"", at: 2, "no \\' escape"),
            .invalid("\"\\U0041\"", at: 2, "\\u is lower case"),
            .invalid("\"\\u12G4\"", at: 5, "four hex digits"),
            .invalid("\"\\u12\"", at: 5, "four hex digits, not two"),
            .invalid("\"\\", at: 2, "escape cut off"),
            .invalid("1 2", at: 2, "one text only"),
            .invalid("{}{}", at: 2, "one text only"),
            .invalid("{}x", at: 2, "nothing after the text"),
            .invalid("[", at: 1, "array not closed"),
            .invalid("{\"a\":", at: 5, "object not closed"),
            .invalid("[1}", at: 2, "brackets must match"),
            .invalid("{\"a\":1]", at: 6, "brackets must match"),
            .invalid("]", at: 0, "no closing bracket first"),
            .invalid("}", at: 0, "no closing brace first"),
            .invalid("\u{C}1", at: 0, "form feed is not JSON whitespace"),
            .invalid("1\u{B}", at: 1, "vertical tab is not JSON whitespace"),
            .invalid("\u{A0}1", at: 0, "no-break space is not JSON whitespace"),
            .invalid("[1,\u{2028}2]", at: 3, "line separator is not JSON whitespace"),
        ])
    func invalid(_ c: JSONCase) {
        let e = error(c.input)
        #expect(e?.code == .invalidJSON, "\(c.expected)")
        #expect(e?.byteOffset == c.offset, "\(c.expected): \(e.map { "\($0)" } ?? "accepted")")
        #expect(!JSONText.isValid(c.input))
        #expect(throws: StreamCodecError.self) { try Record.json(validating: c.input) }
    }

    // 8.1: "JSON text exchanged between systems that are not part of a closed ecosystem MUST
    // be encoded using UTF-8" -- well-formed UTF-8 only (Unicode Table 3-7).
    @Test(
        "ill-formed UTF-8 in a string is rejected at the first byte of the ill-formed sequence (its lead byte)",
        arguments: [
            JSONCase.string([0xC0, 0x80], at: 1, "overlong 2-byte (C0)"),
            .string([0xC1, 0xBF], at: 1, "overlong 2-byte (C1)"),
            .string([0xE0, 0x80, 0x80], at: 1, "overlong 3-byte"),
            .string([0xE0, 0x9F, 0xBF], at: 1, "overlong 3-byte (U+07FF)"),
            .string([0xED, 0xA0, 0x80], at: 1, "UTF-8-encoded surrogate U+D800"),
            .string([0xED, 0xBF, 0xBF], at: 1, "UTF-8-encoded surrogate U+DFFF"),
            .string([0xF0, 0x80, 0x80, 0x80], at: 1, "overlong 4-byte"),
            .string([0xF0, 0x8F, 0xBF, 0xBF], at: 1, "overlong 4-byte (U+FFFF)"),
            .string([0xF4, 0x90, 0x80, 0x80], at: 1, "above U+10FFFF"),
            .string([0xF5, 0x80, 0x80, 0x80], at: 1, "F5 is never a lead byte"),
            .string([0xF8, 0x88, 0x80, 0x80, 0x80], at: 1, "no 5-byte sequences"),
            .string([0xFE], at: 1, "FE never appears"),
            .string([0xFF], at: 1, "FF never appears"),
            .string([0x80], at: 1, "stray continuation byte"),
            .string([0x61, 0xBF], at: 2, "stray continuation byte after ASCII"),
            .string([0xE4, 0xB8], at: 1, "truncated 3-byte sequence before the quote"),
            .string([0xC3], at: 1, "truncated 2-byte sequence before the quote"),
            .string([0xF0, 0x9F, 0x98], at: 1, "truncated 4-byte sequence before the quote"),
            .string([0xE4, 0x41, 0x42], at: 1, "ASCII where a continuation byte is due"),
            .string([0xC3, 0xC3, 0xA9], at: 1, "lead byte where a continuation byte is due"),
        ])
    func invalidUTF8(_ c: JSONCase) {
        let e = error(c.input)
        #expect(e?.code == .invalidJSON, "\(c.expected)")
        #expect(e?.byteOffset == c.offset, "\(c.expected): \(e.map { "\($0)" } ?? "accepted")")
    }

    @Test("ill-formed UTF-8 in an object key is rejected too")
    func invalidUTF8InKey() {
        #expect(error([0x7B, 0x22, 0xC0, 0xAF, 0x22, 0x3A, 0x31, 0x7D])?.byteOffset == 2)
    }

    @Test("a string cut off inside a multi-byte sequence is invalid")
    func utf8CutOffAtEnd() {
        #expect(error([0x22, 0xE4])?.code == .invalidJSON)
        #expect(error([0x22, 0xE4, 0xB8])?.code == .invalidJSON)
    }

    // 9: "An implementation may set limits on the maximum depth of nesting."
    @Test(
        "nesting of exactly maxDepth containers is accepted; one more is .nestingTooDeep at the extra bracket",
        arguments: [1, 2, 5, 32])
    func depthLimit(maxDepth: Int) throws {
        let ok = String(repeating: "[", count: maxDepth) + String(repeating: "]", count: maxDepth)
        #expect(try minified(u8(ok), maxDepth: maxDepth) == ok)
        let over = "[" + ok + "]"
        let e = error(u8(over), maxDepth: maxDepth)
        #expect(e?.code == .nestingTooDeep)
        #expect(e?.byteOffset == maxDepth)
    }

    @Test("objects count toward the depth like arrays")
    func depthWithObjects() throws {
        let five = #"{"a":[{"b":[{}]}]}"#
        #expect(try minified(u8(five), maxDepth: 5) == five)
        let six = #"{"a":[{"b":[{"c":[]}]}]}"#
        let e = error(u8(six), maxDepth: 5)
        #expect(e?.code == .nestingTooDeep)
        #expect(e?.byteOffset == 17) // the '[' after "c":
        // Depth counts open containers, not containers in total: 150 containers, 3 deep.
        let wide = "[" + Array(repeating: "[[],{}]", count: 50).joined(separator: ",") + "]"
        #expect(try minified(u8(wide), maxDepth: 3) == wide)
        #expect(error(u8(wide), maxDepth: 2)?.code == .nestingTooDeep)
    }

    @Test("the default limit is 1000 containers: 1000 pass, 1001 fail")
    func defaultDepth() throws {
        #expect(JSONLimits.defaultMaxDepth == 1000)
        let ok = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(try minified(u8(ok)) == ok)
        #expect(try Record.json(ok).text == ok)
        let over = u8(String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001))
        #expect(error(over)?.code == .nestingTooDeep)
        #expect(error(over)?.byteOffset == 1000)
        #expect(!JSONText.isValid(over))
    }

    @Test("100000 nested '[' is .nestingTooDeep, not a crash or .truncated")
    func veryDeep() {
        let deep = [UInt8](repeating: 0x5B, count: 100_000)
        let e = error(deep)
        #expect(e?.code == .nestingTooDeep)
        #expect(e?.byteOffset == 1000)
        let deepObjects = u8(String(repeating: "{\"a\":", count: 100_000))
        #expect(error(deepObjects)?.code == .nestingTooDeep)
    }

    @Test("a collection without contiguous storage is validated the same way")
    func nonContiguous() throws {
        let text = u8("[ 1 , {\"a\" : null} ]")
        #expect(try JSONText.minified(text.lazy.map { $0 }) == u8("[1,{\"a\":null}]"))
        let bad = u8("[1, 2,]")
        do {
            _ = try JSONText.minified(bad.lazy.map { $0 })
            Issue.record("accepted a trailing comma")
        } catch {
            #expect(error.code == .invalidJSON)
            #expect(error.byteOffset == 6)
        }
    }

    @Test("an error in a long text points at the offending byte, not at the start")
    func offsetFarIn() {
        let prefix = "[" + Array(repeating: "\"abcdef\"", count: 1000).joined(separator: ",")
        let text = u8(prefix + ",tru]")
        let e = error(text)
        #expect(e?.code == .invalidJSON)
        #expect(e?.byteOffset == prefix.utf8.count + 4) // the ']' where 'e' was due
    }
}
