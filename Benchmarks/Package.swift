// swift-tools-version: 6.1
// Benchmarks live in their own package so that building and testing the library
// never pulls in the benchmark harness. Run from the repository root:
//   swift package --package-path Benchmarks benchmark
import Foundation
import PackageDescription

// A local package's identity is its folder's name, which depends on where the
// repository was cloned; derive it instead of hard-coding it.
let libraryIdentity = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "swift-kafka-native-benchmarks",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "kafka-bench",
            dependencies: [
                .product(name: "KafkaClient", package: libraryIdentity),
                .product(name: "KafkaWire", package: libraryIdentity),
                .product(name: "KafkaTracking", package: libraryIdentity),
            ],
            path: "KafkaBench",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "WireBenchmarks",
            dependencies: [
                .product(name: "KafkaWire", package: libraryIdentity),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/WireBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
