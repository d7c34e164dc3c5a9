import StreamCodecCore
// Spec: issue 12 point 4 / Docs/CLI.md "Usage checks": the CLI's checks before reading agree
// with what the library's Converter rejects at init. With -f and -t given, every command line
// the CLI accepts makes a Converter; so everything the library rejects, the CLI rejects first
// (before any input). The CLI is stricter in a few documented places (--done-marker without SSE
// input or --done, --non-json with a JSON output, --heartbeat-event without --heartbeat).
import Testing

@testable import streamconv

@Suite("Command line and library agree on options")
struct CLILibraryAgreementTests {
    /// Each option with a sample value (nil for flags), all but the formats and the actions.
    static let samples: [(String, String?)] = OptionSpec.table.compactMap { spec in
        if ["from", "to", "help", "version", "completions", "man", "list-formats"].contains(spec.long) { return nil }
        let value: String? =
            switch spec.long {
            case "max-record-bytes": "1k"
            case "max-depth", "retry", "heartbeat": "5"
            case "array-path", "pick": "/a"
            case "end-when": "/a=1"
            case "end": "ollama"
            case "envelope-data", "non-json": spec.long == "non-json" ? "string" : "json"
            case "eof": "dispatch"
            case "on-error": "skip"
            case "rejects": "/tmp/rejects"
            default: spec.takesValue ? "x" : nil
            }
        return ("--" + spec.long, value)
    }

    static let formats = FormatRegistry.standard.formats.map(\.name)

    @Test("every option alone and every pair, with every -f and -t: accepted by the CLI implies accepted by Converter.init")
    func agreement() throws {
        var accepted = 0
        var rejected = 0
        var combinations: [[(String, String?)]] = Self.samples.map { [$0] }
        for (i, a) in Self.samples.enumerated() {
            for b in Self.samples[(i + 1)...] { combinations.append([a, b]) }
        }
        for from in Self.formats {
            for to in Self.formats {
                for combination in combinations {
                    let argv = ["-f", from, "-t", to] + combination.flatMap { [$0.0] + ($0.1.map { [$0] } ?? []) }
                    guard let args = try? Arguments.parse(argv) else {
                        rejected += 1
                        continue
                    }
                    accepted += 1
                    let source = try #require(args.from)
                    do throws(StreamCodecError) {
                        _ = try Converter(from: source, to: args.to, options: args.options)
                    } catch {
                        Issue.record("the CLI accepts \(argv.joined(separator: " ")), the library rejects it: \(error.message)")
                    }
                }
            }
        }
        #expect(accepted > 1000 && rejected > 1000, "accepted \(accepted), rejected \(rejected)")
    }

    @Test(
        "with -f auto, what the CLI accepts makes a detecting Converter (nothing a format-free check could catch is left for the first byte)"
    )
    func agreementAuto() throws {
        for to in Self.formats {
            for sample in Self.samples {
                let argv = ["-t", to, sample.0] + (sample.1.map { [$0] } ?? [])
                guard let args = try? Arguments.parse(argv) else { continue }
                do throws(StreamCodecError) {
                    _ = try Converter(detectingFrom: .standard, to: args.to, options: args.options)
                } catch {
                    Issue.record("the CLI accepts \(argv.joined(separator: " ")), Converter(detectingFrom:) rejects it: \(error.message)")
                }
            }
        }
    }
}
