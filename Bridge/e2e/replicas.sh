#!/usr/bin/env bash
# Two streamconv-bridge replicas sharing one PostgreSQL replay store, on loopback (run by
# .ci/run): starts the fake upstream (slow: one record every DELAY ms), two bridges on the same
# database with the same binding key, and runs replicas.py (resume on the other replica, nothing
# lost or repeated, the upstream asked once; two clients on different replicas follow one
# stream; other credentials refused). Uses BRIDGE_PG_URL and BRIDGE_PG_PASSWORD_FILE when set
# (.ci/run sets them), else starts a PostgreSQL server of its own (Bridge/postgres/server.sh).
# BRIDGE_BIN=DIR: binaries built already (default: the debug build, built here).
set -euo pipefail
bridge_dir=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$bridge_dir/.." && pwd)
work=$(mktemp -d /tmp/bridge-replicas.XXXXXX)
pids=()
own_pg=""
cleanup() {
  for pid in "${pids[@]}"; do if kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi; done
  [ -n "$own_pg" ] && "$bridge_dir/postgres/server.sh" stop "$own_pg"
  rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${BRIDGE_PG_URL:-}" ]; then
  pg_env=$("$bridge_dir/postgres/server.sh" start)
  eval "$pg_env"
  own_pg=$BRIDGE_PG_DIR
fi
if [ -n "${BRIDGE_BIN:-}" ]; then
  bin=$BRIDGE_BIN
else
  (cd "$bridge_dir" && swift build --build-tests 2>&1 | tail -n 1)
  bin="$bridge_dir/.build/debug"
fi
delay_ms=${DELAY:-150}
head -c 32 /dev/urandom > "$work/binding.key"
schema="e2e_$(date +%s)_$$"

"$bin/bridge-fake-upstream" --port 0 --fixtures "$root/Fixtures" --delay-ms "$delay_ms" > "$work/upstream.out" 2> "$work/upstream.log" &
pids+=($!)
for _ in $(seq 100); do grep -q '^port ' "$work/upstream.out" && break; sleep 0.1; done
upstream_port=$(awk '/^port /{print $2}' "$work/upstream.out")
[ -n "$upstream_port" ] || { cat "$work/upstream.log"; echo "FAIL: the fake upstream did not start"; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_replica() { # NAME PORT
  "$bin/streamconv-bridge" --listen "127.0.0.1:$2" --upstream "http://127.0.0.1:$upstream_port" \
    --replay-store "$BRIDGE_PG_URL?schema=$schema&sslmode=disable" --replay-store-password-file "$BRIDGE_PG_PASSWORD_FILE" \
    --binding-key-file "$work/binding.key" --heartbeat 1 > "$work/$1.out" 2> "$work/$1.log" &
  pids+=($!)
}
port_a=$(free_port)
start_replica a "$port_a"
port_b=$(free_port)
start_replica b "$port_b"
for port in "$port_a" "$port_b"; do
  for _ in $(seq 150); do curl -s --noproxy '*' -o /dev/null "http://127.0.0.1:$port/api/tags" && break; sleep 0.2; done
done
echo "== replicas A (:$port_a) and B (:$port_b) on one PostgreSQL store, upstream :$upstream_port"
status=0
timeout 180 python3 "$bridge_dir/e2e/replicas.py" --a "$port_a" --b "$port_b" --upstream "$upstream_port" \
  --records "$root/Fixtures/ollama-chat/input.ndjson" --delay-ms "$delay_ms" || status=$?
if [ "$status" -ne 0 ]; then
  for name in a b; do echo "-- replica $name log (last 30 lines)"; tail -n 30 "$work/$name.log"; done
fi
if grep -i "secret\|$(cat "$BRIDGE_PG_PASSWORD_FILE")" "$work/a.log" "$work/b.log"; then
  echo "FAIL: a replica logged a credential or the database password"; status=1
fi
exit "$status"
