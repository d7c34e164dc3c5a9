#!/bin/bash
# Checks that the linker's symbol ordering file (Sources/streamconv/Linking/streamconv.order)
# still names symbols of the release `streamconv`. lld is told not to warn about names it does
# not find (Package.swift), so a stale file fails silently: the code a run executes is scattered
# again and the peak RSS grows by 2 to 4 MiB. This makes the staleness loud instead.
#
#   Scripts/order-check.sh [BINARY]     (default: .build/release/streamconv, built if missing)
#
# The names must exist in the binary, except the C library's string-routine variants that the
# file lists for every CPU family (`__memmove_avx_unaligned_erms` and the like: which of them a
# given C library has varies). A few missing names are reported and tolerated (any change to the
# code renames a handful of specialisations, and a handful out of place costs nothing
# measurable); more than MAX_MISSING_PERCENT (default 2) of them fails. When it fails, regenerate
# the file: Sources/streamconv/Linking/generate-order.sh (needs valgrind), and commit it.
set -euo pipefail
cd "$(dirname "$0")/.."
order=Sources/streamconv/Linking/streamconv.order
binary=${1:-.build/release/streamconv}
if [ ! -x "$binary" ]; then swift build -c release --product streamconv > /dev/null; fi
command -v nm > /dev/null || { echo "order-check.sh: needs nm (binutils)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
nm --defined-only "$binary" | awk '{print $NF}' | sort -u > "$work/defined"
grep -vE '^__(mem|str|bcmp|rawmemchr)[a-z]*_' "$order" | sort -u > "$work/wanted"
comm -23 "$work/wanted" "$work/defined" > "$work/missing"
wanted=$(wc -l < "$work/wanted")
missing=$(wc -l < "$work/missing")
limit=$(( wanted * ${MAX_MISSING_PERCENT:-2} / 100 ))
if [ "$missing" -gt "$limit" ]; then
  echo "order-check: $missing of the $wanted symbols named in $order are not in $binary (at most $limit may be):" >&2
  head -n 10 "$work/missing" | sed 's/^/  /' >&2
  [ "$missing" -gt 10 ] && echo "  ..." >&2
  echo "The ordering file is stale (the code changed); regenerate it with" >&2
  echo "Sources/streamconv/Linking/generate-order.sh (needs valgrind) and commit it." >&2
  exit 1
fi
if [ "$missing" -gt 0 ]; then
  echo "order-check: $missing of the $wanted symbols named in $order are not in $binary (tolerated up to $limit; regenerate the file with generate-order.sh when convenient)"
else
  echo "order-check: all $wanted symbols named in $order are in $binary"
fi
