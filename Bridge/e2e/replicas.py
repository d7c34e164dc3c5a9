#!/usr/bin/env python3
"""Two streamconv-bridge replicas sharing one PostgreSQL replay store, on loopback (run by
replicas.sh): a client reads some events from replica A, drops the connection, resumes on
replica B with Last-Event-ID and gets the rest (nothing lost, nothing repeated, the upstream
asked once); the stream is refused on B to other credentials (404); two clients on different
replicas follow one stream and each gets all of it; a record appended on A reaches a client
on B within a bound. Standard library only; prints one line per check, exits 1 on a failure.
"""
import argparse
import http.client
import json
import sys
import threading
import time

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(f"  {'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""), flush=True)
    return ok


def open_stream(port, method, path, headers, body=None, timeout=20):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request(method, path, body=body, headers=headers)
    return connection, connection.getresponse()


def events(response, limit=None, arrivals=None):
    """SSE events [(event, id, data)] until the end, or `limit` events; heartbeats skipped."""
    out, block = [], {}
    while limit is None or len(out) < limit:
        line = response.readline()
        if not line:
            break
        line = line.decode("utf-8").rstrip("\r\n")
        if line == "":
            if "data" in block or "event" in block:
                out.append((block.get("event", "message"), block.get("id"), "\n".join(block.get("data", []))))
                if arrivals is not None:
                    arrivals.append(time.monotonic())
            block = {}
        elif line.startswith(":"):
            continue
        else:
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "data":
                block.setdefault("data", []).append(value)
            elif name in ("event", "id"):
                block[name] = value
    return out


def upstream_count(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/_count")
    counts = json.loads(connection.getresponse().read())
    connection.close()
    return counts.get(path, 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--a", type=int, required=True, help="replica A's port")
    parser.add_argument("--b", type=int, required=True, help="replica B's port")
    parser.add_argument("--upstream", type=int, required=True, help="the fake upstream's port")
    parser.add_argument("--records", required=True, help="the NDJSON records the upstream streams (a file)")
    parser.add_argument("--delay-ms", type=int, required=True)
    args = parser.parse_args()
    expected = [json.loads(line) for line in open(args.records, encoding="utf-8") if line.strip()]
    n = len(expected)
    sse = {"Accept": "text/event-stream", "Content-Type": "application/json"}
    alice = dict(sse, Authorization="Bearer alice-secret")
    path = f"/api/chat?delay_ms={args.delay_ms}"

    print(f"== resume on another replica ({n} records, one every {args.delay_ms} ms)")
    before = upstream_count(args.upstream, "/api/chat")
    connection, response = open_stream(args.a, "POST", path, alice, body=b"{}")
    stream = response.getheader("X-Stream-ID") or ""
    check("replica A starts the stream: 200, text/event-stream, X-Stream-ID",
          response.status == 200 and response.getheader("Content-Type") == "text/event-stream" and len(stream) == 32,
          f"{response.status} {response.getheader('Content-Type')} {stream!r}")
    first = events(response, limit=3)
    connection.close()  # the client drops
    check("3 events read from A, then the connection dropped", len(first) == 3, f"{first}")
    last_id = first[-1][1] if first else ""
    check("event ids are STREAM-POSITION", [e[1] for e in first] == [f"{stream}-{i}" for i in (1, 2, 3)], f"{first}")

    # Someone else's credentials, or none, on B: 404, as for an unknown stream.
    for name, headers in (("other credentials", dict(sse, Authorization="Bearer mallory")), ("no credentials", sse)):
        c, r = open_stream(args.b, "POST", path, dict(headers, **{"Last-Event-ID": last_id}), body=b"{}")
        body = r.read()
        c.close()
        check(f"resuming on B with {name} is refused: 404", r.status == 404, f"{r.status} {body[:200]!r}")
        c, r = open_stream(args.b, "GET", f"/streams/{stream}", headers)
        r.read()
        c.close()
        check(f"joining on B with {name} is refused: 404", r.status == 404, f"{r.status}")

    connection, response = open_stream(args.b, "POST", path, dict(alice, **{"Last-Event-ID": last_id}), body=b"{}")
    check("replica B resumes it: 200, same X-Stream-ID", response.status == 200 and response.getheader("X-Stream-ID") == stream,
          f"{response.status} {response.getheader('X-Stream-ID')}")
    rest = events(response)
    connection.close()
    got = first + rest
    check("nothing lost, nothing repeated: A's events + B's events = every record, in order",
          [json.loads(e[2]) for e in got] == expected, f"{len(first)} + {len(rest)} events, {n} expected")
    check("the ids go on without a gap", [e[1] for e in got] == [f"{stream}-{i}" for i in range(1, n + 1)],
          f"{[e[1] for e in got]}")
    check("the upstream was asked once", upstream_count(args.upstream, "/api/chat") - before == 1,
          f"{upstream_count(args.upstream, '/api/chat') - before} requests")
    c, r = open_stream(args.b, "POST", path, dict(alice, **{"Last-Event-ID": got[-1][1]}), body=b"{}")
    r.read()
    c.close()
    check("resuming after the last event of the ended stream: 204 (EventSource stops)", r.status == 204, f"{r.status}")

    print("== two clients on different replicas follow one stream")
    before = upstream_count(args.upstream, "/api/chat")
    c1, r1 = open_stream(args.a, "POST", path, alice, body=b"{}")
    stream = r1.getheader("X-Stream-ID") or ""
    arrivals_a, arrivals_b, got_b = [], [], []

    def on_b():
        c2, r2 = open_stream(args.b, "GET", f"/streams/{stream}", {"Accept": "text/event-stream",
                                                                  "Authorization": "Bearer alice-secret"})
        got_b.extend([("status", r2.status)] + events(r2, arrivals=arrivals_b))
        c2.close()

    follower = threading.Thread(target=on_b)
    follower.start()
    got_a = events(r1, arrivals=arrivals_a)
    c1.close()
    follower.join(timeout=60)
    status_b = got_b[0][1] if got_b else None
    got_b = got_b[1:]
    check("the client on A gets every record", [json.loads(e[2]) for e in got_a] == expected, f"{len(got_a)} events")
    check("the client joining on B (GET /streams/ID) gets every record too, with the same ids",
          status_b == 200 and got_b == got_a, f"status {status_b}, {len(got_b)} events")
    check("the upstream was asked once for both", upstream_count(args.upstream, "/api/chat") - before == 1)
    # Live: B's client gets each record about when A's does (NOTIFY, not polling), for the
    # records B's client was already waiting for.
    lags = [b - a for a, b in zip(arrivals_a[2:], arrivals_b[2:])]
    worst = max(lags) if lags else 99
    check("records reach the client on B live (each within 0.5 s of the client on A)", worst < 0.5,
          f"worst lag {worst:.3f} s")

    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
