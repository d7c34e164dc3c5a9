// swift-tools-version:6.0
// streamconv / StreamCodec: convert between streaming encodings (SSE, NDJSON, stream+json, ...).
// No package dependencies, by design: the library uses the Swift standard library and libc only.
import PackageDescription

/// The directory of this manifest (linker flags need absolute paths: the link does not run here).
let packageDirectory = String(#filePath.dropLast("/Package.swift".count))

let package = Package(
    name: "streamconv",
    // The lowest versions the APIs used allow (Docs/Platforms.md lists each gated API): the async
    // adapters' `Duration` and `Task.sleep(for:)` need macOS 13, iOS 16, tvOS 16, watchOS 9.
    // Linux needs no entry (any Swift 6 toolchain).
    platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9), .visionOS(.v1)],
    products: [
        .library(name: "StreamCodec", targets: ["StreamCodec"]),
        // Typed records: Decodable values from records, Encodable values to records. The only
        // target that imports Foundation.
        .library(name: "StreamCodecFoundation", targets: ["StreamCodecFoundation"]),
        .executable(name: "streamconv", targets: ["streamconv"]),
    ],
    targets: [
        // The codecs, the driver, the converter and the registry: stdlib and libc only.
        .target(name: "StreamCodecCore", dependencies: ["StreamCodecSIMD"]),
        // Vector kernels in C with run-time dispatch (AVX2 on x86-64), each behind a scalar
        // reference in StreamCodecCore: libc only.
        .target(name: "StreamCodecSIMD"),
        // The public module: the core re-exported, plus the AsyncSequence adapters.
        .target(name: "StreamCodec", dependencies: ["StreamCodecCore"]),
        // Codable on top of the codecs (JSONDecoder / JSONEncoder): the only Foundation import.
        .target(name: "StreamCodecFoundation", dependencies: ["StreamCodec"]),
        // mallopt for the CLI (the Swift Glibc module does not expose it).
        .target(name: "CMallocTuning"),
        .executableTarget(
            name: "streamconv",
            dependencies: ["StreamCodecCore", "StreamCodecSIMD", "CMallocTuning"],
            exclude: ["Linking"],
            // A fully static executable (C library and Swift runtime linked in, so nothing is
            // relocated at start-up), with the code a run executes placed together
            // (Sources/streamconv/Linking/streamconv.order; regenerate it with generate-order.sh there): the kernel maps
            // 64 KiB around every page touched, so scattered code costs its 64 KiB neighbourhoods.
            // Peak RSS about 3.3 MiB instead of 7.1 MiB.
            linkerSettings: [
                .unsafeFlags(
                    [
                        "-static-executable", "-use-ld=lld",
                        "-Xlinker", "--symbol-ordering-file=\(packageDirectory)/Sources/streamconv/Linking/streamconv.order",
                        "-Xlinker", "--no-warn-symbol-ordering",
                    ],
                    .when(platforms: [.linux], configuration: .release))
            ]
        ),
        // The benchmark: `swift run -c release streamconv-bench` (see Docs/Performance.md).
        .executableTarget(name: "streamconv-bench", dependencies: ["StreamCodecCore", "StreamCodecSIMD"]),
        .testTarget(name: "StreamCodecTests", dependencies: ["StreamCodec"]),
        .testTarget(name: "StreamCodecFoundationTests", dependencies: ["StreamCodecFoundation"]),
        // End-to-end tests run the built `streamconv` binary through real pipes.
        .testTarget(name: "streamconvTests", dependencies: ["streamconv"]),
    ],
    swiftLanguageModes: [.v6]
)
