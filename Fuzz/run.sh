#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of streamconv (see Docs/Testing.md, "Fuzzing").
#
#   Fuzz/run.sh [TARGET|all] [SECONDS]     fuzz one target, or each in turn, for SECONDS (default 60)
#   Fuzz/run.sh TARGET FILE...             run TARGET once on each FILE (reproduce a crash)
#   Fuzz/run.sh build [TARGET|all]         only build
#   Fuzz/run.sh list                       print the target names
#
# Targets are compiled with `swiftc -sanitize=fuzzer,address` against the library sources
# (built as a module with -enable-testing, so the targets can check internal state; the C
# kernels of Sources/StreamCodecSIMD with clang and the same sanitizers). They stay
# outside the package's products. Everything is written under fuzz-out/ (gitignored), or $FUZZ_OUT:
#   build/            the objects and the fuzz-<target> binaries
#   corpus/<target>/  the corpus, seeded from Fixtures/ and Fuzz/seeds/<target>/, kept between runs
#   artifacts/<target>/ inputs that broke an invariant, crashed, hung (-timeout) or ballooned
#   logs/<target>.log the libFuzzer log of the last run
#   results.tsv       one line per run: date, target, seconds, executions, executions/s, coverage, status
# One fuzzer runs at a time. Exit status: 0 when no target failed, 1 otherwise. When this
# toolchain cannot build fuzzers, it says so and exits 0 (the check is skipped, not failed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${FUZZ_OUT:-$ROOT/fuzz-out}
BUILD=$OUT/build
TARGETS=(sse ndjson stream-json json-seq json-array json-array-pointer json-minify aws-eventstream pick cli)
# Swift's crash backtracer waits on the crashed process; libFuzzer reports crashes itself.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }

build_only=0
if [ "${1:-}" = build ]; then build_only=1; shift; fi
target="${1:-all}"
shift || true
case "$target" in
  list) printf '%s\n' "${TARGETS[@]}"; exit 0 ;;
  -h|--help) usage ;;
  all) selected=("${TARGETS[@]}") ;;
  *)
    found=0
    for t in "${TARGETS[@]}"; do [ "$t" = "$target" ] && found=1; done
    [ $found = 1 ] || { echo "Fuzz/run.sh: unknown target '$target' (known: ${TARGETS[*]})" >&2; exit 2; }
    selected=("$target") ;;
esac
seconds=60
files=()
if [ $# -gt 0 ]; then
  if [[ "$1" =~ ^[0-9]+$ ]]; then seconds=$1; else files=("$@"); fi
fi

mkdir -p "$BUILD" "$OUT/logs"

# --- Can this toolchain build a libFuzzer target at all?
probe() {
  local dir=$BUILD/probe
  mkdir -p "$dir"
  cat > "$dir/probe.swift" <<'EOF'
@_cdecl("LLVMFuzzerTestOneInput")
public func probe(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { 0 }
EOF
  swiftc -parse-as-library -sanitize=fuzzer,address "$dir/probe.swift" -o "$dir/probe" >"$dir/log" 2>&1 \
    && "$dir/probe" -runs=1 >>"$dir/log" 2>&1
}
if ! probe; then
  echo "Fuzz/run.sh: skipping fuzzing: this toolchain cannot build libFuzzer targets (swiftc -sanitize=fuzzer,address):" >&2
  tail -5 "$BUILD/probe/log" >&2 || true
  exit 0
fi

# --- Build: the library and the CLI as modules, then one binary per target.
FLAGS=(-O -g -sanitize=fuzzer,address -enable-testing)
newer() { # true when $1 is missing or older than any file under the other arguments
  [ -e "$1" ] || return 0
  local out=$1; shift
  [ -n "$(find "$@" -newer "$out" -type f -print -quit)" ]
}
build() {
  local lib_sources cli_sources
  lib_sources=$(find Sources/StreamCodecCore -name '*.swift' | sort)
  cli_sources=$(find Sources/streamconv -name '*.swift' ! -name main.swift | sort)
  if newer "$BUILD/StreamCodecSIMD.o" Sources/StreamCodecSIMD; then
    echo "== building StreamCodecSIMD (C) for fuzzing" >&2
    local c_objects=()
    for c in Sources/StreamCodecSIMD/*.c; do
      clang -O2 -g -fsanitize=fuzzer-no-link,address -I Sources/StreamCodecSIMD/include \
        -c "$c" -o "$BUILD/simd-$(basename "$c" .c).o"
      c_objects+=("$BUILD/simd-$(basename "$c" .c).o")
    done
    ld -r -o "$BUILD/StreamCodecSIMD.o" "${c_objects[@]}"
  fi
  if newer "$BUILD/StreamCodecCore.o" Sources/StreamCodecCore "$BUILD/StreamCodecSIMD.o"; then
    echo "== building StreamCodecCore for fuzzing" >&2
    # shellcheck disable=SC2086
    swiftc -module-name StreamCodecCore -parse-as-library -swift-version 6 "${FLAGS[@]}" -wmo -I Sources/StreamCodecSIMD/include \
      -emit-module -emit-module-path "$BUILD/StreamCodecCore.swiftmodule" -c -o "$BUILD/StreamCodecCore.o" $lib_sources
  fi
  if newer "$BUILD/streamconv.o" Sources/streamconv "$BUILD/StreamCodecCore.o"; then
    echo "== building the streamconv CLI module (without main.swift) for fuzzing" >&2
    # shellcheck disable=SC2086
    swiftc -module-name streamconv -parse-as-library -swift-version 6 "${FLAGS[@]}" -wmo -I "$BUILD" -I Sources/StreamCodecSIMD/include \
      -emit-module -emit-module-path "$BUILD/streamconv.swiftmodule" -c -o "$BUILD/streamconv.o" $cli_sources
  fi
  for t in "${selected[@]}"; do
    if newer "$BUILD/fuzz-$t" Fuzz/Common.swift "Fuzz/Targets/$t.swift" "$BUILD/StreamCodecCore.o" "$BUILD/streamconv.o"; then
      echo "== building fuzz-$t" >&2
      local extra=()
      [ "$t" = cli ] && extra=("$BUILD/streamconv.o")
      swiftc -module-name "Fuzz_${t//-/_}" -parse-as-library -swift-version 5 "${FLAGS[@]}" -I "$BUILD" -I Sources/StreamCodecSIMD/include \
        Fuzz/Common.swift "Fuzz/Targets/$t.swift" "$BUILD/StreamCodecCore.o" "$BUILD/StreamCodecSIMD.o" "${extra[@]}" -o "$BUILD/fuzz-$t" 2>&1 \
        | grep -v "ld.gold: warning: Cannot export local symbol" >&2 || true
      [ -x "$BUILD/fuzz-$t" ] || { echo "Fuzz/run.sh: building fuzz-$t failed" >&2; exit 1; }
    fi
  done
}
build
if [ $build_only = 1 ]; then exit 0; fi

# --- Seeds: the fixtures of the formats a target reads, plus Fuzz/seeds/<target>/.
seed() {
  local t=$1 corpus=$2 patterns=()
  case "$t" in
    sse) patterns=(input.sse expected.sse) ;;
    ndjson) patterns=(input.ndjson expected.ndjson) ;;
    stream-json) patterns=(input.stream-json expected.stream-json input.ndjson) ;;
    json-seq) patterns=(input.json-seq expected.json-seq) ;;
    json-array|json-array-pointer) patterns=(input.json-array expected.json-array) ;;
    json-minify) patterns=(input.json-array expected.json-array) ;;
    pick) patterns=(input.ndjson expected.ndjson input.json-array) ;;
    aws-eventstream) patterns=() ;; # binary: only its own seeds (Fuzz/seeds/aws-eventstream)
    cli) patterns=(input.sse input.ndjson input.stream-json input.json-seq input.json-array) ;;
  esac
  for p in "${patterns[@]}"; do
    for f in Fixtures/*/"$p"; do
      [ -f "$f" ] || continue
      local name; name=$(basename "$(dirname "$f")")-$(basename "$f")
      [ -e "$corpus/fixture-$name" ] || cp "$f" "$corpus/fixture-$name"
    done
  done
  if [ -d "Fuzz/seeds/$t" ]; then
    for f in Fuzz/seeds/"$t"/*; do
      [ -f "$f" ] || continue
      [ -e "$corpus/seed-$(basename "$f")" ] || cp "$f" "$corpus/seed-$(basename "$f")"
    done
  fi
}

# --- Reproduce: run the target once on the given files.
if [ ${#files[@]} -gt 0 ]; then
  exec "$BUILD/fuzz-${selected[0]}" -detect_leaks=0 "${files[@]}"
fi

# --- Fuzz each selected target in turn.
failed=0
summary=()
for t in "${selected[@]}"; do
  corpus=$OUT/corpus/$t
  artifacts=$OUT/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  seed "$t" "$corpus"
  log=$OUT/logs/$t.log
  echo "== fuzzing $t for ${seconds}s (corpus $(find "$corpus" -type f | wc -l) inputs)" >&2
  set +e
  "$BUILD/fuzz-$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
  status=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  cov=$( (grep -oE 'cov: [0-9]+' "$log" || true) | tail -1 | sed 's/cov: //')
  if [ $status -eq 0 ]; then
    result=ok
  else
    result=FAILED
    failed=1
    echo "!! $t: libFuzzer exited with status $status; the end of $log:" >&2
    grep -A12 -E "FUZZ INVARIANT BROKEN|ERROR: (AddressSanitizer|libFuzzer)|Fatal error|SUMMARY" "$log" | head -40 >&2 || tail -30 "$log" >&2
    artifact=$( (grep -oE "Test unit written to [^ ]+" "$log" || true) | tail -1 | sed 's/Test unit written to //')
    [ -n "$artifact" ] && echo "!! reproduce with: Fuzz/run.sh $t $artifact" >&2
  fi
  line=$(printf '%-20s %6ss %12s runs %8s exec/s  cov %6s  rss %5s MB  %s' "$t" "$seconds" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${rss:-?}" "$result")
  summary+=("$line")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$t" "$seconds" "${runs:-?}" "${speed:-?}" "${cov:-?}" "$result" >> "$OUT/results.tsv"
  echo "   $line" >&2
done
echo "== fuzzing summary" >&2
printf '   %s\n' "${summary[@]}" >&2
exit $failed
