// malloc tuning for the streamconv CLI: what the Swift Glibc module does not expose (mallopt).
#ifndef C_MALLOC_TUNING_H
#define C_MALLOC_TUNING_H

/// Makes glibc's malloc serve every block of `bytes` or more with its own mmap, returned to the
/// system as soon as it is freed. By default glibc raises this threshold to the largest block
/// freed so far, so after the first large record the buffers of later ones come from the heap,
/// where the holes they leave stay resident and peak RSS creeps up over a long stream. Returns 1
/// when set, 0 where there is no such setting (other C libraries).
int streamconv_set_mmap_threshold(int bytes);

#endif
