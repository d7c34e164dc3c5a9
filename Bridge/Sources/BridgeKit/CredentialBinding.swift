// Binding a stream to the credentials of the request that started it: only requests with the
// same credentials may resume or join it; others get 404, as for a stream that does not exist.
// The store keeps HMAC-SHA256(key, credentials), never the credentials; the key is random per
// process, or read from a file (--binding-key-file) so that replicas compute the same hash.

/// Computes and compares credential bindings.
public struct CredentialBinding: Sendable {
    private let key: [UInt8]

    /// The request headers that carry credentials. Their values, in this order, are bound.
    public static let credentialHeaders = ["authorization", "cookie", "proxy-authorization", "x-api-key", "api-key"]

    public init(key: [UInt8]) {
        self.key = key
    }

    /// A random 256-bit key.
    public static func randomKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The binding of a request with these headers (name, value; names lowercased), or nil when
    /// it carries no credentials.
    public func binding(headers: [(name: String, value: String)]) -> [UInt8]? {
        var message: [UInt8] = []
        var any = false
        for name in Self.credentialHeaders {
            let values = headers.filter { $0.name == name }.map(\.value)
            any = any || !values.isEmpty
            // Length-prefixed, so that no two different header sets give the same message.
            for value in [name] + values {
                let bytes = Array(value.utf8)
                message += withUnsafeBytes(of: UInt64(bytes.count).bigEndian, Array.init) + bytes
            }
            message.append(0xFF)
        }
        return any ? HMACSHA256.authenticationCode(key: key, message: message) : nil
    }

    /// Whether a request whose binding is `candidate` may read a stream bound to `bound`:
    /// equal, compared in constant time.
    public static func allows(_ candidate: [UInt8]?, toRead bound: [UInt8]?) -> Bool {
        switch (bound, candidate) {
        case (nil, _): return true
        case (.some, nil): return false
        case (.some(let a), .some(let b)):
            guard a.count == b.count else { return false }
            var difference: UInt8 = 0
            for i in a.indices { difference |= a[i] ^ b[i] }
            return difference == 0
        }
    }
}
