#!/usr/bin/env bash
# API stability: compares the public API of the library modules with the stored baseline
# (Docs/API/<module>.json, written by swift-api-digester) and fails on any breaking change
# (a removed or renamed declaration, a changed type or signature, a removed conformance).
# Additions are not breaking. No git tags are needed, so it runs on any clone.
#
#   Scripts/api-check.sh            check (CI runs this)
#   Scripts/api-check.sh --update   rewrite the baseline from the current sources: only as part of
#                                   a release, or with a CHANGELOG entry for each break (see
#                                   Docs/Releasing.md)
#
# The baseline is dumped from a debug build on Linux; compare like with like.
set -euo pipefail
cd "$(dirname "$0")/.."
modules_list="StreamCodecCore StreamCodec StreamCodecFoundation"
mode=check
case "${1:-}" in
  "") ;;
  --update) mode=update ;;
  -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
  *) echo "usage: Scripts/api-check.sh [--update]" >&2; exit 2 ;;
esac
command -v swift-api-digester >/dev/null || { echo "api-check: swift-api-digester is not in PATH (it ships with the Swift toolchain)" >&2; exit 2; }

swift build --target StreamCodecFoundation >/dev/null
bin=$(swift build --show-bin-path)
modules=$bin/Modules
[ -d "$modules" ] || modules=$bin
# The C module the library imports (its module map; not part of the public API).
c_modules=Sources/StreamCodecSIMD/include
triple=$(swift -print-target-info | python3 -c 'import json, sys; print(json.load(sys.stdin)["target"]["triple"])')

if [ "$mode" = update ]; then
  mkdir -p Docs/API
  for m in $modules_list; do
    swift-api-digester -dump-sdk -module "$m" -I "$modules" -I "$c_modules" -target "$triple" -avoid-location -avoid-tool-args \
      -o "Docs/API/$m.json"
  done
  echo "api-check: baseline written to Docs/API/; commit it with the CHANGELOG entry"
  exit 0
fi

status=0
for m in $modules_list; do
  baseline=Docs/API/$m.json
  if [ ! -f "$baseline" ]; then
    echo "api-check: no baseline $baseline (a new module? run Scripts/api-check.sh --update)" >&2
    status=1
    continue
  fi
  log=$(mktemp)
  if ! swift-api-digester -diagnose-sdk -module "$m" -baseline-path "$baseline" -I "$modules" -I "$c_modules" -target "$triple" \
        -compiler-style-diags 2>"$log" || grep -q "error:" "$log"; then
    echo "api-check: $m has breaking API changes against $baseline:" >&2
    sed 's/^<unknown>:0: //' "$log" >&2
    status=1
  else
    echo "api-check: $m: no breaking change"
  fi
  rm -f "$log"
done
if [ $status -ne 0 ]; then
  echo "api-check: keep the old API (a deprecated forwarding declaration), or, for a deliberate break, record it in CHANGELOG.md and run Scripts/api-check.sh --update (Docs/Releasing.md)" >&2
fi
exit $status
