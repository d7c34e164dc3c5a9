// A subscriber's response body: reads the stored stream from a position on, waiting for the
// live tail, and renders each read for the subscriber (StreamRenderer). Pull-based: the store is
// read only as fast as the client takes the bytes, so a slow client holds no more than one
// batch; when it falls behind the store's bounds, it gets a gap record and goes on.

import BridgeReplay
import StreamCodec

/// The upstream failed: the response ends abnormally after the error record, so that an HTTP
/// client sees a broken stream, not a complete one.
struct UpstreamFailed: Error {}

struct RenderedStream: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let store: any ReplayStore
    let streamID: String
    let inputFormat: String
    let output: OutputChoice
    let options: ConversionOptions
    let after: UInt64

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(
            store: store, streamID: streamID, after: after,
            renderer: Result { () throws(StreamCodecError) in
                try StreamRenderer(streamID: streamID, inputFormat: inputFormat, output: output, options: options, after: after)
            })
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let store: any ReplayStore
        let streamID: String
        var position: UInt64
        var renderer: Result<StreamRenderer, StreamCodecError>
        var failed = false
        var done = false

        init(store: any ReplayStore, streamID: String, after: UInt64, renderer: Result<StreamRenderer, StreamCodecError>) {
            self.store = store
            self.streamID = streamID
            self.position = after
            self.renderer = renderer
        }

        mutating func next() async throws -> [UInt8]? {
            if failed { throw UpstreamFailed() }
            if done { return nil }
            var renderer = try renderer.get()
            defer { self.renderer = .success(renderer) }
            while true {
                switch try await store.read(streamID, after: position, limit: 64) {
                case .records(let entries):
                    var out: [UInt8] = []
                    for entry in entries { out += try renderer.render(entry) }
                    position = entries.last?.position ?? position
                    if !out.isEmpty { return out }
                case .gap(let from, let to):
                    position = to
                    return renderer.gap(from: from, to: to)
                case .end(let end):
                    done = true
                    if case .failed = end { failed = true }
                    let out = try renderer.end(end)
                    if out.isEmpty {
                        if failed { throw UpstreamFailed() }
                        return nil
                    }
                    return out
                }
            }
        }
    }
}
