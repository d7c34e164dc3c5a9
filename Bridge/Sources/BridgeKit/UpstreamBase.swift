// The fixed upstream, and the request targets that may be forwarded to it. The upstream comes
// from configuration only: a request can choose a path and a query under it, never a host. An
// absolute-form target (`GET http://other/`), `//host`, a `.` or `..` segment (also as %2e),
// an encoded slash or backslash, or a control character is refused with 400 before anything is
// sent (no open proxy, no SSRF, no escaping the upstream's base path).

/// The upstream every request is forwarded to: `http(s)://host[:port][/base/path]`.
public struct UpstreamBase: Sendable, Hashable {
    public var scheme: String
    /// The host as written in the URL (an IPv6 address in brackets).
    public var host: String
    public var port: Int
    /// The base path without a trailing slash (`""` or `/v1`).
    public var basePath: String

    /// Why a URL cannot be the upstream.
    public struct Invalid: Error, Sendable {
        public var reason: String
    }

    static let placeholder = UpstreamBase(scheme: "http", host: "127.0.0.1", port: 80, basePath: "")

    init(scheme: String, host: String, port: Int, basePath: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    public init(_ text: String) throws(Invalid) {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("http://") {
            scheme = "http"
            rest = text.dropFirst(7)
        } else if lower.hasPrefix("https://") {
            scheme = "https"
            rest = text.dropFirst(8)
        } else {
            throw Invalid(reason: "an http:// or https:// URL is needed, such as http://127.0.0.1:11434")
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let path = rest[authorityEnd...]
        if authority.contains("@") { throw Invalid(reason: "credentials in the URL are not allowed (forward them per request)") }
        if path.contains("?") || path.contains("#") { throw Invalid(reason: "a query or fragment is not allowed in the upstream") }
        var hostPart = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw Invalid(reason: "an IPv6 address needs its closing ]") }
            hostPart = authority[...close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw Invalid(reason: "unexpected text after the IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty, hostPart.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "%" && $0 != "\\" }) else {
            throw Invalid(reason: "the host is missing or has characters a host cannot have")
        }
        host = String(hostPart)
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else { throw Invalid(reason: "the port must be a number from 1 to 65535") }
            port = p
        } else {
            port = scheme == "https" ? 443 : 80
        }
        guard RequestTarget.validPath(path.isEmpty ? "/" : path) else {
            throw Invalid(reason: "the base path has a dot segment, an encoded slash or a character a path cannot have")
        }
        basePath = String(path.hasSuffix("/") ? path.dropLast() : path)
    }

    /// `scheme://host:port`.
    public var origin: String { "\(scheme)://\(host):\(port)" }

    /// The upstream URL for a validated request target.
    public func url(for target: RequestTarget) -> String { origin + basePath + target.text }

    /// The value of the `Host` header the upstream gets.
    public var hostHeader: String {
        (scheme == "http" && port == 80) || (scheme == "https" && port == 443) ? host : "\(host):\(port)"
    }
}

/// A request target that may be forwarded: origin-form (`/path?query`), checked.
public struct RequestTarget: Sendable, Hashable {
    /// The path and query, as received.
    public var text: String
    /// The path without the query.
    public var path: Substring { text[..<(text.firstIndex(of: "?") ?? text.endIndex)] }

    /// Why a target is refused (answered 400).
    public struct Refused: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(_ raw: String) throws(Refused) {
        guard raw.hasPrefix("/") else {
            throw Refused(description: "only origin-form request targets (/path) are forwarded; this bridge's upstream is fixed")
        }
        guard !raw.hasPrefix("//") else { throw Refused(description: "a target starting with // is refused (it names a host)") }
        guard !raw.contains("#") else { throw Refused(description: "a fragment is not allowed in a request target") }
        guard raw.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F && $0 != 0x5C }) else {
            throw Refused(description: "the target has a space, a control character or a backslash")
        }
        let path = raw[..<(raw.firstIndex(of: "?") ?? raw.endIndex)]
        guard Self.validPath(path) else {
            throw Refused(description: "the path has a . or .. segment or an encoded slash, backslash or NUL")
        }
        text = raw
    }

    /// No dot segments (also percent-encoded), no encoded `/`, `\` or NUL, no `//`.
    static func validPath(_ path: some StringProtocol) -> Bool {
        let lower = path.lowercased()
        for bad in ["%2f", "%5c", "%00", "//"] where lower.contains(bad) { return false }
        for segment in lower.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let decoded = segment.replacingPercentDots
            if decoded == "." || decoded == ".." { return false }
        }
        return path.hasPrefix("/")
    }
}

extension StringProtocol {
    /// `%2e` as `.` (lowercased input), for spotting encoded dot segments.
    fileprivate var replacingPercentDots: String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: "%2e") {
            out += rest[..<r.lowerBound] + "."
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
