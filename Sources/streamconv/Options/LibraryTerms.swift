// The library's errors speak in library terms (`ConversionOptions.maxRecordBytes`); users of the
// command line read the option they type (`--max-record-bytes`). The option table knows both
// spellings, so the CLI puts its option names in place of the library's.
import StreamCodecCore

enum LibraryTerms {
    /// `error`'s message with every option named as the command line spells it.
    static func message(_ error: StreamCodecError) -> String { text(error.message) }

    /// `text` with `ConversionOptions.nonJSON = .string` as `--non-json string`,
    /// `ConversionOptions.maxRecordBytes` as `--max-record-bytes`, and so on.
    static func text(_ text: String) -> String {
        guard text.contains("ConversionOptions.") || text.contains(detectionAdvice) else { return text }
        var result = text.replacingAll(detectionAdvice, with: "name the format with -f")
        for (library, flag) in replacements {
            result = result.replacingAll(library, with: flag)
        }
        return result
    }

    static let detectionAdvice = "name the source format instead of detecting it"

    /// (library spelling, CLI spelling), the longest library spellings first so that
    /// `ConversionOptions.doneMarker = nil` is replaced before `ConversionOptions.doneMarker`.
    static var replacements: [(String, String)] {
        var pairs: [(String, String)] = []
        for spec in OptionSpec.table {
            guard let library = spec.library else { continue }
            if !library.contains(" = ") {
                pairs.append((library + " = .", spec.longFlag + " ")) // nonJSON = .string: --non-json string
            }
            pairs.append((library, spec.longFlag))
        }
        return pairs.sorted { $0.0.count > $1.0.count }
    }
}
