// RFC 8259 section 7 (Strings): escaping UTF-8 text into a JSON string and decoding a JSON
// string back to UTF-8.
//
// Escaping writes `"` and `\` escaped, control characters below U+0020 as `\b \f \n \r \t` or
// `\u00XX`, and everything else as it is (non-ASCII stays raw UTF-8), the shortest faithful form.
// Decoding resolves every escape; a `\u` escape of a lone surrogate has no UTF-8 form, so it is
// reported instead of silently replaced.

enum JSONString {
    /// Appends `text` (UTF-8) as a JSON string literal, quotes included.
    static func append(_ text: some Collection<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        var pending = text.startIndex
        var i = text.startIndex
        while i != text.endIndex {
            let c = text[i]
            if c == 0x22 || c == 0x5C || c < 0x20 {
                out.append(contentsOf: text[pending..<i])
                out.append(0x5C)
                switch c {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x08: out.append(0x62)
                case 0x0C: out.append(0x66)
                case 0x0A: out.append(0x6E)
                case 0x0D: out.append(0x72)
                case 0x09: out.append(0x74)
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
                }
                pending = text.index(after: i)
            }
            i = text.index(after: i)
        }
        out.append(contentsOf: text[pending..<text.endIndex])
        out.append(0x22)
    }

    enum DecodeError: Error, Equatable {
        /// A `\uD800`-style escape of a lone surrogate, which UTF-8 cannot carry.
        case loneSurrogate
    }

    /// Decodes the JSON string literal `bytes[range]` (quotes included), which must already be
    /// valid JSON, into UTF-8.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(DecodeError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        try appendDecoded(bytes, range, to: &out, loneSurrogates: .reject)
        return out
    }

    /// What ``appendDecoded(_:_:to:loneSurrogates:)`` does with an escaped lone surrogate.
    enum LoneSurrogates {
        /// Throw ``DecodeError/loneSurrogate`` (a value that must be exact).
        case reject
        /// Write U+FFFD in its place (text for reading, as `jq -r` does).
        case replace
    }

    /// Appends the contents of the JSON string literal `bytes[range]` (quotes included), which
    /// must already be valid JSON, as UTF-8: runs without escapes are copied whole.
    static func appendDecoded(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to out: inout [UInt8],
        loneSurrogates: LoneSurrogates
    ) throws(DecodeError) {
        let end = range.upperBound - 1
        var i = range.lowerBound + 1
        var run = i // start of the bytes to copy as they are
        while i < end {
            // Hot path: text without escapes is copied in runs.
            if bytes[i] != 0x5C {
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
            let e = bytes[i + 1]
            i += 2
            switch e {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = hex4(bytes, i)
                i += 4
                var lone = false
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate pairs with an immediately following escaped low surrogate.
                    let low = i + 6 <= end && bytes[i] == 0x5C && bytes[i + 1] == 0x75 ? hex4(bytes, i + 2) : 0
                    if low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        lone = true
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    lone = true
                }
                if lone {
                    if loneSurrogates == .reject { throw .loneSurrogate }
                    scalar = 0xFFFD
                }
                out.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
            default: out.append(e) // \" \\ \/
            }
            run = i
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<end]))
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[at + k]
            let d: UInt8 = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10
            v = v << 4 | UInt32(d)
        }
        return v
    }
}
