// The ASCII bytes the stream formats' grammars name (RFC 8259 section 2, RFC 7464, WHATWG
// "Server-sent events" 9.2.5), so that code says what a byte is rather than its number.

/// Named ASCII bytes and classes.
enum ASCII {
    // Control bytes: tab, line feed, carriage return, record separator (RFC 7464).
    static let tab: UInt8 = 0x09, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D, rs: UInt8 = 0x1E
    // Punctuation the grammars name.
    static let space: UInt8 = 0x20, quote: UInt8 = 0x22, comma: UInt8 = 0x2C, colon: UInt8 = 0x3A, backslash: UInt8 = 0x5C
    // JSON's brackets and braces.
    static let openBracket: UInt8 = 0x5B, closeBracket: UInt8 = 0x5D, openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D

    /// JSON's insignificant whitespace (RFC 8259 section 2): space, tab, LF, CR.
    @inline(__always)
    static func isJSONWhitespace(_ c: UInt8) -> Bool { c == space || c == lf || c == cr || c == tab }

    /// True when a top-level JSON text ending in `last` is a number or a literal (`true`,
    /// `false`, `null`): only a closing bracket, brace or quote ends the other texts, and only
    /// these need a separator after them.
    @inline(__always)
    static func endsScalar(_ last: UInt8) -> Bool { !(last == closeBrace || last == closeBracket || last == quote) }
}
