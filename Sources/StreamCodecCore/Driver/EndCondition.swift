// One end rule of a stream: the record whose JSON value at a pointer (RFC 6901) equals a given
// JSON value (RFC 8259) is the stream's last, for example Ollama's `/done=true`. See StreamEnd.

/// A record is a stream's end when its JSON value at ``pointer`` equals ``value``.
///
/// ```swift
/// let end = try EndCondition("/done=true")
/// end.matches(try Record.json(#"{"done": true}"#))   // true
/// ```
///
/// Values compare as minified JSON texts (`{ "a" : 1 }` equals `{"a":1}`), and strings by what
/// they decode to (`"A"` equals `"\u0041"`); numbers compare as written (`1` is not `1.0`).
public struct EndCondition: Sendable, Hashable, CustomStringConvertible {
    /// Where the value is.
    public let pointer: JSONPointer
    /// The value that ends the stream, minified.
    public let value: [UInt8]

    /// The condition that the value at `pointer` is the JSON text `value`.
    /// - Throws: ``StreamCodecError/Code/invalidOptions`` when `value` is not one JSON text.
    public init(pointer: JSONPointer, value: String) throws(StreamCodecError) {
        self.pointer = pointer
        do throws(StreamCodecError) {
            self.value = try JSONText.minified(Array(value.utf8))
        } catch {
            throw StreamCodecError(
                .invalidOptions,
                "invalid end condition value '\(value)': it must be one JSON text (for example true, 3, \"stop\" with its quotes, or null): \(error.message)"
            )
        }
    }

    /// Parses `POINTER=JSON` (`/done=true`, `/type="message_stop"`). The text is split at the first
    /// `=` that a JSON text follows, so a pointer may itself contain `=`.
    /// - Throws: ``StreamCodecError/Code/invalidOptions`` when there is no such split or the pointer is invalid.
    public init(_ text: String) throws(StreamCodecError) {
        let bytes = Array(text.utf8)
        var sawEquals = false
        for i in bytes.indices where bytes[i] == 0x3D {
            sawEquals = true
            let right = Array(bytes[(i + 1)...])
            guard JSONText.isValid(right) else { continue }
            let pointer = try JSONPointer(String(decoding: bytes[..<i], as: UTF8.self))
            try self.init(pointer: pointer, value: String(decoding: right, as: UTF8.self))
            return
        }
        let why =
            sawEquals
            ? "what follows '=' is not one JSON text (a string needs its quotes: /type=\"message_stop\")"
            : "it needs the form POINTER=JSON, for example /done=true"
        throw StreamCodecError(.invalidOptions, "invalid end condition '\(text)': \(why)")
    }

    /// `POINTER=JSON`, minified.
    public var description: String { pointer.description + "=" + String(decoding: value, as: UTF8.self) }

    /// Whether the validated, minified JSON text `text` holds ``value`` at ``pointer``.
    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let found = pointer.range(in: text) else { return false }
        let actual = UnsafeBufferPointer(rebasing: text[found])
        if actual.elementsEqual(value) { return true }
        // Strings: the same characters, however escaped.
        guard actual.first == 0x22, value.first == 0x22 else { return false }
        let decoded = try? JSONString.decode(text, found)
        let wanted = value.withUnsafeBufferPointer { try? JSONString.decode($0, 0..<$0.count) }
        return decoded != nil && decoded == wanted
    }

    /// Whether `record` (a JSON record, or an event whose data is JSON) ends the stream.
    public func matches(_ record: Record) -> Bool {
        var scratch: [UInt8] = []
        return matches(record, scratch: &scratch)
    }

    /// ``matches(_:)`` with a reusable buffer for an event's minified data.
    func matches(_ record: Record, scratch: inout [UInt8]) -> Bool {
        switch record.kind {
        case .json:
            return record.data.withUnsafeBufferPointer { matches($0) }
        case .event:
            scratch.removeAll(keepingCapacity: true)
            guard (try? JSONText.minify(record.data, into: &scratch)) != nil else { return false }
            return scratch.withUnsafeBufferPointer { matches($0) }
        case .comment, .control:
            return false
        }
    }
}
