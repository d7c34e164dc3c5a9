// ConversionPlan: which options apply to a pair of formats and the chain of transforms between
// them, tested alone (no conversion runs). Docs/Formats.md "Mapping" and Docs/CLI.md give the
// rules; the conversions themselves are tested in ConverterTests and the CLI's tests.
import Testing

@testable import StreamCodecCore

struct ConversionPlanTests {
    private func chain(_ from: Format.Family, _ to: Format.Family, _ options: ConversionOptions = ConversionOptions()) throws -> [String] {
        try ConversionPlan.transforms(from: from, to: to, options: options).map { "\(type(of: $0))" }
    }

    @Test("data mode: one DataModeTransform between any two families, and nothing else by default")
    func dataMode() throws {
        for (from, to) in [
            (Format.Family.eventStream, Format.Family.json), (.json, .eventStream), (.json, .json), (.eventStream, .eventStream),
        ] {
            #expect(try chain(from, to) == ["DataModeTransform"], "\(from) -> \(to)")
        }
    }

    @Test("the event filter comes first, the SSE framing last, field mapping before the data mode")
    func order() throws {
        var options = ConversionOptions()
        options.onlyEvents = ["delta"]
        options.appendDone = true
        #expect(try chain(.eventStream, .eventStream, options) == ["EventTypeFilter", "DataModeTransform", "SSEFramingTransform"])
        var mapping = ConversionOptions()
        mapping.eventFromKey = "type"
        mapping.retry = "3000"
        #expect(try chain(.json, .eventStream, mapping) == ["FieldMappingTransform", "DataModeTransform", "SSEFramingTransform"])
    }

    @Test("envelope mode wraps SSE into JSON and unwraps JSON into SSE; same-family envelopes are refused")
    func envelope() throws {
        var options = ConversionOptions()
        options.mode = .envelope
        #expect(try chain(.eventStream, .json, options) == ["EnvelopeWrapTransform"])
        #expect(try chain(.json, .eventStream, options) == ["EnvelopeUnwrapTransform"])
        #expect(throws: StreamCodecError.self) { try chain(.json, .json, options) }
        #expect(throws: StreamCodecError.self) { try chain(.eventStream, .eventStream, options) }
    }

    @Test(
        "an option that does not apply names itself in the error",
        arguments: [
            ("retry", Format.Family.eventStream, Format.Family.json),
            ("eventFromKey", .json, .json),
            ("eventFromKey", .eventStream, .eventStream),
            ("onlyEvents", .json, .json),
            ("requireDone", .json, .eventStream),
        ])
    func misplacedOption(option: String, from: Format.Family, to: Format.Family) {
        var options = ConversionOptions()
        switch option {
        case "retry": options.retry = "1000"
        case "eventFromKey": options.eventFromKey = "type"
        case "onlyEvents": options.onlyEvents = ["a"]
        default: options.requireDone = true
        }
        do {
            _ = try ConversionPlan.transforms(from: from, to: to, options: options)
            Issue.record("\(option) was accepted for \(from) -> \(to)")
        } catch {
            #expect(error.code == .invalidOptions)
            #expect(error.option == option)
        }
    }

    @Test("a retry that is not a run of ASCII digits is refused")
    func retryDigits() {
        var options = ConversionOptions()
        options.retry = "1e3"
        #expect(throws: StreamCodecError.self) { try ConversionPlan.transforms(from: .json, to: .eventStream, options: options) }
        options.retry = "0042"
        #expect((try? ConversionPlan.transforms(from: .json, to: .eventStream, options: options)) != nil)
    }

    @Test("options naming one input format are checked against the actual one")
    func perFormat() throws {
        var options = ConversionOptions()
        options.codec.arrayPointer = try JSONPointer("/items")
        let registry = FormatRegistry.standard
        #expect(throws: StreamCodecError.self) { try ConversionPlan.validate(registry.format(named: "ndjson")!, options: options) }
        try ConversionPlan.validate(registry.format(named: "json-array")!, options: options)
        // With detection, an option some readable format can use is accepted now (checked when
        // the format is detected); one that no format could use with the target is refused now.
        try ConversionPlan.validate(detectable: registry, to: registry.format(named: "ndjson")!, options: options)
        var retry = ConversionOptions()
        retry.retry = "1000"
        #expect(throws: StreamCodecError.self) {
            try ConversionPlan.validate(detectable: registry, to: registry.format(named: "ndjson")!, options: retry)
        }
    }
}
