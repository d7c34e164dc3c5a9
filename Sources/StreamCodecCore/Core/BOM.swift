// The UTF-8 byte order mark (U+FEFF, EF BB BF), which one leading occurrence of may start a
// stream: WHATWG "Server-sent events" 9.2.5 skips it, RFC 8259 section 8.1 lets a JSON parser
// ignore it, and auto-detection looks past it.

/// The UTF-8 byte order mark at the start of a stream.
enum BOM {
    static let bytes: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// 3 when `bytes` starts with a BOM, 0 when it cannot, nil when too few bytes have arrived
    /// to tell (`bytes` is empty or a proper prefix of the BOM).
    static func skipLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var k = 0
        while k < min(3, bytes.count) && bytes[k] == Self.bytes[k] { k += 1 }
        if k == 3 { return 3 }
        return k == bytes.count ? nil : 0
    }

    /// ``skipLength(_:)`` of a decoder's readable bytes.
    static func skipLength(_ input: DecoderInput) -> Int? {
        input.withReadableBytes { skipLength($0) }
    }
}
