// swift-tools-version:6.0
// HummingbirdBridge: a Hummingbird 2 server that bridges streaming encodings with StreamCodec.
// NDJSON upstream (an Ollama-style /api/chat) -> text/event-stream for EventSource, and the reverse.
// A separate package so that the main package stays dependency-free.
import PackageDescription

let package = Package(
    name: "HummingbirdBridge",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "streamconv", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already a dependency of Hummingbird; named here because the bridge uses HTTPField.Name.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdBridge",
            dependencies: [
                .product(name: "StreamCodec", package: "streamconv"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Public")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
