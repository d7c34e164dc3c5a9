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

    /// The index of the first CR or LF in `p[from..<end]`, or nil. Sixteen bytes at a time, then
    /// eight (a quarter of the instructions of eight at a time on SSE data of a few hundred bytes).
    @inline(__always)
    static func firstLineBreak(in p: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int? {
        var i = from
        while i &+ 16 <= end {
            let v = ByteVectors.load16(p + i)
            let m = (v .== Bytes16(repeating: 0x0A)) .| (v .== Bytes16(repeating: 0x0D))
            if ByteVectors.any(m) { return i &+ ByteVectors.firstLane(m) }
            i &+= 16
        }
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
    private var from = 0 // the knowledge below is about positions at or after this one
    private var found = -1 // the first occurrence at or after `from`, or -1: none before `searchedTo`
    private var searchedTo = 0

    init(_ byte: UInt8) { self.byte = byte }

    /// The index of the first `byte` in `p[start..<end]`, where `p[0]` is at absolute position
    /// `base` of the stream, or nil.
    @inline(__always)
    mutating func first(in p: UnsafePointer<UInt8>, from start: Int, to end: Int, base: Int) -> Int? {
        let a = base + start
        let b = base + end
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
