// A sample of FixtureReadSplitTests through the binary and a real pipe: the input is written up
// to a cut, then the test waits until the child has read all of it (FIONREAD on the pipe is 0),
// so one read(2) of the child ends exactly at the cut, and only then writes the rest. The output
// must be the fixture's expected file, byte for byte (Fixtures/README.md: "exactly the stdout of
// streamconv -f <from> -t <to>").
import Foundation
import Testing

private enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let cases: [(name: String, from: String)] = [
        ("anthropic-messages", "sse"), ("aspnet-async-enumerable", "json-array"), ("gemini-stream", "json-array"),
        ("geojson-seq", "json-seq"), ("ndjson-escapes-numbers", "ndjson"), ("ollama-chat", "ndjson"),
        ("openai-chat", "sse"), ("spring-sse-pretty", "sse"), ("spring-stream-json", "stream-json"),
        ("sse-crlf-comments", "sse"), ("sse-field-rules", "sse"),
    ]
    static func bytes(_ name: String, _ file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(name).appendingPathComponent(file)))
    }
}

@Suite("Fixtures read by the binary in two or three reads at chosen positions")
struct FixtureReadBoundaryTests {
    @Test("The binary's output does not depend on where its reads end", arguments: Fixture.cases.map { $0.name })
    func readBoundaries(name: String) throws {
        let from = Fixture.cases.first { $0.name == name }!.from
        let input = try Fixture.bytes(name, "input.\(from)")
        var state = UInt64(input.count) &* 0x9E37_79B9_7F4A_7C15
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        // Cuts: a third of the way, in the middle of the first multi-byte character or CRLF,
        // and random ones; then two three-read splits.
        var splits: [[Int]] = [[input.count / 3]]
        if let utf8 = input.firstIndex(where: { $0 >= 0xC0 }) { splits.append([utf8 + 1]) }
        if let crlf = input.indices.dropLast().first(where: { input[$0] == 0x0D && input[$0 + 1] == 0x0A }) { splits.append([crlf + 1]) }
        splits.append([1 + random(input.count - 1)])
        for _ in 0..<2 {
            let a = 1 + random(input.count - 1)
            let b = 1 + random(input.count - 1)
            splits.append(a == b ? [a] : [min(a, b), max(a, b)])
        }
        for to in ["ndjson", "sse"] {
            let expected = try Fixture.bytes(name, "expected.\(to)")
            for cuts in splits {
                let r = try MeasuredRun.run(["-f", from, "-t", to], input: GeneratedInput(input), pauses: cuts, timeout: 10)
                #expect(r.status == 0 && r.stderr.isEmpty, "\(name) -t \(to), reads cut at \(cuts): \(r)")
                #expect(
                    r.stdout == expected,
                    "\(name) -f \(from) -t \(to), reads cut at \(cuts): \(r.stdoutCount) bytes, expected \(expected.count)")
            }
        }
    }
}
