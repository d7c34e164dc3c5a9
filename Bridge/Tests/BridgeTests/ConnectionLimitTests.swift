// --max-client-connections: a client that opens more connections than allowed has the extra ones
// closed at once; its connections in use keep working, and a closed one frees its place.
// Raw sockets, so that the connections are exactly the ones the test opens.

import Testing

@testable import BridgeKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP connection to 127.0.0.1 with a receive timeout.
struct RawConnection {
    let fd: Int32

    init(port: Int, timeoutSeconds: Int = 3) throws {
        #if canImport(Glibc)
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw TimedOut(seconds: 0)
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func transmit(_ text: String) {
        #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
        #else
            let flags: Int32 = 0
        #endif
        _ = text.utf8CString.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count - 1, flags) }
    }

    /// What arrives until a whole response head has come (its body, if any, in the same read),
    /// the peer closes (`closed`), or nothing more comes within the timeout.
    func receive() -> (text: String, closed: Bool) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { return (String(decoding: bytes, as: UTF8.self), n == 0 || errno == ECONNRESET) }
            bytes += buffer[0..<n]
            if String(decoding: bytes, as: UTF8.self).contains("\r\n\r\n") { return (String(decoding: bytes, as: UTF8.self), false) }
        }
    }

    func closeNow() { close(fd) }
}

@Suite("Bridge: connections per client", .serialized)
struct ConnectionLimitTests {
    @Test("beyond --max-client-connections a connection is closed at once; the others work; closing one frees its place")
    func perClient() async throws {
        try await Harness.run({ $0.maxConnectionsPerClient = 2 }) { h in
            let port = Int(h.bridge.split(separator: ":").last!)!
            let first = try RawConnection(port: port)
            let second = try RawConnection(port: port)
            try await Task.sleep(for: .milliseconds(200))
            let third = try RawConnection(port: port)
            let refused = third.receive()
            #expect(refused.closed && refused.text.isEmpty, "the third connection: \(refused)")
            third.closeNow()
            // The two within the limit serve requests.
            for connection in [first, second] {
                connection.transmit("GET /api/tags HTTP/1.1\r\nHost: x\r\n\r\n")
                let answer = connection.receive()
                #expect(answer.text.hasPrefix("HTTP/1.1 200"), "\(answer)")
            }
            first.closeNow()
            try await Task.sleep(for: .milliseconds(300))
            let fourth = try RawConnection(port: port)
            fourth.transmit("GET /api/tags HTTP/1.1\r\nHost: x\r\n\r\n")
            let answer = fourth.receive()
            #expect(answer.text.hasPrefix("HTTP/1.1 200"), "after one closed, a new connection works: \(answer)")
            second.closeNow()
            fourth.closeNow()
        }
    }
}
