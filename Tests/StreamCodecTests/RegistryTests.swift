import StreamCodec
// FormatRegistry: formats are found by name, alias or MIME type; case does not matter, and
// MIME parameters (`; charset=utf-8`) and surrounding spaces are ignored (RFC 9110 8.3.1:
// type and subtype are case-insensitive; parameters follow ';').
import Testing

@Suite("Format registry")
struct RegistryTests {
    @Test(
        "the standard formats are found by name, alias and MIME type",
        arguments: [
            ("sse", "sse"), ("event-stream", "sse"), ("eventstream", "sse"), ("text/event-stream", "sse"),
            ("ndjson", "ndjson"), ("jsonl", "ndjson"), ("jsonlines", "ndjson"), ("json-lines", "ndjson"),
            ("application/x-ndjson", "ndjson"), ("application/jsonl", "ndjson"),
            ("application/x-jsonlines", "ndjson"), ("application/jsonlines", "ndjson"),
            ("stream-json", "stream-json"), ("stream+json", "stream-json"), ("application/stream+json", "stream-json"),
        ])
    func lookup(key: String, name: String) {
        #expect(FormatRegistry.standard.format(named: key)?.name == name)
    }

    @Test(
        "case, MIME parameters and surrounding spaces are ignored",
        arguments: [
            ("text/event-stream; charset=utf-8", "sse"),
            ("text/event-stream;charset=UTF-8", "sse"),
            ("Text/Event-Stream", "sse"),
            ("  text/event-stream  ", "sse"),
            ("\ttext/event-stream ; charset=utf-8", "sse"),
            ("text/event-stream;", "sse"),
            ("Application/X-NDJSON", "ndjson"),
            ("application/x-ndjson; charset=utf-8; q=0.9", "ndjson"),
            ("SSE", "sse"), ("JSONL", "ndjson"), (" ndjson ", "ndjson"),
            ("APPLICATION/STREAM+JSON;charset=utf-8", "stream-json"),
        ])
    func normalised(key: String, name: String) {
        #expect(FormatRegistry.standard.format(named: key)?.name == name)
    }

    @Test(
        "unknown names give nil",
        arguments: [
            "", " ", ";", "text/html", "text/plain-x", "text/event-stream-x", "ss", "sse2",
            "text/event", "ndjson/x", "charset=utf-8", "x; text/event-stream",
        ])
    func unknown(key: String) {
        #expect(FormatRegistry.standard.format(named: key) == nil)
    }

    @Test("standard formats carry their family, MIME type to announce, and both codecs")
    func standardFormats() throws {
        let sse = try #require(FormatRegistry.standard.format(named: "sse"))
        #expect(sse.family == .eventStream)
        #expect(sse.mimeTypes.first == "text/event-stream")
        let ndjson = try #require(FormatRegistry.standard.format(named: "ndjson"))
        #expect(ndjson.family == .json)
        let streamJSON = try #require(FormatRegistry.standard.format(named: "stream-json"))
        #expect(streamJSON.family == .json)
        #expect(streamJSON.mimeTypes.first == "application/stream+json")
        for format in [sse, ndjson, streamJSON] {
            #expect(format.makeDecoder != nil && format.makeEncoder != nil, "\(format.name)")
        }
    }

    @Test("the registry's codec options reach the decoders it makes")
    func optionsReachDecoders() throws {
        var options = CodecOptions()
        options.maxDepth = 2
        options.keepComments = true
        let nd = try #require(FormatRegistry.standard.format(named: "ndjson")?.makeDecoder)
        let (deep, _) = decode(u8("[[[]]]\n")) { AnyStreamDecoder(nd(options)) }
        #expect(deep.error?.code == .nestingTooDeep)
        let sse = try #require(FormatRegistry.standard.format(named: "sse")?.makeDecoder)
        let (comments, _) = decode(u8(": hi\n\n")) { AnyStreamDecoder(sse(options)) }
        #expect(comments.records == [.comment("hi")])
        options.incompleteBlock = .error
        let (failed, _) = decode(u8("data: x")) { AnyStreamDecoder(sse(options)) }
        #expect(failed.error?.code == .truncated)
    }

    @Test("register adds a format to a copy, replacing one of the same name; the standard registry is unchanged")
    func registerInCopy() throws {
        var registry = FormatRegistry.standard
        let custom = Format(
            name: "sse", aliases: ["mine"], mimeTypes: ["application/x-mine"], family: .json, summary: "replacement",
            makeDecoder: nil, makeEncoder: nil)
        registry.register(custom)
        #expect(registry.format(named: "sse")?.summary == "replacement")
        #expect(registry.format(named: "mine")?.name == "sse")
        #expect(registry.format(named: "text/event-stream") == nil) // the old format's MIME type went with it
        #expect(registry.formats.filter { $0.name == "sse" }.count == 1)
        #expect(registry.formats.count == FormatRegistry.standard.formats.count)
        #expect(FormatRegistry.standard.format(named: "sse")?.family == .eventStream)
        #expect(FormatRegistry.standard.format(named: "mine") == nil)
    }

    @Test("a format that cannot be read or written is refused by the converter")
    func missingCodecs() {
        var registry = FormatRegistry.standard
        registry.register(
            Format(
                name: "writeonly", mimeTypes: ["application/x-w"], family: .json, summary: "",
                makeDecoder: nil, makeEncoder: { _ in JSONLinesEncoder() }))
        registry.register(
            Format(
                name: "readonly", mimeTypes: ["application/x-r"], family: .json, summary: "",
                makeDecoder: { _ in NDJSONDecoder() }, makeEncoder: nil))
        #expect(throws: StreamCodecError.self) { try Converter(from: "writeonly", to: "ndjson", registry: registry) }
        #expect(throws: StreamCodecError.self) { try Converter(from: "ndjson", to: "readonly", registry: registry) }
        #expect(throws: Never.self) { try Converter(from: "readonly", to: "writeonly", registry: registry) }
        #expect(throws: StreamCodecError.self) { try Converter(from: "nope", to: "ndjson") }
        #expect(throws: StreamCodecError.self) { try Converter(from: "sse", to: "nope") }
    }
}
