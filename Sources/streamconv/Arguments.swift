// What the command line asks for, parsed by the option table (Options/OptionTable.swift):
// `-f`/`-t` like iconv, GNU getopt_long habits (Options/CommandLineParser.swift), then one
// validation step (Options/Validation.swift) before any input is read.
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
    /// `--rejects FILE`: where records skipped under a skip policy are appended.
    var rejectsPath: String?
    /// `--end PROVIDER`, in order (their rules are in ``options``).
    var endPresets: [StreamEndPreset] = []
    /// `--stats`: one summary line on standard error at the end.
    var stats = false
    /// `--progress`: a progress line on standard error when it is a terminal.
    var progress = false
    var action: Action = .convert
    /// The long names of the options given, in order (for the usage checks).
    var given: [String] = []

    enum Action: Equatable {
        case convert, help, version, listFormats, man
        case completions(Completions.Shell)
    }
}

/// A wrong command line: the message says what was wrong and what is allowed.
struct UsageError: Error {
    var message: String
}

extension Arguments {
    /// The arguments of `argv`, checked (``validate()``) when they ask for a conversion. A
    /// usage error's message ends with the line `Try 'streamconv --help' for more information.`
    static func parse(_ argv: [String]) throws(UsageError) -> Arguments {
        do throws(UsageError) {
            var args = Arguments()
            let (parsed, files) = try CommandLineParser.split(argv, table: OptionSpec.table)
            args.files = files
            var values: [String: ParsedOption] = [:]
            for option in parsed {
                let spec = option.spec
                if spec.takesValue && !spec.repeatable, let earlier = values[spec.long] {
                    throw UsageError(
                        message:
                            "\(spec.longFlag) given twice ('\(earlier.spelling) \(earlier.value ?? "")' and '\(option.spelling) \(option.value ?? "")'); give it once"
                    )
                }
                values[spec.long] = option
                try spec.apply(&args, option.value)
                if !args.given.contains(spec.long) { args.given.append(spec.long) }
            }
            if args.action == .convert { try args.validate() }
            return args
        } catch {
            throw UsageError(message: error.message + "\nTry 'streamconv --help' for more information.")
        }
    }

    /// The format named `name` (a name, an alias or a MIME type).
    static func format(
        _ name: String, for option: String, allowsAuto: Bool,
        registry: FormatRegistry = .standard
    ) throws(UsageError) -> Format {
        guard let format = registry.format(named: name) else {
            let known = (allowsAuto ? ["auto"] : []) + registry.formats.map(\.name)
            throw UsageError(
                message:
                    "unknown format '\(name)' for \(option) (known: \(known.joined(separator: ", ")); MIME types work too, see --list-formats)"
            )
        }
        return format
    }

    /// The case of `T` spelled `value`, or a usage error listing the allowed spellings.
    static func choice<T: RawRepresentable & CaseIterable>(_ value: String?, for name: String) throws(UsageError) -> T
    where T.RawValue == String {
        let text = value ?? ""
        guard let result = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError(message: "invalid value '\(text)' for \(name) (one of: \(allowed))")
        }
        return result
    }

    /// The allowed values of an option of type `T` (for --help, the man page, completions).
    static func cases<T: RawRepresentable & CaseIterable>(_: KeyPath<Arguments, T?>) -> [String] where T.RawValue == String {
        T.allCases.map(\.rawValue)
    }

    static var eofChoices: [String] { cases(\.options.codec.incompleteBlock) }

    /// `--separator`'s text with its escapes resolved: `\n`, `\t`, `\r`, `\0`, `\\`.
    static func separator(_ text: String) throws(UsageError) -> String {
        var out = ""
        var escape = false
        for ch in text {
            if escape {
                switch ch {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "0": out.append("\0")
                case "\\": out.append("\\")
                default: throw UsageError(message: "invalid escape '\\\(ch)' in --separator (known: \\n, \\t, \\r, \\0, \\\\)")
                }
                escape = false
            } else if ch == "\\" {
                escape = true
            } else {
                out.append(ch)
            }
        }
        if escape { throw UsageError(message: "--separator ends with a lone '\\' (write \\\\ for a backslash)") }
        return out
    }

    /// `--retry`'s digits (already checked to be ASCII digits) for `ConversionOptions.retry`,
    /// kept exactly when it holds the digits themselves.
    static func retryValue(_ digits: String) throws(UsageError) -> String { digits }

    /// `--retry`'s digits while `ConversionOptions.retry` is a number.
    static func retryValue(_ digits: String) throws(UsageError) -> UInt64 {
        guard let n = UInt64(digits) else { throw UsageError(message: "invalid value '\(digits)' for --retry (at most \(UInt64.max))") }
        return n
    }
}
