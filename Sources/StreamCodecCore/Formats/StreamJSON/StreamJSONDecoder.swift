// `application/stream+json` as Spring WebFlux reads it (Jackson2JsonDecoder): a sequence of
// RFC 8259 JSON texts separated by optional whitespace. Texts may span lines (pretty-printed
// records) and may follow each other directly when the boundary is unambiguous (`{}{}`).
//
// Deliberate choices, following Jackson's root-value rules:
// - A top-level number or literal must be followed by whitespace or the end of input
//   (Jackson: "Expected space separating root-level values"); `12` is one text, never two.
// - A text is emitted the moment its last byte arrives; only a top-level number waits for
//   the byte after it, which is the only way to know it has ended.
// - A UTF-8 BOM at the very start of the stream is ignored when a JSON text follows it.
// - The record-size limit counts a text's bytes from its first to its last byte.

/// Decodes a sequence of JSON texts into `.json` records holding minified text.
public struct StreamJSONDecoder: StreamDecoder, Sendable {
    private var scanner: JSONScanner
    private var scanned = 0          // bytes of the text in progress already scanned
    private var line = 1             // line of the next unconsumed byte
    private var textLine = 1         // line where the text in progress started
    private var bomChecked = false
    private var finished = false
    private var needsSeparator = false
    private var bomWithoutText = false  // a BOM was skipped and no text has started yet
    private var discarding = false      // dropping a bad text: resume at a line starting with { or [
    private var atLineStart = false
    private var skimming = false        // an oversized text is scanned to its end but not kept
    private var skimLastByte: UInt8?    // the last byte a skim consumed
    private var resumeAtLineStart = false // the bad text's remains start a line (after a failed skim)
    private var pendingEnd = 0          // the end of a complete text being checked against the limit
    private var scratch: [UInt8] = []
    private var scratchIsStale = false

    /// A decoder that refuses JSON nested deeper than `maxDepth`.
    public init(maxDepth: Int = JSONLimits.defaultMaxDepth) {
        scanner = JSONScanner(maxDepth: maxDepth)
    }

    public var currentLine: Int? { textLine }

    public mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        while true {
            let n = input.readableCount
            if n == 0 { return nil }
            if !bomChecked {
                guard let skip = BOM.skipLength(input) else { return nil }
                input.consume(skip)
                bomWithoutText = skip > 0
                bomChecked = true
                continue
            }
            if skimming {
                let outcome = scanner.scan(input, into: &scratch)
                scratch.removeAll(keepingCapacity: true)
                switch outcome {
                case .failure(let error):
                    // The oversized text is also invalid: drop what was skimmed up to the bad byte,
                    // so the resync below starts there whatever the reads were, knowing whether it
                    // is at the start of a line.
                    skimming = false
                    let errorLine = line + scanner.newlines
                    let offset = input.streamOffset + error.index
                    let previous = error.stopIndex > 0 ? input.withReadableBytes { $0[error.stopIndex - 1] } : skimLastByte
                    input.consume(error.stopIndex)
                    line = errorLine
                    scanner.newlines = 0
                    resumeAtLineStart = previous == 0x0A
                    throw error.streamError(line: errorLine, offset: offset)
                case .success(.needMore):
                    line += scanner.newlines
                    scanner.newlines = 0
                    skimLastByte = input.withReadableBytes { $0[n - 1] }
                    input.consume(n)
                    return nil
                case .success(.complete(let end)):
                    let last = input.withReadableBytes { $0[end - 1] }
                    needsSeparator = !(last == 0x7D || last == 0x5D || last == 0x22)
                    line += scanner.newlines
                    scanner.newlines = 0
                    input.consume(end)
                    skimming = false
                    continue
                }
            }
            if discarding {
                let (skip, lfs, resume) = input.withReadableBytes { buf -> (Int, Int, Bool) in
                    var i = 0, lfs = 0
                    while i < buf.count {
                        let c = buf[i]
                        if atLineStart && (c == 0x7B || c == 0x5B) { return (i, lfs, true) }
                        atLineStart = c == 0x0A
                        if c == 0x0A { lfs += 1 }
                        i += 1
                    }
                    return (i, lfs, false)
                }
                input.consume(skip)
                line += lfs
                if !resume { return nil }
                discarding = false
                needsSeparator = false
                continue
            }
            if !scanner.isInsideText {
                // Between texts: consume whitespace, counting lines.
                let (skip, lfs, next) = input.skipJSONWhitespace()
                line += lfs
                if needsSeparator, let next, skip == 0 {
                    throw StreamCodecError(.invalidJSON, "expected whitespace between two JSON texts, found \(JSONScanner.describe(next))",
                                           line: line, byteOffset: input.streamOffset)
                }
                if skip > 0 { needsSeparator = false }
                if next == nil { return nil }
                textLine = line
                bomWithoutText = false
                scanned = 0
                scanner.newlines = 0
                if scratchIsStale { scratch.removeAll(keepingCapacity: true); scratchIsStale = false }
            }
            let start = scanned
            let (outcome, stop, overLimit) = scanner.scanRecord(input, from: start, into: &scratch)
                if overLimit {
                    scanned = stop
                    throw DecoderInput.tooLarge(limit: input.recordLimit, line: textLine, offset: input.streamOffset)
                }
            switch outcome {
            case .failure(let error):
                throw error.streamError(line: textLine + scanner.newlines, offset: input.streamOffset + error.index)
            case .success(.needMore):
                scanned = stop
                return nil
            case .success(.complete(let end)):
                return try complete(&input, end: end)
            }
        }
    }

    /// Drops the bad text. An oversized text is scanned to its end without being kept, and
    /// decoding resumes right after it; after invalid JSON it resumes at the next line that starts
    /// with `{` or `[` (where a pretty-printed or one-per-line text starts).
    public mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool {
        if error.code == .recordTooLarge {
            scratch.removeAll(keepingCapacity: true)
            scratchIsStale = false
            if scanner.isInsideText {
                // Still arriving: drop what was scanned and go on scanning the rest.
                input.consume(scanned)
                line += scanner.newlines
                scanner.newlines = 0
                scanned = 0
                skimming = true
            } else {
                // Complete but too large: drop it whole.
                let last = input.withReadableBytes { $0[pendingEnd - 1] }
                needsSeparator = !(last == 0x7D || last == 0x5D || last == 0x22)
                input.consume(pendingEnd)
                line += scanner.newlines
                scanner.newlines = 0
                scanned = 0
            }
            return true
        }
        scanner.reset()
        scanner.newlines = 0
        scratch.removeAll(keepingCapacity: true)
        scratchIsStale = false
        scanned = 0
        discarding = true
        // From the start of a bad text, its own first '{' is not a place to resume; after a failed
        // skim, the remains may start a line that is.
        atLineStart = resumeAtLineStart
        resumeAtLineStart = false
        return true
    }

    public mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        if finished { return nil }
        if let record = try decode(&input) { return record }
        finished = true
        let n = input.readableCount
        if discarding { return nil }
        if skimming {
            if (try? scanner.finish(at: n)) == true { return nil }
            throw StreamCodecError(.truncated, "input ended inside a JSON text (a record over the limit, being skipped)",
                                   line: textLine, byteOffset: input.streamOffset + n)
        }
        let completed: Bool
        do throws(JSONScanError) {
            completed = try scanner.finish(at: n)
        } catch {
            throw StreamCodecError(.truncated, "input ended inside a JSON text", line: textLine, byteOffset: input.streamOffset + n)
        }
        if completed { return try complete(&input, end: n) }
        if bomWithoutText {
            throw StreamCodecError(.invalidJSON, "invalid JSON: a byte order mark with no JSON text after it", line: 1, byteOffset: 0)
        }
        return nil
    }

    private mutating func complete(_ input: inout DecoderInput, end: Int) throws(StreamCodecError) -> Record {
        pendingEnd = end
        try input.checkRecordSize(end, line: textLine)
        let last = input.withReadableBytes { $0[end - 1] }
        needsSeparator = !(last == 0x7D || last == 0x5D || last == 0x22) // a number or literal ended
        input.consume(end)
        line += scanner.newlines
        scanned = 0
        scratchIsStale = true
        return Record(kind: .json, data: scratch)
    }
}

extension JSONScanError {
    func streamError(line: Int?, offset: Int?) -> StreamCodecError {
        let code: StreamCodecError.Code
        switch kind {
        case .invalid: code = .invalidJSON
        case .tooDeep: code = .nestingTooDeep
        case .truncated: code = .truncated
        }
        return StreamCodecError(code, kind == .truncated ? reason : "invalid JSON: " + reason, line: line, byteOffset: offset)
    }
}
