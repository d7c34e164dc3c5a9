// Records as numbered SSE events, resumable with Last-Event-ID.
//
// Record n of the upstream gets `id: n`. A reconnecting EventSource sends the last id it saw
// (`Last-Event-ID: k`); the bridge asks the upstream again and skips records 1...k, so the
// client neither loses nor repeats a record (this assumes the upstream replays the same records,
// as a recorded or cached stream does). Pull-based like the library's adapters: one upstream
// record is read per event asked for, nothing is buffered.

import StreamCodec

struct NumberedEvents<Base: AsyncSequence>: AsyncSequence where Base.Element == Record {
    typealias Element = Record
    let base: Base
    /// The client's Last-Event-ID: records up to and including it are skipped.
    let resumeAfter: UInt64
    /// Records before the first event (`retry:`), and after the last one (`[DONE]`, `event: end`).
    let opening: [Record]
    let closing: [Record]

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), resumeAfter: resumeAfter, pending: opening[...], closing: closing)
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let resumeAfter: UInt64
        var pending: ArraySlice<Record>
        var closing: [Record]?
        var number: UInt64 = 0

        mutating func next() async throws -> Record? {
            if let record = pending.popFirst() { return record }
            guard let closing else { return nil }
            while let record = try await base.next() {
                number += 1
                if number <= resumeAfter { continue }
                return .event(data: record.data, id: String(number))
            }
            self.closing = nil
            pending = closing[...]
            return pending.popFirst()
        }
    }
}

extension NumberedEvents: Sendable where Base: Sendable {}

extension AsyncSequence where Element == Record {
    /// These records as events `id: 1`, `id: 2`, ..., skipping those up to `lastEventID`.
    func numberedEvents(resumingAfter lastEventID: UInt64, opening: [Record] = [], closing: [Record] = []) -> NumberedEvents<Self> {
        NumberedEvents(base: self, resumeAfter: lastEventID, opening: opening, closing: closing)
    }
}
