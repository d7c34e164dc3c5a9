// The manual of `streamconv --help`, in fixed sections (as swift-argument-parser prints).
import StreamCodec

enum Help {
    static let version = "streamconv 0.1.0"

    static func text(registry: FormatRegistry = .standard) -> String {
        var formats = ""
        for format in registry.formats {
            let names = ([format.name] + format.aliases).joined(separator: ", ")
            formats += "  \(names)\n      \(format.summary)\n      MIME: \(format.mimeTypes.joined(separator: ", "))\n"
        }
        return """
        OVERVIEW: Convert a stream from one streaming encoding to another, record by record.

        Reads Server-Sent Events, NDJSON / JSON Lines or stream+json and writes any of them.
        Every record is written the moment its last byte arrives; memory is bounded by the
        record-size limit, never by the length of the stream.

        USAGE: streamconv -f FORMAT [-t FORMAT] [OPTIONS] [FILE...]

          Reads the FILEs one after the other into one output stream, or standard input when
          there is no FILE or a FILE is '-'. Writes to standard output.

        FORMATS (a name, an alias or a MIME type; MIME parameters are ignored):
        \(formats)
        OPTIONS:
          -f, --from FORMAT         The input format (required).
          -t, --to FORMAT           The output format (default: ndjson).
          --max-record-bytes N      The largest record, in bytes of input (default: 16M).
                                    Suffixes k, M, G are powers of 1024.
          --max-depth N             The deepest nesting of JSON arrays and objects
                                    (default: 1000).
          --no-done                 SSE to JSON: treat `data: [DONE]` as ordinary data instead
                                    of the end of the output.
          -h, --help                Show this help.
          --version                 Show the version.

        CONVERSIONS (data mode):
          SSE to JSON     each event's data must be one JSON text; it becomes one record
                          (minified). `data: [DONE]` ends the output. Events with empty data
                          are skipped; event type, id and retry are dropped.
          JSON to SSE     each record becomes `data: <minified JSON>` and a blank line.
          JSON to JSON    each record is validated and minified.
          SSE to SSE      normalised: LF line ends, no BOM, comments dropped.

        EXAMPLES:
          curl -sN https://api.example.com/v1/chat/completions -d @req.json \\
            | streamconv -f sse -t ndjson | jq -r '.choices[0].delta.content // empty'
          ollama-like-producer | streamconv -f ndjson -t sse
          streamconv -f 'text/event-stream; charset=utf-8' -t application/x-ndjson events.txt
          streamconv -f stream-json -t ndjson pretty.json > records.ndjson

        EXIT STATUS:
          0  Success (also when the output ended at [DONE], or its reader went away).
          1  Invalid input: bad JSON, a record over the limit, or a record that cannot be
             written in the output format. Every record before it was written.
          2  Usage error: unknown option or format, missing or bad value.
          3  Truncated input: the input ended inside a record.
          4  I/O error: a file cannot be opened, or reading or writing failed.

        """
    }
}
