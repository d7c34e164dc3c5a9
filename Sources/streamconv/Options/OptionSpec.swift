// One command-line option, declared once: the table of these (OptionTable.swift) drives the
// parser, the usage checks, --help, the did-you-mean, the man page and the shell completions
// (the model is swift-argument-parser's single declaration, without the dependency).
import StreamCodecCore

/// The declaration of one option.
struct OptionSpec {
    /// What follows the option.
    enum Value {
        /// Nothing: a flag (`--flag=x` is a usage error).
        case none
        /// One argument, shown as `placeholder`; `completion` says what the shells offer.
        case required(placeholder: String, completion: Completion)
    }

    /// What a shell completes an option's value with.
    enum Completion: Equatable {
        case nothing
        case file
        case format
        case choices([String])
        case shells
    }

    /// The sections of --help and of the man page, in order.
    enum Section: CaseIterable {
        case general, lossless, mapping, streamEnd, reporting, other

        var title: String {
            switch self {
            case .general: "OPTIONS"
            case .lossless: "LOSSLESS CONVERSION"
            case .mapping: "FIELD MAPPING (JSON to SSE, data mode)"
            case .streamEnd: "STREAM END AND BAD RECORDS"
            case .reporting: "REPORTING"
            case .other: "OTHER"
            }
        }
    }

    /// Which formats an option can apply to, on the input or the output side.
    enum Scope: Equatable {
        case any
        case family(Format.Family)
        case formats([String])

        func admits(_ format: Format) -> Bool {
            switch self {
            case .any: true
            case .family(let family): format.family == family
            case .formats(let names): names.contains(format.name)
            }
        }

        /// "SSE", "a JSON format", "json-array", "sse or json-seq".
        var phrase: String {
            switch self {
            case .any: "any format"
            case .family(.eventStream): "SSE"
            case .family(.json): "a JSON format"
            case .formats(let names): names.joined(separator: " or ")
            }
        }

        /// The option to name in a message: "-t sse", "-f json-array", "-f ndjson (or another JSON format)".
        func suggestion(_ flag: String) -> String {
            switch self {
            case .any: ""
            case .family(.eventStream): "\(flag) sse"
            case .family(.json): "\(flag) ndjson or another JSON format"
            case .formats(let names): names.map { "\(flag) \($0)" }.joined(separator: " or ")
            }
        }
    }

    /// The long name without its dashes: "max-record-bytes".
    var long: String
    var short: Character?
    var value: Value
    /// What the option does, as one paragraph (the renderers wrap it).
    var help: String
    var section: Section
    /// The input formats it can apply to (with `-f auto`: checked once the format is detected).
    var input: Scope = .any
    /// The output formats it can apply to.
    var output: Scope = .any
    /// Long names of options that cannot be given together with this one.
    var conflicts: [String] = []
    /// Long names of options this one needs.
    var requires: [String] = []
    /// What it sets in the library, as the library's errors name it
    /// ("ConversionOptions.maxRecordBytes"): the CLI turns those names back into this option.
    var library: String?
    /// Options taking a list (`--only-event a --only-event b`) may be repeated; a
    /// single-valued option given twice is a usage error.
    var repeatable = false
    /// Not in --help, the man page or the completions (`--man`).
    var hidden = false
    /// Applies the option (its value, when it takes one) to the arguments.
    var apply: (inout Arguments, String?) throws(UsageError) -> Void

    /// `--max-record-bytes`.
    var longFlag: String { "--" + long }

    var takesValue: Bool {
        if case .none = value { return false }
        return true
    }

    var placeholder: String? {
        if case .required(let placeholder, _) = value { return placeholder }
        return nil
    }

    var completion: Completion {
        if case .required(_, let completion) = value { return completion }
        return .nothing
    }

    /// `-f, --from FORMAT` (or `--list-formats`).
    var synopsis: String {
        var text = short.map { "-\($0), " } ?? ""
        text += longFlag
        if let placeholder { text += " " + placeholder }
        return text
    }
}
