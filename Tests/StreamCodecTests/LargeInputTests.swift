import StreamCodec
// Larger streams (hundreds of KB) in pieces of very different sizes, so the driver's buffer
// grows, compacts and shrinks many times: the records must be those of the whole input.
import Testing

private func pieces(_ count: Int, seed: UInt64, maxPiece: Int) -> Chunking {
    var rng = SplitMix64(seed: seed)
    var cuts: [Int] = []
    var at = 1 + rng.below(maxPiece)
    while at < count {
        cuts.append(at)
        at += 1 + rng.below(maxPiece)
    }
    return Chunking(name: "random pieces up to \(maxPiece) bytes, seed \(seed)", cuts: cuts)
}

private func chunkings(_ count: Int) -> [Chunking] {
    [
        pieces(count, seed: 1, maxPiece: 7), pieces(count, seed: 2, maxPiece: 700),
        pieces(count, seed: 3, maxPiece: 70_000), pieces(count, seed: 4, maxPiece: 200_000),
    ]
}

@Suite("Large inputs in pieces of any size")
struct LargeInputTests {
    @Test("SSE: 5000 events of varied size and line ends come out intact")
    func sse() {
        var rng = SplitMix64(seed: 99)
        var input: [UInt8] = []
        var expected: [Record] = []
        let ends = ["\n", "\r\n", "\r"]
        for i in 0..<5000 {
            let end = ends[rng.below(3)]
            let lines = (0...rng.below(3)).map { k -> String in
                let unit = rotated("abcdefgh\u{E9}\u{1F600}", by: rng.below(10)) // multi-byte characters too
                let repeats = 1 + rng.below(i % 50 == 0 ? 400 : 8) // some lines of ~5 KB
                return String(repeating: unit, count: repeats) + "\(k)"
            }
            input += u8("id: \(i)" + end + ": c" + end + lines.map { "data: " + $0 }.joined(separator: end) + end + end)
            expected.append(.event(data: lines.joined(separator: "\n"), id: "\(i)"))
        }
        let (result, decoder) = decodeEveryWay(input, chunkings: chunkings(input.count)) { SSEDecoder() }
        #expect(result.records == expected)
        #expect(decoder.lastEventID == "4999")
    }

    @Test("NDJSON: 20000 lines come out minified and in order")
    func ndjson() {
        var rng = SplitMix64(seed: 7)
        var input: [UInt8] = []
        var expected: [String] = []
        for i in 0..<20_000 {
            let pad = String(repeating: " ", count: rng.below(4))
            let text = "{\"i\": \(i), \"s\": \"\(String(repeating: "x", count: rng.below(i % 100 == 0 ? 5000 : 20)))\", \"a\": [1, 2]}"
            input += u8(pad + text + pad + (rng.below(2) == 0 ? "\n" : "\r\n"))
            expected.append(text.replacingSpacesOutsideStrings())
        }
        let (result, _) = decodeEveryWay(input, chunkings: chunkings(input.count)) { NDJSONDecoder() }
        #expect(result.error == nil)
        #expect(result.texts == expected)
    }
}

/// `text`'s characters rotated left by `k`.
private func rotated(_ text: String, by k: Int) -> String {
    let chars = Array(text)
    let n = k % chars.count
    return String(Array(chars[n...]) + Array(chars[..<n]))
}

extension String {
    /// This generator's texts hold no spaces inside strings, so minifying is dropping spaces.
    fileprivate func replacingSpacesOutsideStrings() -> String { String(filter { $0 != " " }) }
}
