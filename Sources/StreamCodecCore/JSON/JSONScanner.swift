// RFC 8259 "The JavaScript Object Notation (JSON) Data Interchange Format", sections 2-8.
//
// A resumable, iterative scanner: it validates one JSON text and appends it minified (all
// insignificant whitespace removed, strings and numbers copied byte for byte) while the
// bytes arrive in any number of pieces. It keeps its state between pieces, so a text split
// across reads is never rescanned, and it uses an explicit stack with a depth limit, so deep
// nesting is an error, never a stack overflow.
//
// Deliberate choices, all allowed by RFC 8259:
// - Strings must be valid UTF-8 (section 8.1); escapes of lone surrogates (`\uD800`) are
//   accepted and passed through unchanged (section 8.2 leaves them to the implementation).
// - Numbers are not converted: any length and exponent is accepted and copied as written.
// - Nesting deeper than `maxDepth` containers is rejected (section 9 allows a limit).

/// Limits shared by the JSON formats.
public enum JSONLimits {
    /// The default maximum nesting depth of arrays and objects.
    public static let defaultMaxDepth = 1000
}

/// Why a JSON text was rejected, and at which index of the scanned bytes.
struct JSONScanError: Error {
    enum Kind { case invalid, tooDeep, truncated }
    var kind: Kind
    var reason: String
    /// Index into the buffer passed to `scan` (or the end, for `finish`): the first bad byte.
    /// For ill-formed UTF-8 that is the lead byte of the sequence, which may lie before the
    /// buffer of this call (a negative index) when the sequence began in an earlier one.
    var index: Int
    /// Where scanning stopped (the byte that could not be accepted); `index` except for
    /// ill-formed UTF-8, where it is the byte after the sequence's valid start.
    var stopIndex: Int

    init(kind: Kind, reason: String, index: Int, stopIndex: Int? = nil) {
        self.kind = kind
        self.reason = reason
        self.index = index
        self.stopIndex = stopIndex ?? index
    }
}

struct JSONScanner {
    enum State: UInt8 {
        case topValue // before a text: whitespace skipped, then a value
        case value // a value is required (after ':' or after ',' in an array)
        case arrayFirst // after '[': a value or ']'
        case objectFirst // after '{': a key or '}'
        case objectKey // after ',' in an object: a key
        case colon // after a key: ':'
        case afterValue // inside a container after a value: ',' or the closing bracket
        case string // inside a string
        case escape // after a backslash in a string
        case unicodeEscape // inside \uXXXX
        case utf8Tail // inside a multi-byte UTF-8 sequence in a string
        case minus, zero, integer, dot, fraction, exponentMark, exponentSign, exponent
        case literal // inside true, false or null
    }

    private(set) var state: State = .topValue
    /// One entry per open container: true for an object, false for an array.
    private var stack: [Bool] = []
    private var stringIsKey = false
    private var hexLeft = 0
    private var utf8Left = 0
    private var utf8Low: UInt8 = 0x80
    private var utf8High: UInt8 = 0xBF
    /// The lead byte of the UTF-8 sequence in progress and how many of its bytes were read, so
    /// an ill-formed sequence is blamed on its first byte.
    private var utf8Lead: UInt8 = 0
    private var utf8Read = 0
    private var literalKind = 0
    private var literalIndex = 0
    let maxDepth: Int
    /// LF bytes seen outside strings (strings cannot hold a raw LF), for line numbers.
    var newlines = 0

    init(maxDepth: Int = JSONLimits.defaultMaxDepth) {
        self.maxDepth = maxDepth
        stack.reserveCapacity(16)
    }

    /// True between the first byte of a text and its end.
    var isInsideText: Bool { state != .topValue }

    /// True when the text so far is a complete top-level number, which only a following
    /// delimiter (or the end of input) can finish.
    var isInTopLevelNumber: Bool {
        stack.isEmpty && (state == .zero || state == .integer || state == .fraction || state == .exponent)
    }

    /// Back to "before a text", as new: also clears what an unfinished string escape or UTF-8
    /// sequence left behind (a text abandoned in the middle, for example after an error).
    mutating func reset() {
        state = .topValue
        stack.removeAll(keepingCapacity: true)
        hexLeft = 0
        utf8Left = 0
        utf8Low = 0x80
        utf8High = 0xBF
        literalIndex = 0
    }

    /// Continues a document whose value just ended inside the containers `stack` (outermost
    /// first; true for an object): the scanner next expects ',' or a closing bracket.
    mutating func resumeAfterValue(inside stack: [Bool]) {
        self.stack = stack
        state = stack.isEmpty ? .topValue : .afterValue
    }

    enum Outcome: Equatable {
        /// Every byte was scanned; the text (if one started) is not complete yet.
        case needMore
        /// A text ended; the value is the index just after its last byte.
        case complete(end: Int)
    }

    private static let literals: [[UInt8]] = [Array("true".utf8), Array("false".utf8), Array("null".utf8)]

    /// True when one of the eight bytes of `w` is a quote, a backslash, a control character
    /// or non-ASCII (false positives are allowed: the caller then looks byte by byte).
    @inline(__always)
    static func hasSpecialStringByte(_ w: UInt64) -> Bool { specialStringBytes(w) != 0 }

    /// The high bit of each byte of `w` (little-endian) that is a quote, a backslash, a control
    /// character or non-ASCII. Bytes above a flagged byte may be flagged falsely (borrows
    /// propagate upwards), so the lowest flagged byte is always a true one.
    @inline(__always)
    static func specialStringBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = w &- (ones &* 0x20) // a byte below 0x20 borrows into its high bit
        return (hasQuote | hasBackslash | hasControl | w) & highs
    }

    /// The length of the well-formed multi-byte UTF-8 sequence at `p[i]` when all of it is
    /// before `end`, else nil (ill-formed, or cut off: the byte-by-byte path decides).
    @inline(__always)
    static func wellFormedSequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int? {
        let b = p[i]
        if b >= 0xC2 && b <= 0xDF {
            guard i + 1 < end, p[i + 1] & 0xC0 == 0x80 else { return nil }
            return 2
        }
        if b >= 0xE0 && b <= 0xEF {
            guard i + 2 < end else { return nil }
            let c1 = p[i + 1]
            let c2 = p[i + 2]
            let low: UInt8 = b == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b == 0xED ? 0x9F : 0xBF
            guard c1 >= low && c1 <= high && c2 & 0xC0 == 0x80 else { return nil }
            return 3
        }
        if b >= 0xF0 && b <= 0xF4 {
            guard i + 3 < end else { return nil }
            let c1 = p[i + 1]
            let low: UInt8 = b == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b == 0xF4 ? 0x8F : 0xBF
            guard c1 >= low && c1 <= high && p[i + 2] & 0xC0 == 0x80 && p[i + 3] & 0xC0 == 0x80 else { return nil }
            return 4
        }
        return nil
    }

    @inline(__always)
    private static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
    @inline(__always)
    private static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    @inline(__always)
    private static func isHex(_ c: UInt8) -> Bool { c &- 0x30 < 10 || (c | 0x20) &- 0x61 < 6 }

    /// Scans `p[start..<end]`, appending the minified text to `out`. Stops just after the end
    /// of a text (leaving the rest for the caller) or at `end`.
    mutating func scan(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, into out: inout [UInt8]) throws(JSONScanError) -> Outcome {
        var i = start
        var runStart = start
        @inline(__always) func flush(_ upTo: Int, _ out: inout [UInt8]) {
            if upTo > runStart { out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: upTo - runStart)) }
        }
        while i < end {
            let c = p[i]
            switch state {
            case .string:
                // Bulk: plain ASCII text up to a quote, backslash, control or non-ASCII byte,
                // eight bytes at a time; well-formed multi-byte characters are checked inline.
                var j = i
                while true {
                    while j + 8 <= end {
                        let mask = Self.specialStringBytes(UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                        if mask == 0 {
                            j += 8
                            continue
                        }
                        j += mask.trailingZeroBitCount >> 3
                        break
                    }
                    while j < end {
                        let b = p[j]
                        if b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80 { break }
                        j += 1
                    }
                    guard j < end, p[j] >= 0x80, let length = Self.wellFormedSequenceLength(p, j, end) else { break }
                    j += length
                }
                i = j
                if i == end { break }
                let b = p[i]
                if b == 0x22 {
                    i += 1
                    if stringIsKey {
                        state = .colon
                    } else if valueEnded() {
                        flush(i, &out)
                        return .complete(end: i)
                    }
                } else if b == 0x5C {
                    state = .escape
                    i += 1
                } else if b < 0x20 {
                    throw JSONScanError(kind: .invalid, reason: "unescaped control character \(Self.describe(b)) in a string", index: i)
                } else {
                    try startUTF8Sequence(b, at: i)
                    i += 1
                }
            case .utf8Tail:
                if c < utf8Low || c > utf8High {
                    // A lead byte then ASCII is how Latin-1 letters look (é is E9): say so.
                    let latin1 = c < 0x80 && utf8Read == 1 ? Self.latin1Hint : ""
                    throw JSONScanError(
                        kind: .invalid,
                        reason: "invalid UTF-8 in a string (byte \(Self.hex(utf8Lead)) followed by \(Self.hex(c))\(latin1))",
                        index: i - utf8Read, stopIndex: i)
                }
                utf8Low = 0x80
                utf8High = 0xBF
                utf8Read += 1
                utf8Left -= 1
                if utf8Left == 0 { state = .string }
                i += 1
            case .escape:
                switch c {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: state = .string
                case 0x75:
                    state = .unicodeEscape
                    hexLeft = 4
                default: throw JSONScanError(kind: .invalid, reason: "invalid escape '\\\(Self.printable(c))' in a string", index: i)
                }
                i += 1
            case .unicodeEscape:
                guard Self.isHex(c) else {
                    throw JSONScanError(kind: .invalid, reason: "expected a hex digit in a \\u escape, found \(Self.describe(c))", index: i)
                }
                hexLeft -= 1
                if hexLeft == 0 { state = .string }
                i += 1
            case .topValue, .value, .arrayFirst, .objectFirst, .objectKey, .colon, .afterValue:
                if Self.isWhitespace(c) {
                    flush(i, &out)
                    while i < end && Self.isWhitespace(p[i]) {
                        if p[i] == 0x0A { newlines += 1 }
                        i += 1
                    }
                    runStart = i
                    continue
                }
                switch state {
                case .topValue, .value, .arrayFirst:
                    if c == 0x5D && state == .arrayFirst {
                        stack.removeLast()
                        i += 1
                        if valueEnded() {
                            flush(i, &out)
                            return .complete(end: i)
                        }
                    } else {
                        try beginValue(c, at: i)
                        i += 1
                    }
                case .objectFirst, .objectKey:
                    if c == 0x22 {
                        state = .string
                        stringIsKey = true
                    } else if c == 0x7D && state == .objectFirst {
                        stack.removeLast()
                        i += 1
                        if valueEnded() {
                            flush(i, &out)
                            return .complete(end: i)
                        }
                        continue
                    } else {
                        let want = state == .objectFirst ? "a string key or '}'" : "a string key"
                        throw JSONScanError(kind: .invalid, reason: "expected \(want), found \(Self.describe(c))", index: i)
                    }
                    i += 1
                case .colon:
                    guard c == 0x3A else {
                        throw JSONScanError(kind: .invalid, reason: "expected ':' after an object key, found \(Self.describe(c))", index: i)
                    }
                    state = .value
                    i += 1
                default: // .afterValue
                    let inObject = stack.last!
                    if c == 0x2C {
                        state = inObject ? .objectKey : .value
                        i += 1
                    } else if (c == 0x7D && inObject) || (c == 0x5D && !inObject) {
                        stack.removeLast()
                        i += 1
                        if valueEnded() {
                            flush(i, &out)
                            return .complete(end: i)
                        }
                    } else {
                        let want = inObject ? "',' or '}' after an object member" : "',' or ']' after an array element"
                        throw JSONScanError(kind: .invalid, reason: "expected \(want), found \(Self.describe(c))", index: i)
                    }
                }
            case .minus:
                if c == 0x30 {
                    state = .zero
                } else if Self.isDigit(c) {
                    state = .integer
                } else {
                    throw JSONScanError(kind: .invalid, reason: "expected a digit after '-', found \(Self.describe(c))", index: i)
                }
                i += 1
            case .zero, .integer, .fraction, .exponent:
                if Self.isDigit(c) {
                    if state == .zero {
                        throw JSONScanError(kind: .invalid, reason: "leading zero in a number", index: i)
                    }
                    i += 1
                    while i < end && Self.isDigit(p[i]) { i += 1 }
                } else if c == 0x2E && (state == .zero || state == .integer) {
                    state = .dot
                    i += 1
                } else if (c | 0x20) == 0x65 && state != .exponent {
                    state = .exponentMark
                    i += 1
                } else {
                    // The number ended just before `c`, which is scanned again in the new state.
                    if valueEnded() {
                        flush(i, &out)
                        return .complete(end: i)
                    }
                }
            case .dot:
                guard Self.isDigit(c) else {
                    throw JSONScanError(kind: .invalid, reason: "expected a digit after '.', found \(Self.describe(c))", index: i)
                }
                state = .fraction
                i += 1
            case .exponentMark:
                if c == 0x2B || c == 0x2D {
                    state = .exponentSign
                } else if Self.isDigit(c) {
                    state = .exponent
                } else {
                    throw JSONScanError(
                        kind: .invalid, reason: "expected a digit or sign in an exponent, found \(Self.describe(c))", index: i)
                }
                i += 1
            case .exponentSign:
                guard Self.isDigit(c) else {
                    throw JSONScanError(kind: .invalid, reason: "expected a digit in an exponent, found \(Self.describe(c))", index: i)
                }
                state = .exponent
                i += 1
            case .literal:
                let word = Self.literals[literalKind]
                guard c == word[literalIndex] else {
                    let name = String(decoding: word, as: UTF8.self)
                    throw JSONScanError(kind: .invalid, reason: "invalid literal: expected '\(name)', found \(Self.describe(c))", index: i)
                }
                literalIndex += 1
                i += 1
                if literalIndex == word.count, valueEnded() {
                    flush(i, &out)
                    return .complete(end: i)
                }
            }
        }
        flush(end, &out)
        return .needMore
    }

    /// At end of input: returns true when a top-level number was pending and is now
    /// complete, false when no text had started; throws when a text was cut off.
    mutating func finish(at index: Int) throws(JSONScanError) -> Bool {
        if state == .topValue { return false }
        if isInTopLevelNumber {
            state = .topValue
            return true
        }
        throw JSONScanError(kind: .truncated, reason: "unexpected end of input inside a JSON text", index: index)
    }

    /// Moves past a finished value; returns true when it completed the whole text.
    @inline(__always)
    private mutating func valueEnded() -> Bool {
        if stack.isEmpty {
            state = .topValue
            return true
        }
        state = .afterValue
        return false
    }

    @inline(__always)
    private mutating func beginValue(_ c: UInt8, at i: Int) throws(JSONScanError) {
        switch c {
        case 0x7B, 0x5B:
            if stack.count >= maxDepth {
                throw JSONScanError(
                    kind: .tooDeep, reason: "nesting deeper than \(maxDepth) levels (raise it with ConversionOptions.codec.maxDepth)",
                    index: i)
            }
            stack.append(c == 0x7B)
            state = c == 0x7B ? .objectFirst : .arrayFirst
        case 0x22:
            state = .string
            stringIsKey = false
        case 0x2D: state = .minus
        case 0x30: state = .zero
        case 0x31...0x39: state = .integer
        case 0x74:
            state = .literal
            literalKind = 0
            literalIndex = 1
        case 0x66:
            state = .literal
            literalKind = 1
            literalIndex = 1
        case 0x6E:
            state = .literal
            literalKind = 2
            literalIndex = 1
        default:
            let what = state == .arrayFirst ? "a value or ']'" : "a value"
            throw JSONScanError(kind: .invalid, reason: "expected \(what), found \(Self.describe(c))", index: i)
        }
    }

    /// Checks the lead byte of a multi-byte UTF-8 sequence (Unicode Table 3-7, the
    /// well-formed byte sequences) and sets the range the next byte must fall in.
    @inline(__always)
    private mutating func startUTF8Sequence(_ b: UInt8, at i: Int) throws(JSONScanError) {
        switch b {
        case 0xC2...0xDF: utf8Left = 1
        case 0xE0:
            utf8Left = 2
            utf8Low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: utf8Left = 2
        case 0xED:
            utf8Left = 2
            utf8High = 0x9F
        case 0xF0:
            utf8Left = 3
            utf8Low = 0x90
        case 0xF1...0xF3: utf8Left = 3
        case 0xF4:
            utf8Left = 3
            utf8High = 0x8F
        default:
            throw JSONScanError(
                kind: .invalid, reason: "invalid UTF-8 in a string (byte \(Self.hex(b)), which cannot start a character\(Self.latin1Hint))",
                index: i)
        }
        utf8Lead = b
        utf8Read = 1
        state = .utf8Tail
    }

    /// Bytes that break UTF-8 this way are usually text in a single-byte encoding.
    static let latin1Hint = "; Latin-1 or Windows-1252 text? convert it with iconv -f ISO-8859-1 -t UTF-8"

    static func hex(_ c: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return "0x" + String(decoding: [digits[Int(c >> 4)], digits[Int(c & 15)]], as: UTF8.self)
    }

    static func printable(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? String(UnicodeScalar(c)) : hex(c)
    }

    /// "'x'" for a printable ASCII byte, "byte 0x00" otherwise.
    static func describe(_ c: UInt8) -> String {
        c >= 0x21 && c < 0x7F ? "'\(String(UnicodeScalar(c)))'" : "byte \(hex(c))"
    }
}
