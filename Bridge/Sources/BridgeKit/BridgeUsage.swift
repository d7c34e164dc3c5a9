// streamconv-bridge --help: OVERVIEW, USAGE, OPTIONS, as the main CLI's help.

public enum BridgeUsage {
    public static let synopsis = "streamconv-bridge --upstream URL [--listen HOST:PORT] [--from FORMAT] [--to FORMAT|negotiate] [OPTIONS]"

    public static let help = """
        OVERVIEW: a streaming reverse proxy that converts between streaming encodings.

        Every request (method, path, query, headers, body) is forwarded to the one upstream. A
        streaming response (text/event-stream, NDJSON/JSON Lines, json-seq, stream+json) is read
        once, record by record, kept in a bounded replay store and served in the encoding the
        client's Accept asks for; anything else passes through untouched. SSE events carry the id
        STREAMID-POSITION: a client that reconnects with Last-Event-ID gets the rest from the
        store, and GET /streams/STREAMID joins a running stream (the X-Stream-ID header names it).

        USAGE: \(synopsis)

        OPTIONS:
          --upstream URL          http(s)://host[:port][/base/path]: where every request goes (required)
          --listen HOST:PORT      where to listen (default 127.0.0.1:8080; port 0: any free port)
          -f, --from FORMAT       the upstream's format (default: its Content-Type; untyped: detected)
          -t, --to FORMAT         serve this format whatever the client accepts
                                  (default: negotiate: text/event-stream, application/x-ndjson,
                                  application/jsonl, application/json-seq, application/json (an array),
                                  application/stream+json; */* or no Accept: the upstream's format)
          --heartbeat SECONDS     SSE output: a comment line after this much silence (default 15; 0: none)
          --heartbeat-event NAME  SSE output: heartbeats as `event: NAME` + `data: {"type":"NAME"}` instead
                                  (for proxies that strip comments; see Docs/Clients.md)

        MAPPING (as streamconv's options of the same names):
          --retry MS              SSE output: the reconnection time, in the first event
          --done                  SSE output: a final event whose data is the done marker
          --no-done, --done-marker TEXT, --require-done
                                  the done marker ([DONE]); --require-done: an SSE upstream that ends
                                  without it ends the stream with an error record
          --event NAME, --event-from KEY
                                  JSON to SSE: the event type
          --envelope, --envelope-data string|json
                                  lossless SSE <-> JSON: each event is one {"event","id","data"} object
          --comments              SSE input: keep comment lines
          --only-event TYPES      SSE input: only events of these types (comma-separated)
          --non-json fail|skip|string
                                  SSE to JSON: event data that is not JSON
          --max-record-bytes N    the largest record (default 16M)
          (--ids and --id-from are not bridge options: the bridge's ids name stream and position)

        REPLAY STORE:
          --replay-store memory|postgres://USER@HOST[:PORT]/DB[?schema=NAME&sslmode=disable|prefer|require]
                                  where streams are kept (default memory: this process only); PostgreSQL
                                  is shared by replicas: resume or join on any of them (needs
                                  --binding-key-file; the password never in the URL)
          --replay-store-password-file FILE
                                  the PostgreSQL password (its first line; default: PGPASSWORD)
          --replay-records N      records kept per stream (default 10000)
          --replay-bytes N        bytes kept per stream (default 16M)
          --replay-streams N      streams kept (default 1024)
          --replay-keep SECONDS   how long an ended stream stays resumable (default 300)
          --replay-lease SECONDS  PostgreSQL: the writer lease; a replica that stops renewing it for this
                                  long has its running streams ended with an error record (default 10)

        SAFETY AND LIMITS:
          --forward-headers all|NAME,...
                                  request headers forwarded upstream (default all end-to-end headers;
                                  hop-by-hop ones never; Host is the upstream's; X-Forwarded-For appended)
          --binding-key-file FILE the HMAC key binding streams to credentials, at least 16 bytes (default:
                                  random per run; required with PostgreSQL: the same file on every replica)
          --max-body-bytes N      request body limit, 413 beyond (default 8M)
          --max-streams N         upstream streams read at once, 503 beyond (default 256)
          --max-client-requests N requests in flight per client address, 429 beyond (default 64)
          --max-client-connections N
                                  open connections per client address; one more is closed at once (default 256)
          --idle-timeout SECONDS  close a connection idle this long (default 60)
          --write-timeout SECONDS close a connection whose client takes no response bytes for this long
                                  (a client that stops reading; default 30)
          --connect-timeout SECONDS
                                  give up connecting to the upstream after this long: 502 (default 10)
          -q, --quiet             no access log (default: one line per request on standard error)
          -h, --help, --version

        In-stream records, error statuses and examples: Docs/Bridging.md.
        Exit status: 0 after SIGTERM or SIGINT (graceful), 1 when it cannot start (the address is taken,
        a key or password file cannot be read, the PostgreSQL store cannot be reached), 2 usage error.

        """
}
