// Fuzz target: the json-seq (RFC 7464) decoder.
//
// Checks: split-independence and the memory bound (Common.swift, checkDecoder) under each
// end-of-input policy; every record is a valid minified JSON text; RS text LF for each record
// decodes back to the records.
@testable import StreamCodecCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONSeq(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    var run = DecoderRun(input)
    let maxDepth = run.bits.flag() ? 1 + run.bits.take(3) : JSONLimits.defaultMaxDepth
    let policy: SSEDecoder.IncompleteBlockPolicy = [.error, .dispatch, .discard][run.bits.take(2) % 3]
    let (result, _) = checkDecoder(input, format: "json-seq", run: run) { JSONSeqDecoder(maxDepth: maxDepth, endOfInput: policy) }
    checkMinifiedJSON(result.records, format: "json-seq", maxDepth: maxDepth)
    checkReencode(result.records, format: "json-seq", JSONSeqEncoder()) { JSONSeqDecoder(maxDepth: maxDepth) }
    return 0
}
