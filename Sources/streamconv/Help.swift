// The manual of `streamconv --help`, in fixed sections (as swift-argument-parser prints), with
// the options rendered from the option table. The prose here is shared with the man page.
import StreamCodecCore
import StreamCodecSIMD

enum Help {
    /// `streamconv 0.1.0 (Swift 6.3, x86_64 Linux, JSON kernel AVX-512)`: the vector kernel this
    /// run uses (Docs/Performance.md), for reports of speed.
    static var version: String {
        let kernel = String(cString: streamcodec_simd_kernel_name(streamcodec_simd_kernel()))
        return "streamconv \(StreamCodecVersion.current) (\(BuildInfo.swiftVersion), \(BuildInfo.platform), JSON kernel \(kernel))"
    }

    static let overview = "Convert a stream from one streaming encoding to another, record by record."

    static let description = [
        "Reads Server-Sent Events, NDJSON / JSON Lines, stream+json, JSON text sequences or a streamed JSON array, and writes any of them, or raw text (-t text, with --pick: a model's answer typed out). Every record is written the moment its last byte arrives; memory is bounded by the record-size limit, never by the length of the stream.",
        "Reads the FILEs one after the other into one output stream, or standard input when there is no FILE or a FILE is '-'. Writes to standard output.",
    ]

    static let synopsis = "streamconv [-f FORMAT] [-t FORMAT] [OPTIONS] [FILE...]"

    /// How options are written, and the checks made before reading input.
    static let conventions = [
        "Short options can be bundled (-qf sse) and take their value attached (-fsse) or as the next argument. Long options take their value after '=' (--max-depth=64) or as the next argument, and can be shortened to any unambiguous prefix (--max-r 1M). Flags take no value (--quiet=yes is an error). '--' ends the options; '-' is standard input.",
        "An option given twice is an error, except --only-event, --end-event, --end-when and --end, whose lists add up (flags may be repeated). Options that cannot apply to the output format, or to the input format given with -f, and options that exclude each other, are usage errors (status 2) before any input is read. With -f auto, an option for some input formats only (--array-path, --eof, --only-event, --end-event, --comments, --no-done, --require-done, --non-json, the field mapping options) is checked once the format is detected, and stops the run with status 2 if that format cannot use it.",
    ]

    static let conversions: [(String, String)] = [
        (
            "SSE to JSON",
            "each event's data must be one JSON text; it becomes one record (minified). `data: [DONE]` ends the output. Events with empty data are skipped; event type, id and retry are dropped (--envelope keeps them)."
        ),
        ("JSON to SSE", "each record becomes `data: <minified JSON>` and a blank line."),
        ("JSON to JSON", "each record is validated and minified."),
        ("SSE to SSE", "normalised: LF line ends, no BOM, comments dropped (--comments keeps them)."),
    ]

    static let examples = [
        "curl -sN https://api.example.com/v1/chat/completions -d @req.json \\\n  | streamconv -t text --pick /choices/0/delta/content",
        "curl -sN ... | streamconv -t text --only-event content_block_delta --pick /delta/text \\\n  --end anthropic --require-done",
        "ollama-like-producer | streamconv -t sse",
        "curl -sN http://localhost:11434/api/chat -d @chat.json | streamconv -f ndjson -t sse --end ollama --done",
        "curl -sN \"$GEMINI/models/m:streamGenerateContent\" -d @req.json \\\n  | streamconv -f json-array -t ndjson",
        "streamconv -f json-array --array-path /results -t ndjson search.json",
        "streamconv -f 'text/event-stream; charset=utf-8' -t application/x-ndjson events.txt",
        "streamconv -f stream-json -t ndjson pretty.json > records.ndjson",
        "streamconv -f sse -t ndjson --envelope --comments < anthropic.sse > events.ndjson",
        "streamconv -f ndjson -t sse --event-from type --ids --done < records.ndjson",
    ]

    static let exitStatuses: [(Int, String)] = [
        (0, "Success (also when the output ended at [DONE] or another end, or its reader went away)."),
        (
            1,
            "Invalid input: bad JSON, a record over the limit, or a record that cannot be written in the output format; an aws-eventstream message with a bad length, CRC or header, or that reports an exception or error. Every record before it was written. (With --on-error skip, bad records are dropped and the status is 0.)"
        ),
        (
            2,
            "Usage error: unknown option or format, missing or bad value, an option that cannot apply to the formats, options that exclude each other: found before any input is read (but for an input-only option the format detected by -f auto cannot use)."
        ),
        (
            3,
            "Truncated input: the input ended inside a record (a JSON text, a json-seq record without its LF, a JSON array before its ']'), or without any of its ends under --require-done (the marker, an --end-event, an --end-when record), or inside an SSE block under --eof error."
        ),
        (4, "I/O error: a file cannot be opened, or reading or writing failed."),
    ]

    /// The environment variables the program reads.
    static let environment: [(String, String)] = [
        (
            "STREAMCODEC_SIMD",
            "off (or 0): validate JSON with the portable scalar code instead of the CPU's vector kernel; avx2: use AVX2 even where AVX-512 is available. Results are the same either way (to compare speeds, or to rule the kernel out). --version names the kernel a run uses."
        )
    ]

    /// `--list-formats`: the registry, one format a line.
    static func formatList(registry: FormatRegistry = .standard) -> String {
        var rows = [["NAME", "ALIASES", "MIME TYPES", "READS", "WRITES"]]
        for f in registry.formats {
            rows.append([
                f.name, f.aliases.joined(separator: ","), f.mimeTypes.joined(separator: ","),
                f.makeDecoder == nil ? "no" : "yes", f.makeEncoder == nil ? "no" : "yes",
            ])
        }
        let widths = (0..<5).map { c in rows.map { $0[c].count }.max()! }
        return rows.map { row in
            row.enumerated().map { c, cell in c == 4 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count + 2) }.joined()
        }.joined(separator: "\n") + "\n"
    }

    static let width = 88
    static let optionColumn = 28

    static func text(registry: FormatRegistry = .standard) -> String {
        var out = "OVERVIEW: \(overview)\n\n"
        out += description.map { wrap($0, indent: 0) }.joined(separator: "\n") + "\n"
        out += "USAGE: \(synopsis)\n\n"
        out += conventions.map { wrap($0, indent: 2) }.joined(separator: "\n") + "\n"
        out += "FORMATS (a name, an alias or a MIME type; MIME parameters are ignored):\n"
        for format in registry.formats {
            out += "  " + ([format.name] + format.aliases).joined(separator: ", ") + "\n"
            out += "      \(format.summary)\n      MIME: \(format.mimeTypes.joined(separator: ", "))\n"
        }
        let table = OptionSpec.table.filter { !$0.hidden }
        for section in OptionSpec.Section.allCases {
            let specs = table.filter { $0.section == section }
            if specs.isEmpty { continue }
            out += "\n\(section.title):\n"
            for spec in specs { out += option(spec) }
        }
        out += "\nCONVERSIONS (data mode, the default):\n"
        for (name, text) in conversions {
            out += hanging("  " + name, text, column: 18)
        }
        out += "\nEXAMPLES:\n"
        for example in examples {
            out += example.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        out += "\nEXIT STATUS:\n"
        for (status, text) in exitStatuses {
            out += hanging("  \(status)", text, column: 5)
        }
        out += "\nENVIRONMENT:\n"
        for (name, text) in environment {
            out += hanging("  " + name, text, column: 20)
        }
        return out + "\n"
    }

    /// One option: its synopsis, then its help from column 28 (on the next line when the
    /// synopsis is too long).
    static func option(_ spec: OptionSpec) -> String {
        let head = "  " + (spec.short == nil ? "    " : "") + spec.synopsis
        return hanging(head, spec.help, column: optionColumn)
    }

    /// `head` then `text` wrapped at column `column`.
    static func hanging(_ head: String, _ text: String, column: Int) -> String {
        let body = wrap(text, indent: column).dropFirst(column)
        if head.count + 2 <= column {
            return head + String(repeating: " ", count: column - head.count) + body
        }
        return head + "\n" + String(repeating: " ", count: column) + body
    }

    /// `text` wrapped to ``width`` columns, each line indented by `indent` spaces.
    static func wrap(_ text: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && indent + line.count + 1 + word.count > width {
                lines.append(pad + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(pad + line) }
        return lines.joined(separator: "\n") + "\n"
    }
}
