// The vector kernel of JSONFastPath (Sources/StreamCodecSIMD/JSONMinify.c): RFC 8259 validation
// and minification of a text complete in memory, 64 bytes at a time, chosen at run time. The
// scalar JSONFastPath.minifyScalar is its reference.

import StreamCodecSIMD

enum JSONKernel {
    /// True when this CPU has a kernel (x86-64 with AVX2, BMI2 and PCLMULQDQ) and the
    /// environment did not switch it off (STREAMCODEC_SIMD=off).
    static let isAvailable = streamcodec_simd_kernel() != 0

    /// Appends the minified text of `p[0..<n]` to `out` and returns true when it is exactly one
    /// JSON text nested at most `min(maxDepth, 64)` deep; returns false otherwise (with `out`
    /// possibly holding partial output, for the caller to truncate). Only when `isAvailable`.
    @inline(__always)
    static func minify(_ p: UnsafePointer<UInt8>, count n: Int, maxDepth: Int, into out: inout [UInt8]) -> Bool {
        // The kernel writes at most n bytes into room made by appending the text itself (one
        // memcpy; an array has no uninitialised growth), and the array is then cut to what it wrote.
        let base = out.count
        out.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        let written = out.withUnsafeMutableBufferPointer { buf in
            streamcodec_json_minify(p, n, buf.baseAddress! + base, Int32(clamping: maxDepth))
        }
        guard written >= 0 else { return false }
        if written < n { out.removeLast(n - written) }
        return true
    }
}
