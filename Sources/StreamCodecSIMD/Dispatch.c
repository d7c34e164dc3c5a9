// Which JSON kernel runs: the best one this CPU and its operating system support (CPUID and
// XGETBV, read once), unless the environment variable STREAMCODEC_SIMD lowers it.
#include "StreamCodecSIMD.h"
#include "JSONMinify.h"

#include <stdlib.h>
#include <string.h>

#if STREAMCODEC_X86

#include <cpuid.h>

/// The kernels this CPU can run, as a bit set (bit k: kernel k).
static int supported(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int pclmul = (c >> 1) & 1, popcnt = (c >> 23) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!(pclmul && popcnt && osxsave && avx) || __get_cpuid_max(0, 0) < 7) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    (void)hi;
    __cpuid_count(7, 0, a, b, c, d);
    const int bmi1 = (b >> 3) & 1, avx2 = (b >> 5) & 1, bmi2 = (b >> 8) & 1;
    const int avx512f = (b >> 16) & 1, avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1, vbmi2 = (c >> 6) & 1;
    int set = 0;
    // The operating system saves the YMM registers (XCR0 bits 1 and 2) ...
    if ((lo & 0x6) == 0x6 && avx2 && bmi1 && bmi2) {
        set |= 1 << STREAMCODEC_KERNEL_AVX2;
        // ... and the ZMM registers and mask registers (bits 5 to 7).
        if ((lo & 0xE0) == 0xE0 && avx512f && avx512bw && avx512vl && vbmi2) set |= 1 << STREAMCODEC_KERNEL_AVX512;
    }
    return set;
}

#else

static int supported(void) { return 0; }

#endif

static int supported_set = -1;
static int chosen = -1;

int streamcodec_simd_supports(int kernel) {
    int set = __atomic_load_n(&supported_set, __ATOMIC_RELAXED);
    if (set < 0) {
        set = supported();
        __atomic_store_n(&supported_set, set, __ATOMIC_RELAXED);
    }
    return kernel > 0 && ((set >> kernel) & 1);
}

int streamcodec_simd_kernel(void) {
    int k = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (k < 0) {
        int best = STREAMCODEC_KERNEL_NONE;
        for (int kernel = STREAMCODEC_KERNEL_AVX2; kernel <= STREAMCODEC_KERNEL_AVX512; kernel++) {
            if (streamcodec_simd_supports(kernel)) best = kernel;
        }
        const char *setting = getenv("STREAMCODEC_SIMD");
        if (setting && (strcmp(setting, "off") == 0 || strcmp(setting, "0") == 0)) best = STREAMCODEC_KERNEL_NONE;
        if (setting && strcmp(setting, "avx2") == 0 && best > STREAMCODEC_KERNEL_AVX2) best = STREAMCODEC_KERNEL_AVX2;
        k = best;
        __atomic_store_n(&chosen, k, __ATOMIC_RELAXED);
    }
    return k;
}

const char *streamcodec_simd_kernel_name(int kernel) {
    switch (kernel) {
    case STREAMCODEC_KERNEL_AVX2: return "AVX2";
    case STREAMCODEC_KERNEL_AVX512: return "AVX-512";
    default: return "none";
    }
}

ptrdiff_t streamcodec_json_minify_using(int kernel, const uint8_t *p, size_t n, uint8_t *out, int max_depth) {
#if STREAMCODEC_X86
    switch (kernel) {
    case STREAMCODEC_KERNEL_AVX2:
        return streamcodec_json_minify_stages(p, n, out, max_depth, streamcodec_json_stage1_avx2);
    case STREAMCODEC_KERNEL_AVX512:
        return streamcodec_json_minify_stages(p, n, out, max_depth, streamcodec_json_stage1_avx512);
    default:
        break;
    }
#endif
    (void)p;
    (void)n;
    (void)out;
    (void)max_depth;
    (void)kernel;
    return -1;
}

