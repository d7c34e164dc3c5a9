// Fixtures/<case>/expected.<to> is what `streamconv -f <from> -t <to>` prints for the whole file
// (made by Fixtures/make-expected.py, an independent oracle), for every <to> of the five output
// formats. The library must produce the same bytes however the input is split into reads: "a
// multi-byte char split across reads is fine", "CR at end of one read + LF at start of the next =
// one line end" (SSE), "a text is emitted as soon as its last byte arrives" (stream-json), "a text
// is complete at the first whitespace byte or RS after it" (json-seq, RFC 7464), each array
// element is a record the moment it is complete (json-array). These tests feed each fixture to a
// `Converter` whole and one byte at a time, the worst case for every resume path of the decoders.
import Foundation
import StreamCodec
import Testing

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let targets = ["sse", "ndjson", "stream-json", "json-seq", "json-array"]
    static let jsonTargets = ["ndjson", "stream-json", "json-seq", "json-array"]

    /// Every case (Fixtures/README.md) and its input format. The tests take their arguments from
    /// this list, not from the directory, so a missing case or file fails instead of passing
    /// vacuously; `fixturesExist` checks that the directory holds exactly these.
    static let cases: [(name: String, from: String)] = [
        ("anthropic-messages", "sse"),
        ("aspnet-async-enumerable", "json-array"),
        ("gemini-stream", "json-array"),
        ("geojson-seq", "json-seq"),
        ("ndjson-escapes-numbers", "ndjson"),
        ("ollama-chat", "ndjson"),
        ("openai-chat", "sse"),
        ("spring-sse-pretty", "sse"),
        ("spring-stream-json", "stream-json"),
        ("sse-crlf-comments", "sse"),
        ("sse-field-rules", "sse"),
    ]

    /// The case directories present on disk, with their files.
    static func directory() -> [String: Set<String>] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        var result: [String: Set<String>] = [:]
        for name in names {
            var isDirectory: ObjCBool = false
            let path = root.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            result[name] = Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
        }
        return result
    }

    static func bytes(_ name: String, _ file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(name).appendingPathComponent(file)))
    }

    /// Converts `input` fed in pieces of `chunkSize` bytes; fails the test on any warning (no
    /// fixture conversion warns).
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
        let warnings = converter.takeWarnings()
        #expect(warnings.isEmpty, "-f \(from) -t \(to): \(warnings)")
        return output
    }

    /// The offset of the first byte where `a` and `b` differ (the shorter length if one is a
    /// prefix of the other), or nil when they are equal: a short failure message for
    /// byte-exact comparisons.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
        if a == b { return nil }
        let common = min(a.count, b.count)
        return (0..<common).first { a[$0] != b[$0] } ?? common
    }

    /// Every (case, to) pair for the cases whose input is in one of `formats`.
    static func conversions(from formats: Set<String>) -> [Conversion] {
        cases.filter { formats.contains($0.from) }.flatMap { c in targets.map { Conversion(name: c.name, from: c.from, to: $0) } }
    }
}

/// One conversion of one case: `streamconv -f from -t to`.
struct Conversion: Sendable, CustomTestStringConvertible {
    var name: String
    var from: String
    var to: String
    var testDescription: String { "\(name): -f \(from) -t \(to)" }
}

@Suite("Fixture streams convert to their expected files whatever the read sizes")
struct FixtureChunkingTests {
    // Fixtures/README.md, "Layout": every case has one input.<from> and all five expected.<to>.
    @Test("The fixtures directory holds exactly the listed cases, each with its input and five expected files")
    func fixturesExist() {
        let onDisk = Fixtures.directory()
        #expect(Set(onDisk.keys) == Set(Fixtures.cases.map(\.name)), "case directories under Fixtures/")
        for c in Fixtures.cases {
            let want = Set(["input.\(c.from)"] + Fixtures.targets.map { "expected.\($0)" })
            let have = (onDisk[c.name] ?? []).filter { $0.hasPrefix("input.") || $0.hasPrefix("expected.") }
            #expect(have == want, "\(c.name)")
        }
    }

    // Data mode, SSE and NDJSON decoders (helper contract: SSE decoder, NDJSON).
    @Test(
        "An SSE or NDJSON fixture converts to each expected output, whole or one byte per read",
        arguments: Fixtures.conversions(from: ["sse", "ndjson"]))
    func sseAndNDJSON(_ conversion: Conversion) throws {
        try check(conversion)
    }

    // stream-json: "a text is emitted as soon as its last byte arrives", independent of chunking.
    @Test(
        "A stream-json fixture converts to each expected output, whole or one byte per read",
        arguments: Fixtures.conversions(from: ["stream-json"]))
    func streamJSON(_ conversion: Conversion) throws {
        try check(conversion)
    }

    // RFC 7464 sections 2.1-2.4: RS-separated texts that may span lines, consecutive RS and
    // whitespace-only elements skipped, a text complete at the whitespace or RS after it.
    @Test(
        "A json-seq fixture converts to each expected output, whole or one byte per read",
        arguments: Fixtures.conversions(from: ["json-seq"]))
    func jsonSeq(_ conversion: Conversion) throws {
        try check(conversion)
    }

    // RFC 8259 section 5: one top-level array, each element a record, any whitespace (CRLF
    // included) around the brackets and commas.
    @Test(
        "A json-array fixture converts to each expected output, whole or one byte per read",
        arguments: Fixtures.conversions(from: ["json-array"]))
    func jsonArray(_ conversion: Conversion) throws {
        try check(conversion)
    }

    // Data mode, JSON -> JSON: every record passes through the JSON formats unchanged, so each
    // JSON output read back gives the same NDJSON; SSE -> JSON applies the same rules again
    // (the SSE output keeps `[DONE]` and what follows, and SSE -> JSON stops there again).
    // SSE -> SSE normalises (LF, no BOM, no comments), so its output is a fixed point.
    @Test(
        "Every expected output converts back to expected.ndjson, and expected.sse to itself",
        arguments: Fixtures.cases.flatMap { c in
            Fixtures.targets.map { Conversion(name: c.name, from: $0, to: "ndjson") } + [Conversion(name: c.name, from: "sse", to: "sse")]
        })
    func conversionMatrixAndBack(_ conversion: Conversion) throws {
        let (name, from, to) = (conversion.name, conversion.from, conversion.to)
        let input = try Fixtures.bytes(name, "expected.\(from)")
        let expected = try Fixtures.bytes(name, "expected.\(to)")
        #expect(!expected.isEmpty, "\(name): expected.\(to) is empty")
        for chunkSize in [input.count + 1, 1] {
            let output = try Fixtures.convert(input, from: from, to: to, chunkSize: chunkSize)
            #expect(
                String(decoding: output, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
                "\(name): expected.\(from) -f \(from) -t \(to), reads of \(chunkSize) bytes")
            #expect(Fixtures.firstDifference(output, expected) == nil, "\(name): byte-exact, reads of \(chunkSize) bytes")
        }
    }

    // `-f auto` (streamconv --help): the first significant byte after an optional BOM and JSON
    // whitespace decides: RS json-seq, '[' json-array, another JSON value start stream-json
    // (which also reads NDJSON), anything else sse. Detection must not depend on the reads.
    @Test(
        "Auto-detection picks each fixture's format and converts it to expected.ndjson",
        arguments: Fixtures.cases.map { Conversion(name: $0.name, from: $0.from, to: "ndjson") })
    func autoDetection(_ conversion: Conversion) throws {
        let (name, from) = (conversion.name, conversion.from)
        let input = try Fixtures.bytes(name, "input.\(from)")
        let expected = try Fixtures.bytes(name, "expected.ndjson")
        let detected = from == "ndjson" ? "stream-json" : from
        for chunkSize in [input.count + 1, 1] {
            var converter = try Converter(from: "auto", to: "ndjson")
            var output: [UInt8] = []
            var start = 0
            while start < input.count {
                let end = min(start + chunkSize, input.count)
                try converter.convert(input[start..<end], into: &output)
                start = end
            }
            try converter.finish(into: &output)
            #expect(converter.sourceFormat?.name == detected, "\(name): reads of \(chunkSize) bytes")
            #expect(converter.takeWarnings().isEmpty, "\(name): reads of \(chunkSize) bytes")
            #expect(
                String(decoding: output, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
                "\(name): -f auto -t ndjson, reads of \(chunkSize) bytes")
            #expect(Fixtures.firstDifference(output, expected) == nil, "\(name): byte-exact, reads of \(chunkSize) bytes")
        }
    }

    // The minimal form of a stream-json split-read bug: two compact texts, the read split
    // inside the second.
    @Test(
        "A stream-json text after a line end decodes the same wherever a read ends inside it",
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

    private func check(_ conversion: Conversion) throws {
        let (name, from, to) = (conversion.name, conversion.from, conversion.to)
        let input = try Fixtures.bytes(name, "input.\(from)")
        let expected = try Fixtures.bytes(name, "expected.\(to)")
        for chunkSize in [input.count + 1, 1] {
            let output = try Fixtures.convert(input, from: from, to: to, chunkSize: chunkSize)
            #expect(
                String(decoding: output, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
                "\(name): -f \(from) -t \(to), reads of \(chunkSize) bytes")
            #expect(Fixtures.firstDifference(output, expected) == nil, "\(name): byte-exact, reads of \(chunkSize) bytes")
        }
    }
}
