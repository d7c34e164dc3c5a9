// Splits argv into options and operands as GNU getopt_long does: bundled short flags (`-qf sse`),
// a short option's value attached (`-fsse`) or next; `--opt=value` and `--opt value` only for
// options that take a value; unambiguous prefixes of long options; `--` ends the options; `-` is
// standard input.

/// One option as it appeared on the command line.
struct ParsedOption {
    var spec: OptionSpec
    var value: String?
    /// How it was spelled (`-f`, `--fr`), for messages.
    var spelling: String
}

enum CommandLineParser {
    /// The options in order, and the operands (FILEs).
    static func split(_ argv: [String], table: [OptionSpec]) throws(UsageError) -> (options: [ParsedOption], files: [String]) {
        var options: [ParsedOption] = []
        var files: [String] = []
        var i = 0
        var onlyFiles = false
        func next(for spelling: String) throws(UsageError) -> String {
            i += 1
            guard i < argv.count else { throw UsageError(message: "option '\(spelling)' requires an argument") }
            return argv[i]
        }
        while i < argv.count {
            let arg = argv[i]
            defer { i += 1 }
            if onlyFiles || arg == "-" || !arg.hasPrefix("-") {
                files.append(arg)
            } else if arg == "--" {
                onlyFiles = true
            } else if arg.hasPrefix("--") {
                let body = arg.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let inline = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
                let spec = try longOption(name, table: table)
                if spec.takesValue {
                    let value = if let inline { inline } else { try next(for: spec.longFlag) }
                    options.append(ParsedOption(spec: spec, value: value, spelling: "--" + name))
                } else {
                    if inline != nil { throw UsageError(message: "option '\(spec.longFlag)' doesn't allow an argument") }
                    options.append(ParsedOption(spec: spec, value: nil, spelling: "--" + name))
                }
            } else {
                // One or more short options: -q, -qf sse, -fsse, -qfsse.
                var rest = arg.dropFirst()
                while let letter = rest.first {
                    rest = rest.dropFirst()
                    guard let spec = table.first(where: { $0.short == letter && !$0.hidden }) else {
                        throw UsageError(message: unknownShortMessage(letter, arg: arg, table: table))
                    }
                    if spec.takesValue {
                        let value = rest.isEmpty ? try next(for: "-\(letter)") : String(rest)
                        options.append(ParsedOption(spec: spec, value: value, spelling: "-\(letter)"))
                        break
                    }
                    options.append(ParsedOption(spec: spec, value: nil, spelling: "-\(letter)"))
                }
            }
        }
        return (options, files)
    }

    /// The long option `name` (without dashes) names: itself, or the only option it is a prefix of.
    static func longOption(_ name: String, table: [OptionSpec]) throws(UsageError) -> OptionSpec {
        if let exact = table.first(where: { $0.long == name }) { return exact }
        let candidates = name.isEmpty ? [] : table.filter { !$0.hidden && $0.long.hasPrefix(name) }
        if candidates.count == 1 { return candidates[0] }
        if candidates.count > 1 {
            let names = candidates.map { "'\($0.longFlag)'" }.joined(separator: " ")
            throw UsageError(message: "option '--\(name)' is ambiguous; possibilities: \(names)")
        }
        var message = "unknown option '--\(name)'"
        if let near = Suggestion.nearest(to: name, among: table.filter { !$0.hidden }.map(\.long)) {
            message += " (did you mean '--\(near)'?)"
        }
        throw UsageError(message: message)
    }

    /// `-x` unknown; `-version` was probably meant as `--version`.
    static func unknownShortMessage(_ letter: Character, arg: String, table: [OptionSpec]) -> String {
        var message = "unknown option '-\(letter)'"
        let word = String(arg.dropFirst().prefix { $0 != "=" })
        let visible = table.filter { !$0.hidden }
        if word.count > 1, arg.first(where: { $0 != "-" }) == letter,
            let near = visible.first(where: { $0.long == word }).map(\.long) ?? Suggestion.nearest(to: word, among: visible.map(\.long))
        {
            message += " (did you mean '--\(near)'?)"
        } else if let other = visible.first(where: { $0.short.map { String($0).lowercased() == String(letter).lowercased() } ?? false }),
            let short = other.short
        {
            message += " (did you mean '-\(short)'?)"
        }
        return message
    }
}
