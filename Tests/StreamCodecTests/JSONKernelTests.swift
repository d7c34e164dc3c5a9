import Testing

// The vector kernels (Sources/StreamCodecSIMD) against their reference, the scalar
// JSONFastPath.minifyScalar: for every input each kernel this CPU can run (AVX2, AVX-512) must
// give the scalar path's verdict and, when they accept, the same bytes. The kernel works in 64-byte blocks, so each text is also tried behind
// every count of leading spaces up to two blocks, which moves each quote, escape, UTF-8
// sequence, number and bracket across block edges; the last block (a text's last 64 bytes, or a
// short text's padded copy) is exercised by the lengths around 64 and 128.
@testable import StreamCodecCore

@Suite("JSON vector kernel agrees with the scalar path")
struct JSONKernelTests {
    typealias Rng = SplitMix64

    /// (kernel, scalar): the minified bytes, or nil when not accepted.
    static func both(_ bytes: [UInt8], maxDepth: Int = 1000, kernel: Int32) -> (kernel: [UInt8]?, scalar: [UInt8]?) {
        bytes.withUnsafeBufferPointer { buf in
            let p = buf.baseAddress ?? UnsafePointer(bitPattern: 1)!
            var kernelOut: [UInt8] = [0x41] // output is appended after what is there
            var scalarOut: [UInt8] = [0x41]
            let kernelOK = JSONKernel.minify(p, count: buf.count, maxDepth: maxDepth, into: &kernelOut, kernel: kernel)
            let scalarOK = JSONFastPath.minifyScalar(p, count: buf.count, maxDepth: maxDepth, into: &scalarOut)
            return (kernelOK ? kernelOut : nil, scalarOK ? scalarOut : nil)
        }
    }

    /// Compares every kernel with the scalar path on `bytes`: true when they all accept, false
    /// when they all reject, nil (after recording the issue) when one differs.
    static func check(_ bytes: [UInt8], maxDepth: Int = 1000, _ comment: @autoclosure () -> String = "") -> Bool? {
        var verdict: Bool?
        for kernel in JSONKernel.supported {
            let (out, scalar) = both(bytes, maxDepth: maxDepth, kernel: kernel)
            #expect(
                out == scalar,
                """
                kernel \(kernel) \(comment()) input \(String(decoding: bytes, as: UTF8.self).debugDescription) \(bytes.count) bytes: \
                kernel \(out.map { String(decoding: $0, as: UTF8.self).debugDescription } ?? "rejects"), \
                scalar \(scalar.map { String(decoding: $0, as: UTF8.self).debugDescription } ?? "rejects")
                """)
            guard out == scalar else { return nil }
            verdict = scalar != nil
        }
        return verdict
    }

    static let kernelHere = !JSONKernel.supported.isEmpty

    @Test("the chosen kernel is the best this CPU supports", .enabled(if: kernelHere, "no vector kernel on this CPU"))
    func chosen() {
        // The test run does not set STREAMCODEC_SIMD.
        #expect(JSONKernel.chosen == JSONKernel.supported.max())
        #expect(JSONKernel.isAvailable)
    }

    @Test("random texts, behind 0 to 130 spaces, and their mutations", .enabled(if: kernelHere, "no vector kernel on this CPU"))
    func randomTexts() {
        var rng = Rng(seed: 2026_12_04)
        var accepted = 0
        var rejected = 0
        for round in 0..<3000 {
            var bytes = Array(JSONFastPathTests.value(&rng, depth: 0).utf8)
            if round % 2 == 1 && !bytes.isEmpty {
                let at = rng.below(bytes.count)
                let byte: UInt8 =
                    rng.below(2) == 0
                    ? UInt8(truncatingIfNeeded: rng.next())
                    : [0x22, 0x5C, 0x20, 0x0A, 0x7B, 0x7D, 0x5B, 0x5D, 0x3A, 0x2C, 0x80, 0xC3, 0xE2, 0xF0, 0x01, 0x75][rng.below(16)]
                switch rng.below(3) {
                case 0: bytes[at] = byte
                case 1: bytes.insert(byte, at: at)
                default: bytes.remove(at: at)
                }
            }
            let lead = rng.below(131)
            let trail = rng.below(4) == 0 ? rng.below(70) : 0
            let text = [UInt8](repeating: 0x20, count: lead) + bytes + [UInt8](repeating: 0x0A, count: trail)
            switch Self.check(text, "round \(round)") {
            case true?: accepted += 1
            case false?: rejected += 1
            case nil: return // one report is enough
            }
        }
        #expect(accepted > 800 && rejected > 800, "\(accepted) accepted, \(rejected) rejected by both")
    }

    @Test(
        "every special byte at every place around the block edges",
        .enabled(if: kernelHere, "no vector kernel on this CPU"),
        arguments: [
            "\"\\\\\"", "\"\\\"\"", "\"a\\\\\\\"b\"", "\"\\u00e9\"", "\"\\uD83D\\uDE00\"", "\"é\"", "\"世界\"", "\"🙂\"", "\"\\n\"",
            "-0.5e+10", "true",
            "false", "null", "{}", "[]", "{\"a\":[1,{\"b\":null}]}", "\" \"", "\"\\x\"", "\"\\u12g4\"", "\"\u{01}\"", "\"\t\"", "tru", "1.",
            "01", "[1 2]", "\"abc", "\"\\", "\\", "[1,]", "{\"a\" 1}", "nulll", "1x", "\"a\"b", "[1\"a\"]", "\"\u{7F}\"",
        ])
    func edges(_ core: String) {
        for lead in 0..<140 {
            for trail in [0, 1, 2, 3, 63, 64, 65] {
                let text =
                    Array("[".utf8) + [UInt8](repeating: 0x20, count: lead) + Array(core.utf8) + Array("]".utf8)
                    + [UInt8](repeating: 0x20, count: trail)
                guard Self.check(text, "lead \(lead) trail \(trail)") != nil else { return }
                let bare = [UInt8](repeating: 0x0A, count: lead) + Array(core.utf8) + [UInt8](repeating: 0x20, count: trail)
                guard Self.check(bare, "bare lead \(lead) trail \(trail)") != nil else { return }
            }
        }
    }

    @Test("a string of N backslashes ends where the parity says, across blocks", .enabled(if: kernelHere, "no vector kernel on this CPU"))
    func backslashRuns() {
        for lead in 0..<70 {
            for count in 0..<140 {
                let text =
                    [UInt8](repeating: 0x20, count: lead) + [0x22] + [UInt8](repeating: 0x5C, count: count) + Array("\"]".utf8)
                guard Self.check(text) != nil else { return }
                let array = Array("[\"".utf8) + [UInt8](repeating: 0x5C, count: count) + Array("\",1]".utf8)
                guard Self.check([UInt8](repeating: 0x20, count: lead) + array) != nil else { return }
            }
        }
    }

    @Test("UTF-8 sequences, well-formed and not, cut by every block edge", .enabled(if: kernelHere, "no vector kernel on this CPU"))
    func utf8AcrossEdges() {
        let sequences: [[UInt8]] = [
            [0xC3, 0xA9], [0xE4, 0xB8, 0x96], [0xF0, 0x9F, 0x99, 0x82], [0xEF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF],
            [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], [0xE4, 0xB8], [0xF0, 0x9F, 0x99], [0xC3],
        ]
        for sequence in sequences {
            for lead in 0..<200 {
                let text = [0x22] + [UInt8](repeating: 0x61, count: lead) + sequence + [0x22]
                guard Self.check(text, "\(sequence) after \(lead)") != nil else { return }
                // With a whole block of ASCII after it, which the kernel checks only because of what precedes it.
                let long = [0x22] + [UInt8](repeating: 0x61, count: lead) + sequence + [UInt8](repeating: 0x62, count: 140) + [0x22]
                guard Self.check(long, "\(sequence) after \(lead), before 140 ASCII bytes") != nil else { return }
                guard Self.check([UInt8](repeating: 0x20, count: lead) + sequence, "\(sequence) outside a string") != nil else { return }
            }
        }
    }

    @Test("depth: at most min(maxDepth, 64) containers", .enabled(if: kernelHere, "no vector kernel on this CPU"))
    func depth() {
        for depth in [1, 2, 63, 64, 65, 100] {
            let text = Array(String(repeating: "[", count: depth).utf8) + Array(String(repeating: "]", count: depth).utf8)
            for maxDepth in [1, 2, 10, 64, 1000] {
                #expect(Self.check(text, maxDepth: maxDepth, "depth \(depth) max \(maxDepth)") == (depth <= min(maxDepth, 64)))
            }
        }
    }

    @Test("pretty-printed texts of up to 20 KiB", .enabled(if: kernelHere, "no vector kernel on this CPU"))
    func longTexts() {
        var rng = Rng(seed: 64)
        for round in 0..<300 {
            var items: [String] = []
            var size = 0
            let target = [70, 130, 700, 5000, 20000][round % 5]
            while size < target {
                let item = JSONFastPathTests.value(&rng, depth: 1)
                items.append(item)
                size += item.utf8.count + 3
            }
            var bytes = Array(("[\n  " + items.joined(separator: ",\n  ") + "\n]").utf8)
            if round % 3 == 1 {
                let at = rng.below(bytes.count)
                bytes[at] = [0x22, 0x5C, 0x80, 0xC3, 0x01, 0x5D, 0x2C][rng.below(7)]
            }
            guard Self.check(bytes, "round \(round)") != nil else { return }
        }
    }
}
