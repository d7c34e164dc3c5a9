import StreamCodec
// JSONPointer: RFC 6901 "JavaScript Object Notation (JSON) Pointer".
// - Section 3: a pointer is empty or a sequence of `/` + reference token; in a token `~1`
//   stands for `/` and `~0` for `~`, and `~` followed by anything else is not allowed.
// - Section 4: `~1` is unescaped before `~0` (so `~01` is `~1`, not `/`); a token names an
//   array element only when it is `0` or digits without a leading zero (`-` names no existing
//   element). Index tokens are checked through the json-array decoder (JSONArrayPointerTests),
//   here through the same decoder on a small document.
// An invalid pointer is an `.invalidOptions` error (it comes from `--array-path`).
import Testing

@Suite("JSON Pointer (RFC 6901)")
struct JSONPointerTests {
    @Test(
        "section 3: valid pointers parse into their unescaped reference tokens",
        arguments: [
            ("", [String]()),
            ("/", [""]),
            ("//", ["", ""]),
            ("/a/b", ["a", "b"]),
            ("/~0", ["~"]),
            ("/~1", ["/"]),
            ("/~01", ["~1"]), // section 4: ~1 first, then ~0 -- never "/"
            ("/~10", ["/0"]),
            ("/~0~1", ["~/"]),
            ("/a~1b/m~0n", ["a/b", "m~n"]),
            ("/foo/0", ["foo", "0"]),
            ("/ ", [" "]),
            ("/c%d", ["c%d"]), // no percent-decoding in the string form
            (#"/k"l"#, [#"k"l"#]),
            ("/\u{E9}/\u{1F600}", ["\u{E9}", "\u{1F600}"]),
        ])
    func valid(text: String, tokens: [String]) throws {
        let pointer = try JSONPointer(text)
        #expect(pointer.tokens == tokens)
    }

    @Test(
        "section 3: a non-empty pointer must start with `/`, and `~` must be followed by 0 or 1",
        arguments: [
            "a", "a/b", " /a", "#/a", "#", "/~2", "/~", "/a~", "/~a", "/a/~/b", "/~~0", "/~-",
        ])
    func invalid(text: String) {
        let error = #expect(throws: StreamCodecError.self) { try JSONPointer(text) }
        #expect(error?.code == .invalidOptions)
    }

    @Test(
        "the description is the pointer in its escaped string form, and parses back to the same tokens",
        arguments: [
            "", "/", "/a/b", "/~0", "/~1", "/~01", "/a~1b/m~0n", "//x", "/0/-",
        ])
    func description(text: String) throws {
        let pointer = try JSONPointer(text)
        #expect(pointer.description == text)
        #expect(try JSONPointer(pointer.description) == pointer)
    }

    @Test(
        "section 4: `0` and digits without a leading zero are array indexes; `01`, `-` and others are not",
        arguments: [
            ("0", true), ("1", true), ("10", true), ("01", false), ("00", false), ("-", false), ("-1", false), ("+1", false),
            ("1.0", false), ("1e1", false), (" 1", false), ("1 ", false), ("", false), ("a", false), ("\u{0661}", false),
        ])
    func indexTokens(token: String, isIndex: Bool) throws {
        // An array of 11 one-element arrays: `/i` for an index token selects [i].
        let document = "[" + (0...10).map { "[\($0)]" }.joined(separator: ",") + "]"
        let pointer = try JSONPointer("/" + token)
        let result = decodeEveryWay(document) { JSONArrayDecoder(pointer: pointer) }.0
        if isIndex {
            #expect(result.error == nil)
            #expect(result.texts == [token])
        } else {
            #expect(result.error != nil)
            #expect(result.error?.code != .truncated)
            #expect(result.records.isEmpty)
        }
    }
}
