// RFC 4648 section 4, "Base 64 Encoding" (the standard alphabet, with `=` padding), written
// here because the library imports no Foundation.
//
// Deliberate choices: decoding is strict: no whitespace, no URL-safe alphabet, padding
// required to a multiple of four characters, and the unused bits of the last character must be
// zero (section 3.5), so that every accepted text is the one encoding of its bytes.

/// Base64 (RFC 4648, standard alphabet, padded).
///
/// ```swift
/// Base64.encode(Array("hi".utf8))          // "aGk="
/// Base64.decode(Array("aGk=".utf8))        // [0x68, 0x69]
/// ```
public enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let values: [UInt8] = {
        var v = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { v[Int(c)] = UInt8(i) }
        return v
    }()

    /// Appends the Base64 text of `bytes` to `out`.
    public static func encode(_ bytes: some Collection<UInt8>, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + (bytes.count + 2) / 3 * 4)
        var i = bytes.startIndex
        var remaining = bytes.count
        while remaining >= 3 {
            let a = bytes[i]
            i = bytes.index(after: i)
            let b = bytes[i]
            i = bytes.index(after: i)
            let c = bytes[i]
            i = bytes.index(after: i)
            out.append(alphabet[Int(a >> 2)])
            out.append(alphabet[Int((a & 0x03) << 4 | b >> 4)])
            out.append(alphabet[Int((b & 0x0F) << 2 | c >> 6)])
            out.append(alphabet[Int(c & 0x3F)])
            remaining -= 3
        }
        if remaining == 1 {
            let a = bytes[i]
            out.append(alphabet[Int(a >> 2)])
            out.append(alphabet[Int((a & 0x03) << 4)])
            out.append(0x3D)
            out.append(0x3D)
        } else if remaining == 2 {
            let a = bytes[i]
            i = bytes.index(after: i)
            let b = bytes[i]
            out.append(alphabet[Int(a >> 2)])
            out.append(alphabet[Int((a & 0x03) << 4 | b >> 4)])
            out.append(alphabet[Int((b & 0x0F) << 2)])
            out.append(0x3D)
        }
    }

    /// The Base64 text of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        encode(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes `text` encodes, or nil when it is not canonical padded Base64 (the index of the
    /// first bad character is then in ``firstError(_:)``).
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        let t = Array(text)
        guard firstError(t) == nil else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(t.count / 4 * 3)
        var i = 0
        while i < t.count {
            let a = values[Int(t[i])]
            let b = values[Int(t[i + 1])]
            out.append(a << 2 | b >> 4)
            if t[i + 2] != 0x3D {
                let c = values[Int(t[i + 2])]
                out.append(b << 4 | c >> 2)
                if t[i + 3] != 0x3D { out.append(c << 6 | values[Int(t[i + 3])]) }
            }
            i += 4
        }
        return out
    }

    /// The index of the first character that makes `text` not canonical padded Base64 (its
    /// length when the text is cut short), or nil when it is.
    public static func firstError(_ text: [UInt8]) -> Int? {
        let n = text.count
        var i = 0
        while i < n {
            let c = text[i]
            if c == 0x3D {
                // Padding: only in the last group, as its last one or two characters.
                let inGroup = i % 4
                guard n % 4 == 0, i >= n - 2, inGroup >= 2 else { return i }
                if inGroup == 2 && text[i + 1] != 0x3D { return i + 1 }
                // The bits the padding leaves unused must be zero.
                let last = values[Int(text[i - 1])]
                if inGroup == 2 && last & 0x0F != 0 { return i - 1 }
                if inGroup == 3 && last & 0x03 != 0 { return i - 1 }
                return nil
            }
            if values[Int(c)] == 0xFF { return i }
            i += 1
        }
        return n % 4 == 0 ? nil : n
    }
}
