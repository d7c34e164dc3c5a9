#!/usr/bin/env python3
"""The client-compatibility matrix: real SSE clients read what streamconv writes.

For every SSE output option (and combinations), streamconv converts a payload (generic records,
OpenAI chat-completion chunks, Anthropic message events) into SSE; input with pauses for the
heartbeat cases, so the CLI writes its heartbeats between records. Each client then reads those
exact bytes and must report exactly the intended events (type, data, last event id where the
client exposes it), with no exception; heartbeats, retry and comments must not show as events.
The intended events are computed here from the input and the options (not from our output).

Clients: the OpenAI and Anthropic Python SDKs (their Stream objects over an httpx mock
transport), httpx-sse and sseclient-py over loopback HTTP, Node's `eventsource` package, Go's
github.com/donovanhide/eventsource, and headless Chromium's EventSource. JSON outputs are read by
jq, jq --seq, Python's json and the ollama Python client.

Writes Docs/Clients.md; exits 1 when a cell expected to work does not (see EXPECTED_FAILURES for
the cells documented not to work, and why). Run by Clients/run.sh, which installs the clients.
"""

import argparse
import base64
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# ------------------------------------------------------------------------------------------------
# Payloads
# ------------------------------------------------------------------------------------------------

GENERIC = [
    {"id": "m1", "type": "delta", "text": "Hel"},
    {"id": "m2", "type": "delta", "text": "lo \u00e9\U0001F600", "n": 12345678901234567890123},
    {"id": "m3", "type": "done", "text": ""},
]


def openai_chunk(i, content, finish=None):
    return {"id": "chatcmpl-%d" % i, "object": "chat.completion.chunk", "created": 1700000000 + i,
            "model": "gpt-test", "choices": [{"index": 0, "delta": {"content": content} if content is not None else {},
                                              "finish_reason": finish}]}


OPENAI = [openai_chunk(1, "Hel"), openai_chunk(2, "lo"), openai_chunk(3, None, "stop")]

ANTHROPIC = [
    {"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "content": [],
                                          "model": "claude-test", "stop_reason": None, "stop_sequence": None,
                                          "usage": {"input_tokens": 3, "output_tokens": 1}}},
    {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hel"}},
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "lo"}},
    {"type": "content_block_stop", "index": 0},
    {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 2}},
    {"type": "message_stop"},
]

PAYLOADS = {"generic": GENERIC, "openai": OPENAI, "anthropic": ANTHROPIC}
LONG_RETRY = "123456789012345678901234567890"

# ------------------------------------------------------------------------------------------------
# Cases: the options, the input built from a payload, and the intended events
# ------------------------------------------------------------------------------------------------


class Case:
    def __init__(self, name, label, args, source="data", pauses=False):
        self.name, self.label, self.args, self.source, self.pauses = name, label, args, source, pauses

    def option(self, name):
        return self.args[self.args.index(name) + 1] if name in self.args else None


CASES = [
    Case("plain", "plain (`-f ndjson -t sse`)", []),
    Case("done", "`--done`", ["--done"]),
    Case("ids", "`--ids`", ["--ids"]),
    Case("id-from", "`--id-from id`", ["--id-from", "id"]),
    Case("event", "`--event delta`", ["--event", "delta"]),
    Case("event-from", "`--event-from type`", ["--event-from", "type"]),
    Case("retry", "`--retry 3000`", ["--retry", "3000"]),
    Case("retry-long", "`--retry` with 30 digits", ["--retry", LONG_RETRY]),
    Case("heartbeat", "`--heartbeat 0.2` (comment), input with pauses", ["--heartbeat", "0.2"], pauses=True),
    Case("heartbeat-event", "`--heartbeat 0.2 --heartbeat-event ping`, input with pauses",
         ["--heartbeat", "0.2", "--heartbeat-event", "ping"], pauses=True),
    Case("comments", "`-f sse -t sse --comments` (comment lines kept)", ["--comments"], source="sse-comments"),
    Case("sse-control", "`-f sse -t sse`, input with id-only and retry-only blocks", [], source="sse-control"),
    Case("envelope", "`--envelope` (JSON envelopes to SSE, with id/retry-only objects)", ["--envelope"], source="envelope"),
    Case("combo", "`--ids --retry 3000 --done --heartbeat 0.2`, pauses", ["--ids", "--retry", "3000", "--done", "--heartbeat", "0.2"], pauses=True),
    Case("combo-named", "`--id-from id --event-from type --retry 3000 --done --heartbeat 0.2 --heartbeat-event ping`, pauses",
         ["--id-from", "id", "--event-from", "type", "--retry", "3000", "--done", "--heartbeat", "0.2", "--heartbeat-event", "ping"],
         pauses=True),
]


def event_type_of(record):
    return record.get("type") if isinstance(record.get("type"), str) else None


def build_input(case, payload):
    """(format, input chunks) for streamconv; the chunks are written with pauses between them."""
    records = PAYLOADS[payload]
    if case.source == "data":
        lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in records]
        return "ndjson", lines
    if case.source == "envelope":
        objects = [{"retry": 2000}]
        for i, r in enumerate(records):
            if i == len(records) - 1:
                objects.append({"id": "ctl-8"})  # an id-only object before the last event
            o = {"data": json.dumps(r, ensure_ascii=False), "id": "e%d" % i}
            if event_type_of(r):
                o["event"] = event_type_of(r)
            objects.append(o)
        objects.append({"comment": "a comment, dropped without --comments"})
        objects.append({"id": "after-the-end"})  # no event follows: nothing is written for it
        return "ndjson", [json.dumps(o, ensure_ascii=False) + "\n" for o in objects]
    blocks = []
    for i, r in enumerate(records):
        prefix = ""
        if case.source == "sse-comments":
            prefix = ": comment %d\n" % i
        elif case.source == "sse-control" and i == 0:
            prefix = "retry: 1000\n\nid: 5\n\n"
        elif case.source == "sse-control" and i == len(records) - 1:
            prefix = "id: 9\n\n"
        event = "event: %s\n" % event_type_of(r) if event_type_of(r) else ""
        blocks.append(prefix + event + "data: " + json.dumps(r, ensure_ascii=False) + "\n\n")
    return "sse", blocks


def intended(case, payload, extra_args):
    """The events a WHATWG client must dispatch: dicts {type, data (parsed JSON or text), lastEventId}."""
    records = PAYLOADS[payload]
    args = case.args + extra_args
    out, last_id = [], ""
    opt = lambda name: args[args.index(name) + 1] if name in args else None
    for i, r in enumerate(records):
        if case.source == "data":
            etype = opt("--event") or (event_type_of(r) if opt("--event-from") == "type" else None) or "message"
            if "--ids" in args:
                last_id = str(i + 1)
            elif opt("--id-from") and opt("--id-from") in r:
                last_id = str(r[opt("--id-from")])
        elif case.source == "envelope":
            etype = event_type_of(r) or "message"
            last_id = "e%d" % i
        else:
            etype = event_type_of(r) or "message"
            if case.source == "sse-control" and i == 0:
                last_id = "5"
            if case.source == "sse-control" and i == len(records) - 1:
                last_id = "9"
        out.append({"type": etype, "data": ("json", r), "lastEventId": last_id})
    if "--done" in args:
        out.append({"type": "message", "data": ("text", "[DONE]"), "lastEventId": last_id})
    return out


def parse_data(text):
    try:
        return ("json", json.loads(text))
    except ValueError:
        return ("text", text)


# ------------------------------------------------------------------------------------------------
# Producing the streams with the CLI
# ------------------------------------------------------------------------------------------------


def produce(binary, case, payload, extra_args):
    fmt, chunks = build_input(case, payload)
    argv = [binary, "-f", fmt, "-t", "sse"] + case.args + extra_args
    process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    collected = {}

    def read(name, stream):
        collected[name] = stream.read()

    readers = [threading.Thread(target=read, args=("out", process.stdout)), threading.Thread(target=read, args=("err", process.stderr))]
    for t in readers:
        t.start()
    try:
        for i, chunk in enumerate(chunks):
            process.stdin.write(chunk.encode("utf-8"))
            process.stdin.flush()
            if case.pauses and i < len(chunks) - 1 and i in (0, len(chunks) - 2):
                time.sleep(0.5)  # > 2 heartbeat intervals of silence
        process.stdin.close()
    except BrokenPipeError:
        pass
    status = process.wait(timeout=30)
    for t in readers:
        t.join()
    return argv, status, collected["out"], collected["err"].decode("utf-8", "replace")


# ------------------------------------------------------------------------------------------------
# A loopback server for the HTTP clients
# ------------------------------------------------------------------------------------------------

STREAMS = {}
REPORTS = {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # the body ends when the connection closes, as a stream does

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith("/s/") and path[3:] in STREAMS:
            body = STREAMS[path[3:]]
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            # A few writes, cut at arbitrary places, so clients parse across reads.
            step = max(1, len(body) // 5 + 1)
            for start in range(0, len(body), step):
                self.wfile.write(body[start:start + step])
                self.wfile.flush()
                time.sleep(0.01)
            return
        if path == "/page":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(BROWSER_PAGE.encode("utf-8"))
            return
        self.send_response(404)
        self.end_headers()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        REPORTS[self.path] = json.loads(self.rfile.read(length))
        self.send_response(204)
        self.end_headers()


BROWSER_PAGE = """<!doctype html><meta charset="utf-8"><title>matrix</title><script>
const plan = JSON.parse(decodeURIComponent(location.hash.slice(1)));
const results = {};
function one(key, types) {
  return new Promise((resolve) => {
    const got = [];
    const source = new EventSource('/s/' + key);
    const take = (e) => got.push({type: e.type, data: e.data, lastEventId: e.lastEventId});
    source.onmessage = take;
    for (const t of types) if (t !== 'message') source.addEventListener(t, take);
    source.onerror = () => { source.close(); resolve(got); };
    setTimeout(() => { source.close(); got.push({timeout: true}); resolve(got); }, 15000);
  });
}
(async () => {
  for (const [key, types] of plan) results[key] = await one(key, types);
  await fetch('/report', {method: 'POST', body: JSON.stringify(results)});
})();
</script>"""

# ------------------------------------------------------------------------------------------------
# Comparing what a client reported with the intended events
# ------------------------------------------------------------------------------------------------


def compare(got, want, ids=True):
    """None when equal, else a short description of the first difference."""
    for i, (g, w) in enumerate(zip(got, want)):
        if g["type"] != w["type"]:
            return "event %d: type %r, wanted %r" % (i + 1, g["type"], w["type"])
        if parse_data(g["data"]) != w["data"]:
            return "event %d: data %r" % (i + 1, g["data"][:60])
        if ids and g.get("lastEventId") is not None and g["lastEventId"] != w["lastEventId"]:
            return "event %d: last event id %r, wanted %r" % (i + 1, g["lastEventId"], w["lastEventId"])
    if len(got) > len(want):
        extra = got[len(want)]
        return "%d events, wanted %d: an extra event type %r data %r" % (len(got), len(want), extra["type"], extra["data"][:40])
    if len(got) < len(want):
        return "%d events, wanted %d" % (len(got), len(want))
    return None


# ------------------------------------------------------------------------------------------------
# The clients
# ------------------------------------------------------------------------------------------------


def run_httpx_sse(url, want, case):
    import httpx
    from httpx_sse import connect_sse
    got, retries = [], []
    with httpx.Client(timeout=20, trust_env=False) as client:
        with connect_sse(client, "GET", url) as source:
            for sse in source.iter_sse():
                got.append({"type": sse.event, "data": sse.data, "lastEventId": sse.id})
                if sse.retry is not None:
                    retries.append(sse.retry)
    problem = compare(got, want)
    wanted_retry = case.option("--retry")
    if problem is None and wanted_retry and retries[:1] != [int(wanted_retry)]:
        problem = "retry %r, wanted %s" % (retries[:1], wanted_retry)
    return problem


def run_sseclient(url, want, case):
    import sseclient
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    response = opener.open(url, timeout=20)
    chunks = iter(lambda: response.read1(64), b"")
    got = []
    for event in sseclient.SSEClient(chunks).events():
        got.append({"type": event.event, "data": event.data, "lastEventId": None})
    return compare(got, want, ids=False)


def run_node(url, want, case, work):
    types = sorted({w["type"] for w in want})
    env = dict(os.environ, NODE_PATH="/usr/share/nodejs")
    result = subprocess.run(["node", os.path.join(HERE, "eventsource-client.js"), url, ",".join(types)],
                            capture_output=True, text=True, timeout=40, env=env)
    if result.returncode != 0:
        return "exit %d: %s" % (result.returncode, result.stderr.strip().splitlines()[-1:] or "")
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    got = [l for l in lines if "end" not in l]
    if any(l.get("end") == "timeout" for l in lines):
        return "timed out"
    return compare(got, want)


def run_go(url, want, case, go_client):
    result = subprocess.run([go_client, url], capture_output=True, text=True, timeout=40)
    if result.returncode != 0:
        return "exit %d: %s" % (result.returncode, result.stderr.strip()[-120:])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    got = [{"type": l["type"] or "message", "data": l["data"], "lastEventId": None} for l in lines if "end" not in l]
    if any(l.get("end") == "timeout" for l in lines):
        return "timed out"
    return compare(got, want, ids=False)


def mock_client(body, httpx=None):
    """An httpx client whose every request is answered with `body`, streamed in a few pieces
    (`httpx`: the module the SDK uses; Anthropic's SDK 2.x uses its fork `httpx2`)."""
    if httpx is None:
        import httpx

    def handler(request):
        step = max(1, len(body) // 5 + 1)
        return httpx.Response(200, headers={"content-type": "text/event-stream"},
                              content=iter([body[i:i + step] for i in range(0, len(body), step)]))
    return httpx.Client(transport=httpx.MockTransport(handler))


def run_openai(body, want, case):
    import openai
    client = openai.OpenAI(api_key="test", base_url="http://mock.test/v1", http_client=mock_client(body), max_retries=0)
    try:
        stream = client.chat.completions.create(model="gpt-test", messages=[{"role": "user", "content": "hi"}], stream=True)
        chunks = [chunk.model_dump(exclude_unset=True) for chunk in stream]
    except Exception as error:  # the failure users see
        return "%s: %s" % (type(error).__name__, str(error)[:80])
    records = [w["data"][1] for w in want if w["data"][0] == "json"]
    if len(chunks) != len(records):
        return "%d chunks, wanted %d" % (len(chunks), len(records))
    for i, (c, r) in enumerate(zip(chunks, records)):
        if c.get("id") != r["id"] or c["choices"][0].get("delta", {}).get("content") != r["choices"][0]["delta"].get("content"):
            return "chunk %d differs: %r" % (i + 1, json.dumps(c)[:80])
    return None


def run_anthropic(body, want, case):
    import anthropic
    try:
        import httpx2 as module  # the SDK's own HTTP package from 2.x on
    except ImportError:
        import httpx as module
    client = anthropic.Anthropic(api_key="test", base_url="http://mock.test", http_client=mock_client(body, module), max_retries=0)
    try:
        stream = client.messages.create(model="claude-test", max_tokens=16, messages=[{"role": "user", "content": "hi"}], stream=True)
        events = [event.model_dump(exclude_unset=True) for event in stream]
    except Exception as error:
        return "%s: %s" % (type(error).__name__, str(error)[:80])
    records = [w["data"][1] for w in want if w["data"][0] == "json"]
    got_types = [e["type"] for e in events]
    want_types = [r["type"] for r in records]
    if got_types != want_types:
        return "events %s, wanted %s" % (",".join(got_types) or "none", ",".join(want_types))
    texts = [e["delta"].get("text") for e in events if e["type"] == "content_block_delta"]
    if texts != [r["delta"]["text"] for r in records if r["type"] == "content_block_delta"]:
        return "text deltas %r" % texts
    return None


# ------------------------------------------------------------------------------------------------
# JSON outputs: jq, jq --seq, Python's json, ollama
# ------------------------------------------------------------------------------------------------


def json_checks(binary):
    """Rows (client, check, problem or None) for the JSON outputs read by JSON tools."""
    rows = []
    sse = "".join("data: %s\n\n" % json.dumps(r, ensure_ascii=False) for r in GENERIC) + "data: [DONE]\n\n"

    def convert(to, text=sse, args=()):
        return subprocess.run([binary, "-f", "sse", "-t", to, *args], input=text.encode("utf-8"), capture_output=True, timeout=30)

    ndjson = convert("ndjson").stdout
    # jq -c: compares values; jq 1.6 turns integers beyond 2^53 into doubles, so compare as numbers.
    jq = subprocess.run(["jq", "-c", "."], input=ndjson, capture_output=True, timeout=30)
    values = [json.loads(line) for line in jq.stdout.decode().splitlines()] if jq.returncode == 0 else None
    rows.append(("jq -c", "`-t ndjson`", None if values is not None and [approx(v) for v in values] == [approx(r) for r in GENERIC]
                 else "jq: %s" % jq.stderr.decode()[:80]))
    seq = convert("json-seq").stdout
    jqs = subprocess.run(["jq", "-c", "--seq", "."], input=seq, capture_output=True, timeout=30)
    texts = [l.strip("\x1e") for l in jqs.stdout.decode().split("\x1e")]
    ok = jqs.returncode == 0 and [approx(json.loads(t)) for t in texts if t.strip()] == [approx(r) for r in GENERIC]
    rows.append(("jq --seq", "`-t json-seq`", None if ok else "jq --seq: %s %s" % (jqs.returncode, jqs.stderr.decode()[:80])))
    py = [json.loads(line) for line in ndjson.decode().splitlines()]
    rows.append(("Python json", "`-t ndjson` (exact big integers)", None if py == GENERIC else "values differ"))
    array = convert("json-array").stdout
    rows.append(("Python json", "`-t json-array`", None if json.loads(array) == GENERIC else "values differ"))
    jqa = subprocess.run(["jq", "-c", ".[]"], input=array, capture_output=True, timeout=30)
    ok = jqa.returncode == 0 and [approx(json.loads(l)) for l in jqa.stdout.decode().splitlines()] == [approx(r) for r in GENERIC]
    rows.append(("jq -c '.[]'", "`-t json-array`", None if ok else "jq: %s" % jqa.stderr.decode()[:80]))
    rows.append(("ollama (Python)", "`-t ndjson` of Ollama /api/chat chunks", ollama_check(binary)))
    return rows


def approx(value):
    """Integers beyond 2^53 as jq 1.6 holds them (doubles); other values unchanged."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and abs(value) > 2 ** 53:
        return float(value)
    if isinstance(value, dict):
        return {k: approx(v) for k, v in value.items()}
    if isinstance(value, list):
        return [approx(v) for v in value]
    return value


def ollama_check(binary):
    """Our NDJSON (converted from SSE) is what ollama's client reads from /api/chat."""
    import httpx
    import ollama
    chunks = [{"model": "llama-test", "created_at": "2024-01-01T00:00:00Z", "message": {"role": "assistant", "content": t},
               "done": False} for t in ("Hel", "lo")]
    chunks.append({"model": "llama-test", "created_at": "2024-01-01T00:00:01Z", "message": {"role": "assistant", "content": ""},
                   "done": True, "done_reason": "stop", "total_duration": 12345678901234567890})
    sse = "".join("data: %s\n\n" % json.dumps(c) for c in chunks)
    ndjson = subprocess.run([binary, "-f", "sse", "-t", "ndjson"], input=sse.encode(), capture_output=True, timeout=30).stdout

    def handler(request):
        return httpx.Response(200, headers={"content-type": "application/x-ndjson"}, content=ndjson)
    try:
        client = ollama.Client(host="http://mock.test", transport=httpx.MockTransport(handler))
        parts = [p for p in client.chat(model="llama-test", messages=[{"role": "user", "content": "hi"}], stream=True)]
    except Exception as error:
        return "%s: %s" % (type(error).__name__, str(error)[:80])
    got = [(p["message"]["content"], p["done"]) for p in parts]
    if got != [(c["message"]["content"], c["done"]) for c in chunks]:
        return "chunks %r" % got
    if parts[-1]["total_duration"] != 12345678901234567890:
        return "total_duration %r" % parts[-1]["total_duration"]
    return None


# ------------------------------------------------------------------------------------------------
# The matrix
# ------------------------------------------------------------------------------------------------

CLIENTS = ["openai", "anthropic", "httpx-sse", "sseclient-py", "node eventsource", "go eventsource", "chromium"]
CLIENT_LABELS = {
    "openai": "OpenAI Python SDK", "anthropic": "Anthropic Python SDK", "httpx-sse": "httpx-sse",
    "sseclient-py": "sseclient-py", "node eventsource": "Node `eventsource`", "go eventsource": "Go donovanhide/eventsource",
    "chromium": "Chromium EventSource",
}

# Cells documented not to work, with why. Any other failing cell fails the check.
HANDS_EVERY_EVENT = "hands every event to the caller: the heartbeat comes as an event of type `ping`, for the caller to skip by type (or use comment heartbeats)"
EXPECTED_FAILURES = {
    (client, case): HANDS_EVERY_EVENT
    for client in ("httpx-sse", "sseclient-py", "go eventsource")
    for case in ("heartbeat-event", "combo-named")
}
for _case in ("heartbeat-event", "combo-named"):
    EXPECTED_FAILURES[("openai", _case)] = ("the SDK turns every event into a chunk: each heartbeat comes out as an extra chunk "
                                            "with no choices; use comment heartbeats with the OpenAI SDK")
NOT_APPLICABLE = {
    ("anthropic", "event"): "the SDK dispatches on Anthropic's event names; `--event delta` renames them all",
}


def unproven(case, out):
    """Why the stream would prove nothing for this row (no heartbeat written, no retry), or None."""
    if case.pauses:
        beat = b"event: ping\n" if "--heartbeat-event" in case.args else b":\n"
        if beat not in out:
            return "streamconv wrote no heartbeat: the row proves nothing"
    retry = case.option("--retry")
    if retry and ("retry: %s\n" % retry).encode() not in out:
        return "streamconv wrote no `retry: %s`" % retry
    return None


def payload_for(client):
    return {"openai": "openai", "anthropic": "anthropic"}.get(client, "generic")


def extra_args_for(client, case):
    """Anthropic's wire format names each event by its type: add --event-from type in data mode."""
    if client == "anthropic" and case.source == "data" and "--event-from" not in case.args and "--event" not in case.args:
        return ["--event-from", "type"]
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--go-client", required=True)
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--doc", help="write the matrix here (Docs/Clients.md)")
    parser.add_argument("--only", help="client names, comma-separated")
    args = parser.parse_args()
    started = time.monotonic()
    clients = args.only.split(",") if args.only else CLIENTS

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]

    # Produce every stream once per (case, payload, extra args).
    produced, results, samples = {}, {}, {}
    for case in CASES:
        for client in clients:
            if (client, case.name) in NOT_APPLICABLE:
                continue
            payload, extra = payload_for(client), extra_args_for(client, case)
            key = "%s.%s%s" % (case.name, payload, "".join(extra).replace("-", ""))
            if key not in produced:
                argv, status, out, err = produce(args.bin, case, payload, extra)
                produced[key] = (argv, status, out, err)
                STREAMS[key] = out
                if payload == "generic":
                    samples[case.name] = (argv, out)
            results[(client, case.name)] = key

    def cell(client, case):
        key = results[(client, case.name)]
        argv, status, out, err = produced[key]
        if status != 0:
            return "streamconv exit %d: %s" % (status, err.strip().splitlines()[-1] if err.strip() else "")
        sanity = unproven(case, out)
        if sanity:
            return sanity
        want = intended(case, payload_for(client), extra_args_for(client, case))
        url = "%s/s/%s" % (base, key)
        try:
            if client == "openai":
                return run_openai(out, want, case)
            if client == "anthropic":
                return run_anthropic(out, want, case)
            if client == "httpx-sse":
                return run_httpx_sse(url, want, case)
            if client == "sseclient-py":
                return run_sseclient(url, want, case)
            if client == "node eventsource":
                return run_node(url, want, case, None)
            if client == "go eventsource":
                return run_go(url, want, case, args.go_client)
        except Exception as error:
            return "%s: %s" % (type(error).__name__, str(error)[:100])
        return "not run"

    outcome = {}
    for case in CASES:
        for client in clients:
            if client == "chromium" or (client, case.name) in NOT_APPLICABLE:
                continue
            outcome[(client, case.name)] = cell(client, case)

    if "chromium" in clients:
        plan = []
        for case in CASES:
            key = results[("chromium", case.name)]
            if produced[key][1] != 0:
                outcome[("chromium", case.name)] = "streamconv exit %d" % produced[key][1]
                continue
            if unproven(case, produced[key][2]):
                outcome[("chromium", case.name)] = unproven(case, produced[key][2])
                continue
            want = intended(case, "generic", [])
            plan.append([key, sorted({w["type"] for w in want})])
        report = browser(args.chromium, base, plan)
        for case in CASES:
            if ("chromium", case.name) in outcome:
                continue
            key = results[("chromium", case.name)]
            if report is None:
                outcome[("chromium", case.name)] = "no report from Chromium"
                continue
            got = report.get(key, [])
            if any("timeout" in g for g in got):
                outcome[("chromium", case.name)] = "timed out"
                continue
            outcome[("chromium", case.name)] = compare(got, intended(case, "generic", []))

    try:
        json_rows = json_checks(args.bin)
    except Exception as error:
        json_rows = [("JSON outputs", "all", "%s: %s" % (type(error).__name__, str(error)[:100]))]
    server.shutdown()

    # Verdict
    failures, surprises = [], []
    for (client, name), problem in sorted(outcome.items()):
        expected_bad = (client, name) in EXPECTED_FAILURES
        if problem is not None and not expected_bad:
            failures.append("%s / %s: %s" % (client, name, problem))
        if problem is None and expected_bad:
            surprises.append("%s / %s" % (client, name))
    for client, check, problem in json_rows:
        if problem is not None:
            failures.append("%s / %s: %s" % (client, check, problem))

    width = max(len(c.name) for c in CASES)
    print("%-*s  %s" % (width, "", "  ".join("%-12s" % c[:12] for c in clients)))
    for case in CASES:
        row = []
        for client in clients:
            problem = outcome.get((client, case.name), "n/a")
            row.append("%-12s" % ("ok" if problem is None else ("n/a" if problem == "n/a" else "FAIL")))
        print("%-*s  %s" % (width, case.name, "  ".join(row)))
    for client, check, problem in json_rows:
        print("%s %s: %s" % (client, check, "ok" if problem is None else problem))
    for line in failures:
        print("FAIL " + line)
    for line in surprises:
        print("note: works now, documented as failing: " + line)
    elapsed = time.monotonic() - started
    documented = sum(1 for k, p in outcome.items() if p is not None and k in EXPECTED_FAILURES)
    print("client matrix: %d cells ok, %d documented not to work, %d unexpected failures"
          % (sum(1 for p in outcome.values() if p is None) + sum(1 for r in json_rows if r[2] is None), documented, len(failures)))
    print("(matrix: %.0f s)" % elapsed)

    if args.doc:
        write_doc(args.doc, clients, outcome, json_rows, samples)
    return 1 if failures else 0


def browser(chromium, base, plan, limit=120):
    profile = tempfile.mkdtemp(prefix="clients-chromium-")
    url = "%s/page#%s" % (base, urllib.request.quote(json.dumps(plan)))
    log = open(os.path.join(profile, "..", os.path.basename(profile) + ".log"), "wb")
    process = subprocess.Popen(
        [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--no-default-browser-check", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--no-proxy-server", "--user-data-dir=" + profile, url],
        stdout=log, stderr=log, start_new_session=True)
    try:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if "/report" in REPORTS:
                return REPORTS.pop("/report")
            if process.poll() is not None:
                print("chromium exited with %s; log %s" % (process.returncode, log.name))
                return None
            time.sleep(0.2)
        print("no report from Chromium within %d s; log %s" % (limit, log.name))
        return None
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        shutil.rmtree(profile, ignore_errors=True)


def versions():
    found = []
    for module, label in (("openai", "openai"), ("anthropic", "anthropic"), ("httpx_sse", "httpx-sse"), ("ollama", "ollama")):
        try:
            from importlib.metadata import version
            found.append("%s %s" % (label, version(label)))
        except Exception:
            pass
    try:
        from importlib.metadata import version
        found.append("sseclient-py %s" % version("sseclient-py"))
    except Exception:
        pass
    for argv, label in ((["dpkg-query", "-W", "-f", "${Version}", "node-eventsource"], "node-eventsource"),
                        (["dpkg-query", "-W", "-f", "${Version}", "golang-github-donovanhide-eventsource-dev"], "donovanhide/eventsource"),
                        (["dpkg-query", "-W", "-f", "${Version}", "chromium"], "chromium"),
                        (["jq", "--version"], "")):
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=10).stdout.strip()
            if out:
                found.append(("%s %s" % (label, out)).strip())
        except OSError:
            pass
    return found


def write_doc(path, clients, outcome, json_rows, samples):
    lines = [
        "# Clients: what real SSE and JSON clients make of our output",
        "",
        "<!-- Written by Clients/run.sh (Clients/matrix.py); do not edit by hand. -->",
        "",
        "Every cell: streamconv converted a payload with the row's options (input fed with pauses for the",
        "heartbeat rows, so the CLI wrote heartbeats between records), then the client read those bytes and",
        "had to report exactly the intended events (type, data, and the last event id where the client",
        "exposes it WHATWG-style), with no exception. Heartbeats, `retry` and comments must not show as",
        "events. `ok`: it did; otherwise how it failed. CI (`.ci/run`) fails when a cell not documented as",
        "failing fails. Payloads: OpenAI chat-completion chunks for the OpenAI SDK, Anthropic message events",
        "(named with `--event-from type`) for the Anthropic SDK, records `{id, type, text}` for the others.",
        "Run it with `Clients/run.sh` (`STREAMCONV_BIN=path` for another binary); the SSE output rules it",
        "checks are in [Formats.md](Formats.md#sse-output-rules-what-real-clients-accept).",
        "",
        "In short: comment heartbeats (`--heartbeat`, a lone `:` line) work with every client; the named",
        "style (`--heartbeat-event ping`) is invisible to browsers, Node's `eventsource` and Anthropic's SDK,",
        "while clients that hand every event to the caller report it, and the OpenAI SDK yields it as an",
        "extra chunk.",
        "",
        "Client versions: " + ", ".join(versions()) + ".",
        "",
        "| options | " + " | ".join(CLIENT_LABELS[c] for c in clients) + " |",
        "| --- | " + " | ".join("---" for _ in clients) + " |",
    ]
    for case in CASES:
        cells = []
        for client in clients:
            if (client, case.name) in NOT_APPLICABLE:
                cells.append("n/a: " + NOT_APPLICABLE[(client, case.name)])
                continue
            problem = outcome.get((client, case.name))
            if problem is None:
                cells.append("ok")
            else:
                why = EXPECTED_FAILURES.get((client, case.name))
                cells.append("fails as documented: " + why if why else "FAILS: " + problem.replace("|", "\\|"))
        lines.append("| %s | %s |" % (case.label, " | ".join(cells)))
    lines += ["", "JSON outputs:", "", "| client | output | result |", "| --- | --- | --- |"]
    for client, check, problem in json_rows:
        lines.append("| %s | %s | %s |" % (client, check, "ok" if problem is None else "fails: " + problem))
    lines += ["", "## What the SSE rows write", "",
              "The bytes streamconv wrote for the generic payload (heartbeat counts depend on timing):", ""]
    for case in CASES:
        if case.name not in samples:
            continue
        argv, out = samples[case.name]
        shown = out.decode("utf-8", "replace")
        if len(shown) > 700:
            shown = shown[:700] + "..."
        lines += ["%s: `%s`" % (case.label, " ".join(["streamconv"] + argv[1:])), "", "```", shown.rstrip("\n"), "```", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines).rstrip("\n") + "\n")


if __name__ == "__main__":
    sys.exit(main())
