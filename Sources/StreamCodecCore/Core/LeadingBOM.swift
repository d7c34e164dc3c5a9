// One leading UTF-8 byte order mark (EF BB BF) is skipped at the very start of a stream, never
// later: WHATWG "Server-sent events" 9.2.5, RFC 8259 section 8.1 (a JSON parser may ignore it).

/// The gate every decoder passes its input through before its own grammar: it looks at the first
/// bytes of the stream once, skips a BOM there, and from then on lets everything through.
struct LeadingBOM: Sendable {
    /// The start of the stream was looked at (and a BOM there skipped).
    private(set) var isChecked = false

    /// Skips a BOM at the start of the stream. Nil when too few bytes have arrived to tell (wait
    /// for more input); true when a BOM was skipped by this call; false when there was none, or
    /// the start was already checked.
    @inline(__always)
    mutating func skip(_ input: inout DecoderInput) -> Bool? {
        if isChecked { return false }
        guard let length = BOM.skipLength(input) else { return nil }
        input.consume(length)
        isChecked = true
        return length > 0
    }
}
