// Fuzz target: the aws-eventstream decoder and encoder (AWS event stream encoding).
//
// Random bytes rarely carry matching CRC-32s, so for half the inputs (a bit of the input's hash)
// both CRCs of every message the lengths frame are recomputed first, letting the fuzzer reach
// the lengths and the headers. Checks, for any input:
// - split-independence and the memory bound (Common.swift, checkDecoder), with and without
//   Bedrock's bytes decoding;
// - the encoder gives back exactly the bytes of every message decoded (the input itself when
//   it decoded without error, a prefix of it otherwise);
// - aws-eventstream -> envelope -> aws-eventstream (the transforms, as the Converter runs them)
//   gives the same records.
@testable import StreamCodecCore

/// `input` with the prelude CRC and the message CRC of each message recomputed.
private func withCRCsFixed(_ input: [UInt8]) -> [UInt8] {
    var bytes = input
    var i = 0
    while i + 12 <= bytes.count {
        let total = bytes.withUnsafeBytes { Int(AWSEventStreamDecoder.u32(UnsafeRawBufferPointer(rebasing: $0[i...]), 0)) }
        let prelude = CRC32.checksum(bytes[i..<i + 8])
        for k in 0..<4 { bytes[i + 8 + k] = UInt8(truncatingIfNeeded: prelude >> UInt32(24 - 8 * k)) }
        guard total >= 16, i + total <= bytes.count else { break }
        let crc = CRC32.checksum(bytes[i..<i + total - 4])
        for k in 0..<4 { bytes[i + total - 4 + k] = UInt8(truncatingIfNeeded: crc >> UInt32(24 - 8 * k)) }
        i += total
    }
    return bytes
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAWSEventStream(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var run = DecoderRun(bytes(data, size))
    let input = run.bits.flag() ? withCRCsFixed(bytes(data, size)) : bytes(data, size)
    let bedrockBytes = run.bits.flag()
    let (result, _) = checkDecoder(input, format: "aws-eventstream", run: run) { AWSEventStreamDecoder(bedrockBytes: bedrockBytes) }
    if run.skipBad || bedrockBytes { return 0 }

    // The encoder writes back exactly what was read.
    var encoder = AWSEventStreamEncoder()
    var out: [UInt8] = []
    for record in result.records {
        expect(record.kind == .event && record.headers != nil, "aws-eventstream: a record without headers: \(record)")
        do { try encoder.encode(record, into: &out) } catch { fail("aws-eventstream: a decoded record cannot be encoded: \(error)") }
    }
    if result.error == nil {
        expect(out == input, "aws-eventstream: encode(decode(input)) != input: \(show(input))")
    } else {
        expect(
            out.count <= input.count && Array(input.prefix(out.count)) == out,
            "aws-eventstream: the messages before the error do not re-encode to the input's prefix: \(show(input))")
    }

    // Through the envelope and back.
    var wrap = EnvelopeWrapTransform()
    var unwrap = EnvelopeUnwrapTransform()
    for record in result.records {
        var current = record
        do {
            _ = try wrap.apply(&current, line: nil)
            let envelope = current
            _ = try unwrap.apply(&current, line: nil)
            expect(current == record, "aws-eventstream: envelope \(envelope.text) gives \(current), not \(record)")
        } catch {
            fail("aws-eventstream: the envelope refuses \(record): \(error)")
        }
    }
    return 0
}
