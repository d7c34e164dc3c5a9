import StreamCodec
// Two more ways to drive a decoder with every chunking of ``Chunking/all(for:)``, next to
// `decodeEveryWay`:
// - with the skip policy (`DecodingDriver.skipsBadRecords`), for the formats' recovery rules;
// - without ending the input, for "a record is emitted the moment it is complete".
import Testing

/// What decoding with `skipsBadRecords` produced, and how many records were skipped.
struct SkipDecoded: Equatable, CustomStringConvertible {
    var decoded: Decoded
    var skipped: Int
    var description: String { "\(decoded), skipped \(skipped)" }
}

/// Decodes `input` cut as `chunking` with the skip policy on, then ends the input.
func decodeSkipping<D: StreamDecoder>(
    _ input: [UInt8], chunking: Chunking, maxRecordBytes: Int,
    _ makeDecoder: () -> D
) -> SkipDecoded {
    var driver = DecodingDriver(decoder: makeDecoder(), maxRecordBytes: maxRecordBytes)
    driver.skipsBadRecords = true
    var result = Decoded()
    do throws(StreamCodecError) {
        for piece in chunking.pieces(of: input) {
            driver.append(piece)
            while let record = try driver.next() { result.records.append(record) }
        }
        driver.finishInput()
        while let record = try driver.next() { result.records.append(record) }
    } catch {
        result.error = error
    }
    result.warnings = driver.takeWarnings()
    return SkipDecoded(decoded: result, skipped: driver.skippedCount)
}

/// `decodeEveryWay` with the skip policy on: every chunking must give the same records,
/// error, warnings and skip count. Returns the result of the whole input.
@discardableResult
func decodeEveryWaySkipping<D: StreamDecoder>(
    _ input: String, maxRecordBytes: Int = 16 << 20,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ makeDecoder: () -> D
) -> SkipDecoded {
    let bytes = u8(input)
    let reference = decodeSkipping(bytes, chunking: .whole, maxRecordBytes: maxRecordBytes, makeDecoder)
    for chunking in Chunking.all(for: bytes.count).dropFirst() {
        let result = decodeSkipping(bytes, chunking: chunking, maxRecordBytes: maxRecordBytes, makeDecoder)
        #expect(
            result == reference, "input \(input.debugDescription) split as \(chunking) gave \(result), but whole it gave \(reference)",
            sourceLocation: sourceLocation)
        if result != reference { break }
    }
    return reference
}

/// The records (and error) that `input` gives before the end of input is signalled, with
/// every chunking: what a reader sees while the stream is still open. Returns the whole-input
/// result.
@discardableResult
func decodeEveryWayWithoutEnd<D: StreamDecoder>(
    _ input: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ makeDecoder: () -> D
) -> Decoded {
    let bytes = u8(input)
    let (reference, _) = decode(bytes, chunking: .whole, finish: false, makeDecoder)
    for chunking in Chunking.all(for: bytes.count).dropFirst() {
        let (result, _) = decode(bytes, chunking: chunking, finish: false, makeDecoder)
        #expect(
            result == reference,
            "input \(input.debugDescription) (input not ended) split as \(chunking) gave \(result), but whole it gave \(reference)",
            sourceLocation: sourceLocation)
        if result != reference { break }
    }
    return reference
}
