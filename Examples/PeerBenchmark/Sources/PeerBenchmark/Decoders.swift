// The two decoders, fed the same chunks. Each returns the events counted (and, on request,
// their data, for the correctness check).
import EventSource
import StreamCodec

struct Tally: Sendable {
    var events = 0
    var dataBytes = 0
    var kept: [[UInt8]]?

    mutating func add(count: Int, _ data: @autoclosure () -> [UInt8]) {
        events += 1
        dataBytes += count
        kept?.append(data())
    }
}

/// StreamCodec: `DecodingDriver(decoder: SSEDecoder())`, `append` then `next()` until nil.
func decodeWithStreamCodec(_ chunks: [ArraySlice<UInt8>], maxRecordBytes: Int, keep: Bool = false) throws -> Tally {
    var tally = Tally(kept: keep ? [] : nil)
    var driver = DecodingDriver(decoder: SSEDecoder(), maxRecordBytes: maxRecordBytes)
    for chunk in chunks {
        driver.append(chunk)
        while let record = try driver.next() { tally.add(count: record.data.count, record.data) }
    }
    driver.finishInput()
    while let record = try driver.next() { tally.add(count: record.data.count, record.data) }
    return tally
}

/// EventSource's `Parser` (an actor taking one byte per call), driven from inside its own
/// isolation: a chunk's bytes, then the events they completed. No actor hop per byte, so this
/// measures the parser itself.
@concurrent
func decodeWithEventSourceParser(_ chunks: [ArraySlice<UInt8>], keep: Bool = false) async -> Tally {
    let parser = EventSource.Parser()
    var tally = Tally(kept: keep ? [] : nil)
    for chunk in chunks { tally = await feed(parser, chunk, tally) }
    return await finish(parser, tally)
}

private func feed(_ parser: isolated EventSource.Parser, _ chunk: ArraySlice<UInt8>, _ tally: Tally) -> Tally {
    for byte in chunk { parser.consume(byte) }
    return drain(parser, tally)
}

private func finish(_ parser: isolated EventSource.Parser, _ tally: Tally) -> Tally {
    parser.finish()
    return drain(parser, tally)
}

private func drain(_ parser: isolated EventSource.Parser, _ tally: Tally) -> Tally {
    var tally = tally
    while let event = parser.getNextEvent() { tally.add(count: event.data.utf8.count, Array(event.data.utf8)) }
    return tally
}

/// EventSource's `AsyncSequence.events` (its API for a byte stream such as `URLSession.AsyncBytes`):
/// the chunks as an async sequence of bytes from memory. It awaits the parser actor twice per
/// byte, as its own client does.
@concurrent
func decodeWithEventSourceSequence(_ chunks: [ArraySlice<UInt8>]) async throws -> Tally {
    var tally = Tally()
    for try await event in ChunkedBytes(chunks: chunks).events {
        tally.add(count: event.data.utf8.count, [])
    }
    return tally
}

/// In-memory chunks as an `AsyncSequence` of bytes (never suspends).
struct ChunkedBytes: AsyncSequence, Sendable {
    let chunks: [ArraySlice<UInt8>]

    func makeAsyncIterator() -> Iterator { Iterator(chunks: chunks) }

    struct Iterator: AsyncIteratorProtocol {
        let chunks: [ArraySlice<UInt8>]
        var nextChunk = 0
        var current: ArraySlice<UInt8> = []

        mutating func next() async -> UInt8? {
            while current.isEmpty {
                guard nextChunk < chunks.count else { return nil }
                current = chunks[nextChunk]
                nextChunk += 1
            }
            return current.popFirst()
        }
    }
}
