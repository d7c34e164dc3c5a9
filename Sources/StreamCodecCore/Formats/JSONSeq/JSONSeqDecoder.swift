// RFC 7464 "JavaScript Object Notation (JSON) Text Sequences", with RFC 8259 for each text.
//
// A sequence is RS (0x1E) followed by a JSON text, usually ended by LF: `RS text LF`. A text may
// span lines; consecutive RS bytes do not make empty records.
//
// When a record is complete (emitted at once, never later):
// - A text is complete at the first byte after it: whitespace (its LF) or the next RS.
// - A top-level number, `true`, `false` or `null` must be followed by whitespace (section 2.4:
//   otherwise it may be truncated); followed directly by RS it is a bad record.
// At end of input (section 2.4): a text without its LF may be truncated, so it is a truncated
// record: by default an error (exit status 3), `.dispatch` emits it if it is complete,
// `.discard` drops it with a warning. An incomplete text whose element ends with LF was not cut
// off: it is invalid (status 1).
// Deliberate choices: whitespace before the first RS, and elements holding only whitespace,
// are skipped; anything else outside a text is an error. Recovery from a bad record (section
// 2.3) resumes at the next RS. The record-size limit counts a text's bytes.

/// Decodes `application/json-seq` into `.json` records holding minified text.
public struct JSONSeqDecoder: StreamDecoder, Sendable {
    private enum State {
        case beforeFirstRS // only whitespace (and a BOM at the very start) before the first RS
        case betweenTexts // after RS: whitespace or RS until a text starts
        case inText // the scanner is inside a text
        case afterText // the text is complete; its next byte decides
        case trailing // after a record: only whitespace until the next RS
        case discarding // a bad record: drop everything up to the next RS
        case skimming // an oversized text: scanned to its end, not kept
    }

    /// What to do with a text the end of input leaves without its final LF.
    public var endOfInput: IncompleteRecordPolicy
    private var state: State = .beforeFirstRS
    /// The texts: scanner, scratch buffer, lines, limit, skimming.
    private var reader: JSONTextReader
    private var bom = LeadingBOM()
    private var finished = false
    private var textEnd = 0
    private var textIsScalar = false
    private var skippedText = false // the text in .afterText was dropped as oversized: emit nothing

    /// A decoder that refuses JSON nested deeper than `maxDepth`; a final text without its LF is
    /// handled as `endOfInput` says (by default, a truncated-input error).
    public init(maxDepth: Int = JSONLimits.defaultMaxDepth, endOfInput: IncompleteRecordPolicy = .error) {
        reader = JSONTextReader(maxDepth: maxDepth)
        self.endOfInput = endOfInput
    }

    public var currentLine: Int? { reader.textLine }

    private static let rs = ASCII.rs

    public mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        while true {
            let n = input.readableCount
            if n == 0 { return nil }
            guard let skipped = bom.skip(&input) else { return nil }
            if skipped { continue }
            switch state {
            case .beforeFirstRS, .betweenTexts, .trailing:
                // Skip whitespace (counting lines); RS starts an element.
                let (_, next) = reader.skipWhitespace(&input)
                guard let next else { return nil }
                if next == Self.rs {
                    input.consume(1)
                    state = .betweenTexts
                    continue
                }
                if state != .betweenTexts {
                    let what =
                        state == .beforeFirstRS
                        ? "a JSON text sequence must start with RS (0x1E)"
                        : "expected RS (0x1E) before the next JSON text"
                    throw StreamCodecError(
                        .invalidJSON, "invalid JSON text sequence: \(what), found \(JSONScanner.describe(next))",
                        line: reader.line, byteOffset: input.streamOffset)
                }
                reader.beginText()
                state = .inText
            case .inText:
                switch try reader.scanText(input) {
                case .failed(let error):
                    if input.withReadableBytes({ $0[error.stopIndex] }) == Self.rs {
                        throw StreamCodecError(
                            .invalidJSON, "invalid JSON: the text ends at the next RS (0x1E) before it is complete",
                            line: reader.lineInText, byteOffset: input.streamOffset + error.stopIndex)
                    }
                    throw JSONTextReader.error(error, line: reader.lineInText, byteOffset: input.streamOffset + error.index)
                case .needMore:
                    return nil
                case .complete(let end):
                    textEnd = end
                    textIsScalar = ASCII.endsScalar(reader.lastByte(of: input, end: end))
                    state = .afterText
                }
            case .skimming:
                switch reader.skim(&input) {
                case .failed(let error):
                    state = .discarding
                    throw JSONTextReader.error(error, line: reader.lineInSkim, byteOffset: input.streamOffset + error.index)
                case .needMore:
                    return nil
                case .complete(let last):
                    textIsScalar = ASCII.endsScalar(last)
                    textEnd = 0
                    skippedText = true
                    state = .afterText
                }
            case .afterText:
                // The byte after the text: whitespace (its LF) or RS completes the record.
                if textEnd >= n { return nil }
                let next = input.withReadableBytes { $0[textEnd] }
                if next == Self.rs && textIsScalar {
                    throw StreamCodecError(
                        .invalidJSON,
                        "invalid JSON text sequence: a top-level number or literal must be followed by whitespace (it may be truncated, RFC 7464 section 2.4)",
                        line: reader.lineInText, byteOffset: input.streamOffset + textEnd)
                }
                if next != Self.rs && !ASCII.isJSONWhitespace(next) {
                    throw StreamCodecError(
                        .invalidJSON,
                        "invalid JSON text sequence: expected a line end after the JSON text, found \(JSONScanner.describe(next))",
                        line: reader.lineInText, byteOffset: input.streamOffset + textEnd)
                }
                if skippedText {
                    skippedText = false
                    state = .trailing
                    continue
                }
                return try complete(&input)
            case .discarding:
                let rsAt: Int? = input.withReadableBytes { buf in
                    ByteSearch.first(Self.rs, in: buf.baseAddress!.assumingMemoryBound(to: UInt8.self), from: 0, to: buf.count)
                }
                reader.drop(rsAt ?? n, of: &input)
                if rsAt == nil { return nil }
                state = .betweenTexts
            }
        }
    }

    private mutating func complete(_ input: inout DecoderInput) throws(StreamCodecError) -> Record {
        let record = try reader.takeText(&input, end: textEnd)
        state = .trailing
        return record
    }

    /// Drops the bad record; decoding resumes at the next RS (RFC 7464 section 2.3). An oversized
    /// text is scanned to its end without being kept, so that the end of input still tells
    /// whether it was cut off.
    public mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool {
        if error.code == .recordTooLarge {
            switch state {
            case .inText:
                reader.dropScanned(&input)
                state = .skimming
                return true
            case .afterText:
                // Complete but too large: drop the text, then check what follows it as usual.
                reader.dropText(&input, end: textEnd)
                textEnd = 0
                skippedText = true
                return true
            default:
                break
            }
        }
        skippedText = false
        reader.abandonText()
        state = .discarding
        // The RS that may have ended the bad text starts the next record: keep it.
        return true
    }

    public mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        if finished { return nil }
        if let record = try decode(&input) { return record }
        finished = true
        let n = input.readableCount
        switch state {
        case .beforeFirstRS, .betweenTexts, .trailing, .discarding:
            return nil
        case .afterText:
            if skippedText {
                skippedText = false
                return try truncated(&input, complete: true, skipped: true)
            }
            return try truncated(&input, complete: true)
        case .skimming:
            let completed = (try? reader.finish(at: n)) == true
            return try truncated(&input, complete: completed, skipped: true)
        case .inText:
            let endsWithLF = n > 0 && input.withReadableBytes { $0[n - 1] } == 0x0A
            let completed: Bool
            do throws(JSONScanError) { completed = try reader.finish(at: n) } catch {
                if endsWithLF {
                    throw StreamCodecError(
                        .invalidJSON, "invalid JSON: the text is incomplete at the end of its record",
                        line: reader.lineInText, byteOffset: input.streamOffset + n)
                }
                return try truncated(&input, complete: false)
            }
            // A top-level number that only the end of input ended: no whitespace after it.
            if completed {
                textEnd = n
                textIsScalar = true
            }
            return try truncated(&input, complete: completed)
        }
    }

    private mutating func truncated(_ input: inout DecoderInput, complete: Bool, skipped: Bool = false) throws(StreamCodecError) -> Record?
    {
        if skipped {
            // A record over the limit, being skipped, that the input cut off (or left without its LF).
            let message = "input ended inside a JSON text sequence record (over the limit, being skipped)"
            if endOfInput == .discard {
                input.warn(message + ": discarded", line: reader.textLine)
                return nil
            }
            throw StreamCodecError(.truncated, message, line: reader.textLine, byteOffset: input.streamOffset + input.readableCount)
        }
        let message =
            complete
            ? "input ended after a JSON text without its line end: it may be truncated (RFC 7464 section 2.4)"
            : "input ended inside a JSON text"
        switch endOfInput {
        case .error:
            throw StreamCodecError(.truncated, message, line: reader.textLine, byteOffset: input.streamOffset + input.readableCount)
        case .discard:
            input.warn(message + ": record discarded", line: reader.textLine)
            input.consume(input.readableCount)
            return nil
        case .dispatch:
            guard complete else {
                throw StreamCodecError(.truncated, message, line: reader.textLine, byteOffset: input.streamOffset + input.readableCount)
            }
            return try self.complete(&input)
        }
    }
}
