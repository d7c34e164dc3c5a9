// What to tell a user whose input is not what they said it was: what it looks like (from
// InputSniffer, over its first bytes) and the command-line way out (the right -f, iconv,
// gunzip, curl --compressed). The library says what the bytes look like; only the CLI names
// flags and commands.
import StreamCodecCore

enum InputAdvice {
    /// The message for an SSE input that held no SSE field at all, only lines the spec ignores.
    /// `detected`: the format was chosen by auto-detection, not by -f.
    static func notSSE(_ sniff: InputSniffer.Result, detected: Bool) -> String {
        if let advice = advice(sniff, readingAs: "sse") { return advice }
        let fromAuto = detected ? " (auto-detection read it as SSE: it starts with no JSON value)" : ""
        return "input is not SSE: none of its lines is an SSE field (data:, event:, id:, retry:)\(fromAuto); it starts: "
            + quoted(sniff.excerpt)
    }

    /// A second line for the first error of an input that produced no record, when its start
    /// looks like something other than `format`; nil when it looks like what was asked for.
    static func hint(_ sniff: InputSniffer.Result, readingAs format: String, error: String) -> String? {
        let expected: Set<InputSniffer.Kind>
        switch format {
        case "sse": expected = [.sse, .text, .empty, .ndjson, .jsonDocument, .jsonArray, .jsonSeq]
        case "json-array": expected = [.jsonArray, .jsonDocument, .text, .empty] // (--array-path reads any document)
        case "json-seq": expected = [.jsonSeq, .text, .empty]
        case "aws-eventstream": expected = [.binary, .empty]
        default: expected = [.ndjson, .jsonDocument, .jsonArray, .text, .empty]
        }
        if expected.contains(sniff.kind) { return nil }
        if sniff.kind == .latin1 && error.contains("iconv") { return nil } // the error said it already
        return advice(sniff, readingAs: format)
    }

    /// "input looks like X: do Y", or nil for kinds that need no advice.
    static func advice(_ sniff: InputSniffer.Result, readingAs name: String) -> String? {
        let format = name == "sse" ? "SSE" : name
        func useFormat(_ name: String, _ what: String) -> String {
            "input looks like \(what): use -f \(name), or leave -f out to detect it"
        }
        switch sniff.kind {
        case .empty, .text: return nil
        case .sse: return useFormat("sse", "SSE")
        case .ndjson: return useFormat("ndjson", "NDJSON")
        case .jsonArray: return useFormat("json-array", "a JSON array")
        case .jsonSeq: return useFormat("json-seq", "a JSON text sequence (RFC 7464)")
        case .jsonDocument:
            return "input looks like a JSON document, not \(format) (an API error?): it starts: \(quoted(sniff.excerpt)); "
                + "to convert it anyway use -f stream-json, or leave -f out to detect it"
        case .gzip:
            return "input is gzip-compressed: decompress it first (curl --compressed, or gunzip -c FILE | streamconv ...)"
        case .zstd: return "input is zstd-compressed: decompress it first (zstd -dc FILE | streamconv ...)"
        case .bzip2: return "input is bzip2-compressed: decompress it first (bzip2 -dc FILE | streamconv ...)"
        case .xz: return "input is xz-compressed: decompress it first (xz -dc FILE | streamconv ...)"
        case .zip: return "input is a zip archive: extract the file first (unzip -p ARCHIVE NAME | streamconv ...)"
        case .utf16LE:
            return
                "input looks like UTF-16 (little-endian) text, not UTF-8: convert it first (iconv -f UTF-16LE -t UTF-8, or -f UTF-16 when it starts with a BOM)"
        case .utf16BE:
            return
                "input looks like UTF-16 (big-endian) text, not UTF-8: convert it first (iconv -f UTF-16BE -t UTF-8, or -f UTF-16 when it starts with a BOM)"
        case .latin1:
            return "input looks like Latin-1 (ISO-8859-1 or Windows-1252) text, not UTF-8: convert it first (iconv -f ISO-8859-1 -t UTF-8)"
        case .html:
            return
                "input looks like an HTML page (an error page from a server or proxy?), not \(format): it starts: \(quoted(sniff.excerpt))"
        case .xml:
            return "input looks like an XML document, not \(format): it starts: \(quoted(sniff.excerpt))"
        case .binary:
            if name != "aws-eventstream", sniff.firstBytes.first == 0,
                sniff.firstBytes.withUnsafeBytes({ AWSEventStreamDecoder.startsWithPrelude($0) })
            {
                return useFormat("aws-eventstream", "an AWS event stream (application/vnd.amazon.eventstream)")
            }
            return "input looks like binary data, not \(format) text: it starts with bytes \(hexPrefix(sniff))"
        }
    }

    private static func quoted(_ text: String) -> String { "'" + text + "'" }

    private static func hexPrefix(_ sniff: InputSniffer.Result) -> String {
        sniff.firstBytes.prefix(16).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
        }.joined(separator: " ")
    }
}
