// Auto-detection of an input's format (`-f auto`, ``Converter/init(detectingFrom:to:options:)``):
// the state between reads as a value, so that the scan of leading blank lines resumes where it
// stopped (linear time however the blanks arrive) and the converter keeps only the outcome.

/// Chooses an input's format from its first significant byte
/// (``FormatRegistry/detect(firstSignificantByte:)``), never waiting for more than that byte
/// (but for a 0 byte at the start: the first ``FormatRegistry/streamStartBytes`` bytes,
/// ``FormatRegistry/detect(streamStart:)``).
struct FormatDetector {
    let registry: FormatRegistry
    let target: Format
    let options: ConversionOptions
    /// Auto-detection drops blank lines before the first significant byte (so keep-alive line
    /// ends before the first record cost no memory); they are counted here, as SSE counts
    /// lines (CR, LF, CRLF) and as the JSON formats do (LF), and added to reported lines.
    private var droppedLines: (sse: Int, json: Int) = (0, 0)
    /// Blank bytes at the start of the buffer already scanned (none of them a line feed), and
    /// the SSE line ends among them.
    private var blankScan: BlankScan = (0, 0, false, false)

    init(registry: FormatRegistry, target: Format, options: ConversionOptions) {
        self.registry = registry
        self.target = target
        self.options = options
    }

    /// What ``examine(_:)`` found.
    enum Outcome {
        /// No significant byte yet: call again when more input has arrived.
        case waiting
        /// The input ended with nothing but blanks.
        case emptyInput
        /// The input's format, how to make its decoder, and the lines dropped before it (as
        /// that format counts lines).
        case detected(Format, make: @Sendable (CodecOptions) -> any StreamDecoder, linesBefore: Int)
    }

    /// Forgets the previous input's scan (its dropped lines stay counted until a format is
    /// detected, as before).
    mutating func startNextInput() {
        blankScan = (0, 0, false, false)
    }

    /// Drops the whitespace-only lines at the start of `driver`'s buffer and, once the first
    /// significant byte has arrived, chooses the format.
    mutating func examine(_ driver: inout DecodingDriver<AnyStreamDecoder>) throws(StreamCodecError) -> Outcome {
        let resume = blankScan
        let scan = driver.withBufferedBytes { Self.scanLeadingBlank($0, resumingAt: resume) }
        // A leading BOM stays where it is (the decoder must still see the stream start it
        // marks, so that a second one is not taken for it): the blank lines after it go.
        let kept = scan.drop.count > 0 && scan.hasBOM ? BOM.bytes.count : 0
        if scan.drop.count > 0 {
            driver.discardBuffered(scan.drop.count - kept, thenPrefix: scan.hasBOM ? BOM.bytes : [])
            droppedLines.sse += scan.drop.sseLines
            droppedLines.json += scan.drop.lfs
        }
        // What is left is blank without a line feed (or empty): remembered, never scanned again.
        blankScan = (scan.scanned - scan.drop.count + kept, scan.sseLines - scan.drop.sseLines, scan.bomChecked, scan.hasBOM)
        // Input that ends inside what could have been a BOM: its first byte decides.
        let endsInBOM = !scan.bomChecked && driver.isInputFinished && driver.bufferedByteCount > 0
        guard let byte = scan.significant ?? (endsInBOM ? 0xEF : nil) else {
            if driver.bufferedByteCount > driver.maxRecordBytes {
                throw DecoderInput.tooLarge(limit: driver.maxRecordBytes, line: nil, offset: driver.streamOffset)
            }
            return driver.isInputFinished ? .emptyInput : .waiting
        }
        // A 0 byte at the very start: the first bytes may decide (an AWS event stream's prelude).
        var fromStart: Format?
        if byte == 0 && scan.scanned == 0 {
            if driver.bufferedByteCount < FormatRegistry.streamStartBytes && !driver.isInputFinished { return .waiting }
            fromStart = driver.withBufferedBytes { registry.detect(streamStart: $0) }
        }
        guard let format = fromStart ?? registry.detect(firstSignificantByte: byte), let make = format.makeDecoder else {
            throw StreamCodecError(.invalidOptions, "cannot detect the input format; name the source format instead of detecting it")
        }
        let linesBefore = format.family == .eventStream ? droppedLines.sse : droppedLines.json
        droppedLines = (0, 0)
        return .detected(format, make: make, linesBefore: linesBefore)
    }

    /// Scans the whitespace at the start of `bytes` (after one leading BOM) for auto-detection,
    /// from `resume` on: the bytes before `resume.scanned` were scanned by an earlier call (they
    /// are blank, without a line feed, and hold `resume.sseLines` SSE line ends), so a long run of
    /// blanks arriving in many reads is scanned once in all (linear time).
    ///
    /// Returns the first significant byte (nil when none has arrived yet, or while `bytes` is a
    /// proper prefix of the BOM), how far the scan got and the SSE line ends (CR, LF, CRLF) in
    /// that part, and the whitespace-only lines that can be dropped, which no format gives a
    /// meaning: their bytes (up to and including the last LF) and how many lines they are as
    /// SSE counts lines and as the JSON formats do (LF).
    static func scanLeadingBlank(_ bytes: UnsafeRawBufferPointer, resumingAt resume: BlankScan)
        -> (significant: UInt8?, scanned: Int, sseLines: Int, bomChecked: Bool, hasBOM: Bool, drop: (count: Int, sseLines: Int, lfs: Int))
    {
        var i = resume.scanned
        var lines = resume.sseLines
        var lfs = 0
        var hasBOM = resume.hasBOM
        var drop = (count: 0, sseLines: 0, lfs: 0)
        if !resume.bomChecked {
            guard let skip = BOM.skipLength(bytes) else {
                return (nil, 0, 0, false, false, drop) // nothing yet, or maybe a BOM: wait for more
            }
            if skip > 0 {
                i = skip
                hasBOM = true
            }
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x0A {
                lfs += 1
                if !(i > 0 && bytes[i - 1] == 0x0D) { lines += 1 } // CRLF counts once
                drop = (i + 1, lines, lfs)
            } else if c == 0x0D {
                lines += 1
            } else if !(c == 0x20 || c == 0x09) {
                return (c, i, lines, true, hasBOM, drop)
            }
            i += 1
        }
        return (nil, i, lines, true, hasBOM, drop)
    }

    /// Where the scan of leading blanks stopped (see ``scanLeadingBlank(_:resumingAt:)``).
    typealias BlankScan = (scanned: Int, sseLines: Int, bomChecked: Bool, hasBOM: Bool)
}
