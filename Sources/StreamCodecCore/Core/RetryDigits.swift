// The SSE reconnection time kept exactly: WHATWG HTML 9.2.6, "retry" field: "If the field value
// consists of only ASCII digits, then interpret the field value as an integer in base ten".
// Any run of ASCII digits is a valid value, however long, so a record keeps the digits as text
// (no 64-bit clamp); the one spelling is the decimal digits without leading zeros ("0" for zero),
// which is also a JSON number (RFC 8259 section 6), as the envelope writes it.

/// Checks and normalises `retry` values, held as decimal digits.
public enum RetryDigits {
    /// `text` as decimal digits without leading zeros, or nil when it is not a non-empty run of
    /// ASCII digits (`"007"` gives `"7"`, `"000"` gives `"0"`, `"1.5"`, `"-1"`, `""` give nil).
    public static func canonical(_ text: String) -> String? {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 &- 0x30 < 10 }) else { return nil }
        guard let first = bytes.firstIndex(where: { $0 != 0x30 }) else { return "0" }
        return first == bytes.startIndex ? text : String(text[first...])
    }
}
