// Linear time in record size (issue: "doubling the event size at most doubles the time").
// The mistake this guards against is the one several popular SSE and JSON-stream parsers made:
// rescanning a partial record from its start on every read, which is quadratic when a large
// record arrives in many small reads. Each decoder is fed one large record ONE BYTE AT A TIME
// (the worst case for rescanning) at two sizes; linear code takes about twice as long for twice
// the bytes, quadratic code about four times as long. The bound (3.2) is generous against noise
// and still decisive. Best of five runs (noise only adds time); the precise per-byte figures are
// in the benchmark.
import Foundation
import StreamCodec
import Testing

@Suite("Linear time: a large record fed one byte at a time", .serialized)
struct LinearTimeTests {
    /// One record of about `size` bytes in each format, as the decoder would receive it.
    static func record(_ format: String, size: Int) -> [UInt8] {
        let text = String(repeating: "token 世界 🙂 ", count: max(1, size / 24))
        switch format {
        case "sse-lines": // one event spread over many short data: lines
            var out = ""
            for i in 0..<(size / 32) { out += "data: {\"i\":\(i),\"t\":\"abcdefgh\"}\n" }
            return Array((out + "\n").utf8)
        case "sse": return Array("data: {\"text\":\"\(text)\"}\n\n".utf8)
        case "ndjson": return Array("{\"text\":\"\(text)\"}\n".utf8)
        case "stream-json": return Array("{\n  \"text\" : \"\(text)\",\n  \"n\" : [1, 2, 3]\n}\n".utf8)
        case "json-seq": return Array("\u{1E}{\"text\":\"\(text)\"}\n".utf8)
        case "json-array": return Array("[{\"text\":\"\(text)\"}]".utf8)
        case "quadratic": return Array(String(repeating: "x", count: size).utf8) + [0x0A]
        default: fatalError(format)
        }
    }

    static func decoder(_ format: String) -> any StreamDecoder {
        if format == "quadratic" { return RescanningLineDecoder() }
        let name = format == "sse-lines" ? "sse" : format
        return FormatRegistry.standard.format(named: name)!.makeDecoder!(CodecOptions())
    }

    /// CPU seconds of this thread (not wall time: the test runs beside other tests, and time
    /// spent waiting for a core must not count).
    static func threadCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// CPU seconds to decode `bytes` fed one byte at a time: the best of `runs` (noise only
    /// ever adds time, so the minimum is the steadiest figure).
    static func byteAtATime(_ bytes: [UInt8], _ format: String, runs: Int = 5) -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            var driver = DecodingDriver(decoder: AnyStreamDecoder(decoder(format)))
            var records = 0
            let start = Self.threadCPUTime()
            for byte in bytes {
                driver.append(CollectionOfOne(byte))
                while (try? driver.next()) ?? nil != nil { records += 1 }
            }
            driver.finishInput()
            while (try? driver.next()) ?? nil != nil { records += 1 }
            times.append(Self.threadCPUTime() - start)
            #expect(records == 1, "\(format): \(records) records")
        }
        return times.min()!
    }

    /// Runs `body` on a thread of its own, so this CPU-bound measurement never holds one of the
    /// few threads the concurrent tests share.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    // Four times the bytes, not two: linear work gives a ratio of 4 and quadratic work 16, so
    // the bound of 8 leaves a factor of two for noise either way (with twice the bytes, 2
    // against 4, a loaded machine crossed a bound set between them).
    @Test(
        "four times the bytes take at most about four times the time (not sixteen times)",
        arguments: ["sse", "sse-lines", "ndjson", "stream-json", "json-seq", "json-array"])
    func quadrupling(format: String) async {
        let size = 24 * 1024
        let (small, large) = await Self.onOwnThread {
            (Self.byteAtATime(Self.record(format, size: size), format), Self.byteAtATime(Self.record(format, size: 4 * size), format))
        }
        #expect(large / small < 8, "\(format): \(size) bytes took \(small) s, four times as many \(large) s (ratio \(large / small))")
    }
}

extension LinearTimeTests {
    /// CPU seconds to convert `bytes` from SSE to NDJSON fed one byte at a time (the converter's
    /// fast lane, which looks at a block's first line before the line parser does).
    static func convertByteAtATime(_ bytes: [UInt8], runs: Int = 5) -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            var converter = try! Converter(from: "sse", to: "ndjson")
            var output: [UInt8] = []
            let start = Self.threadCPUTime()
            for byte in bytes { try! converter.convert(CollectionOfOne(byte), into: &output) }
            try! converter.finish(into: &output)
            times.append(Self.threadCPUTime() - start)
            #expect(converter.recordCount == 1)
        }
        return times.min()!
    }

    // The lane and the line parser search the same partial line; their remembered searches must
    // not undo each other (a search starting elsewhere would start over: quadratic).
    @Test(
        "through the SSE fast lane too, four times the bytes take at most about four times the time",
        arguments: ["", "event: delta\n"])
    func quadruplingThroughTheLane(firstLine: String) async {
        let size = 96 * 1024 // long enough for a rescan of the partial line to dominate
        let (small, large) = await Self.onOwnThread {
            let event = { (size: Int) in Array((firstLine + "data: {\"text\":\"" + String(repeating: "a", count: size) + "\"}\n\n").utf8) }
            return (Self.convertByteAtATime(event(size), runs: 3), Self.convertByteAtATime(event(4 * size), runs: 3))
        }
        // A lane whose search started five bytes into the line (one search undoing the other's
        // memory) measured 3.09 for twice the bytes, so about 10 for four times; linear is 4.
        #expect(large / small < 8, "\(size) bytes took \(small) s, four times as many \(large) s (ratio \(large / small))")
    }
}

/// The mistake the test above guards against, on purpose: a line decoder that searches for the
/// line end from the start of the buffer on every call (no remembered scan position).
private struct RescanningLineDecoder: StreamDecoder {
    mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
        let end: Int? = input.withReadableBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i < bytes.count {
                if bytes[i] == 0x0A { return i }
                i += 1
            }
            return nil
        }
        guard let end else { return nil }
        input.consume(end + 1)
        return .event(data: "line")
    }
}

extension LinearTimeTests {
    @Test(
        "the check can fail: a decoder that rescans its partial record on every read takes about sixteen times as long for four times the bytes"
    )
    func rescanningIsCaught() async {
        let size = 6 * 1024
        let (small, large) = await Self.onOwnThread {
            (
                Self.byteAtATime(Self.record("quadratic", size: size), "quadratic", runs: 2),
                Self.byteAtATime(Self.record("quadratic", size: 4 * size), "quadratic", runs: 2)
            )
        }
        #expect(large / small > 8, "ratio \(large / small)")
    }
}
