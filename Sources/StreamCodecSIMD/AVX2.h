// The AVX2 helpers the kernels share: the target attribute, masks from comparisons, and the
// UTF-8 rule (the Unicode Standard, chapter 3, Table 3-7, the same as UTF8Check.errors in
// ByteVectors.swift). Included by the AVX2 kernels only (x86-64).
#ifndef STREAM_CODEC_AVX2_H
#define STREAM_CODEC_AVX2_H

#include <immintrin.h>
#include <stdint.h>

#define AVX2 __attribute__((target("avx2,bmi,bmi2,pclmul,popcnt")))

AVX2 static inline uint64_t avx2_bits(__m256i lo, __m256i hi) {
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(lo) | ((uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32);
}

/// Lanes where x >= k, unsigned.
AVX2 static inline __m256i avx2_at_least(__m256i x, uint8_t k) {
    return _mm256_cmpeq_epi8(_mm256_max_epu8(x, _mm256_set1_epi8((char)k)), x);
}

AVX2 static inline __m256i avx2_equal(__m256i x, uint8_t k) { return _mm256_cmpeq_epi8(x, _mm256_set1_epi8((char)k)); }

/// The ill-formed bytes among c (Table 3-7), given the bytes one, two and three places before
/// each (the same rule as UTF8Check.errors in ByteVectors.swift).
AVX2 static inline __m256i avx2_utf8_errors(__m256i c, __m256i p1, __m256i p2, __m256i p3) {
    __m256i continuation = _mm256_cmpgt_epi8(_mm256_set1_epi8(-64), c); // 0x80...0xBF
    __m256i due = _mm256_or_si256(_mm256_or_si256(avx2_at_least(p1, 0xC0), avx2_at_least(p2, 0xE0)), avx2_at_least(p3, 0xF0));
    __m256i e = _mm256_xor_si256(due, continuation);
    e = _mm256_or_si256(e, avx2_at_least(c, 0xF5));
    e = _mm256_or_si256(e, avx2_equal(_mm256_and_si256(c, _mm256_set1_epi8((char)0xFE)), 0xC0)); // C0, C1
    __m256i a0 = avx2_at_least(c, 0xA0), n0 = avx2_at_least(c, 0x90);
    e = _mm256_or_si256(e, _mm256_andnot_si256(a0, avx2_equal(p1, 0xE0))); // overlong 3-byte form
    e = _mm256_or_si256(e, _mm256_and_si256(a0, avx2_equal(p1, 0xED))); // surrogates
    e = _mm256_or_si256(e, _mm256_andnot_si256(n0, avx2_equal(p1, 0xF0))); // overlong 4-byte form
    e = _mm256_or_si256(e, _mm256_and_si256(n0, avx2_equal(p1, 0xF4))); // above U+10FFFF
    return e;
}

/// True when the 64 bytes at q are well-formed UTF-8 given q[-3..<0] (readable).
AVX2 static inline int avx2_utf8_block_ok(const uint8_t *q) {
    __m256i e = _mm256_setzero_si256();
    for (int h = 0; h < 64; h += 32) {
        __m256i c = _mm256_loadu_si256((const __m256i *)(q + h));
        __m256i p1 = _mm256_loadu_si256((const __m256i *)(q + h - 1));
        __m256i p2 = _mm256_loadu_si256((const __m256i *)(q + h - 2));
        __m256i p3 = _mm256_loadu_si256((const __m256i *)(q + h - 3));
        e = _mm256_or_si256(e, avx2_utf8_errors(c, p1, p2, p3));
    }
    return _mm256_testz_si256(e, e);
}

#endif
