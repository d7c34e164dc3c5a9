// Shared support for the libFuzzer targets in Fuzz/Targets (compiled into every target by
// Fuzz/run.sh, against StreamCodec built with -enable-testing so internal symbols are visible).
//
// Every target checks invariants beyond "no crash"; a broken invariant prints what broke and
// aborts, which libFuzzer records as a crash (the input is saved under fuzz-out/artifacts).
// Parameters (split points, record limits, options) are derived from a hash of the input, so a
// raw stream (a fixture file) is a valid seed and every saved input reproduces exactly.
@testable import StreamCodecCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Failing

/// Prints `message` and aborts: libFuzzer reports a "deadly signal" and saves the input.
func fail(_ message: String) -> Never {
    fputs("\n==== FUZZ INVARIANT BROKEN ====\n\(message)\n", stderr)
    abort()
}

@inline(__always)
func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail(message()) }
}

/// Bugs the targets found, which they can be told to tolerate (`FUZZ_TOLERATE_KNOWN=1`) so that
/// fuzzing can go on past a reported, not yet fixed one. All four below are fixed, each covered by
/// a regression test, so by default nothing is tolerated (strict).
enum KnownBug: String, CaseIterable {
    /// Auto-detection buffers all leading JSON whitespace without bound (and rescans it on every
    /// read: quadratic). Tests/StreamCodecTests/HardeningRegressionTests.swift,
    /// "Auto-detection keeps memory bounded while the input is only whitespace".
    case autoDetectUnboundedWhitespace

    /// JSONScanner.reset() keeps the UTF-8 bounds of a sequence an error interrupted, so after a
    /// skipped bad record (--on-error skip) a valid multi-byte character split across reads can
    /// be rejected. HardeningRegressionTests.swift, "After a bad record is skipped, ...".
    case scannerResetKeepsUTF8Bounds

    /// Converter.takeWarnings() returns the transforms' warnings before the decoder's, so within
    /// one read the warnings are not in input order, and the order depends on the read sizes.
    /// HardeningRegressionTests.swift, "Warnings come out in input order whatever the reads".
    case warningOrder

    /// A record that is both over the limit and invalid further on gets "invalid JSON" when the
    /// whole record is in one read, but "record too large" when it arrives in pieces (the driver
    /// stops at the limit first). HardeningRegressionTests.swift, "An oversized invalid text ...".
    case errorAtLimitDependsOnReads

    var isTolerated: Bool { getenv("FUZZ_TOLERATE_KNOWN").map { String(cString: $0) == "1" } ?? false }
}

// MARK: - Deterministic randomness from the input

/// FNV-1a, 64 bits: the seed every parameter of a run is derived from.
func fnv1a<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return h
}

/// SplitMix64: small, fast, stable across platforms.
struct Rng {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A value in 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// The bits of the input's hash, read a few at a time.
struct Bits {
    var value: UInt64
    mutating func take(_ count: Int) -> Int {
        let r = Int(value & ((1 << UInt64(count)) - 1))
        value >>= UInt64(count)
        return r
    }
    mutating func flag() -> Bool { take(1) == 1 }
}

// MARK: - Splitting an input into appends

/// Piece lengths that cut `count` bytes into appends.
struct Split: CustomStringConvertible {
    var name: String
    var lengths: [Int]
    var description: String { "\(name) \(lengths.count > 24 ? "\(lengths.prefix(24))..." : "\(lengths)")" }
    var largest: Int { lengths.max() ?? 0 }

    static func whole(_ count: Int) -> Split { Split(name: "whole", lengths: [count]) }
    static func bytewise(_ count: Int) -> Split { Split(name: "bytewise", lengths: Array(repeating: 1, count: count)) }
    static func two(_ count: Int, at cut: Int) -> Split {
        Split(name: "two pieces at \(cut)", lengths: cut <= 0 || cut >= count ? [count] : [cut, count - cut])
    }
    /// Random pieces of 1...maxPiece bytes.
    static func random(_ count: Int, seed: UInt64, maxPiece: Int) -> Split {
        var rng = Rng(seed: seed)
        var lengths: [Int] = []
        var left = count
        while left > 0 {
            let n = min(left, 1 + rng.below(maxPiece))
            lengths.append(n)
            left -= n
        }
        return Split(name: "random pieces up to \(maxPiece) (seed \(seed))", lengths: lengths)
    }
}

// MARK: - Heap measurement (AddressSanitizer's allocator statistics)

/// Bytes currently allocated on the heap, from AddressSanitizer; nil when not running under it.
let currentHeapBytes: (() -> Int)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__sanitizer_get_current_allocated_bytes") else { return nil }
    let function = unsafeBitCast(symbol, to: (@convention(c) () -> Int).self)
    return { function() }
}()

// MARK: - Decoding with a driver

/// What one decode produced.
struct DecodeResult: Equatable, CustomStringConvertible {
    var records: [Record] = []
    var error: StreamCodecError?
    var warnings: [StreamCodecWarning] = []

    var description: String {
        "\(records.count) records \(records.prefix(6))\(records.count > 6 ? "..." : ""), error \(error.map { "\($0.code) line \($0.line.map(String.init) ?? "-") offset \($0.byteOffset.map(String.init) ?? "-"): \($0.message)" } ?? "none"), warnings \(warnings)"
    }

    /// Equal as the StreamDecoder contract requires whatever the split: the same records, the
    /// same error (code, message, line; the byte offset too unless the record was too large,
    /// where it names the point the driver noticed) and the same warnings.
    func sameAs(_ other: DecodeResult) -> Bool {
        guard records == other.records, warnings == other.warnings else { return false }
        switch (error, other.error) {
        case (nil, nil): return true
        case (let a?, let b?):
            if a.code != b.code || a.message != b.message { return false }
            if a.code == .recordTooLarge { return true }
            return a.line == b.line && a.byteOffset == b.byteOffset
        default: return false
        }
    }
}

/// A digest of one record (for runs that must not keep the records, to measure the heap).
func digest(_ r: Record) -> UInt64 {
    var h = fnv1a(r.data)
    h = (h &* 31) ^ UInt64(r.kind == .event ? 1 : r.kind == .json ? 2 : r.kind == .control ? 3 : 4)
    h = (h &* 31) ^ (r.event.map { fnv1a($0.utf8) ^ 0x55 } ?? 7)
    h = (h &* 31) ^ (r.id.map { fnv1a($0.utf8) ^ 0xAA } ?? 11)
    h = (h &* 31) ^ (r.retry.map { fnv1a($0.utf8) ^ 0x1234 } ?? 13)
    return h
}

/// Decodes `input` cut by `split`, keeping everything.
func decode<D: StreamDecoder>(_ input: [UInt8], _ split: Split, limit: Int, skipBad: Bool, _ make: () -> D) -> (DecodeResult, D) {
    var driver = DecodingDriver(decoder: make(), maxRecordBytes: limit)
    driver.skipsBadRecords = skipBad
    var result = DecodeResult()
    var start = 0
    do throws(StreamCodecError) {
        for length in split.lengths {
            driver.append(input[start..<start + length])
            start += length
            while let record = try driver.next() { result.records.append(record) }
        }
        driver.finishInput()
        while let record = try driver.next() { result.records.append(record) }
    } catch {
        result.error = error
    }
    result.warnings = driver.takeWarnings()
    return (result, driver.decoder)
}

/// What a memory-checked decode produced (records as digests only).
struct BoundedResult {
    var digests: [UInt64] = []
    var error: StreamCodecError?
    /// A record was skipped for invalid UTF-8 (see KnownBug.scannerResetKeepsUTF8Bounds).
    var skippedInvalidUTF8 = false
}

/// Decodes with a small record limit and checks, after every append and every record, that
/// memory stays bounded by the limit plus one append: `bufferedByteCount` and `heldByteCount`
/// never exceed `limit + piece`, their sum is at most `limit` whenever the driver asks for more
/// input, and the heap (AddressSanitizer's count) grows by at most a constant factor of that.
func decodeBounded<D: StreamDecoder>(
    _ input: [UInt8], _ split: Split, limit: Int, skipBad: Bool, format: String,
    _ make: () -> D
) -> BoundedResult {
    var result = BoundedResult()
    result.digests.reserveCapacity(input.count + 1)
    let heapBefore = currentHeapBytes?() ?? 0
    let heapAllowance = 16 * (limit + split.largest) + 256 * 1024
    var driver = DecodingDriver(decoder: make(), maxRecordBytes: limit)
    driver.skipsBadRecords = skipBad
    var start = 0
    func checkMemory(_ piece: Int, _ when: String) {
        let buffered = driver.bufferedByteCount
        let held = driver.decoder.heldByteCount
        expect(
            buffered <= limit + piece, "\(format): bufferedByteCount \(buffered) > limit \(limit) + piece \(piece) \(when) (split \(split))"
        )
        expect(held <= limit + piece, "\(format): heldByteCount \(held) > limit \(limit) + piece \(piece) \(when) (split \(split))")
        if let heap = currentHeapBytes?() {
            expect(
                heap - heapBefore <= heapAllowance,
                "\(format): the heap grew by \(heap - heapBefore) bytes > \(heapAllowance) (limit \(limit), piece \(piece)) \(when) (split \(split))"
            )
        }
    }
    do throws(StreamCodecError) {
        for length in split.lengths {
            driver.append(input[start..<start + length])
            start += length
            checkMemory(length, "after an append")
            while let record = try driver.next() {
                result.digests.append(digest(record))
                checkMemory(length, "after a record")
            }
            let idle = driver.bufferedByteCount + driver.decoder.heldByteCount
            expect(idle <= limit, "\(format): \(idle) bytes buffered + held > limit \(limit) while waiting for input (split \(split))")
            // Warnings are taken as they come, as the Converter does.
            if driver.takeWarnings().contains(where: { $0.message.contains("invalid UTF-8") }) { result.skippedInvalidUTF8 = true }
        }
        driver.finishInput()
        while let record = try driver.next() {
            result.digests.append(digest(record))
            checkMemory(0, "after a final record")
        }
    } catch {
        result.error = error
    }
    return result
}

// MARK: - The common decoder check

/// Options every decoder target derives from the input's hash.
struct DecoderRun {
    var smallLimit: Int
    var skipBad: Bool
    var randomMaxPiece: Int
    var cut: Int
    var seed: UInt64
    var bits: Bits

    init(_ input: [UInt8]) {
        let h = fnv1a(input)
        var bits = Bits(value: h)
        smallLimit = [4096, 1024, 256, 64][bits.take(2)]
        skipBad = bits.take(2) == 0
        randomMaxPiece = [1, 2, 3, 7, 16, 64, 512, 4096][bits.take(3)]
        cut = input.isEmpty ? 0 : Int((h >> 40) % UInt64(input.count))
        seed = h ^ 0x5EED
        self.bits = bits
    }
}

/// Decodes `input` whole, in random pieces, in two pieces and (when short) byte by byte with a
/// large limit, and expects identical results; then with a small limit, whole and in random
/// pieces, checking the memory bound, and expects the records of the large-limit run (all of
/// them, or a prefix when the small limit stopped the stream). Returns the whole-input result.
@discardableResult
func checkDecoder<D: StreamDecoder>(_ input: [UInt8], format: String, run: DecoderRun, _ make: () -> D) -> (DecodeResult, D) {
    let bigLimit = 1 << 20
    let (reference, decoder) = decode(input, .whole(input.count), limit: bigLimit, skipBad: run.skipBad, make)
    var splits = [Split.random(input.count, seed: run.seed, maxPiece: run.randomMaxPiece), .two(input.count, at: run.cut)]
    if input.count <= 300 { splits.append(.bytewise(input.count)) }
    // A skipped record with invalid UTF-8 may leave the scanner in a state that rejects a later
    // valid record depending on the split (KnownBug.scannerResetKeepsUTF8Bounds).
    func hitsStaleUTF8Bounds(_ r: DecodeResult) -> Bool {
        run.skipBad && KnownBug.scannerResetKeepsUTF8Bounds.isTolerated && r.warnings.contains { $0.message.contains("invalid UTF-8") }
    }
    for split in splits {
        let (result, _) = decode(input, split, limit: bigLimit, skipBad: run.skipBad, make)
        if !result.sameAs(reference) && (hitsStaleUTF8Bounds(result) || hitsStaleUTF8Bounds(reference)) { continue }
        expect(
            result.sameAs(reference),
            """
            \(format): split-dependent result (skip bad records: \(run.skipBad))
              whole: \(reference)
              \(split): \(result)
            """)
    }
    for record in reference.records {
        expect(record.data.count <= 3 * bigLimit, "\(format): a record of \(record.data.count) bytes from a limit of \(bigLimit)")
    }

    // The small limit: memory bounded, and no record lost or changed by it.
    let small = run.smallLimit
    let wholeSmall = decodeBounded(input, .whole(input.count), limit: small, skipBad: run.skipBad, format: format, make)
    let splitSmall = decodeBounded(
        input, .random(input.count, seed: run.seed &+ 1, maxPiece: run.randomMaxPiece),
        limit: small, skipBad: run.skipBad, format: format, make)
    let staleUTF8 =
        run.skipBad && KnownBug.scannerResetKeepsUTF8Bounds.isTolerated && (wholeSmall.skippedInvalidUTF8 || splitSmall.skippedInvalidUTF8)
    expect(
        staleUTF8 || wholeSmall.digests == splitSmall.digests && (wholeSmall.error == nil) == (splitSmall.error == nil),
        """
        \(format): with a limit of \(small), the records depend on the split: whole \(wholeSmall.digests.count) records, \
        error \(String(describing: wholeSmall.error)); split \(splitSmall.digests.count) records, error \(String(describing: splitSmall.error))
        """)
    if !staleUTF8, let a = wholeSmall.error, let b = splitSmall.error, a.code != .recordTooLarge && b.code != .recordTooLarge {
        expect(a.code == b.code, "\(format): with a limit of \(small), error \(a.code) whole but \(b.code) split")
    }
    if !run.skipBad {
        let bigDigests = reference.records.map(digest)
        let n = wholeSmall.digests.count
        expect(
            n <= bigDigests.count && Array(bigDigests.prefix(n)) == wholeSmall.digests,
            "\(format): with a limit of \(small) the records are not a prefix of those with a limit of \(bigLimit) (\(n) vs \(bigDigests.count)); large: \(reference)"
        )
        if wholeSmall.error == nil || wholeSmall.error!.code != .recordTooLarge {
            expect(
                n == bigDigests.count && wholeSmall.error?.code == reference.error?.code,
                """
                \(format): a limit of \(small) that was never exceeded changed the result: \(n) records, error \
                \(String(describing: wholeSmall.error)); with \(bigLimit): \(reference)
                """)
        }
    }
    return (reference, decoder)
}

/// JSON records must be valid, minified RFC 8259 texts: minifying one again gives it back.
func checkMinifiedJSON(_ records: [Record], format: String, maxDepth: Int) {
    for record in records {
        expect(record.kind == .json, "\(format): a \(record.kind) record")
        do {
            let again = try JSONText.minified(record.data, maxDepth: maxDepth)
            expect(
                again == record.data,
                "\(format): record \(record.text.debugDescription) is not minified: \(String(decoding: again, as: UTF8.self).debugDescription)"
            )
        } catch {
            fail("\(format): record \(record.text.debugDescription) is not valid JSON: \(error)")
        }
    }
}

/// Encodes `records` with `encoder`, decodes the bytes with `decoder`, and expects the records back.
func checkReencode<E: StreamEncoder, D: StreamDecoder>(_ records: [Record], format: String, _ encoder: E, _ makeDecoder: () -> D) {
    var encoder = encoder
    var bytes: [UInt8] = []
    do {
        try encoder.start(into: &bytes)
        for record in records { try encoder.encode(record, into: &bytes) }
        try encoder.finish(into: &bytes)
    } catch {
        fail("\(format): records decoded from the input cannot be encoded again: \(error)")
    }
    let (again, _) = decode(bytes, .whole(bytes.count), limit: 1 << 22, skipBad: false, makeDecoder)
    expect(
        again.error == nil && again.records == records,
        """
        \(format): decode(encode(records)) != records
          encoded: \(String(decoding: bytes.prefix(400), as: UTF8.self).debugDescription)
          records: \(records.prefix(6))
          again:   \(again)
        """)
}

/// A short, printable form of some bytes for messages.
func show(_ bytes: [UInt8]) -> String {
    String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription + (bytes.count > 300 ? "...(\(bytes.count) bytes)" : "")
}

/// The input as bytes (libFuzzer passes a null pointer for the empty input).
func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}
