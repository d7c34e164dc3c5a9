// Codable types for the providers' streaming chunks, as a user would write them: OpenAI's
// chat-completion chunk and Anthropic's Messages stream events (a tagged union on "type").
import Foundation

struct OpenAIChunk: Codable, Equatable, Sendable {
    struct Choice: Codable, Equatable, Sendable {
        struct Delta: Codable, Equatable, Sendable {
            var role: String?
            var content: String?
        }
        var index: Int
        var delta: Delta
        var finishReason: String?
    }
    var id: String
    var object: String
    var created: Int
    var model: String
    var choices: [Choice]
}

enum AnthropicEvent: Decodable, Equatable, Sendable {
    struct TextDelta: Decodable, Equatable, Sendable {
        var type: String
        var text: String?
    }
    case messageStart(model: String)
    case contentBlockStart(index: Int)
    case ping
    case contentBlockDelta(index: Int, delta: TextDelta)
    case contentBlockStop(index: Int)
    case messageDelta(stopReason: String?)
    case messageStop

    private enum Keys: String, CodingKey { case type, message, index, delta }
    private struct Message: Decodable { var model: String }
    private struct StopDelta: Decodable { var stopReason: String? }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "message_start": self = .messageStart(model: try c.decode(Message.self, forKey: .message).model)
        case "content_block_start": self = .contentBlockStart(index: try c.decode(Int.self, forKey: .index))
        case "ping": self = .ping
        case "content_block_delta":
            self = .contentBlockDelta(index: try c.decode(Int.self, forKey: .index), delta: try c.decode(TextDelta.self, forKey: .delta))
        case "content_block_stop": self = .contentBlockStop(index: try c.decode(Int.self, forKey: .index))
        case "message_delta": self = .messageDelta(stopReason: try c.decode(StopDelta.self, forKey: .delta).stopReason)
        case "message_stop": self = .messageStop
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown event type '\(other)'")
        }
    }
}

/// A JSONDecoder for the providers' snake_case keys.
func snakeCaseDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
}

/// A fixture of the repository (Fixtures/NAME), read through this file's path.
func fixture(_ path: String) throws -> [UInt8] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return Array(try Data(contentsOf: root.appendingPathComponent("Fixtures/\(path)")))
}

/// The ways a test feeds one input: whole, a byte at a time, and at seeded pseudo-random cuts.
func splits(of bytes: [UInt8]) -> [(name: String, chunks: [ArraySlice<UInt8>])] {
    var ways: [(String, [ArraySlice<UInt8>])] = [("whole", [bytes[...]]), ("bytewise", bytes.indices.map { bytes[$0...$0] })]
    var state: UInt64 = 0x5EED
    for seed in 0..<4 {
        var cuts: [Int] = []
        var at = 0
        while at < bytes.count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let step = 1 + Int((state >> 33) % 97)
            cuts.append(min(bytes.count, at + step))
            at += step
        }
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        for end in cuts {
            chunks.append(bytes[start..<end])
            start = end
        }
        ways.append(("random cuts \(seed)", chunks))
    }
    return ways
}
