// Where the PostgreSQL replay store is: `postgres://USER@HOST[:PORT]/DATABASE[?schema=NAME&sslmode=MODE]`
// (also `postgresql://`). The password is never part of it: a URL with one is refused, because a
// command line is visible to every local user (ps, /proc); it comes from PGPASSWORD or a file.

/// A parsed `postgres://` location, without a password.
public struct PostgresStoreLocation: Sendable, Hashable {
    public enum TLSMode: String, Sendable, Hashable {
        /// No TLS (a server on loopback or a private network).
        case disable
        /// TLS when the server offers it (the default, as libpq's).
        case prefer
        /// TLS or no connection.
        case require
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    /// The PostgreSQL schema holding the store's tables (created when missing).
    public var schema: String
    public var tls: TLSMode

    /// Why a location was refused.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(
        user: String, host: String, port: Int = 5432, database: String, schema: String = "streamconv_bridge",
        tls: TLSMode = .prefer
    ) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.schema = schema
        self.tls = tls
    }

    public init(_ text: String) throws(Invalid) {
        var rest: Substring
        if text.hasPrefix("postgres://") {
            rest = text.dropFirst("postgres://".count)
        } else if text.hasPrefix("postgresql://") {
            rest = text.dropFirst("postgresql://".count)
        } else {
            throw Invalid(description: "not a postgres:// URL (postgres://USER@HOST:PORT/DATABASE)")
        }
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw Invalid(description: "no database: postgres://USER@HOST:PORT/DATABASE")
        }
        let authority = rest[..<slash]
        let database = Self.percentDecoded(rest[rest.index(after: slash)...])
        guard let at = authority.lastIndex(of: "@") else {
            throw Invalid(description: "no user: postgres://USER@HOST:PORT/DATABASE")
        }
        let userInfo = authority[..<at]
        if userInfo.contains(":") {
            throw Invalid(
                description:
                    "the URL holds a password; command lines are visible to every local user: remove it from the URL and put it in PGPASSWORD or in a file named by --replay-store-password-file"
            )
        }
        let user = Self.percentDecoded(userInfo)
        var hostPort = authority[authority.index(after: at)...]
        var port = 5432
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else {
                    throw Invalid(description: "invalid port '\(after.dropFirst())'")
                }
                port = p
            }
            hostPort = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
        } else if let colon = hostPort.lastIndex(of: ":") {
            let portText = hostPort[hostPort.index(after: colon)...]
            guard let p = Int(portText), (1...65535).contains(p) else { throw Invalid(description: "invalid port '\(portText)'") }
            port = p
            hostPort = hostPort[..<colon]
        }
        guard !user.isEmpty else { throw Invalid(description: "no user: postgres://USER@HOST:PORT/DATABASE") }
        guard !hostPort.isEmpty else { throw Invalid(description: "no host: postgres://USER@HOST:PORT/DATABASE") }
        guard !database.isEmpty, !database.contains("/") else {
            throw Invalid(description: "no database: postgres://USER@HOST:PORT/DATABASE")
        }
        var schema = "streamconv_bridge"
        var tls = TLSMode.prefer
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count == 2 ? String(parts[1]) : ""
            switch parts[0] {
            case "schema":
                guard Self.isIdentifier(value) else {
                    throw Invalid(
                        description: "invalid schema '\(value)' (lowercase letters, digits and _, not starting with a digit, at most 40)")
                }
                schema = value
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw Invalid(description: "invalid sslmode '\(value)' (disable, prefer or require)")
                }
                tls = mode
            case "password":
                throw Invalid(
                    description:
                        "the URL holds a password; command lines are visible to every local user: remove it from the URL and put it in PGPASSWORD or in a file named by --replay-store-password-file"
                )
            default:
                throw Invalid(description: "unknown parameter '\(parts[0])' (schema=NAME, sslmode=disable|prefer|require)")
            }
        }
        self.init(user: user, host: String(hostPort), port: port, database: database, schema: schema, tls: tls)
    }

    /// The URL again (no password: there is none).
    public var url: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(hostText):\(port)/\(database)?schema=\(schema)"
    }

    /// A safe SQL identifier without quoting: `[a-z_][a-z0-9_]*`, at most 40 characters (the
    /// notification channel adds a suffix and PostgreSQL keeps 63).
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 40, !(0x30...0x39).contains(first) else { return false }
        return text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var i = text.utf8.startIndex
        let utf8 = text.utf8
        while i < utf8.endIndex {
            let byte = utf8[i]
            if byte == 0x25, let h = utf8.index(i, offsetBy: 1, limitedBy: utf8.endIndex), h < utf8.endIndex,
                let l = utf8.index(h, offsetBy: 1, limitedBy: utf8.endIndex), l < utf8.endIndex,
                let value = UInt8(String(decoding: [utf8[h], utf8[l]], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                i = utf8.index(after: l)
            } else {
                bytes.append(byte)
                i = utf8.index(after: i)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
