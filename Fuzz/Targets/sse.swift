// Fuzz target: the SSE decoder (WHATWG HTML 9.2.5/9.2.6).
//
// Checks, for any input and options derived from it:
// - the same records, error and warnings whatever the split (whole, random pieces, two pieces,
//   byte by byte), and memory bounded by a small record limit (Common.swift, checkDecoder);
// - SSE -> SSE: encoding the records (control blocks written as blocks of their own) and
//   decoding them again gives the same records (type, data, id, retry, comments) and the same
//   last event id; with the default output rules, no block lacks data (no control record comes
//   back) and the events and comments are the same;
// - SSE -> envelope (ndjson) -> SSE through two Converters gives the same records again.
@testable import StreamCodecCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSE(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    var run = DecoderRun(input)
    let keepComments = run.bits.flag()
    let policy: SSEDecoder.IncompleteBlockPolicy = [.discard, .dispatch, .error][run.bits.take(2) % 3]
    let options = SSEDecoder.Options(keepComments: keepComments, incompleteBlock: policy)
    let (result, decoder) = checkDecoder(input, format: "sse", run: run) { SSEDecoder(options: options) }
    if run.skipBad { return 0 }

    for record in result.records {
        switch record.kind {
        case .event: break
        case .control: expect(record.id != nil || record.retry != nil, "sse: a control record without id or retry")
        case .comment: expect(keepComments, "sse: a comment record without keepComments")
        case .json: fail("sse: a json record")
        }
        expect(!record.data.contains(0x0D), "sse: a CR in \(record)")
        expect(record.id.map { !$0.utf8.contains(0) } ?? true, "sse: an id with NUL in \(record)")
    }

    // The last event id a browser would keep is the id of the last record that set one, when the
    // stream ended cleanly (an unterminated block that set an id is discarded but still set it).
    let lastSetID = result.records.last(where: { $0.id != nil })?.id ?? ""
    let endedCleanly = result.error == nil && (policy == .dispatch || result.warnings.isEmpty)

    // SSE -> SSE with the encoder.
    var encoded: [UInt8] = []
    var encoder = SSEEncoder(controlBlocks: .standalone)
    do {
        for record in result.records { try encoder.encode(record, into: &encoded) }
    } catch {
        fail("sse: a decoded record cannot be encoded: \(error)")
    }
    let (again, redecoder) = decode(encoded, .whole(encoded.count), limit: 1 << 22, skipBad: false) {
        SSEDecoder(options: .init(keepComments: keepComments, incompleteBlock: .error))
    }
    expect(
        again.error == nil && again.warnings.isEmpty && again.records == result.records,
        """
        sse: decode(encode(records)) != records
          input:   \(String(decoding: input.prefix(300), as: UTF8.self).debugDescription)
          encoded: \(String(decoding: encoded.prefix(300), as: UTF8.self).debugDescription)
          first:   \(result)
          again:   \(again)
        """)
    expect(
        redecoder.lastEventID == lastSetID,
        "sse: last event id \(redecoder.lastEventID.debugDescription) after re-encoding, expected \(lastSetID.debugDescription)")
    if endedCleanly {
        expect(
            decoder.lastEventID == lastSetID,
            "sse: lastEventID \(decoder.lastEventID.debugDescription) but the last id set by a record is \(lastSetID.debugDescription)")
    }

    // The default output rules: control fields ride on the next event; no block without data.
    var merged: [UInt8] = []
    var merging = SSEEncoder()
    do {
        for record in result.records { try merging.encode(record, into: &merged) }
        try merging.finish(into: &merged)
    } catch {
        fail("sse: a decoded record cannot be encoded with the default rules: \(error)")
    }
    let (mergedBack, _) = decode(merged, .whole(merged.count), limit: 1 << 22, skipBad: false) {
        SSEDecoder(options: .init(keepComments: keepComments, incompleteBlock: .error))
    }
    func shape(_ records: [Record]) -> [[UInt8]] {
        records.filter { $0.kind != .control }.map { [$0.kind == .event ? 1 : 2] + Array(($0.event ?? "").utf8) + [0xFF] + $0.data }
    }
    expect(
        mergedBack.error == nil && !mergedBack.records.contains { $0.kind == .control }
            && shape(mergedBack.records) == shape(result.records),
        """
        sse: the default output rules changed the events or wrote a block without data
          encoded: \(String(decoding: merged.prefix(300), as: UTF8.self).debugDescription)
          first:   \(result)
          again:   \(mergedBack)
        """)

    // SSE -> envelope NDJSON -> SSE through the Converter (the lossless mode).
    var toJSON = ConversionOptions()
    toJSON.mode = .envelope
    toJSON.codec.keepComments = keepComments
    toJSON.codec.incompleteBlock = policy
    toJSON.maxRecordBytes = 1 << 20
    var envelope: [UInt8] = []
    do {
        var converter = try Converter(from: "sse", to: "ndjson", options: toJSON)
        do {
            try converter.convert(input, into: &envelope)
            try converter.finish(into: &envelope)
        } catch {
            expect(result.error != nil, "sse: the envelope conversion failed (\(error)) but decoding did not")
        }
    } catch {
        fail("sse: cannot make the envelope converter: \(error)")
    }
    var back = ConversionOptions()
    back.mode = .envelope
    back.codec.sseControlBlocks = .standalone // the exact round trip
    var sse: [UInt8] = []
    do {
        var converter = try Converter(from: "ndjson", to: "sse", options: back)
        try converter.convert(envelope, into: &sse)
        try converter.finish(into: &sse)
    } catch {
        fail(
            "sse: the envelope output does not convert back: \(error)\n  envelope: \(String(decoding: envelope.prefix(400), as: UTF8.self).debugDescription)"
        )
    }
    let (roundTrip, roundDecoder) = decode(sse, .whole(sse.count), limit: 1 << 22, skipBad: false) {
        SSEDecoder(options: .init(keepComments: keepComments, incompleteBlock: .error))
    }
    expect(
        roundTrip.error == nil && roundTrip.records == result.records,
        """
        sse: SSE -> envelope -> SSE changed the records
          envelope: \(String(decoding: envelope.prefix(400), as: UTF8.self).debugDescription)
          first:    \(result)
          back:     \(roundTrip)
        """)
    expect(
        roundDecoder.lastEventID == lastSetID,
        "sse: last event id \(roundDecoder.lastEventID.debugDescription) after the envelope round trip, expected \(lastSetID.debugDescription)"
    )
    return 0
}
