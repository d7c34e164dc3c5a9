// Stream ids and event ids. A stream id is 128 random bits from the system's generator, as 32
// lowercase hex digits: unguessable, so knowing one is the only way to resume or join a stream
// (besides the credential binding). Every SSE event the bridge serves has the id
// `STREAMID-POSITION`: the stream, and the position in it of the upstream record it came from.

/// The id of one stream.
public enum StreamIDs {
    /// A new stream id: 128 bits from `SystemRandomNumberGenerator` (getrandom(2) on Linux).
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex(generator.next() as UInt64) + hex(generator.next() as UInt64)
    }

    /// `STREAMID-POSITION`.
    public static func eventID(stream: String, position: UInt64) -> String { "\(stream)-\(position)" }

    /// The stream and position of an event id the bridge gave, or nil for any other id (which
    /// the bridge then forwards to the upstream untouched).
    public static func parse(eventID: String) -> (stream: String, position: UInt64)? {
        let parts = eventID.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, isStreamID(parts[0]), let position = UInt64(parts[1]) else { return nil }
        return (String(parts[0]), position)
    }

    /// 32 lowercase hex digits.
    public static func isStreamID(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
