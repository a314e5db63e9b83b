// swift-tools-version: 6.1
// The observability example lives in its own package so that the library never
// depends on an exporter: swift-otel (traces over OTLP/HTTP) and swift-prometheus
// (metrics in the Prometheus text format) are this package's dependencies only.
// Build and run from the repository root:
//   swift build --package-path Examples/Observability
//   scripts/broker.sh run -- Examples/Observability/.build/debug/observability-example
import Foundation
import PackageDescription

// A local package's identity is its folder's name, which depends on where the
// repository was cloned; derive it instead of hard-coding it.
let libraryIdentity = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "swift-kafka-native-observability-example",
    dependencies: [
        .package(path: "../.."),
        // OTLP/HTTP only: the default traits add gRPC, which doubles the first build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    ],
    targets: [
        .executableTarget(
            name: "observability-example",
            dependencies: [
                .product(name: "KafkaClient", package: libraryIdentity),
                .product(name: "KafkaTracking", package: libraryIdentity),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/ObservabilityExample",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
