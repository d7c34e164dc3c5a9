// JSONSeqDecoder / JSONSeqEncoder: RFC 7464 "JavaScript Object Notation (JSON) Text Sequences"
// (with RFC 8259 for each text), as Docs/Formats.md (`json-seq`) decides it:
// - 2.1: each record starts with RS (0x1E); a text may span lines; consecutive RS bytes make no
//   empty records; whitespace before the first RS and whitespace-only elements are skipped;
//   anything else outside a text (a second text without its RS) is an error.
// - A record is complete at the first byte after its text (whitespace, i.e. its LF, or the next
//   RS) and is written at once.
// - 2.4: a top-level number/true/false/null must be followed by whitespace; directly followed by
//   RS it is a bad record. At end of input a text without its LF may be truncated: `.truncated`
//   by default, `.dispatch` writes it if it is complete JSON, `.discard` drops it with a warning.
//   An incomplete text whose record ends with LF was not cut off: invalid JSON (status 1).
// - 2.3: recovery (the skip policy) resumes at the next RS, one warning per bad record.
// - The record-size limit counts a text's bytes.
// - 2.2: the encoder writes RS, the minified text, LF.
// Every input goes through `decodeEveryWay` (whole, byte by byte, random cuts, every split).
import Testing
import StreamCodec

private let RS = "\u{1E}"

@discardableResult
private func seq(_ input: String, endOfInput: SSEDecoder.IncompleteBlockPolicy = .error, maxRecordBytes: Int = 16 << 20,
                 compareErrorOffsets: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) -> Decoded {
    decodeEveryWay(input, maxRecordBytes: maxRecordBytes, compareErrorOffsets: compareErrorOffsets,
                   sourceLocation: sourceLocation) { JSONSeqDecoder(endOfInput: endOfInput) }.0
}

@Suite("json-seq decoder (RFC 7464)")
struct JSONSeqDecoderTests {
    // MARK: Section 2.1: framing

    @Test("each RS-framed text is one .json record, validated and minified", arguments: [
        ("\(RS){\"a\":1}\n", [#"{"a":1}"#]),
        ("\(RS){ \"a\" : [ 1 , 2 ] , \"s\" : \"x y\" }\n\(RS)[]\n", [#"{"a":[1,2],"s":"x y"}"#, "[]"]),
        ("\(RS)1\n\(RS)true\n\(RS)false\n\(RS)null\n\(RS)-0.5e+3\n", ["1", "true", "false", "null", "-0.5e+3"]),
        ("\(RS)\"s\"\n\(RS)\"\\u003c\"\n", [#""s""#, #""\u003c""#]),   // strings copied byte for byte
        ("\(RS)12345678901234567890123\n\(RS)1E400\n", ["12345678901234567890123", "1E400"]),
        ("\(RS){}\r\n\(RS)[]\r\n", ["{}", "[]"]),                      // CRLF is whitespace after the text
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
        let input = "\(RS){\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"x\"\n}\n\(RS)[\n]\n\(RS)\n\"y\"\n"
        let result = seq(input)
        #expect(result.error == nil)
        #expect(result.texts == [#"{"a":[1,2],"b":"x"}"#, "[]", #""y""#])
    }

    @Test("consecutive RS bytes do not make empty records")
    func consecutiveRS() {
        let result = seq("\(RS)\(RS)\(RS){}\n\(RS)\(RS)1\n\(RS)\(RS)")
        #expect(result.error == nil)
        #expect(result.texts == ["{}", "1"])
    }

    @Test("whitespace (space, tab, CR, LF) before the first RS is skipped")
    func whitespaceBeforeFirstRS() {
        let result = seq(" \r\n\t\n  \(RS){\"a\":1}\n")
        #expect(result.error == nil)
        #expect(result.texts == [#"{"a":1}"#])
    }

    @Test("elements holding only whitespace are skipped")
    func whitespaceOnlyElements() {
        let result = seq("\(RS) \n\(RS)\r\n\(RS)\t\(RS){}\n\(RS)  \n\n\(RS)2\n\(RS) \n")
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

    @Test("each text must be RFC 8259 JSON: an invalid text is an invalid-JSON error", arguments: [
        "\(RS){\"a\":01}\n", "\(RS)[1,]\n", "\(RS){'a':1}\n", "\(RS)NaN\n", "\(RS)\"a\tb\"\n", "\(RS){\"a\" 1}\n", "\(RS)]\n",
    ])
    func invalidText(input: String) {
        let result = seq(input)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.records.isEmpty)
    }

    // MARK: When a record is complete

    @Test("a text is complete at its LF, at other whitespace or at the next RS, and only then is it out", arguments: [
        ("\(RS){\"a\":1}", [String]()),            // the next byte has not arrived
        ("\(RS){\"a\":1}\n", [#"{"a":1}"#]),
        ("\(RS){\"a\":1}\(RS)", [#"{"a":1}"#]),
        ("\(RS){\"a\":1} ", [#"{"a":1}"#]),
        ("\(RS)\"s\"\(RS)", [#""s""#]),
        ("\(RS)[1]\(RS)", ["[1]"]),
        ("\(RS)12", []),                            // 12 may go on (123)
        ("\(RS)12\n", ["12"]),
        ("\(RS)true", []),                          // section 2.4: waits for its whitespace
        ("\(RS)true\n", ["true"]),
        ("\(RS){}\n\(RS)[1,", ["{}"]),
    ])
    func completeAtNextByte(input: String, expected: [String]) {
        let result = decodeEveryWayWithoutEnd(input) { JSONSeqDecoder() }
        #expect(result.error == nil)
        #expect(result.texts == expected)
    }

    // MARK: Section 2.4: top-level values

    @Test("section 2.4: a top-level number, true, false or null directly followed by RS is a bad record", arguments: [
        "\(RS)1\(RS)2\n", "\(RS)true\(RS)", "\(RS)false\(RS){}\n", "\(RS)null\(RS)", "\(RS)-1.5e3\(RS)",
    ])
    func scalarFollowedByRS(input: String) throws {
        let result = seq(input)
        let error = try #require(result.error)
        #expect(error.code == .invalidJSON)
        #expect(result.records.isEmpty)
        #expect(error.line == 1)
        // The problem is where whitespace was required: the second RS.
        #expect(error.byteOffset == Array(input.utf8).dropFirst().firstIndex(of: 0x1E))
    }

    @Test("section 2.4: a top-level scalar at the end of input (no LF) is truncated by default", arguments: [
        "\(RS)123", "\(RS)true", "\(RS)null", "\(RS)false", "\(RS)-0.5",
    ])
    func scalarAtEnd(input: String) {
        let result = seq(input)
        #expect(result.error?.code == .truncated)
        #expect(result.records.isEmpty)
    }

    @Test("section 2.4: `RS 123` at end of input is written by .dispatch and dropped with a warning by .discard")
    func scalarAtEndPolicies() {
        let dispatched = seq("\(RS)1\n\(RS)123", endOfInput: .dispatch)
        #expect(dispatched.error == nil)
        #expect(dispatched.texts == ["1", "123"])
        #expect(dispatched.warnings.isEmpty)

        let discarded = seq("\(RS)1\n\(RS)123", endOfInput: .discard)
        #expect(discarded.error == nil)
        #expect(discarded.texts == ["1"])
        #expect(discarded.warnings.count == 1)
        #expect(discarded.warnings.first?.line == 2)
    }

    @Test("end of input right after a complete text without its LF: truncated by default, the records before it are out")
    func completeTextWithoutLF() throws {
        let result = seq("\(RS){}\n\(RS){\"a\":1}")
        #expect(result.texts == ["{}"])
        let error = try #require(result.error)
        #expect(error.code == .truncated)
        #expect(error.line == 2)
    }

    @Test(".dispatch writes a complete text left without its LF at end of input")
    func completeTextWithoutLFDispatched() {
        let result = seq("\(RS){}\n\(RS){\"a\":1}", endOfInput: .dispatch)
        #expect(result.error == nil)
        #expect(result.texts == ["{}", #"{"a":1}"#])
        #expect(result.warnings.isEmpty)
    }

    @Test(".discard drops a complete text left without its LF at end of input, with a warning")
    func completeTextWithoutLFDiscarded() {
        let result = seq("\(RS){}\n\(RS){\"a\":1}", endOfInput: .discard)
        #expect(result.error == nil)
        #expect(result.texts == ["{}"])
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.line == 2)
    }

    @Test("an incomplete text whose record ends with LF was not cut off: invalid JSON under every end-of-input policy", arguments: [
        ("\(RS){\"a\":1\n", SSEDecoder.IncompleteBlockPolicy.error),
        ("\(RS)[1,\n", .error),
        ("\(RS){\n\"a\":\n", .error),
        ("\(RS){\"a\":1\n", .dispatch),
        ("\(RS){\"a\":1\n", .discard),
    ])
    func incompleteTextEndingWithLF(input: String, policy: SSEDecoder.IncompleteBlockPolicy) {
        let result = seq(input, endOfInput: policy)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.records.isEmpty)
    }

    @Test("an incomplete text cut off without LF is truncated (also under .dispatch, which writes only complete JSON)", arguments: [
        ("\(RS){\"a\":1", SSEDecoder.IncompleteBlockPolicy.error),
        ("\(RS){\"a\":", .error),
        ("\(RS)\"abc", .error),
        ("\(RS)[1,\n2", .error),
        ("\(RS)tr", .error),
        ("\(RS){\"a\":1", .dispatch),
    ])
    func incompleteTextWithoutLF(input: String, policy: SSEDecoder.IncompleteBlockPolicy) {
        let result = seq(input, endOfInput: policy)
        #expect(result.error?.code == .truncated)
        #expect(result.records.isEmpty)
    }

    @Test(".discard drops an incomplete text cut off without LF, with a warning")
    func incompleteTextDiscarded() {
        let result = seq("\(RS)[1]\n\(RS){\"a\":", endOfInput: .discard)
        #expect(result.error == nil)
        #expect(result.texts == ["[1]"])
        #expect(result.warnings.count == 1)
    }

    @Test("an incomplete text ended by the next RS is a bad record")
    func incompleteTextEndedByRS() {
        let result = seq("\(RS){\"a\":\(RS){}\n")
        #expect(result.error?.code == .invalidJSON)
        #expect(result.records.isEmpty)
    }

    // MARK: Outside a text

    @Test("a second text without its RS in the same element is an error (texts before it are out)", arguments: [
        ("\(RS){}{}\n", [String](), 1),
        ("\(RS){} {}\n", ["{}"], 1),
        ("\(RS)1 2\n", ["1"], 1),
        ("\(RS)\"a\"\"b\"\n", [], 1),
        ("\(RS){}\n{}\n", ["{}"], 2),
        ("\(RS){}\n\n  x\n", ["{}"], 3),
    ])
    func secondTextWithoutRS(input: String, before: [String], line: Int) {
        let result = seq(input)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == line)
        #expect(result.texts == before)
    }

    @Test("a UTF-8 BOM at the very start is ignored (the decoder's documented choice); anywhere else it is not whitespace")
    func bom() {
        #expect(seq("\u{FEFF}\(RS){}\n").texts == ["{}"])
        #expect(seq("\u{FEFF}\n \(RS){}\n").texts == ["{}"])
        #expect(seq("\(RS)\u{FEFF}{}\n").error?.code == .invalidJSON)
        #expect(seq(" \u{FEFF}\(RS){}\n").error?.code == .invalidJSON)
    }

    @Test("anything but whitespace before the first RS is an error", arguments: ["{}\n", "x\(RS){}\n", "1\n", "\u{FEFF}\u{FEFF}\(RS){}\n"])
    func contentBeforeFirstRS(input: String) {
        let result = seq(input)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.records.isEmpty)
    }

    // MARK: Section 2.3: recovery

    @Test("section 2.3: with skipping, each bad record is dropped with a warning and decoding resumes at the next RS")
    func skipResumesAtNextRS() {
        let input = "\(RS){\"a\": x}\n"      // line 1: invalid JSON
            + "\(RS){\"b\":1}\n"             // line 2
            + "\(RS)1\(RS)2\n"                // line 3: `1` directly followed by RS; `2` is fine
            + "\(RS)[1,]\n"                   // line 4: invalid
            + "\(RS){} {}\n"                  // line 5: the first text is out, then a text without RS
            + "\(RS){\"c\":3}\n"             // line 6
        let result = decodeEveryWaySkipping(input) { JSONSeqDecoder() }
        #expect(result.decoded.error == nil)
        #expect(result.decoded.texts == [#"{"b":1}"#, "2", "{}", #"{"c":3}"#])
        #expect(result.skipped == 4)
        #expect(result.decoded.warnings.map(\.line) == [1, 3, 4, 5])
    }

    @Test("section 2.3: a bad record spanning lines and holding what looks like texts is dropped up to the next RS; later lines stay right")
    func skipMultiLineBadRecord() {
        let input = "\(RS){\n\"a\": [1,\n{\"x\": 1}\n}\n"   // lines 1-4, bad on line 4
            + "\(RS){\"ok\":true}\n"                            // line 5
            + "\(RS){\"b\":x\n\n}\n"                            // lines 6-8, bad on line 6
            + "\(RS)1\(RS)\n"                                     // line 9: bad
            + "\(RS)2\n"                                          // line 10
        let result = decodeEveryWaySkipping(input) { JSONSeqDecoder() }
        #expect(result.decoded.error == nil)
        #expect(result.decoded.texts == [#"{"ok":true}"#, "2"])
        #expect(result.skipped == 3)
        #expect(result.decoded.warnings.map(\.line) == [4, 6, 9])
    }

    @Test("section 2.1: an RS inside what looks like a string still separates elements (both halves are bad records)")
    func rsInsideString() {
        let input = "\(RS)\"a\(RS)b\"\n\(RS)1\n"
        let failed = seq(input)
        #expect(failed.error?.code == .invalidJSON)
        #expect(failed.error?.byteOffset == 3)
        let skipped = decodeEveryWaySkipping(input) { JSONSeqDecoder() }
        #expect(skipped.decoded.error == nil)
        #expect(skipped.decoded.texts == ["1"])
        #expect(skipped.skipped == 2)
    }

    @Test("section 2.3: a bad record at the end of input (no RS after it) is dropped; an incomplete one ending with LF too")
    func skipAtEnd() {
        let bad = decodeEveryWaySkipping("\(RS){}\n\(RS){\"a\": x") { JSONSeqDecoder() }
        #expect(bad.decoded.error == nil)
        #expect(bad.decoded.texts == ["{}"])
        #expect(bad.skipped == 1)

        let incomplete = decodeEveryWaySkipping("\(RS){}\n\(RS){\"a\":1\n") { JSONSeqDecoder() }
        #expect(incomplete.decoded.error == nil)
        #expect(incomplete.decoded.texts == ["{}"])
        #expect(incomplete.skipped == 1)
    }

    @Test("truncated input is never skipped: a text cut off without LF still ends with .truncated")
    func skipDoesNotHideTruncation() {
        let result = decodeEveryWaySkipping("\(RS){}\n\(RS){\"a\":") { JSONSeqDecoder() }
        #expect(result.decoded.texts == ["{}"])
        #expect(result.decoded.error?.code == .truncated)
        #expect(result.skipped == 0)
    }

    @Test("without skipping, a bad record stops decoding; the records before it are out")
    func badRecordStops() {
        let result = seq("\(RS)1\n\(RS)[1,]\n\(RS)2\n")
        #expect(result.texts == ["1"])
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 2)
    }

    // MARK: Record-size limit

    @Test("the record-size limit counts a text's bytes (not RS, LF or the whitespace around it): exactly at the limit is fine")
    func limitExactlyAt() {
        // `{ "a" : 1 }` is 11 bytes, whitespace inside included.
        let input = "\(RS)   { \"a\" : 1 }  \n\(RS)\n\n12345678901\n"
        let result = seq(input, maxRecordBytes: 11)
        #expect(result.error == nil)
        #expect(result.texts == [#"{"a":1}"#, "12345678901"])
    }

    @Test("one byte over the limit is .recordTooLarge, whatever the split; the records before it are out", arguments: [
        "\(RS)1\n\(RS){ \"a\" : 12 }\n",      // 12 bytes
        "\(RS)1\n\(RS)123456789012\n",
        "\(RS)1\n\(RS)\"abcdefghij\"\n",
    ])
    func limitOneOver(input: String) throws {
        let result = seq(input, maxRecordBytes: 11, compareErrorOffsets: false)
        let error = try #require(result.error)
        #expect(error.code == .recordTooLarge)
        #expect(error.line == 2)
        #expect(result.texts == ["1"])
    }

    @Test("with skipping, an oversized record is dropped and decoding resumes at the next RS")
    func limitSkipped() {
        let result = decodeEveryWaySkipping("\(RS)1\n\(RS)\"abcdefghijklmnop\"\n\(RS)2\n", maxRecordBytes: 11) { JSONSeqDecoder() }
        #expect(result.decoded.error == nil)
        #expect(result.decoded.texts == ["1", "2"])
        #expect(result.skipped == 1)
        #expect(result.decoded.warnings.first?.line == 2)
    }

    // MARK: Line numbers

    @Test("errors name the line they are on", arguments: [
        ("\(RS){}\n\(RS){\"a\":\n  x}\n", 3),
        ("\n\n\(RS)1\(RS)", 3),
        ("\(RS){\n\"a\"\n:\n1\n}\n\(RS)[1,]\n", 6),
        ("\(RS)\"a\"\n\(RS)\"b\n\"\n", 2),     // raw LF inside a string
    ])
    func errorLines(input: String, line: Int) {
        let result = seq(input)
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == line)
    }

    @Test("a truncated text is reported at the line it starts on")
    func truncatedLine() {
        let result = seq("\(RS){}\n\n\(RS){\n\"a\":")
        #expect(result.error?.code == .truncated)
        #expect(result.error?.line == 3)
    }

    // MARK: Registry

    @Test("the registry's json-seq (by name, alias and MIME type) is this decoder; its default end-of-input policy is an error",
          arguments: ["json-seq", "jsonseq", "application/json-seq"])
    func registry(name: String) throws {
        let format = try #require(FormatRegistry.standard.format(named: name))
        #expect(format.name == "json-seq")
        #expect(format.family == .json)
        let make = try #require(format.makeDecoder)
        let ok = decodeEveryWay("\(RS){ }\n\(RS)1\n") { AnyStreamDecoder(make(CodecOptions())) }.0
        #expect(ok.texts == ["{}", "1"])
        let cut = decodeEveryWay("\(RS){}") { AnyStreamDecoder(make(CodecOptions())) }.0
        #expect(cut.error?.code == .truncated)
        var dispatch = CodecOptions()
        dispatch.incompleteBlock = .dispatch
        let dispatched = decodeEveryWay("\(RS){}") { AnyStreamDecoder(make(dispatch)) }.0
        #expect(dispatched.texts == ["{}"])
        #expect(dispatched.error == nil)
    }
}

// MARK: - Encoder (section 2.2)

@Suite("json-seq encoder (RFC 7464 section 2.2)")
struct JSONSeqEncoderTests {
    @Test("each record is written as RS, the minified text, LF")
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

    @Test("a record that is not JSON cannot be written", arguments: [Record.event(data: "x"), Record.comment("c"), Record.control(id: "1")])
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
