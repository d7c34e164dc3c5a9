#!/usr/bin/env bash
# The client-compatibility matrix (Docs/Clients.md): real SSE and JSON clients read what
# streamconv writes, for every SSE output option. Installs what is missing: Debian packages
# with apt-get (node-eventsource, golang-go + golang-github-donovanhide-eventsource-dev,
# chromium, jq) and the PyPI clients in a venv under Clients/.venv (gitignored). Then runs
# Clients/matrix.py, which writes Docs/Clients.md and exits 1 when a cell expected to work fails.
#
#   Clients/run.sh                       uses .build/release/streamconv
#   STREAMCONV_BIN=path Clients/run.sh   another binary (e.g. an older build, to compare)
#   CLIENTS_DOC=path                     where to write the matrix (default Docs/Clients.md;
#                                        CLIENTS_DOC= writes none)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${STREAMCONV_BIN:-$root/.build/release/streamconv}
doc=${CLIENTS_DOC-$root/Docs/Clients.md}
[ -x "$bin" ] || { echo "Clients/run.sh: no streamconv binary at $bin (swift build -c release, or set STREAMCONV_BIN)" >&2; exit 2; }
started=$(date +%s)

missing=()
command -v node >/dev/null || missing+=(nodejs)
[ -f /usr/share/nodejs/eventsource/package.json ] || missing+=(node-eventsource)
command -v go >/dev/null || missing+=(golang-go)
[ -d /usr/share/gocode/src/github.com/donovanhide/eventsource ] || missing+=(golang-github-donovanhide-eventsource-dev)
command -v chromium >/dev/null || missing+=(chromium)
command -v jq >/dev/null || missing+=(jq)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  timeout 900 apt-get update -q
  DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get install -y -q "${missing[@]}"
fi

venv=$here/.venv
if ! "$venv/bin/python" -c 'import openai, anthropic, httpx_sse, sseclient, ollama' 2>/dev/null; then
  echo "== pip install the Python clients into $venv"
  python3 -m venv "$venv"
  timeout 900 "$venv/bin/pip" install -q --disable-pip-version-check openai anthropic httpx-sse sseclient-py ollama
fi

work=$(mktemp -d /tmp/clients-matrix.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "== build the Go client (GO111MODULE=off, GOPATH=/usr/share/gocode)"
(cd "$here/go-eventsource" && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$work/gocache" GOFLAGS= \
  timeout 600 go build -o "$work/go-eventsource" .)

echo "== the matrix, with $bin"
status=0
timeout 900 "$venv/bin/python" "$here/matrix.py" --bin "$bin" --go-client "$work/go-eventsource" \
  --chromium "$(command -v chromium)" ${doc:+--doc "$doc"} "$@" || status=$?
echo "   (clients: $(( $(date +%s) - started )) s in all)"
exit "$status"
