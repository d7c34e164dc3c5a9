// Sizes on the command line (--max-record-bytes): a whole number of bytes, optionally with a
// unit. Binary units are powers of 1024: k, K, KiB; M, MiB; G, GiB. Decimal units are powers of
// 1000: kB, MB, GB. Units are case-sensitive (as in IEC 80000-13 and GNU coreutils' `kB`):
// `m`, `g`, `mb`, `kib` are not sizes, so a typo is an error instead of a guess.

enum ByteCount {
    static let units: [(suffix: String, factor: Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
        ("kB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000),
        ("k", 1 << 10), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30),
    ]

    /// "16M" -> 16777216, "5MB" -> 5000000; nil when `text` is not a size or overflows.
    static func parse(_ text: String) -> Int? {
        var digits = Substring(text)
        var factor = 1
        if let unit = units.first(where: { text.hasSuffix($0.suffix) }) {
            digits = text.dropLast(unit.suffix.count)
            factor = unit.factor
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(digits) else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }
}
