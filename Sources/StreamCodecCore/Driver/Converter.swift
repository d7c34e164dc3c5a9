// One conversion: decoder -> transforms -> encoder, bytes in, bytes out.

/// Converts a byte stream of one format into a byte stream of another, incrementally.
///
/// ```swift
/// var converter = try Converter(from: "sse", to: "ndjson")
/// var out: [UInt8] = []
/// try converter.convert(Array("data: {\"a\": 1}\n\n".utf8), into: &out)   // out == {"a":1}\n
/// try converter.finish(into: &out)
/// ```
///
/// Everything a call can produce is appended to `output` before it returns, so no finished
/// record waits for more input. When a call throws, `output` holds every record before the
/// bad one.
public struct Converter {
    /// The driver (positions and decoder state; the tests watch its memory through it).
    var driver: DecodingDriver<AnyStreamDecoder> { _driver }
    /// Bytes of input held now: appended and not yet consumed, plus what the decoder keeps of
    /// a record in progress. Bounded by the record limit plus one appended chunk.
    public var bufferedByteCount: Int { _driver.bufferedByteCount + _driver.decoder.heldByteCount }
    /// Bytes of the current input consumed so far (the offset of the next unread byte).
    public var streamOffset: Int { _driver.streamOffset }
    @usableFromInline var _driver: DecodingDriver<AnyStreamDecoder>
    private var transforms: [any RecordTransform]
    private var encoder: AnyStreamEncoder
    private var makeDecoder: () -> any StreamDecoder
    /// Auto-detection: chooses each input's format once its first significant byte has arrived.
    private var detector: FormatDetector?
    private var isDetecting = false
    /// The input format: given, or detected from the current input's first significant byte.
    public private(set) var sourceFormat: Format?
    /// A specialised loop for the commonest conversions (see ``Lane``).
    private var lane: Lane = .general
    /// Lines before the decoder's first (blank lines auto-detection dropped), added to the
    /// lines the decoder reports.
    private var lineOffset = 0
    private let onError: ConversionOptions.ErrorPolicy
    /// The end rules (marker, end events, end conditions) and whether one is required.
    private var streamEnd: StreamEnd
    /// End events or conditions are set: each decoded record is checked (``emitWatchingEnd(_:into:)``).
    /// (``StreamEnd/watchesRecords``, kept as one flag: it is read for every record.)
    private let watchesEnds: Bool
    private var started = false
    private var finished = false
    private var warnings: [StreamCodecWarning] = []
    /// True once a transform ended the output (for example at `data: [DONE]`): further
    /// input is ignored, up to the next input (``startNextInput()``).
    public private(set) var isStopped = false
    /// True once an SSE event whose data is the done marker was read (in the current input).
    public private(set) var sawDoneMarker = false
    /// True once the current input had one of its ends: the done marker, an event of
    /// ``ConversionOptions/endEvents`` or a record matching ``ConversionOptions/endWhen``.
    public var sawEnd: Bool { sawDoneMarker || sawEndRecord }
    private var sawEndRecord = false
    private var doneChecked = false
    /// Records written so far.
    public private(set) var recordCount = 0
    /// Records read from the inputs so far: every record decoded (written, filtered out, or
    /// dropped as bad) and every bad record the decoder skipped.
    public var recordsIn: Int { decodedCount + skippedByEarlierInputs + _driver.skippedCount }
    private var decodedCount = 0
    /// SSE lines of the current input: those naming a known field, and those the spec ignores
    /// (see ``SSEDecoder/ignoredLineCount``). Nil when the current input is not SSE (or its
    /// format is not detected yet). An input with ignored lines and no field line is not SSE.
    public var currentInputLineCounts: SSELineCounts? { _driver._decoder.sseLineCounts }
    /// The offset in the current input of the first byte the decoder has not consumed: every
    /// line that started before it is complete.
    public var currentInputOffset: Int { _driver.streamOffset }
    /// SSE lines ignored in all inputs so far (see ``SSEDecoder/ignoredLineCount``).
    public var ignoredLineCount: Int { ignoredByEarlierInputs + (currentInputLineCounts?.ignored ?? 0) }
    private var ignoredByEarlierInputs = 0
    /// With ``ConversionOptions/onlyEvents``: how many events it let through, and the other
    /// event types it saw (at most ``EventTypeFilter/seenTypeLimit``). Nil without the filter.
    public var eventFilterReport: (matched: Int, otherTypes: [String])? {
        guard let filter = transforms.first(where: { $0 is EventTypeFilter }) as? EventTypeFilter else { return nil }
        return (filter.matchedCount, filter.droppedTypes)
    }
    /// With ``ConversionOptions/pick``: the records in which the pointer named nothing (skipped,
    /// in all inputs so far). Nil without a pick.
    public var pickMissingCount: Int? {
        (transforms.first(where: { $0 is PickTransform }) as? PickTransform)?.missingCount
    }
    /// Bad records dropped under ``ConversionOptions/ErrorPolicy/skip`` (and `--non-json skip`).
    public var skippedCount: Int { skippedHere + skippedByEarlierInputs + _driver.skippedCount }
    private var skippedHere = 0
    /// Keep the bytes of every skipped record, for ``takeRejectedRecords()`` (`--rejects`).
    public var keepsRejectedRecords = false {
        didSet { _driver.keepsRejectedRecords = keepsRejectedRecords }
    }
    private var rejected: [RejectedRecord] = []
    private var skippedByEarlierInputs = 0

    /// A converter between two formats of `registry` (names, aliases or MIME types); the source
    /// `auto` detects the input format (see ``init(detectingFrom:to:options:)``).
    public init(
        from source: String, to target: String, options: ConversionOptions = ConversionOptions(),
        registry: FormatRegistry = .standard
    ) throws(StreamCodecError) {
        guard let to = registry.format(named: target) else { throw StreamCodecError(.invalidOptions, "unknown format '\(target)'") }
        if source.lowercased() == "auto" {
            try self.init(detectingFrom: registry, to: to, options: options)
            return
        }
        guard let from = registry.format(named: source) else { throw StreamCodecError(.invalidOptions, "unknown format '\(source)'") }
        try self.init(from: from, to: to, options: options)
    }

    /// A converter that detects the input format from the first significant byte of each input
    /// (``FormatRegistry/detect(firstSignificantByte:)``), never waiting for more than that byte.
    ///
    /// Options that no readable format of `registry` could use with `target` (such as
    /// `retry` when the output is not SSE) throw ``StreamCodecError/Code/invalidOptions`` here;
    /// options that some formats can use and the detected one cannot throw when it is detected.
    public init(detectingFrom registry: FormatRegistry = .standard, to target: Format, options: ConversionOptions = ConversionOptions())
        throws(StreamCodecError)
    {
        guard let makeEncoder = target.makeEncoder else {
            throw StreamCodecError(.invalidOptions, "format '\(target.name)' cannot be written")
        }
        try ConversionPlan.validate(detectable: registry, to: target, options: options)
        self.init(
            makeDecoder: { IdleDecoder() }, transforms: [], encoder: makeEncoder(options.codec),
            maxRecordBytes: options.maxRecordBytes, onError: options.onError, streamEnd: StreamEnd(options),
            detector: FormatDetector(registry: registry, target: target, options: options))
    }

    /// A converter from `source` to `target`, with the mapping and policies of `options`.
    ///
    /// - Throws: ``StreamCodecError/Code/invalidOptions`` when an option does not apply to
    ///   this pair of formats (for example `eventFromKey` when the output is not SSE).
    public init(from source: Format, to target: Format, options: ConversionOptions = ConversionOptions()) throws(StreamCodecError) {
        guard let makeDecoder = source.makeDecoder else {
            throw StreamCodecError(.invalidOptions, "format '\(source.name)' cannot be read")
        }
        guard let makeEncoder = target.makeEncoder else {
            throw StreamCodecError(.invalidOptions, "format '\(target.name)' cannot be written")
        }
        try ConversionPlan.validate(source, options: options)
        let transforms = try ConversionPlan.transforms(from: source.family, to: target.family, options: options)
        let codec = options.codec
        self.init(
            makeDecoder: { makeDecoder(codec) }, transforms: transforms, encoder: makeEncoder(codec),
            maxRecordBytes: options.maxRecordBytes, onError: options.onError, streamEnd: StreamEnd(options), detector: nil)
        sourceFormat = source
        lane = Lane.choose(
            source: source.family, target: target.family, options: options, transforms: self.transforms,
            encoder: encoder.base, doneMarker: streamEnd.marker)
    }

    /// A converter from any decoder, through `transforms` in order, to any encoder.
    ///
    /// `makeDecoder` is called once per input (see ``startNextInput()``).
    public init(
        makeDecoder: @escaping () -> any StreamDecoder, transforms: [any RecordTransform], encoder: any StreamEncoder,
        maxRecordBytes: Int = DecodingDriver<AnyStreamDecoder>.defaultRecordLimit, onError: ConversionOptions.ErrorPolicy = .fail,
        doneMarker: String? = "[DONE]", requireDone: Bool = false
    ) {
        self.init(
            makeDecoder: makeDecoder, transforms: transforms, encoder: encoder, maxRecordBytes: maxRecordBytes,
            onError: onError, streamEnd: StreamEnd(marker: doneMarker.map { Array($0.utf8) }, required: requireDone), detector: nil)
    }

    private init(
        makeDecoder: @escaping () -> any StreamDecoder, transforms: [any RecordTransform], encoder: any StreamEncoder,
        maxRecordBytes: Int, onError: ConversionOptions.ErrorPolicy, streamEnd: StreamEnd, detector: FormatDetector?
    ) {
        self.detector = detector
        self.isDetecting = detector != nil
        self.makeDecoder = makeDecoder
        self._driver = DecodingDriver(decoder: AnyStreamDecoder(makeDecoder()), maxRecordBytes: maxRecordBytes)
        self._driver.skipsBadRecords = onError == .skip
        self.transforms = transforms
        self.encoder = AnyStreamEncoder(encoder)
        self.onError = onError
        self.streamEnd = streamEnd
        self.watchesEnds = streamEnd.watchesRecords
    }

    /// Converts one chunk of input, appending all output it completes.
    @inlinable
    public mutating func convert(_ chunk: some Collection<UInt8>, into output: inout [UInt8]) throws(StreamCodecError) {
        // Contiguous chunks (arrays, slices, buffers) take the non-generic path, whoever calls.
        let done: Result<Void, StreamCodecError>? = chunk.withContiguousStorageIfAvailable { buffer in
            do throws(StreamCodecError) { return .success(try convertContiguous(UnsafeRawBufferPointer(buffer), into: &output)) } catch {
                return .failure(error)
            }
        }
        if let done { try done.get() } else { try convertGeneric(chunk, into: &output) }
    }

    @inlinable @inline(__always)
    mutating func convertContiguous(_ chunk: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(StreamCodecError) {
        if isStopped { return }
        _driver.appendContiguous(chunk)
        if _driver.awaitsLineBreak { return } // nothing appended can complete a record (see DecodeTrigger)
        try drain(into: &output)
    }

    @usableFromInline
    mutating func convertGeneric(_ chunk: some Collection<UInt8>, into output: inout [UInt8]) throws(StreamCodecError) {
        if isStopped { return }
        _driver.append(chunk)
        try drain(into: &output)
    }

    /// Lets `fill` write up to `maximum` input bytes in place (for `read(2)`), without
    /// converting them yet: call ``drain(into:)`` next.
    public mutating func readInput<E: Error>(maximum: Int, _ fill: (UnsafeMutableRawBufferPointer) throws(E) -> Int) throws(E) -> Int {
        try _driver.appendInPlace(maximum: maximum, fill)
    }

    /// Converts every record the buffered input completes.
    public mutating func drain(into output: inout [UInt8]) throws(StreamCodecError) {
        do throws(StreamCodecError) {
            try drainUnadjusted(into: &output)
        } catch {
            throw counted(error, line: \.line)
        }
    }

    private mutating func drainUnadjusted(into output: inout [UInt8]) throws(StreamCodecError) {
        if isDetecting {
            try detect()
            if isDetecting && !_driver.isInputFinished { return }
        }
        if !started {
            started = true
            try encoder.start(into: &output)
            for i in transforms.indices {
                for record in try transforms[i].start() { try emit(record, after: i + 1, into: &output) }
            }
        }
        if !_driver.isInputFinished {
            if case .direct(let settings) = lane {
                // The same three-line loop for each slot, so that the SSE and NDJSON direct paths
                // each have one caller and are inlined into it. Measured with callgrind on 4 MiB
                // corpora: one loop for all slots, or a second caller of either path (a
                // DirectDecoding conformance), made the compiler call it instead: 3 to 5 % more
                // instructions per record.
                switch _driver.decoder.laneSlot {
                case .sse:
                    while !isStopped,
                        let result = try _driver.advance({ decoder, input throws(StreamCodecError) in
                            try decoder.withSSE { sse throws(StreamCodecError) in
                                try sse.decodeDirect(
                                    &input, into: &output, prefix: settings.framing.prefix, suffix: settings.framing.suffix,
                                    doneMarker: settings.doneMarker, maxDepth: settings.maxDepth)
                            }
                        })
                    { try take(result, into: &output) }
                case .ndjson:
                    while !isStopped,
                        let result = try _driver.advance({ decoder, input throws(StreamCodecError) in
                            try decoder.withNDJSON { ndjson throws(StreamCodecError) in
                                try ndjson.decodeDirect(
                                    &input, into: &output, prefix: settings.framing.prefix, suffix: settings.framing.suffix)
                            }
                        })
                    { try take(result, into: &output) }
                case .other:
                    while !isStopped,
                        let result = try _driver.advance({ decoder, input throws(StreamCodecError) in
                            try decoder.decodeDirect(&input, into: &output, lane: settings)
                        })
                    { try take(result, into: &output) }
                }
                return
            }
        }
        while !isStopped, let record = try _driver.next() {
            try emitDecoded(record, into: &output)
        }
    }

    /// Emits a record the decoder produced: watching for the end when end rules are set.
    @inline(__always)
    private mutating func emitDecoded(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) {
        if watchesEnds { try emitWatchingEnd(record, into: &output) } else { try emit(record, after: 0, into: &output) }
    }

    /// Emits a decoded record under end events or conditions: the record goes on as usual, then,
    /// when it is an end, the output ends. (Apart from ``emit(_:after:into:)`` and never inlined:
    /// a check there cost the general path a quarter of its speed, measured SSE to SSE.)
    @inline(never)
    private mutating func emitWatchingEnd(_ record: Record, into output: inout [UInt8]) throws(StreamCodecError) {
        let ends = streamEnd.isEnd(record)
        try emit(record, after: 0, into: &output)
        if ends {
            sawEndRecord = true
            isStopped = true
        }
    }

    /// Counts what the fast lane wrote, or emits the record it handed back.
    @inline(__always)
    private mutating func take(_ result: DirectResult, into output: inout [UInt8]) throws(StreamCodecError) {
        switch result {
        case .written:
            recordCount += 1
            decodedCount += 1
        case .record(let record):
            try emitDecoded(record, into: &output)
        }
    }

    /// Ends the current input, as ``DecodingDriver/finishInput()`` does for a driver: converts
    /// what its end completes (a final NDJSON line without its line feed, for example). The
    /// output goes on: then either ``startNextInput()`` for another input of the same output
    /// (the next file), or ``finish(into:)`` to end the output. With one input, call
    /// ``finish(into:)`` alone: it ends the input first.
    ///
    /// - Throws: ``StreamCodecError/Code/missingEnd`` when the done marker is required and this
    ///   input did not have it (each input is a stream of its own).
    public mutating func finishInput(into output: inout [UInt8]) throws(StreamCodecError) {
        try endInput(into: &output)
        try checkDoneMarker()
    }

    private mutating func endInput(into output: inout [UInt8]) throws(StreamCodecError) {
        if !_driver.isInputFinished && !isStopped {
            _driver.finishInput()
        }
        try drain(into: &output)
    }

    /// Under ``ConversionOptions/requireDone``, fails (once per input) when this input ended
    /// without any of its ends (StreamEnd): the marker for SSE input, an end event or condition.
    private mutating func checkDoneMarker() throws(StreamCodecError) {
        guard streamEnd.required && !doneChecked && !streamEnd.atClose else { return }
        // (A JSON input has no marker: only end conditions can end it.)
        guard sourceFormat?.family != .json || !streamEnd.conditions.isEmpty else { return }
        doneChecked = true
        if sawEnd { return }
        throw StreamCodecError(
            .missingEnd, "the input ended without \(streamEnd.expected(for: sourceFormat?.family)): the stream may have been cut off",
            line: _driver.decoder.currentLine.map { $0 + lineOffset })
    }

    /// Starts a new input (the next file): a fresh decoder, the same output stream. With
    /// auto-detection the new input's format is detected again; it must be of the same family
    /// (events or JSON) as the first.
    /// The done marker and the end it made (``isStopped``) are the previous input's: the new
    /// input is read whole, and under ``ConversionOptions/requireDone`` needs its own marker.
    public mutating func startNextInput() {
        warnings += _driver.takeWarnings()
        skippedByEarlierInputs += _driver.skippedCount
        ignoredByEarlierInputs += currentInputLineCounts?.ignored ?? 0
        isStopped = false
        sawDoneMarker = false
        sawEndRecord = false
        doneChecked = false
        rejected += _driver.takeRejectedRecords()
        let skips = _driver.skipsBadRecords
        if detector != nil {
            isDetecting = true
            lineOffset = 0
            detector!.startNextInput()
            _driver = DecodingDriver(decoder: AnyStreamDecoder(IdleDecoder()), maxRecordBytes: _driver.maxRecordBytes)
        } else {
            _driver = DecodingDriver(decoder: AnyStreamDecoder(makeDecoder()), maxRecordBytes: _driver.maxRecordBytes)
        }
        _driver.skipsBadRecords = skips
        _driver.keepsRejectedRecords = keepsRejectedRecords
    }

    /// Chooses the input format once its first significant byte has arrived.
    private mutating func detect() throws(StreamCodecError) {
        guard let target = detector?.target, let options = detector?.options else { return }
        switch try detector!.examine(&_driver) {
        case .waiting:
            return
        case .emptyInput:
            if sourceFormat == nil {
                // An empty input: nothing to decode; still frame the output.
                isDetecting = false
                transforms = ConversionPlan.framing(to: target.family, options: options)
            }
        case .detected(let format, let make, let linesBefore):
            if let previous = sourceFormat {
                guard previous.family == format.family else {
                    throw StreamCodecError(
                        .invalidOptions,
                        "this input looks like \(format.name), but the first input was \(previous.name); name the source format instead of detecting it"
                    )
                }
            } else {
                transforms = try ConversionPlan.transforms(from: format.family, to: target.family, options: options)
            }
            try ConversionPlan.validate(format, options: options)
            sourceFormat = format
            lineOffset = linesBefore
            let codec = options.codec
            makeDecoder = { make(codec) }
            _driver.replaceDecoder(AnyStreamDecoder(make(codec)))
            lane = Lane.choose(
                source: format.family, target: target.family, options: options, transforms: transforms,
                encoder: encoder.base, doneMarker: streamEnd.marker)
            isDetecting = false
        }
    }

    /// Ends the input and the output: ends the current input (``finishInput(into:)``), converts
    /// what that completes and writes the format's ending. Call it once at the end of a
    /// stream, or records that wait for the end of input (a final line without its line
    /// feed) are lost.
    ///
    /// - Throws: ``StreamCodecError/Code/missingEnd`` when the done marker is required and was
    ///   not seen (after the output was completed).
    public mutating func finish(into output: inout [UInt8]) throws(StreamCodecError) {
        if finished { return }
        try endInput(into: &output)
        finished = true
        for i in transforms.indices {
            for record in try transforms[i].finish() { try emit(record, after: i + 1, into: &output) }
        }
        try encoder.finish(into: &output)
        try checkDoneMarker()
    }

    /// The records skipped so far, in input order (taken: each is returned once), with
    /// ``keepsRejectedRecords``. Lines are counted from the start of each input.
    public mutating func takeRejectedRecords() -> [RejectedRecord] {
        defer { rejected.removeAll() }
        return (rejected + _driver.takeRejectedRecords()).map { counted($0, line: \.line) }
    }

    /// Warnings so far (taken: each is returned once): the decoder's, and one per skipped record.
    public mutating func takeWarnings() -> [StreamCodecWarning] {
        defer { warnings.removeAll() }
        return (warnings + _driver.takeWarnings()).map { counted($0, line: \.line) }
    }

    /// `item` with its line counted from the true start of the input: the decoder counts from
    /// its first line, after the blank lines auto-detection dropped (``lineOffset``).
    private func counted<T>(_ item: T, line: WritableKeyPath<T, Int?>) -> T {
        guard lineOffset > 0, let decoderLine = item[keyPath: line] else { return item }
        var moved = item
        moved[keyPath: line] = decoderLine + lineOffset
        return moved
    }

    /// Passes `record` through the transforms from index `first` on, then encodes it.
    private mutating func emit(_ record: consuming Record, after first: Int, into output: inout [UInt8]) throws(StreamCodecError) {
        if first == 0 { decodedCount += 1 }
        if record.kind == .event, let marker = streamEnd.marker, record.data == marker { sawDoneMarker = true }
        var current = record
        let original = keepsRejectedRecords ? current.data : [] // (only for --rejects: a reference, not a copy)
        var i = first
        // The stored decoder (the public getter copies it); made absolute where errors and
        // warnings leave drain().
        let line = _driver._decoder.currentLine
        do throws(StreamCodecError) {
            while i < transforms.count {
                switch try transforms[i].apply(&current, line: line) {
                case .pass: break
                case .skip: return
                case .drop(let reason):
                    skip(reason, line: line, data: original)
                    return
                case .stop:
                    isStopped = true
                    return
                }
                i += 1
            }
            try encoder.encode(current, into: &output)
        } catch {
            var located = error
            if located.line == nil { located.line = line }
            guard onError == .skip else { throw located }
            skip(located.message, line: located.line, data: original)
            return
        }
        recordCount += 1
    }

    private mutating func skip(_ reason: String, line: Int?, data: [UInt8]) {
        skippedHere += 1
        if keepsRejectedRecords {
            rejected += _driver.takeRejectedRecords() // input order
            rejected.append(RejectedRecord(raw: data, line: line, byteOffset: nil, reason: reason))
        }
        warnings += _driver.takeWarnings() // the decoder's warnings so far come first: input order
        warnings.append(StreamCodecWarning(message: "skipped: " + reason, line: line))
    }
}
