import StreamCodec
// Every fixture cut into two reads at every byte position, and into three reads at random
// positions, converts to exactly its expected file (Fixtures/<case>/expected.<to>, made by an
// independent oracle). The StreamDecoder contract: "Results never depend on how the input was
// split"; the SSE rules name the cases (a CR at the end of one read and an LF at the start of the
// next are one line end; a multi-byte character split across reads is fine), stream-json "a text
// is emitted as soon as its last byte arrives", json-seq and json-array likewise. Same check
// through the binary's real reads: Tests/streamconvTests/FixtureReadBoundaryTests.swift.
import Testing

@Suite("Fixtures split into two or three reads anywhere convert to their expected output")
struct FixtureReadSplitTests {
    /// Converts `input` cut at `cuts` (one convert call per piece).
    private func converted(_ input: [UInt8], cuts: [Int], from: String, to: String) throws -> [UInt8] {
        var converter = try Converter(from: from, to: to)
        var output: [UInt8] = []
        var start = 0
        for cut in cuts + [input.count] {
            try converter.convert(input[start..<cut], into: &output)
            start = cut
        }
        try converter.finish(into: &output)
        return output
    }

    // Two reads at every position. One output format per case keeps this fast: SSE keeps every
    // field of an SSE input (and all of it, past [DONE]); NDJSON keeps all of a JSON input.
    @Test("Two reads, cut at every byte position", arguments: Fixtures.cases.map { $0.name })
    func everyTwoPieceSplit(name: String) throws {
        let from = Fixtures.cases.first { $0.name == name }!.from
        let to = from == "sse" ? "sse" : "ndjson"
        let input = try Fixtures.bytes(name, "input.\(from)")
        let expected = try Fixtures.bytes(name, "expected.\(to)")
        for cut in 1..<input.count {
            let output = try converted(input, cuts: [cut], from: from, to: to)
            #expect(
                output == expected,
                "\(name) -f \(from) -t \(to), reads cut at \(cut): first difference at byte \(Fixtures.firstDifference(output, expected) ?? -1)"
            )
            if output != expected { return } // one counter-example is enough
        }
    }

    // Three reads at random positions (SplitMix64, fixed seeds), into every output format.
    @Test("Three reads, cut at random positions, into every output format", arguments: Fixtures.cases.map { $0.name })
    func randomThreePieceSplits(name: String) throws {
        let from = Fixtures.cases.first { $0.name == name }!.from
        let input = try Fixtures.bytes(name, "input.\(from)")
        var rng = SplitMix64(seed: 0x3EAD5 &+ UInt64(input.count))
        for to in Fixtures.targets {
            let expected = try Fixtures.bytes(name, "expected.\(to)")
            for _ in 0..<48 {
                let a = 1 + rng.below(input.count - 1)
                let b = 1 + rng.below(input.count - 1)
                let cuts = a == b ? [a] : [min(a, b), max(a, b)]
                let output = try converted(input, cuts: cuts, from: from, to: to)
                #expect(
                    output == expected,
                    "\(name) -f \(from) -t \(to), reads cut at \(cuts): first difference at byte \(Fixtures.firstDifference(output, expected) ?? -1)"
                )
                if output != expected { return }
            }
        }
    }
}
