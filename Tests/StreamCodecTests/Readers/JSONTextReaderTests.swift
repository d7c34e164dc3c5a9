import StreamCodec
import Testing

// RFC 8259 texts read out of a stream by the shared JSON text reader: texts split anywhere
// across reads, line counting, the record limit decided on the first limit + 1 bytes whatever
// the reads, skimming an oversized text to its end, and the one mapping from the scanner's
// errors. Every input is read whole, one byte at a time and at random split points.
@testable import StreamCodecCore

/// The smallest framing over the reader: texts separated by optional whitespace (no separator
/// rules), each a `.json` record whose id is the line it started on. An oversized text is
/// skimmed and dropped; the next text is read after it.
private struct WhitespaceSeparated: StreamDecoder {
    var reader = JSONTextReader(maxDepth: 8)
    var skimming = false
    var currentLine: Int? { reader.textLine }

    mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        while input.readableCount > 0 {
            if skimming {
                switch reader.skim(&input) {
                case .failed(let error):
                    throw JSONTextReader.error(error, line: reader.lineInSkim, byteOffset: input.streamOffset + error.index)
                case .needMore: return nil
                case .complete:
                    skimming = false
                    continue
                }
            }
            if !reader.isInsideText {
                guard reader.skipWhitespace(&input).next != nil else { return nil }
                reader.beginText()
            }
            let progress = try reader.scanText(input)
            if case .failed(let error) = progress {
                throw JSONTextReader.error(error, line: reader.lineInText, byteOffset: input.streamOffset + error.index)
            }
            guard case .complete(let end) = progress else { return nil }
            return try take(&input, end: end)
        }
        return nil
    }

    mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        if let record = try decode(&input) { return record }
        let completed: Bool
        do throws(JSONScanError) {
            completed = try reader.finish(at: input.readableCount)
        } catch {
            throw JSONTextReader.error(error, line: reader.textLine, byteOffset: input.streamOffset + input.readableCount)
        }
        return completed ? try take(&input, end: input.readableCount) : nil
    }

    /// The text's record, with the line it started on as its id.
    private mutating func take(_ input: inout DecoderInput, end: Int) throws(StreamCodecError) -> Record {
        let line = reader.textLine
        let record = try reader.takeText(&input, end: end)
        return Record(kind: .json, data: record.data, id: String(line))
    }

    mutating func skipBadRecord(_ input: inout DecoderInput, after error: StreamCodecError) -> Bool {
        guard error.code == .recordTooLarge else { return false }
        reader.dropScanned(&input)
        skimming = true
        return true
    }
}

/// The texts and their lines, as "line:text".
private func texts(_ input: String, limit: Int = 1 << 20, sourceLocation: SourceLocation = #_sourceLocation) -> (
    texts: [String], error: StreamCodecError?
) {
    let (result, _) = decodeEveryWay(u8(input), maxRecordBytes: limit, compareErrorOffsets: false, sourceLocation: sourceLocation) {
        WhitespaceSeparated()
    }
    return (result.records.map { "\($0.id ?? "?"):\($0.text)" }, result.error)
}

@Suite("JSONTextReader: the JSON stream formats' shared text reading")
struct JSONTextReaderTests {
    @Test("texts are minified, whatever the reads, and each knows the line it started on")
    func textsAndLines() {
        let result = texts("{\"a\": [1, 2]}\n\n  [\n  true,\n  null\n]\n\"s\\n\" 12 ")
        #expect(result.error == nil)
        #expect(result.texts == ["1:{\"a\":[1,2]}", "3:[true,null]", "7:\"s\\n\"", "7:12"])
    }

    @Test("LF inside a string is not allowed, so only LF outside strings counts lines (CR alone does not)")
    func lineCounting() {
        let result = texts("{\"k\":\r\"v\"}\r\n[\n1]\n\n0")
        #expect(result.texts == ["1:{\"k\":\"v\"}", "2:[1]", "5:0"])
    }

    @Test("a top-level number is complete only at the byte after it, or at the end of input")
    func numberAtEnd() {
        #expect(texts("123").texts == ["1:123"])
        #expect(texts("-0.5e+3 ").texts == ["1:-0.5e+3"])
    }

    @Test("a text of exactly the limit passes; one byte more is too large, whatever the reads")
    func limit() {
        let exactly = "[" + String(repeating: "1,", count: 9) + "1]" // 21 bytes
        #expect(texts(exactly, limit: 21).texts == ["1:" + exactly])
        let over = texts(exactly, limit: 20)
        #expect(over.error?.code == .recordTooLarge)
        #expect(over.error?.line == 1)
    }

    @Test("an oversized text is skimmed to its end and decoding resumes after it, lines still counted")
    func skimOversized() {
        let big = "[\n" + String(repeating: "\"xxxxxxxx\",\n", count: 20) + "0]"
        let input = "{\"a\":1}\n" + big + "\n{\"b\":2}\n"
        for chunking in [
            Chunking.whole, .bytewise(input.utf8.count), .randomCuts(input.utf8.count, seed: 7),
            .randomSmallPieces(input.utf8.count, seed: 9),
        ] {
            var driver = DecodingDriver(decoder: WhitespaceSeparated(), maxRecordBytes: 64)
            driver.skipsBadRecords = true
            var out: [String] = []
            for piece in chunking.pieces(of: u8(input)) {
                driver.append(piece)
                while let record = try? driver.next() { out.append("\(record.id ?? "?"):\(record.text)") }
            }
            driver.finishInput()
            while let record = try? driver.next() { out.append("\(record.id ?? "?"):\(record.text)") }
            #expect(out == ["1:{\"a\":1}", "24:{\"b\":2}"], "split as \(chunking)")
        }
    }

    @Test("errors name the line of the bad byte and its stream offset")
    func errorPlace() {
        let result = texts("[1,\n2,\n}")
        #expect(result.error?.code == .invalidJSON)
        #expect(result.error?.line == 3)
        #expect(result.error?.byteOffset == 7)
        #expect(result.error?.message.hasPrefix("invalid JSON: ") == true)
    }

    @Test("nesting deeper than the limit is its own error code")
    func tooDeep() {
        #expect(texts(String(repeating: "[", count: 9)).error?.code == .nestingTooDeep)
        #expect(texts(String(repeating: "[", count: 8) + String(repeating: "]", count: 8)).error == nil)
    }

    @Test("a text cut off by the end of input is truncated input")
    func cutOff() {
        let result = texts("{\"a\":1}\n{\"b\":")
        #expect(result.texts == ["1:{\"a\":1}"])
        #expect(result.error?.code == .truncated)
        #expect(result.error?.message == "input ended inside a JSON text")
    }

    @Test("the one mapping: each kind of scanner error in each context")
    func oneMapping() {
        let invalid = JSONScanError(kind: .invalid, reason: "bad", index: 0)
        let deep = JSONScanError(kind: .tooDeep, reason: "deep", index: 0)
        let cut = JSONScanError(kind: .truncated, reason: "unexpected end of input inside a JSON text", index: 0)
        func mapped(_ e: JSONScanError, _ context: JSONTextReader.Context) -> String {
            let error = JSONTextReader.error(e, line: 4, byteOffset: 9, context: context)
            #expect(error.line == 4 && error.byteOffset == 9)
            return "\(error.code): \(error.message)"
        }
        #expect(mapped(invalid, .stream) == "\(StreamCodecError.Code.invalidJSON): invalid JSON: bad")
        #expect(mapped(deep, .stream) == "\(StreamCodecError.Code.nestingTooDeep): invalid JSON: deep")
        #expect(mapped(cut, .stream) == "\(StreamCodecError.Code.truncated): input ended inside a JSON text")
        #expect(mapped(cut, .line(atEnd: true)) == "\(StreamCodecError.Code.truncated): input ended inside a JSON text")
        #expect(
            mapped(cut, .line(atEnd: false))
                == "\(StreamCodecError.Code.invalidJSON): invalid JSON: the JSON text on this line is incomplete")
        #expect(mapped(invalid, .value) == "\(StreamCodecError.Code.invalidJSON): bad")
        #expect(mapped(deep, .value) == "\(StreamCodecError.Code.nestingTooDeep): deep")
        #expect(mapped(cut, .value) == "\(StreamCodecError.Code.invalidJSON): unexpected end of input inside a JSON text")
    }

    @Test("drop counts the lines of bytes outside texts")
    func dropCounts() {
        var reader = JSONTextReader(maxDepth: 4)
        var input = DecoderInput(recordLimit: 100)
        input.append(u8("x\ny\n\nz"))
        reader.drop(5, of: &input)
        #expect(reader.line == 4)
        #expect(input.readableCount == 1)
    }
}
