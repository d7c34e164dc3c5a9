#!/usr/bin/env python3
"""End-to-end checks of a running HummingbirdBridge (started with --fake-upstream --test-routes).

Standard library only. Talks to the bridge with `curl -N` and with headless Chromium (pages that
use EventSource and fetch post what they received back to the bridge's /test/report route), and
compares what arrived with expectations derived from the fixtures:

- the SSE bytes: the main package's CLI, `streamconv -f ndjson -t sse --ids --retry R --done`,
  applied to Fixtures/ollama-chat/input.ndjson, plus the bridge's final `event: end` block;
- the events a browser must see: one per line of Fixtures/ollama-chat/expected.ndjson (the
  fixture's oracle-made conversion), ids 1, 2, 3..., then `[DONE]` and the `end` event;
- the NDJSON bytes: Fixtures/openai-chat/expected.ndjson.

Prints one line per check and a PASS/FAIL summary; exits 1 when a check failed.
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlencode

HEARTBEAT = b":"

results = []


def check(name, ok, detail=""):
    results.append((name, bool(ok)))
    print(f"  {'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""), flush=True)
    return ok


def blocks(sse):
    """The blocks of an SSE stream as the bridge writes it (LF line ends, blocks end with a blank line)."""
    parts = sse.split(b"\n\n")
    assert parts[-1] == b"", f"stream does not end with a blank line: {sse[-60:]!r}"
    return parts[:-1]


def without_heartbeats(sse):
    """Heartbeats are `:` lines with no blank line after them (SSEEncoder.heartbeat)."""
    lines = sse.split(b"\n")
    kept = [line for line in lines if line != HEARTBEAT]
    return b"\n".join(kept), len(lines) - len(kept)


def curl(url, headers=(), max_time=30):
    """Runs `curl -N` and returns (status line + headers, [(seconds since start, bytes read)])."""
    with tempfile.NamedTemporaryFile() as head:
        command = ["curl", "-sSN", "--noproxy", "*", "--max-time", str(max_time), "-D", head.name]
        for header in headers:
            command += ["-H", header]
        started = time.monotonic()
        process = subprocess.Popen(command + [url], stdout=subprocess.PIPE)
        reads = []
        while True:
            data = os.read(process.stdout.fileno(), 65536)
            if not data:
                break
            reads.append((time.monotonic() - started, data))
        process.wait()
        return open(head.name, "rb").read().decode("latin-1"), reads


def header(head, name):
    for line in head.split("\r\n"):
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None


def arrivals(reads):
    """(time, index of the read) at which each SSE block was complete."""
    seen, buffer = [], b""
    for index, (t, data) in enumerate(reads):
        buffer += data
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            block = b"\n".join(line for line in block.split(b"\n") if line != HEARTBEAT)
            seen.append((t, index, block))
    return seen


def resumed_blocks(expected_sse, after):
    """The expected blocks of a stream resumed after id `after`: the CLI's blocks with higher ids
    (and those without an id), with the `retry:` line (which SSE output writes in the first
    event's block, never a block of its own) in the first block sent, before its data."""
    all_blocks = blocks(expected_sse)
    retry = [line for line in all_blocks[0].split(b"\n") if line.startswith(b"retry: ")]
    kept = [b"\n".join(line for line in b.split(b"\n") if not line.startswith(b"retry: ")) for b in all_blocks]
    kept = [b for b in kept if not (b.startswith(b"id: ") and int(b.split(b"\n")[0][4:]) <= after)]
    if retry and kept:
        lines = kept[0].split(b"\n")
        at = next(i for i, line in enumerate(lines) if line == b"data" or line.startswith(b"data:"))
        kept[0] = b"\n".join(lines[:at] + retry + lines[at:])
    return kept


def get(base, path, timeout=5):
    host, port = base.split("//")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def browser(args, page, query, report, limit=45):
    """Opens `page` in headless Chromium and waits for the report it posts; None on timeout."""
    profile = tempfile.mkdtemp(prefix="bridge-chromium-")
    url = f"{args.base}{page}?{urlencode(dict(query, report=report))}"
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
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--streamconv", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--delay-ms", type=int, required=True, help="the fake upstream's pause before each record")
    parser.add_argument("--retry-ms", type=int, required=True)
    parser.add_argument("--heartbeat-seconds", type=float, required=True)
    args = parser.parse_args()
    fixtures = args.fixtures

    # Expected SSE bytes, from the main package's CLI, and the bridge's own end event.
    cli = subprocess.run([args.streamconv, "-f", "ndjson", "-t", "sse", "--ids", "--retry", str(args.retry_ms), "--done",
                          os.path.join(fixtures, "ollama-chat/input.ndjson")], capture_output=True, check=True)
    expected_sse = cli.stdout + b"event: end\ndata\n\n"
    record_lines = open(os.path.join(fixtures, "ollama-chat/expected.ndjson"), "rb").read().decode().splitlines()
    n = len(record_lines)
    expected_events = [{"type": "message", "data": line, "lastEventId": str(i + 1)} for i, line in enumerate(record_lines)]
    expected_events += [{"type": "message", "data": "[DONE]", "lastEventId": str(n)},
                        {"type": "end", "data": "", "lastEventId": str(n)}]
    expected_ndjson = open(os.path.join(fixtures, "openai-chat/expected.ndjson"), "rb").read()
    delay = args.delay_ms / 1000

    print("== curl -N /sse (NDJSON upstream served as SSE)")
    head, reads = curl(args.base + "/sse")
    body = b"".join(data for _, data in reads)
    check("status 200", head.startswith("HTTP/1.1 200"), head.split("\r\n")[0])
    check("Content-Type: text/event-stream", header(head, "content-type") == "text/event-stream", header(head, "content-type"))
    check("Cache-Control: no-cache", header(head, "cache-control") == "no-cache", header(head, "cache-control"))
    check("X-Accel-Buffering: no", header(head, "x-accel-buffering") == "no", header(head, "x-accel-buffering"))
    check("chunked, no Content-Length",
          header(head, "content-length") is None and header(head, "transfer-encoding") == "chunked", head)
    stripped, beats = without_heartbeats(body)
    check("the bytes equal the CLI's conversion (--ids --retry --done) plus 'event: end'", stripped == expected_sse,
          f"\n--- got ---\n{stripped.decode(errors='replace')}\n--- expected ---\n{expected_sse.decode()}")
    # Record arrival: the upstream pauses `delay` before each record, so it cannot have sent its
    # last one before n * delay after curl started.
    records = [(t, i) for t, i, block in arrivals(reads) if block.startswith(b"id: ")]
    if check(f"{n} records arrived", len(records) == n, f"{len(records)}"):
        first = records[0][0]
        check(f"the first record arrived ({first * 1000:.0f} ms) before the upstream could send the last ({n * delay * 1000:.0f} ms)",
              first < n * delay)
        distinct = len({i for _, i in records})
        check(f"records arrived one by one ({distinct} separate reads for {n} records)", distinct >= n - 2)
        spread = records[-1][0] - first
        check(f"arrivals spread over the upstream's pace ({spread * 1000:.0f} ms from first to last)",
              spread >= (n - 1) * delay * 0.5)

    print("== curl /sse with Last-Event-ID: 4 (resumption)")
    _, reads = curl(args.base + "/sse", headers=["Last-Event-ID: 4"])
    stripped, _ = without_heartbeats(b"".join(data for _, data in reads))
    resumed = resumed_blocks(expected_sse, 4)
    check("records 1-4 skipped, 5 on, [DONE] and end sent once", stripped == b"".join(b + b"\n\n" for b in resumed),
          stripped.decode(errors="replace"))

    print("== curl /sse with a slow upstream (heartbeats)")
    slow = max(args.heartbeat_seconds * 2.5, delay)
    _, reads = curl(args.base + "/sse?" + urlencode({"delay_ms": int(slow * 1000)}), headers=["Last-Event-ID: 6"])
    stripped, beats = without_heartbeats(b"".join(data for _, data in reads))
    check(f"heartbeat comments while the upstream is silent ({beats} seen)", beats >= 2)
    resumed = resumed_blocks(expected_sse, 6)
    check("and only at record boundaries: the events are intact", stripped == b"".join(b + b"\n\n" for b in resumed),
          stripped.decode(errors="replace"))

    print("== curl -N /ndjson (SSE upstream served as NDJSON)")
    head, reads = curl(args.base + "/ndjson")
    body = b"".join(data for _, data in reads)
    check("Content-Type: application/x-ndjson", header(head, "content-type") == "application/x-ndjson", header(head, "content-type"))
    check("the bytes equal Fixtures/openai-chat/expected.ndjson", body == expected_ndjson,
          f"\n--- got ---\n{body.decode(errors='replace')}")
    check(f"lines arrived one by one ({len(reads)} reads)", len(reads) >= expected_ndjson.count(b"\n") // 2)

    print("== Chromium: EventSource (typed messages, addEventListener('end'))")
    report = browser(args, "/test/eventsource.html", {}, "eventsource")
    if check("the page reported", report is not None):
        check("one connection", report["opens"] == 1, report["opens"])
        check(f"{len(expected_events)} events: the records with ids 1-{n}, [DONE], then 'end'", report["events"] == expected_events,
              json.dumps(report["events"], ensure_ascii=False, indent=1))

    print("== Chromium: EventSource, connection dropped after 4 events (Last-Event-ID resumption)")
    report = browser(args, "/test/eventsource.html", {"drop_after": 4}, "eventsource-drop")
    if check("the page reported", report is not None):
        check("EventSource reconnected once", report["opens"] == 2, report["opens"])
        ids = [e["lastEventId"] for e in report["events"] if e["data"] not in ("[DONE]", "")]
        check("no record lost or repeated", report["events"] == expected_events, f"ids {ids}")

    print("== Chromium: fetch + stream reader on /ndjson")
    report = browser(args, "/test/fetch.html", {"path": "/ndjson"}, "fetch-ndjson")
    if check("the page reported", report is not None):
        text = "".join(chunk["text"] for chunk in report["chunks"])
        check("status 200, application/x-ndjson", report["status"] == 200 and report["contentType"] == "application/x-ndjson",
              f"{report['status']} {report['contentType']}")
        check("the text equals Fixtures/openai-chat/expected.ndjson", text == expected_ndjson.decode(), text)
        check(f"read in pieces as it arrived ({len(report['chunks'])} reads)",
              len(report["chunks"]) >= expected_ndjson.count(b"\n") // 2)

    print("== Chromium: fetch + stream reader on /sse")
    report = browser(args, "/test/fetch.html", {"path": "/sse"}, "fetch-sse")
    if check("the page reported", report is not None):
        text = "".join(chunk["text"] for chunk in report["chunks"]).encode()
        stripped, _ = without_heartbeats(text)
        check("the text equals the expected SSE bytes", stripped == expected_sse, stripped.decode(errors="replace"))
        check(f"read in pieces as it arrived ({len(report['chunks'])} reads)", len(report["chunks"]) >= n // 2)

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
