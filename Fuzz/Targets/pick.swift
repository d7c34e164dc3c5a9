// Fuzz target: --pick (RFC 6901 evaluation over a minified record, JSONPointer+Lookup.swift), the
// text output (TextEncoder) and end conditions (EndCondition), on the input read as NDJSON.
//
// Checks:
// - when the input is one valid JSON document: the value a pointer picks is exactly what an
//   independent evaluator finds (a small tree parsed here from the minified text, the last
//   duplicate key winning, keys compared decoded), for pointers from a list and for a pointer
//   built by walking the tree with the input's hash (so that it usually names something); the
//   condition "pointer = picked value" matches the document; the text encoder writes a picked
//   string as JSONString.decode does (or U+FFFD for a lone surrogate), any other value as is;
// - the input as an NDJSON stream converted with a pick to text and to ndjson gives the same
//   output, error and missing count whole, in random pieces and in two pieces.
@testable import StreamCodecCore

let listedPointers = ["", "/a", "/0", "/a/b", "/a/0", "/-", "/a/-", "/~1", "/~0", "/a~1b", "/", "/choices/0/delta/content", "/00", "/1"]

/// A JSON value, from a valid minified text.
indirect enum Tree {
    case object([(key: [UInt8]?, value: Tree, range: Range<Int>)])
    case array([(value: Tree, range: Range<Int>)])
    case scalar
}

/// Parses the valid minified value starting at `i` (the oracle: recursive, independent of the
/// boundary skipping the lookup uses).
func parse(_ t: [UInt8], _ i: inout Int) -> Tree {
    switch t[i] {
    case 0x7B:
        i += 1
        var members: [(key: [UInt8]?, value: Tree, range: Range<Int>)] = []
        if t[i] == 0x7D {
            i += 1
            return .object(members)
        }
        while true {
            let keyStart = i
            skipString(t, &i)
            let key = t.withUnsafeBufferPointer { try? JSONString.decode($0, keyStart..<i) }
            i += 1 // ':'
            let start = i
            let value = parse(t, &i)
            members.append((key, value, start..<i))
            if t[i] == 0x7D {
                i += 1
                return .object(members)
            }
            i += 1 // ','
        }
    case 0x5B:
        i += 1
        var items: [(value: Tree, range: Range<Int>)] = []
        if t[i] == 0x5D {
            i += 1
            return .array(items)
        }
        while true {
            let start = i
            let value = parse(t, &i)
            items.append((value, start..<i))
            if t[i] == 0x5D {
                i += 1
                return .array(items)
            }
            i += 1
        }
    case 0x22:
        skipString(t, &i)
        return .scalar
    default:
        while i < t.count, t[i] != 0x2C, t[i] != 0x7D, t[i] != 0x5D { i += 1 }
        return .scalar
    }
}

func skipString(_ t: [UInt8], _ i: inout Int) {
    i += 1
    while t[i] != 0x22 { i += t[i] == 0x5C ? 2 : 1 }
    i += 1
}

/// The oracle's evaluation of `tokens` (RFC 6901 section 4).
func evaluate(_ tree: Tree, _ range: Range<Int>, _ tokens: [String]) -> Range<Int>? {
    guard let token = tokens.first else { return range }
    switch tree {
    case .object(let members):
        guard let member = members.last(where: { $0.key == Array(token.utf8) }) else { return nil }
        return evaluate(member.value, member.range, Array(tokens.dropFirst()))
    case .array(let items):
        // digits without a leading zero ("0" itself allowed), within the array
        let digits = token.utf8
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), token == "0" || digits.first != 0x30,
            digits.count < 10, let index = Int(token), index < items.count
        else { return nil }
        return evaluate(items[index].value, items[index].range, Array(tokens.dropFirst()))
    case .scalar:
        return nil
    }
}

/// A pointer to some value of `tree`, chosen by `bits` (escaped with ~0 and ~1).
func walk(_ tree: Tree, _ bits: inout Bits) -> String {
    var text = ""
    var node = tree
    for _ in 0..<6 {
        switch node {
        case .object(let members) where !members.isEmpty:
            let member = members[bits.take(3) % members.count]
            guard let key = member.key else { return text }
            let escaped = String(decoding: key, as: UTF8.self)
            guard Array(escaped.utf8) == key else { return text } // (a key that is not valid UTF-8 text)
            text +=
                "/"
                + escaped.split(separator: "~", omittingEmptySubsequences: false).joined(separator: "~0")
                .split(separator: "/", omittingEmptySubsequences: false).joined(separator: "~1")
            node = member.value
        case .array(let items) where !items.isEmpty:
            let index = bits.take(3) % items.count
            text += "/\(index)"
            node = items[index].value
        default:
            return text
        }
        if bits.take(2) == 0 { return text }
    }
    return text
}

func convertPicked(_ input: [UInt8], _ split: Split, pointer: JSONPointer, to target: String) -> (
    output: [UInt8], error: StreamCodecError?, missing: Int?
) {
    var options = ConversionOptions()
    options.pick = pointer
    options.codec.textSeparator = "|"
    var converter = try! Converter(from: "ndjson", to: target, options: options)
    var output: [UInt8] = []
    var start = 0
    do throws(StreamCodecError) {
        for length in split.lengths {
            try converter.convert(input[start..<(start + length)], into: &output)
            start += length
        }
        try converter.finish(into: &output)
    } catch {
        return (output, error, converter.pickMissingCount)
    }
    return (output, nil, converter.pickMissingCount)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPick(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    var run = DecoderRun(input)
    var pointerText = listedPointers[run.bits.take(4) % listedPointers.count]

    if let document = try? JSONText.minified(input, maxDepth: 200) {
        var i = 0
        let tree = parse(document, &i)
        expect(i == document.count, "pick: the oracle parsed \(i) of \(document.count) bytes of \(show(document))")
        if run.bits.flag() { pointerText = walk(tree, &run.bits) }
        guard let pointer = try? JSONPointer(pointerText) else {
            fail("pick: the walk made an invalid pointer \(pointerText.debugDescription)")
        }
        let expected = evaluate(tree, 0..<document.count, pointer.tokens)
        let found = document.withUnsafeBufferPointer { pointer.range(in: $0) }
        expect(
            found == expected,
            """
            pick: \(pointer) in \(show(document))
              lookup: \(found.map { show(Array(document[$0])) } ?? "nothing")
              oracle: \(expected.map { show(Array(document[$0])) } ?? "nothing")
            """)
        if let found {
            let value = Array(document[found])
            // The condition "pointer = value" holds for the document it came from.
            let condition = try! EndCondition(pointer: pointer, value: String(decoding: value, as: UTF8.self))
            if value.elementsEqual(String(decoding: value, as: UTF8.self).utf8) {
                expect(condition.matches(Record(kind: .json, data: document)), "pick: \(condition) does not match \(show(document))")
            }
            // Text output: a string unescaped, anything else as it is.
            var encoder = TextEncoder()
            var text: [UInt8] = []
            try! encoder.encode(Record(kind: .json, data: value), into: &text)
            if value.first == 0x22 {
                if let decoded = value.withUnsafeBufferPointer({ try? JSONString.decode($0, 0..<$0.count) }) {
                    expect(text == decoded, "text: \(show(value)) written as \(show(text)), decoded \(show(decoded))")
                } else {
                    expect(
                        String(validating: text, as: UTF8.self)?.unicodeScalars.contains("\u{FFFD}") == true,
                        "text: \(show(value)) with a lone surrogate written as \(show(text))")
                }
            } else {
                expect(text == value, "text: \(show(value)) written as \(show(text))")
            }
        }
    }

    // The input as NDJSON, picked, converted whatever the split.
    guard let pointer = try? JSONPointer(pointerText) else { return 0 }
    let splits = [Split.random(input.count, seed: run.seed, maxPiece: run.randomMaxPiece), .two(input.count, at: run.cut)]
    for target in ["text", "ndjson"] {
        let reference = convertPicked(input, .whole(input.count), pointer: pointer, to: target)
        for split in splits {
            let result = convertPicked(input, split, pointer: pointer, to: target)
            expect(
                result.output == reference.output && result.error == reference.error && result.missing == reference.missing,
                """
                pick \(pointer) -t \(target): split-dependent result
                  whole: \(show(reference.output)) \(reference.error.map { "\($0)" } ?? "") missing \(reference.missing ?? -1)
                  \(split): \(show(result.output)) \(result.error.map { "\($0)" } ?? "") missing \(result.missing ?? -1)
                """)
        }
    }
    return 0
}
