// RFC 6901 section 4 (Evaluation): the value a JSON Pointer names inside one JSON text that has
// already been validated and minified (a `.json` record's data), found without building a tree:
// object members and array elements are skipped by their boundaries (JSONObjectReader).
//
// Deliberate choices:
// - An object with the same key twice: the last member counts (as JavaScript's JSON.parse and
//   jq read it; RFC 8259 section 4 leaves it to the implementation).
// - `-` names the element after the last one, which never exists (section 4): a pointer ending
//   in `-`, or an index past the end, or a token that is not an index of an array, names nothing.
// - Keys are compared after decoding their escapes, so `/a~1b` finds `"a\/b"` and `"a\u002fb"`.

extension JSONPointer {
    /// The byte range of the value this pointer names in `text`, a validated, minified JSON text;
    /// nil when it names nothing there.
    ///
    /// - Complexity: O(n) in the length of `text`.
    func range(in text: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard !text.isEmpty else { return nil }
        var value = 0..<text.count
        for token in tokens {
            guard let next = Self.step(text, value, token) else { return nil }
            value = next
        }
        return value
    }

    /// The value this pointer names in `text` (validated, minified), or nil.
    func value(in text: [UInt8]) -> ArraySlice<UInt8>? {
        guard let found = text.withUnsafeBufferPointer({ range(in: $0) }) else { return nil }
        return text[found]
    }

    /// The member or element `token` names in the object or array at `value`.
    private static func step(_ text: UnsafeBufferPointer<UInt8>, _ value: Range<Int>, _ token: String) -> Range<Int>? {
        switch text[value.lowerBound] {
        case 0x7B: return member(text, value, token)
        case 0x5B:
            guard let index = index(token) else { return nil }
            return element(text, value, index)
        default: return nil
        }
    }

    /// The last member named `key` of the object at `value`.
    private static func member(_ text: UnsafeBufferPointer<UInt8>, _ value: Range<Int>, _ key: String) -> Range<Int>? {
        var i = value.lowerBound + 1
        if text[i] == 0x7D { return nil }
        var found: Range<Int>?
        let wanted = Array(key.utf8)
        while true {
            let keyEnd = JSONObjectReader.stringEnd(text, from: i)
            let matches = keyEquals(text, i..<keyEnd, wanted)
            let start = keyEnd + 1 // after ':'
            let end = JSONObjectReader.valueEnd(text, from: start)
            if matches { found = start..<end }
            if text[end] == 0x7D { return found }
            i = end + 1 // after ','
        }
    }

    /// Element `index` of the array at `value`.
    private static func element(_ text: UnsafeBufferPointer<UInt8>, _ value: Range<Int>, _ index: Int) -> Range<Int>? {
        var i = value.lowerBound + 1
        if text[i] == 0x5D { return nil }
        var n = 0
        while true {
            let end = JSONObjectReader.valueEnd(text, from: i)
            if n == index { return i..<end }
            if text[end] == 0x5D { return nil }
            n += 1
            i = end + 1
        }
    }

    /// Whether the string literal `text[literal]` (quotes included) decodes to `wanted`.
    private static func keyEquals(_ text: UnsafeBufferPointer<UInt8>, _ literal: Range<Int>, _ wanted: [UInt8]) -> Bool {
        let inner = (literal.lowerBound + 1)..<(literal.upperBound - 1)
        if !text[inner].contains(0x5C) { return text[inner].elementsEqual(wanted) } // Hot path: no escape
        guard let decoded = try? JSONString.decode(text, literal) else { return false }
        return decoded == wanted
    }
}
