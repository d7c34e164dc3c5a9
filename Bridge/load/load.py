#!/usr/bin/env python3
"""A bounded load run of streamconv-bridge on loopback: C concurrent clients each read one stream
of K records (one every I ms) from the fake upstream's /stream/clock, through the bridge as SSE,
and the same number directly from the upstream as NDJSON (the baseline). Each record carries the
wall-clock time the upstream wrote it; a client notes when it arrived. Prints clients, events/s,
latency p50/p99 through the bridge and directly (their difference is what the bridge adds), and
the bridge's peak RSS (VmHWM). Standard library only; exits 1 when a client lost or repeated a
record or the run exceeded its time bound.
"""
import argparse
import asyncio
import json
import time


async def read_stream(host, port, path, accept, latencies, errors, deadline):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        errors.append(head.split(b"\r\n")[0].decode() + " " + (await reader.read(300)).decode(errors="replace"))
        writer.close()
        return []
    chunked = b"transfer-encoding: chunked" in head.lower()
    buffer, seqs = b"", []
    while time.monotonic() < deadline:
        if chunked:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                break
            data = await reader.readexactly(size + 2)
            data = data[:-2]
        else:
            data = await reader.read(65536)
            if not data:
                break
        now = time.time_ns()
        buffer += data
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.startswith(b"data: "):
                line = line[6:]
            if line.startswith(b"{"):
                record = json.loads(line)
                seqs.append(record["seq"])
                latencies.append(now - record["sent_ns"])
    writer.close()
    return seqs


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def peak_rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return -1


async def run(args, port, accept, label):
    latencies, errors = [], []
    path = f"/stream/clock?count={args.records}&interval_ms={args.interval_ms}"
    deadline = time.monotonic() + args.max_seconds
    started = time.monotonic()
    tasks = [read_stream("127.0.0.1", port, path, accept, latencies, errors, deadline) for _ in range(args.clients)]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.monotonic() - started
    failures = [r for r in results if isinstance(r, BaseException)]
    complete = sum(1 for r in results if isinstance(r, list) and r == list(range(1, args.records + 1)))
    events = len(latencies)
    print(f"{label}: {args.clients} clients x {args.records} records in {elapsed:.1f} s: {events} events, "
          f"{events / elapsed:.0f} events/s, latency p50 {percentile(latencies, 0.5) / 1e6:.2f} ms, "
          f"p99 {percentile(latencies, 0.99) / 1e6:.2f} ms; {complete} streams complete and in order"
          + (f"; {len(failures)} failed ({failures[0]!r})" if failures else "") + (f"; refused: {errors[:3]}" if errors else ""))
    return latencies, complete, elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bridge-port", type=int, required=True)
    parser.add_argument("--upstream-port", type=int, required=True)
    parser.add_argument("--bridge-pid", type=int, required=True)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--interval-ms", type=int, default=50)
    parser.add_argument("--max-seconds", type=float, default=60)
    parser.add_argument("--rounds", type=int, default=1, help="bridged rounds, the peak RSS printed after each")
    parser.add_argument("--max-rss-mib", type=float, default=0,
                        help="fail when the bridge's peak RSS exceeds this (0: no bound)")
    parser.add_argument("--max-growth", type=float, default=0.5,
                        help="with several rounds: fail when the peak RSS after the last round exceeds the one after "
                             "the first by more than this fraction (+16 MiB): memory that grows round after round is a leak")
    args = parser.parse_args()
    rss_before = peak_rss_kib(args.bridge_pid)
    direct, direct_complete, _ = asyncio.run(run(args, args.upstream_port, "application/x-ndjson", "direct to the upstream"))
    ok_rounds = True
    round_rss = []
    for round in range(1, args.rounds + 1):
        bridged, bridged_complete, elapsed = asyncio.run(run(args, args.bridge_port, "text/event-stream", "through the bridge    "))
        ok_rounds = ok_rounds and bridged_complete == args.clients and elapsed < args.max_seconds
        round_rss.append(peak_rss_kib(args.bridge_pid) / 1024)
        if args.rounds > 1:
            print(f"  round {round}: bridge peak RSS {round_rss[-1]:.1f} MiB")
    rss_after = peak_rss_kib(args.bridge_pid)
    added50 = (percentile(bridged, 0.5) - percentile(direct, 0.5)) / 1e6
    added99 = (percentile(bridged, 0.99) - percentile(direct, 0.99)) / 1e6
    print(f"added by the bridge: p50 {added50:.2f} ms, p99 {added99:.2f} ms; "
          f"bridge peak RSS {rss_after / 1024:.1f} MiB (before the run {rss_before / 1024:.1f} MiB)")
    ok = ok_rounds and direct_complete == args.clients
    if not ok:
        print("FAIL: not every stream arrived complete and in order within the bound")
    if args.max_rss_mib and rss_after / 1024 > args.max_rss_mib:
        print(f"FAIL: the bridge's peak RSS {rss_after / 1024:.1f} MiB exceeds the bound {args.max_rss_mib:.0f} MiB (--max-rss-mib)")
        ok = False
    if len(round_rss) > 1 and round_rss[-1] > round_rss[0] * (1 + args.max_growth) + 16:
        print(f"FAIL: the bridge's peak RSS grew from {round_rss[0]:.1f} MiB after round 1 to {round_rss[-1]:.1f} MiB "
              f"after round {len(round_rss)} (more than {args.max_growth:.0%} + 16 MiB)")
        ok = False
    if ok:
        print("PASS")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
