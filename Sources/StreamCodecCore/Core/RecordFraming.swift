// What an encoder writes around one JSON text, described as data, so that the converter's fast
// lane can write a validated text straight into the output between the same bytes without
// building a record or calling the encoder (Driver/Lane.swift).

/// The bytes an encoder writes before and after one JSON text.
struct RecordFraming: Sendable, Equatable {
    let prefix: ShortBytes
    let suffix: ShortBytes

    /// Framing of at most eight bytes on each side.
    init(prefix: [UInt8], suffix: [UInt8]) {
        self.prefix = ShortBytes(prefix)!
        self.suffix = ShortBytes(suffix)!
    }

    /// Writes `text` between the prefix and the suffix.
    @inline(__always)
    func write(_ text: [UInt8], into output: inout [UInt8]) {
        prefix.append(to: &output)
        output.append(contentsOf: text)
        suffix.append(to: &output)
    }
}

/// An encoder whose output for a `.json` record is the record's text between a fixed prefix and
/// suffix, whatever came before (no state between records), so that a fast lane may write it
/// itself. Must equal ``StreamEncoder/encode(_:into:)`` byte for byte (RecordFramingTests).
/// Encoders whose framing depends on earlier records (the JSON array's commas) do not conform and
/// take the general path.
protocol FramingEncoder: StreamEncoder {
    /// The framing of one `.json` record.
    var recordFraming: RecordFraming { get }
}
