// The write timeout (--write-timeout): a client that stops reading fills the socket buffers, and
// then a write of its response waits. Each write arms a timer on the connection's event loop;
// when a write has waited that long, the connection is closed, which ends the wait (the write
// fails) and frees what the response held. A client reading slowly but steadily is never cut.

import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// The client did not take a write within the write timeout; its connection was closed.
struct WriteTimedOut: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "the client read nothing for \(seconds) s (--write-timeout): connection closed" }
}

/// A response body writer whose every write must complete within `seconds`, else the connection
/// is closed.
struct TimedBodyWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    let channel: any Channel
    let seconds: Double
    let timedOut = NIOLockedValueBox(false)

    mutating func write(_ buffer: ByteBuffer) async throws {
        let (channel, timedOut) = (self.channel, self.timedOut)
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) {
            timedOut.withLockedValue { $0 = true }
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            try await base.write(buffer)
        } catch {
            if timedOut.withLockedValue({ $0 }) { throw WriteTimedOut(seconds: seconds) }
            throw error
        }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await base.finish(trailingHeaders)
    }
}
