import StreamCodec
import Testing

// The JSON fast path (RFC 8259 for texts complete in memory) against the resumable scanner:
// the fast path may decline a valid text (the scanner then decides), but it must never accept
// what the scanner rejects, and both must produce the same minified bytes. Random texts from
// a small grammar, then random byte mutations of them, plus hand-picked corners.
@testable import StreamCodecCore

@Suite("JSON fast path agrees with the scanner")
struct JSONFastPathTests {
    /// The suite's random numbers: the shared SplitMix64 (Support/Chunking.swift).
    typealias Rng = SplitMix64

    static let pieces: [String] = [
        "a", "Zz", "世界", "🙂", "\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\uD83D\\uDE00", "\\uD800", " ", "\t", "é", "\u{7F}",
    ]
    static let numbers = ["0", "-0", "1", "-12", "3.25", "1e5", "1E+2", "-0.0e-7", "123456789012345678901234567890", "1.0"]
    static let space = ["", " ", "\n", "\r\n", "\t", "  "]

    static func value(_ rng: inout Rng, depth: Int) -> String {
        let ws = { (r: inout Rng) in space[r.below(space.count)] }
        switch depth > 6 ? rng.below(4) : rng.below(7) {
        case 0: return numbers[rng.below(numbers.count)]
        case 1: return ["true", "false", "null"][rng.below(3)]
        case 2, 3:
            var s = "\""
            for _ in 0..<rng.below(12) { s += pieces[rng.below(pieces.count)] }
            return s + "\""
        case 4, 5:
            var items: [String] = []
            for _ in 0..<rng.below(4) { items.append(ws(&rng) + value(&rng, depth: depth + 1) + ws(&rng)) }
            return "[" + items.joined(separator: ",") + ws(&rng) + "]"
        default:
            var members: [String] = []
            for _ in 0..<rng.below(4) {
                members.append(
                    ws(&rng) + value(&rng, depth: 7).replacingOccurrences(of: "\n", with: "") + ws(&rng) + ":" + ws(&rng)
                        + value(&rng, depth: depth + 1))
            }
            return "{" + members.joined(separator: ",") + ws(&rng) + "}"
        }
    }

    /// (accepted, output) of the fast path and of the scanner.
    static func both(_ bytes: [UInt8]) -> (fast: [UInt8]?, scanner: [UInt8]?) {
        var fastOut: [UInt8] = []
        let fastOK = bytes.withUnsafeBufferPointer { buf in
            buf.count > 0 && JSONFastPath.minify(buf.baseAddress!, count: buf.count, maxDepth: 1000, into: &fastOut)
        }
        var scanner = JSONScanner(maxDepth: 1000)
        var out: [UInt8] = []
        let scannerOK: Bool = bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress, buf.count > 0 else { return false }
            do throws(JSONScanError) {
                switch try scanner.scan(base, from: 0, to: buf.count, into: &out) {
                case .complete(let end):
                    return buf[end...].allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
                case .needMore:
                    return try scanner.finish(at: buf.count)
                }
            } catch { return false }
        }
        return (fastOK ? fastOut : nil, scannerOK ? out : nil)
    }

    @Test("random texts and their mutations: never accepted by the fast path alone, same bytes when both accept")
    func randomTexts() {
        var rng = Rng(seed: 20_261_121)
        var agreedAccepts = 0
        for round in 0..<6000 {
            var bytes = Array(Self.value(&rng, depth: 0).utf8)
            if round % 2 == 1 && !bytes.isEmpty {
                // Mutate: replace, insert or delete a byte (including bytes outside ASCII).
                let at = rng.below(bytes.count)
                let byte = UInt8(truncatingIfNeeded: rng.next())
                switch rng.below(3) {
                case 0: bytes[at] = byte
                case 1: bytes.insert(byte, at: at)
                default: bytes.remove(at: at)
                }
            }
            let (fast, scanner) = Self.both(bytes)
            if let fast {
                #expect(
                    scanner == fast,
                    "fast path accepted \(String(decoding: bytes, as: UTF8.self).debugDescription) giving \(String(decoding: fast, as: UTF8.self).debugDescription), scanner \(scanner.map { String(decoding: $0, as: UTF8.self) } ?? "rejected")"
                )
                agreedAccepts += 1
            }
        }
        #expect(agreedAccepts > 2000) // the fast path is really exercised
    }

    // Texts of 512 bytes or more take the other copy of the fast path: UTF-8 checked whole
    // first (UTF8Check.isValid), strings scanned sixteen bytes at a time.
    @Test("long texts (512 bytes and more) and their mutations: never accepted by the fast path alone, same bytes when both accept")
    func longRandomTexts() {
        var rng = Rng(seed: 512_2026)
        var agreedAccepts = 0
        var rejected = 0
        for round in 0..<1500 {
            var items: [String] = []
            var size = 0
            while size < 520 + rng.below(300) {
                let item = Self.value(&rng, depth: 1)
                guard Self.both(Array(item.utf8)).scanner != nil else { continue } // valid items only
                items.append(item)
                size += item.utf8.count + 1
            }
            var bytes = Array(("[" + items.joined(separator: ",") + "]").utf8)
            if round % 2 == 1 {
                for _ in 0..<(1 + rng.below(2)) {
                    let at = rng.below(bytes.count)
                    let byte: UInt8 = [0x80, 0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x22, 0x5C, 0x01][rng.below(14)]
                    switch rng.below(3) {
                    case 0: bytes[at] = byte
                    case 1: bytes.insert(byte, at: at)
                    default: bytes.remove(at: at)
                    }
                }
            }
            #expect(bytes.count >= 512)
            let (fast, scanner) = Self.both(bytes)
            if let fast {
                #expect(
                    scanner == fast,
                    "fast path accepted \(String(decoding: bytes, as: UTF8.self).debugDescription), scanner \(scanner.map { String(decoding: $0, as: UTF8.self) } ?? "rejected")"
                )
                agreedAccepts += 1
            } else if scanner == nil {
                rejected += 1
            }
        }
        // Both outcomes really exercised.
        #expect(agreedAccepts > 500 && rejected > 300, "\(agreedAccepts) accepted by both, \(rejected) rejected by both")
    }

    @Test(
        "corners: the fast path rejects every invalid form the scanner rejects",
        arguments: [
            "", " ", "01", "-", "1.", "1e", "1e+", ".5", "+1", "tru", "nul", "[1,]", "{\"a\":1,}", "[,1]", "{,}", "\"\\x\"", "\"\\u12\"",
            "\"\u{01}\"", "\"\\\"", "[1 2]", "{\"a\" 1}", "{1:2}", "\"\u{FF}\"", "[", "]", "{\"a\":}", "\"abc", "1 2", "NaN", "Infinity",
            "\"\\uD800\"",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        ])
    func corners(_ text: String) {
        let (fast, scanner) = Self.both(Array(text.utf8))
        if let fast { #expect(scanner == fast, "\(text.debugDescription)") }
    }

    @Test(
        "invalid UTF-8 inside strings is never accepted by the fast path",
        arguments: [
            [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
            [0x22, 0xE0, 0x80, 0x80, 0x22], [0x22, 0x80, 0x22], [0x22, 0xE4, 0xB8, 0x22], [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],
        ] as [[UInt8]])
    func invalidUTF8(_ bytes: [UInt8]) {
        let (fast, scanner) = Self.both(bytes)
        #expect(fast == nil && scanner == nil)
        // The same string inside a long text, at every position around a 16-byte boundary.
        for pad in 500..<540 {
            let long = [0x5B] + [UInt8](repeating: 0x20, count: pad) + bytes + [0x5D]
            let (fast, scanner) = Self.both(long)
            #expect(fast == nil && scanner == nil, "after \(pad) spaces")
        }
    }
}
