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
    /// The texts: scanner, scratch buffer, lines, limit, skimming.
    private var reader: JSONTextReader
    private var bom = LeadingBOM()
    private var finished = false
    private var needsSeparator = false // the last text was a number or literal: whitespace must follow
    private var bomWithoutText = false // a BOM was skipped and no text has started yet
    private var discarding = false // dropping a bad text: resume at a line starting with { or [
    private var atLineStart = false
    private var skimming = false // an oversized text is scanned to its end but not kept
    private var skimLastByte: UInt8? // the last byte a skim consumed
    private var resumeAtLineStart = false // the bad text's remains start a line (after a failed skim)
    private var pendingEnd = 0 // the end of a complete text being checked against the limit

    /// A decoder that refuses JSON nested deeper than `maxDepth`.
    public init(maxDepth: Int = JSONLimits.defaultMaxDepth) {
        reader = JSONTextReader(maxDepth: maxDepth)
    }

    public var currentLine: Int? { reader.textLine }

    public mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        while true {
            if input.readableCount == 0 { return nil }
            guard let skipped = bom.skip(&input) else { return nil }
            if skipped {
                bomWithoutText = true
                continue
            }
            if skimming {
                switch reader.skim(&input) {
                case .failed(let error):
                    // The oversized text is also invalid: drop what was skimmed up to the bad byte,
                    // so the resync below starts there whatever the reads were, knowing whether it
                    // is at the start of a line.
                    skimming = false
                    let errorLine = reader.lineInSkim
                    let offset = input.streamOffset + error.index
                    let previous = error.stopIndex > 0 ? input.withReadableBytes { $0[error.stopIndex - 1] } : skimLastByte
                    reader.dropSkimmed(&input, upTo: error.stopIndex)
                    resumeAtLineStart = previous == ASCII.lf
                    throw JSONTextReader.error(error, line: errorLine, byteOffset: offset)
                case .needMore(let last):
                    skimLastByte = last
                    return nil
                case .complete(let last):
                    needsSeparator = ASCII.endsScalar(last)
                    skimming = false
                    continue
                }
            }
            if discarding {
                let (skip, lfs, resume) = input.withReadableBytes { buf -> (Int, Int, Bool) in
                    var i = 0
                    var lfs = 0
                    while i < buf.count {
                        let c = buf[i]
                        if atLineStart && (c == ASCII.openBrace || c == ASCII.openBracket) { return (i, lfs, true) }
                        atLineStart = c == ASCII.lf
                        if c == ASCII.lf { lfs += 1 }
                        i += 1
                    }
                    return (i, lfs, false)
                }
                input.consume(skip)
                reader.countLines(lfs)
                if !resume { return nil }
                discarding = false
                needsSeparator = false
                continue
            }
            if !reader.isInsideText {
                // Between texts: consume whitespace, counting lines.
                let (skip, next) = reader.skipWhitespace(&input)
                if needsSeparator, let next, skip == 0 {
                    throw StreamCodecError(
                        .invalidJSON, "expected whitespace between two JSON texts, found \(JSONScanner.describe(next))",
                        line: reader.line, byteOffset: input.streamOffset)
                }
                if skip > 0 { needsSeparator = false }
                if next == nil { return nil }
                bomWithoutText = false
                reader.beginText()
            }
            switch try reader.scanText(input) {
            case .failed(let error):
                throw JSONTextReader.error(error, line: reader.lineInText, byteOffset: input.streamOffset + error.index)
            case .needMore:
                return nil
            case .complete(let end):
                return try complete(&input, end: end)
            }
        }
    }

    /// Drops the bad text. An oversized text is scanned to its end without being kept, and
    /// decoding resumes right after it; after invalid JSON it resumes at the next line that starts
    /// with `{` or `[` (where a pretty-printed or one-per-line text starts).
    public mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool {
        if error.code == .recordTooLarge {
            if reader.isInsideText {
                // Still arriving: drop what was scanned and go on scanning the rest.
                reader.dropScanned(&input)
                skimming = true
            } else {
                // Complete but too large: drop it whole.
                needsSeparator = ASCII.endsScalar(reader.lastByte(of: input, end: pendingEnd))
                reader.dropText(&input, end: pendingEnd)
            }
            return true
        }
        reader.abandonText()
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
            if (try? reader.finish(at: n)) == true { return nil }
            throw StreamCodecError(
                .truncated, "input ended inside a JSON text (a record over the limit, being skipped)",
                line: reader.textLine, byteOffset: input.streamOffset + n)
        }
        let completed: Bool
        do throws(JSONScanError) {
            completed = try reader.finish(at: n)
        } catch {
            throw JSONTextReader.error(error, line: reader.textLine, byteOffset: input.streamOffset + n)
        }
        if completed { return try complete(&input, end: n) }
        if bomWithoutText {
            throw StreamCodecError(.invalidJSON, "invalid JSON: a byte order mark with no JSON text after it", line: 1, byteOffset: 0)
        }
        return nil
    }

    private mutating func complete(_ input: inout DecoderInput, end: Int) throws(StreamCodecError) -> Record {
        pendingEnd = end
        let last = reader.lastByte(of: input, end: end)
        let record = try reader.takeText(&input, end: end)
        needsSeparator = ASCII.endsScalar(last) // a number or literal ended
        return record
    }
}
