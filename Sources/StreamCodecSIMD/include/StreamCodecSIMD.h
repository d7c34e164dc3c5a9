// StreamCodecSIMD: vector kernels for StreamCodecCore, with run-time dispatch. Each kernel has a
// scalar reference in Swift (JSONFastPath) that the tests and the fuzz targets compare it with;
// where no kernel suits the CPU, the library runs the reference.
#ifndef STREAM_CODEC_SIMD_H
#define STREAM_CODEC_SIMD_H

#include <stddef.h>
#include <stdint.h>

/// The JSON kernel this process uses: 0 none (the scalar path runs), 1 AVX2 (x86-64 with AVX2,
/// BMI2 and PCLMULQDQ, enabled by the operating system). Decided once, at the first call; the
/// environment variable STREAMCODEC_SIMD=off makes it 0 (to measure or to compare the paths).
int streamcodec_simd_kernel(void);

/// RFC 8259: when `p[0..<n]` is exactly one JSON text (whitespace around it allowed) nested at
/// most `max_depth` containers deep (at most 64), writes it minified (whitespace outside strings
/// removed, everything else as written) to `out` and returns the number of bytes written.
/// Returns -1 when the text is not accepted (invalid, or deeper than `max_depth`), with `out`
/// holding partial output; the caller's scanner then finds the error. Writes only within
/// `out[0..<n]`; `out` must not overlap `p`. Call only when `streamcodec_simd_kernel()` is not 0.
ptrdiff_t streamcodec_json_minify(const uint8_t *p, size_t n, uint8_t *out, int max_depth);

#endif
