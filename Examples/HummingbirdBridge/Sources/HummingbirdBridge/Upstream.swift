// Calling the upstream model servers with AsyncHTTPClient: a chat request whose response
// streams back (NDJSON from Ollama, SSE from an OpenAI-compatible server).

import AsyncHTTPClient
import Foundation
import Hummingbird

struct ChatRequest: Encodable {
    struct Message: Encodable {
        var role = "user"
        var content: String
    }
    var model: String
    var messages: [Message]
    var stream = true
}

enum Upstream {
    /// The upstream's URL; the fake upstream takes its pace from the page (`delay_ms`), so the
    /// demo can type slowly.
    static func url(_ base: String, options: Options, query: Parameters) -> String {
        guard options.fakeUpstream, let delay = query.get("delay_ms", as: Int.self) else { return base }
        return base + "?delay_ms=\(delay)"
    }

    /// POSTs a one-message chat to `url` and returns the response once its head has arrived;
    /// its body streams on. `timeout` bounds the wait for the head only, not the stream.
    /// Throws 502 Bad Gateway when the upstream cannot be reached or does not answer 200.
    static func chat(url: String, model: String, prompt: String, accept: String,
                     bearerToken: String? = nil) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: accept)
        if let bearerToken { request.headers.add(name: "Authorization", value: "Bearer \(bearerToken)") }
        let body = try JSONEncoder().encode(ChatRequest(model: model, messages: [.init(content: prompt)]))
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        } catch {
            throw HTTPError(.badGateway, message: "upstream \(url): \(error)")
        }
        guard response.status == .ok else {
            throw HTTPError(.badGateway, message: "upstream \(url) answered \(response.status)")
        }
        return response
    }
}
