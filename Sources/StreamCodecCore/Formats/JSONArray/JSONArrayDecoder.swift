// A top-level JSON array streamed element by element (RFC 8259 section 5), as ASP.NET Core
// sends an IAsyncEnumerable<T> and Gemini's streamGenerateContent answers without alt=sse:
// `[` then elements arriving one by one, with any whitespace (CRLF included) around commas.
//
// Each element is a record, emitted the moment it is complete, not at the end of the array;
// memory is bounded by the record limit, so an endless array streams fine. With a JSON Pointer
// (RFC 6901, `--array-path /results`) the elements of a nested array are streamed and the rest of
// the document is checked but not kept.
//
// Deliberate choices: input that ends before the closing `]` (including input that ends before
// `[`) is truncated input, after every complete element was emitted; anything but whitespace after
// the document is an error; a UTF-8 BOM at the start is ignored. A bad element is skipped (under
// the skip policy) up to the next comma or bracket at the array's own level. The record-size
// limit counts an element's bytes.

/// Decodes a streamed JSON array into one `.json` record per element.
public struct JSONArrayDecoder: StreamDecoder, Sendable {
    private enum After: Sendable { case member, arrayElement }
    private enum State: Sendable {
        // Finding the array named by the pointer.
        case expectValue
        case expectKey(first: Bool)
        case inKey
        case expectColon
        case skipValue(After)
        case afterMember
        case arrayElementStart(first: Bool)
        case afterArrayElement
        // The array itself.
        case firstElementOrEnd
        case inElement
        case afterElement
        case elementAfterComma
        case discarding
        // After it.
        case restOfDocument
        case done
    }

    /// The array whose elements are streamed.
    public let pointer: JSONPointer
    private let tokens: [[UInt8]]
    private var state: State = .expectValue
    private var matched = 0 // pointer tokens matched so far
    private var path: [Bool] = [] // containers entered on the way (true: object)
    private var remaining = 0 // elements still to skip in an array on the way
    private var key: [UInt8] = []
    private var keyEscaped = false
    /// The elements, and the values skipped on the way: scanner, scratch buffer, lines, limit.
    private var reader: JSONTextReader
    private var bom = LeadingBOM()
    private var finished = false
    private var elementCount = 0
    // Lenient skipping of a bad element.
    private var skipDepth = 0
    private var skipInString = false
    private var skipEscaped = false

    /// - Parameters:
    ///   - pointer: the array to stream (the empty pointer: the document itself).
    public init(pointer: JSONPointer = try! JSONPointer(""), maxDepth: Int = JSONLimits.defaultMaxDepth) {
        self.pointer = pointer
        self.tokens = pointer.tokens.map { Array($0.utf8) }
        reader = JSONTextReader(maxDepth: maxDepth)
    }

    public var heldByteCount: Int { key.count }
    public var currentLine: Int? { reader.textLine }

    private func located(_ message: String, _ input: DecoderInput, at offset: Int = 0) -> StreamCodecError {
        StreamCodecError(.invalidJSON, "invalid JSON: " + message, line: reader.line, byteOffset: input.streamOffset + offset)
    }

    private func pointerPrefix() -> String {
        matched == 0 ? "the top level" : "'" + JSONPointer.description(of: Array(pointer.tokens.prefix(matched))) + "'"
    }

    private func notFound(_ input: DecoderInput) -> StreamCodecError {
        StreamCodecError(
            .invalidInput,
            "no array at '\(pointer)': \(pointerPrefix()) has no \(path.last == false ? "element" : "member") '\(pointer.tokens[matched])'",
            line: reader.line, byteOffset: input.streamOffset)
    }

    /// Consumes whitespace (counting lines) and returns the next byte, or nil when the
    /// buffered input is used up.
    private mutating func nextSignificant(_ input: inout DecoderInput) -> UInt8? {
        reader.skipWhitespace(&input).next
    }

    public mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        while true {
            if input.readableCount == 0 { return nil }
            guard let skipped = bom.skip(&input) else { return nil }
            if skipped { continue }
            switch state {
            case .expectValue:
                guard let c = nextSignificant(&input) else { return nil }
                if matched == tokens.count {
                    guard c == 0x5B else {
                        throw located(
                            "expected '[' (a JSON array) at \(pointer.tokens.isEmpty ? "the start" : "'\(pointer)'"), found \(JSONScanner.describe(c))",
                            input)
                    }
                    input.consume(1)
                    state = .firstElementOrEnd
                } else if c == 0x7B {
                    input.consume(1)
                    path.append(true)
                    state = .expectKey(first: true)
                } else if c == 0x5B {
                    guard let index = JSONPointer.index(pointer.tokens[matched]) else {
                        throw StreamCodecError(
                            .invalidInput,
                            "no array at '\(pointer)': \(pointerPrefix()) is an array, and '\(pointer.tokens[matched])' is not an index",
                            line: reader.line, byteOffset: input.streamOffset)
                    }
                    input.consume(1)
                    path.append(false)
                    remaining = index
                    state = .arrayElementStart(first: true)
                } else {
                    throw StreamCodecError(
                        .invalidInput,
                        "no array at '\(pointer)': \(pointerPrefix()) is not an object or array (found \(JSONScanner.describe(c)))",
                        line: reader.line, byteOffset: input.streamOffset)
                }
            case .expectKey(let first):
                guard let c = nextSignificant(&input) else { return nil }
                if c == 0x22 {
                    input.consume(1)
                    key = [0x22]
                    keyEscaped = false
                    state = .inKey
                } else if first && c == 0x7D {
                    throw notFound(input)
                } else {
                    throw located("expected a string key\(first ? " or '}'" : ""), found \(JSONScanner.describe(c))", input)
                }
            case .inKey:
                let (taken, closed) = input.withReadableBytes { buf -> (Int, Bool) in
                    var i = 0
                    while i < buf.count {
                        let c = buf[i]
                        i += 1
                        if keyEscaped { keyEscaped = false } else if c == 0x5C { keyEscaped = true } else if c == 0x22 { return (i, true) }
                    }
                    return (i, false)
                }
                input.withReadableBytes { key.append(contentsOf: $0[0..<taken]) }
                input.consume(taken)
                try input.checkRecordSize(key.count, line: reader.line)
                if closed {
                    state = .expectColon
                }
            case .expectColon:
                guard let c = nextSignificant(&input) else { return nil }
                guard c == 0x3A else { throw located("expected ':' after an object key, found \(JSONScanner.describe(c))", input) }
                input.consume(1)
                let name: [UInt8]
                do {
                    let minified = try JSONText.minified(key)
                    name = try minified.withUnsafeBufferPointer { try JSONString.decode($0, 0..<$0.count) }
                } catch {
                    throw located("invalid object key \(String(decoding: key, as: UTF8.self))", input)
                }
                key = []
                if name == tokens[matched] {
                    matched += 1
                    state = .expectValue
                } else {
                    reader.resetScanner()
                    state = .skipValue(.member)
                }
            case .skipValue(let after):
                if try skim(&input) {
                    state = after == .member ? .afterMember : .afterArrayElement
                } else {
                    return nil
                }
            case .afterMember:
                guard let c = nextSignificant(&input) else { return nil }
                if c == 0x2C {
                    input.consume(1)
                    state = .expectKey(first: false)
                } else if c == 0x7D {
                    throw notFound(input)
                } else {
                    throw located("expected ',' or '}' after an object member, found \(JSONScanner.describe(c))", input)
                }
            case .arrayElementStart(let first):
                guard let c = nextSignificant(&input) else { return nil }
                if first && c == 0x5D { throw notFound(input) }
                if remaining == 0 {
                    matched += 1
                    state = .expectValue
                } else {
                    reader.resetScanner()
                    state = .skipValue(.arrayElement)
                }
            case .afterArrayElement:
                guard let c = nextSignificant(&input) else { return nil }
                if c == 0x2C {
                    input.consume(1)
                    remaining -= 1
                    state = .arrayElementStart(first: false)
                } else if c == 0x5D {
                    throw notFound(input)
                } else {
                    throw located("expected ',' or ']' after an array element, found \(JSONScanner.describe(c))", input)
                }
            case .firstElementOrEnd, .elementAfterComma:
                guard let c = nextSignificant(&input) else { return nil }
                if c == 0x5D, case .firstElementOrEnd = state {
                    input.consume(1)
                    arrayClosed()
                    continue
                }
                reader.beginText(resetScanner: true)
                state = .inElement
            case .inElement:
                switch try reader.scanText(input, elementOfArray: true) {
                case .failed(let error):
                    throw JSONTextReader.error(error, line: reader.lineInText, byteOffset: input.streamOffset + error.index)
                case .needMore:
                    return nil
                case .complete(let end):
                    let record = try reader.takeText(&input, end: end)
                    elementCount += 1
                    state = .afterElement
                    return record
                }
            case .afterElement:
                guard let c = nextSignificant(&input) else { return nil }
                if c == 0x2C {
                    input.consume(1)
                    state = .elementAfterComma
                } else if c == 0x5D {
                    input.consume(1)
                    arrayClosed()
                } else {
                    throw located("expected ',' or ']' after an array element, found \(JSONScanner.describe(c))", input)
                }
            case .discarding:
                let (taken, boundary, lfs) = input.withReadableBytes { buf -> (Int, UInt8?, Int) in
                    var i = 0
                    var lfs = 0
                    while i < buf.count {
                        let c = buf[i]
                        i += 1
                        if c == ASCII.lf { lfs += 1 }
                        if skipInString {
                            if skipEscaped {
                                skipEscaped = false
                            } else if c == 0x5C {
                                skipEscaped = true
                            } else if c == 0x22 {
                                skipInString = false
                            }
                        } else if c == 0x22 {
                            skipInString = true
                        } else if c == 0x7B || c == 0x5B {
                            skipDepth += 1
                        } else if c == 0x7D || c == 0x5D {
                            if skipDepth == 0 && c == 0x5D { return (i, c, lfs) }
                            skipDepth = max(0, skipDepth - 1)
                        } else if c == 0x2C && skipDepth == 0 {
                            return (i, c, lfs)
                        }
                    }
                    return (i, nil, lfs)
                }
                input.consume(taken)
                reader.countLines(lfs)
                switch boundary {
                case 0x2C: state = .elementAfterComma
                case 0x5D: arrayClosed()
                default: return nil
                }
            case .restOfDocument:
                if try skim(&input) { state = .done } else { return nil }
            case .done:
                guard let c = nextSignificant(&input) else { return nil }
                throw located("unexpected \(JSONScanner.describe(c)) after the end of the JSON document", input)
            }
        }
    }

    /// Scans a value that is not kept, consuming it as it goes; true when it is complete.
    private mutating func skim(_ input: inout DecoderInput) throws(StreamCodecError) -> Bool {
        switch reader.skim(&input) {
        case .failed(let error):
            throw JSONTextReader.error(error, line: reader.lineInSkim, byteOffset: input.streamOffset + error.index)
        case .needMore: return false
        case .complete: return true
        }
    }

    private mutating func arrayClosed() {
        if path.isEmpty {
            state = .done
        } else {
            reader.resumeAfterValue(inside: path)
            state = .restOfDocument
        }
    }

    /// Drops a bad element: decoding resumes after the next comma or at the closing bracket
    /// of the array (strings and nested brackets are skipped without being checked).
    public mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool {
        switch state {
        case .inElement, .afterElement, .elementAfterComma, .firstElementOrEnd, .discarding:
            reader.abandonText()
            skipDepth = 0
            skipInString = false
            skipEscaped = false
            state = .discarding
            return true
        default:
            return false
        }
    }

    public mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        if finished { return nil }
        if let record = try decode(&input) { return record }
        finished = true
        if case .done = state { return nil }
        let what: String
        switch state {
        case .expectValue where matched == 0 && path.isEmpty: what = "input ended before the JSON array started"
        case .firstElementOrEnd, .inElement, .afterElement, .elementAfterComma, .discarding:
            what = "input ended inside the JSON array, after \(elementCount) complete element\(elementCount == 1 ? "" : "s")"
        default: what = "input ended inside the JSON document"
        }
        throw StreamCodecError(.truncated, what, line: reader.line, byteOffset: input.streamOffset + input.readableCount)
    }
}
