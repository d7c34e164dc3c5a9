// PeerBenchmark: StreamCodec's SSE decoder next to mattt/EventSource's parser, on the same
// bytes and the same chunks, in one process. `swift run -c release PeerBenchmark [--runs N]`.
// Release build, best of N runs (default 3). MB = 10^6 bytes.
import Foundation
import StreamCodec

let arguments = CommandLine.arguments
let runs = arguments.firstIndex(of: "--runs").flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? 3
let kib = 1024
let mib = 1024 * 1024

func size(_ bytes: Int) -> String { bytes >= mib ? "\(bytes / mib) MiB" : "\(bytes / kib) KiB" }

struct Corpus {
    let name: String
    let bytes: [UInt8]
    let events: Int
    let eventSize: Int? // the big events' size
    let chunkSizes: [Int]
    let maxRecordBytes: Int
}

print("Generating corpora...")
let small = smallEventsCorpus(bytes: 32 * mib)
var corpora = [
    Corpus(
        name: "small events (~\(small.bytes.count / small.events) B), 32 MiB", bytes: small.bytes, events: small.events,
        eventSize: nil, chunkSizes: [64 * kib], maxRecordBytes: DecodingDriver<SSEDecoder>.defaultRecordLimit)
]
for eventSize in [64 * kib, 256 * kib, mib] {
    let big = bigEventsCorpus(eventBytes: eventSize, bytes: 16 * mib)
    corpora.append(
        Corpus(
            name: "events of \(size(eventSize)), 16 MiB", bytes: big.bytes, events: big.events,
            eventSize: eventSize, chunkSizes: [64 * kib, kib], maxRecordBytes: 64 * mib))
}

/// The best time of `runs` runs, and the tally of the last one.
func best(_ body: () async throws -> Tally) async rethrows -> (seconds: Double, tally: Tally) {
    var best = Double.infinity
    var tally = Tally()
    for _ in 0..<runs {
        let start = ContinuousClock.now
        tally = try await body()
        let elapsed = ContinuousClock.now - start
        best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    return (best, tally)
}

struct Row {
    let library: String
    let corpus: Corpus
    let chunkSize: Int
    let seconds: Double
    var megabytesPerSecond: Double { Double(corpus.bytes.count) / seconds / 1e6 }
    var eventsPerSecond: Double { Double(corpus.events) / seconds }
}

let libraries = ["StreamCodec", "EventSource Parser", "EventSource .events"]
var rows: [Row] = []
for corpus in corpora {
    // Correctness guard: the same events, with the same data, from both (smallest chunks).
    let guardChunks = chunks(of: corpus.bytes, size: corpus.chunkSizes.min()!)
    let ours = try decodeWithStreamCodec(guardChunks, maxRecordBytes: corpus.maxRecordBytes, keep: true).kept!
    let theirs = await decodeWithEventSourceParser(guardChunks, keep: true).kept!
    if ours.count != corpus.events || theirs.count != corpus.events {
        print("WARNING: \(corpus.name): \(corpus.events) events generated, StreamCodec \(ours.count), EventSource \(theirs.count)")
    } else if let i = ours.indices.first(where: { ours[$0] != theirs[$0] }) {
        print("WARNING: \(corpus.name): event \(i) has different data")
    }

    for chunkSize in corpus.chunkSizes {
        print("Measuring \(corpus.name), \(size(chunkSize)) chunks...")
        let pieces = chunks(of: corpus.bytes, size: chunkSize)
        let measured = [
            try await best { try decodeWithStreamCodec(pieces, maxRecordBytes: corpus.maxRecordBytes) },
            await best { await decodeWithEventSourceParser(pieces) },
            try await best { try await decodeWithEventSourceSequence(pieces) },
        ]
        for (library, result) in zip(libraries, measured) {
            if result.tally.events != corpus.events {
                print("WARNING: \(library) decoded \(result.tally.events) events, not \(corpus.events)")
            }
            rows.append(Row(library: library, corpus: corpus, chunkSize: chunkSize, seconds: result.seconds))
        }
    }
}

print("\n| library | corpus | chunk size | MB/s | events/s |")
print("| --- | --- | ---: | ---: | ---: |")
for row in rows {
    print(
        "| \(row.library) | \(row.corpus.name) | \(size(row.chunkSize)) | "
            + String(format: "%.1f | %.0f |", row.megabytesPerSecond, row.eventsPerSecond))
}

print("\nStreamCodec's speed / EventSource's (same corpus, same chunks):")
for row in rows where row.library != "StreamCodec" {
    let ours = rows.first { $0.library == "StreamCodec" && $0.corpus.name == row.corpus.name && $0.chunkSize == row.chunkSize }!
    print(
        "- \(row.library), \(row.corpus.name), \(size(row.chunkSize)) chunks: "
            + String(format: "%.1f x", ours.megabytesPerSecond / row.megabytesPerSecond))
}

print("\nTime per 1 MiB event / time per 256 KiB event (4 = linear, 16 = quadratic):")
for library in libraries {
    for chunkSize in [64 * kib, kib] {
        func perEvent(_ eventSize: Int) -> Double {
            let row = rows.first { $0.library == library && $0.chunkSize == chunkSize && $0.corpus.eventSize == eventSize }!
            return row.seconds / Double(row.corpus.events)
        }
        print(
            "- \(library), \(size(chunkSize)) chunks: "
                + String(
                    format: "%.2f (256 KiB / 64 KiB: %.2f)",
                    perEvent(mib) / perEvent(256 * kib), perEvent(256 * kib) / perEvent(64 * kib)))
    }
}
