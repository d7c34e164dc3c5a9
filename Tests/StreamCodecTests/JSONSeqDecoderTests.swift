import StreamCodec
// JSONSeqDecoder / JSONSeqEncoder: RFC 7464 "JavaScript Object Notation (JSON) Text Sequences"
// (with RFC 8259 for each text), as Docs/Formats.md (`json-seq`) decides it:
// - 2.1: each record starts with rs (0x1E); a text may span lines; consecutive rs bytes make no
//   empty records; whitespace before the first rs and whitespace-only elements are skipped;
//   anything else outside a text (a second text without its rs) is an error.
// - A record is complete at the first byte after its text (whitespace, i.e. its LF, or the next
//   rs) and is written at once.
// - 2.4: a top-level number/true/false/null must be followed by whitespace; directly followed by
//   rs it is a bad record. At end of input a text without its LF may be truncated: `.truncated`
//   by default, `.dispatch` writes it if it is complete JSON, `.discard` drops it with a warning.
//   An incomplete text whose record ends with LF was not cut off: invalid JSON (status 1).
// - 2.3: recovery (the skip policy) resumes at the next rs, one warning per bad record.
// - The record-size limit counts a text's bytes.
// - 2.2: the encoder writes rs, the minified text, LF.
// Every input goes through `decodeEveryWay` (whole, byte by byte, random cuts, every split).
import Testing

private let rs = "\u{1E}"

@discardableResult
private func seq(
    _ input: String, endOfInput: SSEDecoder.IncompleteBlockPolicy = .error, maxRecordBytes: Int = 16 << 20,
    compareErrorOffsets: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
) -> Decoded {
    decodeEveryWay(
        input, maxRecordBytes: maxRecordBytes, compareErrorOffsets: compareErrorOffsets,
        sourceLocation: sourceLocation
    ) { JSONSeqDecoder(endOfInput: endOfInput) }.0
}

@Suite("json-seq decoder (RFC 7464)")
struct JSONSeqDecoderTests {
    // MARK: Section 2.1: framing

    @Test(
        "each rs-framed text is one .json record, validated and minified",
        arguments: [
            ("\(rs){\"a\":1}\n", [#"{"a":1}"#]),
            ("\(rs){ \"a\" : [ 1 , 2 ] , \"s\" : \"x y\" }\n\(rs)[]\n", [#"{"a":[1,2],"s":"x y"}"#, "[]"]),
            ("\(rs)1\n\(rs)true\n\(rs)false\n\(rs)null\n\(rs)-0.5e+3\n", ["1", "true", "false", "null", "-0.5e+3"]),
            ("\(rs)\"s\"\n\(rs)\"\\u003c\"\n", [#""s""#, #""\u003c""#]), // strings copied byte for byte
            ("\(rs)12345678901234567890123\n\(rs)1E400\n", ["12345678901234567890123", "1E400"]),
            ("\(rs){}\r\n\(rs)[]\r\n", ["{}", "[]"]), // CRLF is whitespace after the text
        ])
    func framing(input: String, expected: [String]) {
        let result = seq(input)
        #expect(result.error == nil)
        #expect(result.texts == expected)
        #expect(result.records.allSatisfy { $0.kind == .json })
        #expect(result.warnings.isEmpty)
    }

    @Test("a text may span lines (pretty-printed), and is minified")
    func spansLines() {
        let input = "\(rs){\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"x\"\n}\n\(rs)[\n]\n\(rs)\n\"y\"\n"
        let result = seq(input)
        #expect(result.error == nil)
        #expect(result.texts == [#"{"a":[1,2],"b":"x"}"#, "[]", #""y""#])
    }

    @Test("consecutive rs bytes do not make empty records")
    func consecutiveRS() {
        let result = seq("\(rs)\(rs)\(rs){}\n\(rs)\(rs)1\n\(rs)\(rs)")
        #expect(result.error == nil)
        #expect(result.texts == ["{}", "1"])
    }

    @Test("whitespace (space, tab, CR, LF) before the first rs is skipped")
    func whitespaceBeforeFirstRS() {
        let result = seq(" \r\n\t\n  \(rs){\"a\":1}\n")
        #expect(result.error == nil)
        #expect(result.texts == [#"{"a":1}"#])
    }

    @Test("elements holding only whitespace are skipped")
    func whitespaceOnlyElements() {
        let result = seq("\(rs) \n\(rs)\r\n\(rs)\t\(rs){}\n\(rs)  \n\n\(rs)2\n\(rs) \n")
        #expect(result.error == nil)
        #expect(result.texts == ["{}", "2"])
        #expect(result.warnings.isEmpty)
    }

    @Test("input of only whitespace, or nothing, gives no records and no error", arguments: ["", " \n\t\r\n"])
    func emptyInput(input: String) {
        let result = seq(input)
        #expect(result.error == nil)
        #expect(result.records.isEmpty)
        #expect(result.warnings.isEmpty)
    }

    @Test(
        "each text must be RFC 8259 JSON: an invalid text is an invalid-JSON error",
        arguments: [
            "\(rs){\"a\":01}\n", "\(rs)[1,]\n", "\(rs){'a':1}\n", "\(rs)NaN\n", "\(rs)\"a\tb\"\n", "\(rs){\"a\" 1}\n", "\(rs)]\n",
        ])
    func invalidText(input: String) {
        let result = seq(input)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.records.isEmpty)
    }

    // MARK: When a record is complete

    @Test(
        "a text is complete at its LF, at other whitespace or at the next rs, and only then is it out",
        arguments: [
            ("\(rs){\"a\":1}", [String]()), // the next byte has not arrived
            ("\(rs){\"a\":1}\n", [#"{"a":1}"#]),
            ("\(rs){\"a\":1}\(rs)", [#"{"a":1}"#]),
            ("\(rs){\"a\":1} ", [#"{"a":1}"#]),
            ("\(rs)\"s\"\(rs)", [#""s""#]),
            ("\(rs)[1]\(rs)", ["[1]"]),
            ("\(rs)12", []), // 12 may go on (123)
            ("\(rs)12\n", ["12"]),
            ("\(rs)true", []), // section 2.4: waits for its whitespace
            ("\(rs)true\n", ["true"]),
            ("\(rs){}\n\(rs)[1,", ["{}"]),
        ])
    func completeAtNextByte(input: String, expected: [String]) {
        let result = decodeEveryWayWithoutEnd(input) { JSONSeqDecoder() }
        #expect(result.error == nil)
        #expect(result.texts == expected)
    }

    // MARK: Section 2.4: top-level values

    @Test(
        "section 2.4: a top-level number, true, false or null directly followed by rs is a bad record",
        arguments: [
            "\(rs)1\(rs)2\n", "\(rs)true\(rs)", "\(rs)false\(rs){}\n", "\(rs)null\(rs)", "\(rs)-1.5e3\(rs)",
        ])
    func scalarFollowedByRS(input: String) throws {
        let result = seq(input)
        let error = try #require(result.error)
        #expect(error.code == .invalidJSON)
        #expect(result.records.isEmpty)
        #expect(error.line == 1)
        // The problem is where whitespace was required: the second rs.
        #expect(error.byteOffset == Array(input.utf8).dropFirst().firstIndex(of: 0x1E))
    }

    @Test(
        "section 2.4: a top-level scalar at the end of input (no LF) is truncated by default",
        arguments: [
            "\(rs)123", "\(rs)true", "\(rs)null", "\(rs)false", "\(rs)-0.5",
        ])
    func scalarAtEnd(input: String) {
        let result = seq(input)
        #expect(result.error?.code == .truncated)
        #expect(result.records.isEmpty)
    }

    @Test("section 2.4: `rs 123` at end of input is written by .dispatch and dropped with a warning by .discard")
    func scalarAtEndPolicies() {
        let dispatched = seq("\(rs)1\n\(rs)123", endOfInput: .dispatch)
        #expect(dispatched.error == nil)
        #expect(dispatched.texts == ["1", "123"])
        #expect(dispatched.warnings.isEmpty)

        let discarded = seq("\(rs)1\n\(rs)123", endOfInput: .discard)
        #expect(discarded.error == nil)
        #expect(discarded.texts == ["1"])
        #expect(discarded.warnings.count == 1)
        #expect(discarded.warnings.first?.line == 2)
    }

    @Test("end of input right after a complete text without its LF: truncated by default, the records before it are out")
    func completeTextWithoutLF() throws {
        let result = seq("\(rs){}\n\(rs){\"a\":1}")
        #expect(result.texts == ["{}"])
        let error = try #require(result.error)
        #expect(error.code == .truncated)
        #expect(error.line == 2)
    }

    @Test(".dispatch writes a complete text left without its LF at end of input")
    func completeTextWithoutLFDispatched() {
        let result = seq("\(rs){}\n\(rs){\"a\":1}", endOfInput: .dispatch)
        #expect(result.error == nil)
        #expect(result.texts == ["{}", #"{"a":1}"#])
        #expect(result.warnings.isEmpty)
    }

    @Test(".discard drops a complete text left without its LF at end of input, with a warning")
    func completeTextWithoutLFDiscarded() {
        let result = seq("\(rs){}\n\(rs){\"a\":1}", endOfInput: .discard)
        #expect(result.error == nil)
        #expect(result.texts == ["{}"])
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.line == 2)
    }

    @Test(
        "an incomplete text whose record ends with LF was not cut off: invalid JSON under every end-of-input policy",
        arguments: [
            ("\(rs){\"a\":1\n", SSEDecoder.IncompleteBlockPolicy.error),
            ("\(rs)[1,\n", .error),
            ("\(rs){\n\"a\":\n", .error),
            ("\(rs){\"a\":1\n", .dispatch),
            ("\(rs){\"a\":1\n", .discard),
        ])
    func incompleteTextEndingWithLF(input: String, policy: SSEDecoder.IncompleteBlockPolicy) {
        let result = seq(input, endOfInput: policy)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.records.isEmpty)
    }

    @Test(
        "an incomplete text cut off without LF is truncated (also under .dispatch, which writes only complete JSON)",
        arguments: [
            ("\(rs){\"a\":1", SSEDecoder.IncompleteBlockPolicy.error),
            ("\(rs){\"a\":", .error),
            ("\(rs)\"abc", .error),
            ("\(rs)[1,\n2", .error),
            ("\(rs)tr", .error),
            ("\(rs){\"a\":1", .dispatch),
        ])
    func incompleteTextWithoutLF(input: String, policy: SSEDecoder.IncompleteBlockPolicy) {
        let result = seq(input, endOfInput: policy)
        #expect(result.error?.code == .truncated)
        #expect(result.records.isEmpty)
    }

    @Test(".discard drops an incomplete text cut off without LF, with a warning")
    func incompleteTextDiscarded() {
        let result = seq("\(rs)[1]\n\(rs){\"a\":", endOfInput: .discard)
        #expect(result.error == nil)
        #expect(result.texts == ["[1]"])
        #expect(result.warnings.count == 1)
    }

    @Test("an incomplete text ended by the next rs is a bad record")
    func incompleteTextEndedByRS() {
        let result = seq("\(rs){\"a\":\(rs){}\n")
        #expect(result.error?.code == .invalidJSON)
        #expect(result.records.isEmpty)
    }

    // MARK: Outside a text

    @Test(
        "a second text without its rs in the same element is an error (texts before it are out)",
        arguments: [
            ("\(rs){}{}\n", [String](), 1),
            ("\(rs){} {}\n", ["{}"], 1),
            ("\(rs)1 2\n", ["1"], 1),
            ("\(rs)\"a\"\"b\"\n", [], 1),
            ("\(rs){}\n{}\n", ["{}"], 2),
            ("\(rs){}\n\n  x\n", ["{}"], 3),
        ])
    func secondTextWithoutRS(input: String, before: [String], line: Int) {
        let result = seq(input)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == line)
        #expect(result.texts == before)
    }

    @Test("a UTF-8 BOM at the very start is ignored (the decoder's documented choice); anywhere else it is not whitespace")
    func bom() {
        #expect(seq("\u{FEFF}\(rs){}\n").texts == ["{}"])
        #expect(seq("\u{FEFF}\n \(rs){}\n").texts == ["{}"])
        #expect(seq("\(rs)\u{FEFF}{}\n").error?.code == .invalidJSON)
        #expect(seq(" \u{FEFF}\(rs){}\n").error?.code == .invalidJSON)
    }

    @Test("anything but whitespace before the first rs is an error", arguments: ["{}\n", "x\(rs){}\n", "1\n", "\u{FEFF}\u{FEFF}\(rs){}\n"])
    func contentBeforeFirstRS(input: String) {
        let result = seq(input)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.records.isEmpty)
    }

    // MARK: Section 2.3: recovery

    @Test("section 2.3: with skipping, each bad record is dropped with a warning and decoding resumes at the next rs")
    func skipResumesAtNextRS() {
        let input =
            "\(rs){\"a\": x}\n" // line 1: invalid JSON
            + "\(rs){\"b\":1}\n" // line 2
            + "\(rs)1\(rs)2\n" // line 3: `1` directly followed by rs; `2` is fine
            + "\(rs)[1,]\n" // line 4: invalid
            + "\(rs){} {}\n" // line 5: the first text is out, then a text without rs
            + "\(rs){\"c\":3}\n" // line 6
        let result = decodeEveryWaySkipping(input) { JSONSeqDecoder() }
        #expect(result.decoded.error == nil)
        #expect(result.decoded.texts == [#"{"b":1}"#, "2", "{}", #"{"c":3}"#])
        #expect(result.skipped == 4)
        #expect(result.decoded.warnings.map(\.line) == [1, 3, 4, 5])
    }

    @Test("section 2.3: a bad record spanning lines and holding what looks like texts is dropped up to the next rs; later lines stay right")
    func skipMultiLineBadRecord() {
        let input =
            "\(rs){\n\"a\": [1,\n{\"x\": 1}\n}\n" // lines 1-4, bad on line 4
            + "\(rs){\"ok\":true}\n" // line 5
            + "\(rs){\"b\":x\n\n}\n" // lines 6-8, bad on line 6
            + "\(rs)1\(rs)\n" // line 9: bad
            + "\(rs)2\n" // line 10
        let result = decodeEveryWaySkipping(input) { JSONSeqDecoder() }
        #expect(result.decoded.error == nil)
        #expect(result.decoded.texts == [#"{"ok":true}"#, "2"])
        #expect(result.skipped == 3)
        #expect(result.decoded.warnings.map(\.line) == [4, 6, 9])
    }

    @Test("section 2.1: an rs inside what looks like a string still separates elements (both halves are bad records)")
    func rsInsideString() {
        let input = "\(rs)\"a\(rs)b\"\n\(rs)1\n"
        let failed = seq(input)
        #expect(failed.error?.code == .invalidJSON)
        #expect(failed.error?.byteOffset == 3)
        let skipped = decodeEveryWaySkipping(input) { JSONSeqDecoder() }
        #expect(skipped.decoded.error == nil)
        #expect(skipped.decoded.texts == ["1"])
        #expect(skipped.skipped == 2)
    }

    @Test("section 2.3: a bad record at the end of input (no rs after it) is dropped; an incomplete one ending with LF too")
    func skipAtEnd() {
        let bad = decodeEveryWaySkipping("\(rs){}\n\(rs){\"a\": x") { JSONSeqDecoder() }
        #expect(bad.decoded.error == nil)
        #expect(bad.decoded.texts == ["{}"])
        #expect(bad.skipped == 1)

        let incomplete = decodeEveryWaySkipping("\(rs){}\n\(rs){\"a\":1\n") { JSONSeqDecoder() }
        #expect(incomplete.decoded.error == nil)
        #expect(incomplete.decoded.texts == ["{}"])
        #expect(incomplete.skipped == 1)
    }

    @Test("truncated input is never skipped: a text cut off without LF still ends with .truncated")
    func skipDoesNotHideTruncation() {
        let result = decodeEveryWaySkipping("\(rs){}\n\(rs){\"a\":") { JSONSeqDecoder() }
        #expect(result.decoded.texts == ["{}"])
        #expect(result.decoded.error?.code == .truncated)
        #expect(result.skipped == 0)
    }

    @Test("without skipping, a bad record stops decoding; the records before it are out")
    func badRecordStops() {
        let result = seq("\(rs)1\n\(rs)[1,]\n\(rs)2\n")
        #expect(result.texts == ["1"])
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 2)
    }

    // MARK: Record-size limit

    @Test("the record-size limit counts a text's bytes (not rs, LF or the whitespace around it): exactly at the limit is fine")
    func limitExactlyAt() {
        // `{ "a" : 1 }` is 11 bytes, whitespace inside included.
        let input = "\(rs)   { \"a\" : 1 }  \n\(rs)\n\n12345678901\n"
        let result = seq(input, maxRecordBytes: 11)
        #expect(result.error == nil)
        #expect(result.texts == [#"{"a":1}"#, "12345678901"])
    }

    @Test(
        "one byte over the limit is .recordTooLarge, whatever the split; the records before it are out",
        arguments: [
            "\(rs)1\n\(rs){ \"a\" : 12 }\n", // 12 bytes
            "\(rs)1\n\(rs)123456789012\n",
            "\(rs)1\n\(rs)\"abcdefghij\"\n",
        ])
    func limitOneOver(input: String) throws {
        let result = seq(input, maxRecordBytes: 11, compareErrorOffsets: false)
        let error = try #require(result.error)
        #expect(error.code == .recordTooLarge)
        #expect(error.line == 2)
        #expect(result.texts == ["1"])
    }

    @Test("with skipping, an oversized record is dropped and decoding resumes at the next rs")
    func limitSkipped() {
        let result = decodeEveryWaySkipping("\(rs)1\n\(rs)\"abcdefghijklmnop\"\n\(rs)2\n", maxRecordBytes: 11) { JSONSeqDecoder() }
        #expect(result.decoded.error == nil)
        #expect(result.decoded.texts == ["1", "2"])
        #expect(result.skipped == 1)
        #expect(result.decoded.warnings.first?.line == 2)
    }

    // MARK: Line numbers

    @Test(
        "errors name the line they are on",
        arguments: [
            ("\(rs){}\n\(rs){\"a\":\n  x}\n", 3),
            ("\n\n\(rs)1\(rs)", 3),
            ("\(rs){\n\"a\"\n:\n1\n}\n\(rs)[1,]\n", 6),
            ("\(rs)\"a\"\n\(rs)\"b\n\"\n", 2), // raw LF inside a string
        ])
    func errorLines(input: String, line: Int) {
        let result = seq(input)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == line)
    }

    @Test("a truncated text is reported at the line it starts on")
    func truncatedLine() {
        let result = seq("\(rs){}\n\n\(rs){\n\"a\":")
        #expect(result.error?.code == .truncated)
        #expect(result.error?.line == 3)
    }

    // MARK: Registry

    @Test(
        "the registry's json-seq (by name, alias and MIME type) is this decoder; its default end-of-input policy is an error",
        arguments: ["json-seq", "jsonseq", "application/json-seq"])
    func registry(name: String) throws {
        let format = try #require(FormatRegistry.standard.format(named: name))
        #expect(format.name == "json-seq")
        #expect(format.family == .json)
        let make = try #require(format.makeDecoder)
        let ok = decodeEveryWay("\(rs){ }\n\(rs)1\n") { AnyStreamDecoder(make(CodecOptions())) }.0
        #expect(ok.texts == ["{}", "1"])
        let cut = decodeEveryWay("\(rs){}") { AnyStreamDecoder(make(CodecOptions())) }.0
        #expect(cut.error?.code == .truncated)
        var dispatch = CodecOptions()
        dispatch.incompleteBlock = .dispatch
        let dispatched = decodeEveryWay("\(rs){}") { AnyStreamDecoder(make(dispatch)) }.0
        #expect(dispatched.texts == ["{}"])
        #expect(dispatched.error == nil)
    }
}

// MARK: - Encoder (section 2.2)

@Suite("json-seq encoder (RFC 7464 section 2.2)")
struct JSONSeqEncoderTests {
    @Test("each record is written as rs, the minified text, LF")
    func writesRSTextLF() throws {
        var encoder = JSONSeqEncoder()
        var out: [UInt8] = []
        try encoder.start(into: &out)
        #expect(out.isEmpty)
        try encoder.encode(try Record.json("{ \"a\" : [1, 2] }"), into: &out)
        try encoder.encode(try Record.json("1"), into: &out)
        try encoder.finish(into: &out)
        #expect(out == [0x1E] + u8(#"{"a":[1,2]}"#) + [0x0A, 0x1E, 0x31, 0x0A])
    }

    @Test(
        "a record that is not JSON cannot be written", arguments: [Record.event(data: "x"), Record.comment("c"), Record.control(id: "1")])
    func nonJSONRecord(record: Record) {
        var encoder = JSONSeqEncoder()
        var out: [UInt8] = []
        let error = #expect(throws: StreamCodecError.self) { try encoder.encode(record, into: &out) }
        #expect(error?.code == .unencodable)
        #expect(out.isEmpty)
    }

    @Test("round trip: decoding what the encoder wrote gives the same records")
    func roundTrip() throws {
        let texts = [#"{"a":1}"#, "[1,[2,{}]]", #""s\n\u0000""#, "1", "-0.5e10", "true", "false", "null", "{}", "[]", #""""#]
        let records = try texts.map { try Record.json($0) }
        var encoder = JSONSeqEncoder()
        var out: [UInt8] = []
        try encoder.start(into: &out)
        for record in records { try encoder.encode(record, into: &out) }
        try encoder.finish(into: &out)
        let decoded = decodeEveryWay(out) { JSONSeqDecoder() }.0
        #expect(decoded.error == nil)
        #expect(decoded.records == records)
    }
}
