// swift-tools-version:6.0
// streamconv / StreamCodec: convert between streaming encodings (SSE, NDJSON, stream+json, ...).
// No package dependencies, by design: the library uses the Swift standard library and libc only.
import PackageDescription

let package = Package(
    name: "streamconv",
    products: [
        .library(name: "StreamCodec", targets: ["StreamCodec"]),
        .executable(name: "streamconv", targets: ["streamconv"]),
    ],
    targets: [
        // The codecs, the driver, the converter and the registry: stdlib and libc only.
        .target(name: "StreamCodecCore"),
        // The public module: the core re-exported, plus the AsyncSequence adapters.
        .target(name: "StreamCodec", dependencies: ["StreamCodecCore"]),
        .executableTarget(
            name: "streamconv",
            dependencies: ["StreamCodecCore"],
            // The Swift runtime linked in: a filter that starts in ~2 ms with a small, flat RSS.
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
        ),
        // The benchmark: `swift run -c release streamconv-bench` (see Docs/Performance.md).
        .executableTarget(name: "streamconv-bench", dependencies: ["StreamCodecCore"]),
        .testTarget(name: "StreamCodecTests", dependencies: ["StreamCodec"]),
        // End-to-end tests run the built `streamconv` binary through real pipes.
        .testTarget(name: "streamconvTests", dependencies: ["streamconv"]),
    ],
    swiftLanguageModes: [.v6]
)
