// Fixtures/<case>/expected.<to> is what `streamconv -f <from> -t <to>` prints for the whole file
// (made by Fixtures/make-expected.py, an independent oracle). The library must produce the same
// bytes however the input is split into reads: "a multi-byte char split across reads is fine",
// "CR at end of one read + LF at start of the next = one line end" (SSE), "a text is emitted as
// soon as its last byte arrives" (stream-json). These tests feed each fixture to a `Converter`
// one byte at a time, the worst case for every resume path of the decoders.
import Foundation
import Testing
import StreamCodec

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let targets = ["sse", "ndjson", "stream-json"]

    /// (case, input format) for every case directory.
    static func cases() -> [(name: String, from: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().compactMap { name in
            let files = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(name).path)) ?? []
            guard let input = files.first(where: { $0.hasPrefix("input.") }) else { return nil }
            return (name, String(input.dropFirst("input.".count)))
        }
    }

    static func bytes(_ name: String, _ file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(name).appendingPathComponent(file)))
    }

    /// Converts `input` fed in pieces of `chunkSize` bytes.
    static func convert(_ input: [UInt8], from: String, to: String, chunkSize: Int) throws -> [UInt8] {
        var converter = try Converter(from: from, to: to)
        var output: [UInt8] = []
        var start = 0
        while start < input.count {
            let end = min(start + chunkSize, input.count)
            try converter.convert(input[start..<end], into: &output)
            start = end
        }
        try converter.finish(into: &output)
        return output
    }

    /// Every (case, to) pair whose input is in one of `formats`.
    static func conversions(from formats: Set<String>) -> [String] {
        cases().filter { formats.contains($0.from) }.flatMap { c in targets.map { "\(c.name) \(c.from) \($0)" } }
    }
}

@Suite("Fixture streams convert to their expected files whatever the read sizes")
struct FixtureChunkingTests {
    @Test("The fixtures directory holds the cases the other tests rely on")
    func fixturesExist() {
        let names = Fixtures.cases().map(\.name)
        #expect(names.contains("openai-chat"))
        #expect(names.contains("spring-stream-json"))
        #expect(names.count >= 5)
    }

    // Data mode, SSE and NDJSON decoders (helper contract: SSE decoder, NDJSON).
    @Test("An SSE or NDJSON fixture converts to its expected output, whole or one byte per read",
          arguments: Fixtures.conversions(from: ["sse", "ndjson"]))
    func sseAndNDJSON(_ conversion: String) throws {
        try check(conversion)
    }

    // stream-json: "a text is emitted as soon as its last byte arrives", independent of chunking.
    @Test("A stream-json fixture converts to its expected output, whole or one byte per read",
          arguments: Fixtures.conversions(from: ["stream-json"]))
    func streamJSON(_ conversion: String) throws {
        try check(conversion)
    }

    // The minimal form of the bug above: two compact texts, the read split inside the second.
    @Test("A stream-json text after a line end decodes the same wherever a read ends inside it",
          arguments: 1..<37)
    func streamJSONSplitInSecondText(cut: Int) throws {
        let input = Array("{\"k\":\"v\"}\n{\"a\":[1,\"x\"],\"b\":{\"c\":\"d\"}}\n".utf8)
        var converter = try Converter(from: "stream-json", to: "ndjson")
        var output: [UInt8] = []
        try converter.convert(input[..<cut], into: &output)
        try converter.convert(input[cut...], into: &output)
        try converter.finish(into: &output)
        // Both texts are already minified, so the NDJSON output is the input itself.
        #expect(String(decoding: output, as: UTF8.self) == String(decoding: input, as: UTF8.self))
    }

    private func check(_ conversion: String) throws {
        let parts = conversion.split(separator: " ").map(String.init)
        let (name, from, to) = (parts[0], parts[1], parts[2])
        let input = try Fixtures.bytes(name, "input.\(from)")
        let expected = try Fixtures.bytes(name, "expected.\(to)")
        for chunkSize in [input.count + 1, 1] {
            let output = try Fixtures.convert(input, from: from, to: to, chunkSize: chunkSize)
            #expect(String(decoding: output, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
                    "\(name): -f \(from) -t \(to), reads of \(chunkSize) bytes")
            #expect(output == expected, "\(name): byte-exact, reads of \(chunkSize) bytes")
        }
    }
}
