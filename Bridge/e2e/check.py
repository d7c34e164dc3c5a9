#!/usr/bin/env python3
"""End-to-end checks of a running streamconv-bridge in front of bridge-fake-upstream.

Standard library only. Talks to the bridge with `curl -N`, with raw sockets (the attacks), and
with headless Chromium (pages the fake upstream serves through the bridge use EventSource and
fetch, and post what they received back through the bridge). Expectations come from the fixtures:

- the SSE events: the main package's CLI, `streamconv -f ndjson -t sse --ids --retry R --done`,
  applied to Fixtures/ollama-chat/input.ndjson, with the bridge's ids STREAM-n for the CLI's n
  (and STREAM-(n+1) for the closing [DONE], which the bridge numbers too);
- the events a browser must see: one per line of Fixtures/ollama-chat/expected.ndjson, then [DONE];
- the NDJSON bytes: Fixtures/openai-chat/expected.ndjson.

Prints one line per check and a PASS/FAIL summary; exits 1 when a check failed.
"""
import argparse
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlencode

results = []


def check(name, ok, detail=""):
    results.append((name, bool(ok)))
    print(f"  {'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""), flush=True)
    return ok


def parse_sse(data):
    """Events as a browser dispatches them (WHATWG HTML 9.2.6), plus the retry values and the
    number of comment lines: ([(type, data, lastEventId)], [retry], comments)."""
    events, retries, comments = [], [], 0
    last_id, kind, lines = "", "", []
    for line in data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line == "":
            if lines:
                events.append((kind or "message", "\n".join(lines), last_id))
            kind, lines = "", []
            continue
        if line.startswith(":"):
            comments += 1
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "data":
            lines.append(value)
        elif field == "event":
            kind = value
        elif field == "id" and "\0" not in value:
            last_id = value
        elif field == "retry" and value.isdigit():
            retries.append(value)
    return events, retries, comments


def curl(url, headers=(), max_time=30, extra=(), data=None):
    """Runs `curl -N` and returns (exit status, status line + headers, [(seconds since start, bytes read)])."""
    with tempfile.NamedTemporaryFile() as head:
        command = ["curl", "-sSN", "--noproxy", "*", "--max-time", str(max_time), "-D", head.name, *extra]
        for header in headers:
            command += ["-H", header]
        if data is not None:
            command += ["--data-binary", data]
        started = time.monotonic()
        process = subprocess.Popen(command + [url], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        reads = []
        while True:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            reads.append((time.monotonic() - started, chunk))
        process.wait()
        return process.returncode, open(head.name, "rb").read().decode("latin-1"), reads


def header(head, name):
    found = None
    for line in head.split("\r\n"):
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            found = value.strip()
    return found


def body_of(reads):
    return b"".join(data for _, data in reads)


def arrivals(reads):
    """(time, index of the read, block) at which each SSE block was complete."""
    seen, buffer = [], b""
    for index, (t, data) in enumerate(reads):
        buffer += data
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            seen.append((t, index, block))
    return seen


def raw(port, request, wait=3.0):
    """Sends raw bytes and returns what came back within `wait` seconds (the status line first)."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        s.sendall(request)
        s.settimeout(wait)
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except socket.timeout:
            pass
        return out


def parse_http(answer):
    """(status, {lowercased name: value}, body) of a raw HTTP/1.1 response; chunked bodies joined."""
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1]) if lines and len(lines[0].split(" ")) > 1 else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        joined = b""
        while body:
            size_line, _, rest = body.partition(b"\r\n")
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:
                break
            joined += rest[:size]
            body = rest[size + 2:]
        body = joined
    return status, headers, body


def get(base, path, timeout=5):
    host, port = base.split("//")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def upstream_count(base, path):
    status, body = get(base, "/_count")
    return json.loads(body).get(path, 0) if status == 200 else -1


class Relay(socketserver.ThreadingTCPServer):
    """A TCP relay in front of the bridge that cuts a connection whose request has
    `drop_after=N` and no Last-Event-ID after N events with an id: a network failure, as a
    browser sees it, without the bridge knowing about tests."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, target_port):
        self.target_port = target_port
        super().__init__(("127.0.0.1", 0), RelayHandler)


class RelayHandler(socketserver.BaseRequestHandler):
    def handle(self):
        client = self.request
        upstream = socket.create_connection(("127.0.0.1", self.server.target_port))
        limit, seen, buffer = None, 0, b""
        try:
            while True:
                readable, _, _ = select.select([client, upstream], [], [], 30)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        text = data.decode("latin-1")
                        match = re.search(r"[?&]drop_after=(\d+)", text.split("\r\n", 1)[0])
                        limit = int(match.group(1)) if match and "last-event-id:" not in text.lower() else None
                        seen, buffer = 0, b""
                        upstream.sendall(data)
                    else:
                        if limit is not None:
                            buffer += data
                            for block in buffer.split(b"\n\n")[:-1]:
                                if re.search(rb"(^|\n)id: ", block):
                                    seen += 1
                                    if seen >= limit:
                                        cut = buffer.find(block) + len(block) + 2
                                        client.sendall(data[: max(0, len(data) - (len(buffer) - cut))])
                                        return   # closes both: a dropped connection
                            buffer = buffer[buffer.rfind(b"\n\n") + 2:] if b"\n\n" in buffer else buffer
                        client.sendall(data)
        finally:
            upstream.close()
            client.close()


def browser(args, base, page, query, report, limit=45):
    """Opens `page` in headless Chromium and waits for the report it posts; None on timeout."""
    profile = tempfile.mkdtemp(prefix="bridge-chromium-")
    url = f"{base}{page}?{urlencode(dict(query, report=report))}"
    log = open(os.path.join(args.workdir, f"chromium-{report}.log"), "wb")
    process = subprocess.Popen(
        [args.chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--no-proxy-server",
         "--user-data-dir=" + profile, url],
        stdout=log, stderr=log, start_new_session=True)
    try:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            status, body = get(args.base, f"/test/report/{report}")
            if status == 200:
                return json.loads(body)
            if process.poll() is not None:
                print(f"    chromium exited with {process.returncode}; see {log.name}")
                return None
            time.sleep(0.2)
        print(f"    no report from {page} within {limit} s; see {log.name}")
        return None
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)   # chromium and the helpers it started
            process.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT (the bridge)")
    parser.add_argument("--streamconv", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--bridge-pid", type=int, required=True)
    parser.add_argument("--bridge-log", required=True)
    parser.add_argument("--delay-ms", type=int, required=True, help="the fake upstream's pause before each record")
    parser.add_argument("--retry-ms", type=int, required=True)
    parser.add_argument("--heartbeat-seconds", type=float, required=True)
    args = parser.parse_args()
    fixtures, base = args.fixtures, args.base
    port = int(base.rsplit(":", 1)[1])
    delay = args.delay_ms / 1000

    # The oracle: the main package's CLI.
    cli = subprocess.run([args.streamconv, "-f", "ndjson", "-t", "sse", "--ids", "--retry", str(args.retry_ms), "--done",
                          os.path.join(fixtures, "ollama-chat/input.ndjson")], capture_output=True, check=True)
    cli_events, cli_retries, _ = parse_sse(cli.stdout)
    record_lines = open(os.path.join(fixtures, "ollama-chat/expected.ndjson"), "rb").read().decode().splitlines()
    n = len(record_lines)
    expected_ndjson = open(os.path.join(fixtures, "openai-chat/expected.ndjson"), "rb").read()

    def with_stream_ids(stream):
        """The CLI's events with the bridge's ids: STREAM-n, and STREAM-(n+1) for the closing."""
        out = []
        for kind, data, last in cli_events:
            out.append((kind, data, f"{stream}-{last}" if data != "[DONE]" else f"{stream}-{n + 1}"))
        return out

    print("== curl -N GET /stream/ndjson, Accept: text/event-stream (NDJSON upstream served as SSE)")
    code, head, reads = curl(base + "/stream/ndjson", headers=["Accept: text/event-stream"])
    body = body_of(reads)
    stream = header(head, "x-stream-id") or ""
    check("status 200", head.startswith("HTTP/1.1 200"), head.split("\r\n")[0])
    check("Content-Type: text/event-stream", header(head, "content-type") == "text/event-stream", header(head, "content-type"))
    check("Cache-Control: no-cache", header(head, "cache-control") == "no-cache", header(head, "cache-control"))
    check("X-Accel-Buffering: no", header(head, "x-accel-buffering") == "no", header(head, "x-accel-buffering"))
    check("chunked, no Content-Length",
          header(head, "content-length") is None and (header(head, "transfer-encoding") or "").lower() == "chunked", head)
    check("X-Stream-ID: 32 hex digits", re.fullmatch(r"[0-9a-f]{32}", stream) is not None, stream)
    events, retries, beats = parse_sse(body)
    check("the events equal the CLI's conversion (--ids --retry --done), ids STREAM-n", events == with_stream_ids(stream),
          f"\n--- got ---\n{body.decode(errors='replace')}\n--- CLI ---\n{cli.stdout.decode()}")
    check(f"retry: {args.retry_ms} once, as the CLI writes it", retries == cli_retries == [str(args.retry_ms)], f"{retries} {cli_retries}")
    records = [(t, i) for t, i, block in arrivals(reads) if b"\nid: " in b"\n" + block and b"[DONE]" not in block]
    if check(f"{n} records arrived", len(records) == n, f"{len(records)}"):
        first = records[0][0]
        check(f"the first record arrived ({first * 1000:.0f} ms) before the upstream could send the last ({n * delay * 1000:.0f} ms)",
              first < n * delay)
        distinct = len({i for _, i in records})
        check(f"records arrived one by one ({distinct} separate reads for {n} records)", distinct >= n - 2)
        spread = records[-1][0] - first
        check(f"arrivals spread over the upstream's pace ({spread * 1000:.0f} ms from first to last)", spread >= (n - 1) * delay * 0.5)
    asked = upstream_count(base, "/stream/ndjson")

    print("== curl with Last-Event-ID: STREAM-4 (resumption from the replay store)")
    code, head, reads = curl(base + "/stream/ndjson", headers=["Accept: text/event-stream", f"Last-Event-ID: {stream}-4"])
    events, _, _ = parse_sse(body_of(reads))
    check("records 1-4 skipped, 5 on and [DONE] sent once", events == with_stream_ids(stream)[4:], body_of(reads).decode(errors="replace"))
    check("the upstream was not asked again", upstream_count(base, "/stream/ndjson") == asked, f"{asked}")
    code, head, _ = curl(base + "/stream/ndjson", headers=[f"Last-Event-ID: {stream}-{n + 1}"])
    check("after the closing event: 204 (EventSource stops)", head.startswith("HTTP/1.1 204"), head.split("\r\n")[0])

    print("== curl with a slow upstream (heartbeats)")
    slow = max(args.heartbeat_seconds * 2.5, delay)
    code, head, reads = curl(base + "/stream/ndjson?" + urlencode({"delay_ms": int(slow * 1000)}), headers=["Accept: text/event-stream"])
    events, _, beats = parse_sse(body_of(reads))
    slow_stream = header(head, "x-stream-id")
    check(f"heartbeat comments while the upstream is silent ({beats} seen)", beats >= 2)
    check("and only at record boundaries: the events are intact", events == with_stream_ids(slow_stream), body_of(reads).decode(errors="replace"))

    print("== curl -N GET /stream/sse, Accept: application/x-ndjson (SSE upstream served as NDJSON)")
    code, head, reads = curl(base + "/stream/sse", headers=["Accept: application/x-ndjson"])
    body = body_of(reads)
    check("Content-Type: application/x-ndjson", header(head, "content-type") == "application/x-ndjson", header(head, "content-type"))
    check("Cache-Control: no-cache and X-Accel-Buffering: no for NDJSON too",
          header(head, "cache-control") == "no-cache" and header(head, "x-accel-buffering") == "no", head)
    check("the bytes equal Fixtures/openai-chat/expected.ndjson", body == expected_ndjson, f"\n--- got ---\n{body.decode(errors='replace')}")
    check(f"lines arrived one by one ({len(reads)} reads)", len(reads) >= expected_ndjson.count(b"\n") // 2)
    for accept, prefix in (("application/json-seq", b"\x1e"), ("application/jsonl", b"")):
        code, head, reads = curl(base + "/stream/sse", headers=[f"Accept: {accept}"])
        lines = [prefix + line + b"\n" for line in expected_ndjson.splitlines()]
        check(f"Accept: {accept} gets {accept}", header(head, "content-type") == accept and body_of(reads) == b"".join(lines), head)
    code, head, reads = curl(base + "/stream/sse", headers=["Accept: application/json"])
    try:
        array = json.loads(body_of(reads))
    except ValueError:
        array = None
    check("Accept: application/json gets one JSON array of the records",
          array == [json.loads(line) for line in expected_ndjson.splitlines()], body_of(reads)[:200])

    print("== fan-out: two clients join one running stream")
    results_lock, joined = threading.Lock(), {}
    code, head, _ = curl(base + "/stream/ndjson?delay_ms=150", headers=["Accept: text/event-stream"], max_time=0.5)
    fan_stream = header(head, "x-stream-id")
    before = upstream_count(base, "/stream/ndjson")

    def join(name, accept):
        _, h, r = curl(f"{base}/streams/{fan_stream}", headers=[f"Accept: {accept}"])
        with results_lock:
            joined[name] = (h, body_of(r))
    threads = [threading.Thread(target=join, args=("sse", "text/event-stream")),
               threading.Thread(target=join, args=("ndjson", "application/x-ndjson"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    events, _, _ = parse_sse(joined["sse"][1])
    check("a subscriber joining by GET /streams/ID gets the stream from its start", events == with_stream_ids(fan_stream),
          joined["sse"][1][:300])
    check("another, in NDJSON, gets every record", joined["ndjson"][1].decode().splitlines() == record_lines, joined["ndjson"][1][:300])
    check("the upstream was read once for the three of them", upstream_count(base, "/stream/ndjson") == before, f"{before}")

    print("== the upstream fails mid-stream")
    code, head, reads = curl(base + "/api/chat?fail_after=3", headers=["Accept: text/event-stream"], data="{}")
    events, _, _ = parse_sse(body_of(reads))
    error = events[-1] if events else ("", "", "")
    check("three records, then `event: error` with a JSON body", len(events) == 4 and error[0] == "error"
          and json.loads(error[1]).get("error", {}).get("type") == "upstream_error", body_of(reads).decode(errors="replace"))
    check(f"and the response ends abnormally (curl exit {code})", code != 0)
    code, head, reads = curl(base + "/api/chat?fail_after=2", headers=["Accept: application/x-ndjson"], data="{}")
    lines = body_of(reads).decode().splitlines()
    check("in NDJSON: an {\"error\": ...} line after the records", len(lines) == 3 and json.loads(lines[-1])["error"]["type"] == "upstream_error",
          lines)

    print("== safe to expose: attacks refused")
    upstream_host = None
    status, headers, body = parse_http(raw(port, b"GET http://evil.example/echo HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"))
    if status == 200 and headers.get("x-upstream") == "fake":
        upstream_host = dict(json.loads(body)["headers"]).get("host")
    check("an absolute-form target goes to the fixed upstream, never to its host",
          upstream_host is not None and upstream_host.startswith("127.0.0.1:"), f"{status} {headers} {body[:200]}")
    for target in (b"//evil.example/echo", b"/a/../echo", b"/%2e%2e/echo", b"/a%2Fb/echo", b"/a\\b"):
        answer = raw(port, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        check(f"target {target.decode()} refused with 400", answer.startswith(b"HTTP/1.1 400"), answer[:80])
    status, headers, body = parse_http(raw(port, b"GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close, X-Hop\r\nX-Hop: secret\r\n"
                                                 b"Keep-Alive: 5\r\nX-Forwarded-For: 10.9.8.7\r\n\r\n"))
    sent = json.loads(body)["headers"] if status == 200 else []
    names = {name for name, _ in sent}
    check("hop-by-hop headers stripped, Host rewritten, X-Forwarded-For appended",
          "x-hop" not in names and "keep-alive" not in names and ["x-forwarded-for", "10.9.8.7, 127.0.0.1"] in sent
          and any(name == "host" and value.startswith("127.0.0.1:") for name, value in sent), sent)
    code, head, _ = curl(base + "/echo", data="x" * (64 * 1024 + 1))
    check("a body over --max-body-bytes gets 413", head.startswith("HTTP/1.1 413"), head.split("\r\n")[0])
    code, head, _ = curl(base + "/stream/ndjson", headers=["Accept: text/event-stream", "Authorization: Bearer alice"])
    alice = header(head, "x-stream-id")
    code, other, _ = curl(f"{base}/streams/{alice}", headers=["Authorization: Bearer mallory"])
    code, none, _ = curl(f"{base}/streams/{alice}")
    code, same, _ = curl(f"{base}/streams/{alice}", headers=["Authorization: Bearer alice"])
    check("a stream started with credentials: other or no credentials get 404, the same get 200",
          other.startswith("HTTP/1.1 404") and none.startswith("HTTP/1.1 404") and same.startswith("HTTP/1.1 200"),
          f"{other[:20]} {none[:20]} {same[:20]}")
    started = time.monotonic()
    answer = raw(port, b"GET /echo HTTP/1.1\r\nHost: x\r\n", wait=8)   # headers never finished
    check(f"an idle half-sent request is closed by --idle-timeout ({time.monotonic() - started:.1f} s)",
          time.monotonic() - started < 7)
    # Slowloris: the head dripped a byte every 0.4 s never completes, so the idle timeout runs.
    started, closed = time.monotonic(), False
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        try:
            for byte in b"GET /echo HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40:
                s.sendall(bytes([byte]))
                time.sleep(0.4)
                if time.monotonic() - started > 8:
                    break
        except (BrokenPipeError, ConnectionResetError):
            closed = True
        if not closed:
            s.settimeout(1)
            try:
                closed = s.recv(1) == b""
            except (socket.timeout, ConnectionResetError):
                closed = False
    check(f"a slowloris request (its head dripped a byte at a time) is closed ({time.monotonic() - started:.1f} s)",
          closed and time.monotonic() - started < 8)
    # A client that stops reading: once the socket buffers are full, a write waits; after
    # --write-timeout (1 s here) the bridge closes the connection instead of holding it forever.
    stuck = socket.socket()
    stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stuck.connect(("127.0.0.1", port))
    stuck.sendall(b"GET /stream/clock?count=20000&interval_ms=0&pad=4000 HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
    time.sleep(4)
    stuck.settimeout(5)
    received, closed, tail = 0, False, b""
    try:
        while True:
            chunk = stuck.recv(65536)
            if not chunk:
                closed = True
                break
            received += len(chunk)
            tail = (tail + chunk)[-16:]
    except (socket.timeout, ConnectionResetError) as error:
        closed = isinstance(error, ConnectionResetError)
    stuck.close()
    check(f"a client that stops reading is closed by --write-timeout, its response cut short ({received} bytes)",
          closed and not tail.endswith(b"0\r\n\r\n") and received < 20000 * 4000, f"closed {closed}, tail {tail!r}")
    time.sleep(0.5)
    log = open(args.bridge_log, "rb").read()
    check("the access log says why: --write-timeout", b"--write-timeout" in log, log[-400:])
    check("the access log holds no credentials and no query strings", b"alice" not in log and b"mallory" not in log
          and b"fail_after" not in log and b"delay_ms" not in log, log[-300:])

    print("== Chromium: EventSource through the bridge (page served by the upstream, through the bridge)")
    expected_events = [{"type": "message", "data": line} for line in record_lines] + [{"type": "message", "data": "[DONE]"}]

    def shape(report):
        return [{"type": e["type"], "data": e["data"]} for e in report["events"]]

    def ids_ok(report):
        ids = [e["lastEventId"] for e in report["events"]]
        found = re.fullmatch(r"([0-9a-f]{32})-1", ids[0]) if ids else None
        return found is not None and ids == [f"{found.group(1)}-{i}" for i in range(1, n + 2)]
    report = browser(args, base, "/test/eventsource.html", {}, "eventsource")
    if check("the page reported", report is not None):
        check("one connection", report["opens"] == 1, report["opens"])
        check(f"{len(expected_events)} events: the records, then [DONE]", shape(report) == expected_events,
              json.dumps(report["events"], ensure_ascii=False, indent=1)[:2000])
        check("ids STREAM-1 ... STREAM-(n+1)", ids_ok(report), [e["lastEventId"] for e in report["events"]])

    print("== Chromium: EventSource, connection dropped after 4 events (Last-Event-ID resumption from the store)")
    relay = Relay(port)
    threading.Thread(target=relay.serve_forever, daemon=True).start()
    relay_base = f"http://127.0.0.1:{relay.server_address[1]}"
    before = upstream_count(base, "/stream/ndjson")
    report = browser(args, relay_base, "/test/eventsource.html", {"drop_after": 4}, "eventsource-drop")
    if check("the page reported", report is not None):
        check("EventSource reconnected once", report["opens"] == 2, report["opens"])
        check("no record lost or repeated", shape(report) == expected_events and ids_ok(report),
              [e["lastEventId"] for e in report["events"]])
        check("the upstream was asked once (the rest came from the store)", upstream_count(base, "/stream/ndjson") == before + 1,
              f"{before} -> {upstream_count(base, '/stream/ndjson')}")
    relay.shutdown()

    print("== Chromium: fetch + stream reader, SSE upstream as NDJSON")
    report = browser(args, base, "/test/fetch.html", {"path": "/stream/sse", "accept": "application/x-ndjson"}, "fetch-ndjson")
    if check("the page reported", report is not None):
        text = "".join(chunk["text"] for chunk in report["chunks"])
        check("status 200, application/x-ndjson", report["status"] == 200 and report["contentType"] == "application/x-ndjson",
              f"{report['status']} {report['contentType']}")
        check("the text equals Fixtures/openai-chat/expected.ndjson", text == expected_ndjson.decode(), text)
        check(f"read in pieces as it arrived ({len(report['chunks'])} reads)", len(report["chunks"]) >= expected_ndjson.count(b"\n") // 2)

    print("== Chromium: fetch + stream reader, NDJSON upstream as SSE")
    report = browser(args, base, "/test/fetch.html", {"path": "/stream/ndjson", "accept": "text/event-stream"}, "fetch-sse")
    if check("the page reported", report is not None):
        text = "".join(chunk["text"] for chunk in report["chunks"]).encode()
        events, _, _ = parse_sse(text)
        stream_id = events[0][2].rsplit("-", 1)[0] if events else ""
        check("the events equal the CLI's conversion", events == with_stream_ids(stream_id), text.decode(errors="replace")[:500])
        check(f"read in pieces as it arrived ({len(report['chunks'])} reads)", len(report["chunks"]) >= n // 2)

    print("== graceful shutdown (SIGTERM) with a stream in flight")
    streaming = subprocess.Popen(["curl", "-sSN", "--noproxy", "*", "--max-time", "30", "-H", "Accept: text/event-stream",
                                  base + "/stream/ndjson?delay_ms=300"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    time.sleep(0.8)
    os.kill(args.bridge_pid, signal.SIGTERM)
    started = time.monotonic()
    stopped = False
    while time.monotonic() - started < 15:
        try:
            os.kill(args.bridge_pid, 0)
        except ProcessLookupError:
            stopped = True
            break
        if b"streamconv-bridge: stopped" in open(args.bridge_log, "rb").read():
            stopped = True
            break
        time.sleep(0.1)
    check(f"the bridge stopped within 15 s of SIGTERM ({time.monotonic() - started:.1f} s)", stopped)
    streaming.kill()
    streaming.wait()

    failed = [name for name, ok in results if not ok]
    print()
    if failed:
        print(f"FAIL: {len(failed)} of {len(results)} checks failed:")
        for name in failed:
            print(f"  - {name}")
        return 1
    print(f"PASS: all {len(results)} checks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
