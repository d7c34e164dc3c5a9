// Up to eight bytes held inline: the framing of a record in the fast lanes.

/// Up to eight bytes held inline, so that a lane's framing costs no reference counting on
/// each call (arrays captured by the lane's closures were retained and released every time).
struct ShortBytes: Sendable, Equatable {
    private var storage: UInt64 = 0
    let count: Int

    /// Nil when `bytes` is longer than eight bytes.
    init?(_ bytes: [UInt8]) {
        guard bytes.count <= 8 else { return nil }
        count = bytes.count
        withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: bytes) }
    }

    @inline(__always)
    func append(to output: inout [UInt8]) {
        if count == 0 { return }
        withUnsafeBytes(of: storage) { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    @inline(__always)
    func equals(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count == count && withUnsafeBytes(of: storage) { $0.prefix(count).elementsEqual(bytes) }
    }
}
