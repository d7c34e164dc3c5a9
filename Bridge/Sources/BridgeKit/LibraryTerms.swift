// The library's errors name `ConversionOptions` properties (`ConversionOptions.nonJSON`); the
// bridge's users read the options they type (`--non-json`), the main CLI's spellings.
import StreamCodec

enum LibraryTerms {
    /// `message` with each `ConversionOptions` property the bridge has an option for spelled as
    /// that option.
    static func text(_ message: String) -> String {
        guard message.contains("ConversionOptions.") else { return message }
        var result = message
        for (library, flag) in replacements {
            result = result.replacingOccurrences(library, with: flag)
        }
        return result
    }

    /// (library spelling, option), longest first, so `ConversionOptions.doneMarker = nil` goes
    /// before `ConversionOptions.doneMarker`.
    static let replacements: [(String, String)] = [
        ("ConversionOptions.doneMarker = nil", "--no-done"),
        ("ConversionOptions.nonJSON = .", "--non-json "),
        ("ConversionOptions.envelopeData = .", "--envelope-data "),
        ("ConversionOptions.mode = .envelope", "--envelope"),
        ("ConversionOptions.codec.keepComments", "--comments"),
        ("ConversionOptions.codec.incompleteBlock", "--eof"),
        ("ConversionOptions.maxRecordBytes", "--max-record-bytes"),
        ("ConversionOptions.sequentialIDs", "--ids"),
        ("ConversionOptions.eventFromKey", "--event-from"),
        ("ConversionOptions.envelopeData", "--envelope-data"),
        ("ConversionOptions.requireDone", "--require-done"),
        ("ConversionOptions.appendDone", "--done"),
        ("ConversionOptions.doneMarker", "--done-marker"),
        ("ConversionOptions.onlyEvents", "--only-event"),
        ("ConversionOptions.idFromKey", "--id-from"),
        ("ConversionOptions.eventName", "--event"),
        ("ConversionOptions.nonJSON", "--non-json"),
        ("ConversionOptions.retry", "--retry"),
        ("ConversionOptions.mode", "--envelope"),
    ].sorted { $0.0.count > $1.0.count }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
