// Test support for the async adapters (Sources/StreamCodec/Async): an instrumented upstream that
// plays a script (chunks, pauses, an endless wait, an error) and reports how often it was asked
// for an element and whether its iterator is gone; a byte collection that is not contiguous;
// the synchronous references (DecodingDriver, Converter, the encoders) the adapters must match;
// and small helpers to wait with a deadline instead of sleeping.
import Foundation
import StreamCodec
import Testing

// MARK: - Package root

enum AsyncFixtures {
    /// The package root, found from this file's path (Tests/StreamCodecTests/Async/<file>).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func bytes(_ caseName: String, _ file: String) throws -> [UInt8] {
        Array(
            try Data(
                contentsOf: packageRoot.appendingPathComponent("Fixtures").appendingPathComponent(caseName).appendingPathComponent(file)))
    }
}

// MARK: - Instrumented upstream

/// What an instrumented upstream saw, readable from any task.
final class UpstreamProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var _iteratorsMade = 0
    private var _pulls = 0
    private var _delivered = 0
    private var _released = 0
    private var _cancelledWaits = 0
    private var _waiting = false

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// Iterators made (`makeAsyncIterator()` calls).
    var iteratorsMade: Int { locked { _iteratorsMade } }
    /// `next()` calls started.
    var pulls: Int { locked { _pulls } }
    /// Elements returned by `next()`.
    var delivered: Int { locked { _delivered } }
    /// True once every iterator that was made has been deinitialised (and at least one was made).
    var isReleased: Bool { locked { _iteratorsMade > 0 && _released == _iteratorsMade } }
    /// Endless waits (`.hang`) that ended because their task was cancelled.
    var cancelledWaits: Int { locked { _cancelledWaits } }
    /// True while a `next()` call is inside an endless wait.
    var isWaiting: Bool { locked { _waiting } }

    func madeIterator() { locked { _iteratorsMade += 1 } }
    func pullStarted() { locked { _pulls += 1 } }
    func deliveredOne() { locked { _delivered += 1 } }
    func iteratorReleased() { locked { _released += 1 } }
    func setWaiting(_ value: Bool) { locked { _waiting = value } }
    func waitCancelled() { locked { _cancelledWaits += 1 } }
}

/// Lives inside an upstream iterator; its deinit tells the probe the iterator is gone.
final class ReleaseToken: Sendable {
    let probe: UpstreamProbe
    init(_ probe: UpstreamProbe) {
        self.probe = probe
        probe.madeIterator()
    }
    deinit { probe.iteratorReleased() }
}

struct UpstreamFailure: Error, Equatable {}

/// One step of an upstream's script.
enum UpstreamStep<Element: Sendable>: Sendable {
    /// `next()` returns this element.
    case element(Element)
    /// `next()` sleeps this long, then goes on with the next step (same call).
    case pause(Duration)
    /// `next()` waits until its task is cancelled, then throws `CancellationError`.
    case hang
    /// `next()` throws ``UpstreamFailure``.
    case fail
    /// `next()` waits (polling every 2 ms) until `condition` holds, then goes on with the next
    /// step (same call): a pause that lasts until the test has seen what it waits for, so no
    /// test depends on how fast the machine is.
    case waitUntil(@Sendable () -> Bool)
}

/// An upstream that plays `steps` and then ends (returns nil), counting into `probe`.
struct ScriptedUpstream<Element: Sendable>: AsyncSequence, Sendable {
    let steps: [UpstreamStep<Element>]
    let probe: UpstreamProbe

    init(_ steps: [UpstreamStep<Element>], probe: UpstreamProbe = UpstreamProbe()) {
        self.steps = steps
        self.probe = probe
    }

    /// An upstream that returns `elements` and ends.
    init(elements: [Element], probe: UpstreamProbe = UpstreamProbe()) {
        self.init(elements.map { .element($0) }, probe: probe)
    }

    func makeAsyncIterator() -> Iterator { Iterator(steps: steps, token: ReleaseToken(probe)) }

    struct Iterator: AsyncIteratorProtocol {
        let steps: [UpstreamStep<Element>]
        let token: ReleaseToken
        var index = 0

        mutating func next() async throws -> Element? {
            let probe = token.probe
            probe.pullStarted()
            while index < steps.count {
                let step = steps[index]
                index += 1
                switch step {
                case .element(let element):
                    probe.deliveredOne()
                    return element
                case .pause(let duration):
                    try await Task.sleep(for: duration)
                case .hang:
                    index -= 1 // stay here: every later call hangs too
                    probe.setWaiting(true)
                    defer { probe.setWaiting(false) }
                    do {
                        try await Task.sleep(for: .seconds(3600))
                    } catch {
                        probe.waitCancelled()
                        throw error
                    }
                case .fail:
                    throw UpstreamFailure()
                case .waitUntil(let condition):
                    while !condition() { try await Task.sleep(for: .milliseconds(2)) }
                }
            }
            return nil
        }
    }
}

// MARK: - Chunk types

/// Bytes kept in several separate arrays: a `Collection` that is not contiguous (its index is a
/// (part, offset) pair and `withContiguousStorageIfAvailable` gives nil), like a rope or
/// NIO's `ByteBufferView` chains.
struct ByteRope: Collection, Sendable, CustomStringConvertible {
    struct Index: Comparable, Sendable {
        var part: Int
        var offset: Int
        static func < (a: Index, b: Index) -> Bool { (a.part, a.offset) < (b.part, b.offset) }
    }

    /// Non-empty parts.
    let parts: [[UInt8]]

    /// `bytes` split into up to three parts at positions from `rng`.
    init(_ bytes: some Collection<UInt8>, rng: inout SplitMix64) {
        let all = Array(bytes)
        var parts: [[UInt8]] = []
        var start = 0
        while start < all.count {
            let length = parts.count == 2 ? all.count - start : 1 + rng.below(all.count - start)
            parts.append(Array(all[start..<start + length]))
            start += length
        }
        self.parts = parts
    }

    var startIndex: Index { Index(part: 0, offset: 0) }
    var endIndex: Index { Index(part: parts.count, offset: 0) }
    subscript(i: Index) -> UInt8 { parts[i.part][i.offset] }
    func index(after i: Index) -> Index {
        i.offset + 1 < parts[i.part].count ? Index(part: i.part, offset: i.offset + 1) : Index(part: i.part + 1, offset: 0)
    }
    var description: String { "ByteRope(\(parts.map(\.count)))" }
}

/// How chunks are typed when they reach the adapter.
enum AsyncChunkType: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case array = "[UInt8]"
    case arraySlice = "ArraySlice<UInt8> (indices not starting at 0)"
    case data = "Foundation Data (slices of one Data, indices not starting at 0)"
    case rope = "a non-contiguous Collection (ByteRope)"
    var testDescription: String { rawValue }
}

// MARK: - Chunkings

/// The chunkings every async decoding and conversion test uses: whole, one byte per chunk, and
/// random splits with fixed seeds (Support/Chunking.swift).
func asyncChunkings(for count: Int) -> [Chunking] {
    [
        .whole, .bytewise(count),
        .randomCuts(count, seed: 7), .randomCuts(count, seed: 0xA5A5),
        .randomSmallPieces(count, seed: 21), .randomSmallPieces(count, seed: 0xBEEF),
    ]
}

/// The pieces of `bytes` cut as `chunking`.
func nonEmptyPieces(_ bytes: [UInt8], _ chunking: Chunking) -> [ArraySlice<UInt8>] {
    chunking.pieces(of: bytes).filter { !$0.isEmpty }
}

// MARK: - Synchronous references

/// The records a `DecodingDriver` gives for `input` appended in one piece, and the error it
/// stopped with (if any).
func syncRecords<D: StreamDecoder>(_ input: [UInt8], _ decoder: D) -> (records: [Record], error: StreamCodecError?) {
    var driver = DecodingDriver(decoder: decoder)
    var records: [Record] = []
    do throws(StreamCodecError) {
        driver.append(input)
        while let record = try driver.next() { records.append(record) }
        driver.finishInput()
        while let record = try driver.next() { records.append(record) }
    } catch {
        return (records, error)
    }
    return (records, nil)
}

/// For chunks fed one after another to a `DecodingDriver`: how many chunks had been appended
/// when each record came out (entry k-1 for record k); input end counts as one more chunk.
func chunksNeeded<D: StreamDecoder>(_ pieces: [ArraySlice<UInt8>], _ decoder: D) throws -> [Int] {
    var driver = DecodingDriver(decoder: decoder)
    var needed: [Int] = []
    for (i, piece) in pieces.enumerated() {
        driver.append(piece)
        while try driver.next() != nil { needed.append(i + 1) }
    }
    driver.finishInput()
    while try driver.next() != nil { needed.append(pieces.count + 1) }
    return needed
}

/// What a synchronous `Converter` writes for `input` in one piece.
func syncConversion(_ input: [UInt8], from: String, to: String, options: ConversionOptions = ConversionOptions()) throws -> [UInt8] {
    var converter = try Converter(from: from, to: to, options: options)
    var output: [UInt8] = []
    try converter.convert(input, into: &output)
    try converter.finish(into: &output)
    return output
}

/// What `encoder` writes for `records`, split the way the async encoder must split it: the start
/// bytes plus the first record, then each further record, then the finish bytes (each piece
/// dropped when empty; the start and finish bytes share a chunk when there is no record).
func syncEncodedChunks<E: StreamEncoder>(_ records: [Record], _ encoder: E) throws -> [[UInt8]] {
    var encoder = encoder
    var chunks: [[UInt8]] = []
    var pending: [UInt8] = []
    try encoder.start(into: &pending)
    for record in records {
        try encoder.encode(record, into: &pending)
        if !pending.isEmpty {
            chunks.append(pending)
            pending = []
        }
    }
    try encoder.finish(into: &pending)
    if !pending.isEmpty { chunks.append(pending) }
    return chunks
}

// MARK: - Waiting without sleeping long

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body` in a task of its own and returns its result, or throws ``TimedOut`` (after
/// cancelling it) if it takes longer than `timeout`, even when `body` ignores the cancellation
/// (so a hang fails the test instead of hanging it). The deadline is generous: it only guards
/// against a hang, never measures speed (other tests running in parallel can hold every thread
/// of the cooperative pool for seconds, so the deadlines are 10 s).
func withDeadline<T: Sendable>(
    _ what: String, timeout: Duration = .seconds(120),
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let outcome = LockedValue<Result<T, any Error>?>(nil)
    let work = Task {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        outcome.mutate { if $0 == nil { $0 = result } }
    }
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while outcome.value == nil && clock.now < deadline {
        try? await Task.sleep(for: .milliseconds(2))
    }
    outcome.mutate { if $0 == nil { $0 = .failure(TimedOut(what: what)) } }
    work.cancel()
    return try outcome.value!.get()
}

/// Polls `condition` every few milliseconds until it holds or `timeout` passes; returns whether
/// it held. Returns as soon as it holds: the timeout is only reached when the test fails.
func pollUntil(_ timeout: Duration = .seconds(120), _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

/// Gives other tasks a chance to run (a slow consumer that does not hold the CPU).
func letOthersRun() async {
    for _ in 0..<20 { await Task.yield() }
    try? await Task.sleep(for: .milliseconds(2))
}

/// A value settable from one task and readable from another.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: Value
    init(_ value: Value) { _value = value }
    var value: Value {
        get {
            lock.lock()
            defer { lock.unlock() }
            return _value
        }
        set {
            lock.lock()
            defer { lock.unlock() }
            _value = newValue
        }
    }
    func mutate(_ body: (inout Value) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&_value)
    }
}

/// Collects every element of `sequence`.
func collectAll<S: AsyncSequence>(_ sequence: S) async throws -> [S.Element] {
    var result: [S.Element] = []
    for try await element in sequence { result.append(element) }
    return result
}

/// Every element of `sequence` until it ends or throws, and the error it threw.
func drainAll<S: AsyncSequence>(_ sequence: S) async -> (elements: [S.Element], error: (any Error)?) {
    var elements: [S.Element] = []
    do {
        for try await element in sequence { elements.append(element) }
    } catch {
        return (elements, error)
    }
    return (elements, nil)
}
