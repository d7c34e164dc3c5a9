// Stage 1 of the JSON kernel (JSONMinify.c has the method) with AVX-512: each 64-byte block is
// one vector, its comparisons give the 64-bit masks directly, a masked load reads the last block
// without reading past the text (the lanes past it filled with spaces), and VPCOMPRESSB drops
// the whitespace. UTF-8: the Unicode Standard, chapter 3, Table 3-7.
#include "JSONMinify.h"

#if STREAMCODEC_X86

#include "AVX512.h"

AVX512 Marks streamcodec_json_stage1_avx512(Stage1 *s) {
    const uint8_t *p = s->p;
    const size_t n = s->n, at = s->at;
    const unsigned valid = n - at >= 64 ? 64 : (unsigned)(n - at);
    const int last = at + 64 >= n;
    Marks marks = {0, at};
    const uint8_t *b = p + at;
    const __m512i v = valid == 64 ? _mm512_loadu_si512((const void *)b) : avx512_load(b, 0, valid);

    // Whitespace: the byte itself comes back from a lookup by its low nibble only for space,
    // tab, LF and CR (0x80 in the other entries can never come back: a byte with the high bit
    // set looks up 0).
    const __m512i spaces = _mm512_broadcast_i32x4(_mm_setr_epi8(' ', -128, -128, -128, -128, -128, -128, -128, -128, '\t', '\n',
        -128, -128, '\r', -128, -128));
    const uint64_t quote = avx512_eq(v, '"');
    const uint64_t backslash = avx512_eq(v, '\\');
    const uint64_t space = _mm512_cmpeq_epi8_mask(_mm512_shuffle_epi8(spaces, v), v);
    // { and [ are the same byte but for bit 5, as are } and ].
    const __m512i w = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
    const uint64_t op = avx512_eq(w, '{') | avx512_eq(w, '}') | avx512_eq(v, ':') | avx512_eq(v, ',');
    const uint64_t control = _mm512_cmple_epu8_mask(v, _mm512_set1_epi8(0x1F));
    const uint64_t high = _mm512_movepi8_mask(v);

    uint64_t quotes, inside;
    if (!streamcodec_block_strings(s, at, backslash, quote, &quotes, &inside)) goto fail;
    if ((control & inside) | ((backslash | high) & ~inside)) goto fail;
    if (high | s->high_tail) {
        // The bytes one, two and three places before each (spaces before the text).
        const unsigned from = at == 0 ? 1 : 0;
        __m512i p1 = avx512_load(b - 1, from, valid + 1), p2 = avx512_load(b - 2, 2 * from, valid + 2), p3 = avx512_load(b - 3, 3 * from, valid + 3);
        if (avx512_utf8_errors(v, p1, p2, p3)) goto fail;
    }
    s->high_tail = high >> 61;

    // What stage 2 reads: structural characters and opening quotes outside strings, and the
    // first byte of each number or literal.
    const uint64_t scalar = ~(space | op | quote | inside);
    const uint64_t starts = scalar & ~((scalar << 1) | s->scalar);
    s->scalar = scalar >> 63;
    marks.marks = (op & ~inside) | (quotes & inside) | starts;

    // Minify: everything but whitespace outside strings.
    uint64_t keep = ~(space & ~inside);
    uint8_t *out = s->out + s->written;
    if (valid == 64 && keep == ~0ull) {
        _mm512_storeu_si512((void *)out, v);
        s->written += 64;
    } else {
        if (valid < 64) keep &= (1ull << valid) - 1;
        const unsigned kept = (unsigned)__builtin_popcountll(keep);
        const __m512i packed = _mm512_maskz_compress_epi8(keep, v);
        _mm512_mask_storeu_epi8((void *)out, kept >= 64 ? ~0ull : (1ull << kept) - 1, packed);
        s->written += kept;
    }
    s->at = at + valid;
    if (last) {
        s->done = 1;
        if (s->in_string || s->escaped) s->failed = 1;
    }
    return marks;
fail:
    s->failed = 1;
    marks.marks = 0;
    return marks;
}

#endif
