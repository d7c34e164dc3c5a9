#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the Bridge's tests, e2e and load runs.
#
#   eval "$(Bridge/postgres/server.sh start)"    # installs Debian's postgresql when missing,
#                                                # initdb into a temp dir, pg_ctl start; prints
#                                                # export lines: BRIDGE_PG_URL (postgres://bridge@
#                                                # 127.0.0.1:PORT/bridge, no password in it),
#                                                # BRIDGE_PG_PASSWORD_FILE, BRIDGE_PG_DIR
#   Bridge/postgres/server.sh stop "$BRIDGE_PG_DIR"   # pg_ctl stop, removes the directory
#
# PostgreSQL refuses to run as root: when run as root, the server runs as the `postgres` user
# (created by the package) or, failing that, a `bridgepg` user created here. Password
# authentication (scram-sha-256) for TCP, so that the bridge's password handling is exercised.
set -euo pipefail

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  command -v initdb >/dev/null && command -v pg_ctl >/dev/null && dirname "$(command -v initdb)" && return 0
  return 1
}

as_owner() { # runs "$@" as the server's user
  if [ "$(id -u)" = 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
  if ! bin=$(find_bin); then
    echo "Bridge/postgres/server.sh: installing postgresql (apt-get)" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(find_bin) || { echo "Bridge/postgres/server.sh: no initdb/pg_ctl after installing postgresql" >&2; exit 1; }
  fi
  owner=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    if id postgres >/dev/null 2>&1; then owner=postgres
    else
      id bridgepg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin bridgepg
      owner=bridgepg
    fi
  fi
  dir=$(mktemp -d /tmp/bridge-pg.XXXXXX)
  chmod 755 "$dir"
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  printf '%s' "$password" > "$dir/password"
  chmod 644 "$dir/password" # the tests read it; the server is on loopback and thrown away
  [ "$(id -u)" = 0 ] && chown "$owner" "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U bridge --pwfile="$dir/password" --auth-local=scram-sha-256 \
    --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U bridge -d postgres -qAt -c 'CREATE DATABASE bridge' >&2
  echo "export BRIDGE_PG_URL=postgres://bridge@127.0.0.1:$port/bridge"
  echo "export BRIDGE_PG_PASSWORD_FILE=$dir/password"
  echo "export BRIDGE_PG_DIR=$dir"
  echo "Bridge/postgres/server.sh: PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)" >&2
  ;;
stop)
  dir=${2:?usage: server.sh stop DIR}
  bin=$(find_bin) || exit 0
  owner=$(stat -c %U "$dir")
  [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start | stop DIR" >&2
  exit 2
  ;;
esac
