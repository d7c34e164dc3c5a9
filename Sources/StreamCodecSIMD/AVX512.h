// The AVX-512 helpers the kernels share: the target attribute, comparisons to masks, a load
// that reads only the text's bytes, and the UTF-8 rule (the Unicode Standard, chapter 3, Table
// 3-7, the same as UTF8Check.errors in ByteVectors.swift). Included by the AVX-512 kernels only.
#ifndef STREAM_CODEC_AVX512_H
#define STREAM_CODEC_AVX512_H

#include <immintrin.h>
#include <stdint.h>

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi2,avx2,bmi,bmi2,pclmul,popcnt")))

AVX512 static inline uint64_t avx512_eq(__m512i x, uint8_t k) { return _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8((char)k)); }
AVX512 static inline uint64_t avx512_ge(__m512i x, uint8_t k) { return _mm512_cmpge_epu8_mask(x, _mm512_set1_epi8((char)k)); }

/// The text's bytes at b - back ..< b - back + 64 that lie in p[0..<n] (lanes `from` ..< `to`),
/// the other lanes spaces.
AVX512 static inline __m512i avx512_load(const uint8_t *b, unsigned from, unsigned to) {
    const uint64_t lanes = (to >= 64 ? ~0ull : (1ull << to) - 1) & (~0ull << from);
    return _mm512_mask_loadu_epi8(_mm512_set1_epi8(' '), lanes, b);
}

/// The ill-formed bytes among c (Table 3-7), given the bytes one, two and three places before
/// each (the same rule as UTF8Check.errors in ByteVectors.swift).
AVX512 static inline uint64_t avx512_utf8_errors(__m512i c, __m512i p1, __m512i p2, __m512i p3) {
    const uint64_t continuation = _mm512_cmplt_epi8_mask(c, _mm512_set1_epi8(-64)); // 0x80...0xBF
    uint64_t e = (avx512_ge(p1, 0xC0) | avx512_ge(p2, 0xE0) | avx512_ge(p3, 0xF0)) ^ continuation;
    e |= avx512_ge(c, 0xF5) | avx512_eq(_mm512_and_si512(c, _mm512_set1_epi8((char)0xFE)), 0xC0); // F5..FF, C0, C1
    const uint64_t a0 = avx512_ge(c, 0xA0), n0 = avx512_ge(c, 0x90);
    e |= ~a0 & avx512_eq(p1, 0xE0); // overlong 3-byte form
    e |= a0 & avx512_eq(p1, 0xED); // surrogates
    e |= ~n0 & avx512_eq(p1, 0xF0); // overlong 4-byte form
    e |= n0 & avx512_eq(p1, 0xF4); // above U+10FFFF
    return e;
}

#endif
