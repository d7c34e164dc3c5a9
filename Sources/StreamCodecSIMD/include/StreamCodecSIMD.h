// StreamCodecSIMD: vector kernels for StreamCodecCore, with run-time dispatch. Each kernel has a
// scalar reference in Swift (JSONFastPath.minifyScalar) that the tests and the fuzz targets
// compare it with; where no kernel suits the CPU, the library runs the reference.
#ifndef STREAM_CODEC_SIMD_H
#define STREAM_CODEC_SIMD_H

#include <stddef.h>
#include <stdint.h>

/// The JSON kernels, by the instructions they need.
enum {
    /// None: the scalar path runs.
    STREAMCODEC_KERNEL_NONE = 0,
    /// x86-64 with AVX2, BMI1, BMI2 and PCLMULQDQ (Haswell, Zen and later).
    STREAMCODEC_KERNEL_AVX2 = 1,
    /// x86-64 with the above and AVX-512 F, BW, VL and VBMI2 (Ice Lake, Zen 4 and later).
    STREAMCODEC_KERNEL_AVX512 = 2,
};

/// The JSON kernel this process uses: the best this CPU (and its operating system) supports,
/// decided at the first call. The environment variable STREAMCODEC_SIMD lowers it: `off` (or
/// `0`) for the scalar path, `avx2` for the AVX2 kernel (to measure or to compare the paths).
int streamcodec_simd_kernel(void);

/// The kernel's name as people write it: "AVX-512", "AVX2", or "none".
const char *streamcodec_simd_kernel_name(int kernel);

/// True when this CPU can run `kernel` (whatever STREAMCODEC_SIMD says).
int streamcodec_simd_supports(int kernel);

/// RFC 8259: when `p[0..<n]` is exactly one JSON text (whitespace around it allowed) nested at
/// most `max_depth` containers deep (at most 64), writes it minified (whitespace outside strings
/// removed, everything else as written) to `out` and returns the number of bytes written.
/// Returns -1 when the text is not accepted (invalid, or deeper than `max_depth`), with `out`
/// holding partial output; the caller's scanner then finds the error. Writes only within
/// `out[0..<n]`; `out` must not overlap `p`. Runs `kernel`, which this CPU must support (the
/// library passes `streamcodec_simd_kernel()`, the tests each kernel in turn).
ptrdiff_t streamcodec_json_minify_using(int kernel, const uint8_t *p, size_t n, uint8_t *out, int max_depth);

/// True (1) when `p[0..<n]` is well-formed UTF-8 (the Unicode Standard, Table 3-7), checked with
/// `kernel` (which this CPU must support); 0 otherwise; -1 when there is no such kernel.
int streamcodec_utf8_valid_using(int kernel, const uint8_t *p, size_t n);

#endif
