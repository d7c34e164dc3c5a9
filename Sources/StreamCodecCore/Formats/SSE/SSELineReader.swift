// WHATWG HTML Living Standard, "Server-sent events", 9.2.5 "Parsing an event stream"
// (https://html.spec.whatwg.org/multipage/server-sent-events.html): the stream is a sequence
// of lines, each ended by CRLF, LF or CR; one leading U+FEFF is ignored.
//
// The line reader knows nothing of fields: it finds where the next line ends, however the
// input was split into reads. A CR at the end of one read and an LF at the start of the next
// are one line end; a line ended by CR is complete at once (the LF is not waited for).

/// Splits an event stream into lines: the BOM gate, CR / LF / CRLF across reads, line numbers.
struct SSELineReader: Sendable {
    /// The stream's first bytes were looked at for a BOM.
    private var bom = LeadingBOM()
    /// The last line ended with CR: an LF that follows belongs to it.
    private var skipLF = false
    // Where LF and CR were found or ruled out, as stream positions: a partial line is never
    // searched twice, however many reads it takes to arrive.
    private var lfSearch = ForwardByteSearch(ASCII.lf)
    private var crSearch = ForwardByteSearch(ASCII.cr)
    /// The 1-based number of the next line to read.
    private(set) var lineNumber = 1

    /// At the start of a line with nothing pending: the BOM decided and no CR waiting for its LF
    /// (what a shortcut that reads whole lines itself needs).
    var isAtLineStart: Bool { bom.isChecked && !skipLF }
    /// The start of the stream was looked at for a BOM.
    var isBOMDecided: Bool { bom.isChecked }

    /// The next complete line at the start of `input`'s readable bytes (a BOM and the LF of a
    /// CRLF split across reads consumed first): its length without the line end, and the byte
    /// that ends it (CR or LF). Nothing of the line is consumed: call ``finishLine(_:_:)``. Nil
    /// when the line's end has not arrived (or the input is used up).
    @inline(__always)
    mutating func nextLine(_ input: inout DecoderInput) -> (length: Int, terminator: UInt8)? {
        while true {
            if input.readableCount == 0 { return nil }
            guard let skipped = bom.skip(&input) else { return nil }
            if skipped { continue }
            if skipLF {
                skipLF = false
                if input.withReadableBytes({ $0[0] }) == ASCII.lf {
                    input.consume(1)
                    continue
                }
            }
            let base = input.streamOffset
            return input.withReadableBytes { buf in
                let p = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
                guard let i = firstLineBreak(p, from: 0, to: buf.count, base: base) else { return nil }
                return (i, p[i])
            }
        }
    }

    /// Consumes the line ``nextLine(_:)`` returned, with its line end.
    @inline(__always)
    mutating func finishLine(_ input: inout DecoderInput, _ line: (length: Int, terminator: UInt8)) {
        input.consume(line.length + 1)
        lineNumber += 1
        skipLF = line.terminator == ASCII.cr
    }

    /// Counts `count` lines (LF-ended, so no CR is pending) that a shortcut read and consumed itself.
    @inline(__always)
    mutating func skipLines(_ count: Int) {
        lineNumber += count
    }

    /// The index of the first CR or LF in `p[from..<end]` (`p[0]` at stream position `base`):
    /// libc's memchr for each, and what a search learnt is kept, so each byte is searched about
    /// once whichever line end the stream uses. (`mutating` for that memory.)
    @inline(__always)
    mutating func firstLineBreak(_ p: UnsafePointer<UInt8>, from: Int, to end: Int, base: Int) -> Int? {
        let lf = lfSearch.first(in: p, from: from, to: end, base: base)
        return crSearch.first(in: p, from: from, to: lf ?? end, base: base) ?? lf
    }
}
