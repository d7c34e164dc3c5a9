#include "CMallocTuning.h"

#if defined(__linux__)
#include <malloc.h>
#endif

int streamconv_set_mmap_threshold(int bytes) {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}
