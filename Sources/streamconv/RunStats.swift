// `--stats` (one line of totals on standard error at the end) and `--progress` (a line on a
// terminal's standard error, redrawn a few times a second and erased at the end). Both read
// the clock through the SystemCalls seam; with neither option nothing here runs.
import StreamCodecCore

struct RunStats {
    var inputs = 0
    var bytesRead = 0
    var startNanoseconds: UInt64 = 0

    /// `--stats`: "stats: 2 inputs, 1048576 bytes read, 1000 records in, 998 out, 2 skipped,
    /// 0 ignored SSE lines, 0.052 s, 20.2 MB/s" (MB: 10^6 bytes); with --pick, "N without the
    /// --pick value" after the skipped count.
    func line(_ converter: Converter, nowNanoseconds: UInt64) -> String {
        let elapsed = Double(nowNanoseconds &- startNanoseconds) / 1e9
        return "stats: \(inputs) input\(inputs == 1 ? "" : "s"), \(bytesRead) bytes read, \(converter.recordsIn) records in, "
            + "\(converter.recordCount) out, \(converter.skippedCount) skipped, "
            + (converter.pickMissingCount.map { "\($0) without the --pick value, " } ?? "")
            + "\(converter.ignoredLineCount) ignored SSE lines, "
            + "\(Self.fixed(elapsed, 3)) s, \(Self.rate(bytesRead, elapsed)) MB/s"
    }

    /// `--progress`: "1.2 MB read, 3400 records, 12.5 MB/s".
    func progress(_ converter: Converter, nowNanoseconds: UInt64) -> String {
        let elapsed = Double(nowNanoseconds &- startNanoseconds) / 1e9
        return "\(Self.fixed(Double(bytesRead) / 1e6, 1)) MB read, \(converter.recordCount) records, \(Self.rate(bytesRead, elapsed)) MB/s"
    }

    static func rate(_ bytes: Int, _ seconds: Double) -> String {
        seconds > 0 ? fixed(Double(bytes) / 1e6 / seconds, 1) : "-"
    }

    /// `value` with `digits` decimals (no Foundation formatting).
    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = scaled % Int(scale)
        if digits == 0 { return "\(whole)" }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }
}

/// The `--progress` line's drawing state.
struct ProgressLine {
    /// Draw only when standard error is a terminal.
    var enabled = false
    var shown = false
    var lastDrawNanoseconds: UInt64 = 0
    /// Redraws at most this often.
    static let intervalNanoseconds: UInt64 = 250_000_000
    /// Carriage return and "erase to end of line" (ECMA-48 EL).
    static let erase = "\r\u{1B}[K"
}
