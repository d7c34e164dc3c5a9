// RFC 8259 section 2: a JSON text is ws value ws. Helpers for a JSON text that is complete
// in memory (an NDJSON line, the data of an SSE event).

/// Validation and minification of complete JSON texts.
public enum JSONText {
    /// Validates `bytes` as exactly one JSON text (surrounding whitespace allowed) and appends
    /// it minified to `output`. On error `output` may hold a partial text.
    ///
    /// - Throws: ``StreamCodecError`` (``StreamCodecError/Code/invalidJSON`` or
    ///   ``StreamCodecError/Code/nestingTooDeep``) whose `byteOffset` is the index in `bytes`.
    /// - Complexity: O(n), no recursion.
    public static func minify(_ bytes: some Collection<UInt8>, into output: inout [UInt8], maxDepth: Int = JSONLimits.defaultMaxDepth)
        throws(StreamCodecError)
    {
        let result: Result<Void, JSONScanError>? = bytes.withContiguousStorageIfAvailable { buf in
            Result { () throws(JSONScanError) in try minify(buf, into: &output, maxDepth: maxDepth) }
        }
        do throws(JSONScanError) {
            if let result {
                try result.get()
            } else {
                try Array(bytes).withUnsafeBufferPointer { buf throws(JSONScanError) in try minify(buf, into: &output, maxDepth: maxDepth) }
            }
        } catch {
            throw JSONTextReader.error(error, line: nil, byteOffset: error.index, context: .value)
        }
    }

    /// Returns `bytes` minified, or throws as ``minify(_:into:maxDepth:)`` does.
    public static func minified(_ bytes: some Collection<UInt8>, maxDepth: Int = JSONLimits.defaultMaxDepth) throws(StreamCodecError)
        -> [UInt8]
    {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        try minify(bytes, into: &out, maxDepth: maxDepth)
        return out
    }

    /// True when `bytes` is exactly one valid JSON text.
    public static func isValid(_ bytes: some Collection<UInt8>, maxDepth: Int = JSONLimits.defaultMaxDepth) -> Bool {
        (try? minified(bytes, maxDepth: maxDepth)) != nil
    }

    static func minify(_ buf: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], maxDepth: Int) throws(JSONScanError) {
        guard let base = buf.baseAddress, buf.count > 0 else {
            throw JSONScanError(kind: .invalid, reason: "expected a JSON text, found nothing", index: 0)
        }
        // The fast path answers almost every valid text; anything it does not accept is decided
        // (and explained) by the scanner.
        let mark = output.count
        if JSONFastPath.minify(base, count: buf.count, maxDepth: maxDepth, into: &output) { return }
        output.removeSubrange(mark...)
        var scanner = JSONScanner(maxDepth: maxDepth)
        let n = buf.count
        switch try scanner.scan(base, from: 0, to: n, into: &output) {
        case .complete(let end):
            var i = end
            while i < n, base[i] == 0x20 || base[i] == 0x0A || base[i] == 0x0D || base[i] == 0x09 { i += 1 }
            if i < n {
                throw JSONScanError(kind: .invalid, reason: "unexpected \(JSONScanner.describe(base[i])) after the JSON text", index: i)
            }
        case .needMore:
            if !(try scanner.finish(at: n)) {
                throw JSONScanError(kind: .invalid, reason: "expected a JSON text, found only whitespace", index: n)
            }
        }
    }
}
