#!/usr/bin/env bash
# End-to-end check of the HummingbirdBridge example, on loopback (127.0.0.1) only:
# builds the example and the main package's CLI, starts the bridge with its fake upstream,
# then runs e2e/check.py (curl -N and headless Chromium). Installs Chromium (Debian package
# `chromium`) with apt-get when it is missing. Bounded in time; stops what it started.
set -euo pipefail
example=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$example/../.." && pwd)
work=$(mktemp -d /tmp/bridge-e2e.XXXXXX)
bridge_pid=

cleanup() {
  if [ -n "$bridge_pid" ] && kill -0 "$bridge_pid" 2>/dev/null; then
    kill "$bridge_pid"
    wait "$bridge_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
started=$(date +%s)

echo "== build the main package's CLI (for the expected output)"
(cd "$root" && timeout 1200 swift build --product streamconv 2>&1 | tail -n 1)

echo "== build the example"
build_started=$(date +%s)
(cd "$example" && timeout 1800 swift build --product HummingbirdBridge 2>&1 | tail -n 1)
echo "   (example build: $(( $(date +%s) - build_started )) s)"
bin="$example/.build/debug/HummingbirdBridge"

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "== install Chromium (apt-get)"
  timeout 900 apt-get update -q
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q chromium
  chromium=$(command -v chromium)
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
delay_ms=80 retry_ms=200 heartbeat=0.25

echo "== start the bridge on $base (fake upstream, test routes)"
"$bin" --host 127.0.0.1 --port "$port" --fake-upstream --test-routes --fixtures "$root/Fixtures" \
  --delay-ms "$delay_ms" --retry-ms "$retry_ms" --heartbeat-seconds "$heartbeat" > "$work/bridge.log" 2>&1 &
bridge_pid=$!
for _ in $(seq 100); do
  if curl -sf --noproxy '*' -o /dev/null "$base/"; then break; fi
  if ! kill -0 "$bridge_pid" 2>/dev/null; then cat "$work/bridge.log"; echo "FAIL: the bridge did not start"; exit 1; fi
  sleep 0.2
done

status=0
timeout 300 python3 "$example/e2e/check.py" --base "$base" --streamconv "$root/.build/debug/streamconv" \
  --fixtures "$root/Fixtures" --chromium "$chromium" --workdir "$work" \
  --delay-ms "$delay_ms" --retry-ms "$retry_ms" --heartbeat-seconds "$heartbeat" || status=$?
if [ "$status" -ne 0 ]; then
  echo "-- bridge log (last 40 lines)"; tail -n 40 "$work/bridge.log"
  for log in "$work"/chromium-*.log; do [ -f "$log" ] && { echo "-- $log (last 10 lines)"; tail -n 10 "$log"; }; done
  [ "$status" -eq 124 ] && echo "FAIL: the checks timed out"
fi
echo "   (end-to-end check: $(( $(date +%s) - started )) s in all)"
exit "$status"
