// Fuzz target: the JSON scanner (JSONText.minify and the resumable JSONScanner).
//
// Checks, for any input and a nesting limit derived from it:
// - minify agrees with an independent reference (a recursive-descent RFC 8259 parser written
//   here from the grammar, with the contract's choices: strict UTF-8, lone surrogate escapes
//   accepted, numbers and strings copied as written): same verdict, same error kind and byte
//   offset, same minified bytes;
// - minify(minify(x)) == minify(x), isValid agrees, Record.json(validating:) stores the same;
// - each vector kernel gives the same verdict and bytes as the scalar fast path, their reference,
//   and its UTF-8 validator the verdict of the Swift one;
// - the resumable scanner fed in pieces (random and two-piece splits) gives the same output,
//   end and error as one scan of the whole input.
@testable import StreamCodecCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONMinify(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    let h = fnv1a(input)
    var bits = Bits(value: h)
    let maxDepth = bits.flag() ? 1 + bits.take(3) : JSONLimits.defaultMaxDepth

    var minified: [UInt8] = []
    var error: StreamCodecError?
    do { try JSONText.minify(input, into: &minified, maxDepth: maxDepth) } catch let e { error = e }

    var reference = ReferenceJSON(input, maxDepth: maxDepth)
    let verdict = reference.parseText()
    switch (verdict, error) {
    case (.ok, nil):
        expect(
            minified == reference.output,
            """
            json: minify differs from the reference
              input:     \(show(input))
              minify:    \(show(minified))
              reference: \(show(reference.output))
            """)
    case (.fail(let kind, let offset), let e?):
        let code: StreamCodecError.Code = kind == .tooDeep ? .nestingTooDeep : .invalidJSON
        expect(
            e.code == code && e.byteOffset == offset,
            """
            json: minify and the reference reject differently
              input:     \(show(input)) (max depth \(maxDepth))
              minify:    \(e.code) at \(e.byteOffset.map(String.init) ?? "-"): \(e.message)
              reference: \(code) at \(offset)
            """)
    case (.ok, let e?):
        fail(
            "json: minify rejects what the reference accepts: \(show(input)) (max depth \(maxDepth)): \(e.code) at \(e.byteOffset.map(String.init) ?? "-"): \(e.message)"
        )
    case (.fail(let kind, let offset), nil):
        fail("json: minify accepts what the reference rejects (\(kind) at \(offset)): \(show(input)) -> \(show(minified))")
    }
    expect(JSONText.isValid(input, maxDepth: maxDepth) == (error == nil), "json: isValid disagrees with minify on \(show(input))")

    if error == nil {
        do {
            let again = try JSONText.minified(minified, maxDepth: maxDepth)
            expect(again == minified, "json: minify is not idempotent: \(show(minified)) -> \(show(again))")
            let record = try Record.json(validating: input, maxDepth: maxDepth)
            expect(
                record.data == minified && record.kind == .json,
                "json: Record.json(validating:) stores \(show(record.data)), minify gives \(show(minified))")
        } catch {
            fail("json: the minified text \(show(minified)) is rejected: \(error)")
        }
    }

    // Each vector kernel this CPU has against their reference, the scalar fast path:
    // the same verdict and the same bytes, on the input and on the input behind 1 to 63 spaces
    // (every block offset), at a depth limit within both paths' 64.
    let depth = min(maxDepth, 64)
    for kernel in JSONKernel.supported {
        for lead in [0, 1 + bits.take(6) % 63] {
            let text = [UInt8](repeating: 0x20, count: lead) + input
            text.withUnsafeBufferPointer { buf in
                let p = buf.baseAddress ?? UnsafePointer(bitPattern: 1)!
                var kernelOut: [UInt8] = []
                var scalarOut: [UInt8] = []
                let kernelOK = JSONKernel.minify(p, count: buf.count, maxDepth: depth, into: &kernelOut, kernel: kernel)
                let scalarOK = JSONFastPath.minifyScalar(p, count: buf.count, maxDepth: depth, into: &scalarOut)
                let utf8 = UTF8Check.isValidScalar(p, count: buf.count)
                expect(
                    UTF8Check.isValid(p, count: buf.count, kernel: kernel) == utf8,
                    "utf8: vector kernel \(kernel) says \(!utf8), the Swift validator \(utf8), on \(show(text))")
                expect(
                    kernelOK == scalarOK && (!kernelOK || kernelOut == scalarOut),
                    """
                    json: vector kernel \(kernel) and the scalar path disagree
                      input:  \(show(text)) (max depth \(depth))
                      kernel: \(kernelOK ? show(kernelOut) : "rejects")
                      scalar: \(scalarOK ? show(scalarOut) : "rejects")
                    """)
            }
        }
    }

    // The resumable scanner, in pieces, against one scan of the whole input.
    let whole = scanInPieces(input, [input.count], maxDepth: maxDepth)
    var splits = [Split.random(input.count, seed: h ^ 0xC0FFEE, maxPiece: [1, 2, 5, 17, 300][bits.take(3) % 5]).lengths]
    if input.count > 1 { splits.append(Split.two(input.count, at: 1 + Int((h >> 32) % UInt64(input.count - 1))).lengths) }
    for lengths in splits {
        let split = scanInPieces(input, lengths, maxDepth: maxDepth)
        expect(
            split == whole,
            """
            json: the resumable scanner depends on the split
              input: \(show(input))
              whole: \(whole)
              split \(lengths.prefix(20)): \(split)
            """)
    }
    return 0
}

/// One JSON text scanned with JSONScanner, the buffer growing piece by piece as a decoder's does.
struct ScanResult: Equatable {
    var output: [UInt8] = []
    var end: Int?
    var error: String?
    var errorIndex: Int?
}

func scanInPieces(_ input: [UInt8], _ lengths: [Int], maxDepth: Int) -> ScanResult {
    var scanner = JSONScanner(maxDepth: maxDepth)
    var result = ScanResult()
    var scanned = 0
    var available = 0
    return input.withUnsafeBufferPointer { buf -> ScanResult in
        guard let base = buf.baseAddress else { return result }
        do throws(JSONScanError) {
            for length in lengths {
                available += length
                switch try scanner.scan(base, from: scanned, to: available, into: &result.output) {
                case .needMore: scanned = available
                case .complete(let end):
                    result.end = end
                    return result
                }
            }
            if try scanner.finish(at: available) { result.end = available }
        } catch {
            // On error the output holds a partial text, flushed at points that depend on the split.
            result.output = []
            result.error = "\(error.kind)"
            result.errorIndex = error.index
        }
        return result
    }
}

/// A reference RFC 8259 parser (sections 2-8), recursive, written from the grammar. It also
/// produces the minified text: the value's bytes without insignificant whitespace.
struct ReferenceJSON {
    enum Kind { case invalid, tooDeep }
    enum Verdict {
        case ok
        case fail(Kind, Int)
    }
    struct Failure: Error {
        var kind: Kind
        var offset: Int
    }

    let s: [UInt8]
    let maxDepth: Int
    var i = 0
    var output: [UInt8] = []

    init(_ s: [UInt8], maxDepth: Int) {
        self.s = s
        self.maxDepth = maxDepth
    }

    mutating func parseText() -> Verdict {
        do {
            skipWhitespace()
            if i == s.count { throw Failure(kind: .invalid, offset: i) }
            try value(depth: 0)
            skipWhitespace()
            if i != s.count { throw Failure(kind: .invalid, offset: i) }
            return .ok
        } catch let failure as Failure {
            return .fail(failure.kind, failure.offset)
        } catch {
            return .fail(.invalid, -1)
        }
    }

    mutating func skipWhitespace() {
        while i < s.count, s[i] == 0x20 || s[i] == 0x09 || s[i] == 0x0A || s[i] == 0x0D { i += 1 }
    }

    func bad(_ at: Int) -> Failure { Failure(kind: .invalid, offset: at) }

    mutating func value(depth: Int) throws {
        guard i < s.count else { throw bad(i) }
        switch s[i] {
        case 0x7B: try object(depth: depth + 1)
        case 0x5B: try array(depth: depth + 1)
        case 0x22: try string()
        case 0x74: try literal("true")
        case 0x66: try literal("false")
        case 0x6E: try literal("null")
        case 0x2D, 0x30...0x39: try number()
        default: throw bad(i)
        }
    }

    mutating func object(depth: Int) throws {
        if depth > maxDepth { throw Failure(kind: .tooDeep, offset: i) }
        output.append(0x7B)
        i += 1
        skipWhitespace()
        if i < s.count && s[i] == 0x7D {
            output.append(0x7D)
            i += 1
            return
        }
        while true {
            skipWhitespace()
            guard i < s.count, s[i] == 0x22 else { throw bad(i) }
            try string()
            skipWhitespace()
            guard i < s.count, s[i] == 0x3A else { throw bad(i) }
            output.append(0x3A)
            i += 1
            skipWhitespace()
            try value(depth: depth)
            skipWhitespace()
            guard i < s.count else { throw bad(i) }
            if s[i] == 0x2C {
                output.append(0x2C)
                i += 1
                continue
            }
            if s[i] == 0x7D {
                output.append(0x7D)
                i += 1
                return
            }
            throw bad(i)
        }
    }

    mutating func array(depth: Int) throws {
        if depth > maxDepth { throw Failure(kind: .tooDeep, offset: i) }
        output.append(0x5B)
        i += 1
        skipWhitespace()
        if i < s.count && s[i] == 0x5D {
            output.append(0x5D)
            i += 1
            return
        }
        while true {
            skipWhitespace()
            try value(depth: depth)
            skipWhitespace()
            guard i < s.count else { throw bad(i) }
            if s[i] == 0x2C {
                output.append(0x2C)
                i += 1
                continue
            }
            if s[i] == 0x5D {
                output.append(0x5D)
                i += 1
                return
            }
            throw bad(i)
        }
    }

    mutating func literal(_ word: String) throws {
        for b in word.utf8 {
            guard i < s.count, s[i] == b else { throw bad(i) }
            output.append(b)
            i += 1
        }
    }

    mutating func number() throws {
        let start = i
        if s[i] == 0x2D { i += 1 }
        guard i < s.count else { throw bad(i) }
        if s[i] == 0x30 {
            i += 1
        } else if s[i] >= 0x31 && s[i] <= 0x39 {
            while i < s.count, s[i] >= 0x30 && s[i] <= 0x39 { i += 1 }
        } else {
            throw bad(i)
        }
        if i < s.count && s[i] == 0x2E {
            i += 1
            guard i < s.count, s[i] >= 0x30 && s[i] <= 0x39 else { throw bad(i) }
            while i < s.count, s[i] >= 0x30 && s[i] <= 0x39 { i += 1 }
        }
        if i < s.count && (s[i] == 0x65 || s[i] == 0x45) {
            i += 1
            if i < s.count && (s[i] == 0x2B || s[i] == 0x2D) { i += 1 }
            guard i < s.count, s[i] >= 0x30 && s[i] <= 0x39 else { throw bad(i) }
            while i < s.count, s[i] >= 0x30 && s[i] <= 0x39 { i += 1 }
        }
        // "01": the number is "0"; the caller then finds '1' where a delimiter belongs.
        output.append(contentsOf: s[start..<i])
    }

    mutating func string() throws {
        let start = i
        i += 1
        while true {
            guard i < s.count else { throw bad(i) }
            let c = s[i]
            if c == 0x22 {
                i += 1
                break
            }
            if c < 0x20 { throw bad(i) }
            if c == 0x5C {
                i += 1
                guard i < s.count else { throw bad(i) }
                switch s[i] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 1
                case 0x75:
                    i += 1
                    for _ in 0..<4 {
                        guard i < s.count else { throw bad(i) }
                        let h = s[i]
                        guard (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66) else { throw bad(i) }
                        i += 1
                    }
                default: throw bad(i)
                }
                continue
            }
            if c < 0x80 {
                i += 1
                continue
            }
            // Unicode Table 3-7: well-formed UTF-8 byte sequences.
            let (count, low, high): (Int, UInt8, UInt8)
            switch c {
            case 0xC2...0xDF: (count, low, high) = (1, 0x80, 0xBF)
            case 0xE0: (count, low, high) = (2, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE, 0xEF: (count, low, high) = (2, 0x80, 0xBF)
            case 0xED: (count, low, high) = (2, 0x80, 0x9F)
            case 0xF0: (count, low, high) = (3, 0x90, 0xBF)
            case 0xF1...0xF3: (count, low, high) = (3, 0x80, 0xBF)
            case 0xF4: (count, low, high) = (3, 0x80, 0x8F)
            default: throw bad(i)
            }
            // An ill-formed sequence is blamed on its first byte (the contract: the error names
            // the first bad byte); input that ends inside one ends inside the text.
            let lead = i
            i += 1
            for k in 0..<count {
                guard i < s.count else { throw bad(i) }
                let lo: UInt8 = k == 0 ? low : 0x80
                let hi: UInt8 = k == 0 ? high : 0xBF
                guard s[i] >= lo && s[i] <= hi else { throw bad(lead) }
                i += 1
            }
        }
        output.append(contentsOf: s[start..<i])
    }
}
