// The usage checks, made once before any input is read (so they fail at once, even on empty or
// silent input): options that cannot apply to the output format, or to the input format when
// -f names one; options that cannot be given together; options that need another. They agree
// with what the library's Converter rejects (Driver/Converter.swift): a command line that passes
// here with -f given is accepted by Converter.init. With `-f auto`, an input-only option is
// accepted here (some detectable format uses it) and checked once the format is detected.
import StreamCodecCore

extension Arguments {
    func validate() throws(UsageError) {
        let table = OptionSpec.table
        let used = table.filter { given.contains($0.long) }
        for spec in used {
            for other in spec.conflicts where given.contains(other) {
                throw UsageError(
                    message: "\(spec.longFlag) and --\(other) cannot be used together (\(Self.conflictReason(spec.long, other)))")
            }
            for needed in spec.requires where !given.contains(needed) {
                throw UsageError(message: "\(spec.longFlag) needs --\(needed)")
            }
        }
        for spec in used {
            if !spec.output.admits(to) {
                throw UsageError(
                    message:
                        "\(spec.longFlag) applies only when the output is \(spec.output.phrase) (\(spec.output.suggestion("-t"))), and the output here is \(to.name)"
                )
            }
            if let from, !spec.input.admits(from) {
                throw UsageError(
                    message:
                        "\(spec.longFlag) applies only when the input is \(spec.input.phrase) (\(spec.input.suggestion("-f"))), and the input here is \(from.name)"
                )
            }
        }
        if options.mode == .envelope {
            let flag = given.contains("envelope") ? "--envelope" : "--envelope-data"
            if let from, from.family == to.family {
                throw UsageError(
                    message:
                        "\(flag) converts between SSE and a JSON format, and here both are \(to.family == .eventStream ? "SSE" : "JSON") (\(from.name) to \(to.name))"
                )
            }
        } else if options.codec.keepComments && to.family == .json {
            throw UsageError(message: "--comments needs --envelope when the output is JSON (comments become {\"comment\": ...} records)")
        }
        try validateEnds()
        if given.contains("done-marker") && !given.contains("done"), let from, from.family != .eventStream {
            throw UsageError(
                message: "--done-marker applies only when the input is SSE (-f sse) or with --done, and the input here is \(from.name)")
        }
    }

    /// The stream ends (--require-done, --end-event, --end-when, --end) against the input format.
    private func validateEnds() throws(UsageError) {
        let o = options
        let hasRecordEnds = !o.endWhen.isEmpty || o.endsAtClose
        if o.requireDone && o.doneMarker == nil && o.endEvents.isEmpty && !hasRecordEnds {
            throw UsageError(
                message: "--require-done needs an end, and --no-done removes the done marker (add --end-event, --end-when or --end)")
        }
        guard let from, from.family != .eventStream else { return }
        for preset in endPresets where preset == .anthropic || preset == .responses {
            throw UsageError(
                message: "--end \(preset.rawValue) ends SSE input (an event type), and the input here is \(from.name) (-f sse)")
        }
        if o.requireDone && !hasRecordEnds {
            throw UsageError(
                message:
                    "--require-done applies to \(from.name) input only with --end-when or --end ollama (a JSON input has no done marker), or with SSE input (-f sse)"
            )
        }
    }

    /// Why two options exclude each other.
    static func conflictReason(_ a: String, _ b: String) -> String {
        switch Set([a, b]) {
        case ["event", "event-from"]: "each event gets one type: a fixed NAME or a record's KEY"
        case ["ids", "id-from"]: "each event gets one id: a counter or a record's KEY"
        case ["no-done", "done-marker"], ["no-done", "done"]: "--no-done removes the done marker"
        default: "--envelope keeps the SSE fields and any data itself"
        }
    }
}
