// The Unicode Standard, chapter 3, Table 3-7 "Well-Formed UTF-8 Byte Sequences": whole-text
// validation, 64 bytes at a time, each byte checked against the three before it (the rule of
// UTF8Check in ByteVectors.swift, the scalar reference, which the tests compare with this).
// Blocks of ASCII cost one test; a sequence cut off at the end of the text is an error.
#include "StreamCodecSIMD.h"
#include "JSONMinify.h"

#include <string.h>

#if STREAMCODEC_X86

#include "AVX2.h"
#include "AVX512.h"

AVX2 static int valid_avx2(const uint8_t *p, size_t n) {
    __m256i err = _mm256_setzero_si256();
    // The first block and the last are checked from copies: three zero bytes before the text,
    // zeros after it (a zero where a continuation byte is due is an error).
    uint8_t edge[3 + 64] = {0};
    size_t i = n < 64 ? n : 64;
    memcpy(edge + 3, p, i);
    if (!avx2_utf8_block_ok(edge + 3)) return 0;
    int pending = 0; // the last three bytes checked hold non-ASCII
    if (i == 64) pending = (p[61] | p[62] | p[63]) >= 0x80;
    for (; i + 64 <= n; i += 64) {
        const __m256i c0 = _mm256_loadu_si256((const __m256i *)(p + i)), c1 = _mm256_loadu_si256((const __m256i *)(p + i + 32));
        const uint32_t high1 = (uint32_t)_mm256_movemask_epi8(c1);
        if (!pending && !((uint32_t)_mm256_movemask_epi8(c0) | high1)) continue;
        for (int h = 0; h < 64; h += 32) {
            const uint8_t *q = p + i + h;
            err = _mm256_or_si256(err,
                avx2_utf8_errors(_mm256_loadu_si256((const __m256i *)q), _mm256_loadu_si256((const __m256i *)(q - 1)),
                    _mm256_loadu_si256((const __m256i *)(q - 2)), _mm256_loadu_si256((const __m256i *)(q - 3))));
        }
        pending = (high1 >> 29) != 0;
    }
    if (!_mm256_testz_si256(err, err)) return 0;
    if (i < n || (n >= 64 && n % 64 == 0)) {
        uint8_t last[3 + 64] = {0};
        memcpy(last, p + i - 3, 3 + (n - i));
        if (!avx2_utf8_block_ok(last + 3)) return 0;
    }
    return 1;
}

AVX512 static int valid_avx512(const uint8_t *p, size_t n) {
    uint64_t err = 0;
    for (size_t i = 0; i < n; i += 64) {
        const unsigned valid = n - i >= 64 ? 64 : (unsigned)(n - i);
        const uint8_t *b = p + i;
        const __m512i c = valid == 64 ? _mm512_loadu_si512((const void *)b) : avx512_load(b, 0, valid);
        // The three bytes before the block too: a sequence it continues may start there.
        const unsigned from = i == 0 ? 3 : 0;
        const uint64_t high = _mm512_movepi8_mask(c) | (i == 0 ? 0 : (uint64_t)(_mm512_movepi8_mask(avx512_load(b - 3, 0, 3)) != 0));
        if (!high && valid == 64) continue;
        const __m512i p1 = avx512_load(b - 1, from >= 1 ? 1 : 0, valid + 1), p2 = avx512_load(b - 2, from >= 2 ? 2 : 0, valid + 2),
                      p3 = avx512_load(b - 3, from, valid + 3);
        err |= avx512_utf8_errors(c, p1, p2, p3);
    }
    if (n > 0 && n % 64 == 0) {
        // A sequence cut off at the end: the bytes after the text are spaces here.
        const uint8_t *b = p + n;
        const __m512i c = _mm512_set1_epi8(' ');
        err |= avx512_utf8_errors(c, avx512_load(b - 1, 0, 1), avx512_load(b - 2, 0, 2), avx512_load(b - 3, 0, 3));
    }
    return err == 0;
}

#endif

int streamcodec_utf8_valid_using(int kernel, const uint8_t *p, size_t n) {
#if STREAMCODEC_X86
    switch (kernel) {
    case STREAMCODEC_KERNEL_AVX2:
        return valid_avx2(p, n);
    case STREAMCODEC_KERNEL_AVX512:
        return valid_avx512(p, n);
    default:
        break;
    }
#endif
    (void)kernel;
    (void)p;
    (void)n;
    return -1;
}
