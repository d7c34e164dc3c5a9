// Command-line parsing for streamconv: `-f`/`-t` like iconv, GNU-style long options
// (`--opt VALUE` and `--opt=VALUE`), `--` ends the options.
import StreamCodecCore

/// What the command line asks for.
struct Arguments {
    /// The input format; nil: detect it from the first significant byte (`-f auto`).
    var from: Format?
    var to: Format = FormatRegistry.standard.format(named: "ndjson")!
    var files: [String] = []
    var options = ConversionOptions()
    var quiet = false
    var heartbeatSeconds: Double?
    /// `--heartbeat-event NAME`: heartbeats are events of this type instead of comment lines.
    var heartbeatEvent: String?
    var action: Action = .convert

    enum Action { case convert, help, version, listFormats }
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
        func flag(_ name: String, _ inline: String?) throws(UsageError) {
            if inline != nil { throw UsageError(message: "option \(name) takes no value") }
        }
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ inline: String?, as: T.Type) throws(UsageError) -> T where T.RawValue == String {
            let text = try value(name, inline)
            guard let result = T(rawValue: text) else {
                let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
                throw UsageError(message: "invalid value '\(text)' for \(name) (one of: \(allowed))")
            }
            return result
        }
        func pointer(_ text: String) throws(UsageError) -> JSONPointer {
            do { return try JSONPointer(text) } catch { throw UsageError(message: error.message) }
        }
        func format(_ name: String, for option: String) throws(UsageError) -> Format {
            guard let format = registry.format(named: name) else {
                let known = registry.formats.map(\.name).joined(separator: ", ")
                let auto = option.contains("f") && !option.contains("-t") ? "auto, " : ""
                throw UsageError(message: "unknown format '\(name)' for \(option) (known: \(auto)\(known); MIME types work too, see --list-formats)")
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
            case "-f", "--from":
                let text = try value(name, inline)
                args.from = text.lowercased() == "auto" ? nil : try format(text, for: name)
            case "--list-formats": try flag(name, inline); args.action = .listFormats
            case "--array-path": args.options.codec.arrayPointer = try pointer(try value(name, inline))
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
                try flag(name, inline)
                args.options.doneMarker = nil
            case "--done-marker":
                let text = try value(name, inline)
                guard !text.isEmpty else { throw UsageError(message: "--done-marker needs a non-empty text") }
                args.options.doneMarker = text
            case "--require-done": try flag(name, inline); args.options.requireDone = true
            case "--done": try flag(name, inline); args.options.appendDone = true
            case "--envelope": try flag(name, inline); args.options.mode = .envelope
            case "--envelope-data":
                args.options.envelopeData = try choice(name, inline, as: EnvelopeWrapTransform.DataEncoding.self)
                args.options.mode = .envelope
            case "--comments": try flag(name, inline); args.options.codec.keepComments = true
            case "--event":
                let text = try value(name, inline)
                guard !text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
                    throw UsageError(message: "--event NAME cannot contain a line break")
                }
                args.options.eventName = text
            case "--event-from": args.options.eventFromKey = try value(name, inline)
            case "--id-from": args.options.idFromKey = try value(name, inline)
            case "--ids": try flag(name, inline); args.options.sequentialIDs = true
            case "--retry":
                let text = try value(name, inline)
                guard RetryDigits.canonical(text) != nil else {
                    throw UsageError(message: "invalid value '\(text)' for --retry (milliseconds: ASCII digits only, any length)")
                }
                args.options.retry = text
            case "--only-event":
                let text = try value(name, inline)
                let names = text.split(separator: ",").map(String.init)
                guard !names.isEmpty else { throw UsageError(message: "--only-event needs one or more event types, separated by commas") }
                args.options.onlyEvents = Set(args.options.onlyEvents ?? []).union(names)
            case "--eof": args.options.codec.incompleteBlock = try choice(name, inline, as: SSEDecoder.IncompleteBlockPolicy.self)
            case "--on-error": args.options.onError = try choice(name, inline, as: ConversionOptions.ErrorPolicy.self)
            case "--non-json": args.options.nonJSON = try choice(name, inline, as: DataModeTransform.NonJSONPolicy.self)
            case "-q", "--quiet": try flag(name, inline); args.quiet = true
            case "--heartbeat":
                let text = try value(name, inline)
                guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
                    throw UsageError(message: "invalid value '\(text)' for --heartbeat (seconds, a positive number such as 15 or 0.5)")
                }
                args.heartbeatSeconds = seconds
            case "--heartbeat-event":
                let text = try value(name, inline)
                guard !text.isEmpty, !text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) else {
                    throw UsageError(message: "invalid value '\(text)' for --heartbeat-event (an event type: non-empty, no line break or NUL)")
                }
                args.heartbeatEvent = text
            default:
                throw UsageError(message: unknownOptionMessage(arg))
            }
        }
        if !args.options.codec.arrayPointer.tokens.isEmpty, let from = args.from, from.name != "json-array" {
            throw UsageError(message: "--array-path applies to json-array input, not \(from.name)")
        }
        return args
    }

    /// Every option, for messages about an unknown one.
    static let optionNames = [
        "-f/--from", "-t/--to", "--max-record-bytes", "--max-depth", "--array-path", "-q/--quiet", "--list-formats",
        "--envelope", "--envelope-data", "--comments", "--event", "--event-from", "--id-from", "--ids", "--retry",
        "--heartbeat", "--heartbeat-event", "--done", "--only-event", "--eof", "--no-done", "--done-marker", "--require-done", "--on-error",
        "--non-json", "-h/--help", "--version",
    ]

    /// "unknown option '--envelop' (did you mean --envelope?) ..." with every option listed.
    static func unknownOptionMessage(_ arg: String) -> String {
        let name = String(arg.prefix { $0 != "=" })
        let candidates = optionNames.flatMap { $0.split(separator: "/").map(String.init) }
        let nearest = candidates.map { ($0, editDistance(name, $0)) }.min { $0.1 < $1.1 }
        var message = "unknown option '\(arg)'"
        if let (candidate, distance) = nearest, distance <= 2 { message += " (did you mean \(candidate)?)" }
        return message + "; the options are: " + optionNames.joined(separator: ", ") + " (see streamconv --help)"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
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
