// The corpora, generated deterministically (SplitMix64), so every run decodes the same bytes.

struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Text for event data: ASCII words, CJK, emoji (none needs escaping inside a JSON string).
struct TextSource {
    var random: SplitMix64
    let pieces: [[UInt8]] = [
        "Hello", " world", " the", " stream", "，", "。", "数据", "流式",
        "解码", "こんにちは", "世界", "안녕", "🙂", "🚀", "👍🏽", " 42", ",",
    ].map { Array($0.utf8) }

    /// Whole pieces, about `count` bytes of UTF-8.
    mutating func text(bytes count: Int) -> [UInt8] {
        var text: [UInt8] = []
        while text.count < count { text += pieces[random.below(pieces.count)] }
        return text
    }
}

/// OpenAI-style chat completion chunks: `data: {json}` + blank line, about 280 bytes each.
func smallEventsCorpus(bytes total: Int) -> (bytes: [UInt8], events: Int) {
    var source = TextSource(random: SplitMix64(state: 1))
    var out: [UInt8] = []
    out.reserveCapacity(total + 512)
    var events = 0
    while out.count < total {
        let content = source.text(bytes: 50 + source.random.below(60))
        out += Array(
            #"data: {"id":"chatcmpl-9x1ZmQ4uVbQ2","object":"chat.completion.chunk","created":1718000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":""#
                .utf8)
        out += content
        out += Array(#""},"logprobs":null,"finish_reason":null}]}"#.utf8) + [0x0A, 0x0A]
        events += 1
    }
    return (out, events)
}

/// Events of about `eventBytes` each, their data spread over `data:` lines of about 60 bytes.
func bigEventsCorpus(eventBytes: Int, bytes total: Int) -> (bytes: [UInt8], events: Int) {
    var source = TextSource(random: SplitMix64(state: UInt64(eventBytes)))
    var out: [UInt8] = []
    out.reserveCapacity(total + eventBytes + 512)
    var events = 0
    while out.count < total {
        let start = out.count
        while out.count - start < eventBytes {
            out += Array("data: ".utf8) + source.text(bytes: 50) + [0x0A]
        }
        out.append(0x0A)
        events += 1
    }
    return (out, events)
}

/// `bytes` cut into chunks of `size` bytes (the last one shorter).
func chunks(of bytes: [UInt8], size: Int) -> [ArraySlice<UInt8>] {
    stride(from: 0, to: bytes.count, by: size).map { bytes[$0..<min($0 + size, bytes.count)] }
}
