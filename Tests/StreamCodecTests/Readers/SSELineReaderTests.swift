import StreamCodec
import Testing

// WHATWG HTML "Server-sent events" 9.2.5 "Parsing an event stream", checked on the line reader
// alone: lines end with CRLF, LF or CR; a CRLF split across two reads is one line end; one BOM
// is ignored at the very start of the stream and nowhere else. Every input is read whole, one
// byte at a time and at random split points (decodeEveryWay), and must give the same lines.
@testable import StreamCodecCore

/// A decoder that returns each line the reader finds as a `.comment` record whose data is the
/// line's bytes and whose id is the line's number.
private struct LineEcho: StreamDecoder {
    var reader = SSELineReader()
    var currentLine: Int? { reader.lineNumber }

    mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        guard let line = reader.nextLine(&input) else { return nil }
        let bytes = input.withReadableBytes { Array($0[0..<line.length]) }
        let number = reader.lineNumber
        reader.finishLine(&input, line)
        return Record(kind: .comment, data: bytes, id: String(number))
    }

    mutating func decodeLast(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        try decode(&input)
    }
}

/// The lines `input` gives, read every way; each as "number:text".
private func lines(_ input: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    let (result, _) = decodeEveryWay(input, sourceLocation: sourceLocation) { LineEcho() }
    #expect(result.error == nil, sourceLocation: sourceLocation)
    return result.records.map { "\($0.id ?? "?"):\(String(decoding: $0.data, as: UTF8.self))" }
}

private func lines(_ input: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    lines(u8(input), sourceLocation: sourceLocation)
}

@Suite("SSELineReader: 9.2.5 line splitting, whatever the reads")
struct SSELineReaderTests {
    @Test("LF, CRLF and CR each end one line, in any mix")
    func threeLineEnds() {
        #expect(lines("a\nb\r\nc\rd\n") == ["1:a", "2:b", "3:c", "4:d"])
        #expect(lines("\n\r\n\r") == ["1:", "2:", "3:"])
    }

    @Test("CR CR is two line ends; LF CR is two; CR LF is one")
    func crPairs() {
        #expect(lines("a\r\rb\n") == ["1:a", "2:", "3:b"])
        #expect(lines("a\n\rb\n") == ["1:a", "2:", "3:b"])
        #expect(lines("a\r\nb\n") == ["1:a", "2:b"])
    }

    @Test("a CR ending one read and an LF starting the next are one line end")
    func crlfAcrossReads() {
        var driver = DecodingDriver(decoder: LineEcho())
        driver.append(u8("x\r"))
        #expect((try? driver.next())??.data == u8("x")) // a CR ends the line at once
        #expect((try? driver.next()) == .some(nil))
        driver.append(u8("\ny\n"))
        let next = (try? driver.next()) ?? nil
        #expect(next?.data == u8("y"))
        #expect(next?.id == "2")
    }

    @Test("a line without its end is not a line yet, and nothing is lost when it arrives")
    func partialLine() {
        var driver = DecodingDriver(decoder: LineEcho())
        driver.append(u8("data: abc"))
        #expect((try? driver.next()) == .some(nil))
        driver.append(u8("def\n"))
        #expect((try? driver.next())??.data == u8("data: abcdef"))
    }

    @Test("one leading BOM is skipped; a second one, or one later, is part of the line")
    func bomOnlyAtStart() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(lines(bom + u8("a\n")) == ["1:a"])
        #expect(lines(bom + bom + u8("a\n")) == ["1:\u{FEFF}a"])
        #expect(lines(u8("a\n") + bom + u8("b\n")) == ["1:a", "2:\u{FEFF}b"])
        #expect(lines(bom + u8("\r\n")) == ["1:"])
    }

    @Test("a prefix of the BOM that is not one stays in the line")
    func brokenBOM() {
        #expect(lines([0xEF, 0xBB, 0x41, 0x0A]) == ["1:" + String(decoding: [0xEF, 0xBB, 0x41], as: UTF8.self)])
        #expect(lines([0xEF, 0x0A]) == ["1:" + String(decoding: [0xEF], as: UTF8.self)])
    }

    @Test("bytes that are not ASCII never end a line (CR and LF are ASCII, UTF-8 never holds them)")
    func utf8InLines() {
        #expect(lines("é\r€\n😀\r\n") == ["1:é", "2:€", "3:😀"])
    }

    @Test("line numbers go on across thousands of lines of mixed ends, split at random")
    func manyLines() {
        var text = ""
        var expected: [String] = []
        let ends = ["\n", "\r\n", "\r"]
        for i in 1...300 {
            text += "l\(i)" + ends[i % 3]
            expected.append("\(i):l\(i)")
        }
        #expect(lines(text) == expected)
    }

    @Test("isAtLineStart: false until the BOM is decided and while a CR waits for its LF")
    func atLineStart() {
        var input = DecoderInput(recordLimit: 1 << 20)
        var reader = SSELineReader()
        #expect(!reader.isAtLineStart)
        input.append(u8("\u{FEFF}"))
        #expect(reader.nextLine(&input) == nil)
        #expect(reader.isAtLineStart)
        input.append(u8("a\r"))
        let line = reader.nextLine(&input)
        #expect(line?.length == 1 && line?.terminator == 0x0D)
        reader.finishLine(&input, line!)
        #expect(!reader.isAtLineStart) // an LF may still belong to that CR
        input.append(u8("\n"))
        #expect(reader.nextLine(&input) == nil)
        #expect(reader.isAtLineStart)
        #expect(reader.lineNumber == 2)
    }
}
