// The access log: one line per request on standard error, and one when a stream's response
// ends. It never holds credentials: no header values, and no query string (a query can carry an
// API key), only whether there was one.
//
//   127.0.0.1 "POST /api/chat" 200 stream=3f...c2 ndjson>sse 12ms
//   127.0.0.1 stream=3f...c2 ended: 4711 bytes in 2.31s (finished)

import Foundation

struct AccessLog: Sendable {
    let enabled: Bool

    func request(client: String?, method: String, target: String, status: Int, detail: String, started: ContinuousClock.Instant) {
        guard enabled else { return }
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let shown = String(path.first ?? "") + (path.count > 1 ? "?..." : "")
        write(
            "\(client ?? "-") \"\(method) \(Self.printable(shown))\" \(status)\(detail.isEmpty ? "" : " " + detail) \(Self.milliseconds(since: started))ms"
        )
    }

    func streamEnded(client: String?, stream: String, bytes: Int, started: ContinuousClock.Instant, outcome: String) {
        guard enabled else { return }
        let seconds = Double(Self.milliseconds(since: started)) / 1000
        write("\(client ?? "-") stream=\(stream) ended: \(bytes) bytes in \(String(format: "%.2f", seconds))s (\(outcome))")
    }

    func note(_ text: String) {
        write(text)
    }

    private func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }

    /// Control characters and quotes escaped, so that a request cannot forge log lines.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\"" || scalar == "\\" {
                out += "\\x" + String(format: "%02x", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
