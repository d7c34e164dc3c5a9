import StreamCodec
// Docs/Formats.md, "Every direction, with an example": each row of the table, input to output,
// through `Converter(from:to:options:)`, fed every way.
import Testing

private struct Row: Sendable, CustomTestStringConvertible {
    var direction: String
    var from: String
    var to: String
    var input: String
    var output: String
    var configure: @Sendable (inout ConversionOptions) -> Void = { _ in }
    var testDescription: String { direction }
}

private let table: [Row] = [
    Row(
        direction: "SSE to JSON, data mode", from: "sse", to: "ndjson",
        input: "event: delta\ndata: {\"t\": \"hi\"}\n\n", output: "{\"t\":\"hi\"}\n"),
    Row(
        direction: "SSE to JSON, --envelope", from: "sse", to: "ndjson",
        input: "event: delta\nid: 7\ndata: hi\n\n", output: "{\"event\":\"delta\",\"id\":\"7\",\"data\":\"hi\"}\n"
    ) { $0.mode = .envelope },
    Row(
        direction: "SSE to JSON, --envelope --envelope-data json", from: "sse", to: "ndjson",
        input: "data: {\"t\": \"hi\"}\n\n", output: "{\"data\":{\"t\":\"hi\"}}\n"
    ) {
        $0.mode = .envelope
        $0.envelopeData = .json
    },
    Row(
        direction: "SSE to JSON, --envelope (control block)", from: "sse", to: "ndjson",
        input: "id: 8\nretry: 500\n\n", output: "{\"id\":\"8\",\"retry\":500}\n"
    ) { $0.mode = .envelope },
    Row(
        direction: "SSE to JSON, --envelope --comments", from: "sse", to: "ndjson",
        input: ": keep-alive\n", output: "{\"comment\":\"keep-alive\"}\n"
    ) {
        $0.mode = .envelope
        $0.codec.keepComments = true
    },
    Row(
        direction: "SSE to JSON, --only-event a", from: "sse", to: "ndjson",
        input: "event: b\ndata: 1\n\n", output: ""
    ) { $0.onlyEvents = ["a"] },
    Row(
        direction: "JSON to SSE, data mode", from: "ndjson", to: "sse",
        input: "{\"a\": 1}\n", output: "data: {\"a\":1}\n\n"),
    Row(
        direction: "JSON to SSE, --event tok", from: "ndjson", to: "sse",
        input: "{\"a\":1}\n", output: "event: tok\ndata: {\"a\":1}\n\n"
    ) { $0.eventName = "tok" },
    Row(
        direction: "JSON to SSE, --event-from type --id-from id", from: "ndjson", to: "sse",
        input: "{\"type\":\"ping\",\"id\":3}\n", output: "event: ping\nid: 3\ndata: {\"type\":\"ping\",\"id\":3}\n\n"
    ) {
        $0.eventFromKey = "type"
        $0.idFromKey = "id"
    },
    Row(
        direction: "JSON to SSE, --ids", from: "ndjson", to: "sse",
        input: "{\"a\":1}\n", output: "id: 1\ndata: {\"a\":1}\n\n"
    ) { $0.sequentialIDs = true },
    Row(
        direction: "JSON to SSE, --retry 3000 --done", from: "ndjson", to: "sse",
        input: "{\"a\":1}\n", output: "retry: 3000\ndata: {\"a\":1}\n\ndata: [DONE]\n\n"
    ) {
        $0.retry = "3000"
        $0.appendDone = true
    },
    Row(
        direction: "JSON to SSE, --envelope", from: "ndjson", to: "sse",
        input: "{\"event\":\"end\",\"data\":\"a\\nb\"}\n", output: "event: end\ndata: a\ndata: b\n\n"
    ) { $0.mode = .envelope },
    Row(
        direction: "JSON to JSON", from: "ndjson", to: "ndjson",
        input: "{ \"a\" : [1, 2] }\n", output: "{\"a\":[1,2]}\n"),
    Row(
        direction: "SSE to SSE", from: "sse", to: "sse",
        input: "data: a\r\n\r\n", output: "data: a\n\n"),
    Row(
        direction: "SSE to SSE, --comments", from: "sse", to: "sse",
        input: ": ping\n", output: ": ping\n"
    ) { $0.codec.keepComments = true },
]

@Suite("Every direction, with an example (Docs/Formats.md)")
struct LosslessDirectionTableTests {
    @Test("each row of the direction table converts its input to its output", arguments: table)
    fileprivate func row(_ row: Row) throws {
        let run = try convertAllWays(row.input, from: row.from, to: row.to, options: conversionOptions(row.configure))
        #expect(run.error == nil, "\(run)")
        #expect(run.warnings.isEmpty, "\(run)")
        #expect(run.text == row.output)
    }
}
