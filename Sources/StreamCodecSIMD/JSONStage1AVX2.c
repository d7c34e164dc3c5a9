// Stage 1 of the JSON kernel (JSONMinify.c has the method) with AVX2: each 64-byte block as two
// 32-byte vectors, their comparisons gathered into 64-bit masks with vpmovmskb, whitespace
// dropped eight bytes at a time with PEXT. UTF-8: the Unicode Standard, chapter 3, Table 3-7.
#include "JSONMinify.h"

#if STREAMCODEC_X86

#include <string.h>

#include "AVX2.h"

/// Writes the bytes of `b[0..<64]` whose bit is set in `keep` to `out`, eight at a time; each
/// store writes eight bytes, so `out` needs room for what is kept plus eight.
AVX2 static inline size_t compress(const uint8_t *b, uint64_t keep, uint8_t *out) {
    size_t w = 0;
    for (int c = 0; c < 64; c += 8) {
        uint64_t chunk;
        memcpy(&chunk, b + c, 8);
        uint64_t k8 = (keep >> c) & 0xFF;
        uint64_t packed = _pext_u64(chunk, _pdep_u64(k8, 0x0101010101010101ull) * 0xFF);
        memcpy(out + w, &packed, 8);
        w += (size_t)__builtin_popcountll(k8);
    }
    return w;
}

/// Stage 1 for the next block: the 64 bytes at b hold the text's bytes s->at..<s->at + valid
/// from byte `shift` on (the last block is either the text's last 64 bytes, the ones already
/// done shifted out, or a copy padded with spaces); `utf8` points at b with the three bytes
/// before it readable, or is NULL for the text's first block. Returns the block's marks (none,
/// with s->failed set, on an error).
AVX2 __attribute__((always_inline)) static inline Marks block(Stage1 *s, const uint8_t *b, const uint8_t *utf8, unsigned shift, unsigned valid) {
    const size_t at = s->at;
    Marks none = {0, at};
    __m256i v0 = _mm256_loadu_si256((const __m256i *)b);
    __m256i v1 = _mm256_loadu_si256((const __m256i *)(b + 32));
    // Whitespace: the byte itself comes back from a lookup by its low nibble only for space,
    // tab, LF and CR (0x80 in the other entries can never come back: a byte with the high bit
    // set looks up 0).
    const __m256i spaces = _mm256_setr_epi8(' ', -128, -128, -128, -128, -128, -128, -128, -128, '\t', '\n', -128, -128, '\r', -128,
        -128, ' ', -128, -128, -128, -128, -128, -128, -128, -128, '\t', '\n', -128, -128, '\r', -128, -128);
    uint64_t quote = avx2_bits(avx2_equal(v0, '"'), avx2_equal(v1, '"'));
    uint64_t backslash = avx2_bits(avx2_equal(v0, '\\'), avx2_equal(v1, '\\'));
    uint64_t space = avx2_bits(_mm256_cmpeq_epi8(_mm256_shuffle_epi8(spaces, v0), v0), _mm256_cmpeq_epi8(_mm256_shuffle_epi8(spaces, v1), v1));
    // { and [ are the same byte but for bit 5, as are } and ].
    const __m256i w0 = _mm256_or_si256(v0, _mm256_set1_epi8(0x20)), w1 = _mm256_or_si256(v1, _mm256_set1_epi8(0x20));
    uint64_t op = avx2_bits(_mm256_or_si256(_mm256_or_si256(avx2_equal(w0, '{'), avx2_equal(w0, '}')), _mm256_or_si256(avx2_equal(v0, ':'), avx2_equal(v0, ','))),
        _mm256_or_si256(_mm256_or_si256(avx2_equal(w1, '{'), avx2_equal(w1, '}')), _mm256_or_si256(avx2_equal(v1, ':'), avx2_equal(v1, ','))));
    const __m256i c1f = _mm256_set1_epi8(0x1F);
    uint64_t control = avx2_bits(_mm256_cmpeq_epi8(_mm256_min_epu8(v0, c1f), v0), _mm256_cmpeq_epi8(_mm256_min_epu8(v1, c1f), v1));
    uint64_t high = avx2_bits(v0, v1);
    if (shift) {
        // Bits for the text's bytes from s->at on; past its end, as if spaces followed.
        quote >>= shift;
        backslash >>= shift;
        space = (space >> shift) | (~0ull << valid);
        op >>= shift;
        control >>= shift;
        high >>= shift;
    }

    uint64_t quotes, inside;
    if (!streamcodec_block_strings(s, at, backslash, quote, &quotes, &inside)) goto fail;
    if ((control & inside) | ((backslash | high) & ~inside)) goto fail;
    if (high | s->high_tail) {
        if (utf8) {
            if (!avx2_utf8_block_ok(utf8)) goto fail;
        } else {
            // The text's first block: three zero bytes before it.
            uint8_t first[3 + 64] = {0};
            memcpy(first + 3, b, 64);
            if (!avx2_utf8_block_ok(first + 3)) goto fail;
        }
    }
    s->high_tail = high >> 61;

    // What stage 2 reads: structural characters and opening quotes outside strings, and the
    // first byte of each number or literal.
    const uint64_t scalar = ~(space | op | quote | inside);
    const uint64_t starts = scalar & ~((scalar << 1) | s->scalar);
    s->scalar = scalar >> 63;
    Marks marks = {(op & ~inside) | (quotes & inside) | starts, at};

    // Minify: everything but whitespace outside strings.
    uint64_t keep = ~(space & ~inside);
    uint8_t *out = s->out + s->written;
    if (valid < 64) {
        keep &= valid ? ~0ull >> (64 - valid) : 0;
        if (shift && s->written == at && keep == ~0ull >> shift) {
            // The last 64 bytes of a text with no whitespace dropped: the output so far is
            // the input so far, so they are stored where they stand.
            _mm256_storeu_si256((__m256i *)(s->out + at - shift), v0);
            _mm256_storeu_si256((__m256i *)(s->out + at - shift + 32), v1);
            s->written = at + valid;
            s->at = at + valid;
            return marks;
        }
        // Otherwise compressed into a scratch buffer, and only its bytes copied.
        uint8_t scratch[64 + 8];
        size_t w = compress(b, keep << shift, scratch);
        memcpy(out, scratch, w);
        s->written += w;
    } else if (keep == ~0ull) {
        _mm256_storeu_si256((__m256i *)out, v0);
        _mm256_storeu_si256((__m256i *)(out + 32), v1);
        s->written += 64;
    } else {
        // Each store of eight bytes ends at most at this block's end in the output, which
        // is within out[0..<n] (the output is never ahead of the input).
        s->written += compress(b, keep, out);
    }
    s->at = at + valid;
    return marks;
fail:
    s->failed = 1;
    return none;
}

/// Stage 1 for the next block. After the last one s->done is set, and a string or an escape
/// left open is an error.
AVX2 Marks streamcodec_json_stage1_avx2(Stage1 *s) {
    const uint8_t *p = s->p;
    const size_t n = s->n, at = s->at;
    Marks marks;
    if (at + 64 <= n) {
        marks = block(s, p + at, at > 0 ? p + at : NULL, 0, 64);
        if (s->at < n) return marks;
    } else if (n >= 67) {
        // The rest of a longer text: its last 64 bytes, with the ones already done shifted out.
        const unsigned valid = (unsigned)(n - at);
        marks = block(s, p + n - 64, p + n - 64, 64 - valid, valid);
    } else {
        // The rest of a short text, copied, with the three bytes before it (zeros at the start
        // of the text) and spaces after it.
        uint8_t last[3 + 64 + 8];
        memset(last, ' ', sizeof last);
        const size_t back = at < 3 ? at : 3;
        memset(last, 0, 3);
        memcpy(last + 3 - back, p + at - back, n - at + back);
        marks = block(s, last + 3, last + 3, 0, (unsigned)(n - at));
    }
    s->done = 1;
    if (s->in_string || s->escaped) s->failed = 1;
    return marks;
}

#endif
