import StreamCodecCore
import StreamCodecSIMD

// The performance gate: `streamconv-bench --gate` (run by .ci/run). For each in-process scenario it
// times the library's conversion and, in turn with it, a reference loop over the same bytes (a
// 64-bit FNV-1a hash: one multiply per byte, serial, not vectorised by the compiler), and checks
// the ratio of the two against a floor checked in below. A ratio measured in the same run moves
// with the machine (a slower or busier machine slows both), so the gate holds on any machine
// where an absolute time would not; the floors sit well below what is measured so that noise
// does not fail it, while a lost fast path (a factor of 1.5 to 3) does.
//
// Raise a floor when a scenario gets faster for good; lower one only with a note in
// Docs/Performance.md saying why.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Converter speed / reference-loop speed must stay at or above these where a vector JSON kernel
/// runs (measured values are in Docs/Performance.md, "The performance gate"). The big-record
/// floors are above what the scalar path reaches, so a kernel that stops being used fails them.
let gateFloors: [String: Double] = [
    "openai.sse -> ndjson": 1.10,
    "anthropic.sse -> ndjson": 0.90,
    "big.sse -> ndjson": 0.90,
    "openai.ndjson -> sse": 1.15,
    "openai.ndjson -> ndjson": 1.20,
    "big.ndjson -> ndjson": 1.15,
    "openai.sse -> sse": 0.80,
    "openai.stream-json -> ndjson": 0.70,
    "openai.json-seq -> ndjson": 0.70,
    "openai.json-array -> ndjson": 0.65,
    "openai.ndjson -> json-array": 0.70,
]

/// The floors without a kernel (other CPUs, or STREAMCODEC_SIMD=off): the scalar path's.
let scalarGateFloors: [String: Double] = [
    "openai.sse -> ndjson": 0.90,
    "anthropic.sse -> ndjson": 0.70,
    "big.sse -> ndjson": 0.50,
    "openai.ndjson -> sse": 1.05,
    "openai.ndjson -> ndjson": 1.20,
    "big.ndjson -> ndjson": 0.65,
    "openai.sse -> sse": 0.80,
    "openai.stream-json -> ndjson": 0.70,
    "openai.json-seq -> ndjson": 0.70,
    "openai.json-array -> ndjson": 0.65,
    "openai.ndjson -> json-array": 0.70,
]

/// The time of one in-process conversion of `bytes` in 64 KiB chunks, and its record count.
func timeInProcess(_ bytes: [UInt8], from: String, to: String) -> (seconds: Double, records: Int) {
    let t0 = monotonicSeconds()
    var converter = try! Converter(from: from, to: to)
    var output: [UInt8] = []
    output.reserveCapacity(256 * 1024)
    var offset = 0
    bytes.withUnsafeBufferPointer { all in
        while offset < all.count {
            let end = min(offset + 65536, all.count)
            try! converter.convert(UnsafeBufferPointer(rebasing: all[offset..<end]), into: &output)
            output.removeAll(keepingCapacity: true)
            offset = end
        }
    }
    try! converter.finish(into: &output)
    return (monotonicSeconds() - t0, converter.recordCount)
}

/// The reference loop: 64-bit FNV-1a over `bytes`; returns its time (the hash is checked so
/// that the loop cannot be optimised away).
func timeReference(_ bytes: [UInt8]) -> Double {
    let t0 = monotonicSeconds()
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    bytes.withUnsafeBufferPointer { all in
        for byte in all { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    }
    let seconds = monotonicSeconds() - t0
    if hash == 0 { print("(reference hash 0)") }
    return seconds
}

/// Runs the gate over `scenarios`; returns the exit status (0 when every ratio holds its floor).
func runGate(_ scenarios: [Scenario], corpora: [String: Corpus], runs: Int) -> Int32 {
    let kernel = streamcodec_simd_kernel()
    let scalar = kernel == Int32(STREAMCODEC_KERNEL_NONE)
    let floors = scalar ? scalarGateFloors : gateFloors
    print("\n## Performance gate: library speed / reference-loop speed (FNV-1a over the same bytes), best of \(runs) interleaved runs\n")
    print(
        "JSON kernel: \(String(cString: streamcodec_simd_kernel_name(kernel))) (the floors for \(scalar ? "the scalar path" : "a kernel"))\n"
    )
    print("| scenario | library MB/s | reference MB/s | ratio | floor | |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    var failures = 0
    for s in scenarios {
        let bytes = corpora[s.corpus]!.bytes
        var library = Double.infinity
        var reference = Double.infinity
        for _ in 0..<runs {
            library = min(library, timeInProcess(bytes, from: s.from, to: s.to).seconds)
            reference = min(reference, timeReference(bytes))
        }
        let ratio = reference / library
        let floor = floors[s.name] ?? 0
        let ok = ratio >= floor
        if !ok { failures += 1 }
        let mb = Double(bytes.count) / 1e6
        print(
            "| \(s.name) | \(format(mb / library, 0)) | \(format(mb / reference, 0)) | \(format(ratio, 2)) | \(format(floor, 2)) | \(ok ? "ok" : "**below the floor**") |"
        )
    }
    if failures > 0 {
        print(
            "\n\(failures) scenario(s) below the floor: a fast path was lost, or the floor is wrong (Sources/streamconv-bench/Gate.swift says when to change one)."
        )
        return 1
    }
    print("\nevery scenario at or above its floor")
    return 0
}
