import StreamCodec
import Testing

// The SSE fast lane's two shortcuts (Docs/Performance.md "How the speed is reached"), checked
// against the general path, which follows WHATWG HTML "Parsing an event stream" line by line:
// - `ForwardByteSearch` remembers, as stream positions, where a byte was found or ruled out; it
//   must answer exactly what a fresh search of the same range answers, whatever the sequence of
//   queries (starts moving forward or back, ends growing or shrinking, the buffer consumed).
// - the blocks `data: TEXT` LF LF and `event: NAME` LF `data: TEXT` LF LF are minified straight
//   from the input: the output, errors (with their lines), warnings and stop must be exactly the
//   general path's, at the record limit and around it, however the input is split.
@testable import StreamCodecCore

@Suite("SSE fast lane: remembered line-end search and single-block shortcut")
struct SSEFastLaneTests {
    @Test("remembered searches give what a fresh search gives, for random query sequences over a growing stream")
    func forwardByteSearchAgreesWithFreshSearch() {
        var rng = SplitMix64(seed: 0x5EA2C)
        var checked = 0
        var found = 0
        for _ in 0..<300 {
            var search = ForwardByteSearch(0x0D)
            var stream: [UInt8] = []
            var consumed = 0 // stream position of the buffer's first byte
            var start = 0 // a query's start, relative to the buffer
            for _ in 0..<60 {
                // The stream grows; sometimes the buffer's front is consumed.
                for _ in 0..<rng.below(12) { stream.append(rng.below(9) == 0 ? 0x0D : 0x61) }
                if rng.below(4) == 0 && consumed < stream.count {
                    let k = rng.below(stream.count - consumed + 1)
                    consumed += k
                    start = max(0, start - k)
                }
                let buffer = Array(stream[consumed...])
                guard !buffer.isEmpty else { continue }
                // Mostly forward-moving starts; sometimes back to the buffer's start, or ends short.
                switch rng.below(5) {
                case 0: start = 0
                case 1, 2: start = min(buffer.count, start + rng.below(8))
                default: break
                }
                start = min(start, buffer.count)
                let end = rng.below(3) == 0 ? rng.below(buffer.count - start + 1) + start : buffer.count
                let expected = buffer[start..<end].firstIndex(of: 0x0D)
                let got = buffer.withUnsafeBufferPointer { search.first(in: $0.baseAddress!, from: start, to: end, base: consumed) }
                #expect(got == expected, "buffer of \(buffer.count) at stream position \(consumed), search \(start)..<\(end)")
                if got != expected { return }
                checked += 1
                if expected != nil { found += 1 }
            }
        }
        #expect(checked > 10_000 && found > 3_000 && checked - found > 3_000)
    }

    /// The converter made from the formats (fast lane) and one assembled by hand (general path).
    static func bothPaths(_ input: String, limit: Int = 16 << 20, onError: ConversionOptions.ErrorPolicy = .fail) throws -> (
        lane: Converted, general: Converted
    ) {
        var options = ConversionOptions()
        options.maxRecordBytes = limit
        options.onError = onError
        let lane = try convertEveryWay(input) { try Converter(from: "sse", to: "ndjson", options: options) }
        let general = try convertEveryWay(input) {
            Converter(
                makeDecoder: { SSEDecoder() }, transforms: [DataModeTransform(target: .json)],
                encoder: JSONLinesEncoder(), maxRecordBytes: limit, onError: onError)
        }
        return (lane, general)
    }

    @Test(
        "single-block events give the general path's output, errors, lines and warnings",
        arguments: [
            "data: {\"a\":1}\n\nevent: delta\ndata: [1, 2]\n\ndata:2\n\n",
            "event: e\ndata: {\"a\":1}\n\ndata: {bad}\n\n", // an error on line 4
            "data: {\"a\":1}\n\nevent: e\ndata: {\"b\":\n\n", // invalid in an event block: line 3
            "data: {\"a\":1}\n\nevent: e\r\ndata: 1\n\ndata: 2\r\n\r\n", // CRLF blocks take the line path
            "event: e\nid: 7\ndata: 1\n\nevent: f\ndata: 2\n\n", // an id line: the line path
            "data: 1\n\ndata: [DONE]\n\ndata: 2\n\n", // the done marker stops the output
            "data:\n\nevent: e\ndata:\n\ndata: 3\n\n", // empty data
            ": comment\ndata: 1\n\nevent:\ndata: 2\n\n",
            "\u{FEFF}data: 1\n\ndata: 2\n\n",
            "data: 1\n\nevent: e\ndata: 2\n", // the last block has no blank line
            "data: \"\u{00E9}\u{4E16}\u{1F642}\"\n\nevent: e\ndata: \"\\u00e9\"\n\n",
        ])
    func agreesWithGeneralPath(_ input: String) throws {
        let (lane, general) = try Self.bothPaths(input)
        #expect(lane == general, "lane: \(lane)\ngeneral: \(general)")
    }

    @Test("an error after single-block events names the line the spec gives")
    func errorLineAfterShortcutEvents() throws {
        let (lane, _) = try Self.bothPaths("data: 1\n\nevent: e\ndata: 2\n\n\nevent: x\ndata: {oops}\n\n")
        #expect(lane.text == "1\n2\n")
        #expect(lane.error?.line == 7)
    }

    // The limit counts the block's lines without their line ends: `event: e` (8) + `data: 12` (8).
    @Test("a block at the record limit passes and one byte over fails the same way on both paths", arguments: [15, 16, 17])
    func blockAtTheLimit(limit: Int) throws {
        for onError in [ConversionOptions.ErrorPolicy.fail, .skip] {
            let (lane, general) = try Self.bothPaths("data: 1\n\nevent: e\ndata: 12\n\ndata: 3\n\n", limit: limit, onError: onError)
            #expect(lane == general, "limit \(limit), \(onError)\nlane: \(lane)\ngeneral: \(general)")
            if limit >= 16 { #expect(lane.text == "1\n12\n3\n" && lane.error == nil) }
            if limit == 15 && onError == .fail { #expect(lane.error?.code == .recordTooLarge && lane.text == "1\n") }
        }
    }
}
