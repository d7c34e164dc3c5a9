// The latest records this replica appended to the streams it writes, kept in memory, so that
// its own readers (usually most of them: a client reads from the replica that started its stream)
// get them without a query, and are woken by the append itself rather than by the NOTIFY's round
// trip. A subset of what the database keeps: at most `capacity` records per stream and no more
// bytes than the stream's byte bound, the newest ones, so it never serves an evicted record.
// Dropped when the stream ends (readers then ask the database, which has the end).

import BridgeReplay
import NIOConcurrencyHelpers
import StreamCodec

final class RecentRecords: Sendable {
    private struct Ring {
        var entries: [ReplayEntry] = []
        var bytes = 0
        /// The position of the last record appended (0: none yet).
        var last: UInt64 = 0
    }
    private let rings = NIOLockedValueBox<[String: Ring]>([:])
    let capacity: Int
    let maxBytes: Int

    init(capacity: Int, maxBytes: Int) {
        self.capacity = max(0, capacity)
        self.maxBytes = maxBytes
    }

    /// The stream is written here: start keeping its records.
    func start(_ stream: String) {
        guard capacity > 0 else { return }
        rings.withLockedValue { $0[stream] = Ring() }
    }

    /// A record appended here at `position`.
    func appended(_ record: Record, at position: UInt64, to stream: String) {
        let size = record.data.count + (record.event?.utf8.count ?? 0) + (record.id?.utf8.count ?? 0)
        rings.withLockedValue { rings in
            guard var ring = rings.removeValue(forKey: stream) else { return }
            // Positions must follow on; anything else (a retry after an error) starts over.
            if let last = ring.entries.last, last.position + 1 != position { ring = Ring() }
            ring.entries.append(ReplayEntry(position: position, record: record))
            ring.bytes += size
            ring.last = position
            while ring.entries.count > capacity || (ring.bytes > maxBytes && !ring.entries.isEmpty) {
                let first = ring.entries.removeFirst()
                ring.bytes -= first.record.data.count + (first.record.event?.utf8.count ?? 0) + (first.record.id?.utf8.count ?? 0)
            }
            rings[stream] = ring
        }
    }

    /// The stream ended (or is not written here any more).
    func stop(_ stream: String) {
        _ = rings.withLockedValue { $0.removeValue(forKey: stream) }
    }

    /// The kept records right after `position` (at most `limit`), or nil when the next one is not
    /// kept here (ask the database).
    func read(_ stream: String, after position: UInt64, limit: Int) -> [ReplayEntry]? {
        rings.withLockedValue { rings in
            guard let ring = rings[stream], let first = ring.entries.first, position + 1 >= first.position,
                position < ring.entries.last!.position
            else { return nil }
            let start = Int(position + 1 - first.position)
            return Array(ring.entries[start..<min(ring.entries.count, start + max(1, limit))])
        }
    }

    /// Whether a reader after `position` is at the live tail of a stream written here: nothing
    /// newer exists yet, and the stream runs (it would not be kept here otherwise).
    func isAtTail(_ stream: String, after position: UInt64) -> Bool {
        rings.withLockedValue { $0[stream]?.last == position }
    }
}
