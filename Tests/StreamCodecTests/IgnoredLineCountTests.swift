// WHATWG HTML "Server-sent events", 9.2.6 "Interpreting an event stream": a line whose field
// name is not data, event, id or retry is ignored. The decoder still ignores it, and counts it
// (SSEDecoder.ignoredLineCount, next to fieldLineCount), so that an input with no SSE field at
// all can be told apart from an SSE stream; counts never depend on how the input was split.
import Testing

@testable import StreamCodecCore

@Suite("SSE: ignored lines are counted, whatever the split")
struct IgnoredLineCountTests {
    /// The decoder's counts after decoding `text` with every chunking (all must agree).
    static func counts(
        _ text: String, policy: SSEDecoder.IncompleteBlockPolicy = .discard,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> SSELineCounts {
        let input = u8(text)
        let (_, whole) = decode(input) { SSEDecoder(options: .init(incompleteBlock: policy)) }
        let reference = SSELineCounts(
            fields: whole.fieldLineCount, ignored: whole.ignoredLineCount,
            firstFieldOffset: whole.firstFieldLineOffset, firstIgnoredOffset: whole.firstIgnoredLineOffset)
        for chunking in Chunking.all(for: input.count).dropFirst() {
            let (_, decoder) = decode(input, chunking: chunking) { SSEDecoder(options: .init(incompleteBlock: policy)) }
            let counts = SSELineCounts(
                fields: decoder.fieldLineCount, ignored: decoder.ignoredLineCount,
                firstFieldOffset: decoder.firstFieldLineOffset, firstIgnoredOffset: decoder.firstIgnoredLineOffset)
            #expect(counts == reference, "split as \(chunking): \(counts), whole: \(reference)", sourceLocation: sourceLocation)
            if counts != reference { break }
        }
        return reference
    }

    @Test("Known fields count as fields; comments and blank lines count as neither")
    func knownFields() {
        #expect(Self.counts("event: a\ndata: 1\nid: 2\nretry: 3\n\n: comment\n\ndata\n\n").pair == [5, 0])
    }

    @Test("Unknown field names are ignored lines, also names that start like a known one, and a line without a colon")
    func unknownFields() {
        let counts = Self.counts("foo: bar\ndata: {\"a\": 1}\ndatas: x\nDATA: y\nbaz\n\n")
        #expect(counts.pair == [1, 4])
        #expect(!counts.looksLikeSomethingElse)
    }

    @Test("NDJSON read as SSE: every line ignored, not one field")
    func ndjsonAsSSE() {
        let counts = Self.counts("{\"a\":1}\n{\"a\":2}\r\n{\"a\":3}\r")
        #expect(counts.pair == [0, 3])
        #expect(counts.looksLikeSomethingElse)
    }

    @Test("An unterminated last line counts once, under every end-of-input policy")
    func unterminatedLastLine() {
        for policy in SSEDecoder.IncompleteBlockPolicy.allCases where policy != .error {
            #expect(
                Self.counts("{\"error\": {\"message\": \"bad key\"}}", policy: policy).pair == [0, 1],
                "\(policy)")
            #expect(Self.counts("data: 1\n\ndata: 2", policy: policy).pair == [2, 0], "\(policy)")
            #expect(Self.counts(": just a comment", policy: policy).pair == [0, 0], "\(policy)")
        }
    }

    @Test("The converter's fast lane counts the same lines as the general path, and totals span inputs")
    func converterCounts() throws {
        let input = "data: {\"a\":1}\n\nnoise\nevent: e\ndata: {\"b\":2}\n\n"
        for chunking in Chunking.all(for: input.utf8.count) {
            var converter = try Converter(from: "sse", to: "ndjson")
            var out: [UInt8] = []
            for piece in chunking.pieces(of: u8(input)) { try converter.convert(piece, into: &out) }
            try converter.finishInput(into: &out)
            #expect(converter.currentInputLineCounts?.pair == [3, 1], "\(chunking)")
            converter.startNextInput()
            try converter.convert(u8("x\ny\n"), into: &out)
            try converter.finish(into: &out)
            #expect(converter.currentInputLineCounts?.pair == [0, 2], "\(chunking)")
            #expect(converter.ignoredLineCount == 3)
            #expect(String(decoding: out, as: UTF8.self) == "{\"a\":1}\n{\"b\":2}\n")
        }
    }

    @Test("A JSON input has no SSE line counts")
    func jsonInput() throws {
        var converter = try Converter(from: "ndjson", to: "ndjson")
        var out: [UInt8] = []
        try converter.convert(u8("{\"a\":1}\n"), into: &out)
        #expect(converter.currentInputLineCounts == nil)
        #expect(converter.ignoredLineCount == 0)
    }
}

extension SSELineCounts {
    /// Field lines and ignored lines.
    var pair: [Int] { [fields, ignored] }
}

@Suite("SSE: where the first field and the first ignored line start")
struct LineOffsetTests {
    @Test("Offsets of the first field line and first ignored line, the same whatever the split")
    func offsets() {
        let counts = IgnoredLineCountTests.counts("{\"a\":1}\n: c\nfoo\ndata: x\n\n")
        #expect(counts.firstIgnoredOffset == 0)
        #expect(counts.firstFieldOffset == 16)
        #expect(counts.looksLikeSomethingElse(within: 16))
        #expect(counts.looksLikeSomethingElse(within: 17) == false)
        #expect(SSELineCounts(fields: 1, ignored: 2, firstFieldOffset: 100, firstIgnoredOffset: 0).looksLikeSomethingElse(within: 100))
        #expect(!SSELineCounts(fields: 1, ignored: 2, firstFieldOffset: 99, firstIgnoredOffset: 0).looksLikeSomethingElse(within: 100))
        #expect(!SSELineCounts(fields: 0, ignored: 0).looksLikeSomethingElse(within: 100))
    }

    @Test("The fast lane records the first field's offset as the general path does")
    func fastLaneOffset() throws {
        for chunking in Chunking.all(for: 30) {
            let input = u8("junk\ndata: {\"a\":1}\n\ndata: 2\n\n")
            var converter = try Converter(from: "sse", to: "ndjson")
            var out: [UInt8] = []
            for piece in chunking.pieces(of: input) { try converter.convert(piece, into: &out) }
            try converter.finishInput(into: &out)
            #expect(converter.currentInputLineCounts?.firstFieldOffset == 5, "\(chunking)")
            #expect(converter.currentInputLineCounts?.firstIgnoredOffset == 0, "\(chunking)")
        }
    }
}
