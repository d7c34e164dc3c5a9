// What a conversion will do, decided from its options alone: which options apply to a pair of
// formats, and the chain of transforms between them. Pure functions of their arguments, so the
// rules can be tested without converting anything (ConversionPlanTests).

/// The planning of a conversion: option validation and the transform chain.
enum ConversionPlan {
    /// Options that no readable format of `registry` could use with `target` (for example
    /// `retry` when the output is not SSE) throw now rather than at the first byte; the others
    /// are checked against the detected format.
    static func validate(detectable registry: FormatRegistry, to target: Format, options: ConversionOptions) throws(StreamCodecError) {
        var first: StreamCodecError?
        for source in registry.formats where source.makeDecoder != nil {
            do throws(StreamCodecError) {
                try validate(source, options: options)
                _ = try transforms(from: source.family, to: target.family, options: options)
                return
            } catch {
                if first == nil { first = error }
            }
        }
        if let first { throw first }
    }

    /// Options that name a particular input format, checked against the actual one.
    static func validate(_ source: Format, options: ConversionOptions) throws(StreamCodecError) {
        let builtIn = ["sse", "ndjson", "stream-json", "json-seq", "json-array"]
        guard builtIn.contains(source.name) else { return }
        if !options.codec.arrayPointer.tokens.isEmpty && source.name != "json-array" {
            throw StreamCodecError(
                .invalidOptions, "ConversionOptions.codec.arrayPointer applies only to json-array input, and this input is \(source.name)",
                option: "codec.arrayPointer")
        }
        if options.codec.incompleteBlock != nil && source.name != "sse" && source.name != "json-seq" {
            throw StreamCodecError(
                .invalidOptions,
                "ConversionOptions.codec.incompleteBlock applies only to sse and json-seq input, and this input is \(source.name)",
                option: "codec.incompleteBlock")
        }
    }

    /// The transforms between two families of formats for `options`, or an error naming an
    /// option that does not apply.
    static func transforms(from source: Format.Family, to target: Format.Family, options o: ConversionOptions) throws(StreamCodecError)
        -> [any RecordTransform]
    {
        // Messages name the property as `ConversionOptions.<key path>` (a front end such as
        // the CLI puts its own option names in their place) and carry the key path in `option`.
        func reject(_ option: String, _ why: String) -> StreamCodecError {
            StreamCodecError(.invalidOptions, "ConversionOptions.\(option) \(why)", option: option.prefix { $0 != " " }.description)
        }
        let sseOutputOptions: [(String, Bool)] = [("retry", o.retry != nil), ("appendDone", o.appendDone)]
        let mappingOptions: [(String, Bool)] = [
            ("eventName", o.eventName != nil), ("eventFromKey", o.eventFromKey != nil),
            ("idFromKey", o.idFromKey != nil), ("sequentialIDs", o.sequentialIDs),
        ]
        if target != .eventStream {
            for (name, set) in sseOutputOptions + mappingOptions where set { throw reject(name, "applies only when the output is SSE") }
        }
        if source != .json {
            for (name, set) in mappingOptions where set { throw reject(name, "applies only when the input is a JSON format") }
        }
        if o.pick != nil && target != .json { throw reject("pick", "applies only when the output is a JSON format (or text)") }
        if source != .eventStream {
            if o.onlyEvents != nil { throw reject("onlyEvents", "applies only when the input is SSE") }
            if !o.endEvents.isEmpty {
                throw reject("endEvents", "applies only when the input is SSE (ConversionOptions.endWhen ends a JSON stream)")
            }
            if o.requireDone && o.endWhen.isEmpty && !o.endsAtClose {
                throw reject(
                    "requireDone", "applies only when the input is SSE, or with ConversionOptions.endWhen (a JSON input has no done marker)"
                )
            }
            if o.codec.keepComments { throw reject("codec.keepComments", "applies only when the input is SSE") }
        }
        if o.mode == .envelope {
            if source == target {
                throw reject(
                    "mode = .envelope", "converts between SSE and a JSON format, not \(source == .json ? "JSON to JSON" : "SSE to SSE")")
            }
            for (name, set) in mappingOptions where set {
                throw reject(name, "applies to data mode, not with ConversionOptions.mode = .envelope (the envelope names events itself)")
            }
            if o.nonJSON != .fail { throw reject("nonJSON", "applies to data mode: ConversionOptions.mode = .envelope carries any data") }
        } else {
            if source == .eventStream && target == .json && o.codec.keepComments {
                throw reject(
                    "codec.keepComments",
                    "needs ConversionOptions.mode = .envelope when the output is JSON (comments become {\"comment\": ...} records)")
            }
            if o.envelopeData != .string { throw reject("envelopeData", "applies only with ConversionOptions.mode = .envelope") }
        }
        if o.resumeAfterID != nil && !o.sequentialIDs {
            throw reject("resumeAfterID", "needs sequential ids (ConversionOptions.sequentialIDs)")
        }
        if o.requireDone && o.doneMarker == nil && o.endEvents.isEmpty && o.endWhen.isEmpty && !o.endsAtClose {
            throw reject(
                "requireDone",
                "needs an end: a done marker (not with ConversionOptions.doneMarker = nil), ConversionOptions.endEvents or ConversionOptions.endWhen"
            )
        }
        if o.appendDone && o.doneMarker == nil {
            throw reject("appendDone", "needs a done marker (not with ConversionOptions.doneMarker = nil)")
        }
        if let retry = o.retry, RetryDigits.canonical(retry) == nil {
            throw reject("retry", "needs a non-empty run of ASCII digits (milliseconds), not \(retry.debugDescription)")
        }

        var chain: [any RecordTransform] = []
        if let only = o.onlyEvents { chain.append(EventTypeFilter(types: only)) }
        switch (source, target, o.mode) {
        case (.eventStream, .json, .envelope):
            chain.append(EnvelopeWrapTransform(dataEncoding: o.envelopeData, maxDepth: o.codec.maxDepth))
        case (.json, .eventStream, .envelope):
            chain.append(EnvelopeUnwrapTransform())
        case (.json, .eventStream, .data):
            if o.eventName != nil || o.eventFromKey != nil || o.idFromKey != nil || o.sequentialIDs {
                chain.append(
                    FieldMappingTransform(
                        eventName: o.eventName, eventFromKey: o.eventFromKey,
                        idFromKey: o.idFromKey, sequentialIDs: o.sequentialIDs,
                        resumeAfterID: o.resumeAfterID ?? 0))
            }
            chain.append(DataModeTransform(target: target, maxDepth: o.codec.maxDepth))
        default:
            chain.append(
                DataModeTransform(
                    target: target, doneMarker: source == .eventStream && target == .json ? o.doneMarker : nil,
                    nonJSON: o.nonJSON, keepComments: o.codec.keepComments, maxDepth: o.codec.maxDepth))
        }
        if let pointer = o.pick, !pointer.tokens.isEmpty { chain.append(PickTransform(pointer: pointer)) }
        return chain + framing(to: target, options: o)
    }

    /// `--retry` and `--done` for SSE output.
    static func framing(to target: Format.Family, options o: ConversionOptions) -> [any RecordTransform] {
        guard target == .eventStream && (o.retry != nil || o.appendDone) else { return [] }
        return [SSEFramingTransform(retry: o.retry, finalData: o.appendDone ? o.doneMarker : nil)]
    }
}
