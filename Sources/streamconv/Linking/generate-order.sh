#!/bin/bash
# Regenerates Sources/streamconv/Linking/streamconv.order, the symbol ordering file of the release `streamconv`
# (see Package.swift): the functions that typical runs execute, found with valgrind's callgrind,
# and the C library's string routines (which valgrind replaces with its own, so it never sees
# them). lld places these first, together, so a run touches few 64 KiB regions of the binary.
# Names that no longer exist are ignored, so a stale file only costs memory, never correctness.
# Rerun after a toolchain update or a change to what a conversion executes; it relinks the
# release binary with the new file (SwiftPM does not see the file as an input of the link).
set -euo pipefail
cd "$(dirname "$0")/../../.."
command -v valgrind > /dev/null || { echo "generate-order.sh: needs valgrind" >&2; exit 1; }
swift build -c release > /dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin/streamconv-bench" --write-corpora "$work" --mib 1 > /dev/null
# valgrind gives up on the debug information of the C kernels (DWARF 5 from clang): it runs a
# copy without it (the symbols stay). It emulates no AVX-512, so the AVX-512 kernels are named below.
objcopy --strip-debug "$bin/streamconv" "$work/streamconv"
run() { valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/cg.%p" "$work/streamconv" "$@" > /dev/null 2>&1 || true; }
run -f sse -t ndjson < "$work/anthropic.sse"
run -f sse -t ndjson < "$work/openai.sse"
run -f sse -t ndjson < "$work/big.sse"
run -f ndjson -t ndjson < "$work/big.ndjson"
run -f ndjson -t sse < "$work/openai.ndjson"
run -t ndjson < "$work/openai.json-seq"
run -f stream-json -t ndjson < "$work/openai.stream-json"
run -f json-array -t ndjson < "$work/openai.json-array"
run -f sse -t sse < "$work/anthropic.sse"
run "$work/anthropic.sse"
run --version
printf 'data: {"a":1,}\n\n' > "$work/bad.sse"
run -f sse "$work/bad.sse"
{
    # The vector kernels first: a C object's code is one section, placed where the first of its
    # functions in this list is, and among the sorted names below they were scattered through the
    # C library's (three more 64 KiB regions of resident code). All of their functions, those
    # valgrind cannot run (AVX-512) too.
    nm --defined-only "$bin/StreamCodecSIMD.build"/*.o 2>/dev/null \
        | awk '$2 ~ /^[tT]$/ { print $3 }' | sort -u
    cat "$work"/cg.* | grep -oE "^c?fn=\([0-9]+\) .*" | sed -E "s/^c?fn=\([0-9]+\) //; s/'[0-9]+\$//" \
        | grep -v -e '^0x' -e '^(below' | sort -u
    for f in memmove memcpy memset memchr memrchr memcmp bcmp strlen strchr strcmp rawmemchr; do
        for v in avx512_unaligned_erms avx512_unaligned evex_unaligned_erms evex_unaligned avx_unaligned_erms \
                 avx_unaligned avx2_unaligned_erms avx2_unaligned sse2_unaligned_erms sse2_unaligned evex avx2 sse2 \
                 evex_movbe avx2_movbe evex512; do
            echo "__${f}_$v"
        done
    done
} | awk '!seen[$0]++' > Sources/streamconv/Linking/streamconv.order
echo "streamconv.order: $(wc -l < Sources/streamconv/Linking/streamconv.order) symbols"
rm -f "$bin/streamconv"
swift build -c release --product streamconv > /dev/null
