// The vector kernels of JSONFastPath (Sources/StreamCodecSIMD: AVX2 and AVX-512 on x86-64):
// RFC 8259 validation and minification of a text complete in memory, 64 bytes at a time, the
// kernel chosen at run time. The scalar JSONFastPath.minifyScalar is their reference.

import StreamCodecSIMD

enum JSONKernel {
    /// The kernel this process runs (`STREAMCODEC_KERNEL_NONE` where the CPU has none, or when
    /// STREAMCODEC_SIMD=off).
    static let chosen = streamcodec_simd_kernel()

    /// True when a kernel runs instead of the scalar path.
    static var isAvailable: Bool { chosen != Int32(STREAMCODEC_KERNEL_NONE) }

    /// Every kernel this CPU can run, whatever STREAMCODEC_SIMD says (for the tests).
    static var supported: [Int32] {
        [Int32(STREAMCODEC_KERNEL_AVX2), Int32(STREAMCODEC_KERNEL_AVX512)].filter { streamcodec_simd_supports($0) != 0 }
    }

    /// Appends the minified text of `p[0..<n]` to `out` and returns true when it is exactly one
    /// JSON text nested at most `min(maxDepth, 64)` deep; returns false otherwise (with `out`
    /// possibly holding partial output, for the caller to truncate). Runs `kernel`, by default
    /// the chosen one (which must not be none).
    @inline(__always)
    static func minify(_ p: UnsafePointer<UInt8>, count n: Int, maxDepth: Int, into out: inout [UInt8], kernel: Int32 = chosen) -> Bool {
        // The kernel writes at most n bytes into room made by appending the text itself (one
        // memcpy; an array has no uninitialised growth), and the array is then cut to what it wrote.
        let base = out.count
        out.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        let written = out.withUnsafeMutableBufferPointer { buf in
            streamcodec_json_minify_using(kernel, p, n, buf.baseAddress! + base, Int32(clamping: maxDepth))
        }
        guard written >= 0 else { return false }
        if written < n { out.removeLast(n - written) }
        return true
    }
}
