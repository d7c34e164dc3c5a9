#!/usr/bin/env bash
# A bounded load run of streamconv-bridge, loopback only: builds the bridge (debug, as CI; pass
# -c release for release figures), starts the fake upstream and the bridge, runs load.py with
# CLIENTS concurrent clients (default 200) reading RECORDS records each (default 100, one every
# 50 ms), through the bridge and directly, and prints events/s, latency p50/p99, what the bridge
# adds, and its peak RSS. Stops what it started.
#   Bridge/load/run.sh [-c release] [CLIENTS] [RECORDS]     (BRIDGE_BIN=DIR: use binaries built already;
#                                                         ROUNDS=N: N bridged rounds, RSS after each)
set -euo pipefail
bridge_dir=$(cd "$(dirname "$0")/.." && pwd)
configuration=debug
if [ "${1:-}" = "-c" ]; then configuration=$2; shift 2; fi
clients=${1:-200} records=${2:-100}
work=$(mktemp -d /tmp/bridge-load.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do if kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi; done
  rm -rf "$work"
}
trap cleanup EXIT
if [ -n "${BRIDGE_BIN:-}" ]; then
  bin=$BRIDGE_BIN   # a folder holding streamconv-bridge and bridge-fake-upstream, already built
elif [ "$configuration" = debug ]; then
  (cd "$bridge_dir" && swift build --build-tests 2>&1 | tail -n 1)
  bin="$bridge_dir/.build/debug"
else
  (cd "$bridge_dir" && swift build -c "$configuration" --product streamconv-bridge 2>&1 | tail -n 1)
  (cd "$bridge_dir" && swift build -c "$configuration" --product bridge-fake-upstream 2>&1 | tail -n 1)
  bin="$bridge_dir/.build/$configuration"
fi
ulimit -n 8192 2>/dev/null || true
"$bin/bridge-fake-upstream" --port 0 --fixtures "$bridge_dir/../Fixtures" > "$work/upstream.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q '^port ' "$work/upstream.out" && break; sleep 0.1; done
upstream_port=$(awk '/^port /{print $2}' "$work/upstream.out")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin/streamconv-bridge" --listen "127.0.0.1:$port" --upstream "http://127.0.0.1:$upstream_port" --quiet \
  --max-client-requests 100000 --max-streams 100000 --replay-keep 5 > "$work/bridge.log" 2>&1 &
bridge_pid=$!
pids+=($bridge_pid)
for _ in $(seq 100); do curl -s --noproxy '*' -o /dev/null "http://127.0.0.1:$port/_count" && break; sleep 0.1; done
echo "== load run ($configuration build): $clients clients, $records records each, loopback"
timeout 300 python3 "$bridge_dir/load/load.py" --bridge-port "$port" --upstream-port "$upstream_port" --bridge-pid "$bridge_pid" \
  --clients "$clients" --records "$records" --rounds "${ROUNDS:-1}"
