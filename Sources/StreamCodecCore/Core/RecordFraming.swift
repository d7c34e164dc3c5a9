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
    static var recordFraming: RecordFraming { get }
}

extension RecordFraming {
    /// The encoders that describe their framing.
    static let encoders: [any FramingEncoder.Type] = [JSONLinesEncoder.self, JSONSeqEncoder.self, SSEEncoder.self]

    /// The framing of `encoder`, when its type is one of ``encoders``. Found by the type's
    /// identity: a cast to the protocol (`as? any FramingEncoder`) scans every conformance record
    /// of the static binary the first time, about 150,000 instructions at each start (measured).
    static func of(_ encoder: any StreamEncoder) -> RecordFraming? {
        let type = ObjectIdentifier(Swift.type(of: encoder))
        for framing in encoders where ObjectIdentifier(framing) == type { return framing.recordFraming }
        return nil
    }
}
