import StreamCodec
// Docs/Formats.md, "Conversions (data mode, the default)", "How a stream ends" and "Bad records":
// the rules of data mode are one contract, whatever code path a converter takes. A converter made
// from two formats may take a specialised loop for the commonest pairs (SSE to NDJSON or json-seq,
// NDJSON, stream+json, json-seq or json-array to NDJSON, json-seq or SSE); a converter assembled from the same decoder, the same
// `DataModeTransform` and the same encoder with `Converter(makeDecoder:transforms:encoder:...)`
// takes the general one. Both must give the same bytes, error, warnings, skip count and stop, for
// generated inputs with broken JSON, the done marker, control blocks, comments, oversized records
// and every error policy, however the input is split.
import Testing

private struct Variant: Sendable, CustomTestStringConvertible {
    var nonJSON: DataModeTransform.NonJSONPolicy
    var onError: ConversionOptions.ErrorPolicy
    var maxRecordBytes: Int
    var testDescription: String { "nonJSON \(nonJSON), onError \(onError), limit \(maxRecordBytes)" }
}

private let variants: [Variant] = [
    Variant(nonJSON: .fail, onError: .fail, maxRecordBytes: 16 << 20),
    Variant(nonJSON: .fail, onError: .skip, maxRecordBytes: 48),
    Variant(nonJSON: .skip, onError: .fail, maxRecordBytes: 16 << 20),
    Variant(nonJSON: .string, onError: .skip, maxRecordBytes: 64),
]

/// Runs `input` through both converters with the same chunkings and expects the same results.
private func expectAgreement(
    _ input: [UInt8], seed: UInt64, label: String,
    named: () throws -> Converter, assembled: () -> Converter,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> LosslessRun {
    var first: LosslessRun?
    for chunking in quickChunkings(for: input.count, seed: seed) {
        let a = try runConverter(input, chunking: chunking, make: named)
        let b = try runConverter(input, chunking: chunking, make: assembled)
        #expect(
            a.withoutErrorOffset == b.withoutErrorOffset,
            "\(label), split as \(chunking): input \(String(decoding: input, as: UTF8.self).debugDescription)\nnamed formats gave \(a)\nassembled gave     \(b)",
            sourceLocation: sourceLocation)
        if a.withoutErrorOffset != b.withoutErrorOffset { break }
        if first == nil { first = a }
        #expect(
            a.withoutErrorOffset == first!.withoutErrorOffset, "\(label): split as \(chunking) gave \(a), whole gave \(first!)",
            sourceLocation: sourceLocation)
    }
    return first ?? LosslessRun()
}

/// `expectAgreement` for a JSON-family source in data mode to NDJSON, json-seq or SSE; returns
/// the outcome (an error code, "skipped" or "ok").
private func expectJSONAgreement(
    _ input: [UInt8], seed: UInt64, from source: String, to target: String, variant: Variant,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ makeDecoder: @escaping () -> any StreamDecoder
) throws -> String {
    let options = conversionOptions {
        $0.onError = variant.onError
        $0.maxRecordBytes = variant.maxRecordBytes
    }
    let makeEncoder: () -> any StreamEncoder
    switch target {
    case "ndjson": makeEncoder = { JSONLinesEncoder() }
    case "sse": makeEncoder = { SSEEncoder() }
    default: makeEncoder = { JSONSeqEncoder() }
    }
    let run = try expectAgreement(
        input, seed: seed, label: "seed \(seed), -f \(source) -t \(target), \(variant.testDescription)",
        named: { try Converter(from: source, to: target, options: options) },
        assembled: {
            Converter(
                makeDecoder: makeDecoder,
                transforms: [DataModeTransform(target: target == "sse" ? .eventStream : .json)],
                encoder: makeEncoder(), maxRecordBytes: variant.maxRecordBytes, onError: variant.onError)
        }, sourceLocation: sourceLocation)
    return run.error.map { "\($0.code)" } ?? (run.skippedCount > 0 ? "skipped" : "ok")
}

@Suite("Data mode: every converter gives the same result")
struct LosslessDataModeAgreementTests {
    @Test("SSE to NDJSON and json-seq: converters made from format names agree with assembled ones", arguments: variants)
    fileprivate func sseToJSON(variant: Variant) throws {
        var outcomes = Set<String>()
        for i in 0..<160 {
            let seed = 300_000 + UInt64(i)
            var generator = GeneratedJSON(seed: seed)
            let input = generator.jsonEvents()
            for target in ["ndjson", "json-seq"] {
                let options = conversionOptions {
                    $0.nonJSON = variant.nonJSON
                    $0.onError = variant.onError
                    $0.maxRecordBytes = variant.maxRecordBytes
                }
                let run = try expectAgreement(
                    input, seed: seed, label: "seed \(seed), -t \(target), \(variant.testDescription)",
                    named: { try Converter(from: "sse", to: target, options: options) },
                    assembled: {
                        Converter(
                            makeDecoder: { SSEDecoder() },
                            transforms: [DataModeTransform(target: .json, nonJSON: variant.nonJSON)],
                            encoder: target == "ndjson" ? JSONLinesEncoder() as any StreamEncoder : JSONSeqEncoder(),
                            maxRecordBytes: variant.maxRecordBytes, onError: variant.onError)
                    })
                outcomes.insert(run.error.map { "\($0.code)" } ?? (run.isStopped ? "stopped" : run.skippedCount > 0 ? "skipped" : "ok"))
            }
        }
        // The generated streams reach the interesting outcomes, so agreement is not vacuous.
        #expect(outcomes.count >= 2, "\(outcomes)")
    }

    @Test("NDJSON to NDJSON, json-seq and SSE: converters made from format names agree with assembled ones", arguments: variants)
    fileprivate func ndjsonToAny(variant: Variant) throws {
        var outcomes = Set<String>()
        for i in 0..<160 {
            let seed = 400_000 + UInt64(i)
            var generator = GeneratedJSON(seed: seed)
            let input = generator.brokenNDJSON()
            for target in ["ndjson", "json-seq", "sse"] {
                outcomes.insert(
                    try expectJSONAgreement(input, seed: seed, from: "ndjson", to: target, variant: variant) { NDJSONDecoder() })
            }
        }
        #expect(outcomes.count >= 2, "\(outcomes)")
    }

    @Test(
        "stream+json, json-seq and json-array to NDJSON, json-seq and SSE: converters made from format names agree with assembled ones",
        arguments: variants)
    fileprivate func jsonStreamsToAny(variant: Variant) throws {
        var outcomes = Set<String>()
        for i in 0..<120 {
            let seed = 600_000 + UInt64(i)
            var generator = GeneratedJSON(seed: seed)
            let lines = generator.brokenNDJSON().split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            // The same texts in each format: one per line; after RS; as the elements of an array.
            let inputs: [(String, [UInt8], () -> any StreamDecoder)] = [
                ("stream-json", Array(lines.joined(separator: [0x0A])), { StreamJSONDecoder() }),
                ("json-seq", lines.flatMap { [0x1E] + $0 + [0x0A] }, { JSONSeqDecoder() }),
                ("json-array", [0x5B] + Array(lines.joined(separator: [0x2C, 0x0A])) + [0x5D], { JSONArrayDecoder() }),
            ]
            for (source, input, makeDecoder) in inputs {
                for target in ["ndjson", "json-seq", "sse"] {
                    outcomes.insert(try expectJSONAgreement(input, seed: seed, from: source, to: target, variant: variant, makeDecoder))
                }
            }
        }
        #expect(outcomes.count >= 2, "\(outcomes)")
    }

    @Test("the broken-JSON generators break JSON in several ways and keep most records valid")
    func generatorsBreakJSON() throws {
        var codes = Set<String>()
        var good = 0
        var bad = 0
        for i in 0..<400 {
            var generator = GeneratedJSON(seed: 500_000 + UInt64(i))
            let input = generator.brokenNDJSON()
            var driver = DecodingDriver(decoder: NDJSONDecoder())
            driver.skipsBadRecords = true
            driver.append(input)
            driver.finishInput()
            do { while try driver.next() != nil { good += 1 } } catch { codes.insert("\(error.code)") }
            bad += driver.skippedCount
            for warning in driver.takeWarnings() where warning.message.hasPrefix("skipped: ") {
                codes.insert(String(warning.message.dropFirst(9).prefix(24)))
            }
        }
        #expect(good > 2 * bad && bad > 100, "\(good) good, \(bad) bad")
        #expect(codes.count >= 4, "\(codes)")
    }
}
