// Which headers cross the bridge (RFC 9110 section 7.6.1, RFC 7239's de-facto X-Forwarded-For).
// Hop-by-hop headers (Connection and the headers it names, Keep-Alive, Proxy-Connection, TE,
// Trailer, Transfer-Encoding, Upgrade, Proxy-Authenticate, Proxy-Authorization) are dropped both
// ways; Host is the upstream's; the client's address is appended to X-Forwarded-For; which other
// request headers go upstream is configurable (--forward-headers).

public enum ProxyHeaders {
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]
    /// Set by the bridge, never copied from the client.
    static let ownedRequest: Set<String> = ["host", "content-length", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto"]
    /// Set by the bridge on a converted stream, never copied from the upstream.
    static let ownedStreamResponse: Set<String> = [
        "content-type", "content-length", "content-encoding", "cache-control", "x-accel-buffering", "etag", "last-modified",
        "accept-ranges", "content-range",
    ]

    /// The names a Connection header lists (they are hop-by-hop too).
    static func connectionTokens(_ headers: [(name: String, value: String)]) -> Set<String> {
        var tokens: Set<String> = []
        for header in headers where header.name == "connection" {
            for token in header.value.split(separator: ",") { tokens.insert(token.trimmingSpaces.lowercased()) }
        }
        return tokens
    }

    /// The headers to send upstream for a client request (names lowercased).
    ///
    /// - Parameters:
    ///   - forwarded: the end-to-end headers to forward (nil: all).
    ///   - clientAddress: appended to X-Forwarded-For (nil when unknown).
    ///   - receivedHost: the Host the client asked for, sent as X-Forwarded-Host.
    public static func upstreamRequest(
        _ headers: [(name: String, value: String)], forwarded: Set<String>?,
        clientAddress: String?, upstreamHost: String
    ) -> [(name: String, value: String)] {
        let dropped = hopByHop.union(connectionTokens(headers)).union(ownedRequest)
        var out: [(name: String, value: String)] = [("host", upstreamHost)]
        var forwardedFor: [String] = []
        for header in headers {
            if header.name == "x-forwarded-for" { forwardedFor.append(header.value) }
            if header.name == "host" { out.append(("x-forwarded-host", header.value)) }
            guard !dropped.contains(header.name) else { continue }
            if let forwarded, !forwarded.contains(header.name) { continue }
            out.append(header)
        }
        if let clientAddress { forwardedFor.append(clientAddress) }
        if !forwardedFor.isEmpty { out.append(("x-forwarded-for", forwardedFor.joined(separator: ", "))) }
        return out
    }

    /// The upstream's response headers to pass to the client: without hop-by-hop ones, and for
    /// a converted stream without those that describe the upstream's bytes.
    public static func clientResponse(_ headers: [(name: String, value: String)], converted: Bool) -> [(name: String, value: String)] {
        let dropped = hopByHop.union(connectionTokens(headers)).union(converted ? ownedStreamResponse : ["content-length"])
        return headers.filter { !dropped.contains($0.name) }
    }
}
