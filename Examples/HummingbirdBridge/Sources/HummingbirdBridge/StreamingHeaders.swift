// The response headers of a stream: what keeps caches and proxies from holding it back.

import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
    static let xAccelBuffering = Self("X-Accel-Buffering")!
}

extension HTTPFields {
    /// No caching, no proxy buffering (nginx honours X-Accel-Buffering), and no Content-Length:
    /// the body is chunked and each record is flushed as it is written. (No compression either:
    /// Hummingbird compresses only with compression middleware, which this server does not add.)
    static func streaming(_ contentType: String) -> HTTPFields {
        [.contentType: contentType, .cacheControl: "no-cache", .xAccelBuffering: "no"]
    }
}
