// FormatRegistry's name normalisation: the byte-wise ASCII version (the CLI's start-up path)
// equals the generic Unicode one on every ASCII name, and non-ASCII names keep Unicode
// lowercasing.
import Testing

@testable import StreamCodecCore

struct RegistryNormalizeTests {
    @Test("ASCII names: the byte-wise normalisation equals the generic one")
    func asciiAgrees() {
        let fixed = [
            "SSE", " Text/Event-Stream ; charset=UTF-8", "\tndjson\t", ";", "", " ", "a;b;c", "APPLICATION/JSON-SEQ",
            "text/plain;charset=utf-8", "  \t x \t ", "json - array",
        ]
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ; \t-/+.09Xq".utf8)
        let random = (0..<500).map { _ in
            String(
                decoding: (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! },
                as: UTF8.self)
        }
        for name in fixed + random {
            #expect(FormatRegistry.normalize(name) == FormatRegistry.normalizeUnicode(name), "\(name.debugDescription)")
        }
    }

    @Test("non-ASCII names are lowercased as Unicode lowercases them")
    func unicode() {
        #expect(FormatRegistry.normalize(" ÉVÉNEMENT ; x") == "événement")
        #expect(FormatRegistry.standard.format(named: "ＳＳＥ") == nil)
    }
}
