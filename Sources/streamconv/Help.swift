// The manual of `streamconv --help`, in fixed sections (as swift-argument-parser prints).
import StreamCodecCore

enum Help {
    static let version = "streamconv \(StreamCodecVersion.current)"

    /// `--list-formats`: the registry, one format a line.
    static func formatList(registry: FormatRegistry = .standard) -> String {
        var rows = [["NAME", "ALIASES", "MIME TYPES", "READS", "WRITES"]]
        for f in registry.formats {
            rows.append([f.name, f.aliases.joined(separator: ","), f.mimeTypes.joined(separator: ","),
                         f.makeDecoder == nil ? "no" : "yes", f.makeEncoder == nil ? "no" : "yes"])
        }
        let widths = (0..<5).map { c in rows.map { $0[c].count }.max()! }
        return rows.map { row in
            row.enumerated().map { c, cell in c == 4 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count + 2) }.joined()
        }.joined(separator: "\n") + "\n"
    }

    static func text(registry: FormatRegistry = .standard) -> String {
        var formats = ""
        for format in registry.formats {
            let names = ([format.name] + format.aliases).joined(separator: ", ")
            formats += "  \(names)\n      \(format.summary)\n      MIME: \(format.mimeTypes.joined(separator: ", "))\n"
        }
        return """
        OVERVIEW: Convert a stream from one streaming encoding to another, record by record.

        Reads Server-Sent Events, NDJSON / JSON Lines, stream+json, JSON text sequences or a
        streamed JSON array, and writes any of them.
        Every record is written the moment its last byte arrives; memory is bounded by the
        record-size limit, never by the length of the stream.

        USAGE: streamconv [-f FORMAT] [-t FORMAT] [OPTIONS] [FILE...]

          Reads the FILEs one after the other into one output stream, or standard input when
          there is no FILE or a FILE is '-'. Writes to standard output.

        FORMATS (a name, an alias or a MIME type; MIME parameters are ignored):
        \(formats)
        OPTIONS:
          -f, --from FORMAT         The input format (default: auto). `auto` decides from the
                                    first significant byte after an optional BOM and
                                    whitespace: RS (0x1E) is json-seq, '[' is json-array,
                                    any other JSON value start ({ " - digit t f n) is
                                    stream-json (which also reads NDJSON), anything else
                                    is sse. It never waits for more than that byte.
          -t, --to FORMAT           The output format (default: ndjson).
          --max-record-bytes N      The largest record, in bytes of input (default: 16M).
                                    Suffixes k, M, G are powers of 1024.
          --max-depth N             The deepest nesting of JSON arrays and objects
                                    (default: 1000).
          -q, --quiet               No warnings on standard error.
          --array-path POINTER      json-array input: stream the elements of the array at
                                    this JSON Pointer (RFC 6901), e.g. /results for
                                    {"results": [...]}; the rest of the document is
                                    checked but not kept.
          --list-formats            List the formats: names, MIME types, reads/writes.

        LOSSLESS CONVERSION:
          --envelope                SSE <-> JSON: each SSE block is one JSON object
                                    {"event","id","retry","data"} (each key only when the
                                    block set it); JSON objects of that shape back to SSE.
          --envelope-data json|string
                                    Implies --envelope: "data" holds the JSON value itself when
                                    the data is a JSON object or array (default: string).
          --comments                Keep SSE comment lines: {"comment": "..."} records with
                                    --envelope, ':' lines when writing SSE.

        FIELD MAPPING (JSON to SSE, data mode):
          --event NAME              Every event gets `event: NAME`.
          --event-from KEY          The event type is the record's top-level string KEY.
          --id-from KEY             The id is the record's top-level string or integer KEY.
          --ids                     Ids 1, 2, 3, ... (for Last-Event-ID resumption).
          --retry MS                Write `retry: MS` once, in the first event's block (any
                                    SSE output; MS: ASCII digits, any length, kept exactly).
          --heartbeat SECONDS       SSE output: write a comment line (`:`) whenever no input
                                    has arrived for SECONDS, so proxies keep the connection.
          --heartbeat-event NAME    With --heartbeat: heartbeats are the event
                                    `event: NAME` + `data: {"type":"NAME"}` instead (for
                                    proxies that strip comments; NAME=ping is Anthropic's).
          --done                    End with a `data: [DONE]` event (any SSE output).
          --only-event NAME[,NAME]  SSE input: keep only events of these types (an event
                                    without a type is `message`).

        STREAM END AND BAD RECORDS:
          --eof discard|dispatch|error
                                    A record left unterminated at end of input. SSE: discard
                                    the block with a warning (default, the spec), dispatch
                                    it, or fail with status 3. json-seq (a text without its
                                    LF, RFC 7464 2.4): fail with status 3 (default), write
                                    it, or discard it.
          --no-done                 SSE to JSON: `data: [DONE]` is ordinary data, not the end
                                    of the output.
          --done-marker TEXT        The data that marks the end (default: [DONE]).
          --require-done            SSE input that ends without the marker exits with
                                    status 3 (a truncated upstream is not a success).
          --on-error fail|skip      A bad record: stop with status 1 (default), or drop it
                                    with a warning, go on at the next record boundary, and
                                    print the count at the end.
          --non-json fail|skip|string
                                    SSE to JSON: data that is not JSON is an error (default),
                                    dropped with a warning, or written as a JSON string.

        OTHER:
          -h, --help                Show this help.
          --version                 Show the version.

        CONVERSIONS (data mode, the default):
          SSE to JSON     each event's data must be one JSON text; it becomes one record
                          (minified). `data: [DONE]` ends the output. Events with empty data
                          are skipped; event type, id and retry are dropped (--envelope keeps
                          them).
          JSON to SSE     each record becomes `data: <minified JSON>` and a blank line.
          JSON to JSON    each record is validated and minified.
          SSE to SSE      normalised: LF line ends, no BOM, comments dropped (--comments
                          keeps them).

        EXAMPLES:
          curl -sN https://api.example.com/v1/chat/completions -d @req.json \\
            | streamconv -f sse -t ndjson | jq -r '.choices[0].delta.content // empty'
          ollama-like-producer | streamconv -t sse
          curl -sN "$GEMINI/models/m:streamGenerateContent" -d @req.json \\
            | streamconv -f json-array -t ndjson
          streamconv -f json-array --array-path /results -t ndjson search.json
          streamconv -f 'text/event-stream; charset=utf-8' -t application/x-ndjson events.txt
          streamconv -f stream-json -t ndjson pretty.json > records.ndjson
          streamconv -f sse -t ndjson --envelope --comments < anthropic.sse > events.ndjson
          streamconv -f ndjson -t sse --event-from type --ids --done < records.ndjson

        EXIT STATUS:
          0  Success (also when the output ended at [DONE], or its reader went away).
          1  Invalid input: bad JSON, a record over the limit, or a record that cannot be
             written in the output format. Every record before it was written.
             (With --on-error skip, bad records are dropped and the status is 0.)
          2  Usage error: unknown option or format, missing or bad value.
          3  Truncated input: the input ended inside a record (a JSON text, a json-seq
             record without its LF, a JSON array before its ']'), or without the done
             marker under --require-done, or inside an SSE block under --eof error.
          4  I/O error: a file cannot be opened, or reading or writing failed.

        """
    }
}
