// Fuzz target: the NDJSON decoder.
//
// Checks: split-independence and the memory bound (Common.swift, checkDecoder); every record is
// a valid minified JSON text; encoding the records as NDJSON and decoding them gives them back.
@testable import StreamCodecCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNDJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    var run = DecoderRun(input)
    let maxDepth = run.bits.flag() ? 1 + run.bits.take(3) : JSONLimits.defaultMaxDepth
    let (result, _) = checkDecoder(input, format: "ndjson", run: run) { NDJSONDecoder(maxDepth: maxDepth) }
    checkMinifiedJSON(result.records, format: "ndjson", maxDepth: maxDepth)
    checkReencode(result.records, format: "ndjson", JSONLinesEncoder()) { NDJSONDecoder(maxDepth: maxDepth) }
    return 0
}
