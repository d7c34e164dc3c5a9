// FormatDetector alone: the scan of leading blank lines and the choice made at the first
// significant byte (Docs/Formats.md "Auto-detection"), fed whole and one byte at a time. The
// converter's use of it is tested in AutoDetectionTests.
import Testing

@testable import StreamCodecCore

struct FormatDetectorTests {
    /// Feeds `bytes` in pieces of `piece` bytes (0: whole) and returns the outcome described as
    /// "format lines" (or "waiting" / "empty"), with the bytes left in the driver's buffer.
    private func detect(_ text: String, piece: Int, finish: Bool = false) throws -> (String, [UInt8]) {
        try detect(bytes: Array(text.utf8), piece: piece, finish: finish)
    }

    private func detect(bytes: [UInt8], piece: Int, finish: Bool = false) throws -> (String, [UInt8]) {
        let target = FormatRegistry.standard.format(named: "ndjson")!
        var detector = FormatDetector(registry: .standard, target: target, options: ConversionOptions())
        var driver = DecodingDriver(decoder: AnyStreamDecoder(IdleDecoder()), maxRecordBytes: 1 << 20)
        var outcome = "waiting"
        var offset = 0
        repeat {
            let end = piece == 0 ? bytes.count : min(offset + piece, bytes.count)
            driver.append(bytes[offset..<end])
            offset = end
            if offset == bytes.count && finish { driver.finishInput() }
            switch try detector.examine(&driver) {
            case .waiting: continue
            case .emptyInput: outcome = "empty"
            case .detected(let format, _, let lines): outcome = "\(format.name) \(lines)"
            }
            break
        } while offset < bytes.count
        if offset < bytes.count { driver.append(bytes[offset...]) } // what arrives after the decision stays as it is
        return (outcome, driver.withBufferedBytes { Array($0) })
    }

    @Test("the first significant byte decides, after blank lines counted as each family counts lines", arguments: [0, 1, 2])
    func choice(piece: Int) throws {
        #expect(try detect("\n\n{\"a\":1}\n", piece: piece).0 == "stream-json 2")
        #expect(try detect("\r\n \t\r\n[1]", piece: piece).0 == "json-array 2")
        #expect(try detect("\u{1E}1\n", piece: piece).0 == "json-seq 0")
        #expect(try detect("\r\r\ndata: x\n\n", piece: piece).0 == "sse 2") // CR, then CRLF: two SSE lines
        #expect(try detect("\r\r\n{}", piece: piece).0 == "stream-json 1") // one LF: one JSON line
    }

    @Test("the dropped blank lines leave the buffer; a leading BOM stays for the decoder", arguments: [0, 1])
    func dropped(piece: Int) throws {
        #expect(try detect("\n\n  {}", piece: piece).1 == Array("  {}".utf8))
        #expect(try detect("\u{FEFF}\n\n{}", piece: piece).1 == Array("\u{FEFF}{}".utf8))
    }

    @Test("blanks alone wait for more; at the end of input they are an empty input", arguments: [0, 1])
    func blanks(piece: Int) throws {
        #expect(try detect(" \n\t\r\n", piece: piece).0 == "waiting")
        #expect(try detect(" \n\t\r\n", piece: piece, finish: true).0 == "empty")
        #expect(try detect("", piece: piece, finish: true).0 == "empty")
    }

    @Test("an input that ends inside what could have been a BOM is decided by its first byte")
    func partialBOM() throws {
        #expect(try detect(bytes: [0xEF, 0xBB], piece: 1).0 == "waiting")
        #expect(try detect(bytes: [0xEF, 0xBB], piece: 1, finish: true).0 == "sse 0")
        #expect(try detect("\u{FEFF}", piece: 1).0 == "waiting")
        #expect(try detect("\u{FEFF}", piece: 1, finish: true).0 == "empty")
    }
}
