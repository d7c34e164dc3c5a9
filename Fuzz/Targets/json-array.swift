// Fuzz target: the json-array decoder streaming the top-level array.
//
// Checks: split-independence and the memory bound (Common.swift, checkDecoder); every record is
// a valid minified JSON text; the records written as an array decode back to themselves; when the
// whole input is one valid JSON array, its elements are exactly the records (JSONText oracle).
@testable import StreamCodecCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONArray(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    var run = DecoderRun(input)
    let maxDepth = run.bits.flag() ? 1 + run.bits.take(3) : JSONLimits.defaultMaxDepth
    let (result, _) = checkDecoder(input, format: "json-array", run: run) { JSONArrayDecoder(maxDepth: maxDepth) }
    checkMinifiedJSON(result.records, format: "json-array", maxDepth: maxDepth)
    checkReencode(result.records, format: "json-array", JSONArrayEncoder()) { JSONArrayDecoder(maxDepth: maxDepth) }
    if !run.skipBad {
        // Oracle: a document that is one valid array (with the nesting limit one deeper, for the
        // array itself) streams exactly its elements; the minified array is '[' elements ']'.
        let body = input.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(input.dropFirst(3)) : input
        let document = try? JSONText.minified(body, maxDepth: maxDepth + 1)
        if let document, document.first == 0x5B {
            var expected: [UInt8] = [0x5B]
            for (i, record) in result.records.enumerated() {
                if i > 0 { expected.append(0x2C) }
                expected += record.data
            }
            expected.append(0x5D)
            expect(
                result.error == nil && expected == document,
                """
                json-array: a valid array did not stream as its elements
                  document: \(String(decoding: document.prefix(300), as: UTF8.self).debugDescription)
                  result:   \(result)
                """)
        } else {
            expect(
                result.error != nil,
                "json-array: accepted what is not one JSON array: \(String(decoding: input.prefix(300), as: UTF8.self).debugDescription) -> \(result)"
            )
        }
    }
    return 0
}
