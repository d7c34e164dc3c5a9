// The bridge's one responder. Every request goes to the fixed upstream (method, path, query,
// end-to-end headers, body); a streaming response is read once into the replay store and served
// converted; anything else passes through untouched. Before that:
//   OPTIONS                       answered here (204, Allow)
//   GET|HEAD /streams/ID          joins stream ID from its start (or after Last-Event-ID)
//   Last-Event-ID: ID-POSITION    resumes stream ID after POSITION, from the store
// A stream the request's credentials do not match is answered 404, as an unknown one.

import AsyncHTTPClient
import BridgeReplay
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import StreamCodec

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
    static let xAccelBuffering = Self("X-Accel-Buffering")!
    static let xStreamID = Self("X-Stream-ID")!
}

public struct Proxy: Sendable {
    let options: BridgeOptions
    let store: any ReplayStore
    let client: HTTPClient
    let binding: CredentialBinding
    let limits: LimitCounters
    let log: AccessLog

    public init(options: BridgeOptions, store: any ReplayStore, client: HTTPClient, bindingKey: [UInt8]) {
        self.options = options
        self.store = store
        self.client = client
        self.binding = CredentialBinding(key: bindingKey)
        self.limits = LimitCounters(maxStreams: options.maxStreams, maxPerClient: options.maxRequestsPerClient)
        self.log = AccessLog(enabled: !options.quiet)
    }

    /// The responder, with the per-client limit and the access log around it.
    public func respond(_ request: Request, context: BridgeContext) async throws -> Response {
        let started = ContinuousClock.now
        let client = context.clientIP ?? "-"
        guard await limits.enter(client) else {
            let response = Self.plain(
                .tooManyRequests, "too many requests in flight from \(client) (--max-client-requests \(limits.maxPerClient))\n")
            log.request(
                client: client, method: request.method.rawValue, target: request.head.path ?? "", status: 429, detail: "", started: started)
            return response
        }
        var (response, detail): (Response, String)
        do {
            (response, detail) = try await handle(request, context: context)
        } catch {
            await limits.leave(client)
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log.request(
                client: client, method: request.method.rawValue, target: request.head.path ?? "", status: status, detail: "",
                started: started)
            throw error
        }
        log.request(
            client: client, method: request.method.rawValue, target: request.head.path ?? "", status: response.status.code, detail: detail,
            started: started)
        // The client's slot is given back when the response is done with: its body written, or
        // the response dropped unwritten (the client went away first).
        // Every write must be taken by the client within --write-timeout.
        let slot = ClientSlot(limits: limits, client: client)
        let body = response.body
        let (channel, writeTimeout) = (context.channel, options.writeTimeoutSeconds)
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer { withExtendedLifetime(slot) {} }
            try await body.write(TimedBodyWriter(base: writer, channel: channel, seconds: writeTimeout))
        }
        return response
    }

    func handle(_ request: Request, context: BridgeContext) async throws -> (Response, String) {
        let target: RequestTarget
        do throws(RequestTarget.Refused) {
            target = try RequestTarget(request.head.path ?? "")
        } catch {
            return (Self.plain(.badRequest, "\(error.description)\n"), "refused")
        }
        if request.method == .options {
            var headers = HTTPFields()
            headers[.allow] = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
            return (Response(status: .noContent, headers: headers), "")
        }
        let headerList = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        let credentials = binding.binding(headers: headerList)

        // GET /streams/ID: join.
        if let id = Self.streamPath(target), request.method == .get || request.method == .head {
            var after: UInt64 = 0
            if let last = request.headers[.lastEventID] {
                guard let parsed = StreamIDs.parse(eventID: last), parsed.stream == id else {
                    return (Self.plain(.badRequest, "Last-Event-ID \(AccessLog.printable(last)) is not an event of stream \(id)\n"), "join")
                }
                after = parsed.position
            }
            return try await serveStored(id, after: after, request: request, credentials: credentials, what: "join")
        }
        // Last-Event-ID of one of the bridge's streams: resume from the store.
        if let last = request.headers[.lastEventID], let (id, position) = StreamIDs.parse(eventID: last) {
            return try await serveStored(id, after: position, request: request, credentials: credentials, what: "resume")
        }
        return try await forward(request, target: target, headers: headerList, credentials: credentials, context: context)
    }

    // MARK: Forwarding

    func forward(
        _ request: Request, target: RequestTarget, headers: [(name: String, value: String)], credentials: [UInt8]?,
        context: BridgeContext
    ) async throws -> (Response, String) {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: options.maxBodyBytes)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            return (Self.plain(.contentTooLarge, "the request body is larger than \(options.maxBodyBytes) bytes (--max-body-bytes)\n"), "")
        }
        var upstreamRequest = HTTPClientRequest(url: options.upstream.url(for: target))
        upstreamRequest.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
        for header in ProxyHeaders.upstreamRequest(
            headers, forwarded: options.forwardHeaders, clientAddress: context.clientIP,
            upstreamHost: options.upstream.hostHeader)
        {
            upstreamRequest.headers.add(name: header.name, value: header.value)
        }
        if body.readableBytes > 0 || request.headers[.contentLength] != nil || request.headers[.transferEncoding] != nil {
            upstreamRequest.body = .bytes(body)
        }
        // A stream slot is taken before the upstream is asked, and given back unless it streams.
        guard await limits.takeStream() else {
            return (
                Self.plain(
                    .serviceUnavailable,
                    "the bridge is reading as many upstream streams as allowed (--max-streams \(limits.maxStreams)); try again later\n"), ""
            )
        }
        var slotTaken = true
        defer { if slotTaken { Task { [limits] in await limits.releaseStream() } } }

        let upstream: HTTPClientResponse
        do {
            upstream = try await client.execute(upstreamRequest, deadline: .now() + .seconds(60))
        } catch {
            return (Self.plain(.badGateway, "the upstream \(options.upstream.origin) could not be reached: \(error)\n"), "upstream failed")
        }
        let upstreamHeaders = upstream.headers.map { (name: $0.name.lowercased(), value: $0.value) }
        let contentType = upstream.headers.first(name: "content-type")
        let format =
            (200..<300).contains(upstream.status.code) && upstream.status != .noContent
            ? Negotiation.inputFormat(contentType: contentType, configured: options.from)
            : nil
        let status = HTTPResponse.Status(code: Int(upstream.status.code), reasonPhrase: upstream.status.reasonPhrase)

        guard let format else {
            // Not a stream: the upstream's response as it is.
            var fields = HTTPFields()
            for header in ProxyHeaders.clientResponse(upstreamHeaders, converted: false) {
                if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
            }
            let upstreamBody = upstream.body
            return (Response(status: status, headers: fields, body: ResponseBody(asyncSequence: upstreamBody)), "passed")
        }

        var iterator = upstream.body.makeAsyncIterator()
        var inputFormat = format
        var prefix: [UInt8] = []
        if request.method == .head {
            inputFormat = format == "auto" ? "sse" : format
        } else if format == "auto" {
            do {
                (inputFormat, prefix) = try await StreamReader.detect(&iterator)
            } catch {
                return (Self.plain(.badGateway, "the upstream's response broke off: \(error)\n"), "upstream failed")
            }
        }
        guard let output = Negotiation.output(accept: request.headers[.accept], input: inputFormat, configured: options.to) else {
            return (Self.notAcceptable(), "")
        }
        // The options must suit this pair of formats (the library names the one that does not).
        do throws(StreamCodecError) {
            _ = try StreamRenderer(
                streamID: "", inputFormat: inputFormat, output: output,
                options: options.conversion(from: inputFormat, to: output.format), after: 0)
        } catch {
            return (
                Self.plain(
                    .notAcceptable,
                    "this bridge cannot serve \(inputFormat) as \(output.format) with its options: \(LibraryTerms.text(error.message))\n"),
                ""
            )
        }
        var fields = Self.streamingHeaders(output.contentType)
        for header in ProxyHeaders.clientResponse(upstreamHeaders, converted: true) {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        if request.method == .head {
            return (Response(status: status, headers: fields), "\(inputFormat)>\(output.format)")
        }

        let id = StreamIDs.make()
        do {
            try await store.create(ReplayStreamInfo(id: id, format: inputFormat, binding: credentials))
        } catch let error as ReplayStoreError where error.code == .full {
            return (
                Self.plain(
                    .serviceUnavailable, "the replay store holds as many running streams as allowed (--replay-streams); try again later\n"),
                ""
            )
        } catch is MemoryReplayStore.Full {
            return (
                Self.plain(
                    .serviceUnavailable, "the replay store holds as many running streams as allowed (--replay-streams); try again later\n"),
                ""
            )
        }
        fields[.xStreamID] = id
        slotTaken = false
        let reader = StreamReader(store: store, streamID: id, options: options.conversion(from: inputFormat, to: inputFormat))
        let counters = self.limits
        let finalPrefix = prefix
        let finalIterator = iterator
        Task {
            await reader.run(format: inputFormat, prefix: finalPrefix, body: finalIterator)
            await counters.releaseStream()
        }
        let response = streamResponse(
            id, input: inputFormat, output: output, after: 0, status: status, headers: fields, client: context.clientIP)
        return (response, "stream=\(id) \(inputFormat)>\(output.format)")
    }

    // MARK: Serving from the store

    func serveStored(_ id: String, after: UInt64, request: Request, credentials: [UInt8]?, what: String) async throws -> (Response, String)
    {
        guard let status = try await store.status(of: id), CredentialBinding.allows(credentials, toRead: status.info.binding) else {
            return (Self.plain(.notFound, "no stream \(id) here (unknown, expired, or started with other credentials)\n"), what)
        }
        let info = status.info
        if status.end != nil && after > status.lastPosition {
            return (Response(status: .noContent), "\(what) stream=\(id) complete")
        }
        if status.end == nil && after > status.lastPosition {
            return (Self.plain(.badRequest, "stream \(id) has not reached position \(after) (Last-Event-ID)\n"), what)
        }
        guard let output = Negotiation.output(accept: request.headers[.accept], input: info.format, configured: options.to) else {
            return (Self.notAcceptable(), what)
        }
        var renderer: StreamRenderer
        do throws(StreamCodecError) {
            renderer = try StreamRenderer(
                streamID: id, inputFormat: info.format, output: output,
                options: options.conversion(from: info.format, to: output.format), after: after)
        } catch {
            return (
                Self.plain(
                    .notAcceptable,
                    "this bridge cannot serve \(info.format) as \(output.format) with its options: \(LibraryTerms.text(error.message))\n"),
                what
            )
        }
        // The client has every record of an ended stream: it gets the closing (`--done`) if it
        // did not have it (the closing's id is the last position + 1), else 204, which tells
        // EventSource to stop reconnecting. A failed stream's error record is not sent again.
        if let end = status.end, after == status.lastPosition {
            let closing = (try? renderer.end(.finished)) ?? []
            if closing.isEmpty || end != .finished {
                return (Response(status: .noContent), "\(what) stream=\(id) complete")
            }
        }
        var fields = Self.streamingHeaders(output.contentType)
        fields[.xStreamID] = id
        if request.method == .head { return (Response(status: .ok, headers: fields), "\(what) stream=\(id)") }
        let response = streamResponse(id, input: info.format, output: output, after: after, status: .ok, headers: fields, client: nil)
        return (response, "\(what) stream=\(id) after=\(after) \(info.format)>\(output.format)")
    }

    func streamResponse(
        _ id: String, input: String, output: OutputChoice, after: UInt64, status: HTTPResponse.Status,
        headers: HTTPFields, client: String?
    ) -> Response {
        let rendered = RenderedStream(
            store: store, streamID: id, inputFormat: input, output: output,
            options: options.conversion(from: input, to: output.format), after: after)
        let log = self.log
        let heartbeat = output.format == "sse" ? options.heartbeatSeconds : nil
        // A comment line, or the named event --heartbeat-event asks for (checked when parsed).
        let heartbeatBytes = options.heartbeatEvent.flatMap { try? SSEEncoder.heartbeat(event: $0) } ?? Array(":\n".utf8)
        let body = ResponseBody { writer in
            let started = ContinuousClock.now
            var bytes = 0
            var outcome = "finished"
            defer { log.streamEnded(client: client, stream: id, bytes: bytes, started: started, outcome: outcome) }
            do {
                if let heartbeat {
                    for try await chunk in rendered.heartbeat(every: .milliseconds(Int64(heartbeat * 1000)), chunk: heartbeatBytes) {
                        bytes += chunk.count
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                } else {
                    for try await chunk in rendered {
                        bytes += chunk.count
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                }
            } catch is UpstreamFailed {
                outcome = "upstream failed; error record sent, connection closed"
                // Closing the connection drops writes the channel has not sent yet: let the error
                // record go out first, then end without the last chunk, so that an HTTP client
                // sees a broken response as well as the record.
                try? await Task.sleep(for: .milliseconds(200))
                throw UpstreamFailed()
            } catch {
                outcome = "client gone or write failed: \(error)"
                throw error
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    // MARK: Helpers

    /// `/streams/ID` with a well-formed id, or nil.
    static func streamPath(_ target: RequestTarget) -> String? {
        let path = target.path
        guard path.hasPrefix("/streams/") else { return nil }
        let id = path.dropFirst("/streams/".count)
        return StreamIDs.isStreamID(id) ? String(id) : nil
    }

    /// No caching, no proxy buffering (nginx honours X-Accel-Buffering), no Content-Length:
    /// the body is chunked and each record is flushed as it is written. For every streaming type.
    static func streamingHeaders(_ contentType: String) -> HTTPFields {
        [.contentType: contentType, .cacheControl: "no-cache", .xAccelBuffering: "no"]
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func notAcceptable() -> Response {
        let types = Negotiation.servable.map(\.mediaType).joined(separator: ", ")
        return plain(.notAcceptable, "none of the types in Accept can be served; this bridge serves \(types), or */*\n")
    }
}
