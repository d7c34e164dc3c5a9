// The request context: Hummingbird's core storage plus the client's address (for
// X-Forwarded-For, the per-client limit and the access log).

import Hummingbird
import NIOCore

public struct BridgeContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text, or nil when unknown.
    var clientIP: String? { remoteAddress?.ipAddress }
}
