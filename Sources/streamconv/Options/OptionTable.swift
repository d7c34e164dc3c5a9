// Every option of streamconv, declared once (see OptionSpec.swift). The parser, the usage
// checks, --help, the man page and the completions all read this table.
import StreamCodecCore

extension OptionSpec {
    /// The JSON formats, for options that need JSON input or output.
    private static let jsonFamily = Scope.family(.json)
    private static let sseOnly = Scope.family(.eventStream)

    /// All options, in the order --help lists them within each section.
    static var table: [OptionSpec] {
        [
            // MARK: OPTIONS
            OptionSpec(
                long: "from", short: "f", value: .required(placeholder: "FORMAT", completion: .format),
                help:
                    "The input format (default: auto). `auto` decides from the first significant byte after an optional BOM and whitespace: RS (0x1E) is json-seq, '[' is json-array, any other JSON value start ({ \" - digit t f n) is stream-json (which also reads NDJSON), a 0 byte starting a 12-byte aws-eventstream prelude whose CRC-32 matches is aws-eventstream, anything else is sse. It never waits for more than that byte (or those 12).",
                section: .general
            ) { args, value throws(UsageError) in
                let text = value ?? ""
                args.from = text.lowercased() == "auto" ? nil : try Arguments.format(text, for: "-f/--from", allowsAuto: true)
                if let from = args.from, from.makeDecoder == nil {
                    throw UsageError(message: "-f/--from \(from.name): \(from.name) is an output format only (it cannot be read)")
                }
            },
            OptionSpec(
                long: "to", short: "t", value: .required(placeholder: "FORMAT", completion: .format),
                help: "The output format (default: ndjson).", section: .general
            ) { args, value throws(UsageError) in
                args.to = try Arguments.format(value ?? "", for: "-t/--to", allowsAuto: false)
            },
            OptionSpec(
                long: "max-record-bytes", value: .required(placeholder: "SIZE", completion: .nothing),
                help:
                    "The largest record, in bytes of input (default: 16M). Suffixes k, M, G and KiB, MiB, GiB are powers of 1024; kB, MB, GB are powers of 1000 (case matters: m and g are not sizes).",
                section: .general, library: "ConversionOptions.maxRecordBytes"
            ) { args, value throws(UsageError) in
                let text = value ?? ""
                guard let n = ByteCount.parse(text), n > 0 else {
                    throw UsageError(
                        message:
                            "invalid value '\(text)' for --max-record-bytes (a positive size: 65536, 64k, 16M, 1G, 16MiB, or decimal 10kB, 5MB, 1GB)"
                    )
                }
                args.options.maxRecordBytes = n
            },
            OptionSpec(
                long: "max-depth", value: .required(placeholder: "N", completion: .nothing),
                help: "The deepest nesting of JSON arrays and objects (default: 1000).",
                section: .general, library: "ConversionOptions.codec.maxDepth"
            ) { args, value throws(UsageError) in
                let text = value ?? ""
                guard let n = Int(text), n > 0 else {
                    throw UsageError(message: "invalid value '\(text)' for --max-depth (a positive whole number)")
                }
                args.options.codec.maxDepth = n
            },
            OptionSpec(
                long: "quiet", short: "q", value: .none, help: "No warnings on standard error.",
                section: .general
            ) { args, _ in args.quiet = true },
            OptionSpec(
                long: "array-path", value: .required(placeholder: "POINTER", completion: .nothing),
                help:
                    "json-array input: stream the elements of the array at this JSON Pointer (RFC 6901), e.g. /results for {\"results\": [...]}; the rest of the document is checked but not kept.",
                section: .general, input: .formats(["json-array"]), library: "ConversionOptions.codec.arrayPointer"
            ) { args, value throws(UsageError) in
                do throws(StreamCodecError) { args.options.codec.arrayPointer = try JSONPointer(value ?? "") } catch {
                    throw UsageError(message: "invalid value '\(value ?? "")' for --array-path: \(error.message)")
                }
            },
            OptionSpec(
                long: "pick", value: .required(placeholder: "POINTER", completion: .nothing),
                help:
                    "JSON output: each record becomes the value at this JSON Pointer (RFC 6901), e.g. /choices/0/delta/content; records without it are skipped (counted by --stats). `~1` is '/' and `~0` is '~' in a key; array indexes are digits; `-` names nothing.",
                section: .general, output: jsonFamily, library: "ConversionOptions.pick"
            ) { args, value throws(UsageError) in
                do throws(StreamCodecError) { args.options.pick = try JSONPointer(value ?? "") } catch {
                    throw UsageError(message: "invalid value '\(value ?? "")' for --pick: \(error.message)")
                }
            },
            OptionSpec(
                long: "separator", value: .required(placeholder: "STR", completion: .nothing),
                help:
                    "-t text: write STR after each record (default: nothing). Escapes: \\n line feed, \\t tab, \\r carriage return, \\0 NUL, \\\\ backslash.",
                section: .general, output: .formats(["text"]), library: "ConversionOptions.codec.textSeparator"
            ) { args, value throws(UsageError) in
                args.options.codec.textSeparator = try Arguments.separator(value ?? "")
            },
            OptionSpec(
                long: "decode-bytes", value: .none,
                help:
                    "aws-eventstream input: a payload {\"bytes\": \"<base64>\"} (Amazon Bedrock's InvokeModelWithResponseStream chunks) becomes the JSON it encodes, named after its \"type\" member, so Bedrock's Claude stream converts like Anthropic's own API.",
                section: .general, input: .formats(["aws-eventstream"]), library: "ConversionOptions.codec.bedrockBytes"
            ) { args, _ in args.options.codec.bedrockBytes = true },
            OptionSpec(
                long: "list-formats", value: .none, help: "List the formats: names, MIME types, reads/writes.",
                section: .general
            ) { args, _ in args.action = .listFormats },

            // MARK: LOSSLESS CONVERSION
            OptionSpec(
                long: "envelope", value: .none,
                help:
                    "SSE <-> JSON: each SSE block is one JSON object {\"event\",\"id\",\"retry\",\"data\"} (each key only when the block set it); JSON objects of that shape back to SSE. Input and output must be of different families (one SSE, one JSON).",
                section: .lossless, conflicts: ["event", "event-from", "id-from", "ids", "non-json"],
                library: "ConversionOptions.mode = .envelope"
            ) { args, _ in args.options.mode = .envelope },
            OptionSpec(
                long: "envelope-data", value: .required(placeholder: "json|string", completion: .choices(["json", "string"])),
                help: "Implies --envelope: \"data\" holds the JSON value itself when the data is a JSON object or array (default: string).",
                section: .lossless, conflicts: ["event", "event-from", "id-from", "ids", "non-json"],
                library: "ConversionOptions.envelopeData"
            ) { args, value throws(UsageError) in
                args.options.envelopeData = try Arguments.choice(value, for: "--envelope-data")
                args.options.mode = .envelope
            },
            OptionSpec(
                long: "comments", value: .none,
                help: "Keep SSE comment lines: {\"comment\": \"...\"} records with --envelope, ':' lines when writing SSE.",
                section: .lossless, input: sseOnly, library: "ConversionOptions.codec.keepComments"
            ) { args, _ in args.options.codec.keepComments = true },

            // MARK: FIELD MAPPING
            OptionSpec(
                long: "event", value: .required(placeholder: "NAME", completion: .nothing),
                help: "Every event gets `event: NAME`.",
                section: .mapping, input: jsonFamily, output: sseOnly, conflicts: ["event-from"],
                library: "ConversionOptions.eventName"
            ) { args, value throws(UsageError) in
                let text = value ?? ""
                guard !text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
                    throw UsageError(message: "--event NAME cannot contain a line break")
                }
                args.options.eventName = text
            },
            OptionSpec(
                long: "event-from", value: .required(placeholder: "KEY", completion: .nothing),
                help: "The event type is the record's top-level string KEY; records without it get no `event:` line.",
                section: .mapping, input: jsonFamily, output: sseOnly, conflicts: ["event"],
                library: "ConversionOptions.eventFromKey"
            ) { args, value in args.options.eventFromKey = value },
            OptionSpec(
                long: "id-from", value: .required(placeholder: "KEY", completion: .nothing),
                help: "The id is the record's top-level string or integer KEY.",
                section: .mapping, input: jsonFamily, output: sseOnly, conflicts: ["ids"],
                library: "ConversionOptions.idFromKey"
            ) { args, value in args.options.idFromKey = value },
            OptionSpec(
                long: "ids", value: .none, help: "Ids 1, 2, 3, ... (for Last-Event-ID resumption).",
                section: .mapping, input: jsonFamily, output: sseOnly, conflicts: ["id-from"],
                library: "ConversionOptions.sequentialIDs"
            ) { args, _ in args.options.sequentialIDs = true },
            OptionSpec(
                long: "retry", value: .required(placeholder: "MS", completion: .nothing),
                help:
                    "SSE output: `retry: MS` once, in the first event's block (never a block of its own; with no event, nothing). MS is ASCII digits, any length, kept exactly.",
                section: .mapping, output: sseOnly, library: "ConversionOptions.retry"
            ) { args, value throws(UsageError) in
                let text = value ?? ""
                guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                    throw UsageError(message: "invalid value '\(text)' for --retry (milliseconds: ASCII digits only, such as 3000)")
                }
                args.options.retry = try Arguments.retryValue(text)
            },
            OptionSpec(
                long: "heartbeat", value: .required(placeholder: "SECONDS", completion: .nothing),
                help: "SSE output: write a comment line (`:`) whenever no input has arrived for SECONDS, so proxies keep the connection.",
                section: .mapping, output: sseOnly
            ) { args, value throws(UsageError) in
                let text = value ?? ""
                guard let seconds = Double(text), seconds > 0, seconds.isFinite,
                    text.utf8.allSatisfy({ $0 == 0x2E || ($0 >= 0x30 && $0 <= 0x39) })
                else {
                    throw UsageError(message: "invalid value '\(text)' for --heartbeat (seconds, a positive number such as 15 or 0.5)")
                }
                args.heartbeatSeconds = seconds
            },
            OptionSpec(
                long: "heartbeat-event", value: .required(placeholder: "NAME", completion: .nothing),
                help:
                    "With --heartbeat: each heartbeat is `event: NAME` and `data: {\"type\":\"NAME\"}` instead of a comment line (for proxies that strip comments; `ping` is Anthropic's).",
                section: .mapping, output: sseOnly, requires: ["heartbeat"]
            ) { args, value throws(UsageError) in
                let text = value ?? ""
                guard !text.isEmpty, !text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
                    throw UsageError(message: "--heartbeat-event NAME must be non-empty, without a line break")
                }
                args.heartbeatEvent = text
            },
            OptionSpec(
                long: "done", value: .none, help: "End with a `data: [DONE]` event (the --done-marker; any SSE output).",
                section: .mapping, output: sseOnly, conflicts: ["no-done"],
                library: "ConversionOptions.appendDone"
            ) { args, _ in args.options.appendDone = true },
            OptionSpec(
                long: "only-event", value: .required(placeholder: "NAME[,NAME]", completion: .nothing),
                help: "SSE input: keep only events of these types (an event without a type is `message`). May be given more than once.",
                section: .mapping, input: sseOnly, library: "ConversionOptions.onlyEvents",
                repeatable: true
            ) { args, value throws(UsageError) in
                let names = (value ?? "").split(separator: ",").map(String.init)
                guard !names.isEmpty else { throw UsageError(message: "--only-event needs one or more event types, separated by commas") }
                args.options.onlyEvents = Set(args.options.onlyEvents ?? []).union(names)
            },

            // MARK: STREAM END AND BAD RECORDS
            OptionSpec(
                long: "eof", value: .required(placeholder: "discard|dispatch|error", completion: .choices(Arguments.eofChoices)),
                help:
                    "A record left unterminated at end of input. SSE: discard the block with a warning (default, the spec), dispatch it, or fail with status 3. json-seq (a text without its LF, RFC 7464 2.4): fail with status 3 (default), write it, or discard it.",
                section: .streamEnd, input: .formats(["sse", "json-seq"]), library: "ConversionOptions.codec.incompleteBlock"
            ) { args, value throws(UsageError) in
                args.options.codec.incompleteBlock = try Arguments.choice(value, for: "--eof")
            },
            OptionSpec(
                long: "no-done", value: .none,
                help: "SSE to JSON: `data: [DONE]` is ordinary data, not the end of the output.",
                section: .streamEnd, input: sseOnly, conflicts: ["done-marker", "done"],
                library: "ConversionOptions.doneMarker = nil"
            ) { args, _ in args.options.doneMarker = nil },
            OptionSpec(
                long: "done-marker", value: .required(placeholder: "TEXT", completion: .nothing),
                help: "The data that marks the end (default: [DONE]).",
                section: .streamEnd, conflicts: ["no-done"], library: "ConversionOptions.doneMarker"
            ) { args, value throws(UsageError) in
                guard let text = value, !text.isEmpty else { throw UsageError(message: "--done-marker needs a non-empty text") }
                args.options.doneMarker = text
            },
            OptionSpec(
                long: "require-done", value: .none,
                help:
                    "An input that ends without any of its ends (the marker, an --end-event, an --end-when record) exits with status 3 (a truncated upstream is not a success). Without --end-when or --end, SSE input only.",
                section: .streamEnd,
                library: "ConversionOptions.requireDone"
            ) { args, _ in args.options.requireDone = true },
            OptionSpec(
                long: "end-event", value: .required(placeholder: "NAME", completion: .nothing),
                help:
                    "SSE input: an event of type NAME ends the stream (e.g. message_stop): it is converted, then the output ends and the rest of the input is not read. May be given more than once.",
                section: .streamEnd, input: sseOnly, library: "ConversionOptions.endEvents", repeatable: true
            ) { args, value throws(UsageError) in
                let text = value ?? ""
                guard !text.isEmpty, !text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
                    throw UsageError(message: "--end-event NAME must be non-empty, without a line break")
                }
                args.options.endEvents.insert(text)
            },
            OptionSpec(
                long: "end-when", value: .required(placeholder: "POINTER=JSON", completion: .nothing),
                help:
                    "A record whose value at POINTER is JSON ends the stream (e.g. /done=true; a string with its quotes: /type=\"message_stop\"): it is converted, then the output ends. Values compare minified. JSON records, or SSE events whose data is JSON. May be given more than once.",
                section: .streamEnd, library: "ConversionOptions.endWhen", repeatable: true
            ) { args, value throws(UsageError) in
                do throws(StreamCodecError) { args.options.endWhen.append(try EndCondition(value ?? "")) } catch {
                    throw UsageError(message: "invalid value '\(value ?? "")' for --end-when: \(error.message)")
                }
            },
            OptionSpec(
                long: "end", value: .required(placeholder: "PROVIDER", completion: .choices(StreamEndPreset.allCases.map(\.rawValue))),
                help:
                    "The end a provider sends: openai `data: [DONE]`; anthropic `event: message_stop`; responses `event: response.completed` (or .failed, .incomplete); ollama /done=true; gemini none (the stream closing; --require-done then cannot see a cut between records). May be given more than once.",
                section: .streamEnd, repeatable: true
            ) { args, value throws(UsageError) in
                let preset: StreamEndPreset = try Arguments.choice(value, for: "--end")
                preset.apply(to: &args.options)
                args.endPresets.append(preset)
            },
            OptionSpec(
                long: "on-error", value: .required(placeholder: "fail|skip", completion: .choices(["fail", "skip"])),
                help:
                    "A bad record: stop with status 1 (default), or drop it with a warning, go on at the next record boundary, and print the count at the end.",
                section: .streamEnd, library: "ConversionOptions.onError"
            ) { args, value throws(UsageError) in
                args.options.onError = try Arguments.choice(value, for: "--on-error")
            },
            OptionSpec(
                long: "non-json", value: .required(placeholder: "fail|skip|string", completion: .choices(["fail", "skip", "string"])),
                help: "SSE to JSON: data that is not JSON is an error (default), dropped with a warning, or written as a JSON string.",
                section: .streamEnd, input: sseOnly, output: jsonFamily, conflicts: ["envelope", "envelope-data"],
                library: "ConversionOptions.nonJSON"
            ) { args, value throws(UsageError) in
                args.options.nonJSON = try Arguments.choice(value, for: "--non-json")
            },
            OptionSpec(
                long: "rejects", value: .required(placeholder: "FILE", completion: .file),
                help:
                    "Append every record skipped under --on-error skip or --non-json skip to FILE, raw bytes as read, with its source name, line and byte offset (see Docs/CLI.md).",
                section: .streamEnd
            ) { args, value in args.rejectsPath = value },

            // MARK: REPORTING
            OptionSpec(
                long: "stats", value: .none,
                help:
                    "At the end, one line on standard error: inputs, bytes read, records in and out, skipped, records without the --pick value (with --pick), ignored SSE lines, elapsed time, MB/s.",
                section: .reporting
            ) { args, _ in args.stats = true },
            OptionSpec(
                long: "progress", value: .none,
                help: "When standard error is a terminal, one line updated a few times a second (bytes, records, rate), erased at the end.",
                section: .reporting
            ) { args, _ in args.progress = true },

            // MARK: OTHER
            OptionSpec(long: "help", short: "h", value: .none, help: "Show this help.", section: .other) { args, _ in args.action = .help },
            OptionSpec(
                long: "version", short: "V", value: .none,
                help: "Show the version, the Swift version it was built with, the platform and the JSON vector kernel.",
                section: .other
            ) { args, _ in args.action = .version },
            OptionSpec(
                long: "completions", value: .required(placeholder: "bash|zsh|fish", completion: .shells),
                help: "Print the completion script for the shell (make install installs all three).",
                section: .other
            ) { args, value throws(UsageError) in
                guard let shell = Completions.Shell(rawValue: value ?? "") else {
                    throw UsageError(message: "invalid value '\(value ?? "")' for --completions (one of: bash, zsh, fish)")
                }
                args.action = .completions(shell)
            },
            OptionSpec(
                long: "man", value: .none, help: "Print the man page (roff), as in Docs/streamconv.1.",
                section: .other, hidden: true
            ) { args, _ in args.action = .man },
        ]
    }

    /// The option with this long name (a programming error when there is none).
    static func named(_ long: String) -> OptionSpec {
        guard let spec = table.first(where: { $0.long == long }) else { preconditionFailure("no option --\(long)") }
        return spec
    }
}
