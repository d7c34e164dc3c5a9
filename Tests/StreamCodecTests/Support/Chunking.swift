import StreamCodec
// Shared test support: feed one input to a decoder (or a converter) split in many different
// ways and check that the same records come out whatever the split.
//
// Every decoder is incremental (the StreamDecoder contract: "Results never depend on how the
// input was split"), so each decoder test drives its input through `decodeEveryWay`, which
// decodes it
//   (a) whole, in one append,
//   (b) one byte per append,
//   (c) at deterministic pseudo-random split points (seeded SplitMix64; the seed and the cut
//       offsets are printed in every failure message), and
//   (d) for short inputs, cut in two at every possible offset,
// and expects identical records, error and warnings from all of them.
import Testing

/// The UTF-8 bytes of `text`.
func u8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A small deterministic generator (SplitMix64), so split points are the same on every run
/// and every platform (the standard library's `random(in:using:)` algorithm is not promised
/// to be stable).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A value in `0..<bound` (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// How an input is cut into appends: the offsets where a new append starts.
struct Chunking: CustomStringConvertible, Sendable {
    var name: String
    /// Strictly increasing offsets in 1..<count.
    var cuts: [Int]

    var description: String { "\(name) (cuts at \(cuts.count > 40 ? "\(cuts.prefix(40))..." : "\(cuts)"))" }

    static let whole = Chunking(name: "whole input", cuts: [])

    static func bytewise(_ count: Int) -> Chunking {
        Chunking(name: "one byte at a time", cuts: count > 1 ? Array(1..<count) : [])
    }

    /// Pieces of `size` bytes (the last one shorter).
    static func pieces(_ count: Int, size: Int) -> Chunking {
        Chunking(name: "pieces of \(size) bytes", cuts: Array(stride(from: size, to: count, by: size)))
    }

    /// A few random cut points anywhere in the input.
    static func randomCuts(_ count: Int, seed: UInt64) -> Chunking {
        var rng = SplitMix64(seed: seed)
        guard count > 1 else { return Chunking(name: "random cuts, seed \(seed)", cuts: []) }
        let wanted = 1 + rng.below(min(8, count - 1))
        var set = Set<Int>()
        while set.count < wanted { set.insert(1 + rng.below(count - 1)) }
        return Chunking(name: "random cuts, seed \(seed)", cuts: set.sorted())
    }

    /// Many small random pieces of 1 to 7 bytes.
    static func randomSmallPieces(_ count: Int, seed: UInt64) -> Chunking {
        var rng = SplitMix64(seed: seed)
        var cuts: [Int] = []
        var at = 1 + rng.below(7)
        while at < count {
            cuts.append(at)
            at += 1 + rng.below(7)
        }
        return Chunking(name: "random small pieces, seed \(seed)", cuts: cuts)
    }

    /// The input cut in two at `offset`.
    static func twoPieces(at offset: Int) -> Chunking {
        Chunking(name: "two pieces at \(offset)", cuts: [offset])
    }

    /// Every chunking a decoder test uses for an input of `count` bytes.
    static func all(for count: Int) -> [Chunking] {
        var list: [Chunking] = [.whole, .bytewise(count)]
        for seed: UInt64 in [1, 2, 3, 0x5EED] { list.append(.randomCuts(count, seed: seed)) }
        for seed: UInt64 in [11, 12, 0xC0FFEE] { list.append(.randomSmallPieces(count, seed: seed)) }
        if count <= 256 && count > 1 { for offset in 1..<count { list.append(.twoPieces(at: offset)) } }
        return list
    }

    /// `bytes` cut at `cuts`.
    func pieces(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        for cut in cuts where cut > start && cut < bytes.count {
            result.append(bytes[start..<cut])
            start = cut
        }
        result.append(bytes[start..<bytes.count])
        return result
    }
}

/// What decoding one input produced: the records in order, the error that stopped it (if
/// any) and the warnings reported.
struct Decoded: Equatable, CustomStringConvertible {
    var records: [Record] = []
    var error: StreamCodecError?
    var warnings: [StreamCodecWarning] = []

    var description: String {
        "records \(records), error \(error.map { "\($0.code): \($0) [line \($0.line.map(String.init) ?? "nil")]" } ?? "none"), warnings \(warnings)"
    }

    /// The same result with the error's byte offset dropped (for errors whose offset names
    /// where the driver noticed the problem, which depends on the split).
    var withoutErrorOffset: Decoded {
        var copy = self
        copy.error?.byteOffset = nil
        return copy
    }

    /// The records' texts.
    var texts: [String] { records.map(\.text) }
}

/// Decodes `input` cut as `chunking` through a `DecodingDriver`: each piece is appended and
/// `next()` is called until it returns nil; then (when `finish`) `finishInput()` and `next()`
/// until nil. Stops at the first error. Returns the result and the decoder's final state.
func decode<D: StreamDecoder>(
    _ input: [UInt8], chunking: Chunking = .whole, maxRecordBytes: Int = 16 << 20,
    finish: Bool = true, _ makeDecoder: () -> D
) -> (Decoded, D) {
    var driver = DecodingDriver(decoder: makeDecoder(), maxRecordBytes: maxRecordBytes)
    var result = Decoded()
    do throws(StreamCodecError) {
        for piece in chunking.pieces(of: input) {
            driver.append(piece)
            while let record = try driver.next() { result.records.append(record) }
        }
        if finish {
            driver.finishInput()
            while let record = try driver.next() { result.records.append(record) }
        }
    } catch {
        result.error = error
    }
    result.warnings = driver.takeWarnings()
    return (result, driver.decoder)
}

/// Decodes `input` with every chunking of ``Chunking/all(for:)`` (or `chunkings`) and expects the same result
/// from each; returns the result of the whole input (and the decoder after it).
///
/// - Parameter compareErrorOffsets: false for errors whose byte offset legitimately depends on
///   when the driver noticed them (`recordTooLarge`); codes, messages and lines still must match.
@discardableResult
func decodeEveryWay<D: StreamDecoder>(
    _ input: [UInt8], maxRecordBytes: Int = 16 << 20, compareErrorOffsets: Bool = true,
    chunkings: [Chunking]? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ makeDecoder: () -> D
) -> (Decoded, D) {
    let (reference, decoder) = decode(input, chunking: .whole, maxRecordBytes: maxRecordBytes, makeDecoder)
    for chunking in chunkings ?? Array(Chunking.all(for: input.count).dropFirst()) {
        let (result, _) = decode(input, chunking: chunking, maxRecordBytes: maxRecordBytes, makeDecoder)
        let same = compareErrorOffsets ? result == reference : result.withoutErrorOffset == reference.withoutErrorOffset
        #expect(
            same,
            "input \(String(decoding: input.prefix(200), as: UTF8.self).debugDescription) split as \(chunking) gave \(result), but whole it gave \(reference)",
            sourceLocation: sourceLocation)
        if !same { break } // one counter-example is enough
    }
    return (reference, decoder)
}

@discardableResult
func decodeEveryWay<D: StreamDecoder>(
    _ input: String, maxRecordBytes: Int = 16 << 20, compareErrorOffsets: Bool = true,
    chunkings: [Chunking]? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ makeDecoder: () -> D
) -> (Decoded, D) {
    decodeEveryWay(
        u8(input), maxRecordBytes: maxRecordBytes, compareErrorOffsets: compareErrorOffsets,
        chunkings: chunkings, sourceLocation: sourceLocation, makeDecoder)
}

/// What a conversion produced: all output bytes written (also those before an error), the
/// error, the warnings, and whether the output was stopped (`[DONE]`).
struct Converted: Equatable, CustomStringConvertible {
    var output: [UInt8] = []
    var error: StreamCodecError?
    var warnings: [StreamCodecWarning] = []
    var isStopped = false

    var text: String { String(decoding: output, as: UTF8.self) }
    var description: String {
        "output \(text.debugDescription), error \(error.map { "\($0.code): \($0)" } ?? "none"), warnings \(warnings), stopped \(isStopped)"
    }
}

/// Converts `input` cut as `chunking`: `convert` per piece, then `finish`.
func convert(_ input: [UInt8], chunking: Chunking = .whole, _ makeConverter: () throws -> Converter) rethrows -> Converted {
    var converter = try makeConverter()
    var result = Converted()
    do throws(StreamCodecError) {
        for piece in chunking.pieces(of: input) { try converter.convert(piece, into: &result.output) }
        try converter.finish(into: &result.output)
    } catch {
        result.error = error
    }
    result.warnings = converter.takeWarnings()
    result.isStopped = converter.isStopped
    return result
}

/// Converts `input` with every chunking and expects the same output from each; returns the
/// result of the whole input.
@discardableResult
func convertEveryWay(
    _ input: [UInt8], chunkings: [Chunking]? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ makeConverter: () throws -> Converter
) throws -> Converted {
    let reference = try convert(input, chunking: .whole, makeConverter)
    for chunking in chunkings ?? Array(Chunking.all(for: input.count).dropFirst()) {
        let result = try convert(input, chunking: chunking, makeConverter)
        #expect(
            result == reference,
            "input \(String(decoding: input.prefix(200), as: UTF8.self).debugDescription) split as \(chunking) gave \(result), but whole it gave \(reference)",
            sourceLocation: sourceLocation)
        if result != reference { break }
    }
    return reference
}

@discardableResult
func convertEveryWay(
    _ input: String, chunkings: [Chunking]? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ makeConverter: () throws -> Converter
) throws -> Converted {
    try convertEveryWay(u8(input), chunkings: chunkings, sourceLocation: sourceLocation, makeConverter)
}
