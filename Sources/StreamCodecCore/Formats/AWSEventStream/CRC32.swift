// CRC-32 as ISO-HDLC / IEEE 802.3 define it (the CRC of zlib, PNG and the AWS event stream
// encoding): polynomial 0x04C11DB7 reflected (0xEDB88320), initial value and final XOR
// 0xFFFFFFFF. Check value: CRC-32("123456789") = 0xCBF43926.
//
// Slicing-by-8 (Intel, "A Systematic Approach to Building High Performance Software-Based CRC
// Generators", 2005): eight 256-entry tables let one step fold eight bytes with eight table
// loads instead of eight dependent single-byte steps. The tail is folded a byte at a time with
// the first table, which is the classic table-driven CRC.

/// The CRC-32 (IEEE) of bytes, as AWS event stream messages carry it in their prelude and at
/// their end.
///
/// ```swift
/// CRC32.checksum(Array("123456789".utf8))   // 0xCBF43926
/// ```
public enum CRC32 {
    /// Eight tables of 256 entries: table k maps a byte to its CRC shifted by k more zero bytes.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    /// The CRC-32 of `bytes`; pass the CRC of the bytes before them as `crc` to continue it.
    ///
    /// - Complexity: O(n), eight bytes per step.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        let n = bytes.count
        tables.withUnsafeBufferPointer { t in
            var i = 0
            while i + 8 <= n {
                let lo = bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian ^ c
                let hi = bytes.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self).littleEndian
                c =
                    t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                i += 8
            }
            while i < n {
                c = t[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        return ~c
    }

    /// The CRC-32 of `bytes`; pass the CRC of the bytes before them as `crc` to continue it.
    public static func checksum(_ bytes: some Sequence<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        let array = Array(bytes)
        return array.withUnsafeBytes { checksum($0, continuing: crc) }
    }
}
