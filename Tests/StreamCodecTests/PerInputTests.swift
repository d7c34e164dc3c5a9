// Converter.startNextInput(): each input is a stream of its own (Docs/CLI.md, "Several
// files"): the done marker ends only the input it is in, and --require-done (requireDone)
// applies to each input.
import Testing

@testable import StreamCodecCore

@Suite("Several inputs: the done marker and requireDone apply per input")
struct PerInputTests {
    /// Converts `inputs` one after the other into one output.
    static func run(_ inputs: [String], options: ConversionOptions = ConversionOptions(), chunking: (Int) -> Chunking = { _ in .whole })
        -> (output: String, error: StreamCodecError?, records: (in: Int, out: Int))
    {
        var converter = try! Converter(
            from: FormatRegistry.standard.format(named: "sse")!,
            to: FormatRegistry.standard.format(named: "ndjson")!, options: options)
        var out: [UInt8] = []
        do throws(StreamCodecError) {
            for (i, input) in inputs.enumerated() {
                if i > 0 { converter.startNextInput() }
                for piece in chunking(input.utf8.count).pieces(of: u8(input)) { try converter.convert(piece, into: &out) }
                try converter.finishInput(into: &out)
            }
            try converter.finish(into: &out)
        } catch {
            return (String(decoding: out, as: UTF8.self), error, (converter.recordsIn, converter.recordCount))
        }
        return (String(decoding: out, as: UTF8.self), nil, (converter.recordsIn, converter.recordCount))
    }

    @Test("[DONE] in the first input ends that input only: the next one is converted", arguments: [false, true])
    func doneEndsOneInput(bytewise: Bool) {
        let result = Self.run(
            ["data: 1\n\ndata: [DONE]\n\ndata: 99\n\n", "data: 2\n\ndata: [DONE]\n\n"],
            chunking: bytewise ? { .bytewise($0) } : { _ in .whole })
        #expect(result.output == "1\n2\n")
        #expect(result.error == nil)
        #expect(result.records.in == 4 && result.records.out == 2)
    }

    @Test("requireDone: an input without the marker fails, even when a later one has it")
    func requireDonePerInput() {
        var options = ConversionOptions()
        options.requireDone = true
        let missingFirst = Self.run(["data: 1\n\n", "data: 2\n\ndata: [DONE]\n\n"], options: options)
        #expect(missingFirst.error?.code == .missingEnd)
        #expect(missingFirst.output == "1\n")
        let both = Self.run(["data: 1\n\ndata: [DONE]\n\n", "data: 2\n\ndata: [DONE]\n\n"], options: options)
        #expect(both.error == nil)
        #expect(both.output == "1\n2\n")
        let missingLast = Self.run(["data: 1\n\ndata: [DONE]\n\n", "data: 2\n\n"], options: options)
        #expect(missingLast.error?.code == .missingEnd)
    }

    @Test("An --only-event filter reports what it matched and the other types it saw")
    func eventFilterReport() throws {
        var options = ConversionOptions()
        options.onlyEvents = ["wanted"]
        var converter = try Converter(
            from: FormatRegistry.standard.format(named: "sse")!,
            to: FormatRegistry.standard.format(named: "ndjson")!, options: options)
        var out: [UInt8] = []
        try converter.convert(u8("event: a\ndata: 1\n\ndata: 2\n\nevent: a\ndata: 3\n\nevent: b\ndata: 4\n\n"), into: &out)
        try converter.finish(into: &out)
        #expect(converter.eventFilterReport?.matched == 0)
        #expect(converter.eventFilterReport?.otherTypes == ["a", "message", "b"])
        #expect(out.isEmpty)
    }
}
