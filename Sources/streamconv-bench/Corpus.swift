// Deterministic benchmark corpora: the same bytes on every machine and every run.
import StreamCodecCore

/// A small deterministic PRNG (SplitMix64), so corpora do not depend on the platform.
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

/// A named input for one or more scenarios.
struct Corpus {
    var name: String
    var format: String
    var bytes: [UInt8]
    var records: Int
}

enum Corpora {
    static let words = [
        "Hello", "世界", "こんにちは", "🙂", "stream", "token", "数据", "🚀", "the", "quick",
        "brown", "fox", "안녕하세요", "Ωmega", "naïve", "— dash", "\\\"quoted\\\"", "\\n",
    ]

    /// OpenAI chat-completion chunks of about 280 bytes, content with CJK and emoji.
    static func openAIPayloads(totalBytes: Int, seed: UInt64 = 1) -> [String] {
        var rng = SplitMix64(state: seed)
        var out: [String] = []
        var size = 0
        var i = 0
        while size < totalBytes {
            var content = ""
            for k in 0..<(1 + rng.below(6)) { content += (k > 0 ? " " : "") + words[rng.below(words.count)] }
            let json =
                #"{"id":"chatcmpl-9xYz\#(100000 + i % 1000)","object":"chat.completion.chunk","created":\#(1_731_000_000 + i / 100),"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1","choices":[{"index":0,"delta":{"content":"\#(content)"},"logprobs":null,"finish_reason":null}]}"#
            out.append(json)
            size += json.utf8.count + 8
            i += 1
        }
        return out
    }

    /// Anthropic Messages events: names, ids-free, with pings.
    static func anthropicEvents(totalBytes: Int, seed: UInt64 = 2) -> [(event: String, data: String)] {
        var rng = SplitMix64(state: seed)
        var out: [(String, String)] = [
            (
                "message_start",
                #"{"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"usage":{"input_tokens":25,"output_tokens":1}}}"#
            ),
            ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
        ]
        var size = 0
        while size < totalBytes {
            if rng.below(40) == 0 {
                out.append(("ping", #"{"type": "ping"}"#))
                continue
            }
            var text = ""
            for k in 0..<(1 + rng.below(5)) { text += (k > 0 ? " " : "") + words[rng.below(words.count)] }
            let data = #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\#(text)"}}"#
            out.append(("content_block_delta", data))
            size += data.utf8.count + 40
        }
        out.append(("message_stop", #"{"type":"message_stop"}"#))
        return out
    }

    /// Big JSON objects of 64 KiB to 1 MiB, pretty-printed so that an SSE event spreads over
    /// many `data:` lines.
    static func bigPayloads(totalBytes: Int, seed: UInt64 = 3) -> [[String]] {
        var rng = SplitMix64(state: seed)
        var out: [[String]] = []
        var size = 0
        while size < totalBytes {
            let target = 64 * 1024 + rng.below(960 * 1024)
            var lines = ["{", #"  "object": "list","#, #"  "data": ["#]
            var n = 0
            var bytes = 0
            while bytes < target {
                var text = ""
                for k in 0..<(3 + rng.below(12)) { text += (k > 0 ? " " : "") + words[rng.below(words.count)] }
                let line = #"    {"index": \#(n), "score": \#(rng.below(100000)).\#(rng.below(1000)), "text": "\#(text)"},"#
                lines.append(line)
                bytes += line.utf8.count + 7
                n += 1
            }
            lines[lines.count - 1].removeLast() // the last element has no comma
            lines.append("  ]")
            lines.append("}")
            out.append(lines)
            size += bytes
        }
        return out
    }

    static func sse(_ payloads: [String]) -> Corpus {
        var b: [UInt8] = []
        for p in payloads {
            b += Array("data: ".utf8)
            b += Array(p.utf8)
            b += [0x0A, 0x0A]
        }
        b += Array("data: [DONE]\n\n".utf8)
        return Corpus(name: "", format: "sse", bytes: b, records: payloads.count)
    }

    static func ndjson(_ payloads: [String]) -> Corpus {
        var b: [UInt8] = []
        for p in payloads {
            b += Array(p.utf8)
            b.append(0x0A)
        }
        return Corpus(name: "", format: "ndjson", bytes: b, records: payloads.count)
    }

    static func all(mebibytes mib: Int) -> [Corpus] {
        let openAI = openAIPayloads(totalBytes: mib << 20)
        var openAISSE = sse(openAI)
        openAISSE.name = "openai.sse"
        var openAINDJSON = ndjson(openAI)
        openAINDJSON.name = "openai.ndjson"

        var anthropic = Corpus(name: "anthropic.sse", format: "sse", bytes: [], records: 0)
        for (event, data) in anthropicEvents(totalBytes: mib << 20) {
            anthropic.bytes += Array("event: \(event)\ndata: \(data)\n\n".utf8)
            anthropic.records += 1
        }

        let big = bigPayloads(totalBytes: mib << 20)
        var bigSSE = Corpus(name: "big.sse", format: "sse", bytes: [], records: big.count)
        var bigNDJSON = Corpus(name: "big.ndjson", format: "ndjson", bytes: [], records: big.count)
        for lines in big {
            for line in lines { bigSSE.bytes += Array("data: \(line)\n".utf8) }
            bigSSE.bytes.append(0x0A)
            bigNDJSON.bytes += Array(lines.map { $0.trimmingLeadingSpaces }.joined().utf8)
            bigNDJSON.bytes.append(0x0A)
        }
        return [openAISSE, anthropic, bigSSE, openAINDJSON, bigNDJSON]
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
