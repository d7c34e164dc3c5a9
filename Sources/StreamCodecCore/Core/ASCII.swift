// The ASCII bytes the stream formats' grammars name (RFC 8259 section 2, RFC 7464, WHATWG
// "Server-sent events" 9.2.5), so that code says what a byte is rather than its number.

/// Named ASCII bytes and classes.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let rs: UInt8 = 0x1E
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let comma: UInt8 = 0x2C
    static let colon: UInt8 = 0x3A
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D

    /// JSON's insignificant whitespace (RFC 8259 section 2): space, tab, LF, CR.
    @inline(__always)
    static func isJSONWhitespace(_ c: UInt8) -> Bool { c == space || c == lf || c == cr || c == tab }

    /// True when a top-level JSON text ending in `last` is a number or a literal (`true`,
    /// `false`, `null`): only a closing bracket, brace or quote ends the other texts, and only
    /// these need a separator after them.
    @inline(__always)
    static func endsScalar(_ last: UInt8) -> Bool { !(last == closeBrace || last == closeBracket || last == quote) }
}
