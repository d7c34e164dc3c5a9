// Fast byte searches shared by the line-based decoders (libc memchr and word-at-a-time).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum ByteSearch {
    /// The index of the first `byte` in `p[from..<end]`, or nil.
    @inline(__always)
    static func first(_ byte: UInt8, in p: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int? {
        if end - from < 16 {
            // A few bytes (input arriving in tiny reads): cheaper than the call.
            var i = from
            while i < end {
                if p[i] == byte { return i }
                i += 1
            }
            return nil
        }
        guard let hit = memchr(p + from, Int32(byte), end - from) else { return nil }
        return p.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The index of the first CR or LF in `p[from..<end]`, or nil. Eight bytes at a time.
    @inline(__always)
    static func firstLineBreak(in p: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int? {
        var i = from
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= end {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            let lf = w ^ (ones &* 0x0A)
            let cr = w ^ (ones &* 0x0D)
            // A byte of `x` is zero exactly when the matching byte of this mask has its high bit set.
            let hit = ((lf &- ones) & ~lf | (cr &- ones) & ~cr) & highs
            if hit != 0 { break }
            i += 8
        }
        while i < end {
            let c = p[i]
            if c == 0x0A || c == 0x0D { return i }
            i += 1
        }
        return nil
    }

    /// True when every byte of `p[from..<end]` is JSON whitespace (space, tab, CR, LF).
    @inline(__always)
    static func isAllJSONWhitespace(_ p: UnsafePointer<UInt8>, from: Int, to end: Int) -> Bool {
        var i = from
        while i < end {
            let c = p[i]
            if !(c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09) { return false }
            i += 1
        }
        return true
    }
}

/// The first occurrence of one byte in a stream that only grows, for queries whose start
/// seldom moves back: what a query learnt is kept (as absolute stream positions, so consuming and
/// compacting the buffer do not invalidate it), and each byte is searched about once. Used to
/// find CR in LF-ended streams: a CR that never comes costs one memchr per read, not per line.
struct ForwardByteSearch: Sendable {
    let byte: UInt8
    private var from = 0       // the knowledge below is about positions at or after this one
    private var found = -1     // the first occurrence at or after `from`, or -1: none before `searchedTo`
    private var searchedTo = 0

    init(_ byte: UInt8) { self.byte = byte }

    /// The index of the first `byte` in `p[start..<end]`, where `p[0]` is at absolute position
    /// `base` of the stream, or nil.
    @inline(__always)
    mutating func first(in p: UnsafePointer<UInt8>, from start: Int, to end: Int, base: Int) -> Int? {
        let a = base + start, b = base + end
        var searchFrom = a
        if a >= from {
            if found >= a { return found < b ? found - base : nil }
            if found == -1 {
                if searchedTo >= b { return nil }
                searchFrom = max(a, searchedTo)
            }
        }
        from = a
        if let hit = ByteSearch.first(byte, in: p, from: searchFrom - base, to: end) {
            found = base + hit
            return hit
        }
        found = -1
        searchedTo = b
        return nil
    }
}

enum UTF8Check {
    /// True when `p[from..<end]` is well-formed UTF-8 (Unicode Table 3-7): one byte at a time
    /// (ASCII runs eight at a time). The reference for the vector version,
    /// ``isValid(_:count:)``, which the tests compare it with.
    static func isValidScalar(_ p: UnsafePointer<UInt8>, from: Int, to end: Int) -> Bool {
        var i = from
        while i < end {
            while i + 8 <= end && UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            if i == end { break }
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            var need = 0
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; high = 0x9F
            case 0xF0: need = 3; low = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; high = 0x8F
            default: return false
            }
            if i + need >= end { return false }
            let c1 = p[i + 1]
            if c1 < low || c1 > high { return false }
            var k = 2
            while k <= need {
                if p[i + k] < 0x80 || p[i + k] > 0xBF { return false }
                k += 1
            }
            i += need + 1
        }
        return true
    }

    /// True when `bytes` is well-formed UTF-8.
    static func isValidText(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return true }
            return isValid(base, count: buf.count)
        }
    }

    /// `p[from..<end]` as UTF-8, each ill-formed sequence replaced by U+FFFD (the WHATWG
    /// "UTF-8 decode" replacement, which is the Unicode "maximal subpart" practice).
    static func repaired(_ p: UnsafePointer<UInt8>, from: Int, to end: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p + from, count: end - from), as: UTF8.self)
    }
}
