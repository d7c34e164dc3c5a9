// What the first bytes of an input look like, to say so when an input is not what the user
// said it was (an NDJSON body read as SSE, an API's JSON error body, a gzip-compressed or
// UTF-16 body, a proxy's HTML error page, a binary file). A heuristic over a bounded prefix,
// used only to word a message: it never changes what a decoder does with the input.
//
// Magic numbers: gzip RFC 1952 (1F 8B), zstd RFC 8878 (28 B5 2F FD), bzip2 ("BZh"),
// xz (FD 37 7A 58 5A 00), zip (PK 03 04). Byte order marks: Unicode section 23.8 (UTF-8
// EF BB BF, UTF-16 LE FF FE, UTF-16 BE FE FF). UTF-8 well-formedness: Unicode Table 3-7.

/// Classifies the start of an input (a pure function of its first bytes).
///
/// ```swift
/// let sniff = InputSniffer.classify(Array("{\"a\":1}\n{\"a\":2}\n".utf8), isWholeInput: true)
/// // sniff.kind == .ndjson
/// ```
public enum InputSniffer {
    /// How many bytes of an input are worth looking at.
    public static let sampleSize = 4096

    /// What an input looks like.
    public enum Kind: String, Sendable, Equatable {
        /// Nothing but whitespace (or nothing at all).
        case empty
        /// Server-sent events: its first line is a field (`data:`, `event:`, `id:`, `retry:`) or a comment.
        case sse
        /// JSON texts one per line (NDJSON, JSON Lines).
        case ndjson
        /// One JSON document (an object or value that is not followed by another on its own line),
        /// such as an API's error body.
        case jsonDocument
        /// A JSON array (what `json-array` reads).
        case jsonArray
        /// RFC 7464 JSON text sequence (starts with RS, 0x1E).
        case jsonSeq
        /// gzip-compressed data.
        case gzip
        /// zstd-compressed data.
        case zstd
        /// bzip2-compressed data.
        case bzip2
        /// xz-compressed data.
        case xz
        /// A zip archive.
        case zip
        /// UTF-16 text, little-endian (a BOM FF FE, or NULs after ASCII bytes).
        case utf16LE
        /// UTF-16 text, big-endian (a BOM FE FF, or NULs before ASCII bytes).
        case utf16BE
        /// Text in a single-byte encoding such as Latin-1 (ISO-8859-1) or Windows-1252: not UTF-8,
        /// but its high bytes stand between printable ASCII as letters would.
        case latin1
        /// An HTML page.
        case html
        /// An XML document.
        case xml
        /// Binary data (NUL bytes, control characters, or bytes that are no text encoding).
        case binary
        /// UTF-8 text that is none of the above.
        case text
    }

    /// The classification of a sample.
    public struct Result: Sendable, Equatable {
        /// What the sample looks like.
        public var kind: Kind
        /// The first bytes as printable text (at most `excerptLength` characters; control
        /// characters escaped as `\n`, `\t`, `\u{1b}`; ill-formed UTF-8 as U+FFFD), for messages.
        public var excerpt: String
        /// The first (at most 16) bytes, for binary data.
        public var firstBytes: [UInt8]
    }

    /// Classifies `sample`, the first bytes of an input (more than ``sampleSize`` are not looked
    /// at). `isWholeInput`: the sample is all of the input (so a JSON text that ends it is a
    /// whole document, and a UTF-8 sequence cut at its end is cut, not ill-formed).
    public static func classify(_ sample: some Collection<UInt8>, isWholeInput: Bool, excerptLength: Int = 200) -> Result {
        let bytes = Array(sample.prefix(sampleSize))
        let whole = isWholeInput && sample.count <= sampleSize
        return Result(
            kind: kind(bytes, isWhole: whole), excerpt: excerpt(bytes, length: excerptLength), firstBytes: Array(bytes.prefix(16)))
    }

    static func kind(_ all: [UInt8], isWhole: Bool) -> Kind {
        if let magic = magic(all) { return magic }
        if all.starts(with: [0xFF, 0xFE]) { return .utf16LE }
        if all.starts(with: [0xFE, 0xFF]) { return .utf16BE }
        if let utf16 = utf16ByNULs(all) { return utf16 }
        let bytes = all.starts(with: BOM.bytes) ? Array(all.dropFirst(BOM.bytes.count)) : all
        if bytes.contains(0) { return .binary }
        switch utf8Validity(bytes, isWhole: isWhole) {
        case .valid: break
        case .latin1: return .latin1
        case .invalid: return .binary
        }
        if isBinaryByControls(bytes) { return .binary }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }) else { return .empty }
        return textKind(bytes, from: first, isWhole: isWhole)
    }

    private static func magic(_ b: [UInt8]) -> Kind? {
        if b.starts(with: [0x1F, 0x8B]) { return .gzip }
        if b.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        if b.starts(with: [0x42, 0x5A, 0x68]) && b.count > 3 && (0x31...0x39).contains(b[3]) { return .bzip2 }
        if b.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .zip }
        return nil
    }

    /// UTF-16 without a BOM: ASCII text has a NUL in every other byte (after each character in
    /// little-endian, before it in big-endian).
    private static func utf16ByNULs(_ b: [UInt8]) -> Kind? {
        let pairs = b.count / 2
        guard pairs >= 2 else { return nil }
        var nulEven = 0
        var nulOdd = 0
        for i in 0..<(pairs * 2) where b[i] == 0 {
            if i % 2 == 0 { nulEven += 1 } else { nulOdd += 1 }
        }
        if nulOdd * 4 >= pairs * 3 && nulEven * 8 < pairs { return .utf16LE }
        if nulEven * 4 >= pairs * 3 && nulOdd * 8 < pairs { return .utf16BE }
        return nil
    }

    private enum Validity { case valid, latin1, invalid }

    /// Valid UTF-8; or not, and then whether the bytes read as Latin-1 text: every byte that
    /// breaks UTF-8 is a printable Latin-1 character (0xA0 and up), and the text around is
    /// mostly printable ASCII.
    private static func utf8Validity(_ b: [UInt8], isWhole: Bool) -> Validity {
        var i = 0
        var valid = true
        while i < b.count {
            if b[i] < 0x80 {
                i += 1
                continue
            }
            switch UTF8Sequence.length(b, at: i) {
            case .some(let n): i += n
            case .none where !isWhole && UTF8Sequence.isCutPrefix(b, at: i): i = b.count
            case .none:
                valid = false
                i = b.count
            }
        }
        if valid { return .valid }
        let high = b.filter { $0 >= 0x80 }
        let printableASCII = b.filter { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }.count
        if high.allSatisfy({ $0 >= 0xA0 }) && printableASCII * 10 >= b.count * 7 { return .latin1 }
        return .invalid
    }

    /// More than a few control characters other than tab, line ends, form feed and escape.
    private static func isBinaryByControls(_ b: [UInt8]) -> Bool {
        let controls = b.filter { ($0 < 0x20 && !(0x09...0x0D).contains($0) && $0 != 0x1B && $0 != 0x1E) || $0 == 0x7F }.count
        return controls > 0 && controls * 20 >= b.count
    }

    private static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    private static func textKind(_ b: [UInt8], from first: Int, isWhole: Bool) -> Kind {
        let c = b[first]
        if c == 0x1E { return .jsonSeq }
        if c == 0x3C { // '<'
            let head = String(decoding: b[first...].prefix(512), as: UTF8.self).lowercased()
            if head.hasPrefix("<?xml") && !head.contains("<html") { return .xml }
            return .html
        }
        if startsSSELine(b, at: first) { return .sse }
        if c == 0x5B { return .jsonArray }
        if c == 0x7B || c == 0x22 || c == 0x2D || (0x30...0x39).contains(c) || startsLiteral(b, at: first) {
            return jsonKind(b, from: first, isWhole: isWhole)
        }
        return .text
    }

    /// A comment (`:`) or a known field (`data`, `event`, `id`, `retry`, then `:` or the line end).
    private static func startsSSELine(_ b: [UInt8], at i: Int) -> Bool {
        if b[i] == 0x3A { return true }
        for name in ["data", "event", "id", "retry"] {
            let n = Array(name.utf8)
            guard b.count - i >= n.count, b[i..<(i + n.count)].elementsEqual(n) else { continue }
            let after = i + n.count
            if after == b.count || b[after] == 0x3A || b[after] == 0x0A || b[after] == 0x0D { return true }
        }
        return false
    }

    private static func startsLiteral(_ b: [UInt8], at i: Int) -> Bool {
        ["true", "false", "null"].contains { b[i...].starts(with: Array($0.utf8)) }
    }

    /// NDJSON when the first JSON text ends on its first line and another text starts on the
    /// next non-blank line; otherwise one document.
    private static func jsonKind(_ b: [UInt8], from first: Int, isWhole: Bool) -> Kind {
        guard let end = endOfFirstValue(b, from: first) else { return .jsonDocument }
        var i = end
        var crossedLine = false
        while i < b.count && isBlank(b[i]) {
            if b[i] == 0x0A { crossedLine = true }
            i += 1
        }
        if i == b.count { return .jsonDocument }
        let spansLines = b[first..<end].contains(0x0A)
        return crossedLine && !spansLines ? .ndjson : .jsonDocument
    }

    /// Where the first JSON value ends (brackets balanced outside strings), or nil when it does
    /// not end within `b`. Scalars end at whitespace or the end.
    private static func endOfFirstValue(_ b: [UInt8], from first: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        var i = first
        let scalar = b[first] != 0x7B && b[first] != 0x5B && b[first] != 0x22
        while i < b.count {
            let c = b[i]
            if inString {
                if escaped {
                    escaped = false
                } else if c == 0x5C {
                    escaped = true
                } else if c == 0x22 {
                    inString = false
                    if depth == 0 { return i + 1 }
                }
            } else if scalar {
                if isBlank(c) { return i }
            } else {
                switch c {
                case 0x22: inString = true
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    depth -= 1
                    if depth <= 0 { return i + 1 }
                default: break
                }
            }
            i += 1
        }
        return scalar ? b.count : nil
    }

    /// Printable text for a message: at most `length` characters.
    static func excerpt(_ b: [UInt8], length: Int) -> String {
        var text = ""
        var count = 0
        for scalar in String(decoding: b, as: UTF8.self).unicodeScalars {
            if count == length { return text + "..." }
            switch scalar {
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    text += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        return text
    }
}

/// Well-formed UTF-8 sequences (Unicode Table 3-7).
enum UTF8Sequence {
    /// The length of the well-formed sequence whose lead byte is `b[i]` (not ASCII), or nil.
    static func length(_ b: [UInt8], at i: Int) -> Int? {
        let (n, low, high) = shape(b[i])
        guard n > 0, i + n <= b.count else { return nil }
        for k in 1..<n {
            let c = b[i + k]
            let (lo, hi): (UInt8, UInt8) = k == 1 ? (low, high) : (0x80, 0xBF)
            if c < lo || c > hi { return nil }
        }
        return n
    }

    /// True when `b[i...]` is a proper prefix of a well-formed sequence (cut by the end of `b`).
    static func isCutPrefix(_ b: [UInt8], at i: Int) -> Bool {
        let (n, low, high) = shape(b[i])
        guard n > 0, i + n > b.count else { return false }
        for k in 1..<(b.count - i) {
            let c = b[i + k]
            let (lo, hi): (UInt8, UInt8) = k == 1 ? (low, high) : (0x80, 0xBF)
            if c < lo || c > hi { return false }
        }
        return true
    }

    /// A lead byte's sequence length and the range of the byte after it (0: not a lead byte).
    private static func shape(_ lead: UInt8) -> (Int, UInt8, UInt8) {
        switch lead {
        case 0xC2...0xDF: (2, 0x80, 0xBF)
        case 0xE0: (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
        case 0xED: (3, 0x80, 0x9F)
        case 0xF0: (4, 0x90, 0xBF)
        case 0xF1...0xF3: (4, 0x80, 0xBF)
        case 0xF4: (4, 0x80, 0x8F)
        default: (0, 0, 0)
        }
    }
}
