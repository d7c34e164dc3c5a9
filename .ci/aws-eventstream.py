#!/usr/bin/env python3
"""The aws-eventstream check of .ci/run: streamconv against AWS's published event stream
vectors and real recordings in ../shared/corpora/aws-eventstream (read there, never copied).

- positive and stream vectors: `-f aws-eventstream -t ndjson --envelope` gives exactly the
  messages of the published description (every header's name, type and value, the payload),
  and the envelope converted back (`-f ndjson -t aws-eventstream --envelope`) is the same bytes;
  each is also fed through a pipe in random small pieces, with the same output;
- negative vectors: refused with a nonzero status for one of the reasons the manifest lists
  (expected_failure, or any problem the reference found in it), and only the good messages
  before the bad one are written (none of the bad one);
- policy vectors (valid framing some SDKs refuse): accepted, every header kept in order;
- real Bedrock InvokeModelWithResponseStream recordings with --decode-bytes: the model's own
  JSON events (matching the corpus' decoded text where it has one).

python3 stdlib only. Usage: aws-eventstream.py [--bin PATH] [--corpus DIR] [-q]
"""
import argparse, base64, gzip, json, os, random, subprocess, sys, threading

TYPE_CODES = {"string": 7, "bytes": 6, "byte": 2, "short": 3, "int": 4, "long": 5, "timestamp": 8, "uuid": 9}


def run(binary, args, data, pieces=False):
    """Runs streamconv with `data` on stdin (in random writes of 1 to 7 bytes when `pieces`)."""
    proc = subprocess.Popen([binary] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if not pieces:
        out, err = proc.communicate(data)
        return proc.returncode, out, err.decode("utf-8", "replace")
    result = {}
    readers = [threading.Thread(target=lambda k=k, f=f: result.__setitem__(k, f.read()))
               for k, f in (("out", proc.stdout), ("err", proc.stderr))]
    for t in readers:
        t.start()
    rng = random.Random(len(data))
    i = 0
    try:
        while i < len(data):
            n = rng.randint(1, 7)
            proc.stdin.write(data[i:i + n])
            proc.stdin.flush()
            i += n
        proc.stdin.close()
    except BrokenPipeError:
        pass
    for t in readers:
        t.join()
    proc.wait()
    return proc.returncode, result["out"], result["err"].decode("utf-8", "replace")


def ours(envelope_line):
    """One envelope object to the corpus' description form: (headers, payload bytes)."""
    obj = json.loads(envelope_line)
    headers = []
    for h in obj.get("headers", []):
        t, v = h["type"], h["value"]
        if t == "bool":
            headers.append((h["name"], 0 if v else 1, v))
        elif t == "uuid":
            headers.append((h["name"], 9, base64.b64encode(bytes.fromhex(v.replace("-", ""))).decode()))
        else:
            headers.append((h["name"], TYPE_CODES[t], v))
    if "data_base64" in obj:
        payload = base64.b64decode(obj["data_base64"])
    else:
        payload = obj.get("data", "").encode("utf-8")
    return headers, payload


def theirs(message):
    """A message of a description to the same form."""
    headers = []
    for h in message["headers"]:
        v = h["value"]
        if h["type"] == 7 and h.get("type_name") is None:
            v = base64.b64decode(v).decode("utf-8")  # published form: strings in base64
        headers.append((h["name"], h["type"], v))
    return headers, base64.b64decode(message["payload"])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(here, "..", ".build", "release", "streamconv"))
    ap.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpora", "aws-eventstream"))
    ap.add_argument("-q", action="store_true", help="print only failures and the summary")
    a = ap.parse_args()
    manifest = json.load(open(os.path.join(a.corpus, "manifest.json")))
    failures = []
    counts = {}

    def fail(vid, why):
        failures.append(f"{vid}: {why}")

    def ok(vid, what):
        if not a.q:
            print(f"ok   {vid}: {what}")

    for v in manifest["vectors"]:
        vid, kind = v["id"], v["kind"]
        counts[kind] = counts.get(kind, 0) + 1
        raw = open(os.path.join(a.corpus, v["file"]), "rb").read()
        if v["file"].endswith(".gz"):
            raw = gzip.decompress(raw)
        desc = json.load(open(os.path.join(a.corpus, v["description"])))
        decode = ["-f", "aws-eventstream", "-t", "ndjson", "--envelope"]

        if kind in ("positive", "stream", "policy"):
            status, out, err = run(a.bin, decode, raw)
            if status != 0:
                fail(vid, f"status {status}: {err.strip()}"); continue
            lines = out.decode().splitlines()
            want = [theirs(m) for m in desc["messages"]]
            got = [ours(l) for l in lines]
            if got != want:
                fail(vid, f"decoded {len(got)} messages that differ from the description ({len(want)})"); continue
            status2, out2, _ = run(a.bin, decode, raw, pieces=True)
            if (status2, out2) != (status, out):
                fail(vid, "fed in small pieces, the output differs"); continue
            status, back, err = run(a.bin, ["-f", "ndjson", "-t", "aws-eventstream", "--envelope"], out)
            if status != 0 or back != raw:
                fail(vid, f"re-encoding gave {len(back)} bytes, not the {len(raw)} of the vector (status {status} {err.strip()})"); continue
            ok(vid, f"{len(lines)} messages, re-encoded byte for byte")
            if "invoke-stream" in (v.get("tags") or []):
                status, out, err = run(a.bin, ["-f", "aws-eventstream", "-t", "ndjson", "--decode-bytes"], raw)
                events = [json.loads(l) for l in out.decode().splitlines()]
                if status != 0 or not events or not all(isinstance(e, dict) and "type" in e for e in events):
                    fail(vid, f"--decode-bytes: status {status}, {len(events)} events: {err.strip()}"); continue
                matched = ""
                text = os.path.join(a.corpus, "index_text", vid.split("/")[1].replace("bedrock_invoke_", "").replace("aimock_k5", "aimock_invoke_k5_stream") + ".decodedText.txt")
                if os.path.exists(text):
                    expected = [json.loads(l) for l in open(text, encoding="utf-8") if l.strip()]
                    if expected != events:
                        fail(vid, "--decode-bytes: events differ from the corpus' decoded text"); continue
                    matched = ", the corpus' decoded text exactly"
                ok(vid, f"--decode-bytes: {len(events)} model events{matched}")
        elif kind == "negative":
            status, out, err = run(a.bin, decode, raw)
            reasons = set(desc.get("ref_all_problems", [])) | {desc["expected_failure"]}
            said = ("prelude_crc" if "prelude CRC-32" in err else "message_crc" if "message CRC-32" in err
                    else "bad_lengths" if ("total length" in err or "headers length" in err) else "bad_header" if "bad header" in err
                    else "truncated" if status == 3 else "policy" if "larger than the limit" in err else "?")
            if status == 0 or said not in reasons:
                fail(vid, f"status {status}, reason {said} not in {sorted(reasons)}: {err.strip()}"); continue
            lines = out.decode().splitlines()
            good = desc.get("good_prefix") or desc.get("messages_before") or []
            count = desc.get("good_prefix_messages") or 0
            if len(lines) != count or (good and [ours(l) for l in lines] != [theirs(m) for m in good]):
                fail(vid, f"wrote {len(lines)} messages, expected exactly the {count} good ones before the bad one"); continue
            ok(vid, f"refused ({said}, status {status}) after {count} good messages")
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    if failures:
        print("\n".join("FAIL " + f for f in failures))
        print(f"aws-eventstream: {len(failures)} of {sum(counts.values())} vectors failed ({summary})")
        return 1
    print(f"aws-eventstream: all {sum(counts.values())} vectors pass ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
