// Heartbeats for SSE output: proxies and load balancers close a connection that stays idle for
// 60 to 100 seconds, so a server streaming events inserts a comment line when nothing has been
// sent for a while: one comment line, `:` and LF, without a blank line (a blank line after an id
// makes some SDKs dispatch an empty event; see SSEEncoder.heartbeat(event:)). Comments are
// ignored by every SSE parser (WHATWG HTML 9.2.6). Some proxies
// strip comments, so a second style is a named event (`SSEEncoder.heartbeat(event:)` gives
// the exact bytes; Docs/Clients.md shows which clients accept which style).
//
// Pull-based, with no queue: a pump task asks upstream for the next element only when the
// consumer asks for one, and hands it over through a single slot. While the consumer waits
// longer than the interval, it gets a heartbeat chunk instead and keeps waiting for the same
// element. When the consumer goes away, the pump is cancelled and upstream is released.

/// Byte chunks with a heartbeat chunk inserted whenever upstream has been silent for `interval`.
public struct AsyncHeartbeatSequence<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == [UInt8] {
    public typealias Element = [UInt8]
    let base: Base
    let interval: Duration
    let heartbeat: [UInt8]

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base, interval: interval, heartbeat: heartbeat) }

    /// The iterator; a class so that dropping it cancels the pump (and releases upstream).
    public final class AsyncIterator: AsyncIteratorProtocol {
        let channel = HeartbeatChannel()
        let pump: Task<Void, Never>
        let interval: Duration
        let heartbeat: [UInt8]
        var finished = false

        init(base: Base, interval: Duration, heartbeat: [UInt8]) {
            self.interval = interval
            self.heartbeat = heartbeat
            let channel = self.channel
            pump = Task {
                var iterator = base.makeAsyncIterator()
                while await channel.waitForDemand() {
                    do {
                        let element = try await iterator.next()
                        await channel.deliver(.success(element))
                        if element == nil { return }
                    } catch {
                        await channel.deliver(.failure(error))
                        return
                    }
                }
            }
        }

        deinit {
            pump.cancel()
            let channel = self.channel
            Task { await channel.close() }
        }

        /// The next chunk, or a heartbeat after `interval` without one. Cancelling the calling
        /// task ends the sequence (and releases upstream); after an error or the end, every call
        /// returns nil.
        public func next() async throws -> [UInt8]? {
            if finished { return nil }
            if Task.isCancelled {
                stop()
                throw CancellationError()
            }
            let channel = self.channel
            let outcome = await withTaskCancellationHandler {
                await channel.next(timeout: interval)
            } onCancel: {
                Task { await channel.cancelWaiter() }
            }
            switch outcome {
            case .timeout:
                return heartbeat
            case .cancelled:
                stop()
                throw CancellationError()
            case .element(let result):
                do {
                    let element = try result.get()
                    if element == nil { finished = true }
                    return element
                } catch {
                    finished = true
                    throw error
                }
            }
        }

        private func stop() {
            finished = true
            pump.cancel()
            let channel = self.channel
            Task { await channel.close() }
        }
    }
}

/// The single slot between the pump and the consumer.
actor HeartbeatChannel {
    enum Outcome: Sendable {
        case element(Result<[UInt8]?, any Error>)
        case timeout
        case cancelled
    }

    private var ready: Result<[UInt8]?, any Error>?
    private var waiter: CheckedContinuation<Outcome, Never>?
    private var timer: Task<Void, Never>?
    private var demanded = false
    private var pumpWaiting: CheckedContinuation<Bool, Never>?
    private var closed = false

    /// Consumer: the next element, or `.timeout` after `timeout` without one.
    func next(timeout: Duration) async -> Outcome {
        if let ready {
            self.ready = nil
            return .element(ready)
        }
        if !demanded {
            demanded = true
            pumpWaiting?.resume(returning: true)
            pumpWaiting = nil
        }
        return await withCheckedContinuation { continuation in
            waiter = continuation
            timer = Task { [weak self] in
                do { try await Task.sleep(for: timeout) } catch { return }
                await self?.expire()
            }
        }
    }

    /// The consumer's task was cancelled: wake its wait.
    func cancelWaiter() {
        timer?.cancel()
        timer = nil
        guard let waiter else { return }
        self.waiter = nil
        waiter.resume(returning: .cancelled)
    }

    private func expire() {
        guard let waiter else { return }
        self.waiter = nil
        waiter.resume(returning: .timeout)
    }

    /// Pump: waits until the consumer wants an element; false once the channel is closed.
    func waitForDemand() async -> Bool {
        if closed { return false }
        if demanded { return true }
        return await withCheckedContinuation { pumpWaiting = $0 }
    }

    /// Pump: hands over one element (or the end, or an error).
    func deliver(_ result: Result<[UInt8]?, any Error>) {
        demanded = false
        timer?.cancel()
        timer = nil
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: .element(result))
        } else {
            ready = result
        }
    }

    func close() {
        closed = true
        pumpWaiting?.resume(returning: false)
        pumpWaiting = nil
        timer?.cancel()
    }
}

extension AsyncSequence where Self: Sendable, Element == [UInt8] {
    /// These chunks, with `heartbeat` (an SSE comment line, `:\\n`, by default) inserted whenever nothing has
    /// come from upstream for `interval`. Use it on SSE output (``AsyncEncodedSequence`` or
    /// ``AsyncConvertedSequence``), whose chunks always end at a record boundary.
    ///
    /// ```swift
    /// let body = records.encoded(SSEEncoder()).heartbeat(every: .seconds(15))
    /// ```
    public func heartbeat(every interval: Duration, chunk heartbeat: [UInt8] = Array(":\n".utf8)) -> AsyncHeartbeatSequence<Self> {
        AsyncHeartbeatSequence(base: self, interval: interval, heartbeat: heartbeat)
    }

    /// These chunks, with a heartbeat event of type `name` inserted whenever nothing has come
    /// from upstream for `interval`: `event: NAME`, `data: {"type":"NAME"}` and a blank line
    /// (``SSEEncoder/heartbeat(event:)``), for proxies that strip comment lines. A browser's
    /// EventSource fires it only for a listener of that type; `ping` is the name Anthropic's
    /// API and SDKs use.
    ///
    /// ```swift
    /// let body = try records.encoded(SSEEncoder()).heartbeat(every: .seconds(15), event: "ping")
    /// ```
    ///
    /// - Throws: ``StreamCodecError`` (``StreamCodecError/Code/invalidOptions``) when `name`
    ///   is empty or holds CR, LF or NUL.
    public func heartbeat(every interval: Duration, event name: String) throws(StreamCodecError) -> AsyncHeartbeatSequence<Self> {
        AsyncHeartbeatSequence(base: self, interval: interval, heartbeat: try SSEEncoder.heartbeat(event: name))
    }
}
