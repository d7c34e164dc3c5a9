// One-shot helpers for input that is already whole in memory: convert a buffer, or list its
// records, in one call. Each feeds the buffer, then marks the end of input, so a final record
// without its terminator (an NDJSON line without its line feed) is not lost.

extension Converter {
    /// Converts a whole buffer from one format to another (names, aliases or MIME types;
    /// `from: "auto"` detects the input format) and returns the complete output.
    ///
    /// ```swift
    /// let ndjson = try Converter.convert(Array("data: {\"a\": 1}\n\n".utf8), from: "sse", to: "ndjson")
    /// ```
    ///
    /// - Throws: ``StreamCodecError`` as ``convert(_:into:)`` and ``finish(into:)`` do. The
    ///   output of the records before a bad one is not returned then: to keep it, use a
    ///   converter instance, whose `output` holds it.
    public static func convert(
        _ input: some Collection<UInt8>, from source: String, to target: String,
        options: ConversionOptions = ConversionOptions(),
        registry: FormatRegistry = .standard
    ) throws(StreamCodecError) -> [UInt8] {
        var converter = try Converter(from: source, to: target, options: options, registry: registry)
        var output: [UInt8] = []
        try converter.convert(input, into: &output)
        try converter.finish(into: &output)
        return output
    }
}

extension StreamDecoder {
    /// Every record of a whole buffer, decoded with this decoder (the input ends with the
    /// buffer).
    ///
    /// ```swift
    /// let records = try SSEDecoder().records(in: Array("data: hi\n\n".utf8))   // one event, "hi"
    /// ```
    ///
    /// - Parameter maxRecordBytes: the largest record, in bytes of input (default 16 MiB).
    public func records(in input: some Collection<UInt8>, maxRecordBytes: Int = DecodingDriver<AnyStreamDecoder>.defaultRecordLimit)
        throws(StreamCodecError) -> [Record]
    {
        var driver = DecodingDriver(decoder: self, maxRecordBytes: maxRecordBytes)
        driver.append(input)
        driver.finishInput()
        var records: [Record] = []
        while let record = try driver.next() { records.append(record) }
        return records
    }
}

extension FormatRegistry {
    /// Every record of a whole buffer in the format named `format` (a name, alias or MIME type).
    ///
    /// ```swift
    /// let records = try FormatRegistry.standard.records(in: Array("{\"a\":1}\n{\"a\":2}".utf8), format: "ndjson")
    /// ```
    ///
    /// - Throws: ``StreamCodecError/Code/invalidOptions`` when no format of this registry reads
    ///   `format`; otherwise what decoding throws.
    public func records(
        in input: some Collection<UInt8>, format: String, options: CodecOptions = CodecOptions(),
        maxRecordBytes: Int = DecodingDriver<AnyStreamDecoder>.defaultRecordLimit
    ) throws(StreamCodecError) -> [Record] {
        guard let found = self.format(named: format), let make = found.makeDecoder else {
            throw StreamCodecError(.invalidOptions, "no decoder for format '\(format)'")
        }
        return try AnyStreamDecoder(make(options)).records(in: input, maxRecordBytes: maxRecordBytes)
    }
}
