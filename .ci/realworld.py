#!/usr/bin/env python3
"""Real recorded streams from about thirty services, through the streamconv binary.

Reads ../shared/corpora/realworld2/manifest.json beside the checkout (public recordings with the
outputs an independent WHATWG reference parser expects; nothing of it is copied into the project),
runs every case's arguments on its input, whole and again written to the pipe in random pieces, and
compares the output with the expected file: JSON outputs as values (Python's json keeps big
integers exactly), SSE output as the events a WHATWG parser reads from it, the exit status exactly.
A case with alternatives passes when any of them matches.

    python3 .ci/realworld.py --bin .build/release/streamconv [--corpus DIR] [--chunked] [-q]
"""
import argparse
import json
import os
import random
import subprocess
import sys
import threading


def whatwg_events(data: bytes):
    """The events of an SSE stream, by WHATWG HTML 9.2.6 (dispatch on a blank line; an
    unterminated final block is discarded)."""
    text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        # The last line had no line break: it never completes.
        lines = lines[:-1] if lines else lines
    events, data_buf, event_type, last_id, retry = [], None, "", "", None
    for line in lines:
        if line == "":
            if data_buf is not None:
                events.append({"event": event_type or "message", "data": data_buf, "id": last_id})
            data_buf, event_type = None, ""
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
            data_buf = value if data_buf is None else data_buf + "\n" + value
        elif field == "event":
            event_type = value
        elif field == "id":
            if "\0" not in value:
                last_id = value
        elif field == "retry":
            if value.isdigit() and value.isascii():
                retry = value
    return {"events": events, "retry": retry}


def parse_lines(data: bytes):
    return [json.loads(line) for line in data.split(b"\n") if line.strip()]


def parse_output(kind: str, data: bytes, values_only: bool):
    if kind in ("ndjson",):
        return parse_lines(data)
    if kind == "envelope":
        records = parse_lines(data)
        if values_only:
            for record in records:
                if "data" in record and not isinstance(record["data"], str):
                    record["data"] = json.dumps(record["data"], separators=(",", ":"), ensure_ascii=False)
                if isinstance(record.get("data"), str):
                    try:
                        record["data"] = json.loads(record["data"])
                    except ValueError:
                        pass
        return records
    if kind == "json-array":
        return json.loads(data) if data.strip() else None
    if kind == "json-seq":
        return [json.loads(part) for part in data.split(b"\x1e") if part.strip()]
    if kind == "sse":
        return whatwg_events(data)
    raise ValueError(f"unknown comparison {kind}")


def run(binary, args, payload: bytes, chunked: bool, seed: int, timeout: float):
    proc = subprocess.Popen([binary, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def feed():
        try:
            if not chunked:
                proc.stdin.write(payload)
            else:
                rng = random.Random(seed)
                i = 0
                while i < len(payload):
                    n = rng.choice((1, 2, 3, 7, 64, 500, 4096))
                    proc.stdin.write(payload[i:i + n])
                    proc.stdin.flush()
                    i += n
        except BrokenPipeError:
            pass
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    chunks = {"out": b"", "err": b""}

    def drain(stream, key):
        chunks[key] = stream.read()

    threads = [threading.Thread(target=feed),
               threading.Thread(target=drain, args=(proc.stdout, "out")),
               threading.Thread(target=drain, args=(proc.stderr, "err"))]
    for thread in threads:
        thread.start()
    try:
        status = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        status = None
    for thread in threads:
        thread.join()
    return status, chunks["out"], chunks["err"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.environ.get("STREAMCONV", os.path.join(here, "..", ".build", "release", "streamconv")))
    parser.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpora", "realworld2"))
    parser.add_argument("--chunked", action="store_true", help="also feed each input in random pieces")
    parser.add_argument("-q", "--quiet", action="store_true")
    opts = parser.parse_args()
    manifest = json.load(open(os.path.join(opts.corpus, "manifest.json")))
    passed = failed = 0
    for sample in manifest["samples"]:
        payload = open(os.path.join(opts.corpus, sample["file"]), "rb").read()
        for case in sample["cases"]:
            values_only = case.get("values_only", False)
            expected_files = [case["expected"]] + [alt["expected"] for alt in case.get("alternatives", [])]
            expected = []
            for name in expected_files:
                raw = open(os.path.join(opts.corpus, name), "rb").read()
                expected.append(parse_output(case["compare"], raw, values_only))
            want_status = case.get("exit", 0)
            modes = [False, True] if opts.chunked else [False]
            for chunked in modes:
                label = case["id"] + (" (random pieces)" if chunked else "")
                status, out, err = run(opts.bin, case["args"], payload, chunked, sum(case["id"].encode()), case.get("timeout_s", 60))
                problem = None
                if status is None:
                    problem = "timed out"
                elif status != want_status:
                    problem = f"exit {status}, expected {want_status}: {err.decode(errors='replace').strip()[:300]}"
                else:
                    try:
                        got = parse_output(case["compare"], out, values_only)
                    except ValueError as error:
                        problem = f"output does not parse: {error}"
                    else:
                        if got not in expected:
                            problem = "output differs from " + " and ".join(expected_files)
                if problem:
                    failed += 1
                    print(f"FAIL {label}: {problem}")
                else:
                    passed += 1
                    if not opts.quiet:
                        print(f"ok   {label}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
