// Reading an upstream stream into the replay store, once, whoever listens: the upstream's body is
// decoded record by record (its format given, from its Content-Type, or detected from its first
// significant byte) and each record is appended as soon as it is complete. The stream ends
// `failed` when the body breaks off, a record is bad, or (with --require-done) the SSE input
// ends without its done marker; subscribers then get an in-stream error record.

import AsyncHTTPClient
import BridgeReplay
import NIOCore
import StreamCodec

struct StreamReader {
    let store: any ReplayStore
    let streamID: String
    let options: ConversionOptions

    /// Finds the input format of a body whose format is `auto`: reads until the first
    /// significant byte, and returns the format with the bytes read so far.
    static func detect(_ body: inout HTTPClientResponse.Body.AsyncIterator) async throws -> (format: String, prefix: [UInt8]) {
        var prefix: [UInt8] = []
        while let chunk = try await body.next() {
            prefix += chunk.readableBytesView
            let byte = prefix.withUnsafeBytes { FormatRegistry.firstSignificantByte($0) }
            if let byte, let format = FormatRegistry.standard.detect(firstSignificantByte: byte) { return (format.name, prefix) }
            if prefix.count > 1 << 20 { break } // a megabyte of blanks: not a stream
        }
        return ("sse", prefix)
    }

    /// Decodes the body into the store, then ends the stream there. Never throws: failures end
    /// the stream as `failed`.
    func run(format: String, prefix: [UInt8], body: HTTPClientResponse.Body.AsyncIterator) async {
        var body = body
        let end: ReplayEnd
        do {
            end = try await decode(format: format, prefix: prefix, body: &body)
        } catch let error as StreamCodecError {
            end = .failed("the upstream sent bad \(format): \(error.message)" + (error.line.map { " (line \($0))" } ?? ""))
        } catch is CancellationError {
            end = .failed("the bridge stopped reading the upstream (shutting down)")
        } catch {
            end = .failed("the upstream's response broke off: \(error)")
        }
        try? await store.finish(streamID, end)
    }

    private func decode(format: String, prefix: [UInt8], body: inout HTTPClientResponse.Body.AsyncIterator) async throws -> ReplayEnd {
        guard let make = FormatRegistry.standard.format(named: format)?.makeDecoder else {
            return .failed("no decoder for \(format)")
        }
        var driver = DecodingDriver(decoder: AnyStreamDecoder(make(options.codec)), maxRecordBytes: options.maxRecordBytes)
        let marker = options.doneMarker.map { Array($0.utf8) }
        var sawDone = false
        func drain(_ driver: inout DecodingDriver<AnyStreamDecoder>) async throws {
            while let record = try driver.next() {
                if record.kind == .event, let marker, record.data == marker { sawDone = true }
                try await store.append(record, to: streamID)
            }
        }
        driver.append(prefix)
        try await drain(&driver)
        while let chunk = try await body.next() {
            driver.append(chunk.readableBytesView)
            try await drain(&driver)
        }
        driver.finishInput()
        try await drain(&driver)
        if options.requireDone && !sawDone {
            return .failed("the upstream ended without \(options.doneMarker ?? "[DONE]"): the stream may have been cut off")
        }
        return .finished
    }
}
