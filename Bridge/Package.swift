// swift-tools-version:6.0
// streamconv-bridge: a streaming reverse proxy that converts between streaming encodings with
// StreamCodec, resumes dropped connections and fans one upstream stream out to many subscribers.
// A separate package so that the main package stays dependency-free.
import PackageDescription

let package = Package(
    name: "Bridge",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "streamconv-bridge", targets: ["streamconv-bridge"]),
        .library(name: "BridgeReplay", targets: ["BridgeReplay"]),
        .library(name: "BridgePostgres", targets: ["BridgePostgres"]),
    ],
    dependencies: [
        .package(name: "streamconv", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already dependencies of Hummingbird and AsyncHTTPClient; named for the modules used directly.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The PostgreSQL replay store (several replicas sharing streams).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // The replay store: a protocol and an in-memory ring bounded by records and bytes.
        // Depends on StreamCodec only, so any Swift server can use it.
        .target(
            name: "BridgeReplay",
            dependencies: [.product(name: "StreamCodec", package: "streamconv")]
        ),
        // The replay store in PostgreSQL, shared by replicas (LISTEN/NOTIFY, expiry, leases).
        .target(
            name: "BridgePostgres",
            dependencies: [
                "BridgeReplay",
                .product(name: "StreamCodec", package: "streamconv"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The proxy itself: options, routing, forwarding, conversion, limits.
        .target(
            name: "BridgeKit",
            dependencies: [
                "BridgeReplay",
                "BridgePostgres",
                .product(name: "StreamCodec", package: "streamconv"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "streamconv-bridge",
            dependencies: ["BridgeKit", "BridgeReplay", .product(name: "StreamCodec", package: "streamconv")]
        ),
        // A stand-in upstream (recorded streams, failures on request), for the tests and e2e/.
        .target(
            name: "FakeUpstream",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "bridge-fake-upstream",
            dependencies: ["FakeUpstream", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(
            name: "BridgeTests",
            dependencies: [
                "BridgeKit", "BridgeReplay", "BridgePostgres", "FakeUpstream",
                .product(name: "StreamCodec", package: "streamconv"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
