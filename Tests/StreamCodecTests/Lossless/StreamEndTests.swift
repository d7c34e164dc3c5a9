import StreamCodec
// Docs/Formats.md, "How a stream ends":
// - `incompleteBlock` .discard (the SSE default): a block left without its blank line at end of
//   input is discarded, as the spec says, with a warning; .dispatch dispatches it as if a blank
//   line followed; .error is a truncated-input error. Comment-only endings are clean.
// - json-seq's own default is a truncated record (RFC 7464 section 2.4); .dispatch writes it if
//   it is complete JSON, .discard drops it with a warning.
// - `data: [DONE]` (or the custom done marker) ends the output of an SSE-to-JSON data-mode
//   conversion successfully; later input is not read. `doneMarker = nil` makes it ordinary data.
//   Envelope mode and SSE to SSE carry it as an ordinary event.
// - `requireDone`: SSE input that ends without the marker is a `.missingEnd` error after the
//   records that did arrive are written.
import Testing

private func sseTo(
    _ target: String, _ input: String, _ configure: (inout ConversionOptions) -> Void = { _ in },
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> LosslessRun {
    try convertAllWays(input, from: "sse", to: target, options: conversionOptions(configure), sourceLocation: sourceLocation)
}

@Suite("How a stream ends")
struct LosslessStreamEndTests {
    // MARK: SSE end of input

    /// Two endings without the final blank line: the last line cut off, and a complete field line.
    static let unterminated = ["data: 1\n\nid: 5\ndata: 2", "data: 1\n\nid: 5\ndata: 2\n", "data: 1\r\n\r\nid: 5\r\ndata: 2\r"]

    @Test(
        "by default (and with .discard) an unterminated last block is discarded with one warning on its first line",
        arguments: unterminated, [nil, SSEDecoder.IncompleteBlockPolicy.discard])
    func discard(input: String, policy: SSEDecoder.IncompleteBlockPolicy?) throws {
        let run = try sseTo("ndjson", input) { $0.codec.incompleteBlock = policy }
        #expect(run.error == nil)
        #expect(run.text == "1\n")
        #expect(run.warnings.count == 1)
        #expect(run.warnings.first?.line == 3)
        #expect(run.warnings.first?.message.contains("discarded") == true, "\(run.warnings)")
        #expect(run.skippedCount == 0) // a discarded final block is not a skipped bad record
    }

    @Test(".dispatch dispatches the unterminated last block as if a blank line followed", arguments: unterminated)
    func dispatch(input: String) throws {
        let json = try sseTo("ndjson", input) { $0.codec.incompleteBlock = .dispatch }
        #expect(json.error == nil && json.warnings.isEmpty)
        #expect(json.text == "1\n2\n")
        let envelope = try sseTo("ndjson", input) {
            $0.codec.incompleteBlock = .dispatch
            $0.mode = .envelope
        }
        #expect(envelope.lines == [#"{"data":"1"}"#, #"{"id":"5","data":"2"}"#])
        let sse = try sseTo("sse", input) { $0.codec.incompleteBlock = .dispatch }
        #expect(sse.text == "data: 1\n\nid: 5\ndata: 2\n\n")
    }

    @Test(
        ".error makes the unterminated last block a truncated-input error on its first line, after the records before it",
        arguments: unterminated)
    func error(input: String) throws {
        let run = try sseTo("ndjson", input) { $0.codec.incompleteBlock = .error }
        #expect(run.text == "1\n")
        #expect(run.error?.code == .truncated)
        #expect(run.error?.line == 3)
    }

    @Test(".dispatch of a control block, of a data line without colon, and of a kept comment on the last line")
    func dispatchEdgeCases() throws {
        let control = try sseTo("ndjson", "data: 1\n\nretry: 7") {
            $0.codec.incompleteBlock = .dispatch
            $0.mode = .envelope
        }
        #expect(control.lines == [#"{"data":"1"}"#, #"{"retry":7}"#])
        let bare = try sseTo("ndjson", "id: 1\ndata") {
            $0.codec.incompleteBlock = .dispatch
            $0.mode = .envelope
        }
        #expect(bare.lines == [#"{"id":"1","data":""}"#])
        let comment = try sseTo("ndjson", "data: a\n: c") {
            $0.codec.incompleteBlock = .dispatch
            $0.mode = .envelope
            $0.codec.keepComments = true
        }
        #expect(comment.lines == [#"{"comment":"c"}"#, #"{"data":"a"}"#])
    }

    @Test(
        "an ending with only comments (or nothing) after the last blank line is clean under every policy",
        arguments: [SSEDecoder.IncompleteBlockPolicy.discard, .dispatch, .error])
    func commentOnlyEnding(policy: SSEDecoder.IncompleteBlockPolicy) throws {
        for input in ["data: 1\n\n: bye", "data: 1\n\n: bye\n", "data: 1\n\n", "data: 1\n\n\n\n"] {
            let run = try sseTo("ndjson", input) { $0.codec.incompleteBlock = policy }
            #expect(run.error == nil && run.warnings.isEmpty, "\(input.debugDescription): \(run)")
            #expect(run.text == "1\n", "\(input.debugDescription)")
        }
    }

    // MARK: json-seq end of input

    @Test("json-seq: a last text without its LF is a truncated record by default, although the same option's SSE default discards")
    func jsonSeqDefault() throws {
        let run = try convertAllWays("\u{1E}1\n\u{1E}{\"a\":2}", from: "json-seq", to: "ndjson")
        #expect(run.text == "1\n")
        #expect(run.error?.code == .truncated)
        #expect(run.error?.line == 2)
        let sse = try sseTo("ndjson", "data: 1\n\ndata: 2")
        #expect(sse.error == nil && sse.warnings.count == 1)
    }

    @Test("json-seq: .dispatch writes a complete last text without its LF, .discard drops it with a warning")
    func jsonSeqPolicies() throws {
        let input = "\u{1E}1\n\u{1E}{\"a\": 2}"
        let dispatched = try convertAllWays(
            input, from: "json-seq", to: "ndjson", options: conversionOptions { $0.codec.incompleteBlock = .dispatch })
        #expect(dispatched.error == nil && dispatched.warnings.isEmpty)
        #expect(dispatched.text == "1\n{\"a\":2}\n")
        let discarded = try convertAllWays(
            input, from: "json-seq", to: "ndjson", options: conversionOptions { $0.codec.incompleteBlock = .discard })
        #expect(discarded.error == nil)
        #expect(discarded.text == "1\n")
        #expect(discarded.warnings.count == 1)
        #expect(discarded.warnings.first?.line == 2)
    }

    @Test("json-seq: a text cut off in the middle is truncated also with .dispatch, and dropped with a warning with .discard")
    func jsonSeqCutOff() throws {
        let input = "\u{1E}1\n\u{1E}{\"a\":"
        for policy in [nil, SSEDecoder.IncompleteBlockPolicy.error, .dispatch] {
            let run = try convertAllWays(
                input, from: "json-seq", to: "ndjson", options: conversionOptions { $0.codec.incompleteBlock = policy })
            #expect(run.text == "1\n")
            #expect(run.error?.code == .truncated, "\(String(describing: policy)): \(run)")
        }
        let discarded = try convertAllWays(
            input, from: "json-seq", to: "ndjson", options: conversionOptions { $0.codec.incompleteBlock = .discard })
        #expect(discarded.error == nil && discarded.warnings.count == 1)
    }

    // MARK: The done marker

    @Test(
        "[DONE] ends the output of SSE to every JSON format; later input, even invalid or cut off, is not read",
        arguments: ["ndjson", "stream-json", "json-seq", "json-array"])
    func doneStops(target: String) throws {
        let run = try sseTo(target, "data: 1\n\nevent: end\ndata: [DONE]\n\ndata: 2\n\ndata: not json\n\ndata: {")
        #expect(run.error == nil)
        #expect(run.warnings.isEmpty)
        #expect(run.isStopped)
        switch target {
        case "json-seq": #expect(run.text == "\u{1E}1\n")
        case "json-array": #expect(run.text == "[\n1\n]\n")
        default: #expect(run.text == "1\n")
        }
    }

    @Test("input given after the output stopped is ignored")
    func convertAfterStop() throws {
        var converter = try Converter(from: "sse", to: "ndjson")
        var out: [UInt8] = []
        try converter.convert(u8("data: 1\n\ndata: [DONE]\n\n"), into: &out)
        #expect(converter.isStopped)
        try converter.convert(u8("data: 2\n\ndata: {bad\n\n"), into: &out)
        try converter.finish(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1\n")
        #expect(converter.takeWarnings().isEmpty)
    }

    @Test("only data exactly equal to the marker stops: [DONE] with a space or another line is ordinary (not JSON) data")
    func doneMustBeExact() throws {
        for input in ["data: [DONE] \n\n", "data: [DONE]\ndata: x\n\n", "data:  [DONE]\n\n", "data: [done]\n\n"] {
            let run = try sseTo("ndjson", "data: 1\n\n" + input + "data: 2\n\n") { $0.nonJSON = .string }
            #expect(!run.isStopped, "\(input.debugDescription)")
            #expect(run.lines.count == 3, "\(input.debugDescription): \(run)")
            #expect(run.lines.last == "2")
        }
        // CRLF line ends do not change the data.
        let crlf = try sseTo("ndjson", "data: 1\r\n\r\ndata: [DONE]\r\n\r\ndata: 2\r\n\r\n")
        #expect(crlf.isStopped && crlf.text == "1\n")
    }

    @Test("a custom done marker stops the output, and [DONE] is then ordinary data")
    func customMarker() throws {
        let run = try sseTo("ndjson", "data: 1\n\ndata: END\n\ndata: 2\n\n") { $0.doneMarker = "END" }
        #expect(run.isStopped && run.error == nil)
        #expect(run.text == "1\n")
        let done = try sseTo("ndjson", "data: [DONE]\n\ndata: 2\n\n") {
            $0.doneMarker = "END"
            $0.nonJSON = .string
        }
        #expect(!done.isStopped)
        #expect(done.text == "\"[DONE]\"\n2\n")
    }

    @Test(
        "doneMarker = nil (--no-done) makes [DONE] ordinary data: not JSON, so an error naming the event's line, or a string with nonJSON .string"
    )
    func noDone() throws {
        let failing = try sseTo("ndjson", "data: 1\n\ndata: [DONE]\n\ndata: 2\n\n") { $0.doneMarker = nil }
        #expect(!failing.isStopped)
        #expect(failing.text == "1\n")
        #expect(failing.error?.code == .invalidJSON)
        #expect(failing.error?.line == 3)
        let strings = try sseTo("ndjson", "data: 1\n\ndata: [DONE]\n\ndata: 2\n\n") {
            $0.doneMarker = nil
            $0.nonJSON = .string
        }
        #expect(strings.error == nil && !strings.isStopped)
        #expect(strings.text == "1\n\"[DONE]\"\n2\n")
    }

    @Test("[DONE] does not stop envelope mode or SSE to SSE: it is an ordinary event there")
    func doneNotStoppingElsewhere() throws {
        let input = "data: [DONE]\n\ndata: 2\n\n"
        let envelope = try sseTo("ndjson", input) { $0.mode = .envelope }
        #expect(!envelope.isStopped && envelope.lines == [#"{"data":"[DONE]"}"#, #"{"data":"2"}"#])
        let sse = try sseTo("sse", input)
        #expect(!sse.isStopped && sse.text == input)
    }

    // MARK: requireDone

    @Test("requireDone: with the marker the conversion succeeds", arguments: ["ndjson", "sse"])
    func requireDoneSatisfied(target: String) throws {
        let run = try sseTo(target, "data: 1\n\ndata: [DONE]\n\n") { $0.requireDone = true }
        #expect(run.error == nil)
        #expect(run.text == (target == "sse" ? "data: 1\n\ndata: [DONE]\n\n" : "1\n"))
        let envelope = try sseTo("ndjson", "data: 1\n\ndata: [DONE]\n\n") {
            $0.requireDone = true
            $0.mode = .envelope
        }
        #expect(envelope.error == nil)
        #expect(envelope.lines == [#"{"data":"1"}"#, #"{"data":"[DONE]"}"#])
    }

    @Test("requireDone: without the marker every record is written, then a missingEnd error", arguments: ["ndjson", "sse", "json-array"])
    func requireDoneMissing(target: String) throws {
        let run = try sseTo(target, "data: 1\n\ndata: 2\n\n") { $0.requireDone = true }
        #expect(run.error?.code == .missingEnd)
        #expect(run.error?.message.contains("[DONE]") == true)
        switch target {
        case "sse": #expect(run.text == "data: 1\n\ndata: 2\n\n")
        case "json-array": #expect(run.text == "[\n1,\n2\n]\n")
        default: #expect(run.text == "1\n2\n")
        }
        let envelope = try sseTo("ndjson", "data: 1\n\n") {
            $0.requireDone = true
            $0.mode = .envelope
        }
        #expect(envelope.error?.code == .missingEnd)
        #expect(envelope.lines == [#"{"data":"1"}"#])
    }

    @Test("requireDone: a marker in a block cut off by the end of input (discarded) does not count")
    func requireDoneCutOffMarker() throws {
        let run = try sseTo("ndjson", "data: 1\n\ndata: [DONE]") { $0.requireDone = true }
        #expect(run.text == "1\n")
        #expect(run.error?.code == .missingEnd)
        let dispatched = try sseTo("ndjson", "data: 1\n\ndata: [DONE]") {
            $0.requireDone = true
            $0.codec.incompleteBlock = .dispatch
        }
        #expect(dispatched.error == nil && dispatched.isStopped)
    }

    @Test("requireDone with a custom marker needs that marker and names it")
    func requireCustomMarker() throws {
        let ok = try sseTo("ndjson", "data: 1\n\ndata: END\n\n") {
            $0.requireDone = true
            $0.doneMarker = "END"
        }
        #expect(ok.error == nil && ok.text == "1\n")
        let missing = try sseTo("ndjson", "data: 1\n\ndata: [DONE]\n\n") {
            $0.requireDone = true
            $0.doneMarker = "END"
            $0.nonJSON = .string
        }
        #expect(missing.text == "1\n\"[DONE]\"\n")
        #expect(missing.error?.code == .missingEnd)
        #expect(missing.error?.message.contains("END") == true)
    }

    @Test("requireDone with an empty input is a missingEnd error")
    func requireDoneEmpty() throws {
        let run = try sseTo("ndjson", "") { $0.requireDone = true }
        #expect(run.error?.code == .missingEnd)
        #expect(run.output.isEmpty)
    }
}
