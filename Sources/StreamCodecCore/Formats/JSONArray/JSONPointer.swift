// RFC 6901 "JavaScript Object Notation (JSON) Pointer": `/results/0/items` names a value
// inside a document; `~1` stands for `/` and `~0` for `~` in a reference token.

/// A parsed JSON Pointer.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The reference tokens, unescaped.
    public var tokens: [String]

    /// Parses `text` (`""` is the whole document).
    /// - Throws: ``StreamCodecError/Code/invalidOptions`` when `text` is not a JSON Pointer.
    public init(_ text: String) throws(StreamCodecError) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw StreamCodecError(
                .invalidOptions, "invalid JSON Pointer '\(text)': it must be empty or start with '/' (for example /results)")
        }
        var result: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var escape = false
            for ch in raw {
                if escape {
                    switch ch {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: throw StreamCodecError(.invalidOptions, "invalid JSON Pointer '\(text)': '~' must be followed by 0 or 1")
                    }
                    escape = false
                } else if ch == "~" {
                    escape = true
                } else {
                    token.append(ch)
                }
            }
            if escape { throw StreamCodecError(.invalidOptions, "invalid JSON Pointer '\(text)': '~' must be followed by 0 or 1") }
            result.append(token)
        }
        tokens = result
    }

    public var description: String {
        tokens.map { "/" + $0.replacingAll("~", with: "~0").replacingAll("/", with: "~1") }.joined()
    }

    /// The array index a token names (RFC 6901 section 4: digits, no leading zero), or nil.
    static func index(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 &- 0x30 < 10 }), token == "0" || !token.hasPrefix("0") else { return nil }
        return Int(token)
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}

extension JSONPointer {
    /// The pointer to the path `tokens` (unescaped reference tokens), as written.
    static func description(of tokens: [String]) -> String {
        (try? JSONPointer("/" + tokens.joined(separator: "/")))?.description ?? ""
    }
}
