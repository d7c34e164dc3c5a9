#!/usr/bin/env bash
# End-to-end check of streamconv-bridge on loopback (127.0.0.1) only: builds the bridge, its fake
# upstream and the main package's CLI (the oracle for the expected bytes), starts the fake upstream
# (Fixtures/ replayed slowly) and the bridge in front of it, then runs e2e/check.py (curl -N, raw
# sockets for the attacks, headless Chromium's EventSource and fetch). Installs Chromium (Debian
# package `chromium`) with apt-get when it is missing. Bounded in time; stops what it started.
set -euo pipefail
bridge_dir=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$bridge_dir/.." && pwd)
work=$(mktemp -d /tmp/bridge-e2e.XXXXXX)
pids=()

cleanup() {
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
started=$(date +%s)

# Built as .ci/run builds them (tests included), so that under CI these are no-ops.
echo "== build the main package's CLI (the oracle for the expected output)"
(cd "$root" && timeout 1200 swift build --build-tests 2>&1 | tail -n 1)

echo "== build the bridge and its fake upstream (no warnings from their own sources)"
build_started=$(date +%s)
(cd "$bridge_dir" && timeout 1800 swift build --build-tests 2>&1 | tee "$work/build.log" | tail -n 1)
if grep -E "Bridge/(Sources|Tests)/[^ ]*: (warning|error):" "$work/build.log"; then
  echo "FAIL: the bridge's build printed warnings"; exit 1
fi
echo "   (bridge build: $(( $(date +%s) - build_started )) s)"
bin="$bridge_dir/.build/debug"

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "== install Chromium (apt-get)"
  timeout 900 apt-get update -q
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q chromium
  chromium=$(command -v chromium)
fi

delay_ms=80 retry_ms=200 heartbeat=0.25

echo "== start the fake upstream"
"$bin/bridge-fake-upstream" --port 0 --fixtures "$root/Fixtures" --delay-ms "$delay_ms" --pages "$bridge_dir/e2e/pages" \
  > "$work/upstream.out" 2> "$work/upstream.log" &
pids+=($!)
for _ in $(seq 100); do grep -q '^port ' "$work/upstream.out" && break; sleep 0.1; done
upstream_port=$(awk '/^port /{print $2}' "$work/upstream.out")
[ -n "$upstream_port" ] || { cat "$work/upstream.log"; echo "FAIL: the fake upstream did not start"; exit 1; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
echo "== start the bridge on $base, upstream http://127.0.0.1:$upstream_port"
"$bin/streamconv-bridge" --listen "127.0.0.1:$port" --upstream "http://127.0.0.1:$upstream_port" \
  --retry "$retry_ms" --done --heartbeat "$heartbeat" --max-body-bytes 64k --idle-timeout 2 --write-timeout 1 \
  > "$work/bridge.out" 2> "$work/bridge.log" &
bridge_pid=$!
pids+=($bridge_pid)
for _ in $(seq 100); do
  if curl -s --noproxy '*' -o /dev/null "$base/api/tags"; then break; fi
  if ! kill -0 "$bridge_pid" 2>/dev/null; then cat "$work/bridge.log"; echo "FAIL: the bridge did not start"; exit 1; fi
  sleep 0.2
done

status=0
timeout 420 python3 "$bridge_dir/e2e/check.py" --base "$base" --streamconv "$root/.build/debug/streamconv" \
  --fixtures "$root/Fixtures" --chromium "$chromium" --workdir "$work" --bridge-pid "$bridge_pid" \
  --bridge-log "$work/bridge.log" --delay-ms "$delay_ms" --retry-ms "$retry_ms" --heartbeat-seconds "$heartbeat" || status=$?
if [ "$status" -ne 0 ]; then
  echo "-- bridge log (last 40 lines)"; tail -n 40 "$work/bridge.log"
  for log in "$work"/chromium-*.log; do [ -f "$log" ] && { echo "-- $log (last 10 lines)"; tail -n 10 "$log"; }; done
  [ "$status" -eq 124 ] && echo "FAIL: the checks timed out"
fi
echo "   (end-to-end check: $(( $(date +%s) - started )) s in all)"
exit "$status"
