// Reading the top-level members of a JSON object (RFC 8259 section 4) from a text that has
// already been validated and minified, so the reader only has to find boundaries: strings are
// skipped by their quotes and escapes, nested values by bracket depth.

/// The top-level members of a validated, minified JSON text.
struct JSONObjectReader {
    struct Member {
        /// The key, decoded to UTF-8 (nil when it held a lone surrogate escape).
        var key: [UInt8]?
        /// The raw value's byte range in the text.
        var value: Range<Int>
    }

    /// The members in order, or nil when the text is not an object.
    static func members(of text: UnsafeBufferPointer<UInt8>) -> [Member]? {
        guard text.count >= 2, text[0] == 0x7B else { return nil }
        var members: [Member] = []
        var i = 1
        if text[i] == 0x7D { return members }
        while i < text.count {
            let keyEnd = stringEnd(text, from: i)
            let key = try? JSONString.decode(text, i..<keyEnd)
            i = keyEnd + 1 // skip ':'
            let valueEnd = valueEnd(text, from: i)
            members.append(Member(key: key, value: i..<valueEnd))
            i = valueEnd
            if text[i] == 0x7D { break }
            i += 1 // skip ','
        }
        return members
    }

    /// The index just after the string literal starting at `from` (a quote).
    static func stringEnd(_ text: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var i = from + 1
        while true {
            let c = text[i]
            if c == 0x22 { return i + 1 }
            i += c == 0x5C ? 2 : 1
        }
    }

    /// The index just after the value starting at `from`.
    static func valueEnd(_ text: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        switch text[from] {
        case 0x22: return stringEnd(text, from: from)
        case 0x7B, 0x5B:
            var depth = 0
            var i = from
            while true {
                let c = text[i]
                if c == 0x22 {
                    i = stringEnd(text, from: i)
                    continue
                }
                if c == 0x7B || c == 0x5B {
                    depth += 1
                } else if c == 0x7D || c == 0x5D {
                    depth -= 1
                    if depth == 0 { return i + 1 }
                }
                i += 1
            }
        default:
            var i = from
            while i < text.count, text[i] != 0x2C, text[i] != 0x7D, text[i] != 0x5D { i += 1 }
            return i
        }
    }
}
