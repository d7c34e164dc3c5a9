// Command-line parsing for streamconv: `-f`/`-t` like iconv, GNU-style long options
// (`--opt VALUE` and `--opt=VALUE`), `--` ends the options.
import StreamCodec

/// What the command line asks for.
struct Arguments {
    var from: Format?
    var to: Format = FormatRegistry.standard.format(named: "ndjson")!
    var files: [String] = []
    var options = ConversionOptions()
    var action: Action = .convert

    enum Action { case convert, help, version }
}

/// A wrong command line: the message says what was wrong and what is allowed.
struct UsageError: Error {
    var message: String
}

extension Arguments {
    static func parse(_ argv: [String], registry: FormatRegistry = .standard) throws(UsageError) -> Arguments {
        var args = Arguments()
        var i = 0
        var onlyFiles = false
        func value(_ name: String, _ inline: String?) throws(UsageError) -> String {
            if let inline { return inline }
            i += 1
            guard i < argv.count else { throw UsageError(message: "option \(name) needs a value") }
            return argv[i]
        }
        func format(_ name: String, for option: String) throws(UsageError) -> Format {
            guard let format = registry.format(named: name) else {
                let known = registry.formats.map(\.name).joined(separator: ", ")
                throw UsageError(message: "unknown format '\(name)' for \(option) (known: \(known); MIME types work too, see --help)")
            }
            return format
        }
        while i < argv.count {
            let arg = argv[i]
            defer { i += 1 }
            if onlyFiles || arg == "-" || !arg.hasPrefix("-") {
                args.files.append(arg)
                continue
            }
            if arg == "--" { onlyFiles = true; continue }
            var name = arg
            var inline: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            } else if !arg.hasPrefix("--") && arg.count > 2 {
                // -fsse: a short option with its value attached.
                name = String(arg.prefix(2))
                inline = String(arg.dropFirst(2))
            }
            switch name {
            case "-h", "--help": args.action = .help
            case "--version": args.action = .version
            case "-f", "--from": args.from = try format(try value(name, inline), for: name)
            case "-t", "--to": args.to = try format(try value(name, inline), for: name)
            case "--max-record-bytes":
                let text = try value(name, inline)
                guard let n = parseByteCount(text), n > 0 else {
                    throw UsageError(message: "invalid value '\(text)' for --max-record-bytes (a positive number of bytes, optionally with k, M or G: 64k, 16M, 1G)")
                }
                args.options.maxRecordBytes = n
            case "--max-depth":
                let text = try value(name, inline)
                guard let n = Int(text), n > 0 else {
                    throw UsageError(message: "invalid value '\(text)' for --max-depth (a positive whole number)")
                }
                args.options.codec.maxDepth = n
            case "--no-done":
                if inline != nil { throw UsageError(message: "option --no-done takes no value") }
                args.options.doneMarker = nil
            default:
                throw UsageError(message: "unknown option '\(arg)' (see streamconv --help)")
            }
        }
        if args.action == .convert && args.from == nil {
            let known = registry.formats.map(\.name).joined(separator: ", ")
            throw UsageError(message: "missing -f/--from FORMAT: the input format (\(known))")
        }
        return args
    }

    /// "16M" -> 16777216. Suffixes k, M, G are powers of 1024 (KiB, MiB, GiB also accepted).
    static func parseByteCount(_ text: String) -> Int? {
        var digits = Substring(text)
        var scale = 1
        for (suffixes, factor) in [(["KiB", "k", "K"], 1 << 10), (["MiB", "M"], 1 << 20), (["GiB", "G"], 1 << 30)] {
            if let suffix = suffixes.first(where: { text.hasSuffix($0) }) {
                digits = text.dropLast(suffix.count)
                scale = factor
                break
            }
        }
        guard let n = Int(digits) else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }
}
