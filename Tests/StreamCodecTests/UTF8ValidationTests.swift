import Testing

// UTF-8 validation, Unicode Standard chapter 3, Table 3-7 "Well-Formed UTF-8 Byte Sequences":
//   U+0000..U+007F     00..7F
//   U+0080..U+07FF     C2..DF 80..BF
//   U+0800..U+0FFF     E0 A0..BF 80..BF
//   U+1000..U+CFFF     E1..EC 80..BF 80..BF
//   U+D000..U+D7FF     ED 80..9F 80..BF
//   U+E000..U+FFFF     EE..EF 80..BF 80..BF
//   U+10000..U+3FFFF   F0 90..BF 80..BF 80..BF
//   U+40000..U+FFFFF   F1..F3 80..BF 80..BF 80..BF
//   U+100000..U+10FFFF F4 80..8F 80..BF 80..BF
// The vector validators (`UTF8Check.isValidScalar`, sixteen bytes at a time, and the kernels of
// Sources/StreamCodecSIMD/UTF8.c, 64 at a time, each checked against it) against a
// sequence-at-a-time one (the JSON scanner's check) and the standard library's decoder, on every one- and
// two-byte input, every three-byte input over the bytes that matter, and random sequences placed
// at every offset around the 16-, 32- and 64-byte blocks the vector code works in.
@testable import StreamCodecCore

@Suite("UTF-8 validation, sixteen bytes at a time")
struct UTF8ValidationTests {
    /// The vector validators: the Swift one (`isValidScalar`) and each kernel this CPU has
    /// (Sources/StreamCodecSIMD/UTF8.c), which must agree with it.
    static func vector(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            let p = buf.baseAddress ?? UnsafePointer(bitPattern: 1)!
            let swift = UTF8Check.isValidScalar(p, count: buf.count)
            for kernel in JSONKernel.supported where UTF8Check.isValid(p, count: buf.count, kernel: kernel) != swift {
                Issue.record("kernel \(kernel) says \(!swift), the Swift validator \(swift), on \(bytes)")
            }
            return swift
        }
    }
    /// One sequence at a time, with the scanner's check of a multi-byte sequence.
    static func scalar(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            guard let p = buf.baseAddress else { return true }
            var i = 0
            while i < buf.count {
                if p[i] < 0x80 {
                    i += 1
                    continue
                }
                guard let length = JSONScanner.wellFormedSequenceLength(p, i, buf.count) else { return false }
                i += length
            }
            return true
        }
    }
    /// The standard library's verdict: decoding with repair changes nothing exactly when valid.
    static func standard(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    @Test(
        "the table's ranges by hand",
        arguments: [
            ([0x7F], true), ([0xC2, 0x80], true), ([0xDF, 0xBF], true), ([0xC0, 0x80], false), ([0xC1, 0xBF], false),
            ([0xE0, 0xA0, 0x80], true), ([0xE0, 0x9F, 0xBF], false), ([0xED, 0x9F, 0xBF], true), ([0xED, 0xA0, 0x80], false),
            ([0xEF, 0xBF, 0xBF], true), ([0xF0, 0x90, 0x80, 0x80], true), ([0xF0, 0x8F, 0xBF, 0xBF], false),
            ([0xF4, 0x8F, 0xBF, 0xBF], true), ([0xF4, 0x90, 0x80, 0x80], false), ([0xF5, 0x80, 0x80, 0x80], false),
            ([0xFF], false), ([0x80], false), ([0xE4, 0xB8], false), ([0xF0, 0x9F, 0x99], false),
        ] as [([UInt8], Bool)])
    func table(bytes: [UInt8], valid: Bool) {
        for pad in [0, 1, 13, 14, 15, 16, 29, 30, 31, 32, 45, 60, 61, 62, 63, 64, 65, 125, 126, 127, 128] {
            let text = [UInt8](repeating: 0x61, count: pad) + bytes
            #expect(Self.vector(text) == valid, "\(bytes) after \(pad) ASCII bytes")
            #expect(Self.vector(text + [UInt8](repeating: 0x62, count: 140)) == valid, "\(bytes) after \(pad) and before 140 ASCII bytes")
        }
    }

    @Test("every input of one and two bytes, and every three-byte input over the boundary bytes, agree with the standard library")
    func exhaustiveShort() {
        for a in 0...255 {
            #expect(Self.vector([UInt8(a)]) == Self.standard([UInt8(a)]))
            for b in 0...255 {
                let two = [UInt8(a), UInt8(b)]
                if Self.vector(two) != Self.standard(two) {
                    Issue.record("\(two)")
                    return
                }
            }
        }
        let interesting: [UInt8] = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
            0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ]
        for a in interesting {
            for b in interesting {
                for c in interesting {
                    for d in interesting {
                        let four = [a, b, c, d]
                        for text in [four, Array(four.prefix(3))] where Self.vector(text) != Self.standard(text) {
                            Issue.record("\(text)")
                            return
                        }
                    }
                }
            }
        }
    }

    @Test("random sequences at every offset around the blocks agree with the sequence-at-a-time validator")
    func randomAgainstScalar() {
        var rng = SplitMix64(seed: 0x7_3_7)
        let alphabet: [[UInt8]] = [
            [0x61], [0x22], [0xC3, 0xA9], [0xE4, 0xB8, 0x96], [0xF0, 0x9F, 0x99, 0x82], [0xED, 0x9F, 0xBF],
            [0x80], [0xBF], [0xC0], [0xE0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90], [0xF5], [0xFF], [0xE4, 0xB8],
        ]
        var valid = 0
        var invalid = 0
        for _ in 0..<4000 {
            var body: [UInt8] = []
            let pieces = rng.below(12)
            let clean = rng.below(2) == 0
            for _ in 0..<pieces { body += alphabet[clean ? rng.below(6) : rng.below(alphabet.count)] }
            let lead = rng.below(140)
            let trail = rng.below(2) == 0 ? rng.below(40) : 64 + rng.below(70) // a whole ASCII block after
            let text = [UInt8](repeating: 0x20, count: lead) + body + [UInt8](repeating: 0x7A, count: trail)
            let expected = Self.scalar(text)
            #expect(Self.vector(text) == expected, "\(body) with \(lead) bytes before and \(trail) after")
            #expect(Self.standard(text) == expected)
            if expected { valid += 1 } else { invalid += 1 }
        }
        #expect(valid > 1000 && invalid > 1000)
    }
}
