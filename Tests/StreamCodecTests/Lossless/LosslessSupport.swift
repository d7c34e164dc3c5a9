import StreamCodec
// Support for the lossless-conversion tests (Docs/Formats.md, "Envelope mode", "Conversions",
// "How a stream ends", "Bad records"): run a public `Converter` over one input cut in many ways
// and insist that every cut gives the same output bytes, error, warnings, skip count and stop
// state; read back an event stream the way a browser sees it; and generate adversarial inputs.
import Testing

// MARK: - Running a converter over a chunking

/// Everything one conversion produced.
struct LosslessRun: Equatable, CustomStringConvertible {
    /// Every byte written, also those written before an error.
    var output: [UInt8] = []
    /// The error that stopped the conversion (from `convert` or `finish`).
    var error: StreamCodecError?
    /// The warnings taken from the converter after `finish` (or after the error).
    var warnings: [StreamCodecWarning] = []
    /// `Converter.skippedCount` at the end.
    var skippedCount = 0
    /// `Converter.isStopped` at the end.
    var isStopped = false

    var text: String { String(decoding: output, as: UTF8.self) }
    /// The output split into lines (LF), without the final empty piece.
    var lines: [String] {
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    var description: String {
        let shown = output.count > 600 ? String(decoding: output.prefix(600), as: UTF8.self) + "..." : text
        let err = error.map { "\($0.code): \($0) [line \($0.line.map(String.init) ?? "nil")]" } ?? "none"
        return "output \(shown.debugDescription), error \(err), warnings \(warnings), skipped \(skippedCount), stopped \(isStopped)"
    }

    /// The same run with the error's byte offset dropped (where the driver noticed an oversized
    /// record depends on the split; its code, message and line must not).
    var withoutErrorOffset: LosslessRun {
        var copy = self
        copy.error?.byteOffset = nil
        return copy
    }
}

/// Options built in place: `conversionOptions { $0.mode = .envelope }`.
func conversionOptions(_ configure: (inout ConversionOptions) -> Void = { _ in }) -> ConversionOptions {
    var options = ConversionOptions()
    configure(&options)
    return options
}

/// Converts `input` cut as `chunking` through `Converter(from:to:options:)`: `convert` per piece,
/// then `finish`; stops at the first error. `observe` sees the converter after every piece.
func runConverter(
    _ input: [UInt8], from: String, to: String, options: ConversionOptions,
    chunking: Chunking = .whole, observe: (Converter) -> Void = { _ in }
) throws -> LosslessRun {
    var converter = try Converter(from: from, to: to, options: options)
    var run = LosslessRun()
    do throws(StreamCodecError) {
        for piece in chunking.pieces(of: input) {
            try converter.convert(piece, into: &run.output)
            observe(converter)
        }
        try converter.finish(into: &run.output)
    } catch {
        run.error = error
    }
    run.warnings = converter.takeWarnings()
    run.skippedCount = converter.skippedCount
    run.isStopped = converter.isStopped
    return run
}

/// Converts `input` cut as `chunking` through the converter `make` builds (for converters made
/// with `Converter(makeDecoder:transforms:encoder:...)`); as ``runConverter(_:from:to:options:chunking:observe:)``.
func runConverter(_ input: [UInt8], chunking: Chunking, make: () throws -> Converter) throws -> LosslessRun {
    var converter = try make()
    var run = LosslessRun()
    do throws(StreamCodecError) {
        for piece in chunking.pieces(of: input) { try converter.convert(piece, into: &run.output) }
        try converter.finish(into: &run.output)
    } catch {
        run.error = error
    }
    run.warnings = converter.takeWarnings()
    run.skippedCount = converter.skippedCount
    run.isStopped = converter.isStopped
    return run
}

/// The chunkings of the fixture tests: whole, one byte at a time, random cuts and random small
/// pieces (``Chunking/all(for:)``, which also cuts inputs of up to 256 bytes in two at every
/// offset) and, for longer inputs, also cut in two at every offset up to `everyOffsetUpTo` and at
/// every 7th offset after it (to keep the suite fast).
func losslessChunkings(for count: Int, everyOffsetUpTo limit: Int = 2500) -> [Chunking] {
    var list = Chunking.all(for: count)
    if count > 256 {
        for offset in 1..<count where offset <= limit || offset % 7 == 0 { list.append(.twoPieces(at: offset)) }
    }
    return list
}

/// A few chunkings for bulk property tests: whole, one byte at a time, random cuts, random small
/// pieces and one random two-piece split, all derived from `seed`.
func quickChunkings(for count: Int, seed: UInt64) -> [Chunking] {
    var list: [Chunking] = [.whole, .bytewise(count), .randomCuts(count, seed: seed), .randomSmallPieces(count, seed: seed &+ 1)]
    if count > 1 {
        var rng = SplitMix64(seed: seed &+ 2)
        list.append(.twoPieces(at: 1 + rng.below(count - 1)))
    }
    return list
}

/// Converts `input` with every chunking and expects the same run from each (compared without the
/// error's byte offset when `ignoreErrorOffset`); returns the run of the whole input.
@discardableResult
func convertAllWays(
    _ input: [UInt8], from: String, to: String, options: ConversionOptions = ConversionOptions(),
    chunkings: [Chunking]? = nil, ignoreErrorOffset: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> LosslessRun {
    let reference = try runConverter(input, from: from, to: to, options: options)
    for chunking in chunkings ?? Array(losslessChunkings(for: input.count).dropFirst()) {
        let run = try runConverter(input, from: from, to: to, options: options, chunking: chunking)
        let same = ignoreErrorOffset ? run.withoutErrorOffset == reference.withoutErrorOffset : run == reference
        #expect(
            same,
            "-f \(from) -t \(to): input \(String(decoding: input.prefix(300), as: UTF8.self).debugDescription) split as \(chunking) gave \(run), but whole it gave \(reference)",
            sourceLocation: sourceLocation)
        if !same { break } // one counter-example is enough
    }
    return reference
}

@discardableResult
func convertAllWays(
    _ input: String, from: String, to: String, options: ConversionOptions = ConversionOptions(),
    chunkings: [Chunking]? = nil, ignoreErrorOffset: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> LosslessRun {
    try convertAllWays(
        u8(input), from: from, to: to, options: options, chunkings: chunkings,
        ignoreErrorOffset: ignoreErrorOffset, sourceLocation: sourceLocation)
}

// MARK: - What a browser sees

/// One thing an `EventSource` consumer observes (WHATWG HTML 9.2.6): a dispatched event with its
/// type as reported (`message` when the block set none or an empty one), its data and the last
/// event id after it; a reconnection time set; or (with comments kept) a comment.
enum SSEObservation: Equatable, CustomStringConvertible {
    case event(type: String, data: [UInt8], lastEventID: String)
    case retry(String)
    case comment([UInt8])

    var description: String {
        switch self {
        case .event(let type, let data, let lastEventID):
            return
                "event(\(type.debugDescription), \(String(decoding: data, as: UTF8.self).debugDescription), last id \(lastEventID.debugDescription))"
        case .retry(let value): return "retry(\(value))"
        case .comment(let text): return "comment(\(String(decoding: text, as: UTF8.self).debugDescription))"
        }
    }
}

/// What a consumer of `sse` observes, in order, and the event source's last event id string at the
/// end (HTML 9.2.6: set from the last event ID buffer at every dispatch, so a block cut off by the
/// end of input does not change it); decoded whole by `SSEDecoder` with the given options.
func browserView(
    _ sse: [UInt8], keepComments: Bool = false,
    incompleteBlock: SSEDecoder.IncompleteBlockPolicy = .discard
) -> (observations: [SSEObservation], lastEventID: String, error: StreamCodecError?) {
    var driver = DecodingDriver(decoder: SSEDecoder(options: .init(keepComments: keepComments, incompleteBlock: incompleteBlock)))
    var seen: [SSEObservation] = []
    var dispatchedID = ""
    func take(_ record: Record, _ lastEventID: String) {
        if record.kind == .event || record.kind == .control { dispatchedID = lastEventID }
        switch record.kind {
        case .event:
            if let retry = record.retry { seen.append(.retry(retry)) }
            let type = (record.event ?? "").isEmpty ? "message" : record.event!
            seen.append(.event(type: type, data: record.data, lastEventID: lastEventID))
        case .control:
            if let retry = record.retry { seen.append(.retry(retry)) }
        case .comment:
            seen.append(.comment(record.data))
        case .json:
            Issue.record("an SSE decoder returned a JSON record")
        }
    }
    do throws(StreamCodecError) {
        driver.append(sse)
        while let record = try driver.next() { take(record, driver.decoder.lastEventID) }
        driver.finishInput()
        while let record = try driver.next() { take(record, driver.decoder.lastEventID) }
    } catch {
        return (seen, dispatchedID, error)
    }
    return (seen, dispatchedID, nil)
}

/// The records of an SSE stream, decoded whole by `SSEDecoder` with the given options.
func sseRecords(
    _ sse: [UInt8], keepComments: Bool = true,
    incompleteBlock: SSEDecoder.IncompleteBlockPolicy = .discard
) throws -> [Record] {
    var driver = DecodingDriver(decoder: SSEDecoder(options: .init(keepComments: keepComments, incompleteBlock: incompleteBlock)))
    var records: [Record] = []
    driver.append(sse)
    while let record = try driver.next() { records.append(record) }
    driver.finishInput()
    while let record = try driver.next() { records.append(record) }
    return records
}

// MARK: - Adversarial SSE

/// A seeded generator of adversarial event streams: every field (also unknown and malformed
/// ones), comments, CR/LF/CRLF line ends mixed, empty values, ids with NUL, retry with junk,
/// BOMs (at the start and in the middle), multi-line data, invalid UTF-8, and streams that end
/// without their final blank line or in the middle of a line.
struct AdversarialSSE {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    static let pieces: [[UInt8]] = [
        u8(""), u8("x"), u8("hello world"), u8(" leading space"), u8("  two spaces"), u8("colon: inside"), u8("a:b:c"),
        u8("ünïcödé"), u8("日本語"), u8("😀👩‍👩‍👧"), [0x00], u8("[DONE]"), u8("{\"a\": [1, 2]}"), u8("[true, null]"),
        u8("\"str\""), u8("42"), u8("tab\there"), u8("\u{2028}"), u8("back\\slash"), u8("\u{1F}ctl"), u8("{\"x\":"),
        [0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98], [0xEF, 0xBB, 0xBF], [0x80], [0xC0, 0xAF],
    ]
    static let unknownLines: [String] = [
        "foo: bar", "Data: x", "dat: x", "datas: x", "eventx: y", "ID: 1", "retry2: 5", "\u{FEFF}data: bom", " data: x",
        "data : x", "idd: 3", "field", "e", "i",
    ]
    static let retryValues: [String] = [
        "0", "5", "3000", "", "12a", " 5", "-1", "+5", "1.5", "18446744073709551615", "18446744073709551616",
        "99999999999999999999999999", "00042", "٣",
    ]

    mutating func chance(_ percent: Int) -> Bool { rng.below(100) < percent }
    mutating func pick<T>(_ list: [T]) -> T { list[rng.below(list.count)] }

    mutating func value() -> [UInt8] {
        var v: [UInt8] = []
        for _ in 0..<rng.below(4) { v += pick(Self.pieces) }
        return v
    }

    /// `name` with its value after one of the separators the parser treats differently.
    mutating func field(_ name: String, _ value: [UInt8]) -> [UInt8] {
        if value.isEmpty && chance(30) { return u8(name) } // no colon: empty value
        return u8(name) + u8(pick([": ", ":", ":  ", ": "])) + value // one space removed, or none
    }

    mutating func line() -> [UInt8] {
        switch rng.below(100) {
        case 0..<30: return field("data", value())
        case 30..<40: return field("event", chance(80) ? u8(pick(["delta", "ping", "message", "end", "", "ü", "a b"])) : value())
        case 40..<52:
            var id = chance(70) ? u8(String(rng.below(1000))) : value()
            if chance(15) { id += [0x00] + u8("nul") }
            return field("id", id)
        case 52..<60: return field("retry", u8(pick(Self.retryValues)))
        case 60..<67: return u8(pick(Self.unknownLines))
        case 67..<75: return [0x3A] + (chance(50) ? [0x20] : []) + value() // a comment
        default: return [] // a blank line: dispatch
        }
    }

    mutating func terminator() -> [UInt8] {
        switch rng.below(4) {
        case 0: return [0x0D, 0x0A]
        case 1: return [0x0D]
        default: return [0x0A]
        }
    }

    /// One stream.
    mutating func stream() -> [UInt8] {
        var out: [UInt8] = chance(15) ? [0xEF, 0xBB, 0xBF] : []
        let count = rng.below(24)
        for _ in 0..<count { out += line() + terminator() }
        switch rng.below(4) {
        case 0: out += field("data", value()) // ends inside a line
        case 1: out += field(pick(["data", "id", "event"]), value()) + terminator() // no blank line
        default: if count > 0 { out += terminator() } // a blank line (usually)
        }
        return out
    }
}

// MARK: - Generated JSON

/// A seeded generator of JSON texts, each in a form with random insignificant whitespace and in
/// its minified form (the same tokens with no whitespace between them: the contract copies
/// strings and numbers byte for byte).
struct GeneratedJSON {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    static let strings: [String] = [
        #""""#, #""a""#, #""with space""#, #""\u00e9\u00E9""#, #""\ud83d\ude00""#, #""\ud800""#, #""\udc00x""#,
        #""\n\r\t\b\f\/\\\"""#, #""日本語😀""#, #""\u003cb\u003e""#, #""[DONE]""#, #""data: x""#, "\"\u{2028}\"", #""\u0000""#,
        #""line1\nline2""#, #""\u000d\u000a""#,
    ]
    static let numbers: [String] = [
        "0", "-0", "1", "-1", "0.5", "-0.0", "1E400", "1e-7", "2.50", "1.0e+2", "12345678901234567890123",
        "18446744073709551616", "-9223372036854775808", "5e-324", "0E0",
    ]

    mutating func chance(_ percent: Int) -> Bool { rng.below(100) < percent }
    mutating func pick<T>(_ list: [T]) -> T { list[rng.below(list.count)] }

    mutating func space() -> String {
        guard chance(35) else { return "" }
        return String((0..<(1 + rng.below(3))).map { _ in pick([" ", "\t", " ", "\r"]) as Character })
    }

    /// (whitespace form, minified form) of one value of nesting at most `depth`.
    mutating func value(depth: Int) -> (String, String) {
        let kind = depth <= 0 ? rng.below(3) : rng.below(5)
        switch kind {
        case 0:
            let s = pick(Self.strings)
            return (s, s)
        case 1:
            let n = pick(Self.numbers)
            return (n, n)
        case 2:
            let l = pick(["true", "false", "null"])
            return (l, l)
        case 3:
            var loose = "[" + space()
            var tight = "["
            for i in 0..<rng.below(4) {
                if i > 0 {
                    loose += space() + "," + space()
                    tight += ","
                }
                let (l, t) = value(depth: depth - 1)
                loose += l
                tight += t
            }
            return (loose + space() + "]", tight + "]")
        default:
            var loose = "{" + space()
            var tight = "{"
            for i in 0..<rng.below(4) {
                if i > 0 {
                    loose += space() + "," + space()
                    tight += ","
                }
                let key = pick([#""k""#, #""type""#, #""id""#, #""\u006b""#, #""日""#, #""""#, "\"k\(i)\""])
                let (l, t) = value(depth: depth - 1)
                loose += key + space() + ":" + space() + l
                tight += key + ":" + t
            }
            return (loose + space() + "}", tight + "}")
        }
    }

    /// An NDJSON stream of 0 to 12 texts (with blank and whitespace-only lines, LF or CRLF ends,
    /// maybe a BOM before line 1 and maybe no line end after the last text) and the NDJSON
    /// output it must give: the minified texts, one per line.
    mutating func ndjson() -> (input: [UInt8], minified: [UInt8]) {
        var input: [UInt8] = []
        var expected: [UInt8] = []
        let count = rng.below(13)
        if count > 0 && chance(15) { input += [0xEF, 0xBB, 0xBF] }
        for i in 0..<count {
            if i > 0 && chance(15) { input += u8(pick(["", " ", "\t", " \r"]) + "\n") }
            let (loose, tight) = value(depth: 1 + rng.below(4))
            input += u8(space() + loose + space())
            expected += u8(tight + "\n")
            if i < count - 1 || chance(70) { input += u8(chance(30) ? "\r\n" : "\n") }
        }
        return (input, expected)
    }
}

extension GeneratedJSON {
    /// `text` with one or two random byte mutations (replaced, inserted or deleted bytes chosen to
    /// break JSON in many ways: quotes, escapes, separators, numbers, literals, control characters,
    /// invalid UTF-8), or unchanged.
    mutating func mutated(_ text: [UInt8]) -> [UInt8] {
        let bytes: [UInt8] = Array("\"\\,:[]{}0.e-+u tfn\r".utf8) + [0x00, 0x1F, 0x7F, 0xC0, 0xFF, 0xED, 0x80, 0xE2, 0x1E]
        var out = text
        for _ in 0..<(1 + rng.below(2)) where !out.isEmpty {
            let at = rng.below(out.count)
            switch rng.below(3) {
            case 0: out[at] = pick(bytes)
            case 1: out.insert(pick(bytes), at: at)
            default: out.remove(at: at)
            }
        }
        return out
    }

    /// An NDJSON stream whose lines are sometimes broken (about `brokenPercent` of them), with
    /// blank lines, CRLF line ends, a BOM and a last line without its LF now and then.
    mutating func brokenNDJSON(brokenPercent: Int = 30) -> [UInt8] {
        var input: [UInt8] = chance(10) ? [0xEF, 0xBB, 0xBF] : []
        let count = rng.below(10)
        for i in 0..<count {
            if chance(10) { input += u8(pick(["", " ", "\t"]) + "\n") }
            var (loose, _) = value(depth: 1 + rng.below(3))
            if loose.utf8.count > 80 { loose = pick(Self.numbers) }
            var line = u8(space() + loose + space())
            if chance(brokenPercent) { line = mutated(line).filter { $0 != 0x0A } }
            input += line
            if i < count - 1 || chance(70) { input += u8(chance(30) ? "\r\n" : "\n") }
        }
        return input
    }

    /// An event stream whose events carry (sometimes broken) JSON data, sometimes over several
    /// `data:` lines, with event types, ids, retry, comments, control blocks, empty data, the
    /// done marker now and then, CR/LF/CRLF line ends and sometimes no final blank line.
    mutating func jsonEvents(brokenPercent: Int = 30) -> [UInt8] {
        var out: [UInt8] = chance(10) ? [0xEF, 0xBB, 0xBF] : []
        let end = pick(["\n", "\r\n", "\r"])
        for _ in 0..<rng.below(10) {
            if chance(15) { out += u8(": keep-alive" + end) }
            if chance(15) { out += u8("event: " + pick(["delta", "ping", ""]) + end) }
            if chance(15) { out += u8("id: \(rng.below(100))" + end) }
            if chance(8) { out += u8("retry: 1000" + end) }
            switch rng.below(20) {
            case 0: out += u8("data: [DONE]" + end)
            case 1: out += u8("data" + end)
            case 2: break // a control block (or nothing)
            default:
                var (loose, _) = value(depth: 1 + rng.below(3))
                if loose.utf8.count > 80 { loose = pick(Self.numbers) }
                var data = u8(loose)
                if chance(brokenPercent) { data = mutated(data) }
                // The data on one or two lines (split at a random point), a raw line end in
                // it ending its line.
                let cut = chance(25) ? rng.below(data.count + 1) : data.count
                out += u8("data: ") + Array(data[..<cut]) + u8(end)
                if cut < data.count { out += u8("data:") + Array(data[cut...]) + u8(end) }
            }
            out += u8(end)
        }
        if chance(20) { out += u8("data: {\"tail\": 1}") }
        return out
    }
}

// MARK: - Text helpers

/// The lines of NDJSON output parsed back into their texts (each must be one JSON text).
func jsonLines(_ output: [UInt8]) -> [String] {
    String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}
