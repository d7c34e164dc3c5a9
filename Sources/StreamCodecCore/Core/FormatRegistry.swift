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

    static func normalize(_ name: String) -> String {
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
