// The formats a converter knows, looked up by name, alias or MIME type. The formats this package
// implements are registered in Formats/StandardFormats.swift (Core names no concrete format).

/// The formats a converter knows, looked up by name, alias or MIME type.
///
/// ```swift
/// let sse = FormatRegistry.standard.format(named: "text/event-stream; charset=utf-8")   // the sse format
/// ```
public struct FormatRegistry: Sendable {
    /// The registered formats, in registration order.
    public private(set) var formats: [Format] = []

    /// A registry of `formats` (``standard`` holds the built-in ones).
    public init(_ formats: [Format] = []) {
        for format in formats { register(format) }
    }

    /// Adds `format`, replacing a format of the same name.
    public mutating func register(_ format: Format) {
        formats.removeAll { $0.name == format.name }
        formats.append(format)
    }

    /// The format with this name, alias or MIME type. Case does not matter, and MIME
    /// parameters (`; charset=utf-8`) and surrounding spaces are ignored.
    public func format(named name: String) -> Format? {
        let key = Self.normalize(name)
        return formats.first { format in
            format.name.lowercased() == key
                || format.aliases.contains { $0.lowercased() == key }
                || format.mimeTypes.contains { Self.normalize($0) == key } // (text's is `text/plain; charset=utf-8`)
        }
    }

    /// `name` up to its first `;`, without the spaces and tabs around it, lowercased.
    static func normalize(_ name: String) -> String {
        // ASCII (every name in practice) by bytes: the generic version below instantiates the
        // metadata of its lazy wrappers at run time, which was half of the CLI's start-up
        // (700,000 of 1.5 million instructions, measured with callgrind).
        let bytes = Array(name.utf8)
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return normalizeUnicode(name) }
        var end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
        var start = 0
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        return String(decoding: bytes[start..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// ``normalize(_:)`` for names with non-ASCII characters (Unicode lowercasing).
    static func normalizeUnicode(_ name: String) -> String {
        let base = name.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return String(base.lowercased().drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// The first significant byte of `bytes` for ``detect(firstSignificantByte:)``: after one
    /// leading UTF-8 BOM and any JSON whitespace. Nil when there is none yet; also nil while
    /// `bytes` is a proper prefix of the BOM.
    public static func firstSignificantByte(_ bytes: UnsafeRawBufferPointer) -> UInt8? {
        guard var i = BOM.skipLength(bytes) else { return nil }
        while i < bytes.count {
            let c = bytes[i]
            if !(c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09) { return c }
            i += 1
        }
        return nil
    }
}
