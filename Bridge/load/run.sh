#!/usr/bin/env bash
# A bounded load run of streamconv-bridge, loopback only: builds the bridge (debug, as CI; pass
# -c release for release figures), starts the fake upstream and the bridge, runs load.py with
# CLIENTS concurrent clients (default 200) reading RECORDS records each (default 100, one every
# 50 ms), through the bridge and directly, and prints events/s, latency p50/p99, what the bridge
# adds, and its peak RSS. Stops what it started.
#   Bridge/load/run.sh [-c release] [CLIENTS] [RECORDS]     (BRIDGE_BIN=DIR: use binaries built already;
#                                                         ROUNDS=N: N bridged rounds, RSS after each;
#                                                         MAX_RSS_MIB=N: fail above that peak RSS;
#                                                         STORE=postgres: the PostgreSQL replay store,
#                                                         BRIDGE_PG_URL's server or one started here)
set -euo pipefail
bridge_dir=$(cd "$(dirname "$0")/.." && pwd)
configuration=debug
if [ "${1:-}" = "-c" ]; then configuration=$2; shift 2; fi
clients=${1:-200} records=${2:-100}
work=$(mktemp -d /tmp/bridge-load.XXXXXX)
pids=()
own_pg=""
cleanup() {
  for pid in "${pids[@]}"; do if kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi; done
  [ -n "$own_pg" ] && "$bridge_dir/postgres/server.sh" stop "$own_pg"
  rm -rf "$work"
}
trap cleanup EXIT
store_args=()
if [ "${STORE:-memory}" = postgres ]; then
  if [ -z "${BRIDGE_PG_URL:-}" ]; then
    pg_env=$("$bridge_dir/postgres/server.sh" start)
    eval "$pg_env"
    own_pg=$BRIDGE_PG_DIR
  fi
  head -c 32 /dev/urandom > "$work/binding.key"
  store_args=(--replay-store "$BRIDGE_PG_URL?schema=load_$(date +%s)_$$&sslmode=disable"
              --replay-store-password-file "$BRIDGE_PG_PASSWORD_FILE" --binding-key-file "$work/binding.key")
fi
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
  --max-client-requests 100000 --max-client-connections 100000 --max-streams 100000 --replay-keep 5 "${store_args[@]}" > "$work/bridge.log" 2>&1 &
bridge_pid=$!
pids+=($bridge_pid)
for _ in $(seq 100); do curl -s --noproxy '*' -o /dev/null "http://127.0.0.1:$port/_count" && break; sleep 0.1; done
echo "== load run ($configuration build, ${STORE:-memory} store): $clients clients, $records records each, loopback"
status=0
timeout 300 python3 "$bridge_dir/load/load.py" --bridge-port "$port" --upstream-port "$upstream_port" --bridge-pid "$bridge_pid" \
  --clients "$clients" --records "$records" --rounds "${ROUNDS:-3}" --max-rss-mib "${MAX_RSS_MIB:-0}" || status=$?
[ "$status" -ne 0 ] && { echo "-- bridge log (last 20 lines)"; tail -n 20 "$work/bridge.log"; }
exit "$status"
