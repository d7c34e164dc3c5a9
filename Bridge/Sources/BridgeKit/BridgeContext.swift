// The request context: Hummingbird's core storage plus the client's address (for
// X-Forwarded-For, the per-client limit and the access log) and its connection (the write timeout).

import Hummingbird
import NIOCore

public struct BridgeContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The client's connection (closed by the write timeout).
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        channel = source.channel
    }

    /// The client's IP address as text, or nil when unknown.
    var clientIP: String? { remoteAddress?.ipAddress }
}
