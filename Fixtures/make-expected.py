#!/usr/bin/env python3
"""Independent reference oracle for the streamconv fixtures (Python 3 standard library only).

For every case directory Fixtures/<case>/ holding one `input.<from>` file (<from> one of sse,
ndjson, stream-json, json-seq, json-array), this script computes what
`streamconv -f <from> -t <to> Fixtures/<case>/input.<from>` must print (exit status 0) for every
<to> in sse, ndjson, stream-json, json-seq, json-array, and writes it to
Fixtures/<case>/expected.<to>.

    python3 Fixtures/make-expected.py            rewrite every expected.* file
    python3 Fixtures/make-expected.py --check    exit 1 (listing them) if any is missing, stale
                                                 or not one of the five expected.<to> files

It shares no code with streamconv. It is a direct transcription of the rules the fixtures test:
  (a) WHATWG HTML "Server-sent events" 9.2.5 (grammar) / 9.2.6 (interpreting an event stream),
      plus the project's SSE encoding rules;
  (b) an RFC 8259 validator / minifier that removes only insignificant whitespace and copies
      strings and numbers byte for byte (cross-checked with json.loads);
  (c) the data-mode conversion rules (SSE -> JSON, JSON -> SSE, JSON -> JSON, SSE -> SSE);
  (d) RFC 7464 JSON text sequences (json-seq) and a top-level JSON array streamed element by
      element (json-array, RFC 8259 section 5), with the project's encoders for both;
  (e) auto-detection (`-f auto`): the first significant byte after an optional BOM and JSON
      whitespace decides (RS: json-seq, '[': json-array, another JSON value start: stream-json,
      anything else: sse). For every input, the detected decoder must give the same records.
It also checks the conversion matrix: converting any expected.<f> back to a JSON format <g>
gives expected.<g>, and converting expected.sse to sse gives expected.sse (a fixed point).
A fixture must convert cleanly: anything that would make streamconv fail, warn or exit non-zero
(invalid JSON, an unterminated last SSE block, an unencodable field...) is an error here.
"""

import json
import os
import re
import sys

FORMATS = ("sse", "ndjson", "stream-json", "json-seq", "json-array")
JSON_FORMATS = tuple(f for f in FORMATS if f != "sse")
FAMILY = {f: "json" for f in JSON_FORMATS}
FAMILY["sse"] = "event-stream"
UINT64_MAX = 2**64 - 1
DEFAULT_MAX_DEPTH = 1000
BOM = b"\xef\xbb\xbf"
RS = 0x1E  # RFC 7464 record separator
DONE = "[DONE]"


class FixtureError(Exception):
    """The input would not convert cleanly (streamconv would fail or warn)."""


# ---------------------------------------------------------------------------------------------
# (b) RFC 8259 JSON: validate and minify, byte for byte
# ---------------------------------------------------------------------------------------------

JSON_WS = b" \t\n\r"
NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
SIMPLE_ESCAPES = b'"\\/bfnrt'
HEX = b"0123456789abcdefABCDEF"


def skip_ws(buf, pos):
    while pos < len(buf) and buf[pos] in JSON_WS:
        pos += 1
    return pos


def scan_string(buf, pos, out):
    """buf[pos] is '"'. Copy the whole string token to out unchanged; return the end position."""
    start = pos
    pos += 1
    while True:
        if pos >= len(buf):
            raise FixtureError(f"unterminated string at byte {start}")
        b = buf[pos]
        if b == 0x22:  # closing quote
            pos += 1
            break
        if b < 0x20:
            raise FixtureError(f"raw control character 0x{b:02x} in a string at byte {pos}")
        if b == 0x5C:  # backslash
            esc = buf[pos + 1:pos + 2]
            if esc == b"u":
                digits = buf[pos + 2:pos + 6]
                if len(digits) != 4 or any(d not in HEX for d in digits):
                    raise FixtureError(f"bad \\u escape at byte {pos}")
                pos += 6  # any \uXXXX is accepted, lone surrogate escapes included
            elif len(esc) == 1 and esc[0] in SIMPLE_ESCAPES:
                pos += 2
            else:
                raise FixtureError(f"bad escape at byte {pos}")
            continue
        pos += 1
    token = buf[start:pos]
    try:
        token.decode("utf-8", "strict")  # rejects overlongs, UTF-8-encoded surrogates, > U+10FFFF
    except UnicodeDecodeError as error:
        raise FixtureError(f"invalid UTF-8 in a string at byte {start + error.start}") from None
    out += token
    return pos


def scan_key(buf, pos, out):
    """After '{' or ',' in an object: whitespace, a string, whitespace, ':'."""
    pos = skip_ws(buf, pos)
    if buf[pos:pos + 1] != b'"':
        raise FixtureError(f"expected an object key at byte {pos}")
    pos = scan_string(buf, pos, out)
    pos = skip_ws(buf, pos)
    if buf[pos:pos + 1] != b":":
        raise FixtureError(f"expected ':' at byte {pos}")
    out += b":"
    return pos + 1


def scan_value(buf, pos, out, max_depth=DEFAULT_MAX_DEPTH):
    """Scan one JSON value starting at pos (leading whitespace allowed), appending its minified
    form to out. Iterative (an explicit stack), so depth is limited only by max_depth.
    Returns the position just after the value's last byte."""
    stack = []  # open containers: b"{" or b"["
    while True:
        # A value is expected here.
        pos = skip_ws(buf, pos)
        c = buf[pos:pos + 1]
        if c in (b"{", b"["):
            if len(stack) >= max_depth:
                raise FixtureError(f"nesting deeper than {max_depth} at byte {pos}")
            close = b"}" if c == b"{" else b"]"
            out += c
            pos = skip_ws(buf, pos + 1)
            if buf[pos:pos + 1] == close:  # empty container: a complete value
                out += close
                pos += 1
            else:
                stack.append(c)
                if c == b"{":
                    pos = scan_key(buf, pos, out)
                continue
        elif c == b'"':
            pos = scan_string(buf, pos, out)
        elif c in (b"t", b"f", b"n"):
            for literal in (b"true", b"false", b"null"):
                if buf.startswith(literal, pos):
                    out += literal
                    pos += len(literal)
                    break
            else:
                raise FixtureError(f"bad literal at byte {pos}")
        else:
            match = NUMBER.match(buf, pos)
            if not match:
                raise FixtureError(f"expected a value at byte {pos}")
            out += match.group()  # copied as written: 1.0e+2, 1E400, 12345678901234567890123
            pos = match.end()
        # A value ended: close containers, or find the comma before the next member.
        while True:
            if not stack:
                return pos
            pos = skip_ws(buf, pos)
            c = buf[pos:pos + 1]
            if c == b",":
                out += c
                pos += 1
                if stack[-1] == b"{":
                    pos = scan_key(buf, pos, out)
                break
            if c == (b"}" if stack[-1] == b"{" else b"]"):
                out += c
                pos += 1
                stack.pop()
                continue
            raise FixtureError(f"expected ',' or a closing bracket at byte {pos}")


def reject_constant(name):
    raise FixtureError(f"{name} is not JSON")


def cross_check(original, minified):
    """json.loads must accept both texts and see the same value."""
    try:
        a = json.loads(original.decode("utf-8"), parse_constant=reject_constant)
        b = json.loads(minified.decode("utf-8"), parse_constant=reject_constant)
    except (ValueError, UnicodeDecodeError) as error:
        raise FixtureError(f"json.loads disagrees with the scanner: {error}") from None
    if a != b:
        raise FixtureError("minifying changed the value")
    if any(ch in minified for ch in b"\n\r"):
        raise FixtureError("minified text contains a line break")  # impossible in valid JSON


def minify_text(buf, max_depth=DEFAULT_MAX_DEPTH):
    """buf must be exactly one JSON text, optionally surrounded by whitespace."""
    out = bytearray()
    pos = scan_value(buf, 0, out, max_depth)
    if skip_ws(buf, pos) != len(buf):
        raise FixtureError(f"more than one JSON text (extra data at byte {skip_ws(buf, pos)})")
    out = bytes(out)
    cross_check(buf, out)
    return out


# ---------------------------------------------------------------------------------------------
# (a) Server-sent events: WHATWG parsing, and the project's encoding rules
# ---------------------------------------------------------------------------------------------
# A record is a dict: {"kind": "event", "data": str, "event": str|None, "id": str|None,
# "retry": int|None} or {"kind": "control", "id": ..., "retry": ...}, or {"kind": "json",
# "text": bytes}.

LINE_END = re.compile(r"\r\n|\r|\n")


def sse_decode(raw):
    """WHATWG 9.2.6. Returns the list of records; raises if the input ends inside a block
    (streamconv would discard it with a warning, and fixtures must not warn)."""
    if raw.startswith(BOM):  # one leading BOM, at the start of the stream only
        raw = raw[len(BOM):]
    text = raw.decode("utf-8", "replace")  # U+FFFD per maximal subpart, as WHATWG decodes

    records = []
    data, event_type = "", None  # buffers, reset per block
    block_id, block_retry = None, None  # what this block set
    last_event_id = ""  # persists across blocks (not part of a record)
    block_has_lines = False

    pieces = LINE_END.split(text)
    complete_lines, tail = pieces[:-1], pieces[-1]
    for line in complete_lines:
        if line == "":  # blank line: dispatch
            if data == "":
                if block_id is not None or block_retry is not None:
                    records.append({"kind": "control", "id": block_id, "retry": block_retry})
            else:
                if data.endswith("\n"):
                    data = data[:-1]
                records.append({"kind": "event", "data": data, "event": event_type,
                                "id": block_id, "retry": block_retry})
            data, event_type, block_id, block_retry = "", None, None, None
            block_has_lines = False
            continue
        block_has_lines = True
        if line.startswith(":"):  # comment
            continue
        if ":" in line:
            name, value = line.split(":", 1)
            if value.startswith(" "):
                value = value[1:]
        else:
            name, value = line, ""
        if name == "event":
            event_type = value
        elif name == "data":
            data += value + "\n"
        elif name == "id":
            if "\0" not in value:
                last_event_id = value
                block_id = value
        elif name == "retry":
            if value != "" and all("0" <= ch <= "9" for ch in value):
                block_retry = int(value)  # any run of digits, exactly (no 64-bit clamp)
        # any other field is ignored
    if tail != "" or block_has_lines:
        raise FixtureError("the input ends inside an SSE block (it would be discarded with a warning)")
    return records


def sse_encode(record):
    """The project's SSE encoder for one record."""
    kind = record["kind"]
    if kind == "json":
        return b"data: " + record["text"] + b"\n\n"
    lines = []
    if kind == "event" and record["event"] is not None:
        if "\r" in record["event"] or "\n" in record["event"]:
            raise FixtureError("event type with a line break is unencodable")
        if record["event"] == "":
            raise FixtureError("an empty event type is not covered by the contract; avoid it")
        lines.append("event: " + record["event"])
    if record["id"] is not None:
        if any(ch in record["id"] for ch in "\r\n\0"):
            raise FixtureError("id with CR, LF or NUL is unencodable")
        lines.append("id" if record["id"] == "" else "id: " + record["id"])
    if record["retry"] is not None:
        lines.append("retry: %d" % record["retry"])
    if kind == "event":
        for line in LINE_END.split(record["data"]):
            lines.append("data" if line == "" else "data: " + line)
    return "".join(line + "\n" for line in lines).encode("utf-8") + b"\n"


# ---------------------------------------------------------------------------------------------
# JSON stream formats: decoders and encoder
# ---------------------------------------------------------------------------------------------

def ndjson_decode(raw):
    """One JSON text per line (LF or CRLF; a CR is JSON whitespace); blank lines skipped."""
    if raw.startswith(BOM):
        first_line = raw[len(BOM):].split(b"\n", 1)[0]
        if skip_ws(first_line, 0) == len(first_line):
            raise FixtureError("a BOM is ignored only when a JSON text follows on line 1")
        raw = raw[len(BOM):]
    lines = raw.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # the input ended with a line end
    records = []
    for line in lines:
        if skip_ws(line, 0) == len(line):
            continue
        records.append({"kind": "json", "text": minify_text(line)})
    return records


def stream_json_decode(raw):
    """JSON texts separated by optional whitespace, possibly spanning lines. A BOM at the very
    start is ignored when a JSON text follows it (RFC 8259 section 8.1 allows ignoring it)."""
    if raw.startswith(BOM):
        if skip_ws(raw, len(BOM)) == len(raw):
            raise FixtureError("a BOM with no JSON text after it")
        raw = raw[len(BOM):]
    records, pos = [], 0
    while True:
        pos = skip_ws(raw, pos)
        if pos == len(raw):
            return records
        start, out = pos, bytearray()
        pos = scan_value(raw, pos, out)
        if raw[start] not in b'{["' and pos < len(raw) and raw[pos] not in JSON_WS:
            raise FixtureError(f"a top-level number or literal must be followed by whitespace (byte {pos})")
        out = bytes(out)
        cross_check(raw[start:pos], out)
        records.append({"kind": "json", "text": out})


# ---------------------------------------------------------------------------------------------
# (d) json-seq (RFC 7464) and json-array (a top-level array streamed element by element)
# ---------------------------------------------------------------------------------------------

def json_seq_decode(raw):
    """RFC 7464 section 2.1: JSON-sequence = *(1*RS possible-JSON). A text cannot contain RS
    (a raw control character is invalid inside a JSON string, RFC 8259 section 7), so the
    sequence is split at every RS and each element is read on its own:
      - before the first RS only whitespace may come (the project skips it);
      - consecutive RS bytes do not make empty elements (RFC 7464 section 2.1), and an element
        holding only whitespace is skipped (the project's choice);
      - any other element must be exactly one JSON text with optional whitespace around it;
      - a top-level number, true, false or null must be followed by whitespace inside its
        element (RFC 7464 section 2.4: otherwise it may be truncated);
      - the last element must end with whitespace after its text (its LF): at end of input a
        text without it may be truncated, which streamconv reports with exit status 3.
    A UTF-8 BOM at the very start is ignored (RFC 8259 section 8.1 allows it)."""
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    elements = raw.split(bytes([RS]))
    head, elements = elements[0], elements[1:]
    if skip_ws(head, 0) != len(head):
        raise FixtureError("a JSON text sequence must start with RS (0x1E)")
    records = []
    for index, element in enumerate(elements):
        start = skip_ws(element, 0)
        if start == len(element):
            continue  # RS RS, or RS followed by whitespace only
        out = bytearray()
        end = scan_value(element, start, out)
        if skip_ws(element, end) != len(element):
            raise FixtureError(f"json-seq element {index + 1}: more than one JSON text before the next RS")
        is_scalar = element[start] not in b'{["'
        followed_by_ws = end < len(element)  # whitespace (checked above) before RS / the end
        if is_scalar and not followed_by_ws:
            raise FixtureError(f"json-seq element {index + 1}: a top-level number or literal must be followed by whitespace")
        if index == len(elements) - 1 and not followed_by_ws:
            raise FixtureError("the last json-seq text has no line end after it (truncated, exit status 3)")
        out = bytes(out)
        cross_check(element[start:end], out)
        records.append({"kind": "json", "text": out})
    return records


def json_array_decode(raw):
    """One JSON text (RFC 8259) whose top-level value is an array; each element is a record.
    Whitespace (CRLF included) may surround every token; after the closing ']' only whitespace.
    Input that ends before ']' is truncated (exit status 3). A BOM at the very start is ignored."""
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    pos = skip_ws(raw, 0)
    if raw[pos:pos + 1] != b"[":
        raise FixtureError(f"json-array input must start with '[' (byte {pos})")
    pos = skip_ws(raw, pos + 1)
    records = []
    if raw[pos:pos + 1] == b"]":
        pos += 1
    else:
        while True:
            start, out = pos, bytearray()
            pos = scan_value(raw, pos, out)
            out = bytes(out)
            cross_check(raw[start:pos], out)
            records.append({"kind": "json", "text": out})
            pos = skip_ws(raw, pos)
            c = raw[pos:pos + 1]
            if c == b"]":
                pos += 1
                break
            if c != b",":
                raise FixtureError(f"expected ',' or ']' after array element {len(records)} (byte {pos})")
            pos = skip_ws(raw, pos + 1)
    if skip_ws(raw, pos) != len(raw):
        raise FixtureError(f"data after the end of the JSON array (byte {skip_ws(raw, pos)})")
    # The whole document, read by json.loads, is the list of the elements.
    document = json.loads(raw.decode("utf-8"), parse_constant=reject_constant)
    if document != [json.loads(r["text"].decode("utf-8")) for r in records]:
        raise FixtureError("json.loads sees a different array")
    return records


DECODERS = {"sse": sse_decode, "ndjson": ndjson_decode, "stream-json": stream_json_decode,
            "json-seq": json_seq_decode, "json-array": json_array_decode}


def encode_stream(records, target):
    """The whole output of the target's encoder for these records."""
    if target == "sse":
        return b"".join(sse_encode(r) for r in records)
    for r in records:
        if r["kind"] != "json":
            raise FixtureError(f"a {r['kind']} record cannot be written as {target}")
    if target in ("ndjson", "stream-json"):
        return b"".join(r["text"] + b"\n" for r in records)  # minified text + LF
    if target == "json-seq":
        return b"".join(bytes([RS]) + r["text"] + b"\n" for r in records)  # RS text LF
    if target == "json-array":
        # '[', then per element (',' if not first) LF element, then LF ']' LF; empty: '[]' LF.
        body = b"".join((b"," if i else b"") + b"\n" + r["text"] for i, r in enumerate(records))
        return b"[" + body + (b"\n" if records else b"") + b"]\n"
    raise FixtureError(f"unknown output format {target}")


# ---------------------------------------------------------------------------------------------
# (c) Data mode
# ---------------------------------------------------------------------------------------------

def data_mode(records, target_family):
    """Yields the records to encode, following the data-mode rules."""
    for record in records:
        kind = record["kind"]
        if kind == "json":
            yield record  # already validated and minified
        elif target_family == "event-stream":
            yield record  # SSE -> SSE: events and control blocks keep their fields
        elif kind == "control":
            continue  # SSE -> JSON: dropped
        elif record["data"] == "":
            continue  # empty data: skipped
        elif record["data"] == DONE:
            return  # the end of the output (a json-array output is still closed with ']')
        else:
            yield {"kind": "json", "text": minify_text(record["data"].encode("utf-8"))}


def merge_controls(records):
    """SSE output rule: no block without `data:`. A control record's id/retry go into the next
    event's block (a field the event sets itself wins); fields no event follows are dropped."""
    held_id, held_retry = None, None
    for record in records:
        kind = record["kind"]
        if kind == "control":
            if record["id"] is not None:
                held_id = record["id"]
            if record["retry"] is not None:
                held_retry = record["retry"]
            continue
        if kind in ("event", "json") and (held_id is not None or held_retry is not None):
            if kind == "json":
                record = {"kind": "event", "data": record["text"].decode("utf-8"), "event": None,
                          "id": None, "retry": None}
            record = dict(record)
            if record["id"] is None:
                record["id"] = held_id
            if record["retry"] is None:
                record["retry"] = held_retry
            held_id, held_retry = None, None
        yield record


def convert(raw, source, target):
    records = DECODERS[source](raw)
    output = [r for r in data_mode(records, FAMILY[target])]
    if target == "sse":
        output = list(merge_controls(output))
    encoded = encode_stream(output, target)
    self_check(encoded, output, target)
    return encoded


def self_check(encoded, records, target):
    """Decoding our own output must give back exactly the records we encoded."""
    again = DECODERS[target](encoded)
    if target == "sse":
        expected = [{"kind": "event", "data": r["text"].decode("utf-8"), "event": None, "id": None,
                     "retry": None} if r["kind"] == "json" else r for r in records]
    else:
        expected = records
    if again != expected:
        raise FixtureError(f"oracle self-check failed: the {target} output does not decode back")


# ---------------------------------------------------------------------------------------------
# (e) Auto-detection, and the conversion matrix
# ---------------------------------------------------------------------------------------------

JSON_VALUE_START = b'{"-0123456789tfn'


def detect(raw):
    """`-f auto`: the format chosen from the first byte after one leading BOM and any JSON
    whitespace."""
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    pos = skip_ws(raw, 0)
    if pos == len(raw):
        raise FixtureError("an empty input: nothing to detect")
    byte = raw[pos]
    if byte == RS:
        return "json-seq"
    if byte == ord("["):
        return "json-array"
    if byte in JSON_VALUE_START:
        return "stream-json"  # which also reads NDJSON
    return "sse"


def check_detection(raw, source):
    """The detected format must be the input's own, or stream-json for NDJSON, and decode the
    input into the same records."""
    detected = detect(raw)
    if detected != source and not (source == "ndjson" and detected == "stream-json"):
        raise FixtureError(f"auto-detection picks {detected} for an input.{source}")
    if DECODERS[detected](raw) != DECODERS[source](raw):
        raise FixtureError(f"auto-detection picks {detected}, which reads the input differently")
    return detected


def check_matrix(expected):
    """Converting expected.<f> to a JSON format <g> gives expected.<g> (every record goes
    through the JSON formats unchanged, and SSE -> JSON applies the same data-mode rules
    again); expected.sse is a fixed point of SSE -> SSE."""
    for f in FORMATS:
        for g in JSON_FORMATS:
            if convert(expected[f], f, g) != expected[g]:
                raise FixtureError(f"expected.{f} converted to {g} is not expected.{g}")
    if convert(expected["sse"], "sse", "sse") != expected["sse"]:
        raise FixtureError("expected.sse converted to sse is not expected.sse")


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------

def cases(root):
    for name in sorted(os.listdir(root)):
        directory = os.path.join(root, name)
        if not os.path.isdir(directory):
            continue
        inputs = [f for f in os.listdir(directory) if f.startswith("input.")]
        if len(inputs) != 1 or inputs[0][len("input."):] not in FORMATS:
            raise SystemExit(f"{directory}: expected exactly one input.<{'|'.join(FORMATS)}>")
        yield name, directory, inputs[0][len("input."):]


def main(argv):
    check = "--check" in argv[1:]
    unknown = [a for a in argv[1:] if a != "--check"]
    if unknown:
        raise SystemExit("usage: make-expected.py [--check]")
    root = os.path.dirname(os.path.abspath(__file__))
    stale = []
    for name, directory, source in cases(root):
        with open(os.path.join(directory, "input." + source), "rb") as f:
            raw = f.read()
        expected = {}
        for target in FORMATS:
            try:
                expected[target] = convert(raw, source, target)
            except FixtureError as error:
                raise SystemExit(f"{name}: -f {source} -t {target}: {error}")
        try:
            check_detection(raw, source)
            check_matrix(expected)
        except FixtureError as error:
            raise SystemExit(f"{name}: {error}")
        extra = [f for f in os.listdir(directory)
                 if f.startswith("expected.") and f[len("expected."):] not in FORMATS]
        for f in sorted(extra):
            stale.append(os.path.relpath(os.path.join(directory, f), root) + " (not an output format: remove it)")
        for target in FORMATS:
            path = os.path.join(directory, "expected." + target)
            current = open(path, "rb").read() if os.path.exists(path) else None
            if current == expected[target]:
                continue
            if check:
                stale.append(os.path.relpath(path, root) + (" (missing)" if current is None else ""))
            else:
                with open(path, "wb") as f:
                    f.write(expected[target])
                print(f"wrote {os.path.relpath(path, root)}")
    if stale:
        print("out of date (run python3 Fixtures/make-expected.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
