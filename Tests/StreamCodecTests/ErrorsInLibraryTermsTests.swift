import StreamCodec
// Library errors speak in library terms: a message names the ConversionOptions property that
// governs it (`ConversionOptions.maxRecordBytes`), never a command-line flag, and the error
// carries the property's key path in `option` so a front end can name it its own way.
import Testing

@Suite("Errors in library terms")
struct ErrorsInLibraryTermsTests {
    /// Converts `input` whole and returns the error it throws.
    private func error(from: String, to: String, _ input: String, _ configure: (inout ConversionOptions) -> Void = { _ in })
        -> StreamCodecError?
    {
        var options = ConversionOptions()
        configure(&options)
        do {
            var converter = try Converter(from: from, to: to, options: options)
            var out: [UInt8] = []
            try converter.convert(Array(input.utf8), into: &out)
            try converter.finish(into: &out)
            return nil
        } catch {
            return error
        }
    }

    @Test(
        "a record over the limit names ConversionOptions.maxRecordBytes and carries option \"maxRecordBytes\"",
        arguments: ["sse", "ndjson", "stream-json", "json-seq", "json-array"])
    func recordTooLarge(format: String) throws {
        let record = "[\"" + String(repeating: "x", count: 200) + "\"]"
        let input =
            switch format {
            case "sse": "data: \(record)\n\n"
            case "json-seq": "\u{1E}\(record)\n"
            case "json-array": "[\(record)]"
            default: record + "\n"
            }
        let e = try #require(error(from: format, to: "ndjson", input) { $0.maxRecordBytes = 100 })
        #expect(e.code == .recordTooLarge)
        #expect(e.option == "maxRecordBytes")
        #expect(e.message.contains("ConversionOptions.maxRecordBytes"), "\(e.message)")
        #expect(!e.message.contains("--"), "\(e.message)")
    }

    @Test(
        "nesting over the limit names ConversionOptions.codec.maxDepth and carries option \"codec.maxDepth\"",
        arguments: ["ndjson", "stream-json", "json-seq"])
    func nestingTooDeep(format: String) throws {
        let deep = String(repeating: "[", count: 5) + String(repeating: "]", count: 5)
        let input = format == "json-seq" ? "\u{1E}\(deep)\n" : deep + "\n"
        let e = try #require(error(from: format, to: "ndjson", input) { $0.codec.maxDepth = 3 })
        #expect(e.code == .nestingTooDeep)
        #expect(e.option == "codec.maxDepth")
        #expect(e.message.contains("ConversionOptions.codec.maxDepth"), "\(e.message)")
        #expect(!e.message.contains("--"), "\(e.message)")
    }

    @Test("SSE data that is not JSON names ConversionOptions.nonJSON and the envelope mode as the ways to carry it")
    func nonJSONData() throws {
        let e = try #require(error(from: "sse", to: "ndjson", "data: {\"ok\": 1}\n\ndata: hello\n\n"))
        #expect(e.option == "nonJSON")
        #expect(e.message.contains("ConversionOptions.nonJSON = .string"), "\(e.message)")
        #expect(e.message.contains("ConversionOptions.mode = .envelope"), "\(e.message)")
        #expect(!e.message.contains("--"), "\(e.message)")
    }

    @Test("options that do not apply to the detected input format name their property, not a flag")
    func detectedFormatMisuse() throws {
        let pointer = try #require(error(from: "auto", to: "ndjson", "{\"a\": 1}\n") { $0.codec.arrayPointer = try! JSONPointer("/a") })
        #expect(pointer.code == .invalidOptions && pointer.option == "codec.arrayPointer", "\(pointer)")
        #expect(pointer.message.hasPrefix("ConversionOptions.codec.arrayPointer "), "\(pointer.message)")
        let eof = try #require(error(from: "auto", to: "ndjson", "{\"a\": 1}\n") { $0.codec.incompleteBlock = .dispatch })
        #expect(eof.option == "codec.incompleteBlock" && !eof.message.contains("--"), "\(eof)")
    }

    @Test("an error without a governing option has option nil; the codes with one get it by default")
    func defaults() {
        #expect(StreamCodecError(.invalidJSON, "x").option == nil)
        #expect(StreamCodecError(.recordTooLarge, "x").option == "maxRecordBytes")
        #expect(StreamCodecError(.nestingTooDeep, "x").option == "codec.maxDepth")
        #expect(StreamCodecError(.invalidOptions, "x", option: "retry").option == "retry")
    }
}

@Suite("Converter with auto-detection: options checked at init where the input cannot matter")
struct DetectingConverterValidationTests {
    @Test(
        "an option no input format could use with this output throws at init, before any byte",
        arguments: [
            ("retry", "ndjson"), ("eventName", "json-seq"), ("sequentialIDs", "ndjson"), ("appendDone", "json-array"),
            ("codec.keepComments", "ndjson"),
        ])
    func rejectedAtInit(option: String, target: String) throws {
        var options = ConversionOptions()
        switch option {
        case "retry": options.retry = "5"
        case "eventName": options.eventName = "e"
        case "sequentialIDs": options.sequentialIDs = true
        case "codec.keepComments": options.codec.keepComments = true // data mode: SSE comments need the envelope for JSON output
        default: options.appendDone = true
        }
        let format = try #require(FormatRegistry.standard.format(named: target))
        do {
            _ = try Converter(detectingFrom: .standard, to: format, options: options)
            Issue.record("\(option) with -t \(target) was accepted at init")
        } catch {
            #expect(error.code == .invalidOptions && error.option == option, "\(error)")
        }
    }

    @Test("an option some input format can use is accepted at init (and checked once the format is detected)")
    func acceptedAtInit() throws {
        var options = ConversionOptions()
        options.codec.incompleteBlock = .dispatch // sse and json-seq use it
        options.onlyEvents = ["a"]
        let ndjson = try #require(FormatRegistry.standard.format(named: "ndjson"))
        var converter = try Converter(detectingFrom: .standard, to: ndjson, options: options)
        var out: [UInt8] = []
        try converter.convert(Array("event: a\ndata: [1]\n\nevent: b\ndata: [2]\n\n".utf8), into: &out)
        try converter.finish(into: &out)
        #expect(out == Array("[1]\n".utf8))
    }
}
