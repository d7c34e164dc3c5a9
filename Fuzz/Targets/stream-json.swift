// Fuzz target: the stream-json (application/stream+json) decoder.
//
// Checks: split-independence and the memory bound (Common.swift, checkDecoder); every record is
// a valid minified JSON text; the records written one per line decode back to themselves; when
// every line holds at most one text, the NDJSON decoder finds the same records.
@testable import StreamCodecCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStreamJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    var run = DecoderRun(input)
    let maxDepth = run.bits.flag() ? 1 + run.bits.take(3) : JSONLimits.defaultMaxDepth
    let (result, _) = checkDecoder(input, format: "stream-json", run: run) { StreamJSONDecoder(maxDepth: maxDepth) }
    checkMinifiedJSON(result.records, format: "stream-json", maxDepth: maxDepth)
    checkReencode(result.records, format: "stream-json", JSONLinesEncoder()) { StreamJSONDecoder(maxDepth: maxDepth) }
    // NDJSON is a special case of stream-json: what NDJSON accepts, stream-json reads the same.
    if !run.skipBad {
        let (ndjson, _) = decode(input, .whole(input.count), limit: 1 << 20, skipBad: false) { NDJSONDecoder(maxDepth: maxDepth) }
        if ndjson.error == nil {
            expect(
                result.error == nil && result.records == ndjson.records,
                """
                stream-json: reads valid NDJSON differently
                  ndjson:      \(ndjson)
                  stream-json: \(result)
                """)
        }
    }
    return 0
}
