// Fuzz target: the json-array decoder streaming a nested array named by a JSON Pointer
// (RFC 6901, --array-path); the pointer is chosen from a list by the input's hash.
//
// Checks: split-independence and the memory bound (Common.swift, checkDecoder) while the
// decoder walks to the array, skips other members and checks the rest of the document; every
// record is a valid minified JSON text; when the input is one valid JSON document, the records
// are exactly the elements of the array the pointer names (a small independent walk over the
// minified document is the oracle), and an error is reported when there is no such array.
@testable import StreamCodecCore

let pointers = ["/a", "/0", "/a/b", "/results", "/a/1", "/", "/~1x~0", "/data/items/2", "/b", "/a/0/c", "/1", "/items"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONArrayPointer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    var run = DecoderRun(input)
    let maxDepth = run.bits.flag() ? 2 + run.bits.take(3) : JSONLimits.defaultMaxDepth
    let pointer = try! JSONPointer(pointers[run.bits.take(4) % pointers.count])
    let (result, _) = checkDecoder(input, format: "json-array \(pointer)", run: run) {
        JSONArrayDecoder(pointer: pointer, maxDepth: maxDepth)
    }
    checkMinifiedJSON(result.records, format: "json-array \(pointer)", maxDepth: maxDepth)
    if run.skipBad { return 0 }
    let body = input.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(input.dropFirst(3)) : input
    guard let document = try? JSONText.minified(body, maxDepth: 1 << 20) else {
        expect(
            result.error != nil,
            "json-array \(pointer): accepted invalid JSON \(String(decoding: input.prefix(300), as: UTF8.self).debugDescription) -> \(result)"
        )
        return 0
    }
    // The nesting limit applies to each element, and to values skipped on the way or after the
    // array in ways this oracle does not model: judge only results that did not hit it.
    if result.error?.code == .nestingTooDeep { return 0 }
    let expected = document.withUnsafeBufferPointer { elements(of: $0, at: pointer.tokens) }
    if let expected {
        expect(
            result.error == nil && result.records.map(\.data) == expected,
            """
            json-array \(pointer): the records are not the elements of the array the pointer names
              document: \(String(decoding: document.prefix(300), as: UTF8.self).debugDescription)
              expected: \(expected.map { String(decoding: $0, as: UTF8.self) })
              result:   \(result)
            """)
    } else {
        // No array there: an error, after any elements of an array found on the way (none).
        expect(
            result.error != nil,
            "json-array \(pointer): no array there, yet no error: \(String(decoding: document.prefix(300), as: UTF8.self).debugDescription) -> \(result)"
        )
    }
    return 0
}

/// The elements of the array at `tokens` in the minified document `text`, or nil when the pointer
/// names no array. Duplicate keys: the first match wins (the decoder streams the first one it meets).
func elements(of text: UnsafeBufferPointer<UInt8>, at tokens: [String]) -> [[UInt8]]? {
    var range = 0..<text.count
    for token in tokens {
        let c = text[range.lowerBound]
        if c == 0x7B {
            guard let members = JSONObjectReader.members(of: UnsafeBufferPointer(rebasing: text[range])) else { return nil }
            guard let member = members.first(where: { $0.key == Array(token.utf8) }) else { return nil }
            range = (range.lowerBound + member.value.lowerBound)..<(range.lowerBound + member.value.upperBound)
        } else if c == 0x5B {
            guard let index = JSONPointer.index(token) else { return nil }
            let items = arrayItems(text, range)
            guard index < items.count else { return nil }
            range = items[index]
        } else {
            return nil
        }
    }
    guard text[range.lowerBound] == 0x5B else { return nil }
    return arrayItems(text, range).map { Array(text[$0]) }
}

/// The element ranges of the minified array at `range`.
func arrayItems(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Range<Int>] {
    var items: [Range<Int>] = []
    var i = range.lowerBound + 1
    if text[i] == 0x5D { return items }
    while true {
        let end = JSONObjectReader.valueEnd(text, from: i)
        items.append(i..<end)
        if text[end] == 0x5D { return items }
        i = end + 1
    }
}
