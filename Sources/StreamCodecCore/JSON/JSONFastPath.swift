// RFC 8259, the same grammar as JSONScanner, for a text that is complete in memory (an NDJSON
// line, the data of an SSE event): validates and minifies in one pass with the parser's state in
// the control flow rather than in a per-byte state variable, which is several times faster.
//
// It only answers "valid, and here is the minified text" or "not accepted". On "not accepted"
// the caller runs JSONScanner, which gives the exact error (or, should this fast path ever be
// stricter than the scanner, the correct result), so error messages live in one place. Nesting
// deeper than 64 containers is left to the scanner as well. A differential test and a fuzz
// target check that this path never accepts what the scanner rejects and that both produce the
// same bytes.
//
// Two implementations answer the same question: the vector kernel in C
// (Sources/StreamCodecSIMD/JSONMinify.c, 64 bytes at a time) where the CPU has one, and the
// scalar code below, which is the reference: `JSONKernelTests` and the json-minify fuzz target
// check that the two accept the same texts and write the same bytes.

import StreamCodecSIMD

enum JSONFastPath {
    /// Makes room in `out` for `count` more bytes. A text at least as large as the buffer gets
    /// exactly the room it needs, in one step: doubling up to a 1 MiB text would copy it several
    /// times, briefly holding the old and the new buffer, and leave up to twice the memory it
    /// needs (copying what `out` holds costs no more than the text, so this stays linear).
    /// Smaller texts grow the buffer by doubling.
    @inline(__always)
    static func reserve(_ out: inout [UInt8], adding count: Int) {
        let needed = out.count + count
        guard needed > out.capacity else { return }
        out.reserveCapacity(count >= out.capacity ? needed : Swift.max(needed, 2 * out.capacity))
    }

    /// Appends the minified text of `p[0..<n]` to `out` and returns true when it is exactly one
    /// JSON text nested at most `min(maxDepth, 64)` deep; returns false (with `out` possibly
    /// holding partial output, for the caller to truncate) otherwise.
    static func minify(_ p: UnsafePointer<UInt8>, count n: Int, maxDepth: Int, into out: inout [UInt8]) -> Bool {
        let kernel = JSONKernel.chosen
        if kernel != Int32(STREAMCODEC_KERNEL_NONE) {
            return JSONKernel.minify(p, count: n, maxDepth: maxDepth, into: &out, kernel: kernel)
        }
        return minifyScalar(p, count: n, maxDepth: maxDepth, into: &out)
    }

    /// `minify` in Swift, one byte at a time: the reference for the vector kernel, and the path
    /// on CPUs without one.
    static func minifyScalar(_ p: UnsafePointer<UInt8>, count n: Int, maxDepth: Int, into out: inout [UInt8]) -> Bool {
        // Valid JSON is valid UTF-8, and outside strings only ASCII can be valid. A text of some
        // size is checked whole first, sixteen bytes at a time, which leaves its string scan
        // nothing to check but quotes, escapes and controls; in a short one the fixed cost of
        // that check is more than checking each multi-byte sequence where the scan meets it
        // (measured: see Docs/Performance.md). Two copies of the parser, each with its scan inlined.
        if n >= 512 {
            guard UTF8Check.isValidScalar(p, count: n) else { return false } // the reference stays scalar throughout
            // A text of this size is copied whole first, then whitespace is squeezed out of the
            // copy: no call into the array for each run of bytes between spaces (measured: a
            // tenth off pretty-printed large texts; for short texts the fixed cost was more).
            let base = out.count
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
            var written = n
            let accepted = out.withUnsafeMutableBufferPointer { buf in
                var sink = SqueezingSink(dst: buf.baseAddress! + base)
                defer { written = sink.written }
                return minify(p, count: n, maxDepth: maxDepth, into: &sink, utf8Checked: true)
            }
            if written < n { out.removeLast(n - written) }
            return accepted
        }
        var sink = AppendingSink()
        swap(&sink.out, &out)
        defer { swap(&sink.out, &out) }
        return minify(p, count: n, maxDepth: maxDepth, into: &sink, utf8Checked: false)
    }

    /// Where the minifier writes the runs of bytes it keeps: `keep(p, start, end)` is called for
    /// each run, in order, and once more at the end.
    private protocol Sink {
        mutating func keep(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int)
    }

    /// Appends each run to an array.
    private struct AppendingSink: Sink {
        var out: [UInt8] = []
        @inline(__always)
        mutating func keep(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) {
            if end > start { out.append(contentsOf: UnsafeBufferPointer(start: p + start, count: end - start)) }
        }
    }

    /// Writes each run into `dst`, which holds a copy of the whole text: while no whitespace was
    /// dropped the copy is already in place; after that, runs move down.
    private struct SqueezingSink: Sink {
        let dst: UnsafeMutablePointer<UInt8>
        var written = 0
        @inline(__always)
        mutating func keep(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) {
            if written != start && end > start { (dst + written).update(from: p + start, count: end - start) }
            written += end - start
        }
    }

    @inline(__always)
    private static func minify<S: Sink>(_ p: UnsafePointer<UInt8>, count n: Int, maxDepth: Int, into sink: inout S, utf8Checked: Bool)
        -> Bool
    {
        let depthLimit = min(maxDepth, 64)
        var i = 0
        var runStart = 0
        var depth = 0
        var objects: UInt64 = 0 // bit d-1 set: the container at depth d is an object

        @inline(__always) func isWS(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
        @inline(__always) func skipWhitespace() {
            if i < n && isWS(p[i]) {
                sink.keep(p, from: runStart, to: i)
                i += 1
                while i < n && isWS(p[i]) { i += 1 }
                runStart = i
            }
        }

        skipWhitespace()
        value: while true {
            // A value starts at p[i].
            guard i < n else { return false }
            switch p[i] {
            case 0x7B, 0x5B: // { [
                let isObject = p[i] == 0x7B
                depth += 1
                if depth > depthLimit { return false }
                if isObject { objects |= 1 << UInt64(depth - 1) } else { objects &= ~(1 << UInt64(depth - 1)) }
                i += 1
                skipWhitespace()
                guard i < n else { return false }
                if p[i] == (isObject ? 0x7D : 0x5D) {
                    i += 1
                    depth -= 1
                } else {
                    if isObject {
                        guard p[i] == 0x22, let end = string(p, from: i, count: n, utf8Checked: utf8Checked) else { return false }
                        i = end
                        skipWhitespace()
                        guard i < n, p[i] == 0x3A else { return false }
                        i += 1
                        skipWhitespace()
                    }
                    continue value
                }
            case 0x22:
                guard let end = string(p, from: i, count: n, utf8Checked: utf8Checked) else { return false }
                i = end
            case 0x2D, 0x30...0x39:
                guard let end = number(p, from: i, count: n) else { return false }
                i = end
            case 0x74: // true
                guard i + 4 <= n, p[i + 1] == 0x72, p[i + 2] == 0x75, p[i + 3] == 0x65 else { return false }
                i += 4
            case 0x66: // false
                guard i + 5 <= n, p[i + 1] == 0x61, p[i + 2] == 0x6C, p[i + 3] == 0x73, p[i + 4] == 0x65 else { return false }
                i += 5
            case 0x6E: // null
                guard i + 4 <= n, p[i + 1] == 0x75, p[i + 2] == 0x6C, p[i + 3] == 0x6C else { return false }
                i += 4
            default:
                return false
            }
            // After a value: close containers, or a comma and the next value.
            while true {
                skipWhitespace()
                if depth == 0 { break value }
                guard i < n else { return false }
                let c = p[i]
                let inObject = objects & (1 << UInt64(depth - 1)) != 0
                if c == 0x2C {
                    i += 1
                    skipWhitespace()
                    if inObject {
                        guard i < n, p[i] == 0x22, let end = string(p, from: i, count: n, utf8Checked: utf8Checked) else { return false }
                        i = end
                        skipWhitespace()
                        guard i < n, p[i] == 0x3A else { return false }
                        i += 1
                        skipWhitespace()
                    }
                    continue value
                }
                guard c == (inObject ? 0x7D : 0x5D) else { return false }
                i += 1
                depth -= 1
            }
        }
        guard i == n else { return false }
        sink.keep(p, from: runStart, to: n)
        return true
    }

    /// The index after the string literal starting with the quote at `p[from]`, or nil. When
    /// `utf8Checked` (the caller checked the whole text), UTF-8 is not checked again here and
    /// plain characters are skipped sixteen bytes at a time; otherwise eight at a time, each
    /// multi-byte sequence checked where it is met.
    @inline(__always)
    static func string(_ p: UnsafePointer<UInt8>, from: Int, count n: Int, utf8Checked: Bool) -> Int? {
        var i = from + 1
        while true {
            if utf8Checked {
                i = firstStringSpecial(p, from: i, count: n)
            } else {
                // The lowest flagged byte is exactly the first special one (the mask's false
                // positives only ever sit above a true one).
                while i + 8 <= n {
                    let mask = JSONScanner.specialStringBytes(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                    if mask == 0 {
                        i += 8
                        continue
                    }
                    i += mask.trailingZeroBitCount >> 3
                    break
                }
            }
            guard i < n else { return nil }
            let c = p[i]
            if c == 0x22 { return i + 1 }
            if c == 0x5C {
                guard i + 1 < n else { return nil }
                switch p[i + 1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 2
                case 0x75:
                    guard i + 6 <= n, isHex(p[i + 2]), isHex(p[i + 3]), isHex(p[i + 4]), isHex(p[i + 5]) else { return nil }
                    i += 6
                default: return nil
                }
            } else if c < 0x20 {
                return nil
            } else if c >= 0x80 {
                guard let length = JSONScanner.wellFormedSequenceLength(p, i, n) else { return nil }
                i += length
            } else {
                i += 1
            }
        }
    }

    /// The index of the first quote, backslash or control byte in `p[from..<n]`, or `n`: one
    /// byte at a time for the first eight (most strings in JSON are short), then sixteen at a time.
    @inline(__always)
    static func firstStringSpecial(_ p: UnsafePointer<UInt8>, from: Int, count n: Int) -> Int {
        var i = from
        let stop = min(n, from &+ 8)
        while i < stop {
            if isStringSpecial(p[i]) { return i }
            i &+= 1
        }
        while i &+ 16 <= n {
            let v = ByteVectors.load16(p + i)
            let m = (v .== Bytes16(repeating: 0x22)) .| (v .== Bytes16(repeating: 0x5C)) .| (v .< Bytes16(repeating: 0x20))
            if ByteVectors.any(m) { return i &+ ByteVectors.firstLane(m) }
            i &+= 16
        }
        while i < n {
            if isStringSpecial(p[i]) { return i }
            i &+= 1
        }
        return n
    }

    /// The index after the number starting at `p[from]` (RFC 8259 section 6), or nil.
    @inline(__always)
    static func number(_ p: UnsafePointer<UInt8>, from: Int, count n: Int) -> Int? {
        var i = from
        if p[i] == 0x2D { i += 1 }
        guard i < n else { return nil }
        if p[i] == 0x30 {
            i += 1
            if i < n && isDigit(p[i]) { return nil } // leading zero
        } else if isDigit(p[i]) {
            i += 1
            while i < n && isDigit(p[i]) { i += 1 }
        } else {
            return nil
        }
        if i < n && p[i] == 0x2E {
            i += 1
            guard i < n, isDigit(p[i]) else { return nil }
            while i < n && isDigit(p[i]) { i += 1 }
        }
        if i < n && (p[i] | 0x20) == 0x65 {
            i += 1
            if i < n && (p[i] == 0x2B || p[i] == 0x2D) { i += 1 }
            guard i < n, isDigit(p[i]) else { return nil }
            while i < n && isDigit(p[i]) { i += 1 }
        }
        return i
    }

    @inline(__always) static func isStringSpecial(_ c: UInt8) -> Bool { c < 0x20 || c == 0x22 || c == 0x5C }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    @inline(__always) static func isHex(_ c: UInt8) -> Bool { c &- 0x30 < 10 || (c | 0x20) &- 0x61 < 6 }
}
