// swift-tools-version:6.0
// PeerBenchmark: StreamCodec's SSE decoding side by side with mattt/EventSource's parser, on the
// same bytes, in one run. A separate package so that the main package stays dependency-free.
import PackageDescription

#if os(Linux)
    // EventSource 1.1.1 does not build on Linux: its network client calls
    // URLSession.bytes(for:delegate:), which swift-corelibs-foundation lacks. Its parser, unchanged,
    // is in Vendor/EventSource (with the client cut out; see the header of EventSource.swift there).
    let eventSourcePackages: [Package.Dependency] = []
    let eventSource: Target.Dependency = "EventSource"
    let vendoredTargets: [Target] = [.target(name: "EventSource", path: "Vendor/EventSource", exclude: ["LICENSE"])]
#else
    let eventSourcePackages: [Package.Dependency] = [.package(url: "https://github.com/mattt/EventSource", exact: "1.1.1")]
    let eventSource: Target.Dependency = .product(name: "EventSource", package: "EventSource")
    let vendoredTargets: [Target] = []
#endif

let package = Package(
    name: "PeerBenchmark",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "streamconv", path: "../..")] + eventSourcePackages,
    targets: [
        .executableTarget(
            name: "PeerBenchmark",
            dependencies: [.product(name: "StreamCodec", package: "streamconv"), eventSource]
        )
    ] + vendoredTargets,
    swiftLanguageModes: [.v6]
)
