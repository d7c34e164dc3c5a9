import StreamCodecCore
import StreamCodecSIMD

// The streamconv benchmark: `swift run -c release streamconv-bench [--mib N] [--runs N] [--in-process-only]` (`--help` lists the rest).
//
// For each scenario it reports, from one run on one machine:
// - in-process library throughput (Converter fed 64 KiB chunks from memory): MB/s and records/s;
// - the CLI through pipes next to `cat` through the same pipes (`cat FILE | X | cat`), run in
//   turn (A B A B ...), the median of each and the ratio cat-time / streamconv-time (1.0 = keeps
//   up with cat);
// - the same conversions with the input written one record per write(2), as a server streams
//   it (this program replays the corpus: `--replay-events FILE`, `--replay-lines FILE`);
// - the CLI's peak RSS (VmHWM) and start-up time;
// - peers (Go's encoding/json, simdjson, jq, Python, Node.js) validating NDJSON through the same
//   pipes, interleaved with streamconv, when they are installed (Peers.swift), each timed only
//   once its output is checked to be streamconv's, byte for byte.
// Corpora are generated deterministically (SplitMix64), so every run measures the same bytes.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

var mib = 64
var runs = 5
var inProcessOnly = false
var only: String?
var writeCorpora: String?
var gate = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let arg = arguments.next() {
    switch arg {
    case "--mib": mib = Int(arguments.next() ?? "") ?? mib
    case "--runs": runs = Int(arguments.next() ?? "") ?? runs
    case "--in-process-only": inProcessOnly = true
    case "--only": only = arguments.next()
    case "--write-corpora": writeCorpora = arguments.next()
    case "--gate": gate = true
    case "--replay-events", "--replay-lines": replay(arguments.next() ?? "", events: arg == "--replay-events")
    default:
        print(
            "usage: streamconv-bench [--mib N (corpus size, default 64)] [--runs N (default 5)] [--in-process-only] [--only SUBSTRING] [--write-corpora DIR] [--gate (the in-process scenarios against a reference loop and the floors in Gate.swift; exit 1 below a floor)] [--replay-events FILE | --replay-lines FILE (write FILE one SSE event or one line per write(2): the benchmark's producer for streamed input)]"
        )
        exit(2)
    }
}

struct Scenario {
    var corpus: String
    var from: String
    var to: String
    var name: String { "\(corpus) -> \(to)" }
}

print("Generating corpora (\(mib) MiB each)... JSON kernel: \(String(cString: streamcodec_simd_kernel_name(streamcodec_simd_kernel())))")
var corpora: [String: Corpus] = [:]
for corpus in Corpora.all(mebibytes: mib) { corpora[corpus.name] = corpus }

/// Converts `bytes` in 64 KiB chunks with the library; returns the output.
func convertInProcess(_ bytes: [UInt8], from: String, to: String, options: ConversionOptions = ConversionOptions()) -> (
    output: [UInt8], records: Int
) {
    var converter = try! Converter(from: from, to: to, options: options)
    var output: [UInt8] = []
    output.reserveCapacity(256 * 1024)
    var total: [UInt8] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(offset + 65536, bytes.count)
        try! converter.convert(bytes[offset..<end], into: &output)
        total += output
        output.removeAll(keepingCapacity: true)
        offset = end
    }
    try! converter.finish(into: &output)
    total += output
    return (total, converter.recordCount)
}

// Derived corpora in the other formats, made with the library itself.
let openNDJSON = corpora["openai.ndjson"]!
for target in ["json-seq", "json-array", "stream-json"] {
    let converted = convertInProcess(openNDJSON.bytes, from: "ndjson", to: target)
    let name = "openai.\(target)"
    corpora[name] = Corpus(name: name, format: target, bytes: converted.output, records: converted.records)
}

if let writeCorpora {
    mkdir(writeCorpora, 0o755)
    for (name, corpus) in corpora {
        let fd = open("\(writeCorpora)/\(name)", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        corpus.bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count { offset += write(fd, raw.baseAddress! + offset, raw.count - offset) }
        }
        close(fd)
    }
    print("corpora written to \(writeCorpora)")
    exit(0)
}

var scenarios = [
    Scenario(corpus: "openai.sse", from: "sse", to: "ndjson"),
    Scenario(corpus: "anthropic.sse", from: "sse", to: "ndjson"),
    Scenario(corpus: "big.sse", from: "sse", to: "ndjson"),
    Scenario(corpus: "openai.ndjson", from: "ndjson", to: "sse"),
    Scenario(corpus: "openai.ndjson", from: "ndjson", to: "ndjson"),
    Scenario(corpus: "big.ndjson", from: "ndjson", to: "ndjson"),
    Scenario(corpus: "openai.sse", from: "sse", to: "sse"),
    Scenario(corpus: "openai.stream-json", from: "stream-json", to: "ndjson"),
    Scenario(corpus: "openai.json-seq", from: "json-seq", to: "ndjson"),
    Scenario(corpus: "openai.json-array", from: "json-array", to: "ndjson"),
    Scenario(corpus: "openai.ndjson", from: "ndjson", to: "json-array"),
]
if let only { scenarios = scenarios.filter { $0.name.contains(only) } }
if gate { exit(runGate(scenarios, corpora: corpora, runs: runs)) }

func format(_ x: Double, _ digits: Int = 1) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (x * scale).rounded() / scale
    var text = "\(rounded)"
    if !text.contains(".") { text += "." }
    let decimals = text.count - 1 - text.distance(from: text.startIndex, to: text.firstIndex(of: ".")!)
    if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    return text
}

print("\n## In-process (library, 64 KiB chunks, best of \(runs))\n")
print("| scenario | input MB | records | MB/s | records/s |")
print("| --- | ---: | ---: | ---: | ---: |")
for s in scenarios {
    let corpus = corpora[s.corpus]!
    var best = Double.infinity
    var records = 0
    for _ in 0..<runs {
        let run = timeInProcess(corpus.bytes, from: s.from, to: s.to)
        best = min(best, run.seconds)
        records = run.records
    }
    let mb = Double(corpus.bytes.count) / 1e6
    print("| \(s.name) | \(format(mb)) | \(records) | \(format(mb / best, 0)) | \(format(Double(records) / best, 0)) |")
}

print("\n## Linear time: one large SSE event (data over many lines) fed whole and one byte at a time\n")
print("| event | fed whole | one byte at a time | per-byte cost, byte at a time / whole |")
print("| --- | ---: | ---: | ---: |")
func bigEvent(_ size: Int) -> [UInt8] {
    var b: [UInt8] = []
    var i = 0
    while b.count < size {
        b += Array("data: {\"i\":\(i),\"text\":\"token 世界 🙂 stream\"}\n".utf8)
        i += 1
    }
    return b + [0x0A]
}
func timeEvent(_ bytes: [UInt8], chunk: Int) -> Double {
    var best = Double.infinity
    for _ in 0..<3 {
        var driver = DecodingDriver(decoder: SSEDecoder(), maxRecordBytes: 64 << 20)
        let t0 = monotonicSeconds()
        var n = 0
        bytes.withUnsafeBufferPointer { all in
            var offset = 0
            while offset < all.count {
                let end = min(offset + chunk, all.count)
                driver.append(UnsafeBufferPointer(rebasing: all[offset..<end]))
                do { while (try driver.next()) != nil { n += 1 } } catch { fatalError("\(error)") }
                offset = end
            }
        }
        precondition(n == 1)
        best = min(best, monotonicSeconds() - t0)
    }
    return best
}
/// One SSE event of about `size` bytes whose data is one JSON array, one element per line.
func bigJSONEvent(_ size: Int) -> [UInt8] {
    var b = Array("data: [\n".utf8)
    var i = 0
    while b.count < size {
        b += Array("data: {\"i\":\(i),\"text\":\"token 世界 🙂 stream\"},\n".utf8)
        i += 1
    }
    return b + Array("data: 0]\n\n".utf8)
}
/// The same through a `Converter` (SSE to NDJSON, what the CLI runs on each read).
func timeConversion(_ bytes: [UInt8], chunk: Int) -> Double {
    var best = Double.infinity
    for _ in 0..<3 {
        var options = ConversionOptions()
        options.maxRecordBytes = 64 << 20
        var converter = try! Converter(from: "sse", to: "ndjson", options: options)
        var output: [UInt8] = []
        let t0 = monotonicSeconds()
        bytes.withUnsafeBufferPointer { all in
            var offset = 0
            while offset < all.count {
                let end = min(offset + chunk, all.count)
                try! converter.convert(UnsafeBufferPointer(rebasing: all[offset..<end]), into: &output)
                offset = end
            }
        }
        try! converter.finish(into: &output)
        precondition(converter.recordCount == 1)
        best = min(best, monotonicSeconds() - t0)
    }
    return best
}
var perByteRatios: [Int: Double] = [:]
for size in [1 << 20, 2 << 20] {
    let event = bigEvent(size)
    let whole = timeEvent(event, chunk: event.count)
    let bytewise = timeEvent(event, chunk: 1)
    perByteRatios[size] = bytewise
    print(
        "| \(size >> 20) MiB, DecodingDriver<SSEDecoder> | \(format(whole * 1000, 2)) ms | \(format(bytewise * 1000, 1)) ms | \(format(bytewise / whole, 1)) |"
    )
}
for size in [1 << 20] {
    let event = bigJSONEvent(size)
    let whole = timeConversion(event, chunk: event.count)
    let bytewise = timeConversion(event, chunk: 1)
    print(
        "| \(size >> 20) MiB, Converter sse -> ndjson | \(format(whole * 1000, 2)) ms | \(format(bytewise * 1000, 1)) ms | \(format(bytewise / whole, 1)) |"
    )
}
/// For reference, no decoding at all: the same bytes appended to an array, as one-byte pieces
/// in the same loop as above (`append(contentsOf:)`), and element by element.
func timeArrayAppend(_ bytes: [UInt8], pieces: Bool) -> Double {
    var best = Double.infinity
    for _ in 0..<3 {
        var sink: [UInt8] = []
        let t0 = monotonicSeconds()
        bytes.withUnsafeBufferPointer { all in
            if pieces {
                var offset = 0
                while offset < all.count {
                    let end = min(offset + 1, all.count)
                    sink.append(contentsOf: UnsafeBufferPointer(rebasing: all[offset..<end]))
                    offset = end
                }
            } else {
                for i in all.indices { sink.append(all[i]) }
            }
        }
        precondition(sink.count == bytes.count)
        best = min(best, monotonicSeconds() - t0)
    }
    return best
}
do {
    let event = bigEvent(1 << 20)
    let pieces = timeArrayAppend(event, pieces: true)
    let elements = timeArrayAppend(event, pieces: false)
    print("| 1 MiB, no decoding (reference): `[UInt8].append(contentsOf:)` of one-byte pieces | | \(format(pieces * 1000, 1)) ms | |")
    print("| 1 MiB, no decoding (reference): `[UInt8].append` of each byte | | \(format(elements * 1000, 1)) ms | |")
}
print("\nDoubling the event (one byte at a time): \(format(perByteRatios[2 << 20]! / perByteRatios[1 << 20]!, 2)) x the time (linear: 2).")

if inProcessOnly { exit(0) }

let directory = executableDirectory()
let binary = getenv("STREAMCONV").map { String(cString: $0) } ?? directory + "/streamconv"
print("\n## The CLI through pipes next to cat (median of \(runs) interleaved runs each)\n")
print("binary: \(binary)\n")
print("| scenario | streamconv MB/s | cat MB/s | ratio (x cat) | streamconv peak RSS |")
print("| --- | ---: | ---: | ---: | ---: |")
let tmp = "/tmp/streamconv-bench-\(getpid())"
mkdir(tmp, 0o755)
/// The corpus as a file in `tmp` (written on first use).
@MainActor func corpusFile(_ name: String) -> String {
    let path = "\(tmp)/\(name)"
    if access(path, F_OK) != 0 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        corpora[name]!.bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count { offset += write(fd, raw.baseAddress! + offset, raw.count - offset) }
        }
        close(fd)
    }
    return path
}
for s in scenarios {
    let corpus = corpora[s.corpus]!
    let path = corpusFile(s.corpus)
    var tool: [Double] = []
    var cat: [Double] = []
    let command = [binary, "-f", s.from, "-t", s.to]
    for _ in 0..<runs {
        tool.append(runPipeline([["cat"], command, ["cat"]], input: path).wallSeconds)
        cat.append(runPipeline([["cat"], ["cat"], ["cat"]], input: path).wallSeconds)
    }
    // One more run, watched, for the peak RSS (not timed: the sampling would disturb it).
    let peak = runPipeline([["cat"], command, ["cat"]], input: path, sample: 1).peakKiB
    let mb = Double(corpus.bytes.count) / 1e6
    let ratio = median(cat) / median(tool)
    print(
        "| \(s.name) | \(format(mb / median(tool), 0)) | \(format(mb / median(cat), 0)) | \(format(ratio, 2)) | \(format(Double(peak) / 1024, 1)) MiB |"
    )
}

// The same conversions with the input arriving as a server streams it: one write(2) per record,
// from a producer that is this benchmark (`--replay-events` / `--replay-lines`), so that `cat`
// and streamconv read what a network stream gives them: whatever has arrived, often one record.
// Three processes and a write per record on a small machine: the scheduling varies from run to
// run more than with bulk input, so this table takes more runs.
let streamedRuns = 2 * runs - 1
print("\n## The CLI when the input arrives as a server streams it (median of \(streamedRuns) interleaved runs each)\n")
print(
    "`streamconv-bench --replay-events FILE` (an SSE event per write) or `--replay-lines FILE` (a line per write) | X | cat > /dev/null, with X streamconv or cat.\n"
)
print("| scenario | streamconv MB/s | cat MB/s | ratio (x cat) |")
print("| --- | ---: | ---: | ---: |")
for s in scenarios {
    let path = corpusFile(s.corpus)
    let producer = [directory + "/streamconv-bench", s.from == "sse" ? "--replay-events" : "--replay-lines", path]
    var tool: [Double] = []
    var cat: [Double] = []
    for _ in 0..<streamedRuns {
        tool.append(runPipeline([producer, [binary, "-f", s.from, "-t", s.to], ["cat"]], input: "/dev/null").wallSeconds)
        cat.append(runPipeline([producer, ["cat"], ["cat"]], input: "/dev/null").wallSeconds)
    }
    let mb = Double(corpora[s.corpus]!.bytes.count) / 1e6
    print("| \(s.name) | \(format(mb / median(tool), 0)) | \(format(mb / median(cat), 0)) | \(format(median(cat) / median(tool), 2)) |")
}

// Peers through the same pipes: NDJSON validation and minification (the job every peer on this
// list can do), each interleaved with streamconv on the same corpus.
if only == nil || "openai.ndjson -> ndjson".contains(only!) {
    let peerCorpus = "openai.ndjson"
    let path = corpusFile(peerCorpus)
    let (peers, notes) = ndjsonPeers(buildingIn: tmp)
    print("\n## Peers through the same pipes: \(peerCorpus) validated and minified (median of \(runs) interleaved runs each)\n")
    print(
        "Each tool runs as `cat FILE | TOOL | cat > /dev/null`, in turn with `streamconv -f ndjson -t ndjson`; tools not on PATH are left out. A tool is timed only once its output is streamconv's, byte for byte.\n"
    )
    print("| tool | MB/s | streamconv MB/s (same runs) | streamconv / tool |")
    print("| --- | ---: | ---: | ---: |")
    let mb = Double(corpora[peerCorpus]!.bytes.count) / 1e6
    let expected = "\(tmp)/peer-expected"
    let produced = "\(tmp)/peer-output"
    if !peers.isEmpty { _ = runPipeline([[binary, "-f", "ndjson", "-t", "ndjson"]], input: path, output: expected) }
    for peer in peers {
        // Once untimed: the same job only if the same bytes come out.
        let check = runPipeline([peer.command], input: path, output: produced)
        if check.statuses[0] != 0 {
            print("| \(peer.name) | failed (exit status \(check.statuses[0])) | | |")
            continue
        }
        if let offset = firstDifference(produced, expected) {
            print("| \(peer.name) | output differs from streamconv's at byte \(offset) (not timed) | | |")
            continue
        }
        var ours: [Double] = []
        var theirs: [Double] = []
        var failed = false
        for _ in 0..<runs {
            ours.append(runPipeline([["cat"], [binary, "-f", "ndjson", "-t", "ndjson"], ["cat"]], input: path).wallSeconds)
            let run = runPipeline([["cat"], peer.command, ["cat"]], input: path)
            failed = failed || run.statuses[1] != 0
            theirs.append(run.wallSeconds)
        }
        if failed {
            print("| \(peer.name) | failed | | |")
            continue
        }
        print(
            "| \(peer.name) | \(format(mb / median(theirs), 0)) | \(format(mb / median(ours), 0)) | \(format(median(theirs) / median(ours), 1)) x |"
        )
    }
    if peers.isEmpty { print("(no peer found on PATH: go, c++ with libsimdjson-dev, jq, python3, node)") }
    for note in notes { print("\n(\(note))") }
    unlink(expected)
    unlink(produced)
}

print("\n## Start-up (median of 21 runs of `streamconv -f sse -t ndjson < /dev/null`)\n")
var startTimes: [Double] = []
for _ in 0..<21 {
    startTimes.append(runPipeline([[binary, "-f", "sse", "-t", "ndjson"]], input: "/dev/null").wallSeconds)
}
print("start-up: \(format(median(startTimes) * 1000, 2)) ms (process start to exit, including spawning it)")
for name in corpora.keys { unlink("\(tmp)/\(name)") }
// The Go and simdjson peers' build products, if any.
let peerFiles = [
    "peer.go", "peer-go", "gocache", "gopath", "peer-simdjson.cpp", "peer-simdjson", "peer-simdjson.log", "peer-simdjson.version",
]
_ = runPipeline([["rm", "-rf"] + peerFiles.map { "\(tmp)/\($0)" }], input: "/dev/null")
rmdir(tmp)
