import StreamCodec
// Auto-detection (`-f auto`), Docs/Formats.md "Auto-detection": the input format is decided
// from the first significant byte, after an optional UTF-8 bom and whitespace (space, tab, CR,
// LF), and never waits for more than that byte:
//   rs (0x1E) -> json-seq; `[` -> json-array; any other start of a JSON value
//   (`{` `"` `-` `0`-`9` `t` `f` `n`) -> stream-json; anything else -> sse.
// With several inputs each is detected on its own and they must all be of the same family;
// options that do not apply to the detected format are errors, reported when it is detected.
// Conversions go through `convertEveryWay` (whole, byte by byte, random cuts, every split).
import Testing

private let rs = "\u{1E}"
private let bom = "\u{FEFF}"

/// The format the documented table gives for a first significant byte.
private func documentedFormat(_ byte: UInt8) -> String {
    switch byte {
    case 0x1E: return "json-seq"
    case UInt8(ascii: "["): return "json-array"
    case UInt8(ascii: "{"), UInt8(ascii: "\""), UInt8(ascii: "-"), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
        return "stream-json"
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return "stream-json"
    default: return "sse"
    }
}

private func auto(to target: String = "ndjson", _ configure: @escaping (inout ConversionOptions) throws -> Void = { _ in }) -> () throws ->
    Converter
{
    {
        var options = ConversionOptions()
        try configure(&options)
        return try Converter(from: "auto", to: target, options: options)
    }
}

@Suite("auto-detection of the input format")
struct AutoDetectionTests {
    // MARK: FormatRegistry.detect(firstSignificantByte:)

    @Test(
        "each first significant byte class gives the documented format",
        arguments: [
            (UInt8(0x1E), "json-seq"),
            (UInt8(ascii: "["), "json-array"),
            (UInt8(ascii: "{"), "stream-json"), (UInt8(ascii: "\""), "stream-json"), (UInt8(ascii: "-"), "stream-json"),
            (UInt8(ascii: "0"), "stream-json"), (UInt8(ascii: "5"), "stream-json"), (UInt8(ascii: "9"), "stream-json"),
            (UInt8(ascii: "t"), "stream-json"), (UInt8(ascii: "f"), "stream-json"), (UInt8(ascii: "n"), "stream-json"),
            (UInt8(ascii: "d"), "sse"), // data:
            (UInt8(ascii: ":"), "sse"), // a comment
            (UInt8(ascii: "e"), "sse"), // event:
            (UInt8(ascii: "i"), "sse"), // id:
            (UInt8(ascii: "r"), "sse"), // retry:
            (UInt8(ascii: "]"), "sse"), (UInt8(ascii: "}"), "sse"), (UInt8(ascii: "+"), "sse"), (UInt8(ascii: "."), "sse"),
            (UInt8(ascii: "T"), "sse"), (UInt8(ascii: "N"), "sse"), (UInt8(ascii: "I"), "sse"), (UInt8(ascii: "<"), "sse"),
            (UInt8(0x00), "sse"), (UInt8(0x0B), "sse"), (UInt8(0x0C), "sse"), (UInt8(0x1D), "sse"), (UInt8(0x1F), "sse"),
            (UInt8(0x7F), "sse"), (UInt8(0xEF), "sse"), (UInt8(0xFF), "sse"),
        ])
    func detectByteClasses(byte: UInt8, format: String) {
        #expect(FormatRegistry.standard.detect(firstSignificantByte: byte)?.name == format)
    }

    @Test("every byte value gives the format of the documented table")
    func detectEveryByte() {
        for byte in UInt8.min...UInt8.max {
            #expect(FormatRegistry.standard.detect(firstSignificantByte: byte)?.name == documentedFormat(byte), "byte \(byte)")
        }
    }

    // MARK: FormatRegistry.firstSignificantByte

    @Test(
        "the first significant byte comes after one optional bom and JSON whitespace (space, tab, CR, LF)",
        arguments: [
            (u8("{"), UInt8(ascii: "{")),
            (u8(" \t\r\n\r\n{"), UInt8(ascii: "{")),
            (u8("\(bom)["), UInt8(ascii: "[")),
            (u8("\(bom) \r\n\t\r\n\(rs)"), 0x1E),
            (u8("\r\ndata: x"), UInt8(ascii: "d")),
            (u8("\(bom)\(bom)["), 0xEF), // only one bom is skipped
            (u8(" \(bom)["), 0xEF), // a bom after whitespace is not a bom
            (u8("\u{0C}{"), 0x0C), // form feed is not JSON whitespace
            (u8("\u{0B}{"), 0x0B),
            (u8("\u{A0}{"), 0xC2), // nor is a no-break space
            ([0xEF, 0xBB, 0x41], 0xEF), // not a bom after all
            ([0xEF, 0x41], 0xEF),
            ([0xEF, 0xBB, 0xBF, 0xEF, 0xBB], 0xEF),
        ] as [([UInt8], UInt8?)])
    func firstSignificantByte(bytes: [UInt8], expected: UInt8?) {
        #expect(bytes.withUnsafeBytes { FormatRegistry.firstSignificantByte($0) } == expected)
    }

    @Test(
        "there is no first significant byte yet in whitespace, a bom, or a prefix of a bom",
        arguments: [
            [UInt8](), u8(" "), u8(" \r\n\t\n"), u8(bom), u8("\(bom)\r\n "), [0xEF], [0xEF, 0xBB],
        ] as [[UInt8]])
    func noSignificantByteYet(bytes: [UInt8]) {
        #expect(bytes.withUnsafeBytes { FormatRegistry.firstSignificantByte($0) } == nil)
    }

    // MARK: Converter in auto mode

    @Test(
        "a converter in auto mode decodes each input with the detected format (bom, whitespace and CRLF before it allowed)",
        arguments: [
            ("\(rs){\"a\": 1}\n\(rs)[2]\n", "json-seq", "{\"a\":1}\n[2]\n"),
            ("[1, {\"b\": 2}]", "json-array", "1\n{\"b\":2}\n"), // elements, not one array record
            ("{\"a\":1}{\"b\":2}\n", "stream-json", "{\"a\":1}\n{\"b\":2}\n"),
            ("\"s\"\n\"t\"", "stream-json", "\"s\"\n\"t\"\n"),
            ("-1 2\n", "stream-json", "-1\n2\n"),
            ("7\n", "stream-json", "7\n"),
            ("true\nfalse null\n", "stream-json", "true\nfalse\nnull\n"),
            ("data: {\"a\": 1}\n\n", "sse", "{\"a\":1}\n"),
            (": hi\ndata: 1\n\n", "sse", "1\n"),
            ("event: e\ndata: 2\n\n", "sse", "2\n"),
            ("id: 7\ndata: 3\n\n", "sse", "3\n"),
            ("retry: 5\ndata: 4\n\n", "sse", "4\n"),
        ])
    func convertsDetected(input: String, format: String, output: String) throws {
        // Spaces and tabs before an SSE line would make them part of its field name, so they
        // are only put before JSON inputs.
        let prefixes = ["", "\r\n", "\n\r\n", bom, "\(bom)\r\n"] + (format == "sse" ? [] : [" \t\r\n\n", "\(bom)\r\n \t"])
        for prefix in prefixes {
            let result = try convertEveryWay(prefix + input, auto())
            #expect(result.error == nil, "prefix \(prefix.debugDescription)")
            #expect(result.text == output, "prefix \(prefix.debugDescription)")
            var converter = try auto()()
            var out: [UInt8] = []
            try converter.convert(u8(prefix + input), into: &out)
            #expect(converter.sourceFormat?.name == format, "prefix \(prefix.debugDescription)")
        }
    }

    @Test(
        "detection never waits for more than the first significant byte",
        arguments: [
            ("\n\n{", "stream-json"), ("\r\n \t[", "json-array"), ("\(bom)\(rs)", "json-seq"), ("\(bom)\r\nd", "sse"),
            ("1", "stream-json"), (":", "sse"),
        ])
    func detectsAtFirstSignificantByte(input: String, format: String) throws {
        let bytes = u8(input)
        var converter = try auto()()
        var out: [UInt8] = []
        for (i, byte) in bytes.enumerated() {
            #expect(converter.sourceFormat == nil, "decided before byte \(i) of \(input.debugDescription)")
            try converter.convert([byte], into: &out)
        }
        #expect(converter.sourceFormat?.name == format)
        #expect(out.isEmpty) // nothing complete yet
    }

    @Test("a bom split across chunks is still skipped")
    func bomSplitAcrossChunks() throws {
        var converter = try auto()()
        var out: [UInt8] = []
        for piece in [[0xEF], [0xBB], [0xBF], [0x0D, 0x0A]] as [[UInt8]] {
            try converter.convert(piece, into: &out)
            #expect(converter.sourceFormat == nil)
        }
        try converter.convert(u8("[1,"), into: &out)
        #expect(converter.sourceFormat?.name == "json-array")
        try converter.convert(u8("2]"), into: &out)
        try converter.finish(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1\n2\n")
    }

    // WHATWG "Parsing an event stream": one bom is skipped at the start of the stream only; a
    // second one starts a line (`\u{FEFF}data` is an unknown field). Auto-detection drops the
    // blank lines after a bom but keeps the bom in front, so the SSE decoder sees the same
    // stream start as with -f sse; an input that ends inside a bom is decided by its first byte.
    @Test(
        "with a bom and blank lines before SSE, auto gives exactly what -f sse gives",
        arguments: [
            "\(bom)\n\(bom)data: hidden\n\ndata: 1\n\n",
            "\(bom)\r\n\r\(bom)data: hidden\n\ndata: 1\n\n",
            "\(bom)\n\ndata: 1\n\n",
            "\(bom)\n \t\n\r\(bom)\n\ndata: 1\n\n",
            "\u{EF}\u{BB}",
        ])
    func bomThenBlankLinesLikeSSE(input: String) throws {
        let bytes = input == "\u{EF}\u{BB}" ? [0xEF, 0xBB] : u8(input)
        let sse = try convertEveryWay(bytes) { try Converter(from: "sse", to: "ndjson") }
        let detected = try convertEveryWay(bytes, auto())
        #expect(
            detected.text == sse.text && detected.error?.code == sse.error?.code,
            "auto: \(detected), sse: \(sse)")
        if input.hasPrefix(bom + "\n" + bom) { #expect(sse.text == "1\n") } // the second bom hides its line
    }

    @Test("a stream of only whitespace (or nothing) gives no records and no error", arguments: ["", " ", "\r\n\t \n", bom, "\(bom)\n\n"])
    func whitespaceOnly(input: String) throws {
        for target in ["ndjson", "json-seq", "sse"] {
            let result = try convertEveryWay(input, auto(to: target))
            #expect(result.error == nil, "to \(target)")
            #expect(result.output.isEmpty, "to \(target)")
            #expect(result.warnings.isEmpty, "to \(target)")
        }
        let asArray = try convertEveryWay(input, auto(to: "json-array"))
        #expect(asArray.error == nil)
        #expect(decodeEveryWay(asArray.output) { JSONArrayDecoder() }.0 == Decoded()) // `[]`: no records
    }

    @Test("whitespace before the first significant byte is not buffered: memory stays bounded by the record limit plus one read")
    func leadingWhitespaceBounded() throws {
        // Docs/CLI.md "Streaming and memory": memory is bounded by the record-size limit plus
        // one read, whatever the length of the stream; Docs/Design.md: nothing is rescanned.
        // Each decoder skips such whitespace itself (stream-json, ndjson, json-seq, json-array
        // without buffering it; SSE as blank lines), so auto mode must not keep it either.
        let limit = 64 * 1024
        let read = 4 * 1024
        var options = ConversionOptions()
        options.maxRecordBytes = limit
        var converter = try Converter(from: "auto", to: "ndjson", options: options)
        var out: [UInt8] = []
        let newlines = [UInt8](repeating: 0x0A, count: read)
        var maxBuffered = 0
        for _ in 0..<(1024 * 1024 / read) {
            try converter.convert(newlines, into: &out)
            maxBuffered = max(maxBuffered, converter.bufferedByteCount)
        }
        #expect(maxBuffered <= limit + read)
        try converter.convert(u8("{\"a\":1}\n"), into: &out)
        try converter.finish(into: &out)
        #expect(converter.sourceFormat?.name == "stream-json")
        #expect(String(decoding: out, as: UTF8.self) == "{\"a\":1}\n")
    }

    // MARK: Several inputs

    private func convertInputs(_ inputs: [String], _ make: () throws -> Converter) throws -> (out: String, error: StreamCodecError?) {
        var converter = try make()
        var out: [UInt8] = []
        do throws(StreamCodecError) {
            for (i, input) in inputs.enumerated() {
                if i > 0 { converter.startNextInput() }
                try converter.convert(u8(input), into: &out)
                try converter.finishInput(into: &out)
            }
            try converter.finish(into: &out)
        } catch {
            return (String(decoding: out, as: UTF8.self), error)
        }
        return (String(decoding: out, as: UTF8.self), nil)
    }

    @Test("each input is detected on its own; inputs of the same family may differ in format")
    func sameFamilyInputs() throws {
        let result = try convertInputs(["{\"a\":1}\n", "[2, 3]", "\(rs)4\n", "  5 "], auto())
        #expect(result.error == nil)
        #expect(result.out == "{\"a\":1}\n2\n3\n4\n5\n")
        let events = try convertInputs(["data: 1\n\n", ": c\ndata: 2\n\n"], auto())
        #expect(events.error == nil)
        #expect(events.out == "1\n2\n")
        // An input of only whitespace decides nothing, before or between the others.
        let withEmpty = try convertInputs([" \n", "{\"a\":1}\n", "", "\r\n", "[2]"], auto())
        #expect(withEmpty.error == nil)
        #expect(withEmpty.out == "{\"a\":1}\n2\n")
        let emptyThenEvents = try convertInputs(["\n\n", "data: 1\n\n"], auto())
        #expect(emptyThenEvents.error == nil)
        #expect(emptyThenEvents.out == "1\n")
    }

    @Test("each detected format keeps its own end-of-input default: SSE discards a last block with a warning, json-seq reports .truncated")
    func endOfInputDefaults() throws {
        let sse = try convertEveryWay("data: 1\n\ndata: 2", auto())
        #expect(sse.error == nil)
        #expect(sse.text == "1\n")
        #expect(sse.warnings.count == 1)
        let seq = try convertEveryWay("\(rs)1\n\(rs)2", auto())
        #expect(seq.error?.code == .truncated)
        #expect(seq.text == "1\n")
    }

    @Test("the skip policy and the record limit apply to the detected decoder")
    func skipAndLimit() throws {
        let skipped = try convertEveryWay(
            "\(rs)[1,]\n\(rs)\"abcdefghijklmnopqrstuvwxyz\"\n\(rs)2\n",
            auto { options in
                options.onError = .skip
                options.maxRecordBytes = 16
            })
        #expect(skipped.error == nil)
        #expect(skipped.text == "2\n")
        #expect(skipped.warnings.count == 2)
    }

    @Test(
        "two inputs of different families are an .invalidOptions error; the first input's records are out",
        arguments: [
            (["{\"a\":1}\n", "data: 2\n\n"], "{\"a\":1}\n"),
            (["data: 1\n\n", "[2]"], "1\n"),
            (["\(rs)1\n", "\n\nevent: x\ndata: 2\n\n"], "1\n"),
        ])
    func differentFamilies(inputs: [String], before: String) throws {
        let result = try convertInputs(inputs, auto())
        #expect(result.error?.code == .invalidOptions)
        #expect(result.out == before)
    }

    // MARK: Options

    @Test(
        "an option that does not apply to the detected format is .invalidOptions, reported when the format is detected",
        arguments: [
            ("{\"a\":1}\n", "ndjson", "only-event"),
            ("[1]", "ndjson", "comments"),
            ("\(rs)1\n", "ndjson", "require-done"),
            ("data: 1\n\n", "sse", "event"),
            ("data: 1\n\n", "sse", "ids"),
            ("{\"a\":1}\n", "ndjson", "envelope"),
            ("data: 1\n\n", "sse", "envelope"),
        ])
    func inapplicableOptions(input: String, target: String, option: String) throws {
        let make = auto(to: target) { options in
            switch option {
            case "only-event": options.onlyEvents = ["x"]
            case "comments":
                options.codec.keepComments = true
                options.mode = .envelope // (without it no input could use it: rejected at init)
            case "require-done": options.requireDone = true
            case "event": options.eventName = "x"
            case "ids": options.sequentialIDs = true
            case "envelope": options.mode = .envelope
            default: Issue.record("unknown option \(option)")
            }
        }
        let result = try convertEveryWay(input, make)
        #expect(result.error?.code == .invalidOptions)
        #expect(result.output.isEmpty)

        // Not before: whitespace alone does not decide the format.
        var converter = try make()
        var out: [UInt8] = []
        try converter.convert(u8(" \r\n"), into: &out)
        #expect(converter.sourceFormat == nil)
        let error = #expect(throws: StreamCodecError.self) { try converter.convert(u8(input), into: &out) }
        #expect(error?.code == .invalidOptions)
    }

    @Test(
        "options that apply to the detected format are used",
        arguments: [
            ("event: x\ndata: 1\n\nevent: y\ndata: 2\n\n", "ndjson", "only-event", "1\n"),
            ("{\"a\":1}\n", "sse", "event", "event: x\ndata: {\"a\":1}\n\n"),
            ("[{\"items\":[1,2]}]", "ndjson", "array-path", "1\n2\n"),
            ("\(rs){\"a\":1}", "ndjson", "eof-dispatch", "{\"a\":1}\n"),
        ])
    func applicableOptions(input: String, target: String, option: String, output: String) throws {
        let result = try convertEveryWay(
            input,
            auto(to: target) { options in
                switch option {
                case "only-event": options.onlyEvents = ["x"]
                case "event": options.eventName = "x"
                case "array-path": options.codec.arrayPointer = try JSONPointer("/0/items")
                case "eof-dispatch": options.codec.incompleteBlock = .dispatch
                default: Issue.record("unknown option \(option)")
                }
            })
        #expect(result.error == nil)
        #expect(result.text == output)
    }

    @Test(
        "--array-path with input detected as another format than json-array is .invalidOptions",
        arguments: ["{\"results\":[1,2]}", "data: 1\n\n", "\(rs){\"results\":[1]}\n"])
    func arrayPathOnOtherFormat(input: String) throws {
        let result = try convertEveryWay(input, auto { options in options.codec.arrayPointer = try JSONPointer("/results") })
        #expect(result.error?.code == .invalidOptions)
        #expect(result.output.isEmpty)
    }
}

// Auto mode drops blank lines before the first significant byte (so they cost no memory);
// reported lines still count from the true start of the input, as each format counts lines.
@Suite("Auto-detection keeps line numbers after dropping leading blank lines")
struct AutoDetectionLineNumberTests {
    private func firstError(_ input: String) -> StreamCodecError? {
        do {
            var converter = try Converter(from: "auto", to: "ndjson")
            var out: [UInt8] = []
            for byte in Array(input.utf8) { try converter.convert([byte], into: &out) }
            try converter.finish(into: &out)
            return nil
        } catch {
            return error
        }
    }

    @Test("a JSON error after LF-ended blank lines names its true line")
    func jsonLines() {
        #expect(firstError("\n\n  \n{\"a\":1}\n{bad}\n")?.line == 5)
        #expect(firstError("\u{FEFF}\n\t\n{bad}\n")?.line == 3)
    }

    @Test("an SSE error after CR, LF and CRLF blank lines names its true line (SSE counts CR as a line end)")
    func sseLines() {
        #expect(firstError("\r\n\r\r\ndata: x\n\n")?.line == 4)
        #expect(firstError("\n\ndata: {}\n\ndata: bad\n\n")?.line == 5)
    }
}
