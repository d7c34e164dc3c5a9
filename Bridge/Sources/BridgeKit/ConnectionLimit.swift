// Connections per client address (--max-client-connections): each accepted connection is counted
// for its client's IP address while it is open; one beyond the limit is closed at once, before
// any request is read. Bounds what a client can hold open besides its requests in flight
// (--max-client-requests) and idle connections (--idle-timeout).

import NIOConcurrencyHelpers
import NIOCore

/// The open connections of each client address, shared by every connection's handler.
public final class ConnectionCounts: Sendable {
    let limit: Int
    private let counts = NIOLockedValueBox<[String: Int]>([:])

    public init(limit: Int) {
        self.limit = limit
    }

    /// Counts a connection of `client`, or returns false when it has `limit` open already.
    func open(_ client: String) -> Bool {
        counts.withLockedValue { counts in
            let count = counts[client, default: 0]
            guard count < limit else { return false }
            counts[client] = count + 1
            return true
        }
    }

    func close(_ client: String) {
        counts.withLockedValue { counts in
            let count = counts[client, default: 1] - 1
            counts[client] = count > 0 ? count : nil
        }
    }

    /// Open connections of `client` (for tests).
    public func count(of client: String) -> Int { counts.withLockedValue { $0[client, default: 0] } }

    /// A handler for one new connection.
    func handler() -> ConnectionLimitHandler { ConnectionLimitHandler(counts: self) }
}

/// Counts its connection for the client's address while it is open; closes it at once when the
/// client has too many.
final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Any
    let counts: ConnectionCounts
    private var client: String?

    init(counts: ConnectionCounts) {
        self.counts = counts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "-"
        if counts.open(address) {
            client = address
        } else {
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard client != nil else { return } // refused: read nothing
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    private func release() {
        if let client {
            counts.close(client)
            self.client = nil
        }
    }
}
