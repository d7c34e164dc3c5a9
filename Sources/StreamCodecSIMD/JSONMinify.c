// RFC 8259 "The JavaScript Object Notation (JSON) Data Interchange Format", sections 2-8, and
// the Unicode Standard, chapter 3, Table 3-7 "Well-Formed UTF-8 Byte Sequences": validation and
// minification of a JSON text complete in memory, 64 bytes at a time.
//
// The method is simdjson's two stages (G. Langdale, D. Lemire, "Parsing Gigabytes of JSON per
// Second", VLDB Journal 28, 2019), written here for one job, "is this exactly one JSON text, and
// what is it without its whitespace":
//
// Stage 1, per 64-byte block, as 64-bit masks (one bit per byte): quotes, backslashes,
// whitespace, the six structural characters, control bytes and non-ASCII bytes. Backslashes
// are followed one by one (they are rare), each escape checked where it stands; the quotes left
// unescaped give, by a carry-less multiplication with all ones (a prefix XOR), the bytes inside
// strings. From there: control bytes inside strings, backslashes and non-ASCII bytes outside
// them are errors; whitespace outside strings is dropped from the output (the block is copied
// whole when it has none, else compressed eight bytes at a time with PEXT); UTF-8 is checked by
// vector comparisons in blocks that hold non-ASCII bytes. The positions that matter to the
// grammar go to an index: structural characters and opening quotes outside strings, and the
// first byte of each run of other bytes (a number or a literal).
//
// Stage 2 walks the index with the grammar's state in the control flow, as the scalar path does
// (JSONFastPath.swift): a string is one entry (stage 1 vouches for its inside), a number or a
// literal is parsed where its entry points and must end at whitespace, a structural character or
// a quote. Stage 1 runs a window of blocks ahead of stage 2, so the index stays small however
// large the text.
//
// Files: JSONMinify.h (what the stages share), JSONStage1AVX2.c and JSONStage1AVX512.c (stage 1
// for each instruction set), this file (stage 2), Dispatch.c (which kernel runs).
//
// The answer is "accepted, here are the bytes" or "not accepted": the caller then runs its
// scanner, which names the error. The scalar path in Swift is the reference: the tests and the
// json-minify fuzz target compare the two on every input.
#include "JSONMinify.h"

#include <string.h>

#if STREAMCODEC_X86
// Stage 2 is scalar code; BMI1 (tzcnt, blsr) is in every CPU that runs a kernel.
#define STAGE2 __attribute__((target("bmi,popcnt")))
#else
#define STAGE2
#endif

static inline int digit(uint8_t c) { return (uint8_t)(c - '0') < 10; }

/// The index after the number at p[i] (RFC 8259 section 6), or 0 when there is none (a number
/// never ends at index 0).
static inline size_t parse_number(const uint8_t *p, size_t i, size_t n) {
    if (p[i] == '-') i++;
    if (i >= n) return 0;
    if (p[i] == '0') {
        i++;
        if (i < n && digit(p[i])) return 0;
    } else if (digit(p[i])) {
        i++;
        while (i < n && digit(p[i])) i++;
    } else {
        return 0;
    }
    if (i < n && p[i] == '.') {
        i++;
        if (i >= n || !digit(p[i])) return 0;
        while (i < n && digit(p[i])) i++;
    }
    if (i < n && (p[i] | 0x20) == 'e') {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-')) i++;
        if (i >= n || !digit(p[i])) return 0;
        while (i < n && digit(p[i])) i++;
    }
    return i;
}

/// The index after the scalar (number or literal) at p[i], or 0 when it is not one.
static inline size_t parse_scalar(const uint8_t *p, size_t i, size_t n) {
    switch (p[i]) {
    case 't':
        return i + 4 <= n && memcmp(p + i, "true", 4) == 0 ? i + 4 : 0;
    case 'f':
        return i + 5 <= n && memcmp(p + i, "false", 5) == 0 ? i + 5 : 0;
    case 'n':
        return i + 4 <= n && memcmp(p + i, "null", 4) == 0 ? i + 4 : 0;
    default:
        return parse_number(p, i, n);
    }
}

/// True when a scalar may end before p[i]: the end of the text, whitespace, a structural
/// character or a quote (anything else would continue it: `truex`, `1x`).
static inline int ends_scalar(const uint8_t *p, size_t i, size_t n) {
    if (i >= n) return 1;
    switch (p[i]) {
    case ' ': case '\t': case '\n': case '\r': case ',': case ':': case '[': case ']': case '{': case '}': case '"':
        return 1;
    default:
        return 0;
    }
}

/// Reads the next position for stage 2 into `pos`, running stage 1 as needed; returns -1 from
/// the caller when there is none or stage 1 failed.
#define PEEK(pos)                                                                 \
    do {                                                                          \
        while (!cur.marks) {                                                      \
            if (s.done) return -1;                                                \
            cur = step(&s);                                                      \
            if (s.failed) return -1;                                              \
        }                                                                         \
        pos = cur.base + (size_t)__builtin_ctzll(cur.marks);                      \
    } while (0)
#define NEXT(pos)                                                                 \
    do {                                                                          \
        PEEK(pos);                                                                \
        cur.marks &= cur.marks - 1;                                               \
    } while (0)

STAGE2 ptrdiff_t streamcodec_json_minify_stages(const uint8_t *p, size_t n, uint8_t *out, int max_depth, Stage1Step step) {
    Stage1 s = {p, n, out, 0, 0, 0, 0, 0, 0, 0, 0};
    Marks cur = {0, 0};
    const int limit = max_depth < 64 ? max_depth : 64;
    int depth = 0;
    uint64_t objects = 0; // bit d-1 set: the container at depth d is an object
    size_t pos;

value:
    NEXT(pos);
    switch (p[pos]) {
    case '{':
    case '[': {
        const int object = p[pos] == '{';
        if (++depth > limit) return -1;
        if (object) objects |= 1ull << (depth - 1);
        else objects &= ~(1ull << (depth - 1));
        PEEK(pos);
        if (p[pos] == (object ? '}' : ']')) {
            cur.marks &= cur.marks - 1;
            depth--;
            goto after_value;
        }
        if (!object) goto value;
        cur.marks &= cur.marks - 1;
        goto key;
    }
    case '"':
        goto after_value;
    default: {
        size_t end = parse_scalar(p, pos, n);
        if (!end || !ends_scalar(p, end, n)) return -1;
        goto after_value;
    }
    }

key: // pos is the position where a key must start
    if (p[pos] != '"') return -1;
    NEXT(pos);
    if (p[pos] != ':') return -1;
    goto value;

after_value:
    if (depth == 0) {
        // Nothing may follow the text but whitespace; stage 1 finishes the output.
        if (cur.marks) return -1;
        while (!s.done) {
            cur = step(&s);
            if (s.failed || cur.marks) return -1;
        }
        return (ptrdiff_t)s.written;
    }
    NEXT(pos);
    {
        const int object = (int)((objects >> (depth - 1)) & 1);
        switch (p[pos]) {
        case ',':
            if (object) {
                NEXT(pos);
                goto key;
            }
            goto value;
        case '}':
        case ']':
            if (p[pos] != (object ? '}' : ']')) return -1;
            depth--;
            goto after_value;
        default:
            return -1;
        }
    }
}

