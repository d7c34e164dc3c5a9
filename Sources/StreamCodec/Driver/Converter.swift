// One conversion: decoder -> transforms -> encoder, bytes in, bytes out.

/// Settings of a ``Converter``.
public struct ConversionOptions: Sendable {
    /// The largest record, in bytes of input.
    public var maxRecordBytes: Int = 16 << 20
    /// Settings passed to the codecs.
    public var codec = CodecOptions()
    /// The SSE data that ends the output when converting to JSON (nil: no such marker).
    public var doneMarker: String? = "[DONE]"
    public init() {}
}

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
    /// The driver, for positions and decoder state.
    public private(set) var driver: DecodingDriver<AnyStreamDecoder>
    private var transforms: [any RecordTransform]
    private var encoder: AnyStreamEncoder
    private let makeDecoder: () -> any StreamDecoder
    private var started = false
    private var finished = false
    /// True once a transform ended the output (for example at `data: [DONE]`): further
    /// input is ignored.
    public private(set) var isStopped = false
    /// Records written so far.
    public private(set) var recordCount = 0

    /// A converter between two formats of `registry` (names, aliases or MIME types).
    public init(from source: String, to target: String, options: ConversionOptions = ConversionOptions(),
                registry: FormatRegistry = .standard) throws(StreamCodecError) {
        guard let from = registry.format(named: source) else { throw StreamCodecError(.invalidInput, "unknown format '\(source)'") }
        guard let to = registry.format(named: target) else { throw StreamCodecError(.invalidInput, "unknown format '\(target)'") }
        try self.init(from: from, to: to, options: options)
    }

    /// A converter from `source` to `target` with the default (data mode) mapping.
    public init(from source: Format, to target: Format, options: ConversionOptions = ConversionOptions()) throws(StreamCodecError) {
        guard let makeDecoder = source.makeDecoder else { throw StreamCodecError(.invalidInput, "format '\(source.name)' cannot be read") }
        guard let makeEncoder = target.makeEncoder else { throw StreamCodecError(.invalidInput, "format '\(target.name)' cannot be written") }
        let transform = DataModeTransform(target: target.family, doneMarker: options.doneMarker, maxDepth: options.codec.maxDepth)
        let codec = options.codec
        self.init(makeDecoder: { makeDecoder(codec) }, transforms: [transform], encoder: makeEncoder(codec),
                  maxRecordBytes: options.maxRecordBytes)
    }

    /// A converter from any decoder, through `transforms` in order, to any encoder.
    ///
    /// `makeDecoder` is called once per input (see ``startNextInput()``).
    public init(makeDecoder: @escaping () -> any StreamDecoder, transforms: [any RecordTransform], encoder: any StreamEncoder,
                maxRecordBytes: Int = 16 << 20) {
        self.makeDecoder = makeDecoder
        self.driver = DecodingDriver(decoder: AnyStreamDecoder(makeDecoder()), maxRecordBytes: maxRecordBytes)
        self.transforms = transforms
        self.encoder = AnyStreamEncoder(encoder)
    }

    /// Converts one chunk of input, appending all output it completes.
    public mutating func convert(_ chunk: some Collection<UInt8>, into output: inout [UInt8]) throws(StreamCodecError) {
        if isStopped { return }
        driver.append(chunk)
        try drain(into: &output)
    }

    /// Lets `fill` write up to `maximum` input bytes in place (for `read(2)`), without
    /// converting them yet: call ``drain(into:)`` next.
    public mutating func readInput<E: Error>(maximum: Int, _ fill: (UnsafeMutableRawBufferPointer) throws(E) -> Int) throws(E) -> Int {
        try driver.appendInPlace(maximum: maximum, fill)
    }

    /// Converts every record the buffered input completes.
    public mutating func drain(into output: inout [UInt8]) throws(StreamCodecError) {
        if !started {
            started = true
            try encoder.start(into: &output)
            for i in transforms.indices {
                for record in try transforms[i].start() { try emit(record, after: i + 1, into: &output) }
            }
        }
        while !isStopped, let record = try driver.next() {
            try emit(record, after: 0, into: &output)
        }
    }

    /// Ends the current input: converts what its end completes. The output goes on (see
    /// ``startNextInput()`` and ``finish(into:)``).
    public mutating func finishInput(into output: inout [UInt8]) throws(StreamCodecError) {
        if !driver.isInputFinished && !isStopped {
            driver.finishInput()
        }
        try drain(into: &output)
    }

    /// Starts a new input (the next file): a fresh decoder, the same output stream.
    public mutating func startNextInput() {
        driver = DecodingDriver(decoder: AnyStreamDecoder(makeDecoder()), maxRecordBytes: driver.maxRecordBytes)
    }

    /// Ends the input and the output: converts what end of input completes and writes the
    /// format's ending.
    public mutating func finish(into output: inout [UInt8]) throws(StreamCodecError) {
        if finished { return }
        try finishInput(into: &output)
        finished = true
        for i in transforms.indices {
            for record in try transforms[i].finish() { try emit(record, after: i + 1, into: &output) }
        }
        try encoder.finish(into: &output)
    }

    /// Warnings the decoder reported so far (taken: each is returned once).
    public mutating func takeWarnings() -> [StreamCodecWarning] { driver.takeWarnings() }

    /// Passes `record` through the transforms from index `first` on, then encodes it.
    private mutating func emit(_ record: Record, after first: Int, into output: inout [UInt8]) throws(StreamCodecError) {
        var current = record
        var i = first
        while i < transforms.count {
            switch try transforms[i].apply(current, line: driver.decoder.currentLine) {
            case .emit(let next): current = next
            case .skip: return
            case .stop: isStopped = true; return
            }
            i += 1
        }
        do throws(StreamCodecError) {
            try encoder.encode(current, into: &output)
        } catch {
            var located = error
            if located.line == nil { located.line = driver.decoder.currentLine }
            throw located
        }
        recordCount += 1
    }
}
