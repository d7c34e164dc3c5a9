// What the two stages of the JSON kernel share (JSONMinify.c has the method): stage 1's state
// between blocks, the positions it hands to stage 2, and the escape rule it checks.
#ifndef STREAM_CODEC_JSON_MINIFY_H
#define STREAM_CODEC_JSON_MINIFY_H

#include <stddef.h>
#include <stdint.h>

/// Stage 1's state: where it is in the text and what carries from one block to the next.
typedef struct {
    const uint8_t *p;
    size_t n;
    uint8_t *out;
    size_t written;
    size_t at;          // the first byte of the next block
    int done;           // every block, the last one included, went through stage 1
    int failed;         // stage 1 found an error
    uint64_t in_string; // all ones when the previous block ended inside a string
    uint64_t escaped;   // 1 when the first byte of the next block is escaped
    uint64_t scalar;    // 1 when the previous block ended in a number or literal
    uint64_t high_tail; // non-zero when the last three bytes of the previous block hold non-ASCII
} Stage1;

/// The positions stage 2 reads in one block: bit k set for the byte at base + k.
typedef struct {
    uint64_t marks;
    size_t base;
} Marks;

/// Runs stage 1 over the next block and returns its marks (none, with `failed` set, on an
/// error). After the last block `done` is set, and a string or an escape left open is an error.
typedef Marks (*Stage1Step)(Stage1 *s);

/// Stage 2: the grammar over the marks that `step` hands out (see JSONMinify.c).
ptrdiff_t streamcodec_json_minify_stages(const uint8_t *p, size_t n, uint8_t *out, int max_depth, Stage1Step step);

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define STREAMCODEC_X86 1
Marks streamcodec_json_stage1_avx2(Stage1 *s);
Marks streamcodec_json_stage1_avx512(Stage1 *s);
#endif

static inline int streamcodec_is_hex(uint8_t c) { return (uint8_t)(c - '0') < 10 || (uint8_t)((c | 0x20) - 'a') < 6; }

/// True when the backslash at p[j] starts a valid escape (RFC 8259 section 7).
static inline int streamcodec_valid_escape(const uint8_t *p, size_t n, size_t j) {
    if (j + 1 >= n) return 0;
    switch (p[j + 1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        return 1;
    case 'u':
        return j + 5 < n && streamcodec_is_hex(p[j + 2]) && streamcodec_is_hex(p[j + 3]) && streamcodec_is_hex(p[j + 4])
            && streamcodec_is_hex(p[j + 5]);
    default:
        return 0;
    }
}

#if STREAMCODEC_X86
#include <immintrin.h>

/// Stage 1's string rule for a block at `at` of the text, from its backslash and quote masks:
/// the escapes (a backslash not itself escaped escapes the next byte; each escape checked where
/// it stands; they are rare, so one at a time) and the bytes inside strings (the opening quote
/// and what follows it, up to the closing quote: a carry-less multiplication of the unescaped
/// quotes with all ones is their prefix XOR). Sets `*quotes` (the unescaped quotes) and `*inside`
/// and carries both rules to the next block; returns 0 on a bad escape.
__attribute__((target("pclmul,bmi"), always_inline)) static inline int streamcodec_block_strings(
    Stage1 *s, size_t at, uint64_t backslash, uint64_t quote, uint64_t *quotes, uint64_t *inside) {
    uint64_t escaped = s->escaped;
    s->escaped = 0;
    for (uint64_t m = backslash; m; m &= m - 1) {
        const unsigned k = (unsigned)__builtin_ctzll(m);
        if ((escaped >> k) & 1) continue;
        if (!streamcodec_valid_escape(s->p, s->n, at + k)) return 0;
        if (k == 63) s->escaped = 1;
        else escaped |= 1ull << (k + 1);
    }
    *quotes = quote & ~escaped;
    *inside = (uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)*quotes), _mm_set1_epi8(-1), 0))
        ^ s->in_string;
    s->in_string = (uint64_t)((int64_t)*inside >> 63);
    return 1;
}
#endif

#endif
