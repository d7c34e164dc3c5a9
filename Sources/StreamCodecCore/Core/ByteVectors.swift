// Byte scanning sixteen bytes at a time with the standard library's SIMD types, portable to any
// CPU (on x86-64 without AVX: pcmpeqb, pminub, pmovmskb). Two findings shape the code:
// comparisons must be made against splatted vectors (`v .== 0x22` with a scalar is a slow
// per-lane loop), and a mask is tested with an OR over its lanes, which compiles to one
// pmovmskb + test, where `any()` makes an out-of-line call.
//
// UTF-8 validation follows the Unicode Standard, chapter 3, Table 3-7 "Well-Formed UTF-8 Byte
// Sequences", checking each byte against the three before it: a continuation byte exactly
// where a lead byte asks for one, no C0/C1/F5..FF, no overlong 3- or 4-byte forms, no
// surrogates, nothing above U+10FFFF, and no sequence cut off at the end.

import StreamCodecSIMD

typealias Bytes16 = SIMD16<UInt8>
typealias ByteMask16 = SIMDMask<SIMD16<Int8>>

enum ByteVectors {
    @inline(__always)
    static func load16(_ p: UnsafePointer<UInt8>) -> Bytes16 {
        UnsafeRawPointer(p).loadUnaligned(as: Bytes16.self)
    }

    /// True when any lane of `m` is set.
    @inline(__always)
    static func any(_ m: ByteMask16) -> Bool {
        let b = unsafeBitCast(m, to: Bytes16.self)
        var r: UInt8 = 0
        for k in 0..<16 { r |= b[k] }
        return r != 0
    }

    /// The index of the lowest set lane of `m` (some lane must be set).
    @inline(__always)
    static func firstLane(_ m: ByteMask16) -> Int {
        unsafeBitCast(m, to: UInt128.self).trailingZeroBitCount &>> 3
    }

    @inline(__always)
    static func hasNonASCII(_ v: Bytes16) -> Bool {
        any(unsafeBitCast(v, to: SIMD16<Int8>.self) .< SIMD16<Int8>(repeating: 0))
    }
}

enum UTF8Check {
    /// True when `bytes` is well-formed UTF-8.
    static func isValidText(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return true }
            return isValid(base, count: buf.count)
        }
    }

    /// True when `p[0..<n]` is well-formed UTF-8 (Unicode Table 3-7): with the vector kernel
    /// (Sources/StreamCodecSIMD/UTF8.c, 64 bytes at a time) where the CPU has one, else with
    /// `isValidScalar`, its reference.
    @inline(__always)
    static func isValid(_ p: UnsafePointer<UInt8>, count n: Int) -> Bool {
        let kernel = JSONKernel.chosen
        if kernel != Int32(STREAMCODEC_KERNEL_NONE) { return isValid(p, count: n, kernel: kernel) }
        return isValidScalar(p, count: n)
    }

    /// `isValid` with the given kernel, which this CPU must support.
    static func isValid(_ p: UnsafePointer<UInt8>, count n: Int, kernel: Int32) -> Bool {
        streamcodec_utf8_valid_using(kernel, p, n) == 1
    }

    /// `isValid` sixteen bytes at a time with the standard library's SIMD types. ASCII blocks
    /// cost one test per 32 bytes; blocks with other bytes are checked sixteen bytes at a time.
    static func isValidScalar(_ p: UnsafePointer<UInt8>, count n: Int) -> Bool {
        var err = ByteMask16(repeating: false)
        var i = 0
        if n >= 16 {
            // The first block, with three zero bytes before it (nothing precedes the text).
            var head = SIMD32<UInt8>()
            withUnsafeMutableBytes(of: &head) { h in
                h.baseAddress!.advanced(by: 3).copyMemory(from: p, byteCount: 16)
                check16(h.baseAddress!.assumingMemoryBound(to: UInt8.self) + 3, &err)
            }
            i = 16
            while i &+ 32 <= n {
                check32(p + i, &err)
                i &+= 32
            }
            while i &+ 16 <= n {
                check16(p + i, &err)
                i &+= 16
            }
        }
        // The rest, with the three bytes before it and zero padding after it (a zero where a
        // continuation byte is due flags a sequence cut off at the end).
        var tail = SIMD64<UInt8>()
        withUnsafeMutableBytes(of: &tail) { t in
            let back = min(i, 3)
            t.baseAddress!.advanced(by: 3 &- back).copyMemory(from: p + (i &- back), byteCount: n &- i &+ back)
            let q = t.baseAddress!.assumingMemoryBound(to: UInt8.self) + 3
            check16(q, &err)
            check16(q + 16, &err)
        }
        return !ByteVectors.any(err)
    }

    /// The ill-formed bytes among `c`, given the bytes one, two and three places before each.
    @inline(__always)
    private static func errors(_ c: Bytes16, _ p1: Bytes16, _ p2: Bytes16, _ p3: Bytes16) -> ByteMask16 {
        let isContinuation = unsafeBitCast(c, to: SIMD16<Int8>.self) .< SIMD16<Int8>(repeating: -64) // 0x80...0xBF
        let due = (p1 .>= Bytes16(repeating: 0xC0)) .| (p2 .>= Bytes16(repeating: 0xE0)) .| (p3 .>= Bytes16(repeating: 0xF0))
        var e = due .^ isContinuation
        e .|= (c .>= Bytes16(repeating: 0xF5)) .| ((c & Bytes16(repeating: 0xFE)) .== Bytes16(repeating: 0xC0)) // F5..FF, C0, C1
        e .|= ((p1 .== Bytes16(repeating: 0xE0)) .& (c .< Bytes16(repeating: 0xA0))) // overlong 3-byte form
        e .|= ((p1 .== Bytes16(repeating: 0xED)) .& (c .> Bytes16(repeating: 0x9F))) // surrogates
        e .|= ((p1 .== Bytes16(repeating: 0xF0)) .& (c .< Bytes16(repeating: 0x90))) // overlong 4-byte form
        e .|= ((p1 .== Bytes16(repeating: 0xF4)) .& (c .> Bytes16(repeating: 0x8F))) // above U+10FFFF
        return e
    }

    /// Checks `q[0..<16]`; `q[-3..<16]` must be readable.
    @inline(__always)
    private static func check16(_ q: UnsafePointer<UInt8>, _ err: inout ByteMask16) {
        let c = ByteVectors.load16(q)
        let p3 = ByteVectors.load16(q - 3)
        if !ByteVectors.hasNonASCII(c | p3) { return }
        err .|= errors(c, ByteVectors.load16(q - 1), ByteVectors.load16(q - 2), p3)
    }

    /// Checks `q[0..<32]` with one ASCII test; `q[-3..<32]` must be readable.
    @inline(__always)
    private static func check32(_ q: UnsafePointer<UInt8>, _ err: inout ByteMask16) {
        let c0 = ByteVectors.load16(q)
        let c1 = ByteVectors.load16(q + 16)
        let p3 = ByteVectors.load16(q - 3)
        if !ByteVectors.hasNonASCII((c0 | c1) | p3) { return }
        err .|= errors(c0, ByteVectors.load16(q - 1), ByteVectors.load16(q - 2), p3)
            .| errors(c1, ByteVectors.load16(q + 15), ByteVectors.load16(q + 14), ByteVectors.load16(q + 13))
    }
}
